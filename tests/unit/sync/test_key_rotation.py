"""Key rotation (THREATS.md, key loss): a laptop changes keys with a key change file signed by
its old key and co-signed by the new one; profiles that trust the old key take the new one
without a fingerprint ceremony, and bundles signed before the change still import. What the old
key signs afterwards, revocation and disputes: tests/unit/sync/test_key_standing.py."""

from __future__ import annotations

import json
import zlib

import keyring
import pytest
from keyring.backends import fail

from coachdesk.core.errors import RefusedInput
from coachdesk.core.ids import new_id
from coachdesk.core.store.profile import Profile
from coachdesk.sync import keys, rotation, strict_json, trust
from coachdesk.sync.envelope import open_envelope
from coachdesk.sync.errors import BundleError, KeyAccessError
from coachdesk.sync.export import build_bundle
from tests.support.sync_world import (
    add_school,
    database_bytes_digest,
    make_devices,
    newcomer,
    school_name,
)


def _rotate(device, tmp_path, name="rotation.coachdesk-key"):
    path = tmp_path / name
    done = rotation.rotate_keys(device.profile, path)
    return path, done


def _trust_file(profile: Profile, path) -> rotation.RotationAccepted:
    offered = rotation.read_key_file(path.read_bytes())
    assert isinstance(offered, rotation.KeyRotation)
    return rotation.accept_rotation(profile, offered)


def _keys_named(profile: Profile, name: str) -> list[trust.TrustedKeyInfo]:
    return [k for k in trust.list_keys(profile) if k.name == name]


def test_bundles_signed_before_and_after_a_rotation_both_import(pair, tmp_path):
    dana, lee = pair
    old_fingerprint = dana.keys.fingerprint
    before_school = add_school(dana.profile, "Harbor View Elementary")
    before = dana.bundle(encrypt_to=["Lee"])

    path, done = _rotate(dana, tmp_path)
    assert dana.keys.fingerprint == done.new_fingerprint != old_fingerprint
    after_school = add_school(dana.profile, "Riverside Middle School")
    after = dana.bundle(encrypt_to=["Lee"])
    assert open_envelope(before).signer_key != open_envelope(after).signer_key
    assert open_envelope(after).signer_key == dana.keys.signing_public  # the new key signs

    accepted = _trust_file(lee.profile, path)
    assert "Dana changed keys" in accepted.sentence()
    assert "without comparing fingerprints" in accepted.sentence()

    assert not lee.take(after).already_imported
    assert not lee.take(before).already_imported
    assert school_name(lee.profile, before_school) == "Harbor View Elementary"
    assert school_name(lee.profile, after_school) == "Riverside Middle School"

    danas = {k.fingerprint: k for k in _keys_named(lee.profile, "Dana")}
    assert set(danas) == {old_fingerprint, done.new_fingerprint}
    assert danas[old_fingerprint].replaced and not danas[old_fingerprint].revoked
    assert danas[old_fingerprint].status().startswith("replaced by a newer key")
    assert danas[done.new_fingerprint].status() == "trusted"
    # Bundles for Dana are now encrypted to the new key only.
    recipients = trust.recipients_named(lee.profile, ["Dana"])
    assert [r.key_id for r in recipients] == [dana.keys.key_id]
    assert trust.recipient_names(lee.profile) == ["Dana"]  # offered once in "Export for…"


def test_the_rotating_laptop_keeps_its_old_key_for_what_comes_back(pair, tmp_path):
    dana, lee = pair
    old_key_id = dana.keys.key_id
    add_school(dana.profile, "Harbor View Elementary")
    own_before, _header = build_bundle(dana.profile, dana.keys, trust.own_devices(dana.profile))
    add_school(lee.profile, "Lee's School")
    from_lee = lee.bundle(encrypt_to=["Dana"])  # Lee has not heard of the change yet

    path, _done = _rotate(dana, tmp_path)
    assert _trust_file(dana.profile, path).already  # its own key change, handed back
    mine = {k.key_id: k for k in trust.list_keys(dana.profile) if k.own}
    assert mine[old_key_id].replaced and not mine[old_key_id].this_device
    assert mine[dana.keys.key_id].this_device
    assert trust.own_record(dana.profile).key_id == dana.keys.key_id
    assert trust.recipient_names(dana.profile) == ["Lee"]
    assert [r.key_id for r in trust.own_devices(dana.profile)] == [dana.keys.key_id]

    back = dana.take(own_before)  # signed and encrypted with the old keys: still accepted
    assert not back.already_imported and back.signer_name.startswith("This laptop")
    result = dana.take(from_lee)  # encrypted to the old key: the retired key opens it
    assert result.created.get("organization") == 1


def test_a_rotation_signed_by_an_untrusted_key_is_refused_and_changes_nothing(pair, tmp_path):
    dana, lee = pair
    kim = newcomer(tmp_path, "Kim", [])
    try:
        path, _done = _rotate(kim, tmp_path)
        before_keys = trust.list_keys(lee.profile)
        before = database_bytes_digest(lee.profile)
        with pytest.raises(BundleError) as refused:
            _trust_file(lee.profile, path)
        assert refused.value.code == "unknown_signer"
        assert trust.list_keys(lee.profile) == before_keys
        assert database_bytes_digest(lee.profile) == before
    finally:
        kim.profile.close()


def test_a_rotation_signed_by_a_revoked_key_is_refused(pair, tmp_path):
    dana, lee = pair
    trust.revoke_key(lee.profile, dana.keys.key_id)
    path, _done = _rotate(dana, tmp_path)
    before = database_bytes_digest(lee.profile)
    with pytest.raises(BundleError) as refused:
        _trust_file(lee.profile, path)
    assert refused.value.code == "revoked_signer"
    assert database_bytes_digest(lee.profile) == before
    assert len(_keys_named(lee.profile, "Dana")) == 1


def test_a_tampered_rotation_file_is_refused(pair, tmp_path):
    dana, lee = pair
    path, _done = _rotate(dana, tmp_path)
    data = path.read_bytes()
    before = database_bytes_digest(lee.profile)
    # The header, the new key inside the payload, and the signature.
    for position in (70, len(data) // 2, len(data) - 100, len(data) - 1):
        damaged = bytearray(data)
        damaged[position] ^= 0x04
        with pytest.raises(BundleError) as refused:
            rotation.accept_rotation(lee.profile, rotation.read_key_file(bytes(damaged)))
        assert refused.value.code == "damaged"
    assert database_bytes_digest(lee.profile) == before
    assert len(_keys_named(lee.profile, "Dana")) == 1


def test_the_old_key_alone_cannot_introduce_a_key_it_does_not_hold(pair, tmp_path):
    """Dana's old key signs a change to Lee's key; without Lee's private key there is no proof."""
    dana, lee = pair
    lee_public = trust.read_public_key_file(trust.public_key_file(lee.profile, lee.keys))
    stranger = keys.DeviceKeys.generate(dana.profile.device_id)  # signs in place of Lee's key
    claimed = trust.OfferedKey(
        dana.profile.device_id, "Dana's laptop", lee_public.signing_key, lee_public.encryption_key
    )
    proof = stranger.signing.sign(
        rotation._proof_message(dana.profile.device_id, dana.keys.signing_public, claimed)
    )
    plain = strict_json.dumps(
        {
            "kind": "key_rotation",
            "device_id": dana.profile.device_id,
            "device_name": "Dana's laptop",
            "signing_key": claimed.signing_key.hex(),
            "encryption_key": claimed.encryption_key.hex(),
            "replaces": dana.keys.signing_public.hex(),
            "proof": proof.hex(),
        }
    ).encode()
    forged = trust.seal_keys_bundle(
        dana.keys,
        plain,
        device_name="Dana's laptop",
        bundle_id=new_id(),
        created_hlc=str(dana.profile.clock.now()),
    )
    with pytest.raises(BundleError) as refused:
        rotation.read_key_file(forged)
    assert refused.value.code == "rotation_unproven"


def test_accepting_twice_changes_nothing_and_a_second_successor_opens_a_dispute(pair, tmp_path):
    dana, lee = pair
    old = dana.keys
    path, done = _rotate(dana, tmp_path)
    _trust_file(lee.profile, path)
    before = database_bytes_digest(lee.profile)
    again = _trust_file(lee.profile, path)
    assert again.already and "nothing changed" in again.sentence()
    assert database_bytes_digest(lee.profile) == before

    # Whoever holds the old key makes another successor of it: not refused as second (that
    # would let a thief who is first win), but a dispute: neither new key is trusted until the
    # coach compares fingerprints (tests/unit/sync/test_key_standing.py settles it).
    other = old.successor()
    fork = rotation.rotation_file_bytes(
        old,
        other,
        device_name="Dana's laptop",
        bundle_id=new_id(),
        created_hlc=str(dana.profile.clock.now()),
        signed_up_to=0,
    )
    accepted = rotation.accept_rotation(lee.profile, rotation.read_key_file(fork))
    assert accepted.disputed and "Neither is trusted" in accepted.sentence()
    statuses = {k.fingerprint: k.status() for k in _keys_named(lee.profile, "Dana")}
    assert statuses[done.new_fingerprint].startswith("disputed")
    assert statuses[other.fingerprint].startswith("disputed")
    assert trust.recipient_names(lee.profile) == []


def test_a_rotation_file_is_not_a_public_key_file(pair, tmp_path):
    dana, _lee = pair
    path, _done = _rotate(dana, tmp_path)
    with pytest.raises(BundleError) as refused:
        trust.read_public_key_file(path.read_bytes())
    assert refused.value.code == "wrong_kind"
    body = json.loads(zlib.decompress(bytes(open_envelope(path.read_bytes()).payload)))
    assert body["replaces"] != body["signing_key"]


def test_rotation_with_keys_in_a_passphrase_file(tmp_path, monkeypatch):
    keyring.set_keyring(fail.Keyring())
    monkeypatch.setenv(keys.ENV_PASSPHRASE, "correct horse")
    devices = make_devices(tmp_path, ["Dana", "Lee"])
    dana, lee = devices
    try:
        old = dana.keys
        monkeypatch.setenv(keys.ENV_PASSPHRASE, "wrong")
        with pytest.raises(KeyAccessError, match="does not unlock"):
            rotation.rotate_keys(dana.profile, tmp_path / "r.coachdesk-key")
        assert not (tmp_path / "r.coachdesk-key").exists()
        assert dana.keys.key_id == old.key_id

        monkeypatch.setenv(keys.ENV_PASSPHRASE, "correct horse")
        path, done = _rotate(dana, tmp_path)
        dana.profile.close()
        reopened = Profile(dana.profile.directory)
        try:
            assert keys.device_keys(reopened).fingerprint == done.new_fingerprint
            assert keys.storage_of(reopened).kind == "file"
            key_file = (reopened.directory / keys.KEY_FILE).read_bytes()
            assert keys.device_keys(reopened).signing.private_bytes_raw() not in key_file
        finally:
            reopened.close()
        _trust_file(lee.profile, path)
        assert len(_keys_named(lee.profile, "Dana")) == 2
    finally:
        for d in devices:
            d.profile.close()


def test_when_the_keyring_refuses_the_new_keys_nothing_changes(pair, tmp_path, memory_keyring):
    dana, lee = pair
    old = dana.keys
    before_keys = trust.list_keys(dana.profile)

    def refuse(service, username, password):
        raise RuntimeError("locked")

    memory_keyring.set_password = refuse
    with pytest.raises(KeyAccessError, match="refused to store"):
        rotation.rotate_keys(dana.profile, tmp_path / "r.coachdesk-key")
    assert not (tmp_path / "r.coachdesk-key").exists()
    assert trust.list_keys(dana.profile) == before_keys
    assert keys.device_keys(dana.profile).key_id == old.key_id
    assert trust.own_record(dana.profile).key_id == old.key_id


def test_a_key_change_file_cannot_replace_this_laptops_current_key(pair):
    """Only `keys rotate` changes this laptop's key: it stores the new private key too."""
    dana, _lee = pair
    current = dana.keys
    change = rotation.rotation_file_bytes(
        current,
        current.successor(),
        device_name="Dana's laptop",
        bundle_id=new_id(),
        created_hlc=str(dana.profile.clock.now()),
        signed_up_to=0,
    )
    before = database_bytes_digest(dana.profile)
    with pytest.raises(RefusedInput, match="keys rotate"):
        rotation.accept_rotation(dana.profile, rotation.read_key_file(change))
    assert database_bytes_digest(dana.profile) == before
    assert trust.own_record(dana.profile).key_id == current.key_id
