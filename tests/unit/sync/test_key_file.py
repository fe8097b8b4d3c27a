"""The passphrase-protected key file: costs bounded before scrypt runs and bound into the
encryption, a cost of about half a second, strong new passphrases, old files still open, and a
missing file named as missing."""

from __future__ import annotations

import base64
import json
import os

import keyring
import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from keyring.backends import fail

from coachdesk.core.store.profile import Profile
from coachdesk.sync import key_file, keys
from coachdesk.sync.errors import KeyAccessError, PassphraseNeeded

STRONG = "plum lantern orbit quietly"

# Written by coachdesk 0.3's keys._write_key_file (format 1, scrypt n=2**15 r=8 p=1) for the
# device below, with fixed test keys (signing key bytes 0..31) and one retired key "aa" * 16.
LEGACY_DEVICE = "0123456789abcdef0123456789abcdef"
LEGACY_PASSPHRASE = "written by coachdesk 0.3"
LEGACY_KEY_ID = "0d2c35b1812f969cdf6c24b1b4edee46"
LEGACY_FILE = (
    '{"v": 1, "kdf": {"name": "scrypt", "n": 32768, "r": 8, "p": 1}, "salt": '
    '"yyYkI3odZuBkA9rjoXBolw==", "nonce": "GXj7Lhnyruqb/6uV", "sealed": '
    '"JmAvm9h94pTpxE+1ho/SZMaa9a4X2Tu0Y0rbrf1CC9u50NngWfkeX3Q04SaBg3C1YVXJLayLP+adY/RzMfUyOQsUm'
    "pX9+48vEdWDwcsJhfK/YEVk22gRir0APax3g47chVQUcFlZRuPYVysyhedHpCjUtRQ+b2LuM+fUOh/V+HY1cvCxfmf"
    "p6LiZhgTMu25l9eKLTgoGNyR/yAC9/1tr/QQiy/f+vn6JvGGvHPS4VyEIpAbyQ+zdWd1o66Uulft29bmznsuz0sRQX"
    "HabL96gn8KR8t+rTc1czjCALMFfpf9cnJR5hynqIp9aDub4Ui5pH5W3hUG+njsU5p6I5dncyifwm0CCyiNBzEHj3Vt"
    '7nj4oM08JWUyRaNfIVYrvQ+8QSHR56Dwzy9mbjQhe7HrcwxxbZ6vuNW3JeSs="}'
)


@pytest.fixture(autouse=True)
def no_keyring(monkeypatch):
    keyring.set_keyring(fail.Keyring())
    monkeypatch.delenv(keys.ENV_PASSPHRASE, raising=False)
    monkeypatch.setattr(key_file, "new_file_cost", key_file.TEST_COST)


@pytest.fixture
def scrypt_runs(monkeypatch):
    """How many times scrypt was run by the key file."""
    runs: list[tuple[int, int, int]] = []

    def counting(*, salt, length, n, r, p):
        runs.append((n, r, p))
        return Scrypt(salt=salt, length=length, n=n, r=r, p=p)

    monkeypatch.setattr(key_file, "Scrypt", counting)
    return runs


def _reopen(profile) -> Profile:
    profile.close()
    return Profile(profile.directory)


def _file(profile):
    return profile.directory / keys.KEY_FILE


def _edit(path, **kdf):
    data = json.loads(path.read_text(encoding="utf-8"))
    data["kdf"].update(kdf)
    path.write_text(json.dumps(data), encoding="utf-8")


def _write_like_0_3(path, secret: str, device: str, passphrase: str) -> None:
    """The format-1 writer of coachdesk 0.1 to 0.3, as it was."""
    salt, nonce = os.urandom(16), os.urandom(12)
    key = Scrypt(salt=salt, length=32, n=2**15, r=8, p=1).derive(passphrase.encode())
    sealed = AESGCM(key).encrypt(
        nonce, secret.encode(), b"coachdesk device keys v1\x00" + device.encode()
    )
    text = {
        "v": 1,
        "kdf": {"name": "scrypt", "n": 2**15, "r": 8, "p": 1},
        "salt": base64.b64encode(salt).decode(),
        "nonce": base64.b64encode(nonce).decode(),
        "sealed": base64.b64encode(sealed).decode(),
    }
    path.write_text(json.dumps(text), encoding="utf-8")


# --- costs: bounded before scrypt runs, bound into the encryption ----------------------------


@pytest.mark.parametrize(
    "costly",
    [
        {"n": 2**20, "r": 16, "p": 4},  # 2 GiB and about 30 s: accepted by 0.3's bounds
        {"n": 2**18},  # twice the default's memory
        {"p": 3},
        {"r": 16},
        {"n": 2**17 + 1},  # not a power of two
        {"n": 2.0**15},
        {"p": True},
    ],
)
def test_raised_costs_are_refused_as_not_ours_before_scrypt_runs(profile, scrypt_runs, costly):
    made = keys.device_keys(profile, passphrase=lambda: STRONG)
    _edit(_file(profile), **costly)
    scrypt_runs.clear()
    with pytest.raises(KeyAccessError, match="is damaged or was not written by coachdesk"):
        keys.device_keys(_reopen(profile), passphrase=lambda: STRONG)
    assert scrypt_runs == []
    assert made.key_id  # the keys were made, and the edited file was never used


def test_lowered_costs_do_not_open_the_file_even_with_the_right_passphrase(profile, monkeypatch):
    monkeypatch.setattr(key_file, "new_file_cost", key_file.LEGACY_COST)
    keys.device_keys(profile, passphrase=lambda: STRONG)
    _edit(_file(profile), n=2**14)
    with pytest.raises(KeyAccessError, match="does not unlock"):
        keys.device_keys(_reopen(profile), passphrase=lambda: STRONG)


def test_the_costs_are_part_of_what_the_encryption_authenticates(tmp_path):
    """Sealed under the right key, the file opens only if the costs it names were authenticated
    with it: other costs named in the associated data are refused."""
    path = tmp_path / "keys.enc"
    key_file.write_key_file(path, "secret", device="d1", passphrase=STRONG)
    data = json.loads(path.read_text(encoding="utf-8"))
    salt, nonce = base64.b64decode(data["salt"]), base64.b64decode(data["nonce"])
    key = Scrypt(salt=salt, length=32, n=2**14, r=8, p=1).derive(STRONG.encode())

    def sealed_naming(cost: key_file.ScryptCost) -> None:
        aad = b"coachdesk device keys v2\x00d1\x00" + cost.associated() + salt
        sealed = AESGCM(key).encrypt(nonce, b"resealed", aad)
        path.write_text(json.dumps(dict(data, sealed=base64.b64encode(sealed).decode())))

    sealed_naming(key_file.TEST_COST)  # the costs the file names: opens
    assert key_file.read_key_file(path, device="d1", passphrase=STRONG).secret == "resealed"
    for other in (key_file.ScryptCost(2**15, 8, 1), key_file.ScryptCost(2**14, 8, 2)):
        sealed_naming(other)
        with pytest.raises(KeyAccessError, match="does not unlock"):
            key_file.read_key_file(path, device="d1", passphrase=STRONG)


def test_new_key_files_cost_about_half_a_second_within_the_bounds(tmp_path, monkeypatch):
    monkeypatch.setattr(key_file, "new_file_cost", key_file.DEFAULT_COST)
    default = key_file.DEFAULT_COST
    assert default.allowed() and key_file.TEST_COST.allowed() and key_file.LEGACY_COST.allowed()
    assert 128 * default.n * default.r == 128 * 1024 * 1024  # 128 MiB of memory
    assert default.work == 2**21  # 16x the cost 0.3 wrote (2**15 * 8 * 1)
    path = tmp_path / "keys.enc"
    key_file.write_key_file(path, "secret", device="d1", passphrase=STRONG)
    kdf = json.loads(path.read_text(encoding="utf-8"))["kdf"]
    assert (kdf["n"], kdf["r"], kdf["p"]) == (2**17, 8, 2)
    assert [p.name for p in tmp_path.iterdir()] == ["keys.enc"]  # no partial file left
    assert key_file.read_key_file(path, device="d1", passphrase=STRONG).secret == "secret"


def test_a_file_that_is_not_a_key_file_is_refused_with_a_sentence(tmp_path):
    path = tmp_path / "keys.enc"
    for text in ("", "[]", '{"v": 3}', "x" * (key_file.MAX_FILE_BYTES + 1)):
        path.write_text(text, encoding="utf-8")
        with pytest.raises(KeyAccessError, match="was not written by coachdesk"):
            key_file.read_key_file(path, device="d1", passphrase=STRONG)


# --- files written by 0.1 to 0.3 ----------------------------------------------------------------


def test_a_key_file_written_by_0_3_still_opens(tmp_path):
    path = tmp_path / "device-keys.enc"
    path.write_text(LEGACY_FILE, encoding="utf-8")
    opened = key_file.read_key_file(path, device=LEGACY_DEVICE, passphrase=LEGACY_PASSPHRASE)
    assert opened.outdated
    stored = keys.DeviceKeys.from_secret(opened.secret, LEGACY_DEVICE)
    assert stored.key_id == LEGACY_KEY_ID
    assert [key_id for key_id, _ in stored.retired] == ["aa" * 16]
    with pytest.raises(KeyAccessError, match="does not unlock"):
        key_file.read_key_file(path, device=LEGACY_DEVICE, passphrase="written by coachdesk 0.2")


def test_an_old_key_file_is_rewritten_in_the_new_format_when_opened(profile):
    secret = keys.DeviceKeys.generate(profile.device_id)
    # A 0.3 file may have a passphrase that would not be accepted as a new one today.
    _write_like_0_3(_file(profile), secret.to_secret(), profile.device_id, "open sesame 1")
    opened = keys.device_keys(profile, passphrase=lambda: "open sesame 1")
    assert opened.key_id == secret.key_id
    data = json.loads(_file(profile).read_text(encoding="utf-8"))
    assert data["v"] == 2
    again = keys.device_keys(_reopen(profile), passphrase=lambda: "open sesame 1")
    assert again.key_id == secret.key_id
    assert secret.signing.private_bytes_raw() not in _file(profile).read_bytes()


# --- a passphrase chosen now must be hard to guess ---------------------------------------------


def test_a_weak_new_passphrase_is_refused_with_zxcvbns_advice(profile):
    with pytest.raises(key_file.WeakPassphrase) as refused:
        keys.device_keys(profile, passphrase=lambda: "p")
    assert str(refused.value) == (
        "This passphrase is too easy to guess: Add another word or two. Uncommon words are better."
    )
    assert isinstance(refused.value, PassphraseNeeded)  # the window asks again
    assert not _file(profile).exists()
    with pytest.raises(key_file.WeakPassphrase, match="similar to a commonly used password"):
        keys.device_keys(profile, passphrase=lambda: "Password1!")
    assert keys.device_keys(profile, passphrase=lambda: STRONG).key_id


def test_a_weak_passphrase_from_the_environment_is_refused_too(profile, monkeypatch):
    monkeypatch.setenv(keys.ENV_PASSPHRASE, "qwertyuiop")
    with pytest.raises(key_file.WeakPassphrase, match="top-100 common password"):
        keys.device_keys(profile)
    assert not _file(profile).exists()


def test_the_passphrase_that_opens_an_existing_file_is_never_judged(profile):
    key_file.write_key_file(
        _file(profile),
        keys.DeviceKeys.generate(profile.device_id).to_secret(),
        device=profile.device_id,
        passphrase="p",
    )
    assert keys.device_keys(profile, passphrase=lambda: "p").device_id == profile.device_id
    assert keys.passphrase_for_replacing(profile, lambda: "p") == "p"


# --- a missing key file is named as missing ---------------------------------------------------


def test_a_missing_key_file_is_named_as_missing_not_as_the_keyring(profile):
    keys.device_keys(profile, passphrase=lambda: STRONG)
    _file(profile).unlink()
    reopened = _reopen(profile)
    with pytest.raises(KeyAccessError) as refused:
        keys.device_keys(reopened, passphrase=lambda: STRONG)
    sentence = str(refused.value)
    assert sentence.startswith(f"The key file {_file(profile)} is missing")
    assert "backup of the profile folder" in sentence
    assert "missing from the keyring" not in sentence
    assert not _file(profile).exists()  # no new keys made in its place
    storage = keys.storage_of(reopened)
    assert storage.kind == "file" and "(not there now)" in storage.description
