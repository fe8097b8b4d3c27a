"""The bundle file: one signed blob (DESIGN.md section 5, THREATS.md).

    offset  size  field
    0       8     magic b"\\x89CDBNDL\\n"
    8       2     format major (big-endian)
    10      2     format minor
    12      16    oldest coachdesk that reads this major, ASCII, NUL-padded
    28      32    the signer's Ed25519 public key
    60      4     header length H
    64      H     header, UTF-8 JSON
    64+H    8     payload length P
    72+H    P     payload (zlib NDJSON, perhaps AES-256-GCM encrypted)
    end-64  64    Ed25519 signature over DOMAIN + SHA-256(every byte above)

Every byte is signed, so a flipped bit anywhere is caught by one hash and one signature check,
before anything is parsed. The signer's key sits at a fixed place inside the signed bytes: it
says which key to check with, and the check then proves it. Only a newer major version is
refused before the check, because its signature scheme may differ; refusing decides nothing.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from coachdesk.sync.errors import BundleError

MAGIC = b"\x89CDBNDL\n"
FORMAT_MAJOR = 1
FORMAT_MINOR = 1  # 1 (0.4.0): the signing counter in the header, segments in the payload
READER_SINCE = "0.1.0"  # the first coachdesk that reads format major 1
DOMAIN = b"coachdesk bundle signature v1\x00"
PREFIX = struct.Struct(">8sHH16s32sI")
PAYLOAD_LENGTH = struct.Struct(">Q")
SIGNATURE_SIZE = 64
SMALLEST = PREFIX.size + PAYLOAD_LENGTH.size + SIGNATURE_SIZE
MAX_BUNDLE_BYTES = 256 * 1024 * 1024
MAX_HEADER_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Envelope:
    """A bundle whose signature has been checked; nothing in it has been parsed yet."""

    signer_key: bytes  # Ed25519 public key, raw
    major: int
    minor: int
    header: bytes
    payload: memoryview
    signed_sha256: str  # of every signed byte: the bundle's own fingerprint in the ledger


def seal(header: bytes, payload: bytes, signing_key: Ed25519PrivateKey) -> bytes:
    """The complete signed bundle for an encoded header and payload."""
    if len(header) > MAX_HEADER_BYTES:
        raise ValueError("bundle header too large")
    signer = signing_key.public_key().public_bytes_raw()
    body = b"".join(
        (
            PREFIX.pack(
                MAGIC, FORMAT_MAJOR, FORMAT_MINOR, READER_SINCE.encode(), signer, len(header)
            ),
            header,
            PAYLOAD_LENGTH.pack(len(payload)),
            payload,
        )
    )
    signature = signing_key.sign(DOMAIN + hashlib.sha256(body).digest())
    return body + signature


def open_envelope(data: bytes) -> Envelope:
    """Check the signature over every byte and split the bundle; raises BundleError."""
    if len(data) > MAX_BUNDLE_BYTES:
        raise BundleError("too_large")
    view = memoryview(data)
    if len(data) < len(MAGIC) or bytes(view[: len(MAGIC)]) != MAGIC:
        raise BundleError("not_a_bundle")
    if len(data) < SMALLEST:
        raise BundleError("damaged")
    magic, major, minor, since, signer, header_length = PREFIX.unpack_from(view)
    if major > FORMAT_MAJOR:
        raise BundleError("newer_format", _needs(since))
    body = view[:-SIGNATURE_SIZE]
    digest = hashlib.sha256(body).digest()
    try:
        Ed25519PublicKey.from_public_bytes(signer).verify(
            bytes(view[-SIGNATURE_SIZE:]), DOMAIN + digest
        )
    except (InvalidSignature, ValueError):
        raise BundleError("damaged") from None
    # From here every byte is the signer's: a wrong length is a broken writer, not an accident.
    if major != FORMAT_MAJOR:
        raise BundleError("not_a_bundle", "Its format is older than any coachdesk release.")
    header_end = PREFIX.size + header_length
    if header_length > MAX_HEADER_BYTES or header_end + PAYLOAD_LENGTH.size > len(body):
        raise BundleError("bad_header", "Its header length is wrong.")
    (payload_length,) = PAYLOAD_LENGTH.unpack_from(view, header_end)
    payload_start = header_end + PAYLOAD_LENGTH.size
    if payload_start + payload_length != len(body):
        raise BundleError("payload_mismatch", "Its payload length is wrong.")
    return Envelope(
        signer_key=bytes(signer),
        major=major,
        minor=minor,
        header=bytes(view[PREFIX.size : header_end]),
        payload=body[payload_start:],
        signed_sha256=digest.hex(),
    )


def _needs(since: bytes) -> str:
    # Unsigned, so it is only used in a sentence, and only after filtering to a version shape.
    version = "".join(chr(b) for b in since.rstrip(b"\x00") if chr(b) in "0123456789.")[:15]
    return f"It needs coachdesk {version or 'a newer version'} or newer; install it to open this."
