"""The NY quarterly progress report for OISR: what a supervisor at OISR reads in the PDF and CSV.

Most tests use one real-looking school on a fresh profile (built once per module, copied per
test). Quarter 2 of 2026-27 (October to December 2026) holds a final on-site visit with
lead-strategy notes and three next steps (one overdue on Dec 1, one open, one done), a draft
virtual meeting, and there is a final visit in September (Q1). The ELA DII has four student
groups: SWD from 6 students (a small cell) and ML from 11 (the next-smallest subgroup, hidden so
SWD's value cannot be worked out).
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from coachdesk.cli import main
from coachdesk.core import visits
from coachdesk.core.assignments import AssignmentFields, assign
from coachdesk.core.coach import set_coach
from coachdesk.core.errors import RefusedInput
from coachdesk.core.organizations import add_district, add_school, find_organization
from coachdesk.core.school_quarters import quarter_of
from coachdesk.core.store.profile import Profile, open_profile
from coachdesk.core.tracking_records.closing import close_due
from coachdesk.core.tracking_records.due import due_entries
from coachdesk.core.tracking_records.indicator_setup import add_indicator
from coachdesk.core.tracking_records.indicator_targets import CheckpointInput, set_target
from coachdesk.core.tracking_records.indicators import record_measurement
from coachdesk.reports import ny_quarterly_source
from coachdesk.reports.ny_quarterly_report import (
    CSV_COLUMNS,
    QuarterNextStep,
    render_quarterly_report,
    write_quarterly_csv,
)
from coachdesk.reports.ny_quarterly_source import (
    build_quarterly_report,
    quarterly_orgs,
    quarterly_periods,
)
from tests.unit.reports.pdftext import read_pdf

TODAY = dt.date(2026, 12, 1)
SCHOOL = "Philip J. Schuyler Achievement Academy and Community School of the Performing Arts"
BEDS = "010100010030"
LEAD_NOTE = (
    "Lead strategy 2 (data-driven instruction): grade teams now meet weekly with the new"
    " protocol; the principal asked for help sequencing the spring interim assessments."
)


@dataclass(frozen=True)
class NySchool:
    school_id: str
    district_id: str
    final_visit: str
    draft_visit: str
    ela_ids: dict[str, str]  # student group -> indicator id


def ny_school(profile: Profile) -> NySchool:
    set_coach(
        profile,
        name="Dana Okafor-Nguyễn",
        employer="Capital Region School Support Partners",
        work_email="dana.okafor@capitalssp.org",
        work_phone="518-555-0142",
    )
    district = add_district(
        profile, name="Albany City School District", state="NY", state_id="010100010000"
    ).id
    school = add_school(
        profile, name=SCHOOL, district_id=district, state_id=BEDS, grade_span="PK-8"
    ).id
    assign(
        profile,
        school,
        AssignmentFields("NY_RCV", school_year="2026-27", receivership_year=3),
        today=TODAY,
    )
    ela = add_indicator(
        profile,
        school,
        name="3-8 ELA: Level 2 & above",
        kind="dii",
        level=1,
        groups=("All", "SWD", "Low income", "ML"),
        code="ELA38",
    ).ids
    groups = dict(zip(("All", "SWD", "Low income", "ML"), ela, strict=True))
    for group, (base, goal, target, value, n) in {
        "All": (38, 42, 46, 43.5, 212),
        "SWD": (12, 14, 18, 9.0, 6),
        "Low income": (33, 37, 41, 35.2, 140),
        "ML": (20, 23, 26, 27.0, 11),
    }.items():
        _target(profile, groups[group], base, goal, target)
        record_measurement(
            profile,
            groups[group],
            as_of=dt.date(2026, 10, 20),
            value=value,
            checkpoint="early",
            n=n,
        )
    chronic = add_indicator(
        profile,
        school,
        name="Chronic absenteeism",
        kind="dii",
        level=1,
        value_type="rate",
        direction="lower",
        code="CHRON",
    ).ids[0]
    _target(profile, chronic, 34, 31, 27)
    record_measurement(profile, chronic, as_of=dt.date(2026, 9, 30), value=30.4, checkpoint="early")
    # After Q1 ended: the Q1 report must not take it for its latest value.
    record_measurement(profile, chronic, as_of=dt.date(2026, 11, 30), value=36.0)
    add_indicator(
        profile,
        school,
        name="Weekly grade-level PLCs in place",
        kind="local",
        value_type="boolean",
        code="PLC",
    )

    september = _visit(profile, school, dt.datetime(2026, 9, 16, 9, 0), "Opening visit")
    visits.finalize_visit(profile, september, accept_privacy_warnings=True)
    final = _visit(profile, school, dt.datetime(2026, 10, 14, 9, 0), None)
    visits.save_answer(profile, final, "purpose", ["lead_strategies", "dii_progress"])
    visits.save_answer(profile, final, "lead_strategies", LEAD_NOTE)
    visits.save_answer(profile, final, "progress_overall", "some_concern")
    visits.save_answer(profile, final, "coach_notes", "Private: the AP seems overwhelmed.")
    visits.save_answer(
        profile,
        final,
        "next_steps",
        [
            {
                "step": "Share the interim calendar",
                "owner": "Principal",
                "due": "2026-11-02",
                "step_status": "open",
            },
            {
                "step": "Plan the February data day",
                "owner": "Data Coordinator",
                "due": "2026-12-18",
                "step_status": "open",
            },
            {
                "step": "Post the PLC protocol",
                "owner": "Coach",
                "due": "2026-10-28",
                "step_status": "done",
            },
        ],
    )
    visits.finalize_visit(profile, final, accept_privacy_warnings=True)
    draft = visits.start_visit(
        profile, school, visit_type="virtual", starts_at=dt.datetime(2026, 11, 18, 15, 0)
    )
    visits.save_answer(profile, draft, "lead_strategies", "DRAFT THOUGHTS NOT FOR OISR")
    visits.save_answer(
        profile,
        draft,
        "next_steps",
        [
            {
                "step": "Draft-only step",
                "owner": "Principal",
                "due": "2026-11-20",
                "step_status": "open",
            }
        ],
    )
    return NySchool(school, district, final, draft, groups)


def _target(profile: Profile, indicator: str, base: float, goal: float, target: float) -> None:
    set_target(
        profile,
        indicator,
        "2026-27",
        baseline=base,
        baseline_year="2025-26",
        annual_target=target,
        checkpoints={
            "early": CheckpointInput("2026-09-15", "2026-10-30", goal - 2),
            "mid": CheckpointInput("2027-01-02", "2027-01-31", goal),
        },
    )


def _visit(profile: Profile, school: str, when: dt.datetime, purpose: str | None) -> str:
    visit = visits.start_visit(
        profile, school, visit_type="onsite", starts_at=when, purpose=purpose
    )
    visits.save_answer(profile, visit, "purpose", ["implementation"])
    visits.save_answer(profile, visit, "dii_reviewed", "no")
    return visit


# --- fixtures -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ny_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, NySchool]:
    folder = tmp_path_factory.mktemp("ny-quarterly") / "profile"
    profile = open_profile(folder)
    school = ny_school(profile)
    profile.close()
    return folder, school


@pytest.fixture
def ny(ny_template: tuple[Path, NySchool], tmp_path: Path) -> tuple[Profile, NySchool]:
    folder = tmp_path / "ny-profile"
    shutil.copytree(ny_template[0], folder)
    profile = open_profile(folder)
    yield profile, ny_template[1]
    profile.close()


def _report(ny, period: str = "2026-Q2"):
    profile, school = ny
    return build_quarterly_report(profile, org_id=school.school_id, period=period, today=TODAY)


def _pdf(data, tmp_path: Path, *, large_print: bool = False):
    out = tmp_path / ("large.pdf" if large_print else "report.pdf")
    result = render_quarterly_report(data, out, large_print=large_print)
    pdf = read_pdf(out)
    assert result.pages == len(pdf.pages)
    return pdf


def _csv(data, tmp_path: Path) -> list[dict[str, str]]:
    out = tmp_path / "report.csv"
    write_quarterly_csv(data, out)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM, so Excel reads Nguyễn as written
    return list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))


# --- the header -------------------------------------------------------------------------------


def test_the_header_names_the_school_quarter_and_who_prepared_it(ny, tmp_path: Path) -> None:
    data = _report(ny)
    flat = _pdf(data, tmp_path).flat
    for shown in (
        "New York Receivership",
        "Report to OISR",
        f"Q2 (Mid-Year) 2026-27 progress report: {SCHOOL}",
        f"BEDS code {BEDS}",
        "District Albany City School District",
        "Receivership year Year 3",
        "Covers Oct 1, 2026 to Dec 31, 2026",
        "Due to OISR January 31, 2027",
        "Prepared by Dana Okafor-Nguyễn",
        "Organization Capital Region School Support Partners",
        "dana.okafor@capitalssp.org · 518-555-0142",
        "Generated Dec",
    ):
        assert shown in flat, shown
    assert data.title == "Quarterly progress report" and data.period_label == "Q2 2026-27"
    assert data.org_name == SCHOOL and data.prepared_by == "Dana Okafor-Nguyễn"


# --- the DII table ----------------------------------------------------------------------------


def test_each_dii_reads_baseline_target_goal_latest_and_status(ny, tmp_path: Path) -> None:
    pdf = _pdf(_report(ny), tmp_path)
    lines = pdf.lines
    assert "Mid-year goal" in pdf.flat  # Q2's checkpoint is the mid-year one
    at = lines.index("3-8 ELA: Level 2 & above")
    # Baseline 38%, annual target 46%, mid-year goal 42%, latest 43.5% on Oct 20 from 212
    # students: on track.
    assert "38% ≥ 46% ≥ 42% 43.5%" in " ".join(lines[at : at + 8])
    assert "n = 212" in " ".join(lines[at : at + 10])
    assert "On track" in " ".join(lines[at : at + 12])
    assert "Chronic absenteeism" in pdf.flat and "34 ≤ 27 ≤ 31 36" in pdf.flat
    assert "Weekly grade-level PLCs in place" in pdf.flat and "No measurement" in pdf.flat


def test_small_cells_print_as_suppressed_never_their_value_n_or_status(ny, tmp_path: Path) -> None:
    data = _report(ny)
    text = _pdf(data, tmp_path).flat
    rows = {r.subgroup: r for r in data.diis if r.code == "ELA38"}
    assert rows["SWD"].suppressed == "small" and rows["ML"].suppressed == "complementary"
    assert rows["Low income"].suppressed is None and rows["All"].suppressed is None
    # SWD's 9% from 6 students and ML's 27% from 11 (which with the others would give SWD's
    # back) print nowhere, nor their group sizes; the status would tell which side of the
    # goal they fell.
    for hidden in ("9%", "27%", "n = 6", "n = 11"):
        assert not re.search(rf"(?<![\d.]){re.escape(hidden)}", text), hidden
    assert text.count("Suppressed") >= 4  # two values and their two statuses
    assert "fewer than 10 students" in text
    assert text.count("At risk") == 1  # chronic absenteeism's only: SWD lags, and is hidden
    for row in _csv(data, tmp_path):
        if row["section"] == "DII" and row["detail"].endswith(("SWD", "ML")):
            assert (row["latest"], row["status"]) == ("Suppressed", "Suppressed")
            assert row["n"] in ("fewer than 10 students", "not shown")


def test_the_threshold_is_the_rules_files(ny, tmp_path: Path, monkeypatch) -> None:
    rules = ny_quarterly_source.shipped_rules()
    stricter = dataclasses.replace(
        rules, common=dataclasses.replace(rules.common, small_cell_threshold=12)
    )
    monkeypatch.setattr(ny_quarterly_source, "shipped_rules", lambda: stricter)
    data = _report(ny)
    rows = {r.subgroup: r.suppressed for r in data.diis if r.code == "ELA38"}
    # Two small cells now (6 and 11 students): no complementary one is needed.
    assert rows == {"All": None, "SWD": "small", "Low income": None, "ML": "small"}
    assert "fewer than 12 students" in _pdf(data, tmp_path).flat


def test_the_latest_value_is_the_last_one_by_the_quarters_end(ny, tmp_path: Path) -> None:
    data = _report(ny, "2026-Q1")
    pdf = _pdf(data, tmp_path)
    chronic = next(r for r in data.diis if r.code == "CHRON")
    assert (chronic.latest, chronic.latest_on) == ("30.4", dt.date(2026, 9, 30))
    assert "Early goal" in pdf.flat and "34 ≤ 27 ≤ 29 30.4" in pdf.flat
    # ELA was measured on Oct 20, after Q1: in Q1's report its early window has no value yet.
    ela = next(r for r in data.diis if r.code == "ELA38" and r.subgroup == "All")
    assert (ela.latest, ela.status) == ("No measurement", "no data")


# --- visits, lead strategies, next steps ----------------------------------------------------


def test_visits_of_the_quarter_and_a_draft_is_named_and_not_reported(ny, tmp_path: Path) -> None:
    data = _report(ny)
    flat = _pdf(data, tmp_path).flat
    assert "2 visits held: 1 with a final note, 1 draft (not final, so nothing of its note" in flat
    assert (
        "Oct 14, 2026 On-site visit Adjust lead improvement strategies; Review progress toward"
        " DII targets Final" in flat
    )
    assert "Nov 18, 2026 Virtual meeting Draft: not final, not reported" in flat
    assert "Sep 16, 2026" not in flat  # the September visit belongs to Q1
    for from_the_draft in ("DRAFT THOUGHTS NOT FOR OISR", "Draft-only step"):
        assert from_the_draft not in flat
        assert not any(from_the_draft in " ".join(r.values()) for r in _csv(data, tmp_path))


def test_a_private_note_prints_nowhere(ny, tmp_path: Path) -> None:
    data = _report(ny)
    assert "overwhelmed" not in _pdf(data, tmp_path).flat
    assert not any("overwhelmed" in " ".join(r.values()) for r in _csv(data, tmp_path))


def test_lead_strategy_progress_is_what_the_final_notes_say(ny, tmp_path: Path) -> None:
    flat = _pdf(_report(ny), tmp_path).flat
    assert "coachdesk holds no Continuation Plan or lead-strategy records for this school." in flat
    assert f"Oct 14, 2026 · Lead strategies discussed {LEAD_NOTE}" in flat
    assert "The visit's purpose included the lead strategies." in flat
    assert "Overall progress toward the year's goals: Some concern." in flat
    # Q1's only note says nothing of the lead strategies, and the report says so plainly.
    q1 = _pdf(_report(ny, "2026-Q1"), tmp_path).flat
    assert "No final visit note this quarter records progress on the lead strategies." in q1


def test_a_student_identifier_in_a_final_note_prints_masked(ny, tmp_path: Path, capsys) -> None:
    profile, school = ny
    visit = _visit(profile, school.school_id, dt.datetime(2026, 11, 4, 9, 0), None)
    visits.save_answer(
        profile, visit, "lead_strategies", "Tutoring for student 123456789 started; J.R. moved up."
    )
    visits.save_answer(
        profile,
        visit,
        "next_steps",
        [
            {
                "step": "Call home about 123456789",
                "owner": "Principal",
                "due": "2026-12-20",
                "step_status": "open",
            }
        ],
    )
    visits.finalize_visit(profile, visit, accept_privacy_warnings=True)  # the coach accepted
    data = _report(ny)
    flat = _pdf(data, tmp_path).flat
    assert "123456789" not in flat and "J.R." not in flat
    assert "Tutoring for student [withheld] started; [withheld] moved up." in flat
    assert "Call home about [withheld]" in flat
    assert data.masked == ("Lead-strategy progress", "Open next steps")
    assert not any("123456789" in " ".join(r.values()) for r in _csv(data, tmp_path))
    argv = [
        "--data-dir",
        str(profile.directory),
        "report",
        "quarterly",
        "--school",
        BEDS,
        "--quarter",
        "2026-Q2",
        "-o",
        str(tmp_path / "q2.pdf"),
    ]
    assert main(argv) == 0
    said = capsys.readouterr().out
    assert "print as [withheld] in: Lead-strategy progress; Open next steps." in said


def test_open_next_steps_with_owner_due_and_overdue_in_words(ny, tmp_path: Path) -> None:
    flat = _pdf(_report(ny), tmp_path).flat
    assert "Share the interim calendar Principal Oct 14, 2026 Nov 2, 2026 Overdue" in flat
    assert "Plan the February data day Data Coordinator Oct 14, 2026 Dec 18, 2026 Open" in flat
    assert "Post the PLC protocol" not in flat  # done


# --- dates, the due item ----------------------------------------------------------------------


def test_the_footnote_says_which_days_the_quarter_covers_and_why(ny, tmp_path: Path) -> None:
    flat = _pdf(_report(ny), tmp_path).flat
    assert "This report covers Oct 1, 2026 to Dec 31, 2026" in flat
    assert (
        "gives each quarterly report's due date but not the days a quarter covers, so the" in flat
    )
    assert "calendar quarter is used." in flat
    assert "The quarter is still under way: values are as of December 1, 2026." in flat


def test_the_due_key_marks_the_report_submitted(ny, tmp_path: Path) -> None:
    profile, school = ny
    data = _report(ny)
    assert data.due_key == f"ny.quarterly_report:{school.school_id}:2026-27 Q2"
    in_january = dt.date(2027, 1, 20)
    listed = [e.item.key for e in due_entries(profile, in_january)]
    assert data.due_key in listed  # the window's "Mark as submitted" closes this very item
    close_due(profile, data.due_key, on=TODAY, today=TODAY)
    assert data.due_key not in [e.item.key for e in due_entries(profile, in_january)]
    again = _report(ny)
    assert "Jan 31, 2027 (marked submitted on Dec 1, 2026)" in _pdf(again, tmp_path).flat


def test_a_quarter_not_begun_a_district_and_another_program_are_refused(ny, demo) -> None:
    profile, school = ny
    with pytest.raises(RefusedInput, match="Q3 2026-27 begins Jan 1, 2027"):
        _report(ny, "2026-Q3")
    with pytest.raises(RefusedInput, match="is a district"):
        build_quarterly_report(profile, org_id=school.district_id, period="2026-Q2", today=TODAY)
    ma = find_organization(demo, "Ashgrove High School")
    quarter = quarter_of(dt.date.today())
    with pytest.raises(RefusedInput, match=f"is in MA SSoS in {quarter.school_year}, not NY"):
        build_quarterly_report(demo, org_id=ma.id, period=quarter.code)
    unassigned = add_school(profile, name="Hudson Middle School", district_id=None, state="NY").id
    with pytest.raises(RefusedInput, match="not in NY Receivership .it is not on the caseload"):
        build_quarterly_report(profile, org_id=unassigned, period="2026-Q1", today=TODAY)


def test_last_years_quarter_of_a_school_assigned_this_year_is_written(ny, tmp_path) -> None:
    # Assigned for 2026-27 only: its 2025-26 quarters are still a NY Receivership school's.
    data = _report(ny, "2025-Q4")
    assert (data.starts, data.ends, data.receivership_year) == (
        dt.date(2026, 4, 1),
        dt.date(2026, 6, 30),
        None,
    )
    flat = _pdf(data, tmp_path).flat
    assert "Q4 (Final/Continuation) 2025-26 progress report" in flat
    assert "Receivership year" not in flat and "Due to OISR July 22, 2026" in flat


# --- the CSV ------------------------------------------------------------------------------------


def test_the_csv_is_one_table_with_a_section_column(ny, tmp_path: Path) -> None:
    rows = _csv(_report(ny), tmp_path)
    assert list(rows[0]) == list(CSV_COLUMNS)
    sections = [r["section"] for r in rows]
    assert sections == sorted(
        sections, key=["Report", "DII", "Visit", "Lead strategy", "Next step", "Note"].index
    )
    report = {r["item"]: r["detail"] for r in rows if r["section"] == "Report"}
    assert report["BEDS code"] == BEDS and report["Quarter"] == "Q2 (Mid-Year) 2026-27"
    ela = next(
        r
        for r in rows
        if r["section"] == "DII"
        and r["detail"] == "Assigned · All"
        and r["item"].startswith("ELA38")
    )
    assert (ela["baseline"], ela["target"], ela["latest"], ela["n"], ela["status"]) == (
        "38%",
        "≥ 46%",
        "43.5%",
        "n = 212",
        "On track",
    )
    assert ela["goal"] == "Mid-year goal: ≥ 42%" and ela["date"] == "2026-10-20"
    steps = [
        (r["item"], r["owner"], r["due"], r["status"]) for r in rows if r["section"] == "Next step"
    ]
    assert steps == [
        ("Share the interim calendar", "Principal", "2026-11-02", "Overdue"),
        ("Plan the February data day", "Data Coordinator", "2026-12-18", "Open"),
    ]


def test_a_cell_that_looks_like_a_formula_stays_text(ny, tmp_path: Path) -> None:
    data = dataclasses.replace(
        _report(ny),
        next_steps=(QuarterNextStep('=HYPERLINK("http://x")', "+Principal", None, TODAY, False),),
    )
    step = next(r for r in _csv(data, tmp_path) if r["section"] == "Next step")
    assert (step["item"], step["owner"]) == ('\'=HYPERLINK("http://x")', "'+Principal")


# --- large print, the demo, speed ---------------------------------------------------------------


def test_large_print_says_the_same_in_bigger_type(ny, tmp_path: Path) -> None:
    data = _report(ny)
    normal, large = _pdf(data, tmp_path), _pdf(data, tmp_path, large_print=True)
    assert len(large.pages) > len(normal.pages)
    assert max(large.font_sizes_of("Open next steps")) == pytest.approx(12.5 * 1.4, abs=0.1)
    for shown in (
        "Baseline 38%",
        "Target ≥ 46%",
        "Mid-year ≥ 42%",
        "43.5%",
        "Suppressed",
        "Share the interim calendar",
        "Overdue",
        LEAD_NOTE[:40],
    ):
        assert shown in large.flat, shown
    for number, page in enumerate(large.pages, start=1):
        assert f"Page {number} of {len(large.pages)}" in page


def test_a_demo_school_in_this_quarter_in_under_a_second(demo, tmp_path: Path) -> None:
    school = find_organization(demo, "Riverside Academy")
    today = dt.date.today()
    quarter = quarter_of(today).code
    started = time.perf_counter()
    data = build_quarterly_report(demo, org_id=school.id, period=quarter)
    render_quarterly_report(data, tmp_path / "riverside.pdf")
    elapsed = time.perf_counter() - started
    assert elapsed < 1.0, f"{elapsed:.2f} s"
    assert len(data.diis) == 10 and data.beds_code == "660409010021"
    assert all(v.status in ("final", "draft", "planned") for v in data.visits)
    assert data.due_key.endswith(f"{quarter_of(today).school_year} Q{quarter_of(today).number}")


def test_the_periods_and_schools_a_coach_picks_from(demo) -> None:
    assert quarterly_periods(dt.date(2026, 12, 1)) == [
        "2026-Q2",
        "2026-Q1",
        "2025-Q4",
        "2025-Q3",
        "2025-Q2",
    ]
    assert quarterly_periods(dt.date(2026, 7, 1))[:2] == ["2026-Q1", "2025-Q4"]
    names = [name for _id, name in quarterly_orgs(demo)]
    assert len(names) == 8 and names == sorted(names) and "Riverside Academy" in names
    assert "Ashgrove High School" not in names  # MA


# --- the command line ---------------------------------------------------------------------------


def test_the_cli_writes_the_pdf_and_the_csv(ny, tmp_path: Path, capsys) -> None:
    profile, _school = ny
    base = ["--data-dir", str(profile.directory), "report", "quarterly", "--school", BEDS]
    out = tmp_path / "q1.pdf"
    assert main([*base, "--quarter", "2026-Q1", "-o", str(out)]) == 0
    said = capsys.readouterr().out.strip()
    pages = len(read_pdf(out).pages)
    assert said == f"Wrote {out}: the Q1 2026-27 progress report for {SCHOOL} on {pages} pages."
    table = tmp_path / "q1.csv"
    assert main([*base, "--quarter", "2026-27 Q1", "-o", str(table)]) == 0
    assert capsys.readouterr().out.strip().endswith("as a CSV table.")
    assert table.read_bytes().startswith(b"\xef\xbb\xbfsection,")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


@pytest.mark.parametrize(
    ("school", "quarter", "output", "message"),
    [
        ("No Such School", "2026-Q1", "q.pdf", "No school is called or numbered"),
        ("Ashgrove High School", "2026-Q1", "q.pdf", "is for NY Receivership schools"),
        (BEDS, "2026-Q5", "q.pdf", "Name the quarter as 2026-Q2"),
        (BEDS, "2026-Q1", "q.docx", "ending in .pdf or .csv"),
    ],
)
def test_the_cli_refuses_with_one_sentence(
    ny, demo_dir: Path, tmp_path: Path, capsys, school, quarter, output, message
) -> None:
    profile, _school = ny
    folder = demo_dir if school == "Ashgrove High School" else profile.directory
    argv = [
        "--data-dir",
        str(folder),
        "report",
        "quarterly",
        "--school",
        school,
        "--quarter",
        quarter,
        "-o",
        str(tmp_path / output),
    ]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.startswith("coachdesk: ") and message in err and err.count("\n") == 1
    assert not (tmp_path / output).exists()
