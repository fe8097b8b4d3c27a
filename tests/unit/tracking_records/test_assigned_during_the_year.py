"""A school put on the caseload during the year has nothing due from before that day."""

from __future__ import annotations

import datetime as dt

from coachdesk.core import assignments, organizations
from coachdesk.core.organization_fields import OrganizationFields
from coachdesk.core.tracking_records.due import due_on


def _ny_school_assigned_today(profile) -> str:
    district = organizations.add_district(profile, name="Albany City SD", state="NY")
    school = OrganizationFields("school", "Arbor Hill Elementary", "NY", parent_id=district.id)
    written = assignments.add_assigned_school(
        profile, school, assignments.AssignmentFields("NY_RCV", receivership_year=2)
    )
    return written.id


def test_a_school_set_up_today_lists_nothing_overdue_from_before_today(profile):
    school = _ny_school_assigned_today(profile)
    today = dt.date.today()
    items = [i for i in due_on(profile, today) if i.school_id == school]
    assert items, "the school's own year still has things due"
    assert all(i.due >= today for i in items), [(i.what, i.due) for i in items if i.due < today]


def test_what_falls_due_after_the_day_it_was_set_up_is_listed_when_missed(profile):
    school = _ny_school_assigned_today(profile)
    later = dt.date.today() + dt.timedelta(days=75)
    missed = [i for i in due_on(profile, later) if i.school_id == school and i.due < later]
    assert any("visit" in i.what.lower() for i in missed)  # a month with no visit since


def test_the_demo_keeps_its_whole_year(demo):
    # The demo's assignments are recorded the day it loads, yet it shows a year under way.
    day = dt.date.today()
    before_today = [i for i in due_on(demo, day) if i.due < day - dt.timedelta(days=30)]
    assert before_today
