"""This device's key pair: Ed25519 to sign bundles, X25519 to receive encrypted ones.

Private keys live in the operating system's keyring (the `keyring` package). Where no keyring
backend works, they live in a file in the profile folder encrypted under a passphrase (scrypt and
AES-256-GCM, coachdesk/sync/key_file.py); the passphrase comes from the app or from
COACHDESK_PASSPHRASE, and a newly chosen one must be hard to guess. They are never written in
plaintext, and `storage_of` always tells where they are. The first time they are used, their
public half goes into the profile's trust list as this laptop's.

After `keys rotate`, the encryption key it replaced is kept for RETIRED_KEY_GRACE (90 days), so
that bundles other laptops encrypted to it before they heard of the change still open; the first
time the keys are opened after that, it is deleted for good.
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

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from coachdesk.sync import key_file
from coachdesk.sync.errors import KeyAccessError, PassphraseNeeded

if TYPE_CHECKING:
    from coachdesk.core.store.profile import Profile

logger = logging.getLogger(__name__)

KEYRING_SERVICE = "coachdesk"
KEY_FILE = "device-keys.enc"
ENV_PASSPHRASE = "COACHDESK_PASSPHRASE"
_KEY_ID_DOMAIN = b"coachdesk key id v1\x00"
# How long an encryption key replaced by `keys rotate` still opens bundles sent to it: long
# enough for every laptop to have imported the key change, short enough that a stolen old key
# stops reading new mail. Counted from the rotation.
RETIRED_KEY_GRACE = dt.timedelta(days=90)

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
    # When each retired key was replaced (key id, ISO time in UTC); kept RETIRED_KEY_GRACE.
    retired_at: tuple[tuple[str, str], ...] = ()

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
            when = dict(self.retired_at)
            secret["retired"] = [
                {"key_id": key_id, "encryption": _b64(private.private_bytes_raw())}
                | ({"retired_at": when[key_id]} if key_id in when else {})
                for key_id, private in self.retired
            ]
        return json.dumps(secret)

    @classmethod
    def from_secret(cls, text: str, device_id: str) -> DeviceKeys:
        try:
            data = json.loads(text)
            if data.get("v") != 1 or data.get("device") != device_id:
                raise ValueError("not this device's keys")
            items = data.get("retired", [])
            retired = tuple(
                (
                    str(item["key_id"]),
                    X25519PrivateKey.from_private_bytes(_unb64(item["encryption"])),
                )
                for item in items
            )
            # Keys retired by 0.3 have no date: their grace period starts when 0.4 first opens them.
            retired_at = tuple(
                (str(item["key_id"]), _utc_text(_parse_time(item["retired_at"])))
                for item in items
                if "retired_at" in item
            )
            return cls(
                device_id,
                Ed25519PrivateKey.from_private_bytes(_unb64(data["signing"])),
                X25519PrivateKey.from_private_bytes(_unb64(data["encryption"])),
                retired,
                retired_at,
            )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise KeyAccessError(
                "This device's stored keys are damaged and cannot be used."
            ) from exc

    @classmethod
    def generate(cls, device_id: str) -> DeviceKeys:
        return cls(device_id, Ed25519PrivateKey.generate(), X25519PrivateKey.generate())

    def successor(self, *, now: dt.datetime | None = None) -> DeviceKeys:
        """Fresh keys for this device that keep the earlier encryption keys as retired (each
        for RETIRED_KEY_GRACE after the rotation that replaced it)."""
        new = DeviceKeys.generate(self.device_id)
        kept = self.within_grace(now=now)
        retired = ((self.key_id, self.encryption), *kept.retired)
        retired_at = ((self.key_id, _utc_text(now or _utcnow())), *kept.retired_at)
        return DeviceKeys(self.device_id, new.signing, new.encryption, retired, retired_at)

    def retired_until(self) -> dict[str, dt.datetime]:
        """When each retired key (by key id) stops opening bundles; a key with no date yet
        (retired by 0.3) is absent until `within_grace` gives it one."""
        return {key_id: _parse_time(when) + RETIRED_KEY_GRACE for key_id, when in self.retired_at}

    def within_grace(self, *, now: dt.datetime | None = None) -> DeviceKeys:
        """These keys without the retired keys whose grace period is over at `now`; a retired
        key with no date (from 0.3) is dated `now`, so its 90 days start when it is first seen."""
        now = now or _utcnow()
        stamped = dict(self.retired_at)
        retired, retired_at = [], []
        for key_id, private in self.retired:
            when = stamped.get(key_id) or _utc_text(now)
            if _parse_time(when) + RETIRED_KEY_GRACE <= now:
                logger.info("deleted retired encryption key %s (retired %s)", key_id, when)
                continue
            retired.append((key_id, private))
            retired_at.append((key_id, when))
        return DeviceKeys(
            self.device_id, self.signing, self.encryption, tuple(retired), tuple(retired_at)
        )


def retired_keys_sentence(keys: DeviceKeys) -> str:
    """What happens to encryption keys replaced by a key change, for `keys show` and rotate."""
    from coachdesk.core.dates_text import local_date, medium_date

    days = RETIRED_KEY_GRACE.days
    until = keys.retired_until()
    if not until:
        return (
            "When this laptop changes its keys, the replaced encryption key still opens bundles "
            f"sent to it for {days} days, then it is deleted."
        )
    last = medium_date(local_date(max(until.values())))
    if len(until) == 1:
        return (
            f"The replaced encryption key still opens bundles sent to it until {last} "
            f"({days} days after the change), then it is deleted."
        )
    return (
        f"{len(until)} replaced encryption keys still open bundles sent to them, each for "
        f"{days} days after its change (the last until {last}), then they are deleted."
    )


@dataclass(frozen=True)
class KeyStorage:
    """Where this device's private keys are kept, in words for the Trust page and `keys show`."""

    kind: str  # "keyring" | "file"
    description: str


# Keys already unlocked in this process, so a passphrase is asked for once per session.
_unlocked: weakref.WeakKeyDictionary[Profile, DeviceKeys] = weakref.WeakKeyDictionary()


def device_keys(
    profile: Profile, *, passphrase: Passphrase | None = None, now: dt.datetime | None = None
) -> DeviceKeys:
    """This device's keys, created on first use; raises KeyAccessError or PassphraseNeeded.

    Where they are: the key file when it exists (it is only written where no keyring worked),
    else the keyring, else nowhere yet (created now) or lost (refused, with where they were
    looked for). The first call in a process also drops retired keys past RETIRED_KEY_GRACE at
    `now` (storing what is left) and makes sure the trust list holds the keys as this laptop's
    (`_list_as_this_laptop`).
    """
    cached = _unlocked.get(profile)
    if cached is not None:
        return cached
    device = profile.device_id
    path = profile.directory / KEY_FILE
    if path.exists():
        unlock = _ask(passphrase, creating=False)
        opened = key_file.read_key_file(path, device=device, passphrase=unlock)
        stored = DeviceKeys.from_secret(opened.secret, device)
        keys = stored.within_grace(now=now)
        if opened.outdated or keys.to_secret() != stored.to_secret():
            _rewrite_key_file(path, keys, unlock)
    elif (in_keyring := _from_keyring(device)) is not None:
        keys = in_keyring.within_grace(now=now)
        if keys.to_secret() != in_keyring.to_secret() and not _store_in_keyring(keys):
            logger.warning("the keyring did not take the keys without their expired retired keys")
    else:
        if _listed_key_id(profile) is not None:
            raise KeyAccessError(_missing_keys_sentence(path))
        keys = DeviceKeys.generate(device)
        if not _store_in_keyring(keys):
            _write_key_file(path, keys, _ask(passphrase, creating=True))
        logger.info("created device keys %s (%s)", keys.key_id, storage_of(profile).kind)
    _list_as_this_laptop(profile, keys)
    _unlocked[profile] = keys
    return keys


def _missing_keys_sentence(path: Path) -> str:
    """Why keys this profile has used (its trust list holds them) cannot be found, truthfully:
    with no working keyring they can only have been in the key file (or a keyring not running
    now); with a keyring, they were in it unless it started working after they were made."""
    if not keyring_works():
        return (
            f"The key file {path} is missing, so bundles cannot be signed or opened on this "
            "laptop. Restore it from a backup of the profile folder, or, if these keys were "
            "kept in a system keyring, start that keyring and try again."
        )
    import keyring

    return (
        "This profile's device keys are missing from the system keyring "
        f"({type(keyring.get_keyring()).__name__}) and there is no key file {path} either, so "
        "bundles cannot be signed or opened on this laptop. Restore the keyring from a backup "
        "of this computer's account, or the key file from a backup of the profile folder."
    )


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
    path = profile.directory / KEY_FILE
    if path.exists():
        return KeyStorage(
            "file", f"in {path}, encrypted with a passphrase (no working system keyring was found)"
        )
    if not keyring_works():  # where they would go, or were before the file went missing
        return KeyStorage(
            "file",
            f"in {path} (not there now), encrypted with a passphrase (no working system "
            "keyring was found)",
        )
    import keyring

    return KeyStorage("keyring", f"in the system keyring ({type(keyring.get_keyring()).__name__})")


def replace_stored_keys(profile: Profile, new: DeviceKeys, *, unlock: str | None) -> None:
    """Store `new` where this profile's keys are kept now (keyring or passphrase file).

    `unlock` is the passphrase from `passphrase_for_replacing` (None for the keyring). Raises
    KeyAccessError when the keys cannot be stored; then nothing was replaced.
    """
    path = profile.directory / KEY_FILE
    if path.exists():
        if unlock is None:
            raise KeyAccessError("The passphrase for this device's keys is needed to replace them.")
        _write_key_file(path, new, unlock)
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
    path = profile.directory / KEY_FILE
    if not path.exists():
        return None
    text = _ask(passphrase, creating=False)
    key_file.read_key_file(path, device=profile.device_id, passphrase=text)  # raises if wrong
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
    """The passphrase from COACHDESK_PASSPHRASE or the caller; a new one must be hard to guess."""
    from_environment = os.environ.get(ENV_PASSPHRASE)
    text = from_environment or (passphrase() if passphrase else None)
    if not text:
        raise PassphraseNeeded(
            "No system keyring works on this computer, so coachdesk keeps this device's keys in "
            "a file protected by a passphrase. "
            + ("Choose a passphrase" if creating else "Enter the passphrase")
            + f" in the app, or set {ENV_PASSPHRASE} for scripts."
        )
    if creating:
        try:
            key_file.check_new_passphrase(text)  # raises WeakPassphrase with zxcvbn's advice
        except key_file.WeakPassphrase as exc:
            if from_environment:  # typing another in the window would not help: say where
                raise key_file.WeakPassphrase(f"{exc} (It is set in {ENV_PASSPHRASE}.)") from None
            raise
    return text


def _write_key_file(path: Path, keys: DeviceKeys, passphrase: str) -> None:
    key_file.write_key_file(path, keys.to_secret(), device=keys.device_id, passphrase=passphrase)
    logger.warning("no working keyring: device keys kept in the passphrase-protected %s", path)


def _rewrite_key_file(path: Path, keys: DeviceKeys, passphrase: str) -> None:
    """Store the keys again in the current format (or without expired retired keys); a folder
    that cannot be written keeps the old file, which still opens."""
    try:
        key_file.write_key_file(
            path, keys.to_secret(), device=keys.device_id, passphrase=passphrase
        )
    except OSError:
        logger.warning("could not rewrite the key file %s; it stays as it was", path, exc_info=True)


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _utc_text(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).isoformat(timespec="seconds")


def _parse_time(text: str) -> dt.datetime:
    when = dt.datetime.fromisoformat(text)
    if when.tzinfo is None:
        raise ValueError("a retired key's time has no time zone")
    return when


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)
