"""The house PDF machinery: bookmarks and title as a viewer shows them, long words that wrap inside
their column, a long school name that wraps in the band and the running title."""

from __future__ import annotations

import io
from dataclasses import replace

from pypdf import PdfReader
from reportlab.lib.pagesizes import LETTER
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import PageBreak, Paragraph, Spacer

from coachdesk.reports.caseload_report import render_caseload_report
from coachdesk.reports.fonts import FONT, FONT_BOLD
from coachdesk.reports.pdf_layout import (
    MARGIN,
    PageFurniture,
    SectionTracker,
    build_pdf,
    make_styles,
)
from coachdesk.reports.sections import section
from coachdesk.reports.tables import data_table, header_band, wrapped
from coachdesk.reports.visit_summary import render_visit_summary
from tests.unit.reports import samples
from tests.unit.reports.pdftext import read_pdf

WIDTH = LETTER[0] - 2 * MARGIN
URL = "https://drive.example.org/riverton/harborview/ssp/2026-11/slides_final_version.pdf"
EMAIL = "dana.whitfield-longname@riverton-city-schools.example.org"
LONG_SCHOOL = (
    "Harborview Heights International Academy of Science, Technology, Engineering, Arts "
    "and Mathematics for Early College Studies"
)


def _placed(pdf: bytes) -> list[list[tuple[float, float, float, str]]]:
    """Per page: (left, right, baseline, text) of every string drawn."""
    pages = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        drawn: list[tuple[float, float, float, str]] = []

        def visit(text, cm, tm, font_dict, font_size, drawn=drawn) -> None:
            if not text.strip() or not font_dict:
                return
            bold = str(font_dict.get("/BaseFont", "")).endswith("Bold")
            size = font_size * tm[0]
            x, y = cm[4] + tm[4], cm[5] + tm[5]
            width = stringWidth(text.strip(), FONT_BOLD if bold else FONT, size)
            drawn.append((x, x + width, y, text.strip()))

        page.extract_text(visitor_text=visit)
        pages.append(drawn)
    return pages


def _build(story, *, running_title: str = "Running title") -> bytes:
    st = make_styles()
    pdf, _pages = build_pdf(
        story,
        pagesize=LETTER,
        furniture=PageFurniture(footer_detail="Generated today", running_title=running_title),
        tracker=SectionTracker(),
        styles=st,
        metadata={"title": "A test document"},
    )
    return pdf


def test_every_section_is_a_bookmark_and_viewers_show_the_title() -> None:
    out = io.BytesIO()
    render_visit_summary(samples.ny_typical(), out)
    reader = PdfReader(io.BytesIO(out.getvalue()))
    assert bool(reader.trailer["/Root"]["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata.title == "Visit summary: Harborview Elementary School, November 18, 2026"
    marks = [(item.title, reader.get_destination_page_number(item)) for item in reader.outline]
    titles = [title for title, _page in marks]
    assert titles[:3] == ["Purpose", "What we did", "Observations"]
    assert "Next steps" in titles
    # Each bookmark opens the page its heading prints on.
    pages = read_pdf(out.getvalue()).pages
    for title, page in marks:
        assert title in pages[page]


def test_a_section_continued_on_a_later_page_is_bookmarked_where_it_starts() -> None:
    st = make_styles()
    tracker = SectionTracker()
    story = [
        *section("First", [Paragraph("One.", st.body)], st, tracker),
        PageBreak(),
        *section("Second", [Paragraph("Two.", st.body)], st, tracker),
        *section("Third", [Paragraph("Three.", st.body)], st, tracker),
    ]
    pdf, _ = build_pdf(
        story,
        pagesize=LETTER,
        furniture=PageFurniture(footer_detail="", running_title="Title"),
        tracker=tracker,
        styles=st,
        metadata={"title": "Sections"},
    )
    reader = PdfReader(io.BytesIO(pdf))
    marks = [(i.title, reader.get_destination_page_number(i)) for i in reader.outline]
    assert marks == [("First", 0), ("Second", 1), ("Third", 1)]


def test_caseload_report_has_bookmarks_and_its_title_too() -> None:
    out = io.BytesIO()
    render_caseload_report(samples.caseload_sample(25), out)
    reader = PdfReader(io.BytesIO(out.getvalue()))
    assert bool(reader.trailer["/Root"]["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata.title
    assert len(reader.outline) >= 2


def test_urls_and_email_addresses_wrap_inside_their_column() -> None:
    st = make_styles()
    widths = [WIDTH * 0.5, WIDTH * 0.25, WIDTH * 0.25]
    rows = [(f"Send the slides: {URL}", EMAIL, "Dec 4, 2026")]
    pdf = _build([data_table(["Action", "Contact", "Due"], rows, widths, st)])
    drawn = [item for item in _placed(pdf)[0] if item[2] > 120]  # the table, not the footer
    right_of = [MARGIN + sum(widths[: i + 1]) for i in range(3)]
    for left, right, _y, piece in drawn:
        column = next(i for i, edge in enumerate(right_of) if left < edge)
        assert right <= right_of[column], f"{piece!r} runs out of its column"
    flat = "".join(piece for *_xy, piece in drawn)
    assert URL in flat and EMAIL in flat
    # The address breaks after one of its punctuation marks, not inside a word.
    lines = wrapped(EMAIL, FONT, st.cell.fontSize, widths[1] - 2 * st.size(4) * 1.2)
    assert isinstance(lines, str)
    assert all(line[-1] in "/.@-_" for line in lines.split("\n")[:-1])


def test_a_long_school_name_wraps_in_the_band_and_the_running_title() -> None:
    st = make_styles()
    body = [Paragraph("Notes from the visit. " * 30, st.body) for _ in range(8)]
    story = [header_band("Visit summary", LONG_SCHOOL, "Riverton City", WIDTH, st), *body]
    title = f"{LONG_SCHOOL} · Visit summary · November 18, 2026"
    pdf = _build(story, running_title=title)
    pages = _placed(pdf)
    assert len(pages) >= 2
    for page in pages:
        for _left, right, _y, piece in page:
            assert right <= LETTER[0] - MARGIN + 0.5, f"{piece!r} runs off the page"
    first = " ".join(piece for *_xy, piece in pages[0])
    assert LONG_SCHOOL in first
    top = sorted(pages[1], key=lambda item: -item[2])
    running = [piece for _l, _r, y, piece in top if y > LETTER[1] - MARGIN - 20]
    assert len(running) == 2
    assert " ".join(running) == title
    # The running title's second line does not overlap the page's first line of text.
    below = [y for _l, _r, y, _p in top if y <= LETTER[1] - MARGIN - 20]
    assert max(below) < min(y for _l, _r, y, p in top if p in running) - 8


def test_a_long_school_name_in_the_visit_summary() -> None:
    data = samples.ny_typical()
    data = replace(data, header=replace(data.header, school=LONG_SCHOOL))
    out = io.BytesIO()
    render_visit_summary(data, out, large_print=True)
    pages = _placed(out.getvalue())
    named = [item for page in pages for item in page if item[3] in LONG_SCHOOL]
    assert len(named) >= 3  # the band's title on three lines at least, and the running titles
    for _left, right, _y, piece in named:
        assert right <= LETTER[0] - MARGIN + 0.5, f"{piece!r} runs off the page"
    assert LONG_SCHOOL in read_pdf(out.getvalue()).flat


def test_a_flowing_section_does_not_leave_its_heading_alone_above_a_tall_first_row() -> None:
    st = make_styles()
    tracker = SectionTracker()
    # 150 points left on the first page: room for the heading and a one-line row, not this row.
    filler = [Spacer(1, LETTER[1] - MARGIN + 14 - (MARGIN + 30 - 14) - 150)]
    tall = "\n".join(f"Line {n} of a long school name" for n in range(12))
    table = data_table(["School", "District"], [(tall, "Riverton")], [WIDTH * 0.6, WIDTH * 0.4], st)
    story = [*filler, *section("What is due", [table], st, tracker, flow=True)]
    pdf, _ = build_pdf(
        story,
        pagesize=LETTER,
        furniture=PageFurniture(footer_detail="", running_title="Title"),
        tracker=tracker,
        styles=st,
        metadata={"title": "Due"},
    )
    pages = read_pdf(pdf).pages
    heading_on = [i for i, page in enumerate(pages) if "What is due" in page]
    row_on = [i for i, page in enumerate(pages) if "Line 0 of a long school name" in page]
    assert heading_on[0] == row_on[0]
    assert "(continued)" not in pages[heading_on[0]]
