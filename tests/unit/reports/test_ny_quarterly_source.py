"""The NY quarterly report's data: the rules' threshold, the quarter's end, the due item, the
schools and quarters it is written for, and what is refused.

The school and its quarter are described in test_ny_quarterly_fixtures.py.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from coachdesk.core.errors import RefusedInput
from coachdesk.core.organizations import add_school, find_organization
from coachdesk.core.school_quarters import SchoolQuarter, parse_quarter
from coachdesk.core.store.profile import Profile
from coachdesk.core.tracking_records.closing import close_due
from coachdesk.core.tracking_records.due import due_entries
from coachdesk.reports import ny_quarterly_source
from coachdesk.reports.ny_quarterly_report import render_quarterly_report
from coachdesk.reports.ny_quarterly_source import (
    build_quarterly_report,
    quarterly_orgs,
    quarterly_periods,
)
from tests.unit.reports.test_ny_quarterly_fixtures import (
    TODAY,
    NySchool,
    make_template,
    open_copy,
    pdf_of,
    report_of,
)


@pytest.fixture(scope="module")
def ny_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, NySchool]:
    return make_template(tmp_path_factory)


@pytest.fixture
def ny(ny_template: tuple[Path, NySchool], tmp_path: Path) -> Iterator[tuple[Profile, NySchool]]:
    yield from open_copy(ny_template, tmp_path)


def test_the_threshold_is_the_rules_files(ny, tmp_path: Path, monkeypatch) -> None:
    rules = ny_quarterly_source.shipped_rules()
    stricter = dataclasses.replace(
        rules, common=dataclasses.replace(rules.common, small_cell_threshold=12)
    )
    monkeypatch.setattr(ny_quarterly_source, "shipped_rules", lambda: stricter)
    data = report_of(ny)
    rows = {r.subgroup: r.suppressed for r in data.diis if r.code == "ELA38"}
    # Two small cells now (6 and 11 students): no complementary one is needed.
    assert rows == {"All": None, "SWD": "small", "Low income": None, "ML": "small"}
    assert "fewer than 12 students" in pdf_of(data, tmp_path).flat


def test_the_latest_value_is_the_last_one_by_the_quarters_end(ny, tmp_path: Path) -> None:
    data = report_of(ny, "2026-Q1")
    pdf = pdf_of(data, tmp_path)
    chronic = next(r for r in data.diis if r.code == "CHRON")
    assert (chronic.latest, chronic.latest_on) == ("30.4", dt.date(2026, 9, 30))
    assert "Early goal" in pdf.flat and "34 ≤ 27 ≤ 29 30.4" in pdf.flat
    # ELA was measured on Nov 10, after Q1: in Q1's report its early window has no value yet.
    ela = next(r for r in data.diis if r.code == "ELA38" and r.subgroup == "All")
    assert (ela.latest, ela.status) == ("No measurement", "no data")


def test_the_due_key_marks_the_report_submitted(ny, tmp_path: Path) -> None:
    profile, school = ny
    data = report_of(ny)
    assert data.due_key == f"ny.quarterly_report:{school.school_id}:2026-27 Q2"
    in_january = dt.date(2027, 1, 20)
    listed = [e.item.key for e in due_entries(profile, in_january)]
    assert data.due_key in listed  # the window's "Mark as submitted" closes this very item
    close_due(profile, data.due_key, on=TODAY, today=TODAY)
    assert data.due_key not in [e.item.key for e in due_entries(profile, in_january)]
    again = report_of(ny)
    assert "Jan 31, 2027 (marked submitted on Dec 1, 2026)" in pdf_of(again, tmp_path).flat


def this_quarter(day: dt.date) -> SchoolQuarter:
    """The OISR quarter `day` is in, as the window offers it first (Q2 runs November to January:
    not the calendar quarter of the school year, which starts Q3 on Jan 1)."""
    return parse_quarter(quarterly_periods(day)[0])


def test_a_quarter_not_begun_a_district_and_another_program_are_refused(ny, demo_on) -> None:
    profile, school = ny
    with pytest.raises(RefusedInput, match="Q3 2026-27 begins Feb 1, 2027"):
        report_of(ny, "2026-Q3")
    with pytest.raises(RefusedInput, match="is a district"):
        build_quarterly_report(profile, org_id=school.district_id, period="2026-Q2", today=TODAY)
    demo = demo_on(TODAY)  # its schools' programs are for the year it is loaded in
    ma = find_organization(demo, "Ashgrove High School")
    quarter = this_quarter(TODAY)
    with pytest.raises(RefusedInput, match=f"is in MA SSoS in {quarter.school_year}, not NY"):
        build_quarterly_report(demo, org_id=ma.id, period=quarter.code, today=TODAY)
    unassigned = add_school(profile, name="Hudson Middle School", district_id=None, state="NY").id
    with pytest.raises(RefusedInput, match="not in NY Receivership .it is not on the caseload"):
        build_quarterly_report(profile, org_id=unassigned, period="2026-Q1", today=TODAY)


def test_last_years_quarter_of_a_school_assigned_this_year_is_written(ny, tmp_path) -> None:
    # Assigned for 2026-27 only: its 2025-26 quarters are still a NY Receivership school's.
    data = report_of(ny, "2025-Q4")
    assert (data.starts, data.ends, data.receivership_year) == (
        dt.date(2026, 5, 1),
        dt.date(2026, 6, 30),
        None,
    )
    flat = pdf_of(data, tmp_path).flat
    assert "Q4 (Final/Continuation) 2025-26 progress report" in flat
    assert "Receivership year" not in flat and "Due to OISR July 22, 2026" in flat


def test_a_demo_school_in_this_quarter_in_under_a_second(demo_on, tmp_path: Path) -> None:
    demo = demo_on(TODAY)  # as of the day it is loaded, judged that day
    school = find_organization(demo, "Riverside Academy")
    quarter = this_quarter(TODAY)
    started = time.perf_counter()
    data = build_quarterly_report(demo, org_id=school.id, period=quarter.code, today=TODAY)
    render_quarterly_report(data, tmp_path / "riverside.pdf")
    elapsed = time.perf_counter() - started
    assert elapsed < 1.0, f"{elapsed:.2f} s"
    assert len(data.diis) == 10 and data.beds_code == "660409010021"
    assert all(v.status in ("final", "draft", "planned") for v in data.visits)
    assert data.due_key.endswith(f"{quarter.school_year} Q{quarter.number}")


def test_the_periods_and_schools_a_coach_picks_from(demo) -> None:
    assert quarterly_periods(dt.date(2026, 12, 1)) == [
        "2026-Q2",
        "2026-Q1",
        "2025-Q4",
        "2025-Q3",
        "2025-Q2",
    ]
    assert quarterly_periods(dt.date(2026, 7, 1))[:2] == ["2026-Q1", "2025-Q4"]
    # Mid-January is still the Mid-Year quarter (November to January), whose report is due Jan 31.
    assert quarterly_periods(dt.date(2027, 1, 15))[0] == "2026-Q2"
    names = [name for _id, name in quarterly_orgs(demo)]
    assert len(names) == 8 and names == sorted(names) and "Riverside Academy" in names
    assert "Ashgrove High School" not in names  # MA
