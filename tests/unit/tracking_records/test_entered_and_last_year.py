"""What due_on reads about when a note was entered, last school year's leftovers, and the length
of a progress-monitoring meeting typed on its form."""

from __future__ import annotations

import datetime as dt

import pytest

from coachdesk.core import visits
from coachdesk.core.programs import program
from coachdesk.core.store.schema import Assignment, Coach, Organization
from coachdesk.core.store.visit_tables import ActionItem, Visit
from coachdesk.core.tracking_records.due import Group, due_entries, due_on
from coachdesk.core.visits.times import times_from_answer

TODAY = dt.date.today()


@pytest.fixture
def school(profile):
    """One NY school on this school year's caseload."""
    with profile.writing() as write:
        s = write.session
        coach = Coach(name="Dana")
        org = Organization(kind="school", name="Lincoln Park ES", state="NY")
        s.add_all([coach, org])
        s.flush()
        s.add(
            Assignment(
                coach_id=coach.id,
                org_id=org.id,
                program_code="NY_RCV",
                school_year=program("NY_RCV").school_year(TODAY),
            )
        )
    return org.id


def _rules_listed(profile, school_id, day=TODAY):
    return [i for i in due_on(profile, day) if i.school_id == school_id]


def test_a_note_back_filled_today_for_a_visit_weeks_ago_is_not_overdue_yet(profile, school):
    held = TODAY - dt.timedelta(days=40)
    with profile.writing() as write:
        year_held = program("NY_RCV").school_year(held)
        if year_held != program("NY_RCV").school_year(TODAY):  # in July: last year's visit
            assigned = write.session.query(Assignment).filter_by(org_id=school).one()
            write.session.add(
                Assignment(
                    coach_id=assigned.coach_id,
                    org_id=school,
                    program_code="NY_RCV",
                    school_year=year_held,
                )
            )
        write.session.add(
            Visit(
                org_id=school,
                visit_type="onsite",
                starts_at=dt.datetime.combine(held, dt.time(9)),
                status="draft",
            )
        )
    draft = [i for i in _rules_listed(profile, school) if i.rule_id == "all.note_draft"]
    assert len(draft) == 1 and draft[0].due > TODAY
    # Seen from a day before it was entered, its clock is the visit's own.
    seen_before = [
        i
        for i in _rules_listed(profile, school, TODAY - dt.timedelta(days=1))
        if i.rule_id == "all.note_draft"
    ]
    assert seen_before and seen_before[0].due < TODAY - dt.timedelta(days=30)


def test_the_demo_notes_keep_the_clocks_of_their_visits(demo):
    drafts = [i for i in due_on(demo, TODAY) if i.rule_id == "all.note_draft"]
    assert any(i.due < TODAY for i in drafts)


def test_items_due_before_this_school_year_sit_in_a_last_year_group(profile, school):
    year_began = dt.date(int(program("NY_RCV").school_year(TODAY)[:4]), 7, 1)
    with profile.writing() as write:
        visit = Visit(
            org_id=school,
            visit_type="onsite",
            starts_at=dt.datetime.combine(year_began - dt.timedelta(days=40), dt.time(9)),
            status="final",
        )
        write.session.add(visit)
        write.session.flush()
        write.session.add(
            ActionItem(
                visit_id=visit.id,
                org_id=school,
                text="Send the spring survey",
                due=year_began - dt.timedelta(days=20),
            )
        )
    entries = [e for e in due_entries(profile, TODAY) if e.item.rule_id == "all.action_item"]
    assert [e.group for e in entries] == [Group.LAST_YEAR]
    assert [e.group for e in due_entries(profile, TODAY)][-1] is Group.LAST_YEAR


def test_a_length_typed_on_the_form_gives_the_meeting_its_end_unless_an_end_was_typed():
    start = dt.datetime(2027, 1, 12, 9, 0)
    assert times_from_answer("pm_meeting.minutes", 105, start, None) == (
        start,
        start + dt.timedelta(minutes=105),
    )
    typed_end = start + dt.timedelta(minutes=60)
    assert times_from_answer("pm_meeting.minutes", 105, start, typed_end) is None
    # An end the earlier length gave follows the new length.
    derived = start + dt.timedelta(minutes=105)
    assert times_from_answer("pm_meeting.minutes", 95, start, derived, earlier=105) == (
        start,
        start + dt.timedelta(minutes=95),
    )
    assert times_from_answer("pm_meeting.minutes", None, start, derived, earlier=105) == (
        start,
        None,
    )


def test_a_105_minute_meeting_typed_on_the_form_counts_for_its_window(profile):
    with profile.writing() as write:
        s = write.session
        coach = Coach(name="Dana")
        district = Organization(kind="district", name="Bellmere Public Schools", state="MA")
        s.add_all([coach, district])
        s.flush()
        s.add(
            Assignment(
                coach_id=coach.id,
                org_id=district.id,
                program_code="MA_SSOS",
                school_year="2026-27",
            )
        )
    day = dt.date(2027, 1, 20)
    assert [i for i in due_on(profile, day) if i.rule_id == "ma.pm_window"]
    meeting = visits.start_visit(
        profile,
        district.id,
        visit_type="pm_meeting",
        starts_at=dt.datetime(2027, 1, 12, 9, 0),
    )
    visits.save_answer(profile, meeting, "minutes", 105)
    assert visits.get_visit(profile, meeting).ends_at == dt.datetime(2027, 1, 12, 10, 45)
    assert [i for i in due_on(profile, day) if i.rule_id == "ma.pm_window"] == []


def test_today_filters_by_program_and_by_district_or_school(demo_on):
    from coachdesk.core.tracking_records.due import filter_entries

    day = dt.date(2026, 12, 1)
    demo = demo_on(day)  # loaded the day it is judged: its year's caseload, not the real day's
    entries = due_entries(demo, day)
    ma = filter_entries(entries, program="MA_SSOS")
    assert ma and {e.program_code for e in ma} == {"MA_SSOS"}
    district = next(
        e.district_id for e in ma if e.district_id and e.district_id != e.item.school_id
    )
    in_district = filter_entries(entries, organization=district)
    assert any(e.item.school_id == district for e in in_district)  # its own PM window
    assert len({e.item.school_id for e in in_district}) > 1  # and its schools'
    assert all(district in (e.item.school_id, e.district_id) for e in in_district)
    school = in_district[-1].item.school_id
    assert {e.item.school_id for e in filter_entries(entries, organization=school)} == {school}
