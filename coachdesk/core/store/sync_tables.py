"""Local bookkeeping for bundles: trusted keys, the ledger of imported bundles, awaited changes.

None of these tables is synced: each profile decides for itself whom it trusts and what it has
imported.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from coachdesk.core.store.schema import Base


class TrustedKey(Base):
    """A device's public keys that this profile accepts bundles from (or this device's own)."""

    __tablename__ = "sync_trusted_key"

    key_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    device_id: Mapped[str] = mapped_column(String(36), index=True)
    device_name: Mapped[str] = mapped_column(String(200))
    signing_key: Mapped[str] = mapped_column(String(64))  # Ed25519 public key, hex
    encryption_key: Mapped[str] = mapped_column(String(64))  # X25519 public key, hex
    # One of the coach's own laptops: `export --all` is encrypted to these.
    own: Mapped[bool] = mapped_column(Boolean, default=False)
    this_device: Mapped[bool] = mapped_column(Boolean, default=False)
    trusted_at: Mapped[str] = mapped_column(String(40))
    revoked_at: Mapped[str | None] = mapped_column(String(40), default=None)


class ImportedBundle(Base):
    """The ledger: one row per bundle merged into this profile (checked inside each import)."""

    __tablename__ = "sync_imported_bundle"

    bundle_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    author_device: Mapped[str] = mapped_column(String(36))
    key_id: Mapped[str] = mapped_column(String(64))
    signer_name: Mapped[str] = mapped_column(String(200))
    created_hlc: Mapped[str] = mapped_column(String(80))
    imported_at: Mapped[str] = mapped_column(String(40))
    file_sha256: Mapped[str] = mapped_column(String(64))
    changes: Mapped[int] = mapped_column(Integer)
    new_changes: Mapped[int] = mapped_column(Integer)
    summary: Mapped[str] = mapped_column(Text, default="")


class AwaitedChange(Base):
    """A change id that an imported change supersedes but that has not arrived yet.

    When it arrives it is history at once; keeping the ids here makes that check an index
    lookup instead of a scan of every change's `supersedes` list.
    """

    __tablename__ = "sync_awaited_change"

    change_id: Mapped[str] = mapped_column(String(36), primary_key=True)


class SignedSegment(Base):
    """A run of one device's changes, signed by that device's key (DESIGN change in 0.4.0).

    A change is accepted only under its author's own signature, whoever relays it: the author
    signs a manifest of its changes' digests, and every bundle carries, beside the changes, the
    manifests that sign them, unchanged. `seq` is the author's signing counter, which also
    counts its bundles, so that a key change can name the last one the old key signed.
    """

    __tablename__ = "sync_signed_segment"

    device_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    key_id: Mapped[str] = mapped_column(String(64))
    # The signed bytes exactly as the author wrote them: its JSON head, the digests, signature.
    signed: Mapped[bytes] = mapped_column(LargeBinary)


class HeldChange(Base):
    """A change that arrived but is not merged yet, with the reason (for example stamped too
    far ahead of this laptop's clock); merged once the reason no longer holds."""

    __tablename__ = "sync_held_change"

    change_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    record_type: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str] = mapped_column(String(36))
    field: Mapped[str] = mapped_column(String(80))
    value: Mapped[str] = mapped_column(Text)
    hlc: Mapped[str] = mapped_column(String(80), index=True)
    device_id: Mapped[str] = mapped_column(String(36))
    supersedes: Mapped[str] = mapped_column(Text, default="[]")
    segment_seq: Mapped[int | None] = mapped_column(Integer, default=None)
    bundle_id: Mapped[str] = mapped_column(String(36))
    reason: Mapped[str] = mapped_column(String(40))
    held_at: Mapped[str] = mapped_column(String(40))
