"""Editing an OH One-Year Action Plan (issue 13): goals edited and removed, activities deleted,
a person in charge who is an adult in a school role, and next spring's plan named by next year."""

from __future__ import annotations

import datetime as dt

import pytest

from coachdesk.core.assignments import AssignmentFields, add_assigned_school
from coachdesk.core.errors import RefusedInput
from coachdesk.core.organizations import OrganizationFields, add_district
from coachdesk.core.tracking_records.due import due_on
from coachdesk.core.tracking_records.plan_activities import (
    add_activity,
    add_goal,
    delete_activity,
    edit_activity,
    edit_goal,
    plan_year_written_on,
    read_in_charge,
    remove_goal,
)
from coachdesk.core.tracking_records.plans import get_action_plan, update_activity

YEAR = "2026-27"
D = dt.date


@pytest.fixture
def school(profile) -> str:
    district = add_district(profile, name="Fairhaven City Schools", state="OH").id
    return add_assigned_school(
        profile,
        OrganizationFields("school", "Garfield Elementary", "OH", parent_id=district),
        AssignmentFields("OH_NNPS", school_year=YEAR, stage="Full Implementation"),
        today=D(2026, 9, 1),
    ).id


def _goal(profile, school: str, kind: str = "academic") -> str:
    (goal,) = add_goal(
        profile, school, YEAR, kind=kind, desired_result="More students read at grade level"
    ).ids("partnership_goal")
    return goal


def _activity(profile, goal: str, title: str = "Family reading night", **fields) -> str:
    (activity,) = add_activity(
        profile, goal, title=title, involvement_type=4, **({"in_charge": "Principal"} | fields)
    ).ids("plan_activity")
    return activity


def _deleted_at(profile, table: str, record_id: str):
    return (
        profile.quick_connection()
        .execute(f"SELECT deleted_at FROM {table} WHERE id = ?", (record_id,))  # noqa: S608
        .fetchone()[0]
    )


def test_a_goal_is_edited_field_by_field(profile, school):
    goal = _goal(profile, school)
    edit_goal(profile, goal, measure="Spring i-Ready", kind="climate")
    plan = get_action_plan(profile, school, YEAR)
    assert plan.goals == (("climate", "More students read at grade level", "Spring i-Ready"),)
    edit_goal(profile, goal, desired_result="Every family feels welcome", measure="")
    assert get_action_plan(profile, school, YEAR).goals == (
        ("climate", "Every family feels welcome", ""),
    )


@pytest.mark.parametrize(
    ("fields", "sentence"),
    [
        ({"kind": "financial"}, "academic, behavioral or about the climate"),
        ({"desired_result": "   "}, "desired result"),
    ],
)
def test_a_goal_edit_that_cannot_be_is_refused(profile, school, fields, sentence):
    goal = _goal(profile, school)
    with pytest.raises(RefusedInput, match=sentence):
        edit_goal(profile, goal, **fields)
    assert get_action_plan(profile, school, YEAR).goals[0][:2] == (
        "academic",
        "More students read at grade level",
    )


def test_a_goal_with_activities_is_removed_only_with_them(profile, school):
    goal = _goal(profile, school)
    other = _goal(profile, school, "behavioral")
    first = _activity(profile, goal)
    second = _activity(profile, goal, "Reading log")
    with pytest.raises(RefusedInput, match="This goal has 2 activities"):
        remove_goal(profile, goal)
    assert len(get_action_plan(profile, school, YEAR).activities) == 2
    remove_goal(profile, goal, with_activities=True)
    plan = get_action_plan(profile, school, YEAR)
    assert (plan.goal_ids, plan.activities) == ((other,), ())
    # Tombstones, not deletions: the rows stay for sync and history.
    assert all(
        _deleted_at(profile, table, rid)
        for table, rid in (
            ("partnership_goal", goal),
            ("plan_activity", first),
            ("plan_activity", second),
        )
    )
    remove_goal(profile, other)  # no activities: removed straight away
    assert get_action_plan(profile, school, YEAR).goals == ()
    with pytest.raises(RefusedInput, match="no longer exists"):
        edit_goal(profile, other, measure="x")


def test_an_activity_is_deleted_while_a_dropped_one_stays_listed(profile, school):
    goal = _goal(profile, school)
    dropped = _activity(profile, goal, "Volunteer orientation")
    deleted = _activity(profile, goal, "Duplicate entry")
    update_activity(profile, dropped, status="dropped")
    delete_activity(profile, deleted)
    plan = get_action_plan(profile, school, YEAR)
    assert [(a.title, a.status) for a in plan.activities] == [("Volunteer orientation", "dropped")]
    assert _deleted_at(profile, "plan_activity", deleted)
    with pytest.raises(RefusedInput, match="no longer exists"):
        delete_activity(profile, deleted)


@pytest.mark.parametrize(
    "typed", ["Parent of Maya", "Parents", "Guardian of a 3rd grader", "Principal; Student"]
)
def test_a_person_in_charge_who_is_a_family_member_or_student_is_refused(profile, school, typed):
    goal = _goal(profile, school)
    with pytest.raises(RefusedInput, match="an adult in a school role") as refused:
        _activity(profile, goal, in_charge=typed)
    assert "is not a role at the school" in str(refused.value)
    kept = _activity(profile, goal)
    with pytest.raises(RefusedInput, match="an adult in a school role"):
        edit_activity(
            profile,
            kept,
            goal_id=goal,
            title="Family reading night",
            involvement_type=4,
            starts_on=None,
            in_charge=typed,
            cost=None,
            status="planned",
        )
    assert [a.in_charge for a in get_action_plan(profile, school, YEAR).activities] == ["Principal"]


def test_school_roles_in_charge_are_kept_as_typed_one_after_another():
    assert read_in_charge("Principal, Parent liaison;PTA/PTO representative") == (
        "Principal; Parent liaison; PTA/PTO representative"
    )
    assert read_in_charge("  ") == ""


def test_next_springs_plan_is_named_by_next_school_year(profile, school):
    items = [i for i in due_on(profile, D(2027, 5, 26)) if i.rule_id == "oh.action_plan"]
    (plan,) = items
    assert plan.what == "One-Year Action Plan 2027-28"
    assert "the 2027-28 one is due May 31" in plan.explanation
    assert plan.key.endswith(":2026-27")  # the obligation that closes it is unchanged
    assert plan_year_written_on(D(2027, 5, 15)) == "2027-28"
    assert plan_year_written_on(D(2026, 12, 1)) == "2026-27"
    assert plan_year_written_on(D(2027, 7, 1)) == "2027-28"
