"""A year of demo visits: notes on each program's forms, next steps, and learning walks.

Generated from a fixed seed so that every machine gets the same visits with the same ids, and
loading the demo again adds nothing. Visits run from September of the previous school year to
the day the demo is loaded, at each program's usual cadence; older next steps are mostly done,
recent ones open, and the latest visit of some schools is still a draft.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coachdesk.core import forms
from coachdesk.core.demo.collect import DemoSink
from coachdesk.core.ids import stable_id
from coachdesk.core.store.schema import Assignment, Contact, Organization, StageRecord
from coachdesk.core.store.visit_tables import ActionItem, Visit, VisitAnswer
from coachdesk.core.visits.service import _answer_id, _column_of, _keep_form

# Sentences a coach would write, by the kind of question (matched on the field's name).
_BANK: dict[str, list[str]] = {
    "challenge": [
        "Substitute coverage kept two grade-level teams from meeting this month.",
        "The new benchmark platform was down for a week, so data reviews slipped.",
        "Chronic absence is still above 30% in grades 6 and 7.",
        "The literacy coach position is vacant until January.",
        "Family attendance at evening events remains low; transportation is the main barrier.",
    ],
    "agreement": [
        "The leadership team will review interim data at every second meeting.",
        "The principal will protect common planning time on Tuesdays and Thursdays.",
        "Walkthrough look-fors will be shared with staff before the next walk.",
        "The ATP will pilot a Saturday family math morning in March.",
    ],
    "note": [
        "Reviewed the early-goal data with the principal and the data coordinator; "
        "grade 3 reading is ahead of the straight-line target, grade 5 math is behind.",
        "Observed a PLC using the new protocol: teachers brought student work and named one "
        "misconception to reteach.",
        "Talked through how to make the coaching cycles visible to the whole staff.",
        "The team agreed the priority is discourse in math: students explaining their thinking.",
        "Walked the building with the assistant principal; routines are consistent in the "
        "primary wing.",
    ],
    "purpose": [
        "Monthly support visit: review progress on the lead strategies.",
        "Prepare for the quarterly report and check the mid-year goals.",
        "Plan the next learning walk with the instructional leadership team.",
        "Check in on the action plan and the spring family events.",
    ],
    "focus": [
        "Students explain their reasoning to peers in mathematics.",
        "Every student reads complex grade-level text every day.",
        "Feedback to students names the next step in their learning.",
    ],
    "pattern": [
        "In most classrooms students talked in pairs, but few explained why.",
        "Anchor charts were present; students referred to them when stuck.",
        "Questions were mostly recall; a few teachers asked students to justify answers.",
    ],
    "strength": [
        "Warm, consistent routines; transitions took under a minute.",
        "Students used accountable-talk stems without prompting in grade 4.",
    ],
    "wonder": [
        "What would it take for every student to explain a solution, not only the volunteers?",
        "How might the team use exit tickets to adjust the next day's lesson?",
    ],
    "next_level": [
        "Model a think-aloud in PLCs, then look for it on the next walk.",
        "Plan one discourse routine per unit and track it across classrooms.",
    ],
    "evidence": [
        "T asked “How do you know?”; two Ss explained using the number line.",
        "Ss worked in pairs; one pair compared strategies aloud.",
        "Teacher-led Q&A; Ss answered with single words.",
        "Ss wrote a claim and one piece of evidence in journals.",
    ],
    "team": [
        "A new parent joined the ATP; the PTO president rotated off.",
        "No changes to the team this quarter.",
    ],
    "adjust": [
        "Shift coaching time from grade 2 to grades 4 and 5 where ML growth lags.",
        "Add a second data meeting per month for the SWD subgroup.",
    ],
}
_STEPS = [
    "Share the updated data wall with grade-level teams",
    "Draft the agenda for the next leadership team meeting",
    "Schedule peer visits between grade 4 classrooms",
    "Send the family survey home in English and Spanish",
    "Finalize look-fors for the spring learning walk",
    "Collect exit tickets from three classrooms for the PLC",
    "Update the action plan with the February events",
    "Prepare the quarterly report narrative",
]
SEED = 20261123
_CADENCE_DAYS = {"NY_RCV": 30, "MA_SSOS": 35, "OH_NNPS": 42}


def _text_for(name: str, rng: random.Random) -> str:
    for key, bank in _BANK.items():
        if key in name:
            return rng.choice(bank)
    return rng.choice(_BANK["note"])


def _answer(field: forms.FieldDef, day: dt.date, rng: random.Random) -> Any:
    kind = field.type
    if field.calculation is not None or field.read_only:
        return None
    if kind in ("select_one", "rating") and field.choices:
        return rng.choice(field.choices.choices).name
    if kind == "select_multiple" and field.choices:
        picked = rng.sample(field.choices.choices, k=min(2, len(field.choices.choices)))
        return [c.name for c in picked]
    if kind == "date":
        return day.isoformat()
    if kind == "time":
        return "09:30" if "start" in field.name else "11:00"
    if kind == "integer":
        return rng.randint(1, 6)
    if kind == "decimal":
        return round(rng.uniform(20, 80), 1)
    if kind in ("text", "long_text"):
        return _text_for(field.name, rng)
    return None


def _response(definition: forms.FormDefinition, day: dt.date, rng: random.Random) -> dict:
    response: dict[str, Any] = {}
    for field in definition.fields:
        _fill(field, response, day, rng)
    return response


def _fill(field: forms.FieldDef, into: dict, day: dt.date, rng: random.Random) -> None:
    if field.type == "group":
        for child in field.children:
            _fill(child, into, day, rng)
    elif field.type == "repeat":
        if field.kind == "action_items":
            return
        rows = 6 if field.kind == "classrooms" else 2
        into[field.name] = [
            {c.name: v for c in _inputs(field) if (v := _answer(c, day, rng)) is not None}
            for _ in range(rows)
        ]
    elif field.is_input and (value := _answer(field, day, rng)) is not None:
        into[field.name] = value


def _name_benchmarks(definition: forms.FormDefinition, response: dict, school: str) -> None:
    """A result row names a real benchmark of the demo and its school, not a sentence.

    Done after the answers are drawn, so every other answer of the demo stays as it was.
    """
    from coachdesk.core.demo.tracking import _BENCHMARKS

    codes = [code for code, *_rest in _BENCHMARKS]
    for repeat in definition.repeats():
        binds = {child.bind: child.name for child in _inputs(repeat) if child.bind}
        code, where = binds.get("benchmark_results.code"), binds.get("benchmark_results.school")
        for index, row in enumerate(response.get(repeat.name) or []):
            if code:
                row[code] = codes[index % len(codes)]
            if where:
                row[where] = school


def _inputs(field: forms.FieldDef) -> list[forms.FieldDef]:
    out = []
    for child in field.children:
        out.extend(_inputs(child) if child.type == "group" else [child])
    return out


def _visit_days(start: dt.date, today: dt.date, every: int, rng: random.Random) -> list[dt.date]:
    days, day = [], start + dt.timedelta(days=rng.randint(0, 10))
    while day <= today:
        visit = day + dt.timedelta(days=max(0, 7 - day.weekday()) if day.weekday() >= 5 else 0)
        if visit.month not in (7, 8) and visit <= today:  # no visits in the summer
            days.append(visit)
        day += dt.timedelta(days=every + rng.randint(-4, 4))
    return days


def load(session: Session, *, today: dt.date, sink: DemoSink) -> int:
    """Add the demo visits that are not there yet; returns how many records were added.

    Visits are made for the demo's own schools only (the assignments, contacts and stages the
    caseload loader noted in `sink`), so a coach's own schools never get fictional visits and
    the same ids come out on every run for the same day.
    """
    before = sink.added
    query = (
        select(Assignment, Organization)
        .join(Organization, Organization.id == Assignment.org_id)
        .where(Assignment.id.in_(sorted(sink.noted(Assignment))))
        .order_by(Organization.name, Assignment.id)
    )
    if sink.adding:  # a deleted assignment gets no new visits; its old ones are still the demo's
        query = query.where(Assignment.deleted_at.is_(None))
    assignments = session.execute(query).all()
    year_start = int(max(a.school_year for a, _ in assignments)[:4]) if assignments else today.year
    start = dt.date(year_start - 1, 9, 8)
    for assignment, school in assignments:
        # One generator per school and per visit, seeded from their ids: a visit that is
        # already there draws the same numbers, so nothing generated after it shifts.
        rng = random.Random(f"{SEED}:{school.id}")
        contacts = session.execute(
            select(Contact.id, Contact.name, Contact.role)
            .where(Contact.org_id == school.id, Contact.id.in_(sorted(sink.noted(Contact))))
            .order_by(Contact.name)
        ).all()
        owners = list(dict.fromkeys([c.role for c in contacts] + ["Coach"]))
        attendees = json.dumps(
            [{"name": c.name, "role": c.role, "contact_id": c.id} for c in contacts[:2]],
            ensure_ascii=False,
        )
        # A school that joined the program recently has no visits from before it joined.
        joined = session.execute(
            select(func.min(StageRecord.effective)).where(
                StageRecord.org_id == school.id, StageRecord.id.in_(sorted(sink.noted(StageRecord)))
            )
        ).scalar()
        first = max(start, joined) if joined else start
        days = _visit_days(first, today, _CADENCE_DAYS.get(assignment.program_code, 35), rng)
        for number, day in enumerate(days):
            visit_type = _visit_type(assignment.program_code, day, number)
            choices = forms.forms_for_visit(assignment.program_code, visit_type)
            if not choices:
                continue
            definition = choices[0]
            visit_id = stable_id(f"demo:visit:{school.id}:{day.isoformat()}")
            if sink.adding and visit_id not in sink.present(Visit):
                _keep_form(session, definition)
            rng_visit = random.Random(f"{SEED}:{visit_id}")
            latest = number == len(days) - 1
            # The latest note may still be a draft; the one before is final and not yet shared
            # with the school; older notes have been shared.
            if latest and rng_visit.random() < 0.5:
                status = "draft"
            elif number == len(days) - 2 and rng_visit.random() < 0.3:
                status = "final"
            else:
                status = "shared"
            if sink.keep(
                Visit,
                visit_id,
                org_id=school.id,
                assignment_id=assignment.id,
                visit_type=visit_type,
                starts_at=dt.datetime.combine(day, dt.time(9, 30)),
                ends_at=dt.datetime.combine(day, dt.time(11, 30)),
                purpose=rng_visit.choice(_BANK["purpose"]),
                attendees=attendees,
                status=status,
                finalized_at=None if status == "draft" else f"{day.isoformat()}T17:00:00+00:00",
                form_id=definition.form_id,
                form_version=definition.version,
                form_sha256=definition.sha256,
            ):
                # The models carry no relationships, so the unit of work cannot order the visit
                # before its answers and next steps: flush it first (foreign keys are on).
                session.flush()
            response = _response(definition, day, rng_visit)
            _name_benchmarks(definition, response, school.name)
            for name, value in response.items():
                field = definition.field(name)
                sink.keep(
                    VisitAnswer,
                    _answer_id(visit_id, name),
                    visit_id=visit_id,
                    field=name,
                    value=json.dumps(value, ensure_ascii=False),
                    privacy=field.privacy,
                )
            recent = 2 if latest else 1 if number == len(days) - 2 else 0
            _next_steps(
                sink,
                definition,
                visit_id,
                school.id,
                day,
                today,
                owners,
                rng_visit,
                recent=recent,
            )
        _planned_visit(sink, assignment, school.id, today, attendees, rng)
    return sink.added - before


def _planned_visit(
    sink: DemoSink,
    assignment: Assignment,
    school_id: str,
    today: dt.date,
    attendees: str,
    rng: random.Random,
) -> None:
    """Most schools have their next visit on the calendar (a draft dated ahead, no notes yet)."""
    if rng.random() > 0.75:
        return
    day = today + dt.timedelta(days=rng.randint(3, 24))
    day += dt.timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)
    visit_type = _visit_type(assignment.program_code, day, 1)
    choices = forms.forms_for_visit(assignment.program_code, visit_type)
    visit_id = stable_id(f"demo:visit:{school_id}:planned")
    if not choices:
        return
    definition = choices[0]
    if sink.adding and visit_id not in sink.present(Visit):
        _keep_form(sink.session, definition)
    sink.keep(
        Visit,
        visit_id,
        org_id=school_id,
        assignment_id=assignment.id,
        visit_type=visit_type,
        starts_at=dt.datetime.combine(day, dt.time(9, 30)),
        ends_at=dt.datetime.combine(day, dt.time(11, 0)),
        purpose="Planned: " + rng.choice(_BANK["purpose"]).lower(),
        attendees=attendees,
        status="draft",
        form_id=definition.form_id,
        form_version=definition.version,
        form_sha256=definition.sha256,
    )


def _visit_type(program_code: str, day: dt.date, number: int) -> str:
    if program_code == "MA_SSOS":
        if day.month in (12, 1) and number % 3 == 0:
            return "pm_meeting"
        if number % 4 == 2:
            return "learning_walk"
        return "onsite"
    if program_code == "OH_NNPS":
        return "check_in"
    return "onsite"


def _next_steps(
    sink: DemoSink,
    definition: forms.FormDefinition,
    visit_id: str,
    school_id: str,
    day: dt.date,
    today: dt.date,
    owners: list[str],
    rng: random.Random,
    *,
    recent: int,
) -> None:
    if not definition.repeats("action_items"):
        return
    repeat = definition.repeats("action_items")[0]
    columns = {_column_of(c) for c in repeat.children}
    for step in range(rng.randint(1, 3)):
        due = day + dt.timedelta(days=rng.choice((14, 21, 28)))
        # recent: 2 for the latest visit (its steps are open), 1 for the one before (most were
        # closed at the latest visit), 0 for older ones (closed: mostly done, a few dropped).
        chance_open = {2: 1.0, 1: 0.3, 0: 0.0}[recent]
        if rng.random() < chance_open:
            status = "open"
        else:
            status = "done" if rng.random() < 0.9 else "dropped"
        sink.keep(
            ActionItem,
            stable_id(f"demo:step:{visit_id}:{step}"),
            visit_id=visit_id,
            org_id=school_id,
            text=rng.choice(_STEPS),
            owner=rng.choice(owners) if "owner" in columns else None,
            due=due,
            status=status,
            closed_on=min(due, today) if status != "open" else None,
        )
