"""The principal's visit summary, read back from the PDF as pypdf extracts it."""

from __future__ import annotations

import dataclasses
import io
from dataclasses import replace
from pathlib import Path

import pytest

from coachdesk.reports import summary_data
from coachdesk.reports.summary_data import (
    MeasureCell,
    NarrativeSection,
    Observations,
    ProgressRow,
    ProgressSnapshot,
    SummaryHeader,
    VisitSummaryData,
    WhatWeDid,
)
from coachdesk.reports.visit_summary import render_visit_summary
from tests.unit.reports import samples
from tests.unit.reports.pdftext import fonts_used, read_pdf

SECTIONS = [
    "Purpose",
    "What we did",
    "Observations",
    "Progress snapshot",
    "Agreements",
    "Next steps",
    "Follow-up on the previous visit's items",
    "Upcoming dates",
]
FOOTER = "Formative coaching record, not an evaluation of any educator."


def render(data: VisitSummaryData, tmp_path: Path, name: str = "summary.pdf", **options):
    path = tmp_path / name
    result = render_visit_summary(data, path, **options)
    return result, read_pdf(path)


def test_typical_ny_visit_shows_every_section_in_order_on_two_pages(tmp_path: Path) -> None:
    result, pdf = render(samples.ny_typical(), tmp_path)
    assert result.pages == len(pdf.pages) == 2
    assert result.narrative_limit is None  # it fits without shortening anything
    text = pdf.text
    positions = [text.index(title) for title in SECTIONS]
    assert positions == sorted(positions)
    for value in [
        "Harborview Elementary School",
        "Riverton City School District",
        "November 18, 2026",
        "On-site",
        "Dana Whitfield",
        "Final",
        "Lead strategy: LS 2: Every grade-level team",
        "Draft Q2 report, sections A and B",
        "sorted students into skill",
        "Leadership team discussion",
        "Data meetings keep a fixed 15 minutes",
    ]:
        assert value in text, value


def test_next_steps_follow_up_and_dates_carry_their_values(tmp_path: Path) -> None:
    _, pdf = render(samples.ny_typical(), tmp_path)
    text = pdf.flat
    assert "Model one planning cycle with the Grade 4 team Minh Nguyễn Dec 4, 2026" in text
    assert "Share attendance outreach script with families Dropped" in text
    # Next steps are in due-date order, whatever order they were given in.
    due = [text.index(d) for d in ("Nov 21, 2026", "Nov 25, 2026", "Dec 4, 2026", "Dec 12, 2026")]
    assert due == sorted(due)
    # Upcoming dates are in date order too.
    upcoming = text[text.index("Upcoming dates") :]
    when = [upcoming.index(d) for d in ("Dec 1, 2026", "Dec 16, 2026", "Jan 31, 2027")]
    assert when == sorted(when)
    assert "Jan 31, 2027 Q2 (Mid-Year) report due to OISR" in upcoming


def test_next_steps_without_a_date_come_last(tmp_path: Path) -> None:
    base = samples.ny_typical()
    steps = (
        summary_data.NextStep("Book the spring data retreat", "Principal", None),
        *base.next_steps,
    )
    _, pdf = render(replace(base, next_steps=steps), tmp_path)
    text = pdf.flat
    table = text[text.index("Next steps") : text.index("Follow-up on the previous")]
    assert table.rstrip().endswith("Book the spring data retreat Principal No date set")


def test_footer_on_every_page(tmp_path: Path) -> None:
    _, pdf = render(samples.ny_typical(), tmp_path)
    for number, page in enumerate(pdf.pages, start=1):
        assert FOOTER in page
        # The school's time zone is named; the time is in the 12-hour US form.
        assert "Form ny_ssp_visit, version 3 · Generated Nov 23, 2026, 4:05 PM EST" in page
        assert f"Page {number} of 2" in page


def test_a_visit_without_a_form_prints_no_form_line(tmp_path: Path) -> None:
    # A visit at a school that has no program yet is written on no form.
    data = samples.ny_typical()
    data = replace(data, footer=replace(data.footer, form_id="", form_version="—"))
    _, pdf = render(data, tmp_path)
    for page in pdf.pages:
        assert "version" not in page and "Form ," not in page
        assert "Generated Nov 23, 2026, 4:05 PM EST" in page


def test_the_visit_s_own_purpose_prints_without_repeating_its_heading(tmp_path: Path) -> None:
    data = replace(
        samples.ny_typical(),
        purpose=(
            summary_data.PurposeLink("Purpose", "Walk the attendance plan with the principal"),
            summary_data.PurposeLink("DII focus", "Chronic absenteeism"),
        ),
    )
    _, pdf = render(data, tmp_path)
    first = pdf.pages[0]
    assert "Walk the attendance plan with the principal" in first
    assert "Purpose: Walk" not in first  # not "Purpose: ..." under the Purpose heading
    assert "DII focus: Chronic absenteeism" in first  # other purposes keep their label


def test_small_cells_print_as_suppressed_never_their_value(tmp_path: Path) -> None:
    _, pdf = render(samples.ny_typical(), tmp_path)
    text = pdf.flat
    assert "3-8 ELA, Level 2 and above (ELL) n<10 25% n<10" in text
    assert "19%" not in pdf.text and "22%" not in pdf.text  # the ELL values (n = 8 and 9)
    # A value with n at the threshold prints, with its n.
    assert "3-8 ELA, Level 2 and above (SWD) 12% 20% 13% (n=33)" in text


def test_suppression_threshold_is_data_not_code(tmp_path: Path) -> None:
    rows = (
        ProgressRow(
            "Grade 3 ELA (SWD)", MeasureCell("12%", 31), "20%", MeasureCell("13%", 33), "at-risk"
        ),
    )
    data = replace(samples.oh_check_in(), progress=ProgressSnapshot(rows, suppression_threshold=40))
    _, pdf = render(data, tmp_path)
    assert "n<40" in pdf.text and "12%" not in pdf.text


def test_learning_walk_prints_the_look_for_aggregates(tmp_path: Path) -> None:
    result, pdf = render(samples.ma_learning_walk(), tmp_path)
    assert result.pages <= 2
    assert "Students build on or question a peer's idea 6 17% 33%" in pdf.flat
    assert "Focus of inquiry: How do students use academic talk" in pdf.text
    for heading in ("Patterns across classrooms", "Wonderings", "Learning walk: look-fors"):
        assert heading in pdf.text
    assert "Classrooms are counted, never named" in pdf.text
    assert "Grade 6-8 ELA DDM, meeting benchmark (ML)" in pdf.flat


def test_short_oh_check_in_leaves_out_empty_optional_sections(tmp_path: Path) -> None:
    result, pdf = render(samples.oh_check_in(), tmp_path)
    assert result.pages == 1
    assert "Partnership goal: Academic: families practise reading routines" in pdf.text
    assert "Initial Implementation" in pdf.flat
    for absent in ("Agreements", "Follow-up on the previous visit's items", "Areas for growth"):
        assert absent not in pdf.text
    # The sections every summary has are shown even when empty.
    empty = VisitSummaryData(
        header=samples.oh_check_in().header, footer=samples.oh_check_in().footer
    )
    _, bare = render(empty, tmp_path, "bare.pdf")
    for title in ("Purpose", "What we did", "Observations", "Next steps"):
        assert title in bare.text
    assert bare.text.count("None recorded.") == 4


def test_long_narrative_is_shortened_to_keep_a_typical_visit_on_two_pages(tmp_path: Path) -> None:
    base = samples.ny_typical()
    long_text = "\n\n".join([samples._LONG] * 3)
    data = replace(
        base,
        observations=replace(
            base.observations,
            sections=(NarrativeSection("Leadership team discussion", long_text),),
        ),
    )
    assert render_visit_summary(replace(data, next_steps=()), io.BytesIO()).pages == 2
    result, pdf = render(data, tmp_path)
    assert result.pages == 2
    assert result.narrative_limit is not None
    # What was left out is said in words, under the section it was left out of.
    flat = pdf.flat
    assert "under “Leadership team discussion” " in flat
    assert "in the coach's full note." in flat
    assert "(full note in coachdesk)" not in flat
    # Commitments and facts are never shortened.
    for step in base.next_steps:
        assert step.action in pdf.text
    assert "Q2 (Mid-Year) report due to OISR" in pdf.text


def test_maximal_visit_runs_on_and_says_which_section_continues(tmp_path: Path) -> None:
    result, pdf = render(samples.maximal(), tmp_path)
    total = result.pages
    assert total > 2 and total == len(pdf.pages)
    continued = [line for line in pdf.text.splitlines() if line.endswith("(continued)")]
    assert continued, "a page that continues a section names it"
    assert all(line.removesuffix(" (continued)") in SECTIONS for line in continued)
    for number, page in enumerate(pdf.pages, start=1):
        assert f"Page {number} of {total}" in page
    for i in range(24):  # every next step is there, none trimmed
        assert f"Next step {i}: prepare the grade" in pdf.text
    # The table heading row is repeated on the page a table continues on.
    page_with_rest = next(p for p in pdf.pages[1:] if "Follow-up item 9" in p)
    assert "Item Status" in " ".join(page_with_rest.split())


def test_unicode_names_round_trip_in_an_embedded_font(tmp_path: Path) -> None:
    _, pdf = render(samples.ny_typical(), tmp_path)
    for name in ("Ana Nuñez", "Minh Nguyễn", "Folake Øyelaran", "Zoë Lindqvist"):
        assert name in pdf.text
    fonts = fonts_used(pdf.reader)
    assert fonts and all(embedded for embedded in fonts.values()), fonts
    assert all("DejaVuSans" in name for name in fonts)


def test_markup_characters_print_as_typed(tmp_path: Path) -> None:
    data = replace(
        samples.oh_check_in(),
        what_we_did=WhatWeDid(agenda=("Q&A with the ATP <parents & staff>",)),
    )
    _, pdf = render(data, tmp_path)
    assert "Q&A with the ATP <parents & staff>" in pdf.text


def test_draft_mark_on_every_page_of_a_draft_only(tmp_path: Path) -> None:
    _, final = render(samples.ny_typical(), tmp_path, "final.pdf")
    _, draft = render(samples.draft_of(samples.ny_typical()), tmp_path, "draft.pdf")
    assert all("DRAFT" in page for page in draft.pages)
    assert "Draft (not final)" in " ".join(draft.pages[0].split())
    assert not any("DRAFT" in page for page in final.pages)


def test_document_metadata(tmp_path: Path) -> None:
    _, pdf = render(samples.ma_learning_walk(), tmp_path)
    meta = pdf.reader.metadata
    assert meta.title == "Visit summary: Cranberry Hill Middle School, November 10, 2026"
    assert meta.author == "Priya Raman"
    assert meta.subject == "MA SSoS learning walk visit, Eastbrook Public Schools"
    assert meta.creator == "coachdesk"


def test_large_print_is_bigger_type_with_the_same_content(tmp_path: Path) -> None:
    regular_result, regular = render(samples.ny_typical(), tmp_path, "regular.pdf")
    large_result, large = render(samples.ny_typical(), tmp_path, "large.pdf", large_print=True)
    agenda = "Review of the October reading checkpoint"
    assert regular.font_sizes_of(agenda) == {10.0}
    assert large.font_sizes_of(agenda) == {14.0}
    assert large_result.pages > regular_result.pages
    for step in samples.ny_typical().next_steps:
        assert step.action in large.text.replace("\n", " ")


def test_writes_to_an_open_binary_file() -> None:
    buffer = io.BytesIO()
    result = render_visit_summary(samples.oh_check_in(), buffer)
    assert len(read_pdf(buffer.getvalue()).pages) == result.pages == 1


# --- Internal notes never reach a PDF -------------------------------------------------------------


def _summary_dataclasses() -> list[type]:
    return [
        value
        for value in vars(summary_data).values()
        if isinstance(value, type) and dataclasses.is_dataclass(value)
    ]


def test_no_input_dataclass_has_anywhere_to_put_an_internal_note() -> None:
    classes = _summary_dataclasses()
    assert VisitSummaryData in classes and len(classes) >= 10
    for cls in classes:
        assert not [f.name for f in dataclasses.fields(cls) if "internal" in f.name], cls
    with pytest.raises(TypeError):
        VisitSummaryData(  # type: ignore[call-arg]
            header=samples.ny_typical().header,
            footer=samples.ny_typical().footer,
            internal_notes=samples.PLANTED_INTERNAL,
        )
    with pytest.raises(TypeError):
        Observations(internal_notes=samples.PLANTED_INTERNAL)  # type: ignore[call-arg]


def test_an_internal_note_smuggled_in_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    @dataclasses.dataclass(frozen=True)
    class SectionWithNote(NarrativeSection):
        internal_notes: str = ""

    data = samples.maximal()
    smuggled = replace(
        data,
        observations=replace(
            data.observations,
            sections=(SectionWithNote("Discussion", "Fine.", samples.PLANTED_INTERNAL),),
        ),
    )
    out = tmp_path / "smuggled.pdf"
    with pytest.raises(ValueError, match="internal note"):
        render_visit_summary(smuggled, out)
    assert not out.exists()

    patched = samples.ny_typical()
    object.__setattr__(patched, "internal_notes", samples.PLANTED_INTERNAL)
    with pytest.raises(ValueError, match="internal note"):
        render_visit_summary(patched, out)
    assert not out.exists()


def test_a_full_summary_prints_every_field_but_no_planted_note(tmp_path: Path) -> None:
    # The planted note sits in the one place a careless builder might leave it: the coach's
    # header object, under a name the renderer never reads.
    data = samples.maximal()
    header = SummaryHeader(
        **{f.name: getattr(data.header, f.name) for f in dataclasses.fields(SummaryHeader)}
    )
    object.__setattr__(header, "coach_private", samples.PLANTED_INTERNAL)
    result, pdf = render(replace(data, header=header), tmp_path)
    assert result.pages > 2
    assert "Harborview Elementary School" in pdf.text and "Follow-up item 9" in pdf.text
    assert "ZZ-INTERNAL-7731" not in pdf.text


def test_refused_inputs_say_why() -> None:
    rows = tuple(ProgressRow(f"Indicator {i}", None, "50%", None, "no-data") for i in range(7))
    with pytest.raises(ValueError, match="at most 6 indicators"):
        ProgressSnapshot(rows)
    with pytest.raises(ValueError, match="draft or final"):
        replace(samples.ny_typical().header, status="shared")


# --- repeats as tables, walk counts, what the two-page rule leaves out ---------------------------


def test_benchmark_rows_print_as_a_table_with_its_note(tmp_path: Path) -> None:
    table = summary_data.PrintedTable(
        headings=("Benchmark", "Student group", "Result", "Students", "Status"),
        rows=(
            ("Grade 4 math interim: meeting benchmark", "All students", "41%", "212", "At risk"),
            (
                "Grade 4 math interim: meeting benchmark",
                "Multilingual learners",
                "n<10",
                "n<10",
                "n<10",
            ),
        ),
        note="A result for fewer than 10 students prints as n<10.",
    )
    section = NarrativeSection(
        "Benchmark results", "Grade 4 math interim (Kind: result; Status: At risk)", table=table
    )
    base = samples.ma_learning_walk()
    data = replace(base, observations=replace(base.observations, sections=(section,)))
    _, pdf = render(data, tmp_path)
    text = pdf.flat
    assert "Benchmark Student group Result Students Status" in text
    assert "Grade 4 math interim: meeting benchmark All students 41% 212 At risk" in text
    assert "Multilingual learners n<10 n<10 n<10" in text
    assert "A result for fewer than 10 students prints as n<10." in text
    assert "(Kind:" not in text  # not the run-on text form


def test_a_walk_says_how_many_classrooms_were_visited(tmp_path: Path) -> None:
    base = samples.ma_learning_walk()
    walk = replace(base.learning_walk, classrooms_visited=6)
    _, pdf = render(replace(base, learning_walk=walk), tmp_path)
    assert "Classrooms visited: 6 classrooms" in pdf.flat


def test_withheld_shares_print_the_reason_instead_of_percentages(tmp_path: Path) -> None:
    base = samples.ma_learning_walk()
    reason = "Two classrooms were visited: shares of fewer than 3 are not printed."
    walk = replace(base.learning_walk, classrooms_visited=2, shares_withheld=reason)
    _, pdf = render(replace(base, learning_walk=walk), tmp_path)
    text = pdf.flat
    assert reason in text
    walk_part = text[text.index("Learning walk: look-fors") : text.index(reason)]
    assert "Observed" not in walk_part and "Partly" not in walk_part
    assert "%" not in walk_part
    for row in base.learning_walk.look_fors:
        assert row.look_for in text  # the look-fors and their classroom counts still print


def test_the_two_page_rule_drops_paragraphs_and_says_how_many(tmp_path: Path) -> None:
    base = samples.ny_typical()
    many = tuple(f"Strength {i}: {samples._LONG}" for i in range(8))
    data = replace(base, observations=replace(base.observations, strengths=many))
    result, pdf = render(data, tmp_path)
    assert result.pages == 2 and result.narrative_limit is not None
    text = pdf.flat
    kept = [i for i in range(8) if f"Strength {i}:" in text]
    assert kept == list(range(len(kept))) and 0 < len(kept) < 8  # the first ones stay
    words = ("one", "two", "three", "four", "five", "six", "seven")
    left = 8 - len(kept)
    noun, verb = ("paragraph", "is") if left == 1 else ("paragraphs", "are")
    # The kept ones are cut too, so the line says both.
    assert (
        f"Shortened to fit two pages; {words[left - 1]} more {noun} under “Strengths” {verb}"
        " in the coach's full note." in text
    )
