"""Visits: start one, fill its form answer by answer (autosave), finalize it, amend it.

Answers are saved one at a time as the coach types (the window calls `save_answer` within a
second of each change), so a crash loses at most the last second. The next-steps repeat of a
form is backed by ActionItem records (see visit_tables.py); `save_answer` routes to them.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coachdesk.core import forms, school_year
from coachdesk.core.changes import ChangeSummary
from coachdesk.core.errors import RefusedInput
from coachdesk.core.ids import stable_id
from coachdesk.core.records import live_record, stamp_now
from coachdesk.core.store.profile import Profile
from coachdesk.core.store.schema import Assignment, Organization
from coachdesk.core.store.visit_tables import ActionItem, StoredForm, Visit, VisitAnswer
from coachdesk.core.sync_limits import VALUE_BYTES, carried_bytes
from coachdesk.core.validation import LONG_TEXT_LIMIT, clean_text
from coachdesk.core.visits.benchmark_results import bind_results, record_results
from coachdesk.core.visits.finalize_rules import program_checks
from coachdesk.core.visits.life import OLD_FORM, VisitPermissions, what_can_change
from coachdesk.core.visits.times import answers_from_times, times_from_answer
from coachdesk.core.visits.views import (
    VISIT_TYPE_LABELS,
    ActionItemView,
    Attendee,
    FinalizeCheck,
    VisitDetail,
)

# A typed column each next-steps field fills (the form's `bind: action_items.<column>`).
ACTION_COLUMNS = ("text", "owner", "due", "status")


# --- starting -------------------------------------------------------------------------------------


def start_visit(
    profile: Profile,
    school_id: str,
    *,
    visit_type: str,
    starts_at: dt.datetime,
    form_id: str | None = None,
    purpose: str | None = None,
) -> str:
    """Create a draft visit on the school's current form for this visit type; returns its id."""
    if visit_type not in VISIT_TYPE_LABELS:
        raise RefusedInput("Choose a visit type: " + ", ".join(VISIT_TYPE_LABELS.values()) + ".")
    with profile.writing() as write:
        session = write.session
        live_record(session, Organization, school_id, "school")
        assignment = _assignment_for(session, school_id, starts_at.date())
        definition = None
        if assignment is not None:
            choices = forms.forms_for_visit(assignment.program_code, visit_type)
            if form_id is not None:
                choices = [d for d in choices if d.form_id == form_id]
                if not choices:
                    raise RefusedInput(f"There is no usable form {form_id} for this visit type.")
            definition = choices[0] if choices else None
        visit = Visit(
            org_id=school_id,
            assignment_id=assignment.id if assignment else None,
            visit_type=visit_type,
            starts_at=starts_at.replace(second=0, microsecond=0),
            purpose=clean_text(purpose, what="The purpose", limit=LONG_TEXT_LIMIT, multiline=True),
            status="draft",
        )
        if definition is not None:
            _keep_form(session, definition)
            visit.form_id = definition.form_id
            visit.form_version = definition.version
            visit.form_sha256 = definition.sha256
        session.add(visit)
        session.flush()
        return visit.id


def _assignment_for(session: Session, school_id: str, day: dt.date) -> Assignment | None:
    rows = (
        session.execute(
            select(Assignment)
            .where(Assignment.org_id == school_id, Assignment.deleted_at.is_(None))
            .order_by(Assignment.school_year.desc())
        )
        .scalars()
        .all()
    )
    for assignment in rows:
        if int(assignment.school_year[:4]) == school_year.start_year_of(day):
            return assignment
    return rows[0] if rows else None


def _keep_form(session: Session, definition: forms.FormDefinition) -> None:
    """Store the form's text with the profile (once per version), for rendering it later."""
    record_id = stable_id(f"form:{definition.form_id}:{definition.version}:{definition.sha256}")
    if session.get(StoredForm, record_id) is None:
        session.add(
            StoredForm(
                id=record_id,
                form_id=definition.form_id,
                version=definition.version,
                sha256=definition.sha256,
                text=definition.text,
            )
        )


# --- reading --------------------------------------------------------------------------------------


def get_visit(profile: Profile, visit_id: str) -> VisitDetail:
    """The visit, its form (as written), its answers and next steps, and earlier open items."""
    with profile.reading() as session:
        visit = live_record(session, Visit, visit_id, "visit")
        school = session.get(Organization, visit.org_id)
        assignment = session.get(Assignment, visit.assignment_id) if visit.assignment_id else None
        definition, problem, current = _definition_for(session, visit)
        answers = session.execute(
            select(VisitAnswer).where(
                VisitAnswer.visit_id == visit_id, VisitAnswer.deleted_at.is_(None)
            )
        ).scalars()
        response: dict[str, Any] = {a.field: json.loads(a.value) for a in answers}
        if definition is not None:
            # The note's date and times are the visit's (set from either place).
            response.update(answers_from_times(definition, visit.starts_at, visit.ends_at))
        items = _items_of(session, visit_id)
        action_repeat = _action_repeat(definition)
        if action_repeat is not None:
            response[action_repeat.name] = [_row_of(action_repeat, item) for item in items]
        earlier = session.execute(
            select(ActionItem, Visit.starts_at)
            .join(Visit, Visit.id == ActionItem.visit_id)
            .where(
                ActionItem.org_id == visit.org_id,
                ActionItem.deleted_at.is_(None),
                ActionItem.visit_id != visit_id,
                Visit.starts_at < visit.starts_at,
                Visit.deleted_at.is_(None),
                (ActionItem.status == "open") | (ActionItem.reviewed_in_visit_id == visit_id),
            )
            .order_by(Visit.starts_at, ActionItem.created_hlc)
        ).all()
        return VisitDetail(
            id=visit.id,
            school_id=visit.org_id,
            school_name=school.name if school else "",
            program_code=assignment.program_code if assignment else None,
            visit_type=visit.visit_type,
            starts_at=visit.starts_at,
            ends_at=visit.ends_at,
            purpose=visit.purpose,
            attendees=tuple(Attendee(**a) for a in json.loads(visit.attendees or "[]")),
            status=visit.status,
            finalized_at=visit.finalized_at,
            amended_at=visit.amended_at,
            definition=definition,
            form_problem=problem,
            form_is_current=current,
            response=response,
            action_items=tuple(_item_view(i) for i in items),
            earlier_open_items=tuple(_item_view(i, when.date()) for i, when in earlier),
            action_repeat=action_repeat.name if action_repeat else None,
            last_amended_at=visit.amended_at or _last_amendment(session, visit.id),
            permissions=_permissions(visit, school, problem, current),
            shared_on=visit.shared_on,
        )


def _permissions(
    visit: Visit,
    school: Organization | None,
    problem: str | None,
    current: bool,
    *,
    now: dt.datetime | None = None,
) -> VisitPermissions:
    """What can change on the visit now (life.py decides; this gathers what it needs)."""
    return what_can_change(
        status=visit.status,
        amending=visit.amended_at is not None,
        form_problem=problem or (None if current else OLD_FORM),
        starts_at=visit.starts_at,
        school_tz=school.tz if school is not None else None,
        now=now,
    )


def visit_permissions(
    session: Session, visit: Visit, *, now: dt.datetime | None = None
) -> VisitPermissions:
    """What can change on a stored visit now, read within the caller's session."""
    _definition, problem, current = _definition_for(session, visit)
    return _permissions(visit, session.get(Organization, visit.org_id), problem, current, now=now)


def _last_amendment(session: Session, visit_id: str) -> str | None:
    """When a note was last reopened for amendment, read from its history (finalizing again
    clears `amended_at`, but the fact that the final note changed must stay visible)."""
    from coachdesk.core.store.schema import Change

    values = session.scalars(
        select(Change.value)
        .where(
            Change.record_type == "visit",
            Change.record_id == visit_id,
            Change.field == "amended_at",
        )
        .order_by(Change.hlc.desc())
    )
    for value in values:
        found = json.loads(value) if value else None
        if found:
            return found
    return None


def _definition_for(
    session: Session, visit: Visit
) -> tuple[forms.FormDefinition | None, str | None, bool]:
    if visit.form_id is None or visit.form_version is None:
        return None, "No form is set for this visit type in this program.", False
    stored = (
        session.execute(
            select(StoredForm).where(
                StoredForm.form_id == visit.form_id,
                StoredForm.version == visit.form_version,
                StoredForm.sha256 == visit.form_sha256,
            )
        )
        .scalars()
        .first()
    )
    if stored is None:
        return (
            None,
            f"The form {visit.form_id} v{visit.form_version} is not in this profile.",
            False,
        )
    try:
        definition = forms.load_stored_definition(stored.text, expected_sha256=stored.sha256)
    except forms.StoredFormError as exc:
        return None, str(exc), False
    shipped = forms.find_definition(visit.form_id, visit.form_version)
    return definition, None, shipped is not None and shipped.sha256 == definition.sha256


def _action_repeat(definition: forms.FormDefinition | None) -> forms.FieldDef | None:
    if definition is None:
        return None
    repeats = definition.repeats("action_items")
    return repeats[0] if repeats else None


def _items_of(session: Session, visit_id: str) -> list[ActionItem]:
    return list(
        session.execute(
            select(ActionItem)
            .where(ActionItem.visit_id == visit_id, ActionItem.deleted_at.is_(None))
            .order_by(ActionItem.created_hlc, ActionItem.id)
        ).scalars()
    )


def _column_of(child: forms.FieldDef) -> str | None:
    if child.bind and child.bind.startswith("action_items."):
        column = child.bind.split(".", 1)[1]
        return column if column in ACTION_COLUMNS else None
    return None


def _row_of(repeat: forms.FieldDef, item: ActionItem) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for child in repeat.children:
        column = _column_of(child)
        if column is None:
            continue
        value = getattr(item, column)
        row[child.name] = value.isoformat() if isinstance(value, dt.date) else value
    return row


def _item_view(item: ActionItem, visit_date: dt.date | None = None) -> ActionItemView:
    return ActionItemView(
        id=item.id,
        visit_id=item.visit_id,
        school_id=item.org_id,
        text=item.text,
        owner=item.owner,
        due=item.due,
        status=item.status,
        reviewed_in_visit_id=item.reviewed_in_visit_id,
        closed_on=item.closed_on,
        visit_date=visit_date,
    )


# --- saving answers -------------------------------------------------------------------------------


def save_answer(profile: Profile, visit_id: str, path: str, value: Any) -> ChangeSummary:
    """Store one answer (a field, a repeat cell, or a whole repeat's rows) as typed."""
    try:
        name, row, child = forms.split_path(path)
    except ValueError as exc:
        raise RefusedInput(f"“{path}” is not a field of this form.") from exc
    _check_size(value)
    with profile.writing() as write:
        session = write.session
        visit = live_record(session, Visit, visit_id, "visit")
        definition, problem, current = _definition_for(session, visit)
        allowed = _permissions(visit, session.get(Organization, visit.org_id), problem, current)
        if definition is None or not allowed.edit:
            raise RefusedInput(allowed.why_not_edit or OLD_FORM)
        try:
            field = definition.field(name)
        except KeyError as exc:
            raise RefusedInput(f"“{name}” is not a field of {definition.title}.") from exc
        repeat = _action_repeat(definition)
        if repeat is not None and name == repeat.name:
            _save_action_rows(session, visit, repeat, row, child, value)
        elif row is None:
            earlier = _answer_value(session, visit_id, name)
            _put_answer(session, visit_id, field, value)
            moved = times_from_answer(
                field.bind, value, visit.starts_at, visit.ends_at, earlier=earlier
            )
            if moved is not None:
                visit.starts_at, visit.ends_at = moved
        else:
            rows = _answer_value(session, visit_id, name) or []
            while len(rows) <= row:
                rows.append({})
            rows[row] = {**rows[row], child: value}
            _put_answer(session, visit_id, field, rows)
    return write.changes


def _check_size(value: Any) -> None:
    """Refuse at once a value longer than any answer can be (every character takes a byte or
    more in a bundle); _put_answer checks the exact size of the whole answer."""
    size = len(value) if isinstance(value, str) else len(json.dumps(value, default=str))
    if size > VALUE_BYTES:
        _too_long(size)


def _too_long(size: int) -> None:
    raise RefusedInput(
        f"That answer is too long to share: it takes {size:,} bytes or more in a bundle, and one"
        f" answer can hold {VALUE_BYTES:,} (about a million plain characters). Split it, or"
        " attach the document instead."
    )


def _answer_id(visit_id: str, field: str) -> str:
    return stable_id(f"answer:{visit_id}:{field}")


def _answer_value(session: Session, visit_id: str, field: str) -> Any:
    answer = session.get(VisitAnswer, _answer_id(visit_id, field))
    return json.loads(answer.value) if answer is not None and answer.deleted_at is None else None


def _put_answer(session: Session, visit_id: str, field: forms.FieldDef, value: Any) -> None:
    text = json.dumps(value, ensure_ascii=False, allow_nan=False)
    carried = carried_bytes(text)
    if carried > VALUE_BYTES:  # the whole answer (a repeat's every row) must travel in a bundle
        _too_long(carried)
    answer = session.get(VisitAnswer, _answer_id(visit_id, field.name))
    if answer is None:
        session.add(
            VisitAnswer(
                id=_answer_id(visit_id, field.name),
                visit_id=visit_id,
                field=field.name,
                value=text,
                privacy=field.privacy,
            )
        )
    else:
        answer.value = text
        answer.deleted_at = None


def _save_action_rows(
    session: Session,
    visit: Visit,
    repeat: forms.FieldDef,
    row: int | None,
    child: str | None,
    value: Any,
) -> None:
    items = _items_of(session, visit.id)
    if row is not None:  # one cell
        while len(items) <= row:
            item = ActionItem(visit_id=visit.id, org_id=visit.org_id, status="open")
            session.add(item)
            session.flush()
            items.append(item)
        child_field = next((c for c in repeat.children if c.name == child), None)
        column = _column_of(child_field) if child_field is not None else None
        if column is not None:
            _set_item(items[row], column, value)
        return
    # The whole list of rows: match them to the items so that removing a row in the middle
    # tombstones that item instead of shifting every later one.
    rows = value if isinstance(value, list) else []
    old = [json.dumps(_row_of(repeat, i), sort_keys=True) for i in items]
    new = [json.dumps({k: r.get(k) for k in _row_keys(repeat)}, sort_keys=True) for r in rows]
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        pairs = list(zip(range(a1, a2), range(b1, b2), strict=False))
        for a, b in pairs:  # replaced in place
            _set_row(items[a], repeat, rows[b])
        for a in range(a1 + len(pairs), a2):  # removed
            items[a].deleted_at = stamp_now()
        for b in range(b1 + len(pairs), b2):  # added
            item = ActionItem(visit_id=visit.id, org_id=visit.org_id, status="open")
            _set_row(item, repeat, rows[b])
            session.add(item)


def _row_keys(repeat: forms.FieldDef) -> list[str]:
    return [c.name for c in repeat.children if _column_of(c) is not None]


def _set_row(item: ActionItem, repeat: forms.FieldDef, row: dict[str, Any]) -> None:
    for child in repeat.children:
        column = _column_of(child)
        if column is not None and child.name in row:
            _set_item(item, column, row[child.name])


def _set_item(item: ActionItem, column: str, value: Any) -> None:
    if column == "due":
        try:
            item.due = dt.date.fromisoformat(value) if value else None
        except (TypeError, ValueError) as exc:
            raise RefusedInput(f"“{value}” is not a date (expected YYYY-MM-DD).") from exc
    elif column == "status":
        if value not in (None, "open", "done", "dropped"):
            raise RefusedInput("A next step is open, done or dropped.")
        item.status = value or "open"
    elif column == "text":
        item.text = (
            clean_text(value, what="The next step", limit=LONG_TEXT_LIMIT, multiline=True) or ""
        )
    else:
        item.owner = clean_text(value, what="Who", limit=200)


# --- finalizing -----------------------------------------------------------------------------------


def check_before_finalizing(
    profile: Profile, visit_id: str, *, now: dt.datetime | None = None
) -> FinalizeCheck:
    """What stands between the note and final: why not now (a visit that has not started, a
    note already final), missing required answers (which block) and privacy warnings (which
    the coach may accept). `now` is an aware moment (default: now)."""
    detail = get_visit(profile, visit_id)
    with profile.reading() as session:
        visit = live_record(session, Visit, visit_id, "visit")
        refusal = visit_permissions(session, visit, now=now)
        _bound, unbound = bind_results(session, visit, detail.definition, detail.response)
    if detail.definition is None:
        return FinalizeCheck(missing=(), privacy=(), refusal=refusal.why_not_finalize)
    today = detail.starts_at.date()
    problems = forms.check_response(detail.definition, detail.response, today=today)
    findings = forms.scan_response(detail.definition, detail.response, today=today)
    return FinalizeCheck(
        missing=tuple(f"{p.label}: {p.message}" for p in problems)
        + program_checks(detail)
        + tuple(unbound),
        privacy=tuple(f"{f.message} (“{f.excerpt}”)" for f in findings),  # names its field
        refusal=refusal.why_not_finalize,
    )


def finalize_visit(
    profile: Profile,
    visit_id: str,
    *,
    accept_privacy_warnings: bool = False,
    now: dt.datetime | None = None,
) -> ChangeSummary:
    """Mark the note final, if the visit has started and nothing required is missing; refuses
    with the reasons. `now` is an aware moment (default: now)."""
    check = check_before_finalizing(profile, visit_id, now=now)
    if check.refusal is not None:
        raise RefusedInput(check.refusal)
    if check.blocked:
        raise RefusedInput("The note cannot be finalized yet: " + "; ".join(check.missing))
    if check.privacy and not accept_privacy_warnings:
        raise RefusedInput(
            "The note may identify a student: "
            + "; ".join(check.privacy)
            + ". Edit it, or finalize anyway if these are not about students."
        )
    detail = get_visit(profile, visit_id)  # its benchmark results are recorded as final
    with profile.writing() as write:
        session = write.session
        visit = live_record(session, Visit, visit_id, "visit")
        allowed = visit_permissions(session, visit, now=now)
        if not allowed.finalize:  # changed since the check
            raise RefusedInput(allowed.why_not_finalize or OLD_FORM)
        _keep_bound_answers(session, visit)
        bound, _unbound = bind_results(session, visit, detail.definition, detail.response)
        record_results(session, visit, bound)
        # An amended note that was shared stays shared: the school has it, the change is logged.
        visit.status = "shared" if visit.shared_on is not None else "final"
        visit.finalized_at = visit.finalized_at or stamp_now()
        visit.amended_at = None
    return write.changes


def _keep_bound_answers(session: Session, visit: Visit) -> None:
    """Store the note's date and times as answers when the page only showed them (opening a
    draft writes nothing), so the final note holds every answer it showed."""
    definition, _problem, _current = _definition_for(session, visit)
    if definition is None:
        return
    for name, value in answers_from_times(definition, visit.starts_at, visit.ends_at).items():
        if _answer_value(session, visit.id, name) is None:
            _put_answer(session, visit.id, definition.field(name), value)


def amend_visit(profile: Profile, visit_id: str) -> ChangeSummary:
    """Reopen a final note for changes; every earlier version stays in its history."""
    with profile.writing() as write:
        visit = live_record(write.session, Visit, visit_id, "visit")
        if visit.status == "draft":
            return write.changes
        allowed = visit_permissions(write.session, visit)
        if not allowed.amend and visit.amended_at is None:
            raise RefusedInput(allowed.why_not_amend or OLD_FORM)
        visit.amended_at = stamp_now()
    return write.changes


def answer_history(profile: Profile, visit_id: str, field: str) -> list[tuple[str, Any]]:
    """Every version of one answer, oldest first, as (clock reading, value)."""
    from coachdesk.core.store.schema import Change

    with profile.reading() as session:
        rows = session.execute(
            select(Change.hlc, Change.value)
            .where(
                Change.record_type == "visit_answer",
                Change.record_id == _answer_id(visit_id, field),
                Change.field == "value",
            )
            .order_by(Change.hlc)
        ).all()
    return [(hlc, json.loads(json.loads(value))) for hlc, value in rows]
