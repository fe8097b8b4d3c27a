"""The progress snapshot of a visit summary, from the demo: what a principal checks in it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re

import pytest

from coachdesk.core.schools import get_school
from coachdesk.core.tracking_records.facts_query import read_indicators, school_year_on
from coachdesk.core.tracking_records.indicators import record_measurement
from coachdesk.core.tracking_rules import indicator_status, shipped_rules
from coachdesk.core.visits import get_visit, list_visits
from coachdesk.reports import printed_answers
from coachdesk.reports.summary_progress import STATUS_OF, progress_snapshot
from coachdesk.reports.visit_source import build_visit_summary
from coachdesk.reports.visit_summary import render_visit_summary
from tests.unit.reports.pdftext import read_pdf
from tests.unit.reports.test_visit_source import DEMO_DAY, NY_ONSITE, OH_CHECK_IN, pick_visit


@pytest.fixture
def demo(demo_on):
    """The demo as test_visit_source prints it: loaded on DEMO_DAY, whatever the real date (as
    loaded on 1 July 2027, six of these tests failed: its visits are drawn from the load day)."""
    return demo_on(DEMO_DAY)


def snapshot_of(profile, visit_id: str):
    visit = get_visit(profile, visit_id)
    school = get_school(profile, visit.school_id)
    return progress_snapshot(
        profile,
        school_id=visit.school_id,
        district_id=school.district_id,
        program_code=visit.program_code,
        on=visit.starts_at.date(),
    )


def printed_text(profile, visit_id: str) -> str:
    buffer = io.BytesIO()
    render_visit_summary(build_visit_summary(profile, visit_id), buffer)
    return read_pdf(buffer.getvalue()).flat


def progress_part(text: str) -> str:
    start = text.index("Progress snapshot")
    return text[start : text.index("students shows as n<", start)]


def test_ny_shows_the_school_s_diis_at_risk_first_with_their_status_on_the_visit_day(demo):
    visit_id = pick_visit(demo, NY_ONSITE)
    visit = get_visit(demo, visit_id)
    day = visit.starts_at.date()
    facts = [
        f
        for f in read_indicators(demo, school_year_on(day), {visit.school_id})
        if f.target is not None
    ]
    expected = {
        f.indicator.name: STATUS_OF[
            indicator_status(f.indicator, f.target, f.measurements, day).status
        ]
        for f in facts
    }
    snapshot = snapshot_of(demo, visit_id)
    assert len(snapshot.rows) == min(6, len(facts))
    assert snapshot.more == len(facts) - len(snapshot.rows)
    for row in snapshot.rows:
        # The rules' status on the visit's day (a "no data" names the checkpoint it lacks).
        assert row.status == expected[row.indicator] or row.status.startswith("No ")
    attention = [row.status in ("at-risk", "not met") for row in snapshot.rows]
    assert attention == sorted(attention, reverse=True)  # those needing attention come first
    # Those left out are the ones that need attention least.
    shown = {row.indicator for row in snapshot.rows}
    left = [name for name in expected if name not in shown]
    if any(row.status not in ("at-risk", "not met") for row in snapshot.rows):
        assert all(expected[name] not in ("at-risk", "not met") for name in left)

    text = printed_text(demo, visit_id)
    part = progress_part(text)
    for row in snapshot.rows:
        assert " ".join(row.indicator.split()) in part
    if snapshot.more:
        assert f"{snapshot.more} more indicators are in coachdesk." in text


def test_a_value_measured_after_the_visit_does_not_print_on_its_summary(demo):
    visit_id = pick_visit(demo, NY_ONSITE)
    visit = get_visit(demo, visit_id)
    before = snapshot_of(demo, visit_id)
    row = before.rows[0]
    fact = next(
        f
        for f in read_indicators(demo, school_year_on(visit.starts_at.date()), {visit.school_id})
        if f.indicator.name == row.indicator
    )
    later = min(visit.starts_at.date() + dt.timedelta(days=3), dt.date.today())
    assert later > visit.starts_at.date()
    value = 97.3 if fact.indicator.value_type.value != "boolean" else "no"
    if fact.indicator.value_type.value == "stage":
        value = "1"
    record_measurement(demo, fact.indicator.id, as_of=later, value=value, n=400)
    after = snapshot_of(demo, visit_id)
    assert after.rows[0] == row  # the summary shows the school as it stood that day
    assert "97.3" not in printed_text(demo, visit_id)


def ma_visit(profile) -> str:
    for item in list_visits(profile):
        visit = get_visit(profile, item.id)
        if visit.program_code == "MA_SSOS" and visit.starts_at.date() >= dt.date(2026, 10, 1):
            snapshot = snapshot_of(profile, item.id)
            if any(r.latest and r.latest.n is not None and r.latest.n < 10 for r in snapshot.rows):
                return item.id
    raise AssertionError("the demo has no MA visit with a small group measured")


def test_ma_shows_the_benchmarks_for_all_ml_and_swd_and_suppresses_small_groups(demo):
    visit_id = ma_visit(demo)
    snapshot = snapshot_of(demo, visit_id)
    groups = {row.indicator.rsplit(" — ", 1)[1] for row in snapshot.rows}
    assert groups == {
        "all students",
        "multilingual learners",
        "students with disabilities",
    }
    small = [r for r in snapshot.rows if r.latest and r.latest.n is not None and r.latest.n < 10]
    part = progress_part(printed_text(demo, visit_id))
    for row in small:
        name = " ".join(row.indicator.split())
        cells = part[part.index(name) + len(name) :].split()
        # Baseline and target print; the latest value of fewer than 10 students does not.
        assert "n<10" in cells[:8]
        assert f"(n={row.latest.n})" not in part
    for row in snapshot.rows:
        if row.latest and row.latest.n is not None and row.latest.n >= 10:
            assert f"{row.latest.value} (n={row.latest.n})" in part


def test_the_small_cell_threshold_comes_from_the_rules_config(demo, monkeypatch):
    visit_id = ma_visit(demo)
    rules = shipped_rules()
    strict = dataclasses.replace(
        rules, common=dataclasses.replace(rules.common, small_cell_threshold=500)
    )
    monkeypatch.setattr(printed_answers, "shipped_rules", lambda: strict)
    snapshot = snapshot_of(demo, visit_id)
    assert snapshot.suppression_threshold == 500
    part = progress_part(printed_text(demo, visit_id))
    assert "(n=" not in part  # every group here is under 500 students
    assert "n<500" in part


def test_oh_shows_the_stage_and_the_plan_s_activities_by_type(demo):
    visit_id = pick_visit(demo, OH_CHECK_IN)
    snapshot = snapshot_of(demo, visit_id)
    first, *types = snapshot.rows
    assert first.indicator == "Implementation stage"
    assert types and all(re.match(r"Type [1-6], .*: activities$", r.indicator) for r in types)
    for row in types:
        planned = int(row.target.split()[0])
        done = int(row.latest.value.split()[0])
        assert 0 <= done <= planned
    assert len(snapshot.rows) + snapshot.more == 7  # the stage and the six types
    part = progress_part(printed_text(demo, visit_id))
    assert f"Implementation stage {first.baseline.value if first.baseline else '—'}" in part
    assert "1 more indicator is in coachdesk." in printed_text(demo, visit_id)


def test_a_visit_from_a_year_without_targets_prints_no_snapshot(demo):
    old = next(
        item.id
        for item in list_visits(demo)
        if item.visit_type == "onsite"
        and get_visit(demo, item.id).program_code == "NY_RCV"
        and get_visit(demo, item.id).starts_at.date() < dt.date(2026, 7, 1)
    )
    assert snapshot_of(demo, old).rows == ()
    assert "Progress snapshot" not in printed_text(demo, old)
