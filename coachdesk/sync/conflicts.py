"""Conflicts: fields with more than one current version after a merge (DESIGN.md section 5).

Lists them, shows the versions side by side with their common ancestor and, for text, a
three-way merge proposal; resolving writes a new change that supersedes every version, so the
resolution travels to the other laptops like any edit.

A visit's answer (record type `visit_answer`, whose value is the JSON text of the answer) is shown
as the answer: the form field's label, the visit (date, form) and the school, and each version as
the coach reads it (a choice's label, a date, chosen options, a repeat's rows; the visit
summary's formatter, coachdesk/reports/printed_answers.py). Its merge proposal works on the
text inside the JSON, and every resolution is checked against the form field's type before it is
written (coachdesk/core/forms/answer_values.py): text that is not the field's answer is refused
with a sentence, so a resolution can never leave a note that cannot be opened.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Text, inspect, select

from coachdesk.core.changes import ChangeSummary
from coachdesk.core.clock import HLC
from coachdesk.core.dates_text import date_and_time, medium_date
from coachdesk.core.errors import NotFound, RefusedInput
from coachdesk.core.record_types import singular
from coachdesk.core.store.changelog import (
    SYNCABLE,
    decode_value,
    encode_value,
    log_explicit_edit,
)
from coachdesk.core.store.heads import HeadFact, field_state
from coachdesk.core.store.schema import Change, FieldHead, ThisDevice
from coachdesk.core.store.sync_tables import TrustedKey
from coachdesk.core.sync_limits import VALUE_BYTES, carried_bytes
from coachdesk.sync.textmerge import merge3

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from coachdesk.core.forms.model import FieldDef as FormField
    from coachdesk.core.forms.model import FormDefinition
    from coachdesk.core.store.profile import Profile
    from coachdesk.core.visits.views import VisitDetail


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
    readable: bool = True  # False: a stored answer its form field cannot hold (shown as stored)


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
        listed = [(h.record_type, h.record_id, h.field, len(json.loads(h.head_ids))) for h in heads]
        labels = {(t, i): _record_label(session, t, i) for t, i, _f, _n in listed if t != ANSWER}
    result = []
    for record_type, record_id, field, count in listed:
        if record_type == ANSWER:
            answer = _answer_of(profile, record_id)
            record_label, field_label = answer.record_label, answer.field_label
        else:
            record_label = labels[(record_type, record_id)]
            field_label = field.replace("_", " ")
        result.append(
            ConflictSummary(record_type, record_id, field, record_label, field_label, count)
        )
    return sorted(result, key=lambda c: (c.record_label.lower(), c.field_label.lower()))


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
    """What of a visit is in conflict: its own fields, then its note's answers by their labels
    ("Strengths")."""
    answers = answer_conflicts(profile, visit_id)
    own = record_conflicts(profile, "visit", visit_id)
    return own + tuple(sorted({a.field_label for a in answers.values()}))


@dataclass(frozen=True)
class AnswerConflict:
    """An answer of a visit in conflict, for the visit editor: its label, and who wrote the
    versions the note does not show."""

    field: str  # the form field's name
    field_label: str
    others: tuple[str, ...]  # "Lee", "this laptop"


def answer_conflicts(profile: Profile, visit_id: str) -> dict[str, AnswerConflict]:
    """Form field name -> its conflict, for every answer of the visit in conflict."""
    from coachdesk.core.store.visit_tables import VisitAnswer

    with profile.reading() as session:
        rows = session.execute(
            select(VisitAnswer.field, FieldHead.head_ids)
            .join(
                FieldHead,
                (FieldHead.record_type == ANSWER) & (FieldHead.record_id == VisitAnswer.id),
            )
            .where(VisitAnswer.visit_id == visit_id, FieldHead.in_conflict.is_(True))
        ).all()
        if not rows:
            return {}
        ids = [i for _f, heads in rows for i in json.loads(heads)]
        facts = _facts(session, ids)
        devices = dict(
            session.execute(
                select(Change.change_id, Change.device_id).where(Change.change_id.in_(ids))
            ).all()
        )
        names = _device_names(session)
    fields = _form_fields(profile, visit_id)
    result = {}
    for name, heads in rows:
        state = field_state(json.loads(heads), (), facts)
        others = sorted(
            {
                names.get(devices[i], f"device {devices[i][:8]}")
                for i in state.heads
                if facts[i].value != facts[state.shown_change_id or ""].value
            }
        )
        form_field = fields.get(name)
        label = form_field.label if form_field is not None else name.replace("_", " ")
        result[name] = AnswerConflict(name, label, tuple(others))
    return result


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
    facts = {
        i: HeadFact(c.hlc, c.value, tuple(json.loads(c.supersedes))) for i, c in history.items()
    }
    state = field_state(json.loads(head.head_ids), (), facts)
    answer = _answer_of(profile, record_id) if record_type == ANSWER and field == "value" else None

    def version(change_id: str) -> ConflictVersion:
        change = history[change_id]
        value = decode_value(model, field, change.value)
        readable = True
        if answer is not None:
            value, text, readable = answer.read(value)
        else:
            text = "(empty)" if value in (None, "") else str(value)
        return ConflictVersion(
            change_id=change_id,
            value=value,
            text=text,
            written_by=names.get(change.device_id, f"device {change.device_id[:8]}"),
            written_at=_when(change.hlc),
            shown=change_id == state.shown_change_id,
            readable=readable,
        )

    versions = tuple(version(i) for i in reversed(state.heads))
    base_id = _common_ancestor(history, list(state.heads))
    base = version(base_id) if base_id else None
    if answer is not None:
        long_text = answer.field is not None and answer.field.type == "long_text"
        mergeable = answer.field is not None and answer.field.type in ("text", "long_text")
        usable = base if base is None or base.readable else None
        proposal, clean = (
            _proposal(usable, versions, long_text=long_text)
            if mergeable and all(v.readable for v in versions)
            else (None, False)
        )
        summary = ConflictSummary(
            record_type, record_id, field, answer.record_label, answer.field_label, len(versions)
        )
    else:
        long_text = isinstance(inspect(model).columns[field].type, Text)
        proposal, clean = _proposal(base, versions, long_text=long_text)
        summary = ConflictSummary(
            record_type, record_id, field, label, field.replace("_", " "), len(versions)
        )
    return ConflictDetail(summary, versions, base, proposal, clean)


def resolve_conflict(
    profile: Profile, record_type: str, record_id: str, field: str, value: Any
) -> ChangeSummary:
    """Keep `value` for the field: a new change superseding every version; returns what changed.

    For a visit's answer `value` is the answer itself (text, a choice's name, a list, rows), as
    a version's `value` holds it; it is refused with a sentence, and nothing is written, unless
    the form field can hold it. Text that still holds a merge's conflict marks is refused too.
    """
    model = SYNCABLE.get(record_type)
    if model is None:
        raise NotFound(f"There is no kind of record called {record_type!r}.")
    _refuse_marks(value)
    if record_type == ANSWER and field == "value":
        value = _answer_column(_answer_of(profile, record_id), value)
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


# --- a visit's answers, in words ------------------------------------------------------------

ANSWER = "visit_answer"
_MARKS = ("<<<<<<< ", "=======", ">>>>>>> ")


@dataclass(frozen=True)
class _Answer:
    """What an answer's conflict needs: its form field (None when the visit's form cannot be
    read or no longer has it) and how the coach names it."""

    field: FormField | None
    field_label: str
    record_label: str  # "Harbor View Elementary, visit of Nov 18, 2026 (NY Visit Note)"
    visit_day: dt.date | None

    def read(self, column: Any) -> tuple[Any, str, bool]:
        """(the answer, how it reads, readable) for the column's JSON text."""
        from coachdesk.core.forms.answer_values import answer_text_problem

        if not isinstance(column, str):
            return column, "(empty)", column is None
        problem = answer_text_problem(self.field, column) if self.field is not None else None
        if problem is not None:
            return column, f"This version cannot be read ({problem}). As stored: {column}", False
        answer = json.loads(column)
        if self.field is None:
            return answer, _plain(answer), True
        return answer, _answer_words(self.field, answer), True


def _answer_of(profile: Profile, answer_id: str) -> _Answer:
    from coachdesk.core.store.visit_tables import VisitAnswer

    with profile.reading() as session:
        row = session.get(VisitAnswer, answer_id)
        visit_id, name = (row.visit_id, row.field) if row is not None else (None, None)
    if visit_id is None or name is None:
        return _Answer(None, "answer", f"visit answer {answer_id[:8]}", None)
    detail = _visit(profile, visit_id)
    if detail is None:
        return _Answer(None, name.replace("_", " "), "a deleted visit", None)
    form_field = _top_fields(detail.definition).get(name)
    form = f" ({detail.definition.title})" if detail.definition is not None else ""
    day = detail.starts_at.date()
    label = f"{detail.school_name}, {detail.type_label.lower()} of {medium_date(day)}{form}"
    field_label = form_field.label if form_field is not None else name.replace("_", " ")
    return _Answer(form_field, field_label, label, day)


def _visit(profile: Profile, visit_id: str) -> VisitDetail | None:
    from coachdesk.core.visits import get_visit

    try:
        return get_visit(profile, visit_id)
    except NotFound:
        return None


def _top_fields(definition: FormDefinition | None) -> dict[str, FormField]:
    from coachdesk.core.forms.answer_values import top_level_fields

    return top_level_fields(definition) if definition is not None else {}


def _form_fields(profile: Profile, visit_id: str) -> dict[str, FormField]:
    detail = _visit(profile, visit_id)
    return _top_fields(detail.definition) if detail is not None else {}


def _answer_words(form_field: FormField, answer: Any) -> str:
    """An answer as the coach reads it: the visit summary's words for a field, a repeat's rows
    one a line ("Row 1: Grade: 3; Look-for: Observed")."""
    from coachdesk.core.forms.model import inputs_of
    from coachdesk.reports.printed_answers import _answer_text

    if form_field.type != "repeat":
        return _answer_text(form_field, answer) or "(empty)"
    rows = [r for r in answer if isinstance(r, dict)] if isinstance(answer, list) else []
    children = list(inputs_of(form_field.children))
    lines = []
    for number, row in enumerate(rows, start=1):
        cells = [
            f"{child.label}: {text}"
            for child in children
            if (text := _answer_text(child, row.get(child.name)))
        ]
        lines.append(f"Row {number}: " + ("; ".join(cells) if cells else "(empty)"))
    return "\n".join(lines) or "(no rows)"


def _plain(answer: Any) -> str:
    if answer in (None, "", []):
        return "(empty)"
    if isinstance(answer, list):
        return "; ".join(str(a) for a in answer)
    return str(answer)


def _answer_column(answer: _Answer, value: Any) -> str:
    """The column's JSON text for an answer kept by a resolution; RefusedInput unless the form
    field can hold it and it fits in a bundle."""
    from coachdesk.core.forms.answer_values import answer_problem

    name = f"“{answer.field_label}”"
    if answer.field is None:
        raise RefusedInput(
            f"The answer to {name} cannot be checked: the form this visit was written in cannot "
            "be read, or no longer has that field, so it is left as it is."
        )
    problem = answer_problem(answer.field, value)
    if problem is not None:
        raise RefusedInput(f"That cannot be kept as the answer to {name}: {problem}.")
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):
        raise RefusedInput(f"That cannot be kept as the answer to {name}.") from None
    if carried_bytes(text) > VALUE_BYTES:
        raise RefusedInput(
            f"That answer to {name} is too long to share: one answer can hold {VALUE_BYTES:,} "
            "bytes in a bundle. Shorten it before keeping it."
        )
    return text


def _refuse_marks(value: Any) -> None:
    if not isinstance(value, str):
        return
    lines = value.splitlines()
    if all(any(line.startswith(mark) for line in lines) for mark in _MARKS):
        raise RefusedInput(
            "The merged text still holds both versions between <<<<<<< and >>>>>>> marks: "
            "keep the words you want, remove the marks, then keep the merged text."
        )


def _facts(session: Session, change_ids: list[str]) -> dict[str, HeadFact]:
    rows = session.execute(
        select(Change.change_id, Change.hlc, Change.value, Change.supersedes).where(
            Change.change_id.in_(change_ids)
        )
    )
    return {i: HeadFact(hlc, value, tuple(json.loads(sup))) for i, hlc, value, sup in rows}


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
