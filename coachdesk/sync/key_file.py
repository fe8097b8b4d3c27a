"""The passphrase-protected key file: scrypt with bounded, authenticated costs, and AES-256-GCM.

Used by coachdesk/sync/keys.py where no system keyring works. This module only seals and opens
the secret text (it knows nothing of key pairs), and judges a newly chosen passphrase.

Format 2 (0.4 and later) binds the scrypt costs and the salt into the AES-GCM associated data,
so a file whose costs were edited does not open, and every cost is checked against fixed bounds
before scrypt runs, so an edited file cannot make the app allocate gigabytes or think for
seconds before saying anything. Format 1 (0.1 to 0.3) did not bind the costs; it is still read,
within the same bounds, and rewritten as format 2 the first time it is opened.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from coachdesk.sync.errors import KeyAccessError, PassphraseNeeded

logger = logging.getLogger(__name__)

_AAD_V1 = b"coachdesk device keys v1\x00"
_AAD_V2 = b"coachdesk device keys v2\x00"
_SALT_BYTES, _NONCE_BYTES, _TAG_BYTES = 16, 12, 16
# Two 32-byte keys and, after many rotations, their retired encryption keys: far below this.
MAX_FILE_BYTES = 1024 * 1024
# zxcvbn scores 0 (guessed at once) to 4; 3 is "safely unguessable" for an offline attack on a
# slow hash such as this scrypt (about 10^10 guesses). Checked on the first 100 characters only:
# zxcvbn slows down on long inputs, and 100 characters of passphrase is never the weak point.
MIN_STRENGTH = 3
_STRENGTH_CHARS = 100


@dataclass(frozen=True)
class ScryptCost:
    """scrypt's cost parameters: memory is 128 * n * r bytes, time grows with n * r * p."""

    n: int
    r: int
    p: int

    def allowed(self) -> bool:
        """Within the fixed bounds: no more than DEFAULT_COST, no less than 16 MiB of memory."""
        return self.n in _ALLOWED_N and self.r == 8 and 1 <= self.p <= 2 and self.work <= _MAX_WORK

    @property
    def work(self) -> int:
        return self.n * self.r * self.p

    def associated(self) -> bytes:
        return f"scrypt n={self.n} r={self.r} p={self.p}\x00".encode("ascii")


# About 0.5 s and 128 MiB: measured 0.48 s (0.476-0.489 s over three runs) on this project's
# build machine (one AMD EPYC core, cryptography 50 / OpenSSL); n=2**18, p=1 took 0.57 s and
# twice the memory, too much for an old 4 GB laptop. OpenSSL runs p's lanes one after another.
DEFAULT_COST = ScryptCost(n=2**17, r=8, p=2)
# What 0.1 to 0.3 wrote (about 0.07 s here); still accepted.
LEGACY_COST = ScryptCost(n=2**15, r=8, p=1)
# The cheapest cost the bounds accept (about 0.03 s), for tests only: see `new_file_cost`.
TEST_COST = ScryptCost(n=2**14, r=8, p=1)
_ALLOWED_N = frozenset(2**k for k in range(14, 18))
_MAX_WORK = DEFAULT_COST.work

# The cost new key files are written with. Test hook: tests may set it to TEST_COST
# (monkeypatch.setattr(key_file, "new_file_cost", key_file.TEST_COST)) so that each key file
# costs 0.03 s instead of 0.5 s; the bounds accept both, and nothing else changes it.
new_file_cost = DEFAULT_COST


class WeakPassphrase(PassphraseNeeded):
    """A newly chosen passphrase is too easy to guess; the text is zxcvbn's advice."""


def check_new_passphrase(passphrase: str) -> None:
    """Refuse a newly chosen passphrase that zxcvbn scores below MIN_STRENGTH, with its advice.

    Only for a passphrase being chosen; one typed to open an existing file is never judged.
    """
    from zxcvbn import zxcvbn

    result = zxcvbn(passphrase[:_STRENGTH_CHARS])
    if result["score"] >= MIN_STRENGTH:
        return
    feedback = result.get("feedback") or {}
    advice = [feedback.get("warning") or "", *(feedback.get("suggestions") or [])]
    words = " ".join(a.strip() for a in advice if a and a.strip())
    raise WeakPassphrase(
        "This passphrase is too easy to guess: "
        + (words or "Add another word or two. Uncommon words are better.")
    )


@dataclass(frozen=True)
class Opened:
    """A key file's secret text, and whether the file should be rewritten in the current format."""

    secret: str
    outdated: bool


def write_key_file(path: Path, secret: str, *, device: str, passphrase: str) -> None:
    """Seal `secret` under `passphrase` into `path` (owner-only, replaced whole, never partial)."""
    cost = new_file_cost
    salt, nonce = os.urandom(_SALT_BYTES), os.urandom(_NONCE_BYTES)
    sealed = AESGCM(_derive(passphrase, salt, cost)).encrypt(
        nonce, secret.encode("utf-8"), _associated_v2(device, cost, salt)
    )
    text = json.dumps(
        {
            "v": 2,
            "kdf": {"name": "scrypt", "n": cost.n, "r": cost.r, "p": cost.p},
            "salt": _b64(salt),
            "nonce": _b64(nonce),
            "sealed": _b64(sealed),
        }
    )
    # One name per writer: the window and a command (or two threads) may both rewrite the file.
    partial = path.with_name(f"{path.name}.{os.getpid()}-{threading.get_ident()}.partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)


def read_key_file(path: Path, *, device: str, passphrase: str) -> Opened:
    """The secret text sealed in `path`; KeyAccessError with a sentence when it cannot be had.

    The file's format and costs are checked before scrypt runs: a file outside the bounds is
    "damaged or not written by coachdesk", never a slow "wrong passphrase".
    """
    version, cost, salt, nonce, sealed = _parse(path)
    associated = (_AAD_V1 + device.encode()) if version == 1 else _associated_v2(device, cost, salt)
    try:
        plain = AESGCM(_derive(passphrase, salt, cost)).decrypt(nonce, sealed, associated)
    except InvalidTag as exc:
        raise KeyAccessError(
            "That passphrase does not unlock this device's keys. Try again."
        ) from exc
    try:
        secret = plain.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _not_ours(path) from exc
    return Opened(secret, outdated=version != 2 or cost != new_file_cost)


def _parse(path: Path) -> tuple[int, ScryptCost, bytes, bytes, bytes]:
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise KeyAccessError(f"The key file {path} could not be read ({exc}).") from exc
    if len(raw) > MAX_FILE_BYTES:
        raise _not_ours(path)
    try:
        data = json.loads(raw.decode("utf-8"))
        kdf = data["kdf"]
        version = data["v"]
        if type(version) is not int or version not in (1, 2) or kdf["name"] != "scrypt":
            raise ValueError("unknown key file format")
        numbers = (kdf["n"], kdf["r"], kdf["p"])
        if any(type(x) is not int for x in numbers):  # not bool, not float
            raise ValueError("key file costs are not whole numbers")
        cost = ScryptCost(*numbers)
        salt, nonce, sealed = _unb64(data["salt"]), _unb64(data["nonce"]), _unb64(data["sealed"])
    except (ValueError, KeyError, TypeError, AttributeError, binascii.Error) as exc:
        raise _not_ours(path) from exc
    if not cost.allowed() or (version == 1 and cost != LEGACY_COST):
        logger.warning("key file %s asks for scrypt costs outside the bounds: %s", path, cost)
        raise _not_ours(path)
    if len(salt) != _SALT_BYTES or len(nonce) != _NONCE_BYTES or len(sealed) <= _TAG_BYTES:
        raise _not_ours(path)
    return version, cost, salt, nonce, sealed


def _not_ours(path: Path) -> KeyAccessError:
    return KeyAccessError(
        f"The key file {path} is damaged or was not written by coachdesk, so it was not used. "
        "Restore it from a backup of the profile folder."
    )


def _associated_v2(device: str, cost: ScryptCost, salt: bytes) -> bytes:
    return _AAD_V2 + device.encode() + b"\x00" + cost.associated() + salt


def _derive(passphrase: str, salt: bytes, cost: ScryptCost) -> bytes:
    if not cost.allowed():  # never run scrypt on costs outside the bounds, whoever asks
        raise ValueError(f"scrypt costs outside the bounds: {cost}")
    return Scrypt(salt=salt, length=32, n=cost.n, r=cost.r, p=cost.p).derive(
        passphrase.encode("utf-8")
    )


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)
