"""The supervisor's caseload status report."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from coachdesk.cli import main
from coachdesk.core.caseload import CaseloadRow
from coachdesk.core.errors import RefusedInput
from coachdesk.reports.caseload_report import (
    CaseloadReportData,
    caseload_from_rows,
    render_caseload_report,
)
from coachdesk.reports.caseload_source import build_caseload_report
from tests.unit.reports import samples
from tests.unit.reports.pdftext import fonts_used, read_pdf

FOOTER = "Formative coaching record, not an evaluation of any educator."


def test_every_school_is_listed_under_its_program_with_its_facts(tmp_path: Path) -> None:
    data = samples.caseload_sample(25)
    out = tmp_path / "caseload.pdf"
    result = render_caseload_report(data, out)
    pdf = read_pdf(out)
    assert result.pages == len(pdf.pages)
    flat = pdf.flat
    for prog in data.programs:
        assert prog.name in pdf.text
        for school in prog.schools:
            assert school.school in flat
    # One school's row reads across: name, district, status, last and next visit, the five
    # indicator counts and the overdue items.
    school = data.programs[1].schools[3]
    assert (school.last_visit, school.next_visit) == (dt.date(2026, 11, 11), None)
    counts = school.indicators
    row = [
        school.school,
        school.district,
        school.status,
        "Nov 11, 2026",
        "Not scheduled",
        *map(str, (counts.met, counts.on_track, counts.at_risk, counts.not_met, counts.no_data)),
        str(school.overdue_items),
    ]
    assert " ".join(row) in flat


def test_overview_counts_schools_needing_attention(tmp_path: Path) -> None:
    data = samples.caseload_sample(25)
    out = tmp_path / "caseload.pdf"
    render_caseload_report(data, out)
    flat = read_pdf(out).flat
    for prog in data.programs:
        schools = prog.schools
        expected = [
            str(len(schools)),
            str(sum(1 for s in schools if s.overdue_items)),
            str(sum(1 for s in schools if s.indicators.at_risk + s.indicators.not_met)),
            str(sum(1 for s in schools if s.next_visit is None)),
        ]
        # The first mention of the program is its overview row, read across.
        at = flat.index(prog.name) + len(prog.name)
        assert flat[at:].split()[:4] == expected


def test_landscape_pages_with_footer_and_page_numbers(tmp_path: Path) -> None:
    out = tmp_path / "caseload.pdf"
    result = render_caseload_report(samples.caseload_sample(25), out)
    pdf = read_pdf(out)
    assert result.pages >= 2
    for number, page in enumerate(pdf.pages, start=1):
        box = pdf.reader.pages[number - 1].mediabox
        assert box.width > box.height
        assert FOOTER in page
        assert f"Page {number} of {result.pages}" in page
    assert "(continued)" in pdf.text  # a program's table that runs on says so
    assert all(fonts_used(pdf.reader).values())
    assert pdf.reader.metadata.title == "Caseload status, 2026-27"
    assert pdf.reader.metadata.creator == "coachdesk"


def test_large_print_caseload_uses_bigger_type(tmp_path: Path) -> None:
    data = samples.caseload_sample(25)
    regular = render_caseload_report(data, tmp_path / "r.pdf")
    large = render_caseload_report(data, tmp_path / "l.pdf", large_print=True)
    assert large.pages > regular.pages
    assert read_pdf(tmp_path / "r.pdf").font_sizes_of("Riverton") == {9.2}
    assert read_pdf(tmp_path / "l.pdf").font_sizes_of("Riverton") == {round(9.2 * 1.4, 1)}


def test_an_empty_caseload_says_so(tmp_path: Path) -> None:
    empty = replace(samples.caseload_sample(3), programs=())
    render_caseload_report(empty, tmp_path / "empty.pdf")
    text = read_pdf(tmp_path / "empty.pdf").text
    assert "No schools are on the caseload for this school year." in text


def _row(name: str, code: str, program: str, status: str) -> CaseloadRow:
    return CaseloadRow(
        school_id=name,
        school_name=name,
        state_id=None,
        city=None,
        district_id=None,
        district_name="",
        assignment_id=name,
        program_code=code,
        program_name=program,
        school_year="2026-27",
        status=status,
        stage=None,
        receivership_year=None,
        active_flags=1 if code == "OH_NNPS" else 0,
    )


def test_caseload_rows_become_report_data_in_program_order(tmp_path: Path) -> None:
    rows = [
        _row("Willow School", "OH_NNPS", "OH NNPS", "Installing"),
        _row("Ash School", "MA_SSOS", "MA SSoS", "Phase 1: Prioritize"),
        _row("Birch School", "NY_RCV", "NY Receivership", "Receivership year 2"),
    ]
    when = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
    data = caseload_from_rows(rows, as_of=when.date(), generated_at=when, school_year="2026-27")
    assert [p.name for p in data.programs] == ["NY Receivership", "MA SSoS", "OH NNPS"]
    assert data.programs[2].schools[0].active_flags == 1
    assert data.programs[0].schools[0].district == "No district recorded"
    render_caseload_report(data, tmp_path / "c.pdf")
    pdf = read_pdf(tmp_path / "c.pdf")
    assert "Installing · 1 coaching flag" in pdf.flat
    # With no visits recorded, the visit columns are blank, not a row of alarms.
    assert "Not scheduled" not in pdf.flat
    assert "not recorded in this profile yet" in pdf.flat


def test_cli_writes_the_caseload_report(demo_dir: Path, tmp_path: Path, capsys) -> None:
    data_dir = demo_dir
    out = tmp_path / "caseload.pdf"
    assert main(["--data-dir", str(data_dir), "report", "caseload", "-o", str(out)]) == 0
    printed = capsys.readouterr().out.splitlines()[-1]
    pdf = read_pdf(out)
    assert f"Wrote {out}: " in printed and f"on {len(pdf.pages)} page" in printed
    assert "Caseload status, " in pdf.text and FOOTER in pdf.text
    schools = int(printed.split(": ")[1].split(" school")[0])
    assert schools > 0
    large = tmp_path / "large.pdf"
    argv = ["--data-dir", str(data_dir), "report", "caseload", "-o", str(large), "--large-print"]
    assert main(argv) == 0
    assert len(read_pdf(large).pages) > len(pdf.pages)


@pytest.mark.parametrize(
    ("output", "extra", "message"),
    [
        ("report.txt", [], "ending in .pdf"),
        ("missing/report.pdf", [], "does not exist"),
        ("report.pdf", ["--year", "2026"], "2026-27"),
    ],
)
def test_cli_refuses_bad_input_with_a_sentence(
    tmp_path: Path, capsys, output: str, extra: list[str], message: str
) -> None:
    argv = ["--data-dir", str(tmp_path / "p"), "report", "caseload", "-o", str(tmp_path / output)]
    assert main(argv + extra) == 1
    err = capsys.readouterr().err
    assert err.startswith("coachdesk: ") and message in err and err.count("\n") == 1
    assert not (tmp_path / output).exists()


def test_cli_report_without_a_kind_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["--data-dir", str(tmp_path / "p"), "report"])
    assert stopped.value.code == 2


def test_reports_import_without_qt() -> None:
    code = (
        "import sys\n"
        "import coachdesk.reports.visit_summary, coachdesk.reports.caseload_report\n"
        "import coachdesk.commands.report_commands\n"
        "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt was imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_report_data_is_plain_and_frozen() -> None:
    data: CaseloadReportData = samples.caseload_sample(2)
    with pytest.raises(AttributeError):
        data.title = "changed"  # type: ignore[misc]


# --- Who prepared it, final visits, what is due, one program, large print ----------------------

TODAY = dt.date(2026, 12, 1)


def test_the_report_says_who_prepared_it_and_counts_only_final_visits(
    profile, tmp_path: Path
) -> None:
    from tests.unit.reports.test_oh_coaching_log import JEMISON, LAKEVIEW, oh_district

    oh_district(profile)
    data = build_caseload_report(profile, today=TODAY)
    render_caseload_report(data, tmp_path / "c.pdf")
    pdf = read_pdf(tmp_path / "c.pdf")
    assert (
        "Prepared by Renée Castillo-Oyelaran · State Support Team Region 2 · "
        "renee.castillo@sst2.org · 419-555-0173"
    ) in pdf.flat
    assert pdf.reader.metadata.author == "Renée Castillo-Oyelaran"
    # Nov 18 is the last final note; Nov 25 is a draft and Dec 15 is still to come.
    assert (
        f"{JEMISON} Sandusky Bay Local Schools Initial Implementation · 1 coaching flag "
        "Nov 18, 2026 Dec 15, 2026" in pdf.flat
    )
    assert f"{LAKEVIEW} Sandusky Bay Local Schools Exploring None yet Not scheduled" in pdf.flat


def test_what_is_due_is_listed_per_school_as_the_today_view_knows_it(
    profile, tmp_path: Path
) -> None:
    from coachdesk.core.clock import HybridClock
    from coachdesk.core.tracking_records.due import Group, due_entries
    from tests.unit.reports.test_oh_coaching_log import JEMISON, NOW, oh_district

    # The coach sets up the caseload and back-fills its notes on Dec 1 (the profile's clock, not
    # the real date): nothing is due from before the schools were assigned, and a note's days
    # count from when it was entered. (Entered after the day looked at, they would not.)
    entered = int(NOW.timestamp() * 1000)
    profile._clock = HybridClock(profile.device_id, wall=lambda: entered)
    oh_district(profile)
    data = build_caseload_report(profile, today=TODAY)
    listed = {(x.school, x.due, x.group) for p in data.programs for x in p.obligations}
    today = [e for e in due_entries(profile, TODAY) if e.group is not Group.LAST_YEAR]
    assert len(today) == len(listed) == 6
    # Each item under its school, or its district (Fremont's own check-in is the district's).
    assert {(e.school_name, e.item.due, e.group.value) for e in today} == listed
    jemison = next(s for s in data.programs[0].schools if s.school == JEMISON).obligations
    assert [x.what for x in jemison if x.overdue] == ["Call home about [withheld]"]
    render_caseload_report(data, tmp_path / "c.pdf")
    flat = read_pdf(tmp_path / "c.pdf").flat
    assert "OH NNPS: what is due" in flat
    assert f"{JEMISON} • Nov 20, 2026: Call home about [withheld]" in flat
    assert "• Dec 18, 2026: Book the library for the February family event" in flat
    assert "AB1234567" not in flat and "SSID" not in flat


def test_one_program_only(demo, tmp_path: Path) -> None:
    data = build_caseload_report(demo, program="oh_nnps")
    assert [p.name for p in data.programs] == ["OH NNPS"]
    assert data.program_filter == "OH NNPS"
    everything = build_caseload_report(demo)
    assert len(data.programs[0].schools) == len(everything.programs[-1].schools)
    render_caseload_report(data, tmp_path / "oh.pdf")
    flat = read_pdf(tmp_path / "oh.pdf").flat
    assert "in 1 program · OH NNPS only" in flat
    assert "NY Receivership" not in flat and "MA SSoS" not in flat
    with pytest.raises(RefusedInput, match="choose from NY_RCV, MA_SSOS, OH_NNPS"):
        build_caseload_report(demo, program="TX_TEA")


def test_cli_filters_by_program_and_refuses_an_unknown_one(
    demo_dir: Path, tmp_path: Path, capsys
) -> None:
    out = tmp_path / "ma.pdf"
    argv = ["--data-dir", str(demo_dir), "report", "caseload", "-o", str(out)]
    assert main([*argv, "--program", "MA_SSOS"]) == 0
    assert " schools in MA SSoS on " in capsys.readouterr().out
    assert "OH NNPS" not in read_pdf(out).flat
    out.unlink()
    assert main([*argv, "--program", "NNPS"]) == 1
    err = capsys.readouterr().err
    assert err == (
        "coachdesk: “NNPS” is not a program coachdesk knows; choose from NY_RCV, MA_SSOS, "
        "OH_NNPS.\n"
    )
    assert not out.exists()


def _overlapping_words(path: Path) -> list[tuple[str, str]]:
    """Pairs of strings drawn on the same line of a page where the first runs into the next."""
    from pypdf import PdfReader
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from coachdesk.reports.pdf_layout import FONT, FONT_BOLD

    found = []
    for page in PdfReader(path).pages:
        drawn: dict[float, list[tuple[float, float, str]]] = {}

        def visit(text, cm, tm, font_dict, font_size, drawn=drawn) -> None:
            if not text.strip() or not font_dict:
                return
            bold = str(font_dict.get("/BaseFont", "")).endswith("Bold")
            size = font_size * tm[0]
            x, y = cm[4] + tm[4], round(cm[5] + tm[5], 1)
            width = stringWidth(text.strip(), FONT_BOLD if bold else FONT, size)
            drawn.setdefault(y, []).append((x, x + width, text.strip()))

        page.extract_text(visitor_text=visit)
        for words in drawn.values():
            words.sort()
            for (x, end, first), (start, _e, second) in zip(words, words[1:], strict=False):
                # pypdf gives the pieces of one paragraph line (a bold label, then plain words)
                # the line's start: only strings placed at different places can run into each other.
                if end > start + 0.5 and start - x > 0.5:
                    found.append((first, second))
    return found


def test_large_print_headings_and_cells_do_not_overlap(demo, tmp_path: Path) -> None:
    for data in (samples.caseload_sample(25), build_caseload_report(demo)):
        out = tmp_path / "large.pdf"
        render_caseload_report(data, out, large_print=True)
        assert _overlapping_words(out) == []
        flat = read_pdf(out).flat
        assert "Overdue items" in flat and "Receivership year" in flat  # no word split in two
        assert "Indicators" in flat  # the counts in words, in one column


def test_a_school_with_a_long_list_of_what_is_due_still_prints(tmp_path: Path) -> None:
    from coachdesk.reports.caseload_report import DueLine

    data = samples.caseload_sample(3)
    many = tuple(
        DueLine(f"Follow up on next step number {n} with the team", dt.date(2026, 11, 1), "Overdue")
        for n in range(45)
    )
    program = data.programs[0]
    school = replace(program.schools[0], obligations=many)
    data = replace(data, programs=(replace(program, schools=(school,)),))
    out = tmp_path / "long.pdf"
    result = render_caseload_report(data, out, large_print=True)  # taller than a page in one row
    flat = read_pdf(out).flat
    assert result.pages >= 3
    assert all(f"next step number {n} with the team" in flat for n in range(45))
    assert f"{school.school} (continued)" in flat
