"""The one table look shared by every coachdesk PDF: a tinted heading row repeated on each page,
thin rules between rows, text that wraps inside its column.

Cells are plain strings wrapped here (scripts.break_lines) rather than Paragraphs: a caseload
report has hundreds of cells, and a Paragraph per cell (parsed as markup, wrapped, drawn) made it
several times slower than the bare document it is measured against. A long URL or e-mail address
breaks inside its column, after a / . @ - or _ where it can. Arabic and Hebrew stay plain strings,
put in drawing order line by line once wrapped; only a cell with a character DejaVu Sans lacks (a
Chinese name, an emoji) becomes a Paragraph, whose markup switches font for those characters.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Table, TableStyle
from reportlab.platypus.tables import CellStyle

from coachdesk.reports import scripts
from coachdesk.reports.pdf_layout import (
    BAND,
    FONT,
    FONT_BOLD,
    INK,
    RULE,
    TABLE_HEAD,
    ZEBRA,
    Styles,
)

WARNING = "#B3261E"

# Status words keep their meaning without colour; colour only helps the eye.
STATUS_COLOURS = {
    "met": "#2E7D32",
    "on-track": "#2E7D32",
    "at-risk": "#A05A00",
    "not met": WARNING,
    "no-data": "#52606D",
}
STATUS_WORDS = {
    "met": "Met",
    "on-track": "On track",
    "at-risk": "At risk",
    "not met": "Not met",
    "no-data": "No data",
}


@dataclass(frozen=True)
class Cell:
    """A table cell's text with emphasis: bold, and a colour that repeats what the words say."""

    text: str
    colour: str | None = None
    bold: bool = False


def status_cell(status: str) -> Cell:
    """A progress status in words, tinted by meaning."""
    key = status.strip().lower()
    return Cell(STATUS_WORDS.get(key, status), STATUS_COLOURS.get(key), bold=True)


def warning_cell(value: str) -> Cell:
    """A value that needs the reader's attention (overdue items, no visit scheduled)."""
    return Cell(value, WARNING, bold=True)


class DataTable(Table):
    """reportlab's Table, drawing its plain-string cells in one step.

    Table._drawCell draws each line of a cell through canvas.drawString, checking the cell's
    style and kind of content for every cell: most of a table's drawing time. A top-aligned
    cell of plain text on coachdesk's canvas (pdf_layout) is written here directly instead.
    """

    def _drawCell(self, cellval: Any, cellstyle: Any, pos: Any, size: Any) -> None:  # noqa: N802
        canvas = self.canv
        text_line = getattr(canvas, "_text_line", None)
        if (
            type(cellval) is not str
            or text_line is None
            or cellstyle.valign != "TOP"
            or cellstyle.alignment not in ("LEFT", "RIGHT")
            or cellstyle.href
            or cellstyle.destination
            or cellstyle.direction
            or cellstyle.shaping
        ):
            super()._drawCell(cellval, cellstyle, pos, size)
            return
        current = getattr(self, "_curcellstyle", None)
        if current is not cellstyle:
            if current is None or cellstyle.color != current.color:
                canvas.setFillColor(cellstyle.color)
            if (
                current is None
                or cellstyle.fontname != current.fontname
                or cellstyle.fontsize != current.fontsize
                or cellstyle.leading != current.leading
            ):
                canvas.setFont(cellstyle.fontname, cellstyle.fontsize, cellstyle.leading)
            self._curcellstyle = cellstyle
        column, row = pos
        width, height = size
        y = row + height - cellstyle.topPadding - cellstyle.fontsize
        code = canvas._code
        if cellstyle.alignment == "LEFT":
            x = column + cellstyle.leftPadding
            for line in cellval.split("\n"):
                code.append(text_line(x, y, line))
                y -= cellstyle.leading
        else:
            right = column + width - cellstyle.rightPadding
            font, points = cellstyle.fontname, cellstyle.fontsize
            for line in cellval.split("\n"):
                code.append(text_line(right - stringWidth(line, font, points), y, line))
                y -= cellstyle.leading


def data_table(
    headings: list[str],
    rows: list[tuple[Any, ...]],
    widths: list[float],
    st: Styles,
    *,
    numeric_from: int | None = None,
) -> Table:
    """A table of wrapped cells; columns from `numeric_from` on are right-aligned.

    Cells may be strings, `Cell`s or ready flowables.
    """
    size, head_size = st.cell.fontSize, st.cell_head.fontSize
    pad = st.size(4)
    side = pad * 1.2
    # Fonts, colours, padding and alignment are set on each cell's style directly: applying them
    # as TableStyle commands walks every cell once per command, which cost more than drawing.
    body_style = {
        "fontname": FONT,
        "fontsize": size,
        "leading": st.cell.leading,
        "color": INK,
        "valign": "TOP",
        "topPadding": pad * 0.8,
        "bottomPadding": pad,
        "leftPadding": side,
        "rightPadding": side,
    }
    head_style = {
        **body_style,
        "fontname": FONT_BOLD,
        "fontsize": head_size,
        "leading": st.cell_head.leading,
        "color": BAND,
    }

    def numeric(column: int) -> bool:
        return numeric_from is not None and column >= numeric_from

    def cell_style(base: dict[str, Any], column: int) -> CellStyle:
        style = CellStyle("cell")
        style.__dict__.update(base)
        if numeric(column):
            style.alignment = "RIGHT"
        return style

    paragraph_styles: dict[tuple[str, str | None, bool], ParagraphStyle] = {}

    def paragraph_style(font: str, colour: str | None, column: int) -> ParagraphStyle:
        """For the few cells that need a fallback font (see `wrapped`)."""
        key = (font, colour, numeric(column))
        if key not in paragraph_styles:
            base = st.cell_head if font == FONT_BOLD and colour is None else st.cell
            paragraph_styles[key] = ParagraphStyle(
                f"cell-{len(paragraph_styles)}",
                parent=base,
                fontName=font,
                textColor=colors.HexColor(colour) if colour else base.textColor,
                alignment=TA_RIGHT if numeric(column) else TA_LEFT,
            )
        return paragraph_styles[key]

    def wrap(
        value: str, column: int, font: str, points: float, colour: str | None = None
    ) -> str | Paragraph:
        if value.isascii() and len(value) * points <= widths[column] - 2 * side:
            if "\n" not in value:
                return value  # the fast path: most cells
        return wrapped(
            value,
            font,
            points,
            widths[column] - 2 * side,
            style=lambda: paragraph_style(font, colour, column),
            slack=side,
        )

    head = [wrap(h, c, FONT_BOLD, head_size) for c, h in enumerate(headings)]
    styles = [[cell_style(head_style, c) for c in range(len(headings))]]
    body: list[list[Any]] = []
    for row in rows:
        cells: list[Any] = []
        row_styles = [cell_style(body_style, c) for c in range(len(row))]
        for c, value in enumerate(row):
            if isinstance(value, Flowable):
                cells.append(value)
            elif isinstance(value, Cell):
                font = FONT_BOLD if value.bold else FONT
                row_styles[c].fontname = font
                if value.colour:
                    row_styles[c].color = colors.HexColor(value.colour)
                cells.append(wrap(value.text, c, font, size, value.colour))
            else:
                cells.append(wrap(str(value), c, FONT, size))
        body.append(cells)
        styles.append(row_styles)
    commands: list[tuple[Any, ...]] = [
        ("BACKGROUND", (0, 0), (-1, 0), TABLE_HEAD),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, BAND),
        ("LINEBELOW", (0, 1), (-1, -1), 0.4, RULE),
    ]
    commands += [("BACKGROUND", (0, i), (-1, i), ZEBRA) for i in range(2, len(body) + 1, 2)]
    table = DataTable([head, *body], colWidths=widths, repeatRows=1, cellStyles=styles)
    table.setStyle(TableStyle(commands))
    table.hAlign = "LEFT"
    table.spaceBefore = st.size(2)
    table.spaceAfter = st.size(4)
    return table


def wrapped(
    value: str,
    font: str,
    points: float,
    width: float,
    *,
    style: ParagraphStyle | Callable[[], ParagraphStyle] | None = None,
    slack: float = 0.0,
) -> str | Paragraph:
    """Text broken into lines that fit a width, for a table cell.

    A plain string, except when the text holds a character the house font lacks: then a
    Paragraph in `style` (a style or a function making one; by default `font` at `points` in
    ink), whose markup draws those characters in a fallback font. A word wider than the width
    runs up to `slack` points on (into the cell's padding) before it breaks.
    """
    if value.isascii() or not scripts.needs_work(value):
        if len(value) * points <= width and "\n" not in value:
            return value  # no glyph is wider than 1 em: it fits without measuring (most cells)
        return "\n".join(scripts.break_lines(value, font, points, width, slack))
    if not scripts.needs_fallback(value):
        lines = scripts.break_lines(value, font, points, width, slack)
        return "\n".join(scripts.visual(line) for line in lines)
    chosen = style() if callable(style) else style
    if chosen is None:
        chosen = ParagraphStyle(
            "cell", fontName=font, fontSize=points, leading=points * 1.32, textColor=INK
        )
    return Paragraph(scripts.markup(value, chosen.fontName), chosen)


def header_band(kicker: str, title: str, line: str, width: float, st: Styles) -> Table:
    """The dark band at the top of a first page: a small kicker, a title and one line."""
    pad = st.size(9)
    inner = width - 2 * pad * 1.3
    rows = [
        (kicker, st.band_kicker),
        (title, st.band_title),
        (line, st.band_line),
    ]
    band = DataTable(
        [
            [wrapped(value, style.fontName, style.fontSize, inner, style=style, slack=pad)]
            for value, style in rows
        ],
        colWidths=[width],
    )
    commands: list[tuple[Any, ...]] = [
        ("BACKGROUND", (0, 0), (-1, -1), BAND),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), pad * 1.3),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad * 1.3),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ("TOPPADDING", (0, 0), (-1, 0), pad),
        ("BOTTOMPADDING", (0, 1), (-1, 1), st.size(3)),
        ("BOTTOMPADDING", (0, -1), (-1, -1), pad),
    ]
    for index, (_value, style) in enumerate(rows):
        commands += [
            ("FONTNAME", (0, index), (0, index), style.fontName),
            ("FONTSIZE", (0, index), (0, index), style.fontSize),
            ("LEADING", (0, index), (0, index), style.leading),
            ("TEXTCOLOR", (0, index), (0, index), style.textColor),
        ]
    band.setStyle(TableStyle(commands))
    return band


# Points: rows at least this tall together are not "a row alone", however few they are.
SUBSTANTIAL = 144.0


def keep_rows(table: Table, minimum: int = 2) -> Table:
    """The table, split across pages only where `minimum` body rows or more stay on each side:
    never a row alone at the foot of a page or at the top of the next (reportlab has no widow
    control for tables), unless that row is tall enough to hold its own (SUBSTANTIAL).

    A split that hands a row over leaves room on this page; the rest still starts on the next
    page (a conditional page break), or reportlab would fill that room with a piece of it under
    a repeated heading. Where even a fresh page cannot keep the rows together (very tall rows),
    the table splits as reportlab would rather than fail to lay out.
    """
    original = table.split
    head = table.repeatRows if isinstance(table.repeatRows, int) else len(table.repeatRows)
    refused: list[float] = []  # the heights it would not split at

    def enough(start: int, count: int) -> bool:
        # A row as tall as a good part of a page (a long check-in) is no lonely line.
        return count >= minimum or sum(table._rowHeights[start : start + count]) >= SUBSTANTIAL

    def split(width: float, height: float) -> list[Flowable]:
        room = height
        for _ in range(len(table._cellvalues)):
            parts = original(width, room)
            if len(parts) != 2:
                if parts:
                    return parts
                break
            first, second = (len(part._cellvalues) - head for part in parts)
            if not enough(head, first):
                break  # too little would stay: the whole table moves on
            if enough(head + first, second):
                if room < height:
                    # Never a blank page: this only breaks where parts[0] took some room.
                    return [parts[0], CondPageBreak(height), keep_rows(parts[1], minimum)]
                return [parts[0], keep_rows(parts[1], minimum)]
            room -= table._rowHeights[head + first - 1] + 0.01  # the last row that stayed too
        frame = getattr(table, "_frame", None)  # set by the frame while it asks for a split
        if getattr(frame, "_atTop", False) or (refused and height >= refused[-1]):
            parts = original(width, height)
            return [parts[0], keep_rows(parts[1], minimum)] if len(parts) == 2 else parts
        refused.append(height)
        return []

    table.split = split
    return table
