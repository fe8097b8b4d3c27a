"""Changing a laptop's keys (THREATS.md, key loss): `coachdesk keys rotate`.

The laptop makes new keys and writes a key change file: a `keys` bundle signed by the OLD key
that carries the new public keys and the NEW key's signature over the change. So the file proves
its sender holds both: the old key vouches for the new one, and the holder of only the old key
cannot pass off a key it does not hold (someone else's) as its successor.

Since 0.4.0 the file also names the last signing counter the old key used (`signed_up_to`, from
sync/signing_counter.py, read in the same transaction that stores the new keys). Files without
it (format 1, kept in tests/fixtures/bundles) still read and apply, with no bound.

A profile that trusts the old key (unrevoked, not in dispute) accepts the new key under the same
name without a fingerprint ceremony. The old key is then retired: bundles and segments it signed
up to the named counter still import (on the sender's own profile too: its earlier bundles may
come back); anything it signs with a higher counter is refused (trust.key_standing). Nothing in
the trust table (data format 1, frozen) records "replaced by"; the accepted key change is
recorded in the ledger of imported bundles instead (see sync/key_graph.py).

A second, different key change from the same old key (a thief holding the old key, or a mistake)
is never first-wins: both are recorded, every new key claiming the old one is refused, and the
Trust page shows the dispute until the coach compares fingerprints with the owner and keeps one
(`settle_dispute`); the others are revoked, and later key changes from that old key are refused.
The laptop that rotated knows its own new key, so there a different key change is refused.
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
_BOUND = "signed_up_to"  # since 0.4.0; absent in older key change files
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
    signed_up_to: int | None = None  # the old key's last signing counter (None: older file)

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
    disputed: bool = False  # another key change from the same old key was accepted before

    def sentence(self) -> str:
        if self.already:
            return f"{self.name}'s key change was accepted before; nothing changed."
        if self.disputed:
            return (
                f"Two different new keys now claim to replace {self.name}'s key "
                f"({self.old_fingerprint}). Neither is trusted until you call {self.name}, "
                "compare the fingerprint on their Trust page and keep the one that matches "
                "(Trust page)."
            )
        return (
            f"{self.name} changed keys: the new key ({self.new_fingerprint}) is now trusted "
            f"under the name {self.name} without comparing fingerprints, because {self.name}'s "
            f"trusted key signed the change; bundles signed with the old key "
            f"({self.old_fingerprint}) before the change still import."
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
    old: DeviceKeys,
    new: DeviceKeys,
    *,
    device_name: str,
    bundle_id: str,
    created_hlc: str,
    signed_up_to: int | None,
) -> bytes:
    """The key change file from `old` to `new` (every field given, so golden files can be made).

    `signed_up_to` is the last signing counter the old key used; None writes a file as coachdesk
    before 0.4.0 did (no bound), for golden files of that format only."""
    offered = OfferedKey(old.device_id, device_name, new.signing_public, new.encryption_public)
    proof = new.signing.sign(_proof_message(old.device_id, old.signing_public, offered))
    body: dict[str, Any] = {
        "kind": BODY_KIND,
        "device_id": old.device_id,
        "device_name": device_name,
        "signing_key": new.signing_public.hex(),
        "encryption_key": new.encryption_public.hex(),
        "replaces": old.signing_public.hex(),
        "proof": proof.hex(),
    }
    if signed_up_to is not None:
        body[_BOUND] = signed_up_to
    plain = strict_json.dumps(body).encode("utf-8")
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
    if body.keys() - {_BOUND} != _BODY_KEYS:
        raise BundleError("bad_payload")
    bound = body.get(_BOUND)
    if bound is not None and (
        not isinstance(bound, int) or isinstance(bound, bool) or not 0 <= bound < 2**63
    ):
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
        signed_up_to=bound,
    )


def accept_rotation(profile: Profile, rotation: KeyRotation) -> RotationAccepted:
    """Trust the new key of a key change signed by a trusted, unrevoked key; raises BundleError
    (unknown_signer, revoked_signer, revoked_key, already_replaced) or RefusedInput and then
    changes nothing. A second, different key change from the same old key is recorded as a
    dispute (RotationAccepted.disputed): neither new key is trusted until the coach settles it."""
    with profile.writing() as write:
        return _apply(write.session, rotation, own_change=False)


def _apply(session: Any, rotation: KeyRotation, *, own_change: bool) -> RotationAccepted:
    new = rotation.new_key
    old = session.get(TrustedKey, rotation.old_key_id)
    if old is None or bytes.fromhex(old.signing_key) != rotation.old_signing_key:
        raise BundleError("unknown_signer", f"Its key's fingerprint is {rotation.old_fingerprint}.")
    graph = trust.key_graph(session)
    standing = trust.key_standing(session, old.key_id)
    if standing is not None and standing.refusal is not None:
        if old.revoked_at is not None or graph.revoked_ancestor(old.key_id) is not None:
            raise BundleError("revoked_signer", f"({old.name}: {standing.refusal})")
        raise RefusedInput(
            f"That key change is signed by one of the new keys in dispute for {old.name}: keep "
            "the right one on the Trust page first, then trust this file again."
        )
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
    claims = graph.changes_from.get(old.key_id, [])
    if any(c.new_key == new.key_id for c in claims):
        return RotationAccepted(done.name, done.old_fingerprint, done.new_fingerprint, True)
    if claims and old.key_id in graph.settled:
        raise BundleError(
            "already_replaced", f"({old.name}: you kept its other new key after a dispute)"
        )
    later = {c.new_key for c in graph.successors(old.key_id)}
    if any(graph.rows[k].this_device for k in later if k in graph.rows):
        # This laptop made the key change from that key (its current key descends from it), so
        # a different one is not its own.
        raise BundleError("already_replaced", "(this laptop's own earlier key)")
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
    facts: dict[str, Any] = {"replaced_key": old.key_id, "by_key": new.key_id}
    if rotation.signed_up_to is not None:
        facts["signed_up_to"] = rotation.signed_up_to
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
            summary=json.dumps(facts),
        )
    )
    session.flush()
    trust.forget_key_graph(session)
    disputed = bool(claims)
    return RotationAccepted(
        done.name, done.old_fingerprint, done.new_fingerprint, disputed=disputed
    )


def rotate_keys(
    profile: Profile, path: Path, *, passphrase: Passphrase | None = None
) -> RotationDone:
    """Make new keys for this laptop, store them as its current keys and write the key change
    file to `path`, naming the old key's last signing counter. A failure before the new keys are
    stored changes nothing and leaves no file.
    """
    from coachdesk.sync import keys, signing_counter
    from coachdesk.sync.export import write_atomically

    old = keys.device_keys(profile, passphrase=passphrase)
    unlock = keys.passphrase_for_replacing(profile, passphrase)
    new = old.successor()
    device_name = trust.device_name_of(profile, old.device_id)
    stored = False
    try:
        # One transaction: no bundle can be signed with the old key between reading its last
        # counter and storing the new keys, and if the keys cannot be stored, all rolls back.
        with profile.writing() as write:
            data = rotation_file_bytes(
                old,
                new,
                device_name=device_name,
                bundle_id=new_id(),
                created_hlc=str(profile.clock.now()),
                signed_up_to=signing_counter.last_signed(write.session, old.device_id),
            )
            rotation = read_key_file(data)  # the file must pass the checks every receiver makes
            assert isinstance(rotation, KeyRotation)
            write_atomically(path, data)
            _apply(write.session, rotation, own_change=True)
            keys.replace_stored_keys(profile, new, unlock=unlock)
            stored = True
    finally:
        if not stored:
            path.unlink(missing_ok=True)
    return RotationDone(path, old.fingerprint, new.fingerprint)


# --- disputes: two key changes from one key -----------------------------------------------------


@dataclass(frozen=True)
class KeyDispute:
    """Two or more different new keys claim to replace one old key; the coach keeps one."""

    old: trust.TrustedKeyInfo
    claims: tuple[trust.TrustedKeyInfo, ...]  # the new keys still in the running, by arrival

    @property
    def name(self) -> str:
        return self.old.name

    def sentence(self) -> str:
        count = {2: "Two", 3: "Three"}.get(len(self.claims), str(len(self.claims)))
        return (
            f"{count} different new keys claim to replace {self.name}'s key. Call {self.name} "
            "and compare the fingerprint on their Trust page; keep the one that matches."
        )


@dataclass(frozen=True)
class Settlement:
    """What settling a dispute did: the key kept, and the other claimants revoked."""

    name: str
    kept: str  # fingerprint
    revoked: tuple[str, ...]  # fingerprints

    def sentence(self) -> str:
        others = " and ".join(self.revoked)
        s = "s" if len(self.revoked) > 1 else ""
        return (
            f"Kept {self.kept} as {self.name}'s new key; the other new key{s} ({others}) "
            f"{'are' if s else 'is'} revoked, and bundles signed by {'them' if s else 'it'} are "
            "refused."
        )


def key_disputes(profile: Profile) -> list[KeyDispute]:
    """Every open dispute on this profile, by name."""
    with profile.reading() as session:
        graph = trust.key_graph(session)
        open_ones = [old for old in graph.changes_from if graph.disputed(old)]
        claims = {
            old: [c.new_key for c in graph.changes_from[old] if c.new_key in graph.rows]
            for old in open_ones
        }
    listed = {k.key_id: k for k in trust.list_keys(profile)}
    found = [
        KeyDispute(
            listed[old],
            tuple(listed[k] for k in claims[old] if k in listed and not listed[k].revoked),
        )
        for old in open_ones
        if old in listed
    ]
    return sorted(found, key=lambda d: d.name.lower())


def settle_dispute(profile: Profile, old_key_id: str, keep_key_id: str) -> Settlement:
    """Keep one of the new keys claiming to replace `old_key_id` (after comparing fingerprints
    with its owner): it replaces the old key; the other claimants, and keys they introduced, are
    revoked. Later key changes from the old key are refused."""
    from coachdesk.core.store.schema import ProfileFact

    with profile.writing() as write:
        session = write.session
        graph = trust.key_graph(session)
        old = graph.rows.get(old_key_id)
        if old is None or not graph.disputed(old_key_id):
            raise RefusedInput(
                "No two new keys are in dispute for that key any more; reload the Trust page."
            )
        claims = [c.new_key for c in graph.changes_from[old_key_id]]
        kept = graph.rows.get(keep_key_id)
        if keep_key_id not in claims or kept is None or kept.revoked_at is not None:
            raise RefusedInput(
                f"That key is not one of the new keys claiming to replace {old.name}'s key."
            )
        revoked = []
        for other in claims:
            if other != keep_key_id and other in graph.rows:
                if graph.rows[other].revoked_at is None:
                    revoked.append(fingerprint_of(bytes.fromhex(graph.rows[other].signing_key)))
                trust.revoke_with_successors(session, other)
        fact = session.get(ProfileFact, trust.SETTLED_FACT)
        settled = json.loads(fact.value) if fact is not None else {}
        settled[old_key_id] = keep_key_id
        if fact is None:
            session.add(ProfileFact(key=trust.SETTLED_FACT, value=json.dumps(settled)))
        else:
            fact.value = json.dumps(settled)
        session.flush()
        trust.forget_key_graph(session)
        return Settlement(old.name, fingerprint_of(bytes.fromhex(kept.signing_key)), tuple(revoked))


def settle_by_fingerprint(profile: Profile, name: str, fingerprint: str) -> Settlement:
    """`keys settle NAME --keep FINGERPRINT`: settle the dispute about the key trusted as `name`
    by keeping the new key with that fingerprint (spaces optional)."""
    from coachdesk.sync.keys import normalise_fingerprint

    wanted = " ".join(name.split()).lower()
    disputes = key_disputes(profile)
    found = [d for d in disputes if d.name.lower() == wanted]
    if not found:
        open_ones = ", ".join(d.name for d in disputes) or "none"
        raise RefusedInput(
            f"No two new keys are in dispute for {name!r}. Disputes on this profile: {open_ones}."
        )
    digits = normalise_fingerprint(fingerprint)
    for dispute in found:
        for claim in dispute.claims:
            if normalise_fingerprint(claim.fingerprint) == digits:
                return settle_dispute(profile, dispute.old.key_id, claim.key_id)
    offered = "; ".join(c.fingerprint for d in found for c in d.claims)
    raise RefusedInput(
        f"None of the new keys claiming to replace {found[0].name}'s key has the fingerprint "
        f"{fingerprint!r}; they are: {offered}. Keep the one {found[0].name} reads to you."
    )
