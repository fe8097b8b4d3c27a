"""Device keys: created once, kept in the keyring or a passphrase-protected file, never in
plaintext, and always honest about where they are."""

from __future__ import annotations

import base64

import keyring
import pytest
from keyring.backends import fail

from coachdesk.core.store.profile import Profile
from coachdesk.sync import keys, trust
from coachdesk.sync.errors import KeyAccessError, PassphraseNeeded


def _reopen(profile) -> Profile:
    profile.close()
    return Profile(profile.directory)


def test_keys_are_created_once_and_kept_in_the_keyring(profile, memory_keyring):
    first = keys.device_keys(profile)
    assert list(memory_keyring.secrets) == [("coachdesk", f"device-keys:{profile.device_id}")]
    again = keys.device_keys(_reopen(profile))
    assert again.key_id == first.key_id and again.encryption_public == first.encryption_public
    assert keys.storage_of(profile).kind == "keyring"
    assert not (profile.directory / keys.KEY_FILE).exists()
    own = trust.own_record(profile)
    assert own.this_device and own.fingerprint == first.fingerprint


def test_a_fingerprint_reads_as_eight_groups_of_five_digits(profile):
    fingerprint = keys.device_keys(profile).fingerprint
    groups = fingerprint.split(" ")
    assert len(groups) == 8 and all(len(g) == 5 and g.isdigit() for g in groups)
    assert keys.normalise_fingerprint(fingerprint.replace(" ", "-")) == fingerprint.replace(" ", "")


def test_without_a_keyring_the_keys_go_to_a_passphrase_file_not_plaintext(profile, monkeypatch):
    keyring.set_keyring(fail.Keyring())
    monkeypatch.delenv(keys.ENV_PASSPHRASE, raising=False)
    with pytest.raises(PassphraseNeeded, match="passphrase"):
        keys.device_keys(profile)
    assert not (profile.directory / keys.KEY_FILE).exists()  # nothing written without one

    created = keys.device_keys(profile, passphrase=lambda: "correct horse battery")
    key_file = (profile.directory / keys.KEY_FILE).read_bytes()
    for secret in (created.signing.private_bytes_raw(), created.encryption.private_bytes_raw()):
        assert secret not in key_file
        assert base64.b64encode(secret) not in key_file
    assert keys.storage_of(profile).kind == "file"
    assert "passphrase" in keys.storage_of(profile).description

    reopened = _reopen(profile)
    with pytest.raises(KeyAccessError, match="does not unlock"):
        keys.device_keys(reopened, passphrase=lambda: "wrong")
    monkeypatch.setenv(keys.ENV_PASSPHRASE, "correct horse battery")
    assert keys.device_keys(reopened).key_id == created.key_id


def test_keys_lost_from_the_keyring_are_reported_not_silently_replaced(profile, memory_keyring):
    keys.device_keys(profile)
    memory_keyring.secrets.clear()
    with pytest.raises(KeyAccessError, match="missing from the system keyring") as refused:
        keys.device_keys(_reopen(profile))
    assert "no key file" in str(refused.value)  # the other place they could have been
    assert list(memory_keyring.secrets) == []  # no new keys made in their place
