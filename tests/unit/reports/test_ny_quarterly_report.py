"""The NY quarterly progress report as OISR reads it: the PDF's and the CSV's text, and the CLI.

The school and its quarter are described in test_ny_quarterly_fixtures.py.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from coachdesk.cli import main
from coachdesk.core import visits
from coachdesk.core.store.profile import Profile
from coachdesk.reports.ny_quarterly_report import CSV_COLUMNS, QuarterNextStep
from tests.unit.reports.pdftext import read_pdf
from tests.unit.reports.test_ny_quarterly_fixtures import (
    BEDS,
    LEAD_NOTE,
    SCHOOL,
    TODAY,
    NySchool,
    csv_of,
    make_template,
    open_copy,
    pdf_of,
    report_of,
    visit_of,
)


@pytest.fixture(scope="module")
def ny_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, NySchool]:
    return make_template(tmp_path_factory)


@pytest.fixture
def ny(ny_template: tuple[Path, NySchool], tmp_path: Path) -> Iterator[tuple[Profile, NySchool]]:
    yield from open_copy(ny_template, tmp_path)


# --- the header -------------------------------------------------------------------------------


def test_the_header_names_the_school_quarter_and_who_prepared_it(ny, tmp_path: Path) -> None:
    data = report_of(ny)
    flat = pdf_of(data, tmp_path).flat
    for shown in (
        "New York Receivership",
        "Report to OISR",
        f"Q2 (Mid-Year) 2026-27 progress report: {SCHOOL}",
        f"BEDS code {BEDS}",
        "District Albany City School District",
        "Receivership year Year 3",
        "Covers Nov 1, 2026 to Jan 31, 2027",
        "Due to OISR January 31, 2027",
        "Prepared by Dana Okafor-Nguyễn",
        "Organization Capital Region School Support Partners",
        "dana.okafor@capitalssp.org · 518-555-0142",
    ):
        assert shown in flat, shown
    # When it was made (the real date and time): "Generated Jan 12, 2027, 7:01 AM EST".
    assert re.search(r"Generated [A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d\d [AP]M", flat)
    assert data.title == "Quarterly progress report" and data.period_label == "Q2 2026-27"
    assert data.org_name == SCHOOL and data.prepared_by == "Dana Okafor-Nguyễn"


# --- the DII table ----------------------------------------------------------------------------


def test_each_dii_reads_baseline_target_goal_latest_and_status(ny, tmp_path: Path) -> None:
    pdf = pdf_of(report_of(ny), tmp_path)
    lines = pdf.lines
    assert "Mid-year goal" in pdf.flat  # Q2's checkpoint is the mid-year one
    at = lines.index("3-8 ELA: Level 2 & above")
    # Baseline 38%, annual target 46%, mid-year goal 42%, latest 43.5% on Nov 10 from 212
    # students: on track.
    assert "38% ≥ 46% ≥ 42% 43.5%" in " ".join(lines[at : at + 8])
    assert "n = 212" in " ".join(lines[at : at + 10])
    assert "On track" in " ".join(lines[at : at + 12])
    assert "Chronic absenteeism" in pdf.flat and "34 ≤ 27 ≤ 31 36" in pdf.flat
    assert "Weekly grade-level PLCs in place" in pdf.flat and "No measurement" in pdf.flat


def test_small_cells_print_as_suppressed_never_their_value_n_or_status(ny, tmp_path: Path) -> None:
    data = report_of(ny)
    text = pdf_of(data, tmp_path).flat
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
    for row in csv_of(data, tmp_path):
        if row["section"] == "DII" and row["detail"].endswith(("SWD", "ML")):
            assert (row["latest"], row["status"]) == ("Suppressed", "Suppressed")
            assert row["n"] in ("fewer than 10 students", "not shown")


# --- visits, lead strategies, next steps ----------------------------------------------------


def test_visits_of_the_quarter_and_a_draft_is_named_and_not_reported(ny, tmp_path: Path) -> None:
    data = report_of(ny)
    flat = pdf_of(data, tmp_path).flat
    assert "2 visits held: 1 with a final note, 1 draft (not final, so nothing of its note" in flat
    assert (
        "Nov 4, 2026 On-site visit Adjust lead improvement strategies; Review progress toward"
        " DII targets Final" in flat
    )
    assert "Nov 18, 2026 Virtual meeting Draft: not final, not reported" in flat
    assert "Sep 16, 2026" not in flat  # the September visit belongs to Q1
    for from_the_draft in ("DRAFT THOUGHTS NOT FOR OISR", "Draft-only step"):
        assert from_the_draft not in flat
        assert not any(from_the_draft in " ".join(r.values()) for r in csv_of(data, tmp_path))


def test_a_private_note_prints_nowhere(ny, tmp_path: Path) -> None:
    data = report_of(ny)
    assert "overwhelmed" not in pdf_of(data, tmp_path).flat
    assert not any("overwhelmed" in " ".join(r.values()) for r in csv_of(data, tmp_path))


def test_lead_strategy_progress_is_what_the_final_notes_say(ny, tmp_path: Path) -> None:
    flat = pdf_of(report_of(ny), tmp_path).flat
    assert "coachdesk holds no Continuation Plan or lead-strategy records for this school." in flat
    assert f"Nov 4, 2026 · Lead strategies discussed {LEAD_NOTE}" in flat
    assert "The visit's purpose included the lead strategies." in flat
    assert "Overall progress toward the year's goals: Some concern." in flat
    # Q1's only note says nothing of the lead strategies, and the report says so plainly.
    q1 = pdf_of(report_of(ny, "2026-Q1"), tmp_path).flat
    assert "No final visit note this quarter records progress on the lead strategies." in q1


def test_a_student_identifier_in_a_final_note_prints_masked(ny, tmp_path: Path, capsys) -> None:
    profile, school = ny
    visit = visit_of(profile, school.school_id, dt.datetime(2026, 11, 4, 9, 0), None)
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
    data = report_of(ny)
    flat = pdf_of(data, tmp_path).flat
    assert "123456789" not in flat and "J.R." not in flat
    assert "Tutoring for student [withheld] started; [withheld] moved up." in flat
    assert "Call home about [withheld]" in flat
    assert data.masked == ("Lead-strategy progress", "Open next steps")
    assert not any("123456789" in " ".join(r.values()) for r in csv_of(data, tmp_path))
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
    flat = pdf_of(report_of(ny), tmp_path).flat
    assert "Share the interim calendar Principal Nov 4, 2026 Nov 20, 2026 Overdue" in flat
    assert "Plan the February data day Data Coordinator Nov 4, 2026 Dec 18, 2026 Open" in flat
    assert "Post the PLC protocol" not in flat  # done


# --- dates, the due item ----------------------------------------------------------------------


def test_the_footnote_says_which_days_the_quarter_covers_and_why(ny, tmp_path: Path) -> None:
    flat = pdf_of(report_of(ny), tmp_path).flat
    assert "This report covers Nov 1, 2026 to Jan 31, 2027, the days OISR's Q2 (Mid-Year)" in flat
    assert "Q2 November to January" in flat
    assert "The quarter is still under way: values are as of December 1, 2026." in flat


# --- the CSV ------------------------------------------------------------------------------------


def test_the_csv_is_one_table_with_a_section_column(ny, tmp_path: Path) -> None:
    rows = csv_of(report_of(ny), tmp_path)
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
    assert ela["goal"] == "Mid-year goal: ≥ 42%" and ela["date"] == "2026-11-10"
    steps = [
        (r["item"], r["owner"], r["due"], r["status"]) for r in rows if r["section"] == "Next step"
    ]
    assert steps == [
        ("Share the interim calendar", "Principal", "2026-11-20", "Overdue"),
        ("Plan the February data day", "Data Coordinator", "2026-12-18", "Open"),
    ]


def test_a_cell_that_looks_like_a_formula_stays_text(ny, tmp_path: Path) -> None:
    data = dataclasses.replace(
        report_of(ny),
        next_steps=(QuarterNextStep('=HYPERLINK("http://x")', "+Principal", None, TODAY, False),),
    )
    step = next(r for r in csv_of(data, tmp_path) if r["section"] == "Next step")
    assert (step["item"], step["owner"]) == ('\'=HYPERLINK("http://x")', "'+Principal")


# --- large print, the demo, speed ---------------------------------------------------------------


def test_large_print_says_the_same_in_bigger_type(ny, tmp_path: Path) -> None:
    data = report_of(ny)
    normal, large = pdf_of(data, tmp_path), pdf_of(data, tmp_path, large_print=True)
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
