"""Whom this profile accepts bundles from: trusted public keys, named, confirmed by fingerprint,
revocable. A public key travels as a small signed bundle of kind `keys` (`export-public`), signed
by the key it carries, so whoever hands it over proves they hold the private half.

Key changes (sync/rotation.py) link keys: the ledger records each accepted change from an old key
to a new one, with the last signing counter the old key used (`signed_up_to`, absent in key
change files older than 0.4.0). `key_standing` says, for one key, whether what it signs is
accepted, and is what the bundle reader and the segment check ask:
- a revoked key is refused, and so is every key it introduced by a key change, transitively
  (`revoke` revokes them together and says so);
- after a key change, the old key is retired: what it signs with a counter above the one the key
  change names is refused (bundles it signed before still import);
- two different key changes from one old key (its owner's and a thief's) are a dispute, never
  first-wins: every new key claiming the old one is refused, and the old key is bounded by the
  lowest counter named, until the coach compares fingerprints with the owner and keeps one
  (rotation.settle_dispute); the others are revoked.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from coachdesk.core.errors import NotFound, RefusedInput
from coachdesk.core.ids import new_id
from coachdesk.core.store.sync_tables import TrustedKey
from coachdesk.core.store.versions import HEAD
from coachdesk.sync import strict_json
from coachdesk.sync.encryption import RecipientKey
from coachdesk.sync.envelope import Envelope, open_envelope, seal
from coachdesk.sync.errors import BundleError
from coachdesk.sync.header import BundleHeader, parse_header

# Re-exported: the bundle reader and the segment check ask `trust.key_standing`.
from coachdesk.sync.key_graph import (  # noqa: F401
    ROTATION_KIND,
    SETTLED_FACT,
    KeyChange,
    KeyGraph,
    KeyStanding,
    forget_key_graph,
    key_changes,
    key_graph,
    key_standing,
    replacements,
    shown_day,
)
from coachdesk.sync.keys import fingerprint_of, key_id_of, normalise_fingerprint

if TYPE_CHECKING:
    from coachdesk.core.store.profile import Profile
    from coachdesk.sync.keys import DeviceKeys

_MAX_KEY_PAYLOAD = 64 * 1024


@dataclass(frozen=True)
class TrustedKeyInfo:
    """A key in this profile's trust list, as the Trust page and `keys show` present it."""

    key_id: str
    name: str
    device_id: str
    device_name: str
    fingerprint: str
    signing_key: bytes
    encryption_key: bytes
    own: bool
    this_device: bool
    trusted_at: str
    revoked_at: str | None
    # Set when the key's owner rotated to a newer key (a `keys` bundle this profile accepted):
    # the newer key's id and when. A replaced key still verifies what it signed up to the
    # signing counter the key change names (key_standing's signed_up_to), nothing after.
    replaced_by: str | None = None
    replaced_at: str | None = None
    # In an open dispute: two key changes from one old key. Set on the old key (whose
    # replacement is disputed) and on each new key claiming it; none of them is a recipient.
    disputed: bool = False
    introduced_by: str | None = None  # the old key whose key change introduced this one

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def replaced(self) -> bool:
        return self.replaced_by is not None

    @property
    def current(self) -> bool:
        """Trusted to receive bundles: not revoked, not replaced, not in a dispute."""
        return not self.revoked and not self.replaced and not self.disputed

    def status(self) -> str:
        """'trusted', 'revoked Nov 23, 2026' or 'replaced by a newer key Nov 23, 2026'."""
        if self.revoked_at:
            return f"revoked {shown_day(self.revoked_at)}"
        if self.disputed and self.introduced_by:
            return "disputed: one of two new keys claiming to replace an older key"
        if self.disputed:
            return "disputed: two new keys claim to replace it"
        if self.replaced_at:
            return f"replaced by a newer key {shown_day(self.replaced_at)}"
        return "trusted"


@dataclass(frozen=True)
class OfferedKey:
    """A public key read from someone's key file, not yet trusted."""

    device_id: str
    device_name: str
    signing_key: bytes
    encryption_key: bytes

    @property
    def key_id(self) -> str:
        return key_id_of(self.signing_key)

    @property
    def fingerprint(self) -> str:
        return fingerprint_of(self.signing_key)


def _info(row: TrustedKey, graph: KeyGraph | None = None) -> TrustedKeyInfo:
    signing = bytes.fromhex(row.signing_key)
    change = graph.replacement(row.key_id) if graph else None
    revoked_by = graph.revoked_ancestor(row.key_id) if graph else None
    revoked_at = row.revoked_at
    if revoked_by is not None and revoked_at is None:
        revoked_at = revoked_by.revoked_at
    introduced = graph.introduced_by.get(row.key_id) if graph else None
    return TrustedKeyInfo(
        key_id=row.key_id,
        name=row.name,
        device_id=row.device_id,
        device_name=row.device_name,
        fingerprint=fingerprint_of(signing),
        signing_key=signing,
        encryption_key=bytes.fromhex(row.encryption_key),
        own=row.own,
        this_device=row.this_device,
        trusted_at=row.trusted_at,
        revoked_at=revoked_at,
        replaced_by=change.new_key if change else None,
        replaced_at=change.at if change else None,
        disputed=bool(graph and revoked_at is None and graph.in_dispute(row.key_id)),
        introduced_by=introduced[0].old_key if introduced else None,
    )


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def list_keys(profile: Profile) -> list[TrustedKeyInfo]:
    """Every key this profile knows: this device first, then by name."""
    with profile.reading() as session:
        graph = key_graph(session)
        keys = [_info(r, graph) for r in graph.rows.values()]
    return sorted(keys, key=lambda k: (not k.this_device, k.revoked, k.replaced, k.name.lower()))


def own_record(profile: Profile) -> TrustedKeyInfo | None:
    """This device's own public keys, once they exist."""
    with profile.reading() as session:
        row = session.execute(
            select(TrustedKey).where(TrustedKey.this_device.is_(True))
        ).scalar_one_or_none()
        return _info(row, key_graph(session)) if row else None


def find_key(profile: Profile, key_id: str) -> TrustedKeyInfo | None:
    """The trust-list entry for a key id, revoked or not."""
    with profile.reading() as session:
        row = session.get(TrustedKey, key_id)
        return _info(row, key_graph(session)) if row else None


# --- public key files ---------------------------------------------------------------------------


def device_name_of(profile: Profile, device_id: str) -> str:
    """The name this profile gives its own laptop."""
    from coachdesk.core.store.schema import ThisDevice

    with profile.reading() as session:
        device = session.get(ThisDevice, device_id)
        if device is None:
            raise NotFound("This profile has no record of this computer; restore a backup.")
        return device.name


def public_key_file(profile: Profile, keys: DeviceKeys) -> bytes:
    """This device's public keys as a self-signed bundle of kind `keys`."""
    return key_file_bytes(
        keys,
        device_name=device_name_of(profile, keys.device_id),
        bundle_id=new_id(),
        created_hlc=str(profile.clock.now()),
    )


def key_file_bytes(
    keys: DeviceKeys, *, device_name: str, bundle_id: str, created_hlc: str
) -> bytes:
    """A public key file with every field given (deterministic, for golden files too)."""
    plain = strict_json.dumps(
        {
            "kind": "device_key",
            "device_id": keys.device_id,
            "device_name": device_name,
            "signing_key": keys.signing_public.hex(),
            "encryption_key": keys.encryption_public.hex(),
        }
    ).encode("utf-8")
    return seal_keys_bundle(
        keys, plain, device_name=device_name, bundle_id=bundle_id, created_hlc=created_hlc
    )


def seal_keys_bundle(
    keys: DeviceKeys, plain: bytes, *, device_name: str, bundle_id: str, created_hlc: str
) -> bytes:
    """A `keys` bundle carrying `plain` (JSON), signed by `keys`."""
    from coachdesk import __version__

    payload = zlib.compress(plain)
    header = BundleHeader(
        bundle_id=bundle_id,
        kind="keys",
        created_hlc=created_hlc,
        author_device=keys.device_id,
        author_name=device_name,
        key_id=keys.key_id,
        schema=HEAD.number,
        app_version=__version__,
        change_count=0,
        record_counts={},
        coverage={},
        payload_sha256=hashlib.sha256(payload).hexdigest(),
        plain_size=len(plain),
    )
    return seal(header.encode(), payload, keys.signing)


def read_public_key_file(data: bytes) -> OfferedKey:
    """The key a key file offers, after checking it is signed by that very key."""
    envelope, header, body = open_key_file(data)
    try:
        offered = OfferedKey(
            device_id=body["device_id"],
            device_name=str(body["device_name"])[:200],
            signing_key=bytes.fromhex(body["signing_key"]),
            encryption_key=bytes.fromhex(body["encryption_key"]),
        )
    except (ValueError, KeyError, TypeError):
        raise BundleError("bad_payload") from None
    if body.get("kind") == "key_rotation":
        raise BundleError(
            "wrong_kind",
            "It is a key change file: trust it with `coachdesk keys trust FILE` or on the "
            "Trust page, without a name.",
        )
    if (
        body.get("kind") != "device_key"
        or offered.signing_key != envelope.signer_key
        or offered.device_id != header.author_device
        or len(offered.encryption_key) != 32
    ):
        raise BundleError("signer_mismatch")
    return offered


def open_key_file(data: bytes) -> tuple[Envelope, BundleHeader, dict[str, Any]]:
    """A `keys` bundle's envelope, header and JSON body, after its signature is checked
    against the key inside it (not yet against the trust list)."""
    envelope = open_envelope(data)
    header = parse_header(envelope.header, minor=envelope.minor)
    if header.kind != "keys":
        raise BundleError("wrong_kind", "It is not a public key file (`keys export-public`).")
    if header.key_id != key_id_of(envelope.signer_key):
        raise BundleError("signer_mismatch")
    payload = bytes(envelope.payload)
    if hashlib.sha256(payload).hexdigest() != header.payload_sha256:
        raise BundleError("payload_mismatch")
    try:
        decompressor = zlib.decompressobj()
        plain = decompressor.decompress(payload, _MAX_KEY_PAYLOAD)
        if not decompressor.eof or len(plain) != header.plain_size:
            raise ValueError("wrong size")
        body = strict_json.loads(plain.decode("utf-8"))
        if not isinstance(body, dict):
            raise ValueError("not an object")
    except (ValueError, TypeError, zlib.error):
        raise BundleError("bad_payload") from None
    return envelope, header, body


def trust_key(
    profile: Profile, offered: OfferedKey, *, name: str, own: bool = False
) -> TrustedKeyInfo:
    """Add a key to the trust list under a name people recognise; refuses a revoked key."""
    name = " ".join(name.split())
    if not name or len(name) > 200:
        raise RefusedInput("Give the key a name of 1 to 200 characters, such as the coach's name.")
    with profile.writing() as write:
        session = write.session
        row = session.get(TrustedKey, offered.key_id)
        if row is not None and row.revoked_at is not None:
            raise RefusedInput(
                f"The key {offered.fingerprint} was revoked on {shown_day(row.revoked_at)} and"
                " cannot be trusted again. Ask its owner for a new key."
            )
        if row is not None and row.this_device:
            raise RefusedInput("That is this laptop's own key; it is trusted already.")
        clash = (
            session.execute(
                select(TrustedKey).where(
                    TrustedKey.name == name,
                    TrustedKey.key_id != offered.key_id,
                    TrustedKey.revoked_at.is_(None),
                )
            )
            .scalars()
            .first()
        )  # a rotated key and its successor share a name
        if clash is not None:
            raise RefusedInput(
                f"Another key is already called {name!r}. Choose a different name, or revoke "
                f"that key first."
            )
        if row is None:
            row = TrustedKey(
                key_id=offered.key_id,
                device_id=offered.device_id,
                device_name=offered.device_name,
                signing_key=offered.signing_key.hex(),
                encryption_key=offered.encryption_key.hex(),
                this_device=False,
                trusted_at=_now(),
            )
            session.add(row)
        row.name = name
        row.own = own
        session.flush()
        forget_key_graph(session)
        return _info(row, key_graph(session))


@dataclass(frozen=True)
class Revocation:
    """What revoking a key did: the key, and the keys it introduced by key changes (revoked with
    it), each with the day this profile accepted the key change that introduced it."""

    key: TrustedKeyInfo
    introduced: tuple[tuple[TrustedKeyInfo, str], ...] = ()
    already: bool = False

    def sentence(self) -> str:
        """'Revoked Lee (…) and the key it introduced on Nov 23, 2026 (…); bundles … refused.'"""
        key = self.key
        if self.already:
            return f"{key.name} ({key.fingerprint}) was revoked before; nothing changed."
        text = f"Revoked {key.name} ({key.fingerprint})"
        if len(self.introduced) == 1:
            new, at = self.introduced[0]
            text += f" and the key it introduced on {shown_day(at)} ({new.fingerprint})"
        elif self.introduced:
            days = ", ".join(f"{shown_day(at)} ({new.fingerprint})" for new, at in self.introduced)
            text += f" and the {len(self.introduced)} keys it introduced by key changes: {days}"
        them = "them" if self.introduced else "it"
        return f"{text}; bundles signed by {them} are now refused."


def revoke(profile: Profile, which: str) -> Revocation:
    """Revoke a key named by its fingerprint (spaces optional) or key id, and with it every key it
    introduced by a key change, transitively (a thief's successor goes with the stolen key)."""
    digits = normalise_fingerprint(which)
    with profile.writing() as write:
        session = write.session
        graph = key_graph(session)
        matches = [
            r
            for r in graph.rows.values()
            if r.key_id == which.strip().lower()
            or (
                len(digits) == 40
                and normalise_fingerprint(fingerprint_of(bytes.fromhex(r.signing_key))) == digits
            )
        ]
        if not matches:
            raise NotFound(
                f"No trusted key has the fingerprint {which!r}. `coachdesk keys show` lists them."
            )
        return revoke_with_successors(session, matches[0].key_id)


def revoke_with_successors(session: Any, key_id: str) -> Revocation:
    """Inside a writing transaction: revoke the key and the keys it introduced."""
    graph = key_graph(session)
    row = graph.rows[key_id]
    if row.this_device:
        raise RefusedInput("This laptop's own key cannot be revoked here.")
    later = [
        (graph.rows[c.new_key], c.at) for c in graph.successors(key_id) if c.new_key in graph.rows
    ]
    if any(new.this_device for new, _at in later):
        raise RefusedInput(
            "That key introduced this laptop's current key by a key change, so it cannot be "
            "revoked here; what it signs after the key change is refused already."
        )
    now = _now()
    newly = [(new, at) for new, at in later if new.revoked_at is None]
    already = row.revoked_at is not None and not newly
    if row.revoked_at is None:
        row.revoked_at = now
    for new, _at in newly:
        new.revoked_at = now
    session.flush()
    forget_key_graph(session)
    graph = key_graph(session)
    return Revocation(
        _info(row, graph), tuple((_info(new, graph), at) for new, at in newly), already
    )


def revoke_key(profile: Profile, which: str) -> TrustedKeyInfo:
    """Revoke a key (and the keys it introduced by key changes); the key, as it now stands."""
    return revoke(profile, which).key


def recipient_names(profile: Profile) -> list[str]:
    """Whom a bundle can be encrypted for: other laptops' trusted, unrevoked, current keys
    (a key replaced by a rotation is left out; its successor carries the same name). Each
    name once: a bundle for a name is encrypted to every current key of that name."""
    names = [k.name for k in list_keys(profile) if not k.this_device and k.current]
    return list(dict.fromkeys(names))


def recipients_named(profile: Profile, names: list[str]) -> list[RecipientKey]:
    """The trusted, unrevoked keys with these names; refuses a name nobody has, and a name
    whose key is in dispute (two new keys claim to replace it) until the coach settles it."""
    listed = list_keys(profile)
    keys = [k for k in listed if k.current]
    found = []
    for name in names:
        wanted = " ".join(name.split()).lower()
        match = [k for k in keys if k.name.lower() == wanted]
        if not match and any(k.disputed and k.name.lower() == wanted for k in listed):
            raise RefusedInput(
                f"Two different new keys claim to replace {name}'s key; compare fingerprints "
                f"with {name} and keep the right one on the Trust page before sending them a "
                "bundle."
            )
        if not match:
            known = ", ".join(k.name for k in keys if not k.this_device) or "none yet"
            raise RefusedInput(f"No trusted key is called {name!r}. Trusted keys: {known}.")
        found.extend(match)
    return [RecipientKey(k.key_id, k.name, k.encryption_key) for k in found]


def own_devices(profile: Profile) -> list[RecipientKey]:
    """This laptop and the coach's other laptops: whom `export --all` is encrypted to."""
    return [
        RecipientKey(k.key_id, k.name, k.encryption_key)
        for k in list_keys(profile)
        if k.own and k.current
    ]
