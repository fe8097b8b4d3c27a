"""Relevance, constraints, required answers and calculations against the shipped forms."""

from __future__ import annotations

import datetime as dt

import pytest

from coachdesk.core.forms import (
    apply_calculations,
    check_response,
    constraint_problem,
    find_definition,
    is_relevant,
    missing_required,
    shown_answers,
)

TODAY = dt.date(2026, 3, 10)


@pytest.fixture(scope="module")
def ny():
    return find_definition("ny_rcv_monthly_visit", 1)


@pytest.fixture(scope="module")
def walk():
    return find_definition("ma_learning_walk", 1)


def test_relevance_follows_answers(ny):
    assert not is_relevant(ny, {}, "purpose_other")
    assert is_relevant(ny, {"purpose": ["other"]}, "purpose_other")
    assert not is_relevant(ny, {"dii_reviewed": "no"}, "dii_notes")
    assert is_relevant(ny, {"dii_reviewed": "yes"}, "dii_notes")


def test_required_only_counts_shown_fields(ny):
    missing = missing_required(ny, {}, today=TODAY)
    assert "visit_date" in missing and "purpose" in missing and "dii_reviewed" in missing
    assert "purpose_other" not in missing  # hidden until "other" is picked
    answers = {"visit_date": "2026-03-09", "purpose": ["other"], "dii_reviewed": "no"}
    assert missing_required(ny, answers, today=TODAY) == ["purpose_other"]


def test_constraints_refuse_with_the_forms_sentence(ny):
    future = {"visit_date": "2026-03-11"}
    assert constraint_problem(ny, future, "visit_date", today=TODAY) == (
        "The visit date cannot be in the future."
    )
    assert constraint_problem(ny, {"visit_date": "2026-03-10"}, "visit_date", today=TODAY) is None
    times = {"start_time": "10:00", "end_time": "09:30"}
    assert constraint_problem(ny, times, "end_time") == "The visit has to end after it starts."
    assert constraint_problem(ny, {"start_time": "09:00", "end_time": "09:30"}, "end_time") is None


def test_repeat_rows_are_checked_one_by_one(ny):
    answers = {"next_steps": [{"step": "Share the DII tracker", "owner": "Principal"}]}
    problems = check_response(ny, answers, today=TODAY)
    assert any(p.path == "next_steps[0].due" and p.kind == "required" for p in problems)
    assert not any(p.path == "next_steps[0].owner" for p in problems)


def test_check_without_require_reports_only_refused_answers(ny):
    answers = {"visit_date": "2030-01-01"}
    problems = check_response(ny, answers, today=TODAY, require=False)
    assert [(p.path, p.kind) for p in problems] == [("visit_date", "constraint")]


def test_a_required_repeat_needs_a_row(walk):
    problems = check_response(walk, {}, today=TODAY)
    assert any(
        p.path == "classrooms" and p.message == "Add at least one classroom visit."
        for p in problems
    )


def test_classroom_numbers_are_calculated_from_their_position(walk):
    answers = {"classrooms": [{"lf_target": "observed"}, {}, {"visit_number": 99}]}
    filled = apply_calculations(walk, answers)
    assert [row["visit_number"] for row in filled["classrooms"]] == [1, 2, 3]
    assert "visit_number" not in answers["classrooms"][0]  # the input is not changed


def test_minutes_in_a_room_are_bounded_per_row(walk):
    answers = {"classrooms": [{"minutes": 12}, {"minutes": 0}]}
    problems = check_response(walk, answers, today=TODAY, require=False)
    assert [p.path for p in problems] == ["classrooms[1].minutes"]


def test_shown_answers_drop_hidden_fields(ny):
    answers = {
        "purpose": ["dii_progress"],
        "purpose_other": "left over",
        "dii_reviewed": "no",
        "dii_notes": "stale",
    }
    shown = shown_answers(ny, answers)
    assert shown["purpose"] == ["dii_progress"]
    assert "purpose_other" not in shown and "dii_notes" not in shown


def test_pm_meeting_note_appears_for_short_meetings():
    pm = find_definition("ma_pm_meeting", 1)
    assert not is_relevant(pm, {}, "short_meeting")
    assert is_relevant(pm, {"minutes": 60}, "short_meeting")
    assert not is_relevant(pm, {"minutes": 95}, "short_meeting")


def test_oh_no_changes_cannot_be_combined_with_a_change():
    oh = find_definition("oh_nnps_check_in", 1)
    bad = {"team_changes": ["none", "new_leader"]}
    assert constraint_problem(oh, bad, "team_changes")
    assert constraint_problem(oh, {"team_changes": ["none"]}, "team_changes") is None
    assert is_relevant(oh, {"team_changes": ["new_leader"]}, "team_change_notes")
    assert not is_relevant(oh, {"team_changes": ["none"]}, "team_change_notes")
