"""Writing an OH One-Year Action Plan: goals and activities as a coach types them."""

from __future__ import annotations

import datetime as dt

import pytest

from coachdesk.core.errors import RefusedInput
from coachdesk.core.tracking_records.facts_query import school_year_on
from coachdesk.core.tracking_records.plan_activities import (
    add_activity,
    add_goal,
    edit_activity,
    read_cost,
    read_date,
)
from coachdesk.core.tracking_records.plans import get_action_plan

YEAR = school_year_on(dt.date.today())


def _oh_school(demo) -> str:
    return (
        demo.quick_connection()
        .execute(
            "SELECT o.id FROM organization o JOIN assignment a ON a.org_id = o.id "
            "WHERE a.program_code = 'OH_NNPS' ORDER BY o.name LIMIT 1"
        )
        .fetchone()[0]
    )


def _change_count(demo) -> int:
    return demo.quick_connection().execute("SELECT count(*) FROM change").fetchone()[0]


@pytest.mark.parametrize(
    ("typed", "dollars"),
    [("250", 250), ("$1,200", 1200), (" 75.00 ", 75), ("", None), (None, None), (0, 0)],
)
def test_costs_are_read_as_whole_dollars(typed, dollars):
    assert read_cost(typed) == dollars


@pytest.mark.parametrize(
    ("typed", "sentence"),
    [
        ("abc", "is not a cost"),
        ("12.50", "whole dollars"),
        ("-5", "cannot be negative"),
        ("5000000", "check the number"),
    ],
)
def test_a_cost_that_is_not_whole_dollars_is_refused_with_a_sentence(typed, sentence):
    with pytest.raises(RefusedInput, match=sentence):
        read_cost(typed)


@pytest.mark.parametrize(
    "typed", ["2026-10-14", "14 Oct 2026", "14 October 2026", "Oct 14, 2026", "10/14/2026"]
)
def test_dates_are_read_in_the_usual_spellings(typed):
    assert read_date(typed) == dt.date(2026, 10, 14)


def test_a_date_that_is_not_a_date_is_refused_with_a_sentence():
    assert read_date("  ") is None
    with pytest.raises(RefusedInput, match="“31 Feb 2026” is not a date; type it as"):
        read_date("31 Feb 2026")


def test_an_added_activity_appears_in_the_plan_with_its_typed_values(demo):
    school = _oh_school(demo)
    plan = get_action_plan(demo, school, YEAR)
    goal_id = plan.goal_ids[0]
    changes = add_activity(
        demo,
        goal_id,
        title="Family math night",
        involvement_type="4",
        starts_on="12 Mar 2027",
        in_charge="Math coach",
        cost="$1,250",
    )
    (new_id,) = changes.ids("plan_activity")
    again = get_action_plan(demo, school, YEAR)
    added = next(a for a in again.activities if a.id == new_id)
    assert (added.title, added.involvement_type, added.starts_on, added.cost) == (
        "Family math night",
        4,
        dt.date(2027, 3, 12),
        1250,
    )
    assert added.goal_id == goal_id and added.status == "planned"
    assert again.total_cost() == plan.total_cost() + 1250
    assert again.activities_by_type()[4] == plan.activities_by_type()[4] + 1


@pytest.mark.parametrize(
    ("fields", "sentence"),
    [
        ({"title": "  "}, "The activity's description cannot be empty."),
        ({"cost": "lots"}, "is not a cost"),
        ({"starts_on": "next spring"}, "is not a date"),
        ({"involvement_type": 9}, "six types of involvement"),
        ({"status": "someday"}, "is not a status"),
    ],
)
def test_a_refused_activity_writes_nothing(demo, fields, sentence):
    school = _oh_school(demo)
    plan = get_action_plan(demo, school, YEAR)
    before = _change_count(demo)
    typed = {"title": "Coffee with the principal", "involvement_type": 2, **fields}
    with pytest.raises(RefusedInput, match=sentence):
        add_activity(demo, plan.goal_ids[0], **typed)
    assert _change_count(demo) == before
    assert len(get_action_plan(demo, school, YEAR).activities) == len(plan.activities)


def test_editing_an_activity_saves_every_field_and_a_blank_cost_clears_it(demo):
    school = _oh_school(demo)
    plan = get_action_plan(demo, school, YEAR)
    first = next(a for a in plan.activities if a.cost)
    other_goal = next(g for g in plan.goal_ids if g != first.goal_id)
    edit_activity(
        demo,
        first.id,
        goal_id=other_goal,
        title="Renamed activity",
        involvement_type=6,
        starts_on="2027-04-02",
        in_charge="Parent liaison",
        cost="",
        status="in progress",
    )
    edited = next(a for a in get_action_plan(demo, school, YEAR).activities if a.id == first.id)
    assert edited.title == "Renamed activity" and edited.involvement_type == 6
    assert edited.starts_on == dt.date(2027, 4, 2) and edited.in_charge == "Parent liaison"
    assert edited.cost is None and edited.status == "in progress"
    assert edited.goal_id == other_goal


def test_a_goal_needs_a_known_kind_and_a_desired_result(demo):
    school = _oh_school(demo)
    with pytest.raises(RefusedInput, match="desired result cannot be empty"):
        add_goal(demo, school, "2031-32", kind="academic", desired_result=" ")
    with pytest.raises(RefusedInput, match="academic, behavioral"):
        add_goal(demo, school, "2031-32", kind="sports", desired_result="Win")
    add_goal(demo, school, "2031-32", kind="climate", desired_result="Every family feels welcome.")
    plan = get_action_plan(demo, school, "2031-32")
    assert plan.goals == (("climate", "Every family feels welcome.", ""),)
    assert plan.activities == ()
