"""Conflicts: fields with more than one current version after a merge (DESIGN.md section 5).

Lists them, shows the versions side by side with their common ancestor and, for text, a
three-way merge proposal; resolving writes a new change that supersedes every version, so the
resolution travels to the other laptops like any edit.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Text, inspect, select

from coachdesk.core.changes import ChangeSummary
from coachdesk.core.clock import HLC
from coachdesk.core.dates_text import date_and_time
from coachdesk.core.errors import NotFound, RefusedInput
from coachdesk.core.record_types import singular
from coachdesk.core.store.changelog import (
    SYNCABLE,
    decode_value,
    encode_value,
    log_explicit_edit,
)
from coachdesk.core.store.schema import Change, FieldHead, ThisDevice
from coachdesk.core.store.sync_tables import TrustedKey
from coachdesk.sync.textmerge import merge3

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from coachdesk.core.store.profile import Profile


@dataclass(frozen=True)
class ConflictSummary:
    """One field in conflict, as a list row."""

    record_type: str
    record_id: str
    field: str
    record_label: str  # "Harbor View Elementary (school or district)"
    field_label: str  # "name"
    versions: int


@dataclass(frozen=True)
class ConflictVersion:
    change_id: str
    value: Any  # the column value (None, text, a date...)
    text: str  # how the value reads
    written_by: str  # a device's trusted name, or "this laptop"
    written_at: str  # "Nov 23, 2026, 4:41 AM" on this laptop's clock, from the clock reading
    shown: bool  # the version the record shows until the conflict is resolved


@dataclass(frozen=True)
class ConflictDetail:
    summary: ConflictSummary
    versions: tuple[ConflictVersion, ...]  # newest first
    base: ConflictVersion | None  # the last version every side had seen
    proposal: str | None  # a three-way merge, for text
    proposal_clean: bool


def list_conflicts(profile: Profile) -> list[ConflictSummary]:
    """Every field in conflict, grouped by record."""
    with profile.reading() as session:
        heads = (
            session.execute(select(FieldHead).where(FieldHead.in_conflict.is_(True)))
            .scalars()
            .all()
        )
        result = [
            ConflictSummary(
                record_type=h.record_type,
                record_id=h.record_id,
                field=h.field,
                record_label=_record_label(session, h.record_type, h.record_id),
                field_label=h.field.replace("_", " "),
                versions=len(json.loads(h.head_ids)),
            )
            for h in heads
        ]
    return sorted(result, key=lambda c: (c.record_label.lower(), c.field))


def conflicted_fields(profile: Profile, record_type: str) -> dict[str, tuple[str, ...]]:
    """For conflict badges: record id -> the fields of it that are in conflict."""
    with profile.reading() as session:
        rows = session.execute(
            select(FieldHead.record_id, FieldHead.field).where(
                FieldHead.record_type == record_type, FieldHead.in_conflict.is_(True)
            )
        ).all()
    badges: dict[str, list[str]] = {}
    for record_id, field in rows:
        badges.setdefault(record_id, []).append(field)
    return {k: tuple(sorted(v)) for k, v in badges.items()}


def record_conflicts(profile: Profile, record_type: str, record_id: str) -> tuple[str, ...]:
    """The fields of one record in conflict, in the coach's words ("name", "grade span")."""
    with profile.reading() as session:
        fields = session.scalars(
            select(FieldHead.field).where(
                FieldHead.record_type == record_type,
                FieldHead.record_id == record_id,
                FieldHead.in_conflict.is_(True),
            )
        ).all()
    return tuple(sorted(f.replace("_", " ") for f in fields))


def visit_conflicts(profile: Profile, visit_id: str) -> tuple[str, ...]:
    """What of a visit is in conflict: its own fields and its note's answers (by field name)."""
    from coachdesk.core.store.visit_tables import VisitAnswer

    with profile.reading() as session:
        answers = session.scalars(
            select(VisitAnswer.field)
            .join(
                FieldHead,
                (FieldHead.record_type == "visit_answer") & (FieldHead.record_id == VisitAnswer.id),
            )
            .where(VisitAnswer.visit_id == visit_id, FieldHead.in_conflict.is_(True))
        ).all()
    own = record_conflicts(profile, "visit", visit_id)
    return own + tuple(sorted({a.replace("_", " ") for a in answers}))


def conflict_detail(
    profile: Profile, record_type: str, record_id: str, field: str
) -> ConflictDetail:
    """The versions of one conflicted field, their common ancestor and a merge proposal."""
    model = SYNCABLE.get(record_type)
    with profile.reading() as session:
        head = session.get(FieldHead, (record_type, record_id, field))
        if model is None or head is None or not head.in_conflict:
            raise NotFound("That field is not in conflict (any more).")
        history = {
            c.change_id: c
            for c in session.execute(
                select(Change).where(
                    Change.record_type == record_type,
                    Change.record_id == record_id,
                    Change.field == field,
                )
            ).scalars()
        }
        names = _device_names(session)
        label = _record_label(session, record_type, record_id)
    head_ids = json.loads(head.head_ids)
    newest = max(head_ids, key=lambda i: (history[i].hlc, i))

    def version(change_id: str) -> ConflictVersion:
        change = history[change_id]
        value = decode_value(model, field, change.value)
        return ConflictVersion(
            change_id=change_id,
            value=value,
            text="(empty)" if value in (None, "") else str(value),
            written_by=names.get(change.device_id, f"device {change.device_id[:8]}"),
            written_at=_when(change.hlc),
            shown=change_id == newest,
        )

    versions = tuple(
        version(i) for i in sorted(head_ids, key=lambda i: (history[i].hlc, i), reverse=True)
    )
    base_id = _common_ancestor(history, head_ids)
    base = version(base_id) if base_id else None
    long_text = isinstance(inspect(model).columns[field].type, Text)
    proposal, clean = _proposal(base, versions, long_text=long_text)
    summary = ConflictSummary(
        record_type, record_id, field, label, field.replace("_", " "), len(versions)
    )
    return ConflictDetail(summary, versions, base, proposal, clean)


def resolve_conflict(
    profile: Profile, record_type: str, record_id: str, field: str, value: Any
) -> ChangeSummary:
    """Keep `value` for the field: a new change superseding every version; returns what changed."""
    model = SYNCABLE.get(record_type)
    if model is None:
        raise NotFound(f"There is no kind of record called {record_type!r}.")
    try:
        value = decode_value(model, field, encode_value(model, field, value))
    except (ValueError, TypeError) as exc:
        raise RefusedInput(
            f"That value does not fit the {field.replace('_', ' ')}: {exc}."
        ) from None
    with profile.writing() as write:
        record = write.session.get(model, record_id)
        if record is None:
            raise NotFound("That record is not in this profile.")
        log_explicit_edit(write.session, record, field, value)
    return write.changes


def _common_ancestor(history: dict[str, Change], heads: list[str]) -> str | None:
    def ancestors(start: str) -> set[str]:
        seen: set[str] = set()
        stack = [start]
        while stack:
            for parent in json.loads(history[stack.pop()].supersedes):
                if parent in history and parent not in seen:
                    seen.add(parent)
                    stack.append(parent)
        return seen

    common = set.intersection(*(ancestors(h) for h in heads))
    return max(common, key=lambda i: (history[i].hlc, i)) if common else None


def _proposal(
    base: ConflictVersion | None, versions: tuple[ConflictVersion, ...], *, long_text: bool
) -> tuple[str | None, bool]:
    if not all(isinstance(v.value, str) or v.value is None for v in versions):
        return None, False
    texts = [v.value or "" for v in versions]
    if not long_text and not any("\n" in t for t in texts):
        return None, False  # a name or a code: choosing beats a merge full of markers
    merged, clean = texts[0], True
    base_text = (base.value or "") if base else ""
    for version, text in zip(versions[1:], texts[1:], strict=True):
        result = merge3(
            base_text,
            merged,
            text,
            ours_label=versions[0].written_by,
            theirs_label=version.written_by,
        )
        merged, clean = result.text, clean and result.clean
    return merged, clean


def _device_names(session: Session) -> dict[str, str]:
    names = {k.device_id: k.name for k in session.execute(select(TrustedKey)).scalars()}
    for device in session.execute(select(ThisDevice)).scalars():
        names[device.device_id] = "this laptop"
    return names


def _record_label(session: Session, record_type: str, record_id: str) -> str:
    model = SYNCABLE.get(record_type)
    record = session.get(model, record_id) if model else None
    kind = singular(record_type)
    for attribute in ("name", "title", "reason", "stage"):
        value = getattr(record, attribute, None)
        if isinstance(value, str) and value:
            return f"{value} ({kind})"
    return f"{kind} {record_id[:8]}"


def _when(hlc: str) -> str:
    wall = HLC.parse(hlc).wall_ms
    try:
        moment = dt.datetime.fromtimestamp(wall / 1000, dt.UTC)
    except (OverflowError, OSError, ValueError):
        return "at an impossible time"
    return date_and_time(moment)
