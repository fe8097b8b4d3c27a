"""This device's key pair: Ed25519 to sign bundles, X25519 to receive encrypted ones.

Private keys live in the operating system's keyring (the `keyring` package). Where no keyring
backend works, they live in a file in the profile folder encrypted under a passphrase (scrypt and
AES-256-GCM); the passphrase comes from the app or from COACHDESK_PASSPHRASE. They are never
written in plaintext, and `storage_of` always tells where they are. The first time they are
used, their public half goes into the profile's trust list as this laptop's.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import logging
import os
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from coachdesk.sync.errors import KeyAccessError, PassphraseNeeded

if TYPE_CHECKING:
    from coachdesk.core.store.profile import Profile

logger = logging.getLogger(__name__)

KEYRING_SERVICE = "coachdesk"
KEY_FILE = "device-keys.enc"
ENV_PASSPHRASE = "COACHDESK_PASSPHRASE"
_KEY_ID_DOMAIN = b"coachdesk key id v1\x00"
_FILE_AAD = b"coachdesk device keys v1\x00"
# scrypt cost: about 0.1 s and 32 MB on a laptop; the file only guards two 32-byte keys.
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**15, 8, 1

Passphrase = Callable[[], "str | None"]


def key_id_of(signing_public: bytes) -> str:
    """The stable id of a signing key (hex), used in bundle headers and the trust list."""
    return hashlib.sha256(_KEY_ID_DOMAIN + signing_public).hexdigest()[:32]


def fingerprint_of(signing_public: bytes) -> str:
    """The key's fingerprint as 8 groups of 5 digits, easy to compare aloud."""
    digest = hashlib.sha256(_KEY_ID_DOMAIN + signing_public).digest()
    groups = [int.from_bytes(digest[i : i + 4], "big") % 100_000 for i in range(0, 32, 4)]
    return " ".join(f"{g:05d}" for g in groups)


def normalise_fingerprint(text: str) -> str:
    """Digits only, so that people may type a fingerprint with or without spaces."""
    return "".join(ch for ch in text if ch.isdigit())


@dataclass(frozen=True)
class DeviceKeys:
    """This device's private keys and what can be derived from them."""

    device_id: str
    signing: Ed25519PrivateKey
    encryption: X25519PrivateKey
    # Encryption keys this device used before a rotation, by key id: bundles other laptops
    # encrypted to an earlier key (before they heard of the change) still open here.
    retired: tuple[tuple[str, X25519PrivateKey], ...] = ()

    @property
    def signing_public(self) -> bytes:
        return self.signing.public_key().public_bytes_raw()

    @property
    def encryption_public(self) -> bytes:
        return self.encryption.public_key().public_bytes_raw()

    @property
    def key_id(self) -> str:
        return key_id_of(self.signing_public)

    @property
    def fingerprint(self) -> str:
        return fingerprint_of(self.signing_public)

    def decryption_key_for(self, key_ids: Iterable[str]) -> tuple[str, X25519PrivateKey]:
        """The (key id, private key) to open a bundle encrypted to these key ids: the current
        key when it is among them, else a retired one; the current key when none is."""
        wanted = set(key_ids)
        if self.key_id not in wanted:
            for key_id, private in self.retired:
                if key_id in wanted:
                    return key_id, private
        return self.key_id, self.encryption

    def to_secret(self) -> str:
        secret: dict[str, object] = {
            "v": 1,
            "device": self.device_id,
            "signing": _b64(self.signing.private_bytes_raw()),
            "encryption": _b64(self.encryption.private_bytes_raw()),
        }
        if self.retired:  # absent otherwise, so keys that were never rotated read as before
            secret["retired"] = [
                {"key_id": key_id, "encryption": _b64(private.private_bytes_raw())}
                for key_id, private in self.retired
            ]
        return json.dumps(secret)

    @classmethod
    def from_secret(cls, text: str, device_id: str) -> DeviceKeys:
        try:
            data = json.loads(text)
            if data.get("v") != 1 or data.get("device") != device_id:
                raise ValueError("not this device's keys")
            retired = tuple(
                (
                    str(item["key_id"]),
                    X25519PrivateKey.from_private_bytes(_unb64(item["encryption"])),
                )
                for item in data.get("retired", [])
            )
            return cls(
                device_id,
                Ed25519PrivateKey.from_private_bytes(_unb64(data["signing"])),
                X25519PrivateKey.from_private_bytes(_unb64(data["encryption"])),
                retired,
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise KeyAccessError(
                "This device's stored keys are damaged and cannot be used."
            ) from exc

    @classmethod
    def generate(cls, device_id: str) -> DeviceKeys:
        return cls(device_id, Ed25519PrivateKey.generate(), X25519PrivateKey.generate())

    def successor(self) -> DeviceKeys:
        """Fresh keys for this device that keep every earlier encryption key as retired."""
        new = DeviceKeys.generate(self.device_id)
        retired = ((self.key_id, self.encryption), *self.retired)
        return DeviceKeys(self.device_id, new.signing, new.encryption, retired)


@dataclass(frozen=True)
class KeyStorage:
    """Where this device's private keys are kept, in words for the Trust page and `keys show`."""

    kind: str  # "keyring" | "file"
    description: str


# Keys already unlocked in this process, so a passphrase is asked for once per session.
_unlocked: weakref.WeakKeyDictionary[Profile, DeviceKeys] = weakref.WeakKeyDictionary()


def device_keys(profile: Profile, *, passphrase: Passphrase | None = None) -> DeviceKeys:
    """This device's keys, created on first use; raises KeyAccessError or PassphraseNeeded.

    The first call in a process also makes sure the trust list holds them as this laptop's
    (`_list_as_this_laptop`).
    """
    cached = _unlocked.get(profile)
    if cached is not None:
        return cached
    device = profile.device_id
    key_file = profile.directory / KEY_FILE
    if key_file.exists():
        keys = _read_key_file(key_file, device, _ask(passphrase, creating=False))
    elif (stored := _from_keyring(device)) is not None:
        keys = stored
    else:
        if _listed_key_id(profile) is not None:
            raise KeyAccessError(
                "This profile's device keys are missing from the keyring, so bundles "
                "cannot be signed or opened. Restore the keyring from a backup of this "
                "computer's account."
            )
        keys = DeviceKeys.generate(device)
        if not _store_in_keyring(keys):
            _write_key_file(key_file, keys, _ask(passphrase, creating=True))
        logger.info("created device keys %s (%s)", keys.key_id, storage_of(profile).kind)
    _list_as_this_laptop(profile, keys)
    _unlocked[profile] = keys
    return keys


# --- this laptop's row in the trust list -------------------------------------------------------
# The one row of the trust list this module writes: it is these keys' public half. Everything
# else about the list (reading it, other laptops' keys, revoking) is coachdesk/sync/trust.py's,
# which imports this module and never the other way round.


def _listed_key_id(profile: Profile) -> str | None:
    """The key id the trust list holds as this laptop's current key, if any."""
    from sqlalchemy import select

    from coachdesk.core.store.sync_tables import TrustedKey

    with profile.reading() as session:
        return session.execute(
            select(TrustedKey.key_id).where(TrustedKey.this_device.is_(True))
        ).scalar_one_or_none()


def _list_as_this_laptop(profile: Profile, keys: DeviceKeys) -> None:
    """Put this device's public keys in the trust list as this laptop's (once)."""
    from sqlalchemy import select

    from coachdesk.core.store.schema import ThisDevice
    from coachdesk.core.store.sync_tables import TrustedKey

    with profile.reading() as session:
        if session.get(TrustedKey, keys.key_id) is not None:
            return
    with profile.writing() as write:
        device = write.session.get(ThisDevice, keys.device_id)
        device_name = device.name if device else "this laptop"
        # One current key per laptop: keys it held before (a rotation) stay trusted, not current.
        for earlier in write.session.execute(
            select(TrustedKey).where(TrustedKey.this_device.is_(True))
        ).scalars():
            earlier.this_device = False
        write.session.add(
            TrustedKey(
                key_id=keys.key_id,
                name=f"This laptop ({device_name})",
                device_id=keys.device_id,
                device_name=device_name,
                signing_key=keys.signing_public.hex(),
                encryption_key=keys.encryption_public.hex(),
                own=True,
                this_device=True,
                trusted_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            )
        )


def storage_of(profile: Profile) -> KeyStorage:
    """Where this profile's private keys are (or would be) kept."""
    key_file = profile.directory / KEY_FILE
    if key_file.exists():
        return KeyStorage(
            "file",
            f"in {key_file}, encrypted with a passphrase (no working system keyring was found)",
        )
    import keyring

    return KeyStorage("keyring", f"in the system keyring ({type(keyring.get_keyring()).__name__})")


def replace_stored_keys(profile: Profile, new: DeviceKeys, *, unlock: str | None) -> None:
    """Store `new` where this profile's keys are kept now (keyring or passphrase file).

    `unlock` is the passphrase from `passphrase_for_replacing` (None for the keyring). Raises
    KeyAccessError when the keys cannot be stored; then nothing was replaced.
    """
    key_file = profile.directory / KEY_FILE
    if key_file.exists():
        if unlock is None:
            raise KeyAccessError("The passphrase for this device's keys is needed to replace them.")
        _write_key_file(key_file, new, unlock)
    elif not _store_in_keyring(new):
        raise KeyAccessError(
            "The system keyring refused to store the new keys, so nothing was changed. Unlock "
            "the keyring and try again."
        )
    _unlocked[profile] = new


def passphrase_for_replacing(profile: Profile, passphrase: Passphrase | None) -> str | None:
    """The passphrase that protects the key file (checked against it), or None for the keyring.

    Asked before anything is written, so a wrong or missing passphrase changes nothing.
    """
    key_file = profile.directory / KEY_FILE
    if not key_file.exists():
        return None
    text = _ask(passphrase, creating=False)
    _read_key_file(key_file, profile.device_id, text)  # raises when it does not unlock
    return text


# --- the keyring --------------------------------------------------------------------------------


def keyring_works() -> bool:
    """True when the keyring backend is a real one that answers."""
    import keyring
    from keyring.backends import fail, null

    backend = keyring.get_keyring()
    if isinstance(backend, (fail.Keyring, null.Keyring)):
        return False
    if getattr(backend, "backends", None) == []:  # a chainer with nothing to chain
        return False
    try:
        backend.get_password(KEYRING_SERVICE, "probe")
    except Exception:  # any backend failure means "does not work here"
        logger.info("keyring backend %s does not answer", type(backend).__name__, exc_info=True)
        return False
    return True


def _entry(device: str) -> str:
    return f"device-keys:{device}"


def _from_keyring(device: str) -> DeviceKeys | None:
    if not keyring_works():
        return None
    import keyring

    try:
        secret = keyring.get_password(KEYRING_SERVICE, _entry(device))
    except Exception as exc:
        raise KeyAccessError(
            f"The system keyring refused to give this device's keys ({exc}). Unlock the keyring "
            "and try again."
        ) from exc
    return DeviceKeys.from_secret(secret, device) if secret else None


def _store_in_keyring(keys: DeviceKeys) -> bool:
    if not keyring_works():
        return False
    import keyring

    try:
        keyring.set_password(KEYRING_SERVICE, _entry(keys.device_id), keys.to_secret())
        # A backend that accepts a secret and forgets it is no keyring: check it stuck.
        stored = keyring.get_password(KEYRING_SERVICE, _entry(keys.device_id))
    except Exception:
        logger.warning("the keyring refused to store the device keys", exc_info=True)
        return False
    return stored == keys.to_secret()


# --- the passphrase-protected file ---------------------------------------------------------------


def _ask(passphrase: Passphrase | None, *, creating: bool) -> str:
    text = os.environ.get(ENV_PASSPHRASE) or (passphrase() if passphrase else None)
    if not text:
        raise PassphraseNeeded(
            "No system keyring works on this computer, so coachdesk keeps this device's keys in "
            "a file protected by a passphrase. "
            + ("Choose a passphrase" if creating else "Enter the passphrase")
            + f" in the app, or set {ENV_PASSPHRASE} for scripts."
        )
    return text


def _kdf(passphrase: str, salt: bytes) -> bytes:
    return Scrypt(salt=salt, length=32, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P).derive(
        passphrase.encode("utf-8")
    )


def _write_key_file(path: Path, keys: DeviceKeys, passphrase: str) -> None:
    salt, nonce = os.urandom(16), os.urandom(12)
    sealed = AESGCM(_kdf(passphrase, salt)).encrypt(
        nonce, keys.to_secret().encode("utf-8"), _FILE_AAD + keys.device_id.encode()
    )
    text = json.dumps(
        {
            "v": 1,
            "kdf": {"name": "scrypt", "n": _SCRYPT_N, "r": _SCRYPT_R, "p": _SCRYPT_P},
            "salt": _b64(salt),
            "nonce": _b64(nonce),
            "sealed": _b64(sealed),
        }
    )
    partial = path.with_name(path.name + ".partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)
    logger.warning("no working keyring: device keys kept in the passphrase-protected %s", path)


def _read_key_file(path: Path, device: str, passphrase: str) -> DeviceKeys:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        kdf = data["kdf"]
        if data["v"] != 1 or kdf["name"] != "scrypt":
            raise ValueError("unknown key file version")
        # Bounded costs: a tampered file must not make the app allocate gigabytes.
        if not (2**14 <= kdf["n"] <= 2**20 and 1 <= kdf["r"] <= 16 and 1 <= kdf["p"] <= 4):
            raise ValueError("key file costs out of range")
        key = Scrypt(
            salt=_unb64(data["salt"]), length=32, n=kdf["n"], r=kdf["r"], p=kdf["p"]
        ).derive(passphrase.encode("utf-8"))
        plain = AESGCM(key).decrypt(
            _unb64(data["nonce"]), _unb64(data["sealed"]), _FILE_AAD + device.encode()
        )
    except InvalidTag as exc:
        raise KeyAccessError(
            "That passphrase does not unlock this device's keys. Try again."
        ) from exc
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise KeyAccessError(f"The key file {path} is damaged and cannot be used.") from exc
    return DeviceKeys.from_secret(plain.decode("utf-8"), device)


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)
