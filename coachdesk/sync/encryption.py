"""Payload encryption to named recipients: X25519 + HKDF-SHA256 + AES-256-GCM.

A random content key encrypts the payload once; for each recipient the content key is wrapped
under a key agreed between a one-off (ephemeral) X25519 key and the recipient's X25519 key.
The header that lists the wrapped keys is signed with the rest of the bundle.
"""

from __future__ import annotations

import base64
import binascii
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from coachdesk.sync.errors import BundleError
from coachdesk.sync.header import BundleHeader, Recipient

_WRAP_INFO = b"coachdesk bundle key wrap v1"
_PAYLOAD_AAD = b"coachdesk bundle payload v1\x00"


@dataclass(frozen=True)
class RecipientKey:
    """Someone a bundle is encrypted to."""

    key_id: str
    name: str
    encryption_public: bytes  # X25519, raw


@dataclass(frozen=True)
class Sealed:
    ciphertext: bytes
    ephemeral_key: str
    nonce: str
    recipients: tuple[Recipient, ...]


def _wrapping_key(shared: bytes, ephemeral_public: bytes, recipient_public: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=ephemeral_public + recipient_public,
        info=_WRAP_INFO,
    ).derive(shared)


def encrypt_payload(plain: bytes, recipients: list[RecipientKey], *, bundle_id: str) -> Sealed:
    """Encrypt plain for every recipient; each can unwrap the one content key."""
    if not recipients:
        raise ValueError("an encrypted bundle needs at least one recipient")
    content_key = AESGCM.generate_key(bit_length=256)
    nonce = os.urandom(12)
    ciphertext = AESGCM(content_key).encrypt(nonce, plain, _PAYLOAD_AAD + bundle_id.encode())
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes_raw()
    wrapped = []
    for r in recipients:
        shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(r.encryption_public))
        key = _wrapping_key(shared, ephemeral_public, r.encryption_public)
        wrap_nonce = os.urandom(12)
        sealed_key = AESGCM(key).encrypt(
            wrap_nonce, content_key, f"{bundle_id}:{r.key_id}".encode()
        )
        wrapped.append(Recipient(r.key_id, r.name, _b64(wrap_nonce), _b64(sealed_key)))
    return Sealed(ciphertext, _b64(ephemeral_public), _b64(nonce), tuple(wrapped))


def decrypt_payload(
    ciphertext: bytes | memoryview,
    header: BundleHeader,
    *,
    key_id: str,
    private_key: X25519PrivateKey,
) -> bytes:
    """The plain payload, for the recipient holding `private_key`; raises BundleError."""
    mine = [r for r in header.recipients if r.key_id == key_id]
    if not mine:
        names = ", ".join(sorted({r.name for r in header.recipients})) or "nobody"
        raise BundleError("not_for_you", f"It is for: {names}.")
    try:
        ephemeral_public = _unb64(header.ephemeral_key or "")
        my_public = private_key.public_key().public_bytes_raw()
        shared = private_key.exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
        key = _wrapping_key(shared, ephemeral_public, my_public)
        content_key = AESGCM(key).decrypt(
            _unb64(mine[0].nonce),
            _unb64(mine[0].wrapped_key),
            f"{header.bundle_id}:{key_id}".encode(),
        )
        return AESGCM(content_key).decrypt(
            _unb64(header.payload_nonce or ""),
            bytes(ciphertext),
            _PAYLOAD_AAD + header.bundle_id.encode(),
        )
    except (InvalidTag, ValueError, binascii.Error):
        raise BundleError("cannot_decrypt") from None


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)
