"""What `due_on` reads from a real profile: visits, DIIs, obligations, districts, groups."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from coachdesk.core.store.schema import Assignment, Coach, Organization
from coachdesk.core.store.tracking_tables import Indicator, Measurement, Obligation, Target
from coachdesk.core.store.visit_tables import ActionItem, Visit
from coachdesk.core.tracking_records.due import Group, due_entries, due_on, next_due_badges


@pytest.fixture
def caseload(profile):
    """One NY school and one MA school (with its district), assigned for 2026-27."""
    with profile.writing() as write:
        s = write.session
        coach = Coach(name="Dana")
        ny_district = Organization(kind="district", name="Port Hadley CSD", state="NY")
        ma_district = Organization(kind="district", name="Bellmere Public Schools", state="MA")
        s.add_all([coach, ny_district, ma_district])
        s.flush()
        ny = Organization(
            kind="school", name="Lincoln Park ES", state="NY", parent_id=ny_district.id
        )
        ma = Organization(kind="school", name="Bellmere HS", state="MA", parent_id=ma_district.id)
        s.add_all([ny, ma])
        s.flush()
        for school, code in ((ny, "NY_RCV"), (ma, "MA_SSOS")):
            s.add(
                Assignment(
                    coach_id=coach.id, org_id=school.id, program_code=code, school_year="2026-27"
                )
            )
    return {"ny": ny.id, "ma": ma.id, "ma_district": ma_district.id}


def _rules(items, school_id):
    return {i.rule_id for i in items if i.school_id == school_id}


def _november_visit_due(profile, school_id):
    return [
        i
        for i in due_on(profile, dt.date(2026, 11, 23))
        if i.school_id == school_id and i.rule_id == "ny.monthly_visit" and "November" in i.what
    ]


def test_a_finalized_onsite_visit_meets_the_monthly_visit(profile, caseload):
    assert _november_visit_due(profile, caseload["ny"])
    with profile.writing() as write:
        write.session.add(
            Visit(
                org_id=caseload["ny"],
                visit_type="onsite",
                starts_at=dt.datetime(2026, 11, 10, 9),
                status="final",
                finalized_at="2026-11-10T12:00:00",
            )
        )
    assert _november_visit_due(profile, caseload["ny"]) == []


def test_an_open_dii_checkpoint_without_a_measurement_is_listed_until_measured(profile, caseload):
    with profile.writing() as write:
        ind = Indicator(
            org_id=caseload["ny"],
            program_code="NY_RCV",
            code="ELA38",
            name="3-8 ELA Level 2+",
            origin="assigned",
            value_type="percent",
            direction="higher",
        )
        write.session.add(ind)
        write.session.flush()
        cps = [{"name": "early", "from": "2026-09-15", "to": "2026-10-30", "goal": 40}]
        write.session.add(
            Target(
                indicator_id=ind.id,
                school_year="2026-27",
                baseline_value="38",
                annual_target="46",
                checkpoints=json.dumps(cps),
            )
        )
    day = dt.date(2026, 10, 1)
    assert "ny.dii_checkpoint" in _rules(due_on(profile, day), caseload["ny"])
    with profile.writing() as write:
        write.session.add(
            Measurement(
                indicator_id=ind.id, as_of=dt.date(2026, 9, 25), value="39.5", checkpoint="early"
            )
        )
    rules = _rules(due_on(profile, day), caseload["ny"])
    assert "ny.dii_checkpoint" not in rules
    assert "ny.dii_at_risk" in rules  # 39.5 lags the early goal of 40


def test_a_submitted_quarterly_report_is_no_longer_due(profile, caseload):
    day = dt.date(2026, 10, 28)
    assert any(i.rule_id == "ny.quarterly_report" for i in due_on(profile, day))
    with profile.writing() as write:
        write.session.add(
            Obligation(org_id=caseload["ny"], kind="Q1", period="2026-27", status="submitted")
        )
    assert not any(
        i.rule_id == "ny.quarterly_report" and "Q1" in i.what for i in due_on(profile, day)
    )


def test_the_district_of_an_ma_school_gets_its_progress_monitoring_window(profile, caseload):
    items = due_on(profile, dt.date(2026, 12, 2))
    assert "ma.pm_window" in _rules(items, caseload["ma_district"])


def test_entries_are_grouped_and_named_and_badges_pick_the_most_pressing(profile, caseload):
    with profile.writing() as write:
        visit = Visit(
            org_id=caseload["ma"],
            visit_type="onsite",
            starts_at=dt.datetime(2026, 11, 2, 9),
            status="shared",
        )
        write.session.add(visit)
        write.session.flush()
        for text, due in (
            ("Send the agenda", dt.date(2026, 11, 20)),
            ("Share the data wall", dt.date(2026, 11, 23)),
        ):
            write.session.add(
                ActionItem(visit_id=visit.id, org_id=caseload["ma"], text=text, due=due)
            )
    entries = [
        e
        for e in due_entries(profile, dt.date(2026, 11, 23))
        if e.item.rule_id == "all.action_item"
    ]
    by_text = {e.item.what: e for e in entries}
    assert by_text["Send the agenda"].group is Group.OVERDUE
    assert by_text["Share the data wall"].group is Group.TODAY
    assert by_text["Send the agenda"].school_name == "Bellmere HS"
    badge = next_due_badges(due_entries(profile, dt.date(2026, 11, 23)))[caseload["ma"]]
    assert badge.group is Group.OVERDUE


def test_an_empty_profile_has_nothing_due(profile):
    assert due_on(profile, dt.date(2026, 11, 23)) == []


def test_the_demo_shows_a_mix_of_programs_and_loading_twice_adds_nothing(demo):
    from coachdesk.core.demo import load_demo

    items = due_on(demo, dt.date.today())
    rule_programs = {i.rule_id.split(".")[0] for i in items}
    assert {"ny", "all"} <= rule_programs
    assert load_demo(demo).added == 0
