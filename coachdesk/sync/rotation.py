"""Changing a laptop's keys (THREATS.md, key loss): `coachdesk keys rotate`.

The laptop makes new keys and writes a key change file: a `keys` bundle signed by the OLD key
that carries the new public keys and the NEW key's signature over the change. So the file proves
its sender holds both: the old key vouches for the new one, and the holder of only the old key
cannot pass off a key it does not hold (someone else's) as its successor.

A profile that trusts the old key (unrevoked) accepts the new key under the same name without a
fingerprint ceremony. The old key stays trusted, shown as replaced, so bundles it signed before
the change still import (on the sender's own profile too: its earlier bundles may come back).
Nothing in the trust table (data format 1, frozen) records "replaced by"; the accepted key change
is recorded in the ledger of imported bundles instead (see trust.replacements).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from coachdesk.core.errors import RefusedInput
from coachdesk.core.ids import new_id
from coachdesk.core.store.sync_tables import ImportedBundle, TrustedKey
from coachdesk.sync import strict_json, trust
from coachdesk.sync.envelope import Envelope
from coachdesk.sync.errors import BundleError
from coachdesk.sync.header import BundleHeader
from coachdesk.sync.keys import fingerprint_of, key_id_of
from coachdesk.sync.trust import OfferedKey

if TYPE_CHECKING:
    from coachdesk.core.store.profile import Profile
    from coachdesk.sync.keys import DeviceKeys, Passphrase

BODY_KIND = "key_rotation"
_BODY_KEYS = {
    "kind",
    "device_id",
    "device_name",
    "signing_key",
    "encryption_key",
    "replaces",
    "proof",
}
_PROOF_DOMAIN = b"coachdesk key rotation v1\x00"


@dataclass(frozen=True)
class KeyRotation:
    """A key change file that passed its checks: the old key signed it, the new key co-signed."""

    device_id: str
    device_name: str
    old_signing_key: bytes
    new_key: OfferedKey
    bundle_id: str
    created_hlc: str
    signed_sha256: str

    @property
    def old_key_id(self) -> str:
        return key_id_of(self.old_signing_key)

    @property
    def old_fingerprint(self) -> str:
        return fingerprint_of(self.old_signing_key)


@dataclass(frozen=True)
class RotationAccepted:
    """What trusting a key change file did."""

    name: str
    old_fingerprint: str
    new_fingerprint: str
    already: bool = False

    def sentence(self) -> str:
        if self.already:
            return f"{self.name}'s key change was accepted before; nothing changed."
        return (
            f"{self.name} changed keys: the new key ({self.new_fingerprint}) is now trusted "
            f"under the name {self.name} without comparing fingerprints, because {self.name}'s "
            f"trusted key signed the change; bundles signed with the old key "
            f"({self.old_fingerprint}) still import."
        )


@dataclass(frozen=True)
class RotationDone:
    """What `keys rotate` did on this laptop."""

    path: Path
    old_fingerprint: str
    new_fingerprint: str

    def sentence(self) -> str:
        return (
            f"This laptop has new keys (fingerprint {self.new_fingerprint}; it was "
            f"{self.old_fingerprint}). Give {self.path} to everyone who trusts this laptop: "
            "their coachdesk accepts the new key from it without a fingerprint check. Bundles "
            "signed before the change still import."
        )


def _proof_message(device_id: str, old_signing: bytes, new: OfferedKey) -> bytes:
    return b"".join(
        (_PROOF_DOMAIN, device_id.encode("ascii"), b"\x00", old_signing)
        + (new.signing_key, new.encryption_key)
    )


def rotation_file_bytes(
    old: DeviceKeys, new: DeviceKeys, *, device_name: str, bundle_id: str, created_hlc: str
) -> bytes:
    """The key change file from `old` to `new` (every field given, so golden files can be made)."""
    offered = OfferedKey(old.device_id, device_name, new.signing_public, new.encryption_public)
    proof = new.signing.sign(_proof_message(old.device_id, old.signing_public, offered))
    plain = strict_json.dumps(
        {
            "kind": BODY_KIND,
            "device_id": old.device_id,
            "device_name": device_name,
            "signing_key": new.signing_public.hex(),
            "encryption_key": new.encryption_public.hex(),
            "replaces": old.signing_public.hex(),
            "proof": proof.hex(),
        }
    ).encode("utf-8")
    return trust.seal_keys_bundle(
        old, plain, device_name=device_name, bundle_id=bundle_id, created_hlc=created_hlc
    )


def read_key_file(data: bytes) -> OfferedKey | KeyRotation:
    """What a `keys` file holds: a public key to trust by fingerprint, or a key change."""
    envelope, header, body = trust.open_key_file(data)
    if body.get("kind") == BODY_KIND:
        return _rotation_from(envelope, header, body)
    return trust.read_public_key_file(data)


def _rotation_from(envelope: Envelope, header: BundleHeader, body: dict[str, Any]) -> KeyRotation:
    if body.keys() != _BODY_KEYS:
        raise BundleError("bad_payload")
    try:
        old_signing = bytes.fromhex(body["replaces"])
        proof = bytes.fromhex(body["proof"])
        new = OfferedKey(
            device_id=str(body["device_id"]),
            device_name=str(body["device_name"])[:200],
            signing_key=bytes.fromhex(body["signing_key"]),
            encryption_key=bytes.fromhex(body["encryption_key"]),
        )
    except (ValueError, TypeError):
        raise BundleError("bad_payload") from None
    if (
        old_signing != envelope.signer_key
        or new.device_id != header.author_device
        or len(new.signing_key) != 32
        or len(new.encryption_key) != 32
        or new.signing_key == old_signing
    ):
        raise BundleError("signer_mismatch")
    try:
        Ed25519PublicKey.from_public_bytes(new.signing_key).verify(
            proof, _proof_message(new.device_id, old_signing, new)
        )
    except (InvalidSignature, ValueError):
        raise BundleError("rotation_unproven") from None
    return KeyRotation(
        device_id=new.device_id,
        device_name=new.device_name,
        old_signing_key=old_signing,
        new_key=new,
        bundle_id=header.bundle_id,
        created_hlc=header.created_hlc,
        signed_sha256=envelope.signed_sha256,
    )


def accept_rotation(profile: Profile, rotation: KeyRotation) -> RotationAccepted:
    """Trust the new key of a key change signed by a trusted, unrevoked key; raises BundleError
    (unknown_signer, revoked_signer, revoked_key, already_replaced) and then changes nothing."""
    with profile.writing() as write:
        return _apply(write.session, rotation, own_change=False)


def _apply(session: Any, rotation: KeyRotation, *, own_change: bool) -> RotationAccepted:
    new = rotation.new_key
    old = session.get(TrustedKey, rotation.old_key_id)
    if old is None or bytes.fromhex(old.signing_key) != rotation.old_signing_key:
        raise BundleError("unknown_signer", f"Its key's fingerprint is {rotation.old_fingerprint}.")
    if old.revoked_at is not None:
        revoked = trust.shown_day(old.revoked_at)
        raise BundleError("revoked_signer", f"({old.name}, revoked on {revoked})")
    if old.device_id != rotation.device_id:
        raise BundleError("signer_mismatch")
    if old.this_device and not own_change:
        # Only `rotate_keys` may replace this laptop's current key: it stores the new private
        # key in the same step. A file alone would leave this laptop without the key it names.
        raise RefusedInput(
            "That key change is for this laptop's own current key; this laptop's keys change "
            "only with `coachdesk keys rotate` (or Change my keys on the Trust page)."
        )
    done = RotationAccepted(old.name, rotation.old_fingerprint, new.fingerprint)
    earlier = trust.replacements(session).get(old.key_id)
    if earlier is not None:
        if earlier[0] != new.key_id:
            raise BundleError("already_replaced", f"({old.name})")
        return RotationAccepted(done.name, done.old_fingerprint, done.new_fingerprint, True)
    row = session.get(TrustedKey, new.key_id)
    if row is not None and row.revoked_at is not None:
        raise BundleError("revoked_key", f"({new.fingerprint})")
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    if row is None:
        session.add(
            TrustedKey(
                key_id=new.key_id,
                name=old.name,
                device_id=new.device_id,
                device_name=new.device_name,
                signing_key=new.signing_key.hex(),
                encryption_key=new.encryption_key.hex(),
                own=old.own,
                # On the laptop that rotated, the new key becomes its current one.
                this_device=old.this_device,
                trusted_at=now,
            )
        )
    old.this_device = False
    session.add(
        ImportedBundle(
            bundle_id=rotation.bundle_id,
            kind=trust.ROTATION_KIND,
            author_device=rotation.device_id,
            key_id=old.key_id,
            signer_name=old.name,
            created_hlc=rotation.created_hlc,
            imported_at=now,
            file_sha256=rotation.signed_sha256,
            changes=0,
            new_changes=0,
            summary=json.dumps({"replaced_key": old.key_id, "by_key": new.key_id}),
        )
    )
    return done


def rotate_keys(
    profile: Profile, path: Path, *, passphrase: Passphrase | None = None
) -> RotationDone:
    """Make new keys for this laptop, store them as its current keys and write the key change
    file to `path`. A failure before the new keys are stored changes nothing and leaves no file.
    """
    from coachdesk.sync import keys
    from coachdesk.sync.export import write_atomically

    old = keys.device_keys(profile, passphrase=passphrase)
    unlock = keys.passphrase_for_replacing(profile, passphrase)
    new = old.successor()
    data = rotation_file_bytes(
        old,
        new,
        device_name=trust.device_name_of(profile, old.device_id),
        bundle_id=new_id(),
        created_hlc=str(profile.clock.now()),
    )
    rotation = read_key_file(data)  # the file must pass the checks every receiver makes
    assert isinstance(rotation, KeyRotation)
    write_atomically(path, data)
    stored = False
    try:
        with profile.writing() as write:
            _apply(write.session, rotation, own_change=True)
            # Inside the transaction: if the keys cannot be stored, the trust list rolls back.
            keys.replace_stored_keys(profile, new, unlock=unlock)
            stored = True
    finally:
        if not stored:
            path.unlink(missing_ok=True)
    return RotationDone(path, old.fingerprint, new.fingerprint)
