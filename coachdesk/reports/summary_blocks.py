"""Pieces of the principal's visit summary that visit_summary.py lays out: narrative shortened
by the two-page rule (with a line saying what was left out), the acknowledgement block the
school signs, a form's repeat printed as a table, and the marks that tell the renderer how full
its last page is.

The two-page rule shortens narrative in steps (`TRIM_STEPS`): each step keeps fewer paragraphs
of every narrative list (strengths, a form section, the walk's patterns...) and cuts each kept
paragraph at a word before a number of characters, ending it with "…". Under a list that lost
anything, one line says so in plain words: "Two more paragraphs under “Strengths” are in the
coach's full note." or "Shortened to fit two pages; the coach's full note has the whole text."
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from coachdesk.reports.pdf_layout import FONT, FONT_BOLD, MUTED, RULE, Styles, text
from coachdesk.reports.summary_data import PrintedTable
from coachdesk.reports.tables import data_table

ELLIPSIS = " …"
SHORT_CELL = 18  # characters: cells this short never wrap in a table whose widths follow content
NUMBER_WORDS = ("No", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine")


@dataclass(frozen=True)
class Trim:
    """How far the two-page rule shortens narrative: characters per paragraph, paragraphs kept
    per list (None: no limit)."""

    chars: int | None = None
    paragraphs: int | None = None

    def cuts(self, paragraphs: list[list[str]]) -> bool:
        """Whether this step would shorten any of the given lists of paragraphs."""
        return any(
            (self.paragraphs is not None and len(items) > self.paragraphs)
            or (self.chars is not None and any(len(p) > self.chars for p in items))
            for items in paragraphs
        )


NO_TRIM = Trim()
TRIM_STEPS = (Trim(900, None), Trim(600, 4), Trim(400, 3), Trim(260, 2), Trim(200, 1))


def cut(value: str, chars: int | None) -> str:
    """A paragraph cut at a word before `chars` characters, ending with "…"."""
    if chars is None or len(value) <= chars:
        return value
    return value[:chars].rsplit(" ", 1)[0].rstrip(",;:.–— ") + ELLIPSIS


def count_words(n: int, noun: str) -> str:
    """ "One more paragraph", "Two more paragraphs", "12 more paragraphs"."""
    number = NUMBER_WORDS[n] if n < len(NUMBER_WORDS) else str(n)
    return f"{number} more {noun}{'' if n == 1 else 's'}"


def left_out_note(title: str, dropped: int, shortened: bool) -> str:
    """What the two-page rule left out of one list, as a principal reads it ("" if nothing)."""
    if dropped:
        verb = "is" if dropped == 1 else "are"
        more = (
            f"{count_words(dropped, 'paragraph')} under “{title}” {verb} in the coach's full note."
        )
        if shortened:  # "Shortened to fit two pages; one more paragraph under ..."
            return f"Shortened to fit two pages; {more[0].lower()}{more[1:]}"
        return more
    if shortened:
        return "Shortened to fit two pages; the coach's full note has the whole text."
    return ""


def trimmed(
    title: str,
    items: list[str] | tuple[str, ...],
    st: Styles,
    trim: Trim,
    *,
    bullets: bool,
) -> list[Flowable]:
    """A list of paragraphs shortened by `trim`, with the line saying what was left out."""
    kept = list(items) if trim.paragraphs is None else list(items)[: trim.paragraphs]
    shown = [cut(item, trim.chars) for item in kept]
    body: list[Flowable] = [
        Paragraph(text(item), st.bullet, bulletText="•")
        if bullets
        else Paragraph(text(item), st.body)
        for item in shown
    ]
    note = left_out_note(title, len(items) - len(kept), shown != kept)
    if note:
        body.append(Paragraph(f"<i>{text(note)}</i>", st.small))
    return body


def printed_table(table: PrintedTable, width: float, st: Styles) -> list[Flowable]:
    """A form's repeat (benchmark results, say) as a table, with its note under it."""
    widths = column_widths(table.headings, table.rows, width, st)
    flowables: list[Flowable] = [data_table(list(table.headings), list(table.rows), widths, st)]
    if table.note:
        flowables[0].keepWithNext = True  # with its note on suppression
        flowables += [Paragraph(text(table.note), st.small), Spacer(1, st.size(4))]
    return flowables


def column_widths(
    headings: Sequence[str], rows: Sequence[Sequence[Any]], width: float, st: Styles
) -> list[float]:
    """Widths that follow what each column holds: every column is at least as wide as its
    longest word (heading or cell), and the room left goes to the columns with long text."""
    pad = 2 * st.size(4) * 1.2 + 2  # the cell's side padding in tables.data_table, and a hair
    head_size, size = st.cell_head.fontSize, st.cell.fontSize
    least, wants = [], []
    for index, heading in enumerate(headings):
        cells = [str(getattr(row[index], "text", row[index])) for row in rows if index < len(row)]
        # Only the longest few (by characters) are measured: widths follow length closely.
        words = [stringWidth(w, FONT_BOLD, head_size) for w in heading.split()]
        words += [stringWidth(w, FONT, size) for w in _longest(w for c in cells for w in c.split())]
        # A short cell (a status, a date, "41% (n=220)") is kept on one line.
        short = (c for c in cells if len(c) <= SHORT_CELL)
        words += [stringWidth(c, FONT_BOLD, size) for c in _longest(short)]
        least.append(max(words, default=0) + pad)
        wants.append(max((stringWidth(c, FONT, size) for c in _longest(cells)), default=0) + pad)
    spare = width - sum(least)
    if spare <= 0:  # even the longest words do not fit side by side: share out evenly
        return [width * w / sum(least) for w in least]
    extra = [max(w - m, 0) for w, m in zip(wants, least, strict=True)]
    if sum(extra) <= spare:  # everything fits on one line: the rest goes to the first column
        return [
            m + e + (spare - sum(extra) if i == 0 else 0)
            for i, (m, e) in enumerate(zip(least, extra, strict=True))
        ]
    return [m + spare * e / sum(extra) for m, e in zip(least, extra, strict=True)]


def _longest(texts: Iterable[str], count: int = 3) -> list[str]:
    return heapq.nlargest(count, texts, key=len)


def acknowledgement_block(width: float, st: Styles) -> list[Flowable]:
    """ "Received by": name, role, date and a signature line (to keep on one page with its
    heading)."""
    pad = st.size(6)
    label_width = width * 0.18
    rows = [["Name", ""], ["Role", ""], ["Date", ""], ["Signature", ""]]
    lines = Table(
        rows,
        colWidths=[label_width, width * 0.62 - label_width],
        rowHeights=[st.size(26)] * 3 + [st.size(34)],
        hAlign="LEFT",
    )
    lines.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (0, -1), FONT_BOLD),
                ("FONTSIZE", (0, 0), (-1, -1), st.body.fontSize),
                ("TEXTCOLOR", (0, 0), (0, -1), MUTED),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LINEBELOW", (1, 0), (1, -1), 0.8, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), st.size(3)),
                ("FONT", (1, 0), (1, -1), FONT),
            ]
        )
    )
    intro = Paragraph(
        "Received by the school. Signing says the summary was received, not that the school "
        "agrees with every observation.",
        st.small,
    )
    return [intro, Spacer(1, pad * 0.5), lines]


class PageMark(Flowable):
    """A zero-size mark that records the page it lands on and the room left there."""

    _ZEROSIZE = True

    def __init__(self, log: list[tuple[int, float]]) -> None:
        super().__init__()
        self.log = log
        self.room = 0.0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.room = available_height
        return (0, 0)

    def draw(self) -> None:
        self.log.append((self.canv.getPageNumber(), self.room))
