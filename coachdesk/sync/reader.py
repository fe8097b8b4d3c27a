"""Opening a bundle: size cap, signature, trust, header, payload hash; then, on request, the
changes it carries. Nothing is parsed before the signature verifies, and nothing is decided from
unsigned bytes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from coachdesk.core.store.versions import HEAD
from coachdesk.sync import trust
from coachdesk.sync.encryption import decrypt_payload
from coachdesk.sync.envelope import MAX_BUNDLE_BYTES, Envelope, open_envelope
from coachdesk.sync.errors import BundleError
from coachdesk.sync.header import BundleHeader, parse_header
from coachdesk.sync.keys import Passphrase, device_keys, fingerprint_of, key_id_of
from coachdesk.sync.packet_contents import PacketContents, decode_packet
from coachdesk.sync.payload import IncomingChange, decode_changes
from coachdesk.sync.segments import Segment, SegmentItems

if TYPE_CHECKING:
    from coachdesk.core.store.profile import Profile
    from coachdesk.sync.keys import DeviceKeys
    from coachdesk.sync.trust import TrustedKeyInfo


@dataclass(frozen=True)
class OpenedBundle:
    """A bundle that passed every check short of reading its payload."""

    header: BundleHeader
    signer: TrustedKeyInfo
    envelope: Envelope
    size: int


def read_bundle_file(path: Path) -> bytes:
    """The file's bytes, refusing anything larger than a bundle may be before reading it."""
    try:
        if path.stat().st_size > MAX_BUNDLE_BYTES:
            raise BundleError("too_large")
        with path.open("rb") as handle:
            data = handle.read(MAX_BUNDLE_BYTES + 1)
    except BundleError:
        raise
    except OSError as exc:
        raise BundleError("unreadable", f"({exc.strerror or exc})") from None
    if len(data) > MAX_BUNDLE_BYTES:  # it grew while we looked
        raise BundleError("too_large")
    return data


def open_bundle(profile: Profile, data: bytes) -> OpenedBundle:
    """Verify a bundle against this profile's trust list; raises BundleError."""
    envelope = open_envelope(data)
    key_id = key_id_of(envelope.signer_key)
    signer = trust.find_key(profile, key_id)
    if signer is None or signer.signing_key != envelope.signer_key:
        raise BundleError(
            "unknown_signer", f"Its key's fingerprint is {fingerprint_of(envelope.signer_key)}."
        )
    if signer.revoked:
        raise BundleError(
            "revoked_signer",
            f"({signer.name}, revoked on {trust.shown_day(signer.revoked_at or '')})",
        )
    header = parse_header(envelope.header, minor=envelope.minor)
    if header.key_id != key_id or header.author_device != signer.device_id:
        raise BundleError("signer_mismatch")
    _check_standing(profile, signer, header)
    if header.schema > HEAD.number:
        raise BundleError(
            "newer_format",
            f"It was written by coachdesk {header.app_version}; install coachdesk "
            f"{header.app_version} or newer to import it.",
        )
    if hashlib.sha256(envelope.payload).hexdigest() != header.payload_sha256:
        raise BundleError("payload_mismatch")
    return OpenedBundle(header, signer, envelope, len(data))


@dataclass(frozen=True)
class Carried:
    """What a bundle's payload carries: its changes and the segments their authors signed."""

    changes: list[IncomingChange]
    segments: list[Segment]


def _check_standing(profile: Profile, signer: TrustedKeyInfo, header: BundleHeader) -> None:
    """Refuse a bundle whose key is disputed, revoked with the key that introduced it, or was
    replaced before it signed this bundle (its signing counter is past the last one the key
    change names; a bundle without a counter cannot show it was signed before)."""
    with profile.reading() as session:
        standing = trust.key_standing(session, signer.key_id)
    if standing is None:  # the trust list changed under us: as unknown
        raise BundleError("unknown_signer")
    if standing.refusal is not None:
        # Revoked itself was refused above: this is a key revoked with the key that introduced
        # it, or one whose key change is disputed.
        raise BundleError("signer_not_accepted", f"({signer.name}: {standing.refusal}.)")
    bound = standing.signed_up_to
    if bound is not None and (header.seq is None or header.seq > bound):
        raise BundleError("retired_key", f"({signer.name})")


def read_changes(
    profile: Profile, opened: OpenedBundle, *, keys: DeviceKeys | None = None
) -> list[IncomingChange]:
    """Decrypt (when needed), decompress and check every change the bundle carries."""
    return read_carried(profile, opened, keys=keys).changes


def read_carried(
    profile: Profile, opened: OpenedBundle, *, keys: DeviceKeys | None = None
) -> Carried:
    """Decrypt (when needed), decompress and check every change and segment the bundle carries.

    A visit packet's changes are read the same way, with its PDF checked too (all or nothing)
    and then set aside: importing merges the records; `verify --save-pdf` keeps the PDF.
    Whose changes are accepted is decided later, from the segments (sync/authority.py).
    """
    header = opened.header
    if header.kind not in ("sync", "packet"):
        raise BundleError(
            "wrong_kind",
            "It is a public key file: add it on the Trust page or with `coachdesk keys trust`."
            if header.kind == "keys"
            else f"It is a {header.kind} bundle, which this coachdesk cannot import yet.",
        )
    payload = plain_payload(profile, opened, keys=keys)
    if header.kind == "packet":
        packet = decode_packet(payload, header)
        return Carried(list(packet.changes), list(packet.segments))
    items = SegmentItems()
    changes = decode_changes(
        payload,
        plain_size=header.plain_size,
        change_count=header.change_count,
        on_item=items.take,
    )
    return Carried(changes, items.segments)


def plain_payload(
    profile: Profile, opened: OpenedBundle, *, keys: DeviceKeys | None = None
) -> bytes | memoryview:
    """The bundle's payload, decrypted with this device's key when it is encrypted."""
    header = opened.header
    payload: bytes | memoryview = opened.envelope.payload
    if header.encrypted:
        if keys is None:
            from coachdesk.sync.keys import device_keys

            keys = device_keys(profile)
        # An earlier key of this laptop (before `keys rotate`) still opens what was sent to it.
        key_id, private = keys.decryption_key_for(r.key_id for r in header.recipients)
        payload = decrypt_payload(payload, header, key_id=key_id, private_key=private)
    return payload


# --- visit packets: read after the signature, like any bundle ---------------------------------


def read_packet(
    profile: Profile, opened: OpenedBundle, *, keys: DeviceKeys | None = None
) -> PacketContents:
    """Decrypt (when needed) and check everything a verified packet carries; BundleError."""
    if opened.header.kind != "packet":
        raise BundleError(
            "wrong_kind", f"It is a {opened.header.kind} bundle; only a visit packet holds a PDF."
        )
    return decode_packet(plain_payload(profile, opened, keys=keys), opened.header)


def open_packet_file(
    profile: Profile, path: Path, *, passphrase: Passphrase | None = None
) -> PacketContents:
    """Read, verify and decrypt a packet file received from someone trusted; BundleError.

    Nothing is merged: this is for saving the principal's PDF a colleague sent."""
    opened = open_bundle(profile, read_bundle_file(Path(path)))
    keys = device_keys(profile, passphrase=passphrase) if opened.header.encrypted else None
    return read_packet(profile, opened, keys=keys)
