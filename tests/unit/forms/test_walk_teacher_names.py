"""A learning walk never names a teacher or a room: finalizing refuses a walk whose evidence or
debrief does, and search over walks is no per-teacher lookup (DOMAIN.md section 6, issue 14)."""

from __future__ import annotations

import datetime as dt

import pytest

from coachdesk.core import visits
from coachdesk.core.errors import RefusedInput
from coachdesk.core.forms import find_definition
from coachdesk.core.forms.privacy import scan_classroom_text, scan_walk
from coachdesk.core.visits import list_visits, search

NOW = dt.datetime(2026, 11, 30, 18, 0, tzinfo=dt.UTC)
TEACHER = "Quintanilla"
# The demo loaded on the day of NOW: its draft learning walk is drawn from the day it is loaded
# (loaded as of the real day there was none on e.g. 2027-01-12, 02-01 or 06-30).
DEMO_DAY = NOW.date()


@pytest.fixture
def demo(demo_on):
    return demo_on(DEMO_DAY)


def test_teacher_names_and_room_numbers_are_found_and_visit_numbers_are_not() -> None:
    for text in (
        "Ms. Lopez modeled a think-aloud.",
        "In Mr. Chen's class pairs explained.",
        "Mrs Ng asked why.",
        "Dr. Patel checked for understanding.",
        "Miss Harper circulated.",
        "Lopez's students used sentence frames.",
        "A teacher named Alvarez paused the class.",
        "Room 214 had anchor charts.",
        "rm 12B: exit tickets.",
        "Room #5 was noisy.",
    ):
        assert scan_classroom_text(text), text
    for text in (
        "In classroom 3 students explained their reasoning to a partner.",
        "Today's class ran long; students miss the bus at 3.",
        "The teacher asked three open questions in 10 minutes.",
        "Room for growth: more wait time.",
    ):
        assert scan_classroom_text(text) == [], text


def test_scan_walk_names_the_classroom_and_look_for_and_skips_next_step_owners() -> None:
    walk = find_definition("ma_learning_walk", 1)
    response = {
        "classrooms": [
            {"ev_discourse": "Pairs talked."},
            {"ev_discourse": "Ms. Lopez asked pairs to explain (Room 214)."},
        ],
        "patterns": "In Mr. Chen's class and others, pairs talked.",
        "next_steps": [{"step": "Share the look-fors", "owner": "Ms. Rivera"}],  # an adult owner
        "coach_notes": "Ms. Lopez asked for feedback",  # internal: never leaves, not read
    }
    found = [(f.path, f.kind, f.label) for f in scan_walk(walk, response)]
    assert found == [
        (
            "classrooms[1].ev_discourse",
            "teacher_name",
            "Classroom 2, evidence for “Students explain their reasoning to peers”",
        ),
        (
            "classrooms[1].ev_discourse",
            "room_number",
            "Classroom 2, evidence for “Students explain their reasoning to peers”",
        ),
        ("patterns", "teacher_name", "Patterns across classrooms"),
    ]
    # Another form is no walk: its owners and notes name adults by design.
    visit_form = find_definition("ny_rcv_monthly_visit", 1)
    assert scan_walk(visit_form, {"challenges": "Ms. Lopez's class"}) == []


def draft_walk(demo) -> str:
    return next(
        r.id for r in list_visits(demo) if r.visit_type == "learning_walk" and r.status == "draft"
    )


def test_finalizing_a_walk_that_names_a_teacher_is_refused_until_it_is_removed(demo) -> None:
    walk = draft_walk(demo)
    visits.save_answer(demo, walk, "classrooms[1].ev_discourse", f"Ms. {TEACHER} asked why.")
    visits.save_answer(demo, walk, "classrooms[2].ev_task", "Room 214 worked on fractions.")

    check = visits.check_before_finalizing(demo, walk, now=NOW)
    named = [m for m in check.missing if "learning walk knows classrooms" in m]
    assert named == [  # in form order: the task's evidence comes first
        "Classroom 3, evidence for “Students are working on a grade-level task”: gives a room "
        "number (“Room 214 worked on fractions.”); a learning walk knows classrooms only by "
        "their visit number, so write “the teacher” or “classroom 2” instead",
        "Classroom 2, evidence for “Students explain their reasoning to peers”: names a teacher "
        f"(“Ms. {TEACHER} asked why.”); a learning walk knows classrooms only by their visit "
        "number, so write “the teacher” or “classroom 2” instead",
    ]
    # Not a warning to accept: it refuses, as a missing answer does.
    with pytest.raises(RefusedInput, match="names a teacher"):
        visits.finalize_visit(demo, walk, accept_privacy_warnings=True, now=NOW)
    assert visits.get_visit(demo, walk).status == "draft"

    visits.save_answer(demo, walk, "classrooms[1].ev_discourse", "The teacher asked why.")
    visits.save_answer(demo, walk, "classrooms[2].ev_task", "Classroom 3 worked on fractions.")
    check = visits.check_before_finalizing(demo, walk, now=NOW)
    assert not [m for m in check.missing if "learning walk knows classrooms" in m]


def test_a_teachers_name_typed_in_evidence_finds_no_classroom(demo) -> None:
    walk = draft_walk(demo)
    visits.save_answer(demo, walk, "classrooms[1].ev_discourse", f"Ms. {TEACHER} asked why.")
    assert search(demo, TEACHER) == []
    assert search(demo, f"Ms {TEACHER}") == []
    # The walk itself is still found by what describes the school.
    visits.save_answer(demo, walk, "wonderings", "I wonder how pairs could explain more.")
    hits = search(demo, "pairs could explain")
    assert [(h.kind, h.record_id) for h in hits] == [("note", walk)]
    # And other notes' answers are searched as before.
    meeting = next(r.id for r in list_visits(demo) if r.visit_type == "onsite")
    if visits.get_visit(demo, meeting).status != "draft":
        visits.amend_visit(demo, meeting)
    visits.save_answer(demo, meeting, "challenges", f"Coverage for {TEACHER} fell through.")
    assert [h.record_id for h in search(demo, TEACHER)] == [meeting]
