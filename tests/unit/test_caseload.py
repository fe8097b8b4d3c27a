"""The caseload and a school's page: what a coach sees and the edits they make."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from coachdesk.core import schools
from coachdesk.core.caseload import current_school_year, list_caseload, phase_text
from coachdesk.core.demo import load_demo
from coachdesk.core.errors import RefusedInput
from coachdesk.core.programs import program
from coachdesk.core.store.schema import Assignment, Change, Organization

# The demo is loaded as of the day the tests run (see tests/conftest.py).
TODAY = dt.date.today()


def _change_count(profile):
    with profile.reading() as session:
        return session.execute(select(func.count()).select_from(Change)).scalar()


def _row(profile, name):
    return next(r for r in list_caseload(profile, today=TODAY) if r.school_name == name)


def test_the_demo_has_about_25_schools_in_8_districts_across_all_three_programs(demo):
    rows = list_caseload(demo, today=TODAY)
    assert 20 <= len(rows) <= 30
    assert len({r.district_id for r in rows}) == 8
    assert {r.program_code for r in rows} == {"NY_RCV", "MA_SSOS", "OH_NNPS"}
    assert all(r.school_year == current_school_year(TODAY) for r in rows)


def test_loading_the_demo_twice_changes_nothing(demo):
    before = _change_count(demo)
    result = load_demo(demo, today=TODAY)
    assert result.added == 0
    assert _change_count(demo) == before


def test_the_quick_caseload_read_agrees_with_the_models(demo):
    """The start-up read uses plain SQL; it must show what the ORM holds."""
    quick = {
        (r.school_id, r.program_code, r.receivership_year) for r in list_caseload(demo, today=TODAY)
    }
    with demo.reading() as session:
        orm = {
            (a.org_id, a.program_code, a.receivership_year)
            for a in session.execute(
                select(Assignment).where(Assignment.school_year == current_school_year(TODAY))
            ).scalars()
        }
    assert quick == orm
    for row in list_caseload(demo, today=TODAY):
        detail = schools.get_school(demo, row.school_id, today=TODAY)
        assert detail.name == row.school_name and detail.district_name == row.district_name
        if row.program_code == "OH_NNPS":
            assert detail.current_stage == row.stage == row.status


@pytest.mark.parametrize(
    "day, expected",
    [
        ("2026-08-15", "Phase 1: Prioritize"),
        ("2026-10-15", "Phase 2: Implement"),
        ("2026-11-01", "Phases 2 & 3: Implement, Track"),
        ("2027-06-30", "Phases 2 & 3: Implement, Track"),
        ("2027-07-04", "Between cycles (summer)"),
    ],
)
def test_the_ma_phase_is_derived_from_the_date(day, expected):
    assert phase_text(program("MA_SSOS"), dt.date.fromisoformat(day)) == expected


def test_status_reads_in_the_words_of_each_program(demo):
    assert _row(demo, "Riverside Academy").status == "Receivership year 5"
    assert _row(demo, "Roosevelt Intermediate School").status == "Full Implementation"
    assert _row(demo, "Brookside Elementary School").status.startswith("Phases 2 & 3")
    assert _row(demo, "Fairhaven Central Middle School").active_flags == 2


def test_a_stage_change_is_dated_explained_and_kept_in_history(demo):
    school = _row(demo, "Washington Primary School")
    schools.record_stage(
        demo,
        school.school_id,
        stage="Initial Implementation",
        effective=TODAY,
        reason="Action plan approved by the ATP.",
        set_by="Jordan Ellery",
        today=TODAY,
    )
    detail = schools.get_school(demo, school.school_id, today=TODAY)
    assert detail.current_stage == "Initial Implementation"
    assert [s.stage for s in detail.stage_history] == [
        "Initial Implementation",
        "Installing",
        "Exploring",
    ]
    assert detail.stage_history[0].reason == "Action plan approved by the ATP."
    assert _row(demo, "Washington Primary School").status == "Initial Implementation"


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"stage": "Thriving"}, "not an implementation stage"),
        ({"effective": TODAY + dt.timedelta(days=30)}, "in the future"),
        ({"reason": "   "}, "reason cannot be empty"),
    ],
)
def test_a_bad_stage_change_is_refused_and_nothing_is_written(demo, kwargs, message):
    school = _row(demo, "Washington Primary School")
    before = _change_count(demo)
    args = {"stage": "Installing", "effective": TODAY, "reason": "why", **kwargs}
    with pytest.raises(RefusedInput, match=message):
        schools.record_stage(demo, school.school_id, today=TODAY, **args)
    assert _change_count(demo) == before


def test_contacts_are_added_edited_and_deactivated_without_losing_them(demo):
    school = _row(demo, "Maple Avenue School")
    added = schools.add_contact(
        demo,
        school.school_id,
        name="  Zoë Øyelaran-Nguyễn ",
        role="Data Coordinator",
        work_email="zoe@eastbrook.example.org",
        work_phone="(516) 555-0100 x12",
    )
    assert added.name == "Zoë Øyelaran-Nguyễn"
    schools.update_contact(demo, added.id, role="Assistant Principal")
    schools.set_contact_active(demo, added.id, active=False, today=TODAY)
    contact = next(
        c for c in schools.get_school(demo, school.school_id).contacts if c.id == added.id
    )
    assert (contact.role, contact.active, contact.active_to) == (
        "Assistant Principal",
        False,
        TODAY,
    )
    with demo.reading() as session:
        roles = (
            session.execute(
                select(Change.value)
                .where(Change.record_id == added.id, Change.field == "role")
                .order_by(Change.hlc)
            )
            .scalars()
            .all()
        )
    assert roles == ['"Data Coordinator"', '"Assistant Principal"']  # both kept


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("work_email", "not-an-address", "not an e-mail address"),
        ("work_phone", "call me", "not a phone number"),
        ("name", "", "cannot be empty"),
        ("name", "x" * 5000, "the limit is 200"),
        ("name", "Bad\x00Name", "control characters"),
    ],
)
def test_a_bad_contact_is_refused_with_a_sentence_and_nothing_changes(demo, field, value, message):
    school = _row(demo, "Maple Avenue School")
    before = _change_count(demo)
    fields = {"name": "Pat Doe", "role": "Principal", field: value}
    with pytest.raises(RefusedInput, match=message):
        schools.add_contact(demo, school.school_id, **fields)
    assert _change_count(demo) == before


def test_school_profile_edits_save_and_bad_ones_are_refused(demo):
    school = _row(demo, "Riverside Academy")
    schools.update_school(demo, school.school_id, grade_span="K-6", city="Mill River East")
    detail = schools.get_school(demo, school.school_id)
    assert (detail.grade_span, detail.city) == ("K-6", "Mill River East")
    with pytest.raises(RefusedInput, match="BEDS code is 12 digits"):
        schools.update_school(demo, school.school_id, state_id="66 04; DROP")
    assert schools.get_school(demo, school.school_id).state_id == "660409010021"


def test_receivership_year_and_coaching_flags(demo):
    school = _row(demo, "Maple Avenue School")
    schools.set_receivership_year(demo, school.assignment_id, 2)
    assert _row(demo, "Maple Avenue School").status == "Receivership year 2"
    with pytest.raises(RefusedInput, match="between 1 and"):
        schools.set_receivership_year(demo, school.assignment_id, 99)

    oh = _row(demo, "Garfield Elementary School")
    flag = schools.add_flag(
        demo,
        oh.school_id,
        reason="new_leader",
        start=TODAY,
        review_by=TODAY + dt.timedelta(days=60),
        note="New principal.",
    )
    assert _row(demo, "Garfield Elementary School").active_flags == 1
    schools.end_flag(demo, flag.id, on=TODAY)
    assert _row(demo, "Garfield Elementary School").active_flags == 0
    with pytest.raises(RefusedInput, match="review date is before"):
        schools.add_flag(
            demo, oh.school_id, reason="reboot", start=TODAY, review_by=TODAY - dt.timedelta(days=1)
        )


def test_a_deleted_school_leaves_the_caseload(demo):
    school = _row(demo, "Riverside Academy")
    with demo.writing() as write:
        write.session.get(Organization, school.school_id).deleted_at = "tombstone"
    assert "Riverside Academy" not in {r.school_name for r in list_caseload(demo, today=TODAY)}


def test_the_caseload_shows_each_schools_last_visit(demo):
    import datetime as _dt

    from coachdesk.core.visits import list_visits

    newest = {}
    for visit in list_visits(demo):  # newest first; planned visits (dated ahead) do not count
        if visit.starts_at <= _dt.datetime.now():
            newest.setdefault(visit.school_id, visit.starts_at.date())
    rows = list_caseload(demo, today=TODAY)
    assert {r.school_id: r.last_visit for r in rows if r.last_visit} == newest


def test_the_coach_sets_their_name_and_the_demo_never_overrides_it(demo):
    from coachdesk.core.coach import get_coach, set_coach

    assert get_coach(demo).name == "Jordan Ellery"  # the demo coach, until the coach says
    assert get_coach(demo).contact_line == "jordan.ellery@example.org · 555-0100"
    set_coach(demo, name="Amara Okonkwo-Lindqvist", employer="SST Region 11")
    load_demo(demo)
    coach = get_coach(demo)
    assert (coach.name, coach.employer, coach.named_by_coach) == (
        "Amara Okonkwo-Lindqvist",
        "SST Region 11",
        True,
    )
    with pytest.raises(RefusedInput, match="cannot be empty"):
        set_coach(demo, name="  ", employer=None)
