"""A demo visit turned into the principal's summary: the right facts, nothing private."""

from __future__ import annotations

import calendar
import datetime as dt
import io
import re
from dataclasses import dataclass

import pytest
from reportlab.lib.pagesizes import LETTER
from reportlab.platypus import Paragraph, Spacer
from sqlalchemy import select

from coachdesk.core import forms
from coachdesk.core.errors import NotFound
from coachdesk.core.programs import program
from coachdesk.core.schools import get_school
from coachdesk.core.store.profile import Profile
from coachdesk.core.store.schema import Assignment, Coach
from coachdesk.core.store.visit_tables import Visit
from coachdesk.core.visits import (
    amend_visit,
    follow_up,
    get_visit,
    list_visits,
    save_answer,
    start_visit,
)
from coachdesk.reports.pdf_layout import (
    PageFurniture,
    SectionTracker,
    build_pdf,
    make_styles,
    short_date,
)
from coachdesk.reports.printed_answers import printed_answers
from coachdesk.reports.sections import section
from coachdesk.reports.tables import data_table
from coachdesk.reports.visit_source import build_visit_summary
from coachdesk.reports.visit_summary import render_visit_summary
from tests.unit.reports.pdftext import ReadPdf, read_pdf

PLANTED_INTERNAL = "ZZ-INTERNAL-5521 the principal seemed overwhelmed, raise privately"
PLANTED_EVIDENCE = "ZZ-EVIDENCE-8842 Room 214, Ms. Alvarez's class"

# (program, visit type) of the three kinds of visit the summary must serve.
NY_ONSITE = ("NY_RCV", "onsite")
MA_WALK = ("MA_SSOS", "learning_walk")
OH_CHECK_IN = ("OH_NNPS", "check_in")

# The demo as loaded on this day: which visit is the latest final (or draft) one of each kind,
# and what it says, depend on the day the demo is loaded (on 30 June 2027 it has no final NY
# on-site visit; from 1 July 2027 the latest NY one is in a year with no DII targets yet).
DEMO_DAY = dt.date(2026, 12, 1)


@pytest.fixture
def demo(demo_on) -> Profile:
    """This file's demo: loaded on DEMO_DAY (tests/unit/reports/conftest.py), whatever the date."""
    return demo_on(DEMO_DAY)


def flat(value: str) -> str:
    return " ".join(value.split())


def pick_visit(profile: Profile, kind: tuple[str, str], *, status: str = "final") -> str:
    """The most recent demo visit of a program and type with the given status."""
    code, visit_type = kind
    for row in list_visits(profile):
        if row.visit_type == visit_type and row.status == status:
            if get_visit(profile, row.id).program_code == code:
                return row.id
    raise AssertionError(f"the demo has no {status} {code} {visit_type} visit")


def render(profile: Profile, visit_id: str, **kwargs) -> tuple[ReadPdf, int]:
    buffer = io.BytesIO()
    result = render_visit_summary(build_visit_summary(profile, visit_id, **kwargs), buffer)
    return read_pdf(buffer.getvalue()), result.pages


def plant(profile: Profile, visit_id: str, path: str, value: str) -> None:
    """Save an answer, reopening a final note for amendment first (as a coach would)."""
    if get_visit(profile, visit_id).status != "draft":
        amend_visit(profile, visit_id)
    save_answer(profile, visit_id, path, value)


def coach_name(profile: Profile, visit_id: str) -> str:
    with profile.reading() as session:
        visit = session.get(Visit, visit_id)
        assignment = session.get(Assignment, visit.assignment_id)
        return session.get(Coach, assignment.coach_id).name


@dataclass
class Expected:
    """What the summary of a visit must show, read from the visit itself."""

    school: str
    district: str
    program: str
    date: dt.date


def expected(profile: Profile, visit_id: str) -> Expected:
    visit = get_visit(profile, visit_id)
    school = get_school(profile, visit.school_id)
    return Expected(
        school=visit.school_name,
        district=school.district_name or "",
        program=program(visit.program_code).long_name,
        date=visit.starts_at.date(),
    )


def labels(definition: forms.FormDefinition, name: str, value) -> list[str]:
    field = definition.field(name)
    names = value if isinstance(value, list) else [value]
    return [field.choices.label_of(n) for n in names]


# --- NY on-site visit -----------------------------------------------------------------------------


def test_ny_onsite_summary_shows_header_purpose_work_agreements_and_next_steps(demo) -> None:
    visit_id = pick_visit(demo, NY_ONSITE)
    visit = get_visit(demo, visit_id)
    want = expected(demo, visit_id)
    pdf, pages = render(demo, visit_id)
    text = pdf.flat

    assert pages <= 2
    for value in (want.school, want.district, want.program, "On-site visit", "Final"):
        assert value in text
    # "October 27, 2026": the month in full, no leading zero, whatever the machine's locale.
    assert f"{calendar.month_name[want.date.month]} {want.date.day}, {want.date.year}" in text
    assert coach_name(demo, visit_id) in text
    for person in visit.attendees:
        assert f"{person.name} ({person.role})" in text
    answers = visit.response
    # Choices print as their labels, a multiple choice joined; never as codes. A code can be a
    # word of a label ("implementation" in "Work through implementation challenges"): with the
    # labels taken out, no code is left as a word of its own.
    purpose = "; ".join(labels(visit.definition, "purpose", answers["purpose"]))
    assert f"Purpose of the visit: {purpose}" in text
    unlabelled = text
    for choice in visit.definition.field("purpose").choices.choices:
        unlabelled = unlabelled.replace(choice.label, "")
    for code in answers["purpose"]:
        assert re.search(rf"\b{re.escape(code)}\b", unlabelled) is None, code
    focus = "; ".join(labels(visit.definition, "coaching_focus", answers["coaching_focus"]))
    assert f"Coaching focus: {focus}" in text
    assert flat(answers["agreements"]) in text
    assert flat(answers["challenges"]) in text
    steps = [item for item in visit.action_items if item.status != "dropped"]
    assert steps  # a dropped step is no longer a next step, and does not print as one
    for item in steps:
        assert flat(item.text) in text and item.owner in text
        assert short_date(item.due) in text
    assert "Progress snapshot" in text  # the school's DIIs (tests/unit/reports/test_summary_*)
    assert "Form ny_rcv_monthly_visit, version 1" in text


def test_answers_hidden_by_relevance_do_not_print(demo) -> None:
    visit_id = pick_visit(demo, NY_ONSITE, status="draft")
    save_answer(demo, visit_id, "dii_reviewed", "no")
    save_answer(demo, visit_id, "dii_notes", "ZZ-NOT-RELEVANT data notes")
    pdf, _ = render(demo, visit_id)
    assert "ZZ-NOT-RELEVANT" not in pdf.text
    save_answer(demo, visit_id, "dii_reviewed", "yes")
    pdf, _ = render(demo, visit_id)
    assert "ZZ-NOT-RELEVANT data notes" in pdf.flat
    assert "Draft (not final)" in pdf.flat


# --- privacy --------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [NY_ONSITE, MA_WALK, OH_CHECK_IN])
def test_an_internal_note_never_reaches_the_pdf(demo, kind) -> None:
    visit_id = pick_visit(demo, kind)
    plant(demo, visit_id, "coach_notes", PLANTED_INTERNAL)
    assert get_visit(demo, visit_id).response["coach_notes"] == PLANTED_INTERNAL
    data = build_visit_summary(demo, visit_id)
    assert "ZZ-INTERNAL" not in repr(data)
    pdf, _ = render(demo, visit_id)
    assert "ZZ-INTERNAL" not in pdf.text
    assert "Coach's private notes" not in pdf.text
    # Reopened for amendment, the note is no longer final until finalized again.
    assert data.header.is_draft


def test_hidden_fields_never_print(demo) -> None:
    visit_id = pick_visit(demo, OH_CHECK_IN)
    plant(demo, visit_id, "team_changes", ["new_leader"])
    plant(demo, visit_id, "team_change_notes", "ZZ-HIDDEN-3310 principal leaving in March")
    pdf, _ = render(demo, visit_id)
    assert "ZZ-HIDDEN" not in pdf.text
    assert "Changes to the team" not in pdf.text
    assert "Reasons for more frequent coaching" not in pdf.text


# --- MA learning walk -----------------------------------------------------------------------------


def test_learning_walk_prints_look_for_shares_and_never_a_classroom(demo) -> None:
    visit_id = pick_visit(demo, MA_WALK)
    plant(demo, visit_id, "classrooms[0].ev_discourse", PLANTED_EVIDENCE)
    visit = get_visit(demo, visit_id)
    walk = forms.summarize_walk(visit.definition, visit.response)
    assert walk.classrooms >= 1
    pdf, pages = render(demo, visit_id)

    assert pages <= 2
    assert "Learning walk: look-fors across classrooms" in pdf.text
    text = pdf.flat
    for tally in walk.overall:
        if not tally.seen:
            continue
        # The label (a long one wraps), then classrooms seen, % observed, % partly.
        row = (
            f"{flat(tally.label)} {tally.seen} {tally.share_observed * 100:.0f}%"
            f" {tally.share_partly * 100:.0f}%"
        )
        assert row in text, tally.label
    # No classroom row: no evidence, no grade band or content area of a room, no room numbers.
    assert "ZZ-EVIDENCE" not in pdf.text and "Alvarez" not in pdf.text
    definition = visit.definition
    for row in visit.response["classrooms"]:
        for name in ("grade_band", "content_area"):
            if row.get(name):
                assert labels(definition, name, row[name])[0] not in pdf.text
    for heading in ("Visit number", "Grade band", "Content area", "Minutes in the room"):
        assert heading not in pdf.text
    assert flat(visit.response["focus_of_inquiry"]) in pdf.flat
    assert flat(visit.response["patterns"]) in pdf.flat
    assert flat(visit.response["wonderings"]) in pdf.flat


# --- OH check-in ----------------------------------------------------------------------------------


def test_oh_check_in_shows_stage_elements_activities_and_reminders(demo) -> None:
    visit_id = pick_visit(demo, OH_CHECK_IN)
    visit = get_visit(demo, visit_id)
    answers = visit.response
    pdf, pages = render(demo, visit_id)
    text = pdf.flat

    assert pages <= 2
    assert "Check-in" in text
    stage = labels(visit.definition, "stage", answers["stage"])[0]
    assert f"Implementation stage: {stage}" in text
    assert "The five essential elements" in text
    for name in ("el_leaders", "el_team", "el_six_types", "el_action_plan", "el_evaluation"):
        if answers.get(name):
            label = visit.definition.field(name).label
            assert f"{label}: {labels(visit.definition, name, answers[name])[0]}" in text
    for activity in answers.get("plan_activities") or []:
        assert flat(activity["activity"]) in text
        kind = labels(visit.definition, "involvement_type", activity["involvement_type"])[0]
        # The activities print as a table: the type sits in its column after the activity.
        assert kind in text[text.index(flat(activity["activity"])) :]
    if answers.get("reminders"):
        assert "; ".join(labels(visit.definition, "reminders", answers["reminders"])) in text
    for item in visit.action_items:
        assert flat(item.text) in text


# --- follow-up and upcoming dates -----------------------------------------------------------------


def test_follow_up_shows_items_reviewed_here_and_still_open(demo) -> None:
    visit_id = pick_visit(demo, OH_CHECK_IN, status="draft")
    visit = get_visit(demo, visit_id)
    # Two next steps agreed at a visit the week before, still open when this one starts.
    before = start_visit(
        demo,
        visit.school_id,
        visit_type="check_in",
        starts_at=visit.starts_at - dt.timedelta(days=7),
    )
    repeat = get_visit(demo, before).action_repeat
    due = (visit.starts_at + dt.timedelta(days=14)).date().isoformat()
    for row, text in enumerate(("Send the family survey home", "Book the gym for family night")):
        save_answer(demo, before, f"{repeat}[{row}].step", text)
        save_answer(demo, before, f"{repeat}[{row}].owner", "Parent liaison")
        save_answer(demo, before, f"{repeat}[{row}].due", due)
    earlier = get_visit(demo, visit_id).earlier_open_items
    assert len(earlier) >= 2
    follow_up(demo, earlier[0].id, at_visit=visit_id, outcome="done")
    data = build_visit_summary(demo, visit_id, today=dt.date(2030, 1, 1))
    statuses = {item.item: item.status for item in data.follow_up}

    def described(item) -> str:
        return f"{item.text} ({item.owner}, due {short_date(item.due)})"

    assert statuses[described(earlier[0])] == "Done"
    assert statuses[described(earlier[1])] == "Overdue"  # still open in 2030
    before_due = build_visit_summary(demo, visit_id, today=earlier[1].due)
    assert {i.item: i.status for i in before_due.follow_up}[described(earlier[1])] == "Open"
    pdf, _ = render(demo, visit_id)
    assert "Follow-up on the previous visit's items" in pdf.text


def test_upcoming_dates_name_the_next_visit_and_invent_nothing(demo) -> None:
    visit_id = pick_visit(demo, NY_ONSITE)
    visit = get_visit(demo, visit_id)
    with demo.reading() as session:
        later = session.execute(
            select(Visit.starts_at)
            .where(Visit.org_id == visit.school_id, Visit.starts_at > visit.starts_at)
            .order_by(Visit.starts_at)
        ).first()
    if later is None:
        assert build_visit_summary(demo, visit_id, today=DEMO_DAY).upcoming == ()
        pdf, _ = render(demo, visit_id, today=DEMO_DAY)
        assert "Upcoming dates" not in pdf.text
        day = visit.starts_at + dt.timedelta(days=30)
    else:
        day = later.starts_at
    # A visit scheduled after this one (the soonest one) is the next visit.
    soon = visit.starts_at + (day - visit.starts_at) / 2
    start_visit(demo, visit.school_id, visit_type="virtual", starts_at=soon)
    # Looked at on the demo's day (a later day would list report deadlines then coming up).
    data = build_visit_summary(demo, visit_id, today=DEMO_DAY)
    assert [(u.what, u.when) for u in data.upcoming] == [
        ("Next visit (virtual meeting)", soon.date())
    ]
    pdf, _ = render(demo, visit_id, today=DEMO_DAY)
    assert "Upcoming dates" in pdf.text and short_date(soon.date()) in pdf.flat


def test_an_unknown_visit_is_refused(demo) -> None:
    with pytest.raises(NotFound, match="There is no visit with id nope"):
        build_visit_summary(demo, "nope")


# --- placement rules on a form written for the purpose -----------------------------------------

DEPTH_FORM = """
settings: {form_id: depth_check, version: 1, title: Depth check, program: NY_RCV,
           applies_to: [onsite]}
choices:
  level:
    - {name: low, label: Low level}
    - {name: high, label: High level}
fields:
  - {type: long_text, name: unplaced, label: Not placed}
  - {type: long_text, name: hidden, label: Hidden, pdf: hide}
  - type: group
    name: shown_group
    label: Shown group
    pdf: section:observations
    fields:
      - {type: select_one, name: level, label: Level, choices: level}
      - {type: text, name: secret_in_group, label: Secret, privacy: internal}
      - {type: text, name: hidden_in_group, label: Hidden in group, pdf: hide}
  - type: group
    name: hidden_group
    label: Hidden group
    pdf: hide
    fields:
      - {type: text, name: placed_in_hidden, label: Placed, pdf: "section:observations"}
  - type: group
    name: private_group
    label: Private group
    privacy: internal
    fields:
      - {type: text, name: placed_in_private, label: Placed too, pdf: "section:agreements"}
  - type: repeat
    name: rows
    label: Row
    pdf: section:observations
    fields:
      - {type: text, name: what, label: What}
      - {type: text, name: row_secret, label: Row secret, privacy: internal}
      - {type: text, name: row_hidden, label: Row hidden, pdf: hide}
"""


def test_withheld_fields_never_print_at_any_depth() -> None:
    loaded = forms.parse_form(DEPTH_FORM, "depth_check.yaml")
    assert loaded.definition is not None, loaded.problems
    response = {
        "unplaced": "ZZ-1 unplaced",
        "hidden": "ZZ-2 hidden",
        "level": "high",
        "secret_in_group": "ZZ-3 secret",
        "hidden_in_group": "ZZ-4 hidden",
        "placed_in_hidden": "ZZ-5 placed",
        "placed_in_private": "ZZ-6 placed",
        "rows": [{"what": "First row", "row_secret": "ZZ-7", "row_hidden": "ZZ-8"}],
    }
    printed = printed_answers(loaded.definition, response, on=dt.date(2026, 11, 18))
    assert "ZZ-" not in repr(printed)
    assert [(s.title, s.text) for s in printed.observations] == [
        ("Shown group", "Level: High level"),
        ("Row", "First row"),
    ]
    assert printed.agreements == () and printed.learning_walk is None


# --- found while looking at demo summaries --------------------------------------------------------


def test_a_section_that_ends_at_the_foot_of_a_page_is_not_continued_overleaf() -> None:
    """A short table ending a section at the foot of page 1 once made page 2 say
    "Next steps (continued)" above the next section."""
    st = make_styles(1.0)
    ended_at_the_foot = 0
    for half_points in range(1160, 1290, 2):  # spacers of 580-645 pt push the table to the foot
        tracker = SectionTracker()
        table = data_table(
            ["Action", "Owner"], [("Share the data wall", "Principal")], [300, 212], st
        )
        story = [
            Spacer(1, half_points / 2),
            *section("Next steps", [table], st, tracker),
            *section("Follow-up", [Paragraph("An earlier item", st.body)], st, tracker),
        ]
        pdf, _ = build_pdf(
            story,
            pagesize=LETTER,
            furniture=PageFurniture("footer", "running title"),
            tracker=tracker,
            styles=st,
            metadata={},
        )
        pages = read_pdf(pdf).pages
        if len(pages) == 2 and "Share the data wall" in pages[0]:
            ended_at_the_foot += 1
            assert "Next steps (continued)" not in pages[1], half_points / 2
    assert ended_at_the_foot > 0


WHEN_FORM = """
settings: {form_id: when_check, version: 1, title: When, program: NY_RCV, applies_to: [onsite]}
fields:
  - type: group
    name: walk
    label: The walk
    pdf: section:observations
    fields:
      - {type: date, name: walked_on, label: Walked on}
      - {type: time, name: began, label: Began}
"""


def test_dates_and_times_in_answers_print_as_a_us_reader_writes_them() -> None:
    loaded = forms.parse_form(WHEN_FORM, "when_check.yaml")
    assert loaded.definition is not None, loaded.problems
    response = {"walked_on": "2026-11-18", "began": "13:05"}
    printed = printed_answers(loaded.definition, response, on=dt.date(2026, 11, 18))
    text = " ".join(s.text for s in printed.observations)
    assert "Walked on: Nov 18, 2026" in text and "Began: 1:05 PM" in text
