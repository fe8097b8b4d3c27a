"""The signed header of a bundle: what it is, who made it, for whom, and what it carries.

Read only after the signature has been checked; even so, every field is checked for type and
shape, because a trusted device can still run a broken or newer coachdesk.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Any

from coachdesk.core.clock import HLC
from coachdesk.core.ids import UUID_TEXT
from coachdesk.sync import strict_json
from coachdesk.sync.envelope import FORMAT_MINOR
from coachdesk.sync.errors import BundleError

KINDS = ("sync", "keys", "packet")
_HEX = re.compile(r"^[0-9a-f]+$")


@dataclass(frozen=True)
class Recipient:
    key_id: str
    name: str
    nonce: str  # base64, for the wrapped content key
    wrapped_key: str  # base64


@dataclass(frozen=True)
class BundleHeader:
    bundle_id: str
    kind: str
    created_hlc: str
    author_device: str
    author_name: str
    key_id: str
    schema: int  # the data format of the profile that wrote it
    app_version: str
    change_count: int
    record_counts: dict[str, int]
    coverage: dict[str, dict[str, Any]]  # device -> {"changes": n, "newest": hlc}
    payload_sha256: str
    plain_size: int
    recipients: tuple[Recipient, ...] = ()
    ephemeral_key: str | None = None  # base64 X25519 public key, when encrypted
    payload_nonce: str | None = None
    # The author device's signing counter (sync/signing_counter.py); None before 0.4.0.
    seq: int | None = None

    @property
    def encrypted(self) -> bool:
        return bool(self.recipients)

    def encode(self) -> bytes:
        body: dict[str, Any] = {
            "bundle_id": self.bundle_id,
            "kind": self.kind,
            "created_hlc": self.created_hlc,
            "author_device": self.author_device,
            "author_name": self.author_name,
            "key_id": self.key_id,
            "schema": self.schema,
            "app_version": self.app_version,
            "counts": {"changes": self.change_count, "records": self.record_counts},
            "coverage": self.coverage,
            "payload": {
                "sha256": self.payload_sha256,
                "plain_size": self.plain_size,
                "compression": "zlib",
            },
            "encryption": None,
        }
        if self.seq is not None:
            body["seq"] = self.seq
        if self.recipients:
            body["encryption"] = {
                "scheme": ENCRYPTION_SCHEME,
                "ephemeral_key": self.ephemeral_key,
                "nonce": self.payload_nonce,
                "recipients": [
                    {"key_id": r.key_id, "name": r.name, "nonce": r.nonce, "key": r.wrapped_key}
                    for r in self.recipients
                ],
            }
        return strict_json.dumps(body).encode("utf-8")


ENCRYPTION_SCHEME = "x25519-hkdf-sha256-aes256gcm"


def parse_header(raw: bytes, *, minor: int) -> BundleHeader:
    """The header from its signed bytes; raises BundleError("bad_header") for any wrong shape."""
    try:
        data = strict_json.loads(raw.decode("utf-8"))
        return _build(data, tolerate_extra=minor > FORMAT_MINOR)
    except (ValueError, TypeError, KeyError) as exc:
        raise BundleError("bad_header", f"({exc})") from None


_TOP = {
    "bundle_id",
    "kind",
    "created_hlc",
    "author_device",
    "author_name",
    "key_id",
    "schema",
    "app_version",
    "counts",
    "coverage",
    "payload",
    "encryption",
}


def _build(data: Any, *, tolerate_extra: bool) -> BundleHeader:
    seq = data.pop("seq", None) if isinstance(data, dict) else None
    _object(data, "header", _TOP, tolerate_extra)
    counts = _object(data["counts"], "counts", {"changes", "records"}, tolerate_extra)
    payload = _object(
        data["payload"], "payload", {"sha256", "plain_size", "compression"}, tolerate_extra
    )
    if payload["compression"] != "zlib":
        raise ValueError("unknown compression")
    records = _object(counts["records"], "record counts", None, False)
    coverage = _object(data["coverage"], "coverage", None, False)
    for device, covered in coverage.items():
        _uuid(device)
        _object(covered, "coverage", {"changes", "newest"}, tolerate_extra)
        _count(covered["changes"])
        HLC.parse(_text(covered["newest"]))
    header = BundleHeader(
        bundle_id=_uuid(data["bundle_id"]),
        kind=_choice(data["kind"], KINDS),
        created_hlc=str(HLC.parse(_text(data["created_hlc"]))),
        author_device=_uuid(data["author_device"]),
        author_name=_text(data["author_name"]),
        key_id=_hex(data["key_id"], 32),
        schema=_count(data["schema"]),
        app_version=_text(data["app_version"], 40),
        change_count=_count(counts["changes"]),
        record_counts={_text(k, 80): _count(v) for k, v in records.items()},
        coverage=coverage,
        payload_sha256=_hex(payload["sha256"], 64),
        plain_size=_count(payload["plain_size"]),
        seq=None if seq is None else _count(seq),
    )
    encryption = data["encryption"]
    if encryption is None:
        return header
    _object(encryption, "encryption", {"scheme", "ephemeral_key", "nonce", "recipients"}, False)
    if encryption["scheme"] != ENCRYPTION_SCHEME:
        raise ValueError("unknown encryption scheme")
    wrapped = encryption["recipients"]
    if not isinstance(wrapped, list) or not 1 <= len(wrapped) <= 1000:
        raise ValueError("recipients must be a non-empty list")
    recipients = []
    for item in wrapped:
        _object(item, "recipient", {"key_id", "name", "nonce", "key"}, False)
        recipients.append(
            Recipient(
                _hex(item["key_id"], 32),
                _text(item["name"]),
                _text(item["nonce"], 40),
                _text(item["key"], 100),
            )
        )
    return dataclasses.replace(
        header,
        recipients=tuple(recipients),
        ephemeral_key=_text(encryption["ephemeral_key"], 60),
        payload_nonce=_text(encryption["nonce"], 40),
    )


def _object(value: Any, what: str, keys: set[str] | None, tolerate_extra: bool) -> dict:
    if not isinstance(value, dict):
        raise ValueError(f"{what} must be an object")
    if keys is not None:
        missing = keys - value.keys()
        if missing:
            raise ValueError(f"{what} lacks {sorted(missing)}")
        if not tolerate_extra and value.keys() - keys:
            raise ValueError(f"{what} has unknown fields {sorted(value.keys() - keys)}")
    if len(value) > 10_000:
        raise ValueError(f"{what} is too large")
    return value


def _text(value: Any, limit: int = 200) -> str:
    if not isinstance(value, str) or len(value) > limit:
        raise ValueError("expected a short text")
    return value


def _uuid(value: Any) -> str:
    if not isinstance(value, str) or not UUID_TEXT.match(value):
        raise ValueError("expected an id")
    return value


def _hex(value: Any, length: int) -> str:
    if not isinstance(value, str) or len(value) != length or not _HEX.match(value):
        raise ValueError("expected a hex digest")
    return value


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**53:
        raise ValueError("expected a count")
    return value


def _choice(value: Any, options: tuple[str, ...]) -> str:
    if value not in options:
        raise ValueError(f"expected one of {options}")
    return value
