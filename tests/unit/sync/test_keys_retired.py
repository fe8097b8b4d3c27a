"""Encryption keys replaced by `keys rotate` open bundles sent to them for RETIRED_KEY_GRACE
(90 days after the rotation), and are deleted the first time the keys are opened after that."""

from __future__ import annotations

import datetime as dt
import json

import keyring
import pytest
from keyring.backends import fail

from coachdesk.core.store.profile import Profile
from coachdesk.sync import key_file, keys

ROTATED = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


def _reopen(profile) -> Profile:
    profile.close()
    return Profile(profile.directory)


def _rotate(profile, *, unlock=None):
    old = keys.device_keys(profile, passphrase=(lambda: unlock) if unlock else None)
    new = old.successor(now=ROTATED)
    keys.replace_stored_keys(profile, new, unlock=unlock)
    return old, new


def test_the_grace_period_is_ninety_days():
    assert keys.RETIRED_KEY_GRACE == dt.timedelta(days=90)
    assert "90 days" in keys.__doc__


def test_a_retired_key_opens_bundles_for_ninety_days_then_is_deleted(profile, memory_keyring):
    old, new = _rotate(profile)
    assert new.retired_until() == {old.key_id: ROTATED + 90 * DAY}

    profile = _reopen(profile)
    within = keys.device_keys(profile, now=ROTATED + 89 * DAY)
    assert within.decryption_key_for([old.key_id])[0] == old.key_id
    stored = memory_keyring.secrets[("coachdesk", f"device-keys:{profile.device_id}")]
    assert old.key_id in stored

    profile = _reopen(profile)
    after = keys.device_keys(profile, now=ROTATED + 90 * DAY)
    assert after.key_id == new.key_id
    assert after.retired == () and after.retired_until() == {}
    assert after.decryption_key_for([old.key_id])[0] == new.key_id  # the old one is gone
    stored = memory_keyring.secrets[("coachdesk", f"device-keys:{profile.device_id}")]
    assert old.key_id not in stored  # deleted from the keyring, not only forgotten in memory
    assert "retired" not in json.loads(stored)


def test_two_rotations_keep_each_retired_key_for_its_own_ninety_days(profile, memory_keyring):
    first = keys.device_keys(profile)
    second = first.successor(now=ROTATED)
    third = second.successor(now=ROTATED + 60 * DAY)
    assert third.retired_until() == {
        second.key_id: ROTATED + 150 * DAY,
        first.key_id: ROTATED + 90 * DAY,
    }
    kept = third.within_grace(now=ROTATED + 100 * DAY)
    assert [key_id for key_id, _ in kept.retired] == [second.key_id]
    # a third rotation after the first key's 90 days does not carry it on
    fourth = third.successor(now=ROTATED + 120 * DAY)
    assert [key_id for key_id, _ in fourth.retired] == [third.key_id, second.key_id]


def test_keys_retired_by_0_3_get_their_ninety_days_from_when_they_are_first_seen(
    profile, memory_keyring
):
    old, new = _rotate(profile)
    entry = ("coachdesk", f"device-keys:{profile.device_id}")
    secret = json.loads(memory_keyring.secrets[entry])
    for item in secret["retired"]:
        del item["retired_at"]  # as 0.3 stored them
    memory_keyring.secrets[entry] = json.dumps(secret)

    seen = ROTATED + 400 * DAY
    profile = _reopen(profile)
    first_seen = keys.device_keys(profile, now=seen)
    assert first_seen.retired_until() == {old.key_id: seen + 90 * DAY}  # kept, and now dated
    assert json.loads(memory_keyring.secrets[entry])["retired"][0]["retired_at"]

    profile = _reopen(profile)
    assert keys.device_keys(profile, now=seen + 89 * DAY).retired_until()
    profile = _reopen(profile)
    assert keys.device_keys(profile, now=seen + 91 * DAY).retired == ()


def test_in_a_key_file_the_expired_key_is_deleted_from_the_file(profile, monkeypatch):
    keyring.set_keyring(fail.Keyring())
    monkeypatch.delenv(keys.ENV_PASSPHRASE, raising=False)
    monkeypatch.setattr(key_file, "new_file_cost", key_file.TEST_COST)
    passphrase = "plum lantern orbit quietly"
    keys.device_keys(profile, passphrase=lambda: passphrase)
    old, new = _rotate(profile, unlock=passphrase)
    path = profile.directory / keys.KEY_FILE

    def stored_retired() -> list[str]:
        opened = key_file.read_key_file(path, device=profile.device_id, passphrase=passphrase)
        return [k for k, _ in keys.DeviceKeys.from_secret(opened.secret, new.device_id).retired]

    assert stored_retired() == [old.key_id]
    profile = _reopen(profile)
    keys.device_keys(profile, passphrase=lambda: passphrase, now=ROTATED + 91 * DAY)
    assert stored_retired() == []
    assert old.encryption.private_bytes_raw() not in path.read_bytes()


def test_a_damaged_retirement_date_is_a_damaged_key_store(profile):
    stored = keys.DeviceKeys.generate(profile.device_id).successor(now=ROTATED)
    secret = json.loads(stored.to_secret())
    secret["retired"][0]["retired_at"] = "2026-12-01T09:00:00"  # no time zone
    with pytest.raises(keys.KeyAccessError, match="damaged"):
        keys.DeviceKeys.from_secret(json.dumps(secret), profile.device_id)


def test_the_sentence_says_how_long_replaced_keys_are_kept(profile, memory_keyring):
    assert "for 90 days, then it is deleted" in keys.retired_keys_sentence(
        keys.device_keys(profile)
    )
    _old, new = _rotate(profile)
    sentence = keys.retired_keys_sentence(new)
    assert "until Mar 1, 2027 (90 days after the change)" in sentence
    twice = new.successor(now=ROTATED + 10 * DAY)
    assert "2 replaced encryption keys" in keys.retired_keys_sentence(twice)
    assert "(the last until Mar 11, 2027)" in keys.retired_keys_sentence(twice)
