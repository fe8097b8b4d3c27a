"""Visit packets: what a coach sends a supervisor or colleague after one visit.

    write_packet(profile, visit_id, Path("visit.coachdesk"), to=["Pat Supervisor"])
    contents = read_packet(profile, open_bundle(profile, data))   # contents.attachment.data

A packet is a bundle of kind `packet` (DESIGN.md section 5): the same envelope, signature over
every byte, header, encryption and ledger as a sync bundle. Its payload is the same zlib NDJSON,
with three more kinds of line:

    {"kind": "visit_packet", "visit_id", "school", "district", "visit_date", "visit_type",
     "status"}                                       first: which visit, in the coach's words
    {"kind": "change", ...}                          the full history of every record it carries
    {"kind": "attachment", "name", "media_type", "size", "sha256", "parts"}
    {"kind": "attachment_part", "index", "data"}     `parts` of these, base64, in order

The records are the visit, its answers, its next steps, the form version it was written on, and
everything those point at (the school, its district, the caseload assignment with its coach and
primary contact), so the packet merges on a profile that has never seen any of them. Answers
marked `internal` are never in a packet: a packet always leaves the coach's own laptops.

The attachment is the principal's summary PDF, drawn exactly as `report visit` draws it (a draft
note prints as DRAFT, possible student identifiers as [withheld]: reports/masking.py), in base64
parts that each fit the payload's line limit.

Student identifiers never travel in a packet either, whatever finalizing accepted: a field the
coach typed (the visit's purpose and attendees, an answer, a next step's text or owner) in
which the privacy scan finds a possible identifier, in any version, is left out of the packet
with its whole history, as an `internal` answer is. The changes it carries are never edited:
a masked copy under the same change id would stick on a profile that later syncs the original.
What a packet holds and how it is read back (bounded, checked, only after the signature) is in
coachdesk.sync.packet_contents; its reading functions are re-exported here.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import logging
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import or_, select

from coachdesk.core.errors import NotFound, RefusedInput
from coachdesk.core.forms.answer_privacy import shared_answers
from coachdesk.core.store.changelog import SYNCABLE
from coachdesk.core.store.schema import Change, table_of
from coachdesk.core.store.visit_tables import ActionItem, StoredForm, Visit, VisitAnswer
from coachdesk.sync import trust
from coachdesk.sync.encryption import RecipientKey
from coachdesk.sync.export import SUFFIX, ExportResult, Progress, seal_bundle, write_atomically
from coachdesk.sync.header import BundleHeader
from coachdesk.sync.packet_contents import (
    MAX_ATTACHMENT_BYTES,
    PART_BYTES,
    PDF_TYPE,
    UNSAFE_IN_NAMES,
    Attachment,
    PacketContents,
    PacketVisit,
    decode_packet,
    save_attachment,
)
from coachdesk.sync.payload import carried_columns, encode_changes
from coachdesk.sync.reader import open_packet_file, read_packet
from coachdesk.sync.relay import attach_segments, sign_for_bundle

if TYPE_CHECKING:
    from coachdesk.core.store.profile import Profile
    from coachdesk.sync.keys import DeviceKeys, Passphrase

__all__ = [
    "MAX_ATTACHMENT_BYTES",
    "PART_BYTES",
    "Attachment",
    "PacketContents",
    "PacketResult",
    "PacketVisit",
    "build_packet",
    "decode_packet",
    "describe_visit",
    "packet_file_name",
    "open_packet_file",
    "read_packet",
    "save_attachment",
    "write_packet",
]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PacketResult(ExportResult):
    """What `packet` wrote: what an export says, and the visit and its attachment."""

    visit: PacketVisit
    attachment_name: str
    attachment_size: int
    masked: tuple[str, ...] = ()  # where the summary prints possible identifiers as [withheld]
    walk: bool = False  # a learning walk's summary masks teachers' names and rooms too
    fields_left_out: int = 0  # fields left out of the records for a possible identifier

    def sentence(self) -> str:
        draft = " The summary is marked DRAFT: the note is not final." if self.visit.draft else ""
        return (
            f"Wrote the visit packet for {self.visit.school} on {self.visit.shown_date} to "
            f"{self.path} ({self.size:,} bytes: {self.change_count} changes and "
            f"{self.attachment_name}), {self.for_whom()}.{draft}{self.privacy_sentence()}"
        )

    def privacy_sentence(self) -> str:
        """Where possible student identifiers were kept out ("" when nowhere)."""
        said = ""
        if self.masked:
            what = (
                "student identifiers, teachers' names and rooms"
                if self.walk
                else ("student identifiers")
            )
            said += f" The summary prints possible {what} as [withheld] in: " + (
                "; ".join(self.masked) + "."
            )
        if self.fields_left_out:
            fields = "field" if self.fields_left_out == 1 else "fields"
            said += (
                f" {self.fields_left_out} {fields} with a possible student identifier "
                "(an ID number, a birth date, initials or a name) stayed out of its records."
            )
        return said


# --- writing ------------------------------------------------------------------------------------


def write_packet(
    profile: Profile,
    visit_id: str,
    path: Path,
    *,
    to: list[str] | None,
    encrypt: bool = True,
    passphrase: Passphrase | None = None,
    progress: Progress | None = None,
) -> PacketResult:
    """Write the signed packet for one visit to `path`, encrypted for the named people.

    A packet leaves the coach's own laptops, so (DESIGN.md section 5) it is encrypted, to the
    named people and this laptop; without names it is refused unless `encrypt=False`. Answers
    marked `internal` are always left out. NotFound for an unknown visit.
    """
    from coachdesk.reports.visit_source import build_visit_summary
    from coachdesk.reports.visit_summary import render_visit_summary
    from coachdesk.sync.keys import device_keys

    # NotFound: one sentence. Student identifiers come masked (reports/masking.py).
    summary = build_visit_summary(profile, visit_id)
    if encrypt and not to:
        raise RefusedInput(
            "A visit packet leaves your laptops, so it is encrypted for the people it is for: "
            "name at least one trusted person (or choose not to encrypt it)."
        )
    if path.is_dir():
        raise RefusedInput(
            f"{path} is a folder; give a file name such as {path / 'visit.coachdesk'}."
        )
    recipients: list[RecipientKey] = trust.recipients_named(profile, to) if encrypt and to else []
    keys = device_keys(profile, passphrase=passphrase)
    if recipients:
        recipients += [r for r in trust.own_devices(profile) if r.key_id == keys.key_id]
    if progress:
        progress(10, 100)
    pdf = io.BytesIO()
    render_visit_summary(summary, pdf)
    if progress:
        progress(40, 100)
    header = summary.header
    visit = PacketVisit(
        visit_id=visit_id,
        school=header.school,
        district=header.district,
        visit_date=header.visit_date.isoformat(),
        visit_type=header.visit_type,
        status=header.status,
    )
    attachment = Attachment(summary_file_name(visit), PDF_TYPE, pdf.getvalue())
    rows, left_out = packet_rows(profile, visit)
    data, sealed = build_packet(profile, keys, visit, attachment, recipients, rows=rows)
    if progress:
        progress(80, 100)
    write_atomically(path, data)
    if progress:
        progress(100, 100)
    logger.info("wrote packet %s for visit %s to %s", sealed.bundle_id, visit_id, path)
    return PacketResult(
        path=path,
        bundle_id=sealed.bundle_id,
        change_count=sealed.change_count,
        recipients=tuple(dict.fromkeys(r.name for r in recipients)),
        size=len(data),
        visit=visit,
        attachment_name=attachment.name,
        attachment_size=attachment.size,
        masked=summary.masked,
        walk=summary.learning_walk is not None,
        fields_left_out=len(left_out),
    )


def build_packet(
    profile: Profile,
    keys: DeviceKeys,
    visit: PacketVisit,
    attachment: Attachment,
    recipients: list[RecipientKey],
    *,
    rows: list[tuple[str, ...]] | None = None,
) -> tuple[bytes, BundleHeader]:
    """The signed packet for a visit with its attachment, and its header. `rows` are the
    changes it carries (default: packet_rows)."""
    if attachment.size > MAX_ATTACHMENT_BYTES:
        raise RefusedInput("The visit summary is too large to send in a packet.")
    if rows is None:
        rows, _left_out = packet_rows(profile, visit)
    seq = sign_for_bundle(profile, keys)
    with profile.reading() as session:
        rows, segments, _unsigned = attach_segments(session, rows)
    changes, _size, count = encode_changes(rows, items=segments)
    # encode_changes is the one spelling of a change line; the packet's own lines go around it.
    lines = [_line({"kind": "visit_packet", **visit.as_json()})]
    lines.append(zlib.decompress(changes))
    lines += [_line(item) for item in attachment_items(attachment)]
    plain = b"".join(lines)
    return seal_bundle(
        profile,
        keys,
        kind="packet",
        payload=zlib.compress(plain, 6),
        plain_size=len(plain),
        change_count=count,
        rows=rows,
        recipients=recipients,
        seq=seq,
    )


def packet_rows(
    profile: Profile, visit: PacketVisit
) -> tuple[list[tuple[str, ...]], set[tuple[str, str, str]]]:
    """The change rows a packet for the visit carries, and the fields it leaves out for a
    possible student identifier."""
    rows = packet_changes(profile, packet_records(profile, visit.visit_id))
    return without_identifiers(rows, on=dt.date.fromisoformat(visit.visit_date))


# (record type, field) a coach types into: what a packet scans for student identifiers.
TYPED_FIELDS = {
    ("visit", "purpose"),
    ("visit", "attendees"),
    ("visit_answer", "value"),
    ("action_item", "text"),
    ("action_item", "owner"),
}
# Of those, the columns that hold JSON text (an answer, the attendee list).
_JSON_COLUMNS = {("visit", "attendees"), ("visit_answer", "value")}


def without_identifiers(
    rows: list[tuple[str, ...]], *, on: dt.date
) -> tuple[list[tuple[str, ...]], set[tuple[str, str, str]]]:
    """The change rows without every version of a typed field in which any version has a
    possible student identifier, and the (record type, record id, field) left out.

    `on` is the visit's day, against which a date is judged a possible birth date.
    """
    from coachdesk.core.forms.privacy import scan_text

    flagged: set[tuple[str, str, str]] = set()
    for _change_id, record_type, record_id, field, value, *_rest in rows:
        key = (record_type, field)
        if key not in TYPED_FIELDS or (record_type, record_id, field) in flagged:
            continue
        if any(scan_text(text, today=on) for text in _texts(value, key in _JSON_COLUMNS)):
            flagged.add((record_type, record_id, field))
    kept = [row for row in rows if (row[1], row[2], row[3]) not in flagged]
    return kept, flagged


def _texts(value: str, json_column: bool) -> list[str]:
    """The text leaves of a change's value (JSON of the column's value)."""
    try:
        decoded: Any = json.loads(value)
        if json_column and isinstance(decoded, str):
            decoded = json.loads(decoded)
    except (TypeError, ValueError):
        return [value] if isinstance(value, str) else []
    found: list[str] = []
    waiting = [decoded]
    while waiting:
        item = waiting.pop()
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, list):
            waiting.extend(item)
        elif isinstance(item, dict):
            waiting.extend(item.values())
    return found


def attachment_items(attachment: Attachment) -> list[dict[str, Any]]:
    """The payload lines that carry an attachment: its description, then its parts in order."""
    parts = [
        attachment.data[start : start + PART_BYTES]
        for start in range(0, attachment.size, PART_BYTES)
    ]
    items: list[dict[str, Any]] = [
        {
            "kind": "attachment",
            "name": attachment.name,
            "media_type": attachment.media_type,
            "size": attachment.size,
            "sha256": attachment.sha256,
            "parts": len(parts),
        }
    ]
    for index, part in enumerate(parts):
        items.append(
            {
                "kind": "attachment_part",
                "index": index,
                "data": base64.b64encode(part).decode("ascii"),
            }
        )
    return items


def _line(item: dict[str, Any]) -> bytes:
    return (json.dumps(item, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def packet_records(profile: Profile, visit_id: str) -> dict[str, set[str]]:
    """record type -> ids of every record a packet for this visit carries.

    The visit, its answers (never an `internal` one), its next steps and the form version it was
    written on; then, repeatedly, every record one of those points at through a foreign key, so
    that the packet merges on a profile that has none of them.
    """
    with profile.reading() as session:
        visit = session.get(Visit, visit_id)
        if visit is None or visit.deleted_at is not None:
            raise NotFound(f"There is no visit with id {visit_id}.")
        wanted: dict[str, set[str]] = {Visit.record_type: {visit_id}}
        # The form definition decides what is internal, never the synced privacy column.
        wanted[VisitAnswer.record_type] = set(shared_answers(session, visit_ids=[visit_id]))
        wanted[ActionItem.record_type] = set(
            session.scalars(select(ActionItem.id).where(ActionItem.visit_id == visit_id))
        )
        if visit.form_id is not None:
            wanted[StoredForm.record_type] = set(
                session.scalars(
                    select(StoredForm.id).where(
                        StoredForm.form_id == visit.form_id,
                        StoredForm.version == visit.form_version,
                        StoredForm.sha256 == visit.form_sha256,
                    )
                )
            )
        by_table = {table_of(model).name: kind for kind, model in SYNCABLE.items()}
        waiting = [(kind, rid) for kind, ids in wanted.items() for rid in ids]
        while waiting:
            kind, record_id = waiting.pop()
            model = SYNCABLE[kind]
            row = session.get(model, record_id)
            if row is None:
                continue
            for column in table_of(model).columns:
                for key in column.foreign_keys:
                    target = by_table.get(key.column.table.name)
                    value = getattr(row, column.key)
                    if target is None or value is None or value in wanted.get(target, ()):
                        continue
                    wanted.setdefault(target, set()).add(value)
                    waiting.append((target, value))
    return {kind: ids for kind, ids in wanted.items() if ids}


def packet_changes(profile: Profile, records: dict[str, set[str]]) -> list[tuple[str, ...]]:
    """Every change in the log to these records, in HLC order (the full history of each)."""
    t = Change.__table__
    query = (
        select(*carried_columns())
        .where(
            or_(
                *(
                    (t.c.record_type == kind) & t.c.record_id.in_(sorted(ids))
                    for kind, ids in sorted(records.items())
                )
            )
        )
        .order_by(t.c.hlc, t.c.change_id)
    )
    with profile.reading() as session:
        return [tuple(row) for row in session.execute(query).all()]


def summary_file_name(visit: PacketVisit) -> str:
    """ "2026-11-18 Lincoln Park Elementary School visit summary.pdf"."""
    return f"{visit.visit_date} {_safe(visit.school)} visit summary.pdf"


def packet_file_name(visit: PacketVisit) -> str:
    """ "2026-11-18 Lincoln Park Elementary School visit packet.coachdesk"."""
    return f"{visit.visit_date} {_safe(visit.school)} visit packet{SUFFIX}"


def describe_visit(profile: Profile, visit_id: str) -> PacketVisit:
    """What a packet for this visit will say it carries (for naming the file before writing)."""
    from coachdesk.core.visits import get_visit

    detail = get_visit(profile, visit_id)
    final = detail.status in ("final", "shared") and not detail.amended_at
    return PacketVisit(
        visit_id=detail.id,
        school=detail.school_name,
        district="",
        visit_date=detail.starts_at.date().isoformat(),
        visit_type=detail.type_label,
        status="final" if final else "draft",
    )


def _safe(name: str) -> str:
    return " ".join(UNSAFE_IN_NAMES.sub(" ", name).split()).strip(". ")[:120] or "School"
