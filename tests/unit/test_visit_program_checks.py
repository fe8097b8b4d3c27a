"""Program rules that read what a note records: an MA progress-monitoring meeting is final only
with results and a next step; an OH check-in proposes its stage, elements and reasons to the
school's page."""

from __future__ import annotations

import datetime as dt

import pytest

from coachdesk.core import visits
from coachdesk.core.errors import RefusedInput
from coachdesk.core.store.schema import Assignment, Coach, CoachingFlag, Organization, StageRecord
from coachdesk.core.store.tracking_tables import ElementStatus
from coachdesk.core.store.visit_tables import Visit
from coachdesk.core.visits.finalize_rules import NO_RESULTS, NO_STEPS
from coachdesk.core.visits.school_changes import apply_school_changes, propose_school_changes

NOW = dt.datetime(2027, 1, 13, 18, 0, tzinfo=dt.UTC)


def _org(profile, kind, name, state, code):
    with profile.writing() as write:
        s = write.session
        coach = Coach(name="Dana")
        org = Organization(kind=kind, name=name, state=state)
        s.add_all([coach, org])
        s.flush()
        s.add(
            Assignment(coach_id=coach.id, org_id=org.id, program_code=code, school_year="2026-27")
        )
    return org.id


def test_a_pm_meeting_is_final_only_with_a_benchmark_result_and_a_next_step(profile):
    district = _org(profile, "district", "Bellmere Public Schools", "MA", "MA_SSOS")
    meeting = visits.start_visit(
        profile, district, visit_type="pm_meeting", starts_at=dt.datetime(2027, 1, 12, 9)
    )
    missing = visits.check_before_finalizing(profile, meeting, now=NOW).missing
    assert NO_RESULTS in missing and NO_STEPS in missing
    visits.save_answer(
        profile,
        meeting,
        "benchmarks",
        [{"benchmark": "ELA-3 on grade level", "student_group": "ml", "result": "42%"}],
    )
    visits.save_answer(profile, meeting, "next_steps[0].step", "Share the ML data with principals")
    missing = visits.check_before_finalizing(profile, meeting, now=NOW).missing
    assert NO_RESULTS not in missing and NO_STEPS not in missing
    with pytest.raises(RefusedInput, match="cannot be finalized yet"):
        visits.finalize_visit(profile, meeting, now=NOW)


def _final_check_in(profile, school, answers):
    check_in = visits.start_visit(
        profile, school, visit_type="check_in", starts_at=dt.datetime(2026, 11, 10, 9)
    )
    for name, value in answers.items():
        visits.save_answer(profile, check_in, name, value)
    with profile.writing() as write:  # finalized (its other required answers are not the point)
        write.session.get(Visit, check_in).status = "final"
    return check_in


def test_a_check_in_proposes_a_new_stage_element_and_reason_and_applying_makes_them_agree(
    profile,
):
    school = _org(profile, "school", "Buckeye MS", "OH", "OH_NNPS")
    with profile.writing() as write:
        write.session.add(
            StageRecord(
                org_id=school,
                program_code="OH_NNPS",
                stage="Installing",
                effective=dt.date(2026, 8, 20),
                reason="Start of the year",
            )
        )
    check_in = _final_check_in(
        profile,
        school,
        {"stage": "initial", "el_team": "in_place", "coaching_reasons": ["new_leader"]},
    )
    proposal = propose_school_changes(profile, check_in)
    assert [(c.kind, c.proposed) for c in proposal.changes] == [
        ("stage", "Initial Implementation"),
        ("element", "in place"),
        ("flag", "new_leader"),
    ]
    assert "stage Initial Implementation (was Installing)" in proposal.sentence
    assert "Action Team for Partnerships in place (was not started)" in proposal.sentence

    apply_school_changes(profile, proposal)
    with profile.reading() as session:
        latest = (
            session.query(StageRecord)
            .filter(StageRecord.org_id == school)
            .order_by(StageRecord.effective.desc())
            .first()
        )
        assert (latest.stage, latest.effective) == ("Initial Implementation", dt.date(2026, 11, 10))
        assert "check-in of Nov 10, 2026" in latest.reason
        element = session.query(ElementStatus).filter(ElementStatus.element == 2).one()
        assert (element.school_year, element.status) == ("2026-27", "in place")
        flag = session.query(CoachingFlag).one()
        assert (flag.reason, flag.start) == ("new_leader", dt.date(2026, 11, 10))
    again = propose_school_changes(profile, check_in)
    assert again.changes == () and again.sentence == "The note and the school's page agree."
    with pytest.raises(RefusedInput, match="already agree"):
        apply_school_changes(profile, again)


def test_a_draft_check_in_proposes_nothing(profile):
    school = _org(profile, "school", "Buckeye MS", "OH", "OH_NNPS")
    draft = visits.start_visit(
        profile, school, visit_type="check_in", starts_at=dt.datetime(2026, 11, 10, 9)
    )
    visits.save_answer(profile, draft, "stage", "full")
    assert propose_school_changes(profile, draft).changes == ()


def _district_with_benchmarks(profile):
    """An MA district with two schools, each with benchmark MCAP for All, ML and SWD."""
    from coachdesk.core.store.tracking_tables import Indicator

    district = _org(profile, "district", "Bellmere Public Schools", "MA", "MA_SSOS")
    schools = {}
    with profile.writing() as write:
        s = write.session
        coach = s.query(Coach).first()
        for name in ("Bellmere High School", "Walsh Middle School"):
            school = Organization(kind="school", name=name, state="MA", parent_id=district)
            s.add(school)
            s.flush()
            s.add(
                Assignment(
                    coach_id=coach.id,
                    org_id=school.id,
                    program_code="MA_SSOS",
                    school_year="2026-27",
                )
            )
            for group in ("All", "ML", "SWD"):
                s.add(
                    Indicator(
                        org_id=school.id,
                        program_code="MA_SSOS",
                        code="MCAP",
                        name="MCAS-aligned common assessment",
                        origin="benchmark",
                        subgroup=group,
                        value_type="percent",
                        direction="higher",
                    )
                )
            schools[name] = school.id
    return district, schools


def test_pm_results_bound_to_the_districts_benchmarks_clear_the_ml_and_swd_gap(profile):
    from coachdesk.core.store.tracking_tables import Measurement
    from coachdesk.core.tracking_records.due import due_on

    district, schools = _district_with_benchmarks(profile)
    day = dt.date(2027, 2, 10)  # three weeks before the mid-year window closes
    gaps = [i for i in due_on(profile, day) if i.rule_id == "ma.disaggregation_gap"]
    assert {i.school_id for i in gaps} == set(schools.values())

    meeting = visits.start_visit(
        profile, district, visit_type="pm_meeting", starts_at=dt.datetime(2027, 1, 12, 9)
    )
    assert visits.get_visit(profile, meeting).definition.version == 2
    rows = [
        {
            "benchmark": "mcap",
            "school": "Walsh",
            "student_group": "ml",
            "value": 41,
            "group_size": 24,
        },
        {
            "benchmark": "MCAP",
            "school": "Walsh",
            "student_group": "swd",
            "value": 33,
            "group_size": 12,
        },
    ]
    visits.save_answer(
        profile,
        meeting,
        "benchmarks",
        rows + [{"benchmark": "MCAP", "student_group": "all", "value": 50}],
    )
    missing = visits.check_before_finalizing(profile, meeting, now=NOW).missing
    assert "Benchmark result 3 (MCAP): several schools have MCAP; name the school" in missing
    visits.save_answer(
        profile,
        meeting,
        "benchmarks",
        rows + [{"benchmark": "ELA9", "school": "Walsh", "student_group": "all", "value": 50}],
    )
    missing = visits.check_before_finalizing(profile, meeting, now=NOW).missing
    assert any(
        m.startswith("Benchmark result 3 (ELA9): no benchmark ELA9 for All") for m in missing
    )

    visits.save_answer(profile, meeting, "benchmarks", rows)
    for name, value in {
        "pm_window": "mid_year",
        "minutes": 105,
        "disaggregated": "yes",
        "adult_actions": "affirm",
        "next_steps[0].step": "Share the ML results with principals",
        "next_steps[0].owner": "Data lead",
        "next_steps[0].due": "2027-02-01",
    }.items():
        visits.save_answer(profile, meeting, name, value)
    assert visits.check_before_finalizing(profile, meeting, now=NOW).missing == ()
    visits.finalize_visit(profile, meeting, now=NOW)

    with profile.reading() as session:
        recorded = sorted(
            (m.value, m.n, m.as_of)
            for m in session.query(Measurement).filter(Measurement.deleted_at.is_(None))
        )
    assert recorded == [("33.0", 12, dt.date(2027, 1, 12)), ("41.0", 24, dt.date(2027, 1, 12))]
    gaps = [i for i in due_on(profile, day) if i.rule_id == "ma.disaggregation_gap"]
    assert {i.school_id for i in gaps} == {schools["Bellmere High School"]}
