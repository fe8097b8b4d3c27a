"""A school put on the caseload during the year has nothing due from before that day."""

from __future__ import annotations

import datetime as dt

from coachdesk.core import assignments, organizations
from coachdesk.core.caseload import current_school_year
from coachdesk.core.organization_fields import OrganizationFields
from coachdesk.core.tracking_records.due import due_on
from coachdesk.core.tracking_rules import shipped_rules
from coachdesk.core.tracking_rules.dates import add_months, month_end


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


def _first_visit_month_ending_after(day: dt.date) -> dt.date:
    """The last day of the first month with a monthly visit due (not July or August) that ends
    after `day`."""
    months = shipped_rules().ny.monthly_visit.months
    month = day.replace(day=1)
    while month.month not in months or month_end(month) <= day:
        month = add_months(month, 1)
    return month_end(month)


def test_what_falls_due_after_the_day_it_was_set_up_is_listed_when_missed(profile):
    school = _ny_school_assigned_today(profile)
    today = dt.date.today()
    # The day after the first visit month since it was set up ends with no visit (a fixed 75
    # days on was a summer day, with no visit month missed yet, from mid-April to mid-July).
    later = _first_visit_month_ending_after(today) + dt.timedelta(days=1)
    if current_school_year(later) != current_school_year(today):
        # From 30 June, that month is next school year's: set up today for that year too.
        assignments.assign(
            profile,
            school,
            assignments.AssignmentFields(
                "NY_RCV", receivership_year=3, school_year=current_school_year(later)
            ),
        )
    missed = [i for i in due_on(profile, later) if i.school_id == school and i.due < later]
    assert any("visit" in i.what.lower() for i in missed)  # a month with no visit since


def test_the_demo_keeps_its_whole_year(demo):
    # The demo's assignments are recorded the day it loads, yet it shows a year under way.
    day = dt.date.today()
    before_today = [i for i in due_on(demo, day) if i.due < day - dt.timedelta(days=30)]
    assert before_today
