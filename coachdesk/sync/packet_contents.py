"""What a visit packet holds, and reading it back: bounded, checked, after the signature.

The payload format is described in coachdesk.sync.packet, which writes packets. Reading is
bounded like everything else in a bundle: the attachment is at most MAX_ATTACHMENT_BYTES,
declared before any part arrives, each part at most PART_BYTES (so its line stays under the
payload's line limit), and checked against its SHA-256 before anything is kept. Nothing
here runs before the signature, the signer's trust and the payload hash have been checked.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coachdesk.core.dates_text import medium_date
from coachdesk.core.ids import UUID_TEXT
from coachdesk.core.store.visit_tables import Visit
from coachdesk.sync.errors import BundleError
from coachdesk.sync.export import write_atomically
from coachdesk.sync.header import BundleHeader
from coachdesk.sync.payload import IncomingChange, decode_changes
from coachdesk.sync.segments import Segment, SegmentItems

if TYPE_CHECKING:
    pass

MAX_ATTACHMENT_BYTES = 16 * 1024 * 1024  # a two-page summary is ~10 KB; a PDF is never this big
PART_BYTES = 512 * 1024  # raw bytes per line: 699,052 base64 characters, well under a line
_PART_CHARS = 4 * -(-PART_BYTES // 3)
PDF_TYPE = "application/pdf"
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
# Characters no file name may hold on Windows, macOS or Linux.
UNSAFE_IN_NAMES = re.compile(r'[<>:"/\\|?*\x00-\x1f]+')
_VISIT_KEYS = {"kind", "visit_id", "school", "district", "visit_date", "visit_type", "status"}
_ATTACHMENT_KEYS = {"kind", "name", "media_type", "size", "sha256", "parts"}
_PART_KEYS = {"kind", "index", "data"}


@dataclass(frozen=True)
class PacketVisit:
    """Which visit a packet carries, as the packet itself describes it."""

    visit_id: str
    school: str
    district: str
    visit_date: str  # ISO date
    visit_type: str  # the coach's words: "On-site visit"
    status: str  # draft | final (the PDF says DRAFT for a draft)

    @property
    def draft(self) -> bool:
        return self.status != "final"

    @property
    def shown_date(self) -> str:
        """The visit's date as a coach reads it: "Nov 18, 2026"."""
        try:
            return medium_date(dt.date.fromisoformat(self.visit_date))
        except ValueError:
            return self.visit_date

    def describe(self) -> str:
        """'Lincoln Park Elementary, Nov 18, 2026 (on-site visit, draft)'."""
        note = ", draft" if self.draft else ""
        return f"{self.school}, {self.shown_date} ({self.visit_type.lower()}{note})"

    def as_json(self) -> dict[str, Any]:
        return {
            "visit_id": self.visit_id,
            "school": self.school,
            "district": self.district,
            "visit_date": self.visit_date,
            "visit_type": self.visit_type,
            "status": self.status,
        }


@dataclass(frozen=True)
class Attachment:
    """A file carried in a packet: the principal's summary PDF."""

    name: str
    media_type: str
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class PacketContents:
    """Everything a verified packet carries, checked."""

    visit: PacketVisit
    changes: tuple[IncomingChange, ...]
    attachment: Attachment
    segments: tuple[Segment, ...] = ()  # the authors' signatures of the changes


def decode_packet(payload: bytes | memoryview, header: BundleHeader) -> PacketContents:
    """The packet's visit, changes and PDF from its plain payload, all checked; BundleError."""
    items = _PacketItems()
    signed = SegmentItems(then=items.take)
    changes = decode_changes(
        payload,
        plain_size=header.plain_size,
        change_count=header.change_count,
        on_item=signed.take,
    )
    return dataclasses.replace(items.finish(changes), segments=tuple(signed.segments))


def save_attachment(contents: PacketContents, path: Path) -> Path:
    """Write the packet's PDF to `path`, appearing only when complete."""
    write_atomically(path, contents.attachment.data)
    return path


class _PacketItems:
    """Collects a packet's own lines as decode_changes meets them, refusing anything amiss."""

    def __init__(self) -> None:
        self.visit: PacketVisit | None = None
        self.declared: dict[str, Any] | None = None
        self.parts: list[bytes] = []
        self.received = 0

    def take(self, item: dict) -> None:
        kind = item.get("kind")
        if kind == "visit_packet":
            self._visit(item)
        elif kind == "attachment":
            self._attachment(item)
        elif kind == "attachment_part":
            self._part(item)
        else:
            raise BundleError(
                "bad_payload", f"It holds an unknown kind of item ({str(kind)[:40]!r})."
            )

    def _visit(self, item: dict) -> None:
        if self.visit is not None:
            raise BundleError("bad_payload", "It describes more than one visit.")
        if item.keys() != _VISIT_KEYS:
            raise BundleError("bad_payload", "Its description of the visit is malformed.")
        try:
            if not isinstance(item["visit_id"], str) or not UUID_TEXT.match(item["visit_id"]):
                raise ValueError("visit id")
            texts = [_short(item[k]) for k in ("school", "district", "visit_type")]
            day = dt.date.fromisoformat(_short(item["visit_date"], 10)).isoformat()
            if item["status"] not in ("draft", "final"):
                raise ValueError("status")
        except (ValueError, TypeError):
            raise BundleError("bad_payload", "Its description of the visit is malformed.") from None
        self.visit = PacketVisit(
            item["visit_id"], texts[0], texts[1], day, texts[2], item["status"]
        )

    def _attachment(self, item: dict) -> None:
        if self.declared is not None:
            raise BundleError("bad_payload", "It holds more than one attachment.")
        if item.keys() != _ATTACHMENT_KEYS:
            raise BundleError("bad_payload", "Its attachment is described wrongly.")
        size, parts, name = item["size"], item["parts"], item["name"]
        if isinstance(size, bool) or not isinstance(size, int) or size < 1:
            raise BundleError("bad_payload", "Its attachment has no proper size.")
        if size > MAX_ATTACHMENT_BYTES:
            raise BundleError(
                "payload_too_large",
                f"Its attachment is {size:,} bytes; at most {MAX_ATTACHMENT_BYTES:,} are accepted.",
            )
        if (
            item["media_type"] != PDF_TYPE
            or not isinstance(name, str)
            or not name.lower().endswith(".pdf")
            or len(name) > 200
            or UNSAFE_IN_NAMES.search(name)
            or name.strip(". ") != name
            or not isinstance(item["sha256"], str)
            or not _HEX64.match(item["sha256"])
            or parts != -(-size // PART_BYTES)
        ):
            raise BundleError("bad_payload", "Its attachment is described wrongly.")
        self.declared = item

    def _part(self, item: dict) -> None:
        if self.declared is None:
            raise BundleError("bad_payload", "It holds part of an attachment it never described.")
        if item.keys() != _PART_KEYS or item["index"] != len(self.parts):
            raise BundleError("bad_payload", "Its attachment's parts are out of order.")
        data = item["data"]
        if not isinstance(data, str) or len(data) > _PART_CHARS:
            raise BundleError("bad_payload", "Part of its attachment is malformed.")
        try:
            part = base64.b64decode(data.encode("ascii"), validate=True)
        except (binascii.Error, UnicodeEncodeError):
            raise BundleError("bad_payload", "Part of its attachment is malformed.") from None
        self.received += len(part)
        if self.received > self.declared["size"]:
            raise BundleError("payload_mismatch", "Its attachment is larger than it declares.")
        self.parts.append(part)

    def finish(self, changes: list[IncomingChange]) -> PacketContents:
        if self.visit is None:
            raise BundleError("bad_payload", "It does not say which visit it carries.")
        if self.declared is None:
            raise BundleError("bad_payload", "It carries no visit summary.")
        if len(self.parts) != self.declared["parts"] or self.received != self.declared["size"]:
            raise BundleError("payload_mismatch", "Its attachment is cut short.")
        data = b"".join(self.parts)
        if hashlib.sha256(data).hexdigest() != self.declared["sha256"]:
            raise BundleError("payload_mismatch", "Its attachment does not match its checksum.")
        if not data.startswith(b"%PDF-"):
            raise BundleError("bad_payload", "Its attachment is not a PDF.")
        carried = {c.record_id for c in changes if c.record_type == Visit.record_type}
        if self.visit.visit_id not in carried:
            raise BundleError("bad_payload", "It does not carry the visit it describes.")
        return PacketContents(
            visit=self.visit,
            changes=tuple(changes),
            attachment=Attachment(self.declared["name"], PDF_TYPE, data),
        )


def _short(value: Any, limit: int = 200) -> str:
    if not isinstance(value, str) or len(value) > limit:
        raise ValueError("expected a short text")
    return value
