"""A table split across pages keeps two rows or more on each side, and its rest starts on the
next page under one heading (tables.keep_rows): wherever the table falls on the page."""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import LETTER
from reportlab.platypus import SimpleDocTemplate, Spacer

from coachdesk.reports.pdf_layout import make_styles
from coachdesk.reports.tables import data_table, keep_rows
from tests.unit.reports.pdftext import read_pdf

# Rows three lines tall under a one-line heading: where a row is handed over, the room left can
# hold the heading and a row of what follows.
ROWS = [(f"Row {n:02d} of the table\nits second line\nand a third", f"{n}%") for n in range(1, 9)]


def _pages(before: float, scale: float) -> list[list[str]]:
    st = make_styles(scale)
    table = keep_rows(data_table(["Indicator", "Latest"], ROWS, [300.0, 100.0], st))
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=LETTER).build([Spacer(1, before), table])
    out.seek(0)
    return [page.splitlines() for page in read_pdf(out).pages]


def test_no_page_holds_one_row_alone_or_a_second_heading_wherever_the_table_starts() -> None:
    for scale in (1.0, 1.4):
        for before in range(0, 634, 3):  # the table starting ever lower on the first page
            seen: list[str] = []
            for lines in _pages(before, scale):
                body = [line for line in lines if line.startswith("Row ")]
                if not body:
                    continue
                headings = sum(line.startswith("Indicator") for line in lines)
                assert headings == 1, (scale, before, lines)
                assert len(body) >= 2, (scale, before, lines)
                seen += body
            assert len(seen) == len(ROWS), (scale, before)  # every row printed, once
