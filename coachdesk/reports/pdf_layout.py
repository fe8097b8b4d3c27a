"""What every coachdesk PDF shares: the embedded font, the styles, the footer and page numbers.

The font is DejaVu Sans, shipped in resources/fonts/ and embedded (subset) in each PDF, so that
names such as Nuñez, Nguyễn, Øyelaran and Zoë print on any machine. "Page x of y" needs the
page count, so the canvas holds each page back until the document is complete and then stamps
the footer on every page.

Continued sections (sections.py): a `SectionHeading` records which section is open while the
document is laid out, and `SectionEnd` closes it. A page that starts while one is still open prints
"<Section> (continued)" at its top, in space every later page reserves for it.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageTemplate,
    Paragraph,
)

from coachdesk.core import dates_text
from coachdesk.reports import scripts
from coachdesk.reports.fonts import FONT, FONT_BOLD, register_fonts
from coachdesk.reports.fonts import FONT_ITALIC as FONT_ITALIC  # the house fonts, from here too

FOOTER_NOTICE = "Formative coaching record, not an evaluation of any educator."

INK = colors.HexColor("#1F2933")
MUTED = colors.HexColor("#52606D")
BAND = colors.HexColor("#1F3A5F")
ACCENT = colors.HexColor("#2E6F95")
RULE = colors.HexColor("#C9D3DD")
TABLE_HEAD = colors.HexColor("#E8EEF4")
ZEBRA = colors.HexColor("#F7F9FB")
DRAFT_INK = colors.Color(0.80, 0.16, 0.16, alpha=0.16)

LARGE_PRINT_SCALE = 1.4  # 10 pt body text becomes 14 pt


def text(value: str) -> str:
    """Plain text made safe for a Paragraph (which reads a little XML), in any script."""
    if scripts.needs_work(value):
        return scripts.markup(value)
    return escape(value).replace("\n", "<br/>")


def long_date(day: dt.date) -> str:
    """November 23, 2026."""
    return dates_text.long_date(day)


def short_date(day: dt.date | None, empty: str = "—") -> str:
    """Nov 23, 2026, or `empty` when there is no date."""
    if day is None:
        return empty
    return dates_text.medium_date(day)


def timestamp(moment: dt.datetime) -> str:
    """Nov 23, 2026, 9:41 AM EST: the school's zone is named when the moment carries it."""
    # Only a named zone (a school's, from tzdata) is printed: its abbreviation is the same on
    # every platform, where the laptop's own zone reads "Eastern Standard Time" on Windows and
    # "UTC" on a server, which a reader of the PDF should never see.
    zone = moment.tzname() if isinstance(moment.tzinfo, ZoneInfo) else None
    named = f" {zone}" if zone and zone not in ("UTC", "GMT") else ""
    return f"{dates_text.date_and_time(moment, moment.tzinfo)}{named}"


@dataclass(frozen=True)
class Styles:
    """Paragraph styles at one scale (1.0, or LARGE_PRINT_SCALE for large print)."""

    scale: float
    body: ParagraphStyle
    small: ParagraphStyle
    bullet: ParagraphStyle
    heading: ParagraphStyle
    heading_flow: ParagraphStyle  # a heading that lets a long table start under it and run on
    subheading: ParagraphStyle
    cell: ParagraphStyle
    cell_head: ParagraphStyle
    band_kicker: ParagraphStyle
    band_title: ParagraphStyle
    band_line: ParagraphStyle
    label: ParagraphStyle

    def size(self, points: float) -> float:
        return points * self.scale


def make_styles(scale: float = 1.0) -> Styles:
    """The house styles; every size and gap grows with `scale`."""
    register_fonts()

    def style(name: str, size: float, **extra: Any) -> ParagraphStyle:
        base: dict[str, Any] = {
            "fontName": FONT,
            "bulletFontName": FONT,  # reportlab's default is Helvetica, which is not embedded
            "fontSize": size * scale,
            "leading": size * scale * 1.32,
            "textColor": INK,
            "alignment": TA_LEFT,
        }
        base.update(extra)
        return ParagraphStyle(name, **base)

    heading = style(
        "heading",
        12.5,
        fontName=FONT_BOLD,
        textColor=BAND,
        spaceBefore=11 * scale,
        spaceAfter=4 * scale,
        keepWithNext=1,
    )
    return Styles(
        scale=scale,
        body=style("body", 10, spaceAfter=4 * scale),
        small=style("small", 8.5, textColor=MUTED),
        bullet=style(
            "bullet", 10, leftIndent=14 * scale, bulletIndent=3 * scale, spaceAfter=3 * scale
        ),
        heading=heading,
        heading_flow=ParagraphStyle("heading_flow", parent=heading, keepWithNext=0),
        subheading=style(
            "subheading",
            10,
            fontName=FONT_BOLD,
            textColor=ACCENT,
            spaceBefore=5 * scale,
            spaceAfter=2 * scale,
            keepWithNext=1,
        ),
        cell=style("cell", 9.2),
        cell_head=style("cell_head", 8.8, fontName=FONT_BOLD, textColor=BAND),
        band_kicker=style("band_kicker", 8.5, textColor=colors.HexColor("#C8D8E8")),
        band_title=style("band_title", 17, fontName=FONT_BOLD, textColor=colors.white),
        band_line=style("band_line", 10, textColor=colors.HexColor("#E4ECF4")),
        label=style("label", 7.8, fontName=FONT_BOLD, textColor=MUTED),
    )


@dataclass
class SectionTracker:
    """Which section the layout is inside, as flowables are placed on pages (sections.py)."""

    open: str | None = None


# --- Page furniture ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageFurniture:
    """What is printed around the content of every page."""

    footer_detail: str  # e.g. "Form ny_ssp_visit, version 3 · Generated 23 Nov 2026, 09:41"
    running_title: str  # the top line of pages after the first
    draft: bool = False
    scale: float = 1.0


@dataclass
class PageCount:
    total: int = 0


def numbered_canvas(furniture: PageFurniture, count: PageCount) -> Callable[..., Canvas]:
    """A canvas class that stamps the footer with "Page x of y" once y is known."""

    class FooterCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held_pages: list[dict[str, Any]] = []
            # Viewers show the document's title (its metadata), not the file name.
            self.setViewerPreference("DisplayDocTitle", "true")

        # Table cells and the footer draw one plain line at a time: reportlab builds a text object
        # for each (drawString, beginText, textLine, drawText), which took a fifth of a summary's
        # render time. The same operators are written here directly for the plain case.
        def drawString(  # noqa: N802 (reportlab's name)
            self, x: float, y: float, text: str, mode: Any = None, *args: Any, **kwargs: Any
        ) -> None:
            if mode is not None or args or any(kwargs.values()) or not self.bottomup:
                super().drawString(x, y, text, mode, *args, **kwargs)
            else:
                self._code.append(self._text_line(x, y, text))

        def drawRightString(  # noqa: N802 (reportlab's name)
            self, x: float, y: float, text: str, mode: Any = None, *args: Any, **kwargs: Any
        ) -> None:
            if mode is not None or args or any(kwargs.values()) or not self.bottomup:
                super().drawRightString(x, y, text, mode, *args, **kwargs)
            else:
                width = stringWidth(text, self._fontname, self._fontsize)
                self._code.append(self._text_line(x - width, y, text))

        def _text_line(self, x: float, y: float, text: str) -> str:
            font = getFont(self._fontname)
            doc = self._doc
            if not font._dynamicFont:  # a standard font: reportlab's own way
                t = self.beginText(x, y)
                t.textLine(text)
                return str(t.getCode())
            size = fp_str(self._fontsize)
            parts = ["BT", f"1 0 0 1 {fp_str(x, y)} Tm"]
            for subset, chunk in font.splitString(text, doc):
                name = font.getSubsetInternalName(subset, doc)
                parts.append(f"{name} {size} Tf ({escapePDF(chunk)}) Tj")
            parts.append("ET")
            return " ".join(parts)

        def bookmarkPage(self, key: str, **where: Any) -> None:  # noqa: N802 (reportlab's name)
            # Pages are held back until save(), so reportlab's count of pages added stays at the
            # first: point the bookmark at the page being drawn, whose object gets that name.
            doc = self._doc
            added = doc.pageCounter
            doc.pageCounter = self.getPageNumber()
            try:
                super().bookmarkPage(key, **where)
            finally:
                doc.pageCounter = added

        def showPage(self) -> None:  # noqa: N802 (reportlab's name)
            self._held_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._held_pages)
            count.total = total
            for state in self._held_pages:
                self.__dict__.update(state)
                _draw_footer(self, furniture, total)
                Canvas.showPage(self)
            Canvas.save(self)

    return FooterCanvas


def _draw_footer(canvas: Canvas, furniture: PageFurniture, total: int) -> None:
    scale = furniture.scale
    width, _height = canvas._pagesize
    left, right = MARGIN, width - MARGIN
    size = 7.6 * scale
    top = FOOTER_HEIGHT * scale + 6
    canvas.saveState()
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.6)
    canvas.line(left, top, right, top)
    canvas.setFillColor(MUTED)
    canvas.setFont(FONT_BOLD, size)
    canvas.drawString(left, top - size - 4, FOOTER_NOTICE)
    draw_string(canvas, left, top - 2 * size - 8, furniture.footer_detail, FONT, size)
    canvas.setFont(FONT_BOLD, size * 1.05)
    canvas.drawRightString(right, top - size - 4, f"Page {canvas.getPageNumber()} of {total}")
    canvas.restoreState()


def _draw_draft_mark(canvas: Canvas, furniture: PageFurniture) -> None:
    width, height = canvas._pagesize
    canvas.saveState()
    canvas.setFillColor(DRAFT_INK)
    canvas.setFont(FONT_BOLD, 120)
    canvas.translate(width / 2, height / 2)
    canvas.rotate(45)
    canvas.drawCentredString(0, -40, "DRAFT")
    canvas.restoreState()


MARGIN = 50.0
FOOTER_HEIGHT = 30.0  # grows with the scale


class _KeepTogether(KeepTogether):
    """reportlab's group of a heading and what follows it (keepWithNext), measured once.

    The group wraps its flowables to see whether they fit, and then hands them to the frame,
    which wraps each again: a summary's paragraphs were laid out twice. A paragraph's size
    depends only on the width, so the size found here is handed back once for that width.
    """

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:
        size = super().wrap(aW, aH)
        for flowable in self._content:
            if isinstance(flowable, Paragraph) and hasattr(flowable, "height"):
                _reuse_size(flowable, aW, (flowable.width, flowable.height))
        return size


def _reuse_size(flowable: Paragraph, width: float, size: tuple[float, float]) -> None:
    def wrap(aW: float, aH: float) -> tuple[float, float]:
        del flowable.__dict__["wrap"]
        if aW == width and flowable.width == width:
            return size
        return flowable.wrap(aW, aH)

    flowable.__dict__["wrap"] = wrap


class _Frame(Frame):
    """A frame that copies cheaply: reportlab deep-copies the frame each time it measures a group
    of flowables kept together (a heading and its table), and a frame holds only numbers."""

    def __deepcopy__(self, memo: dict[int, Any]) -> _Frame:
        return copy.copy(self)


def build_pdf(
    story: list[Flowable],
    *,
    pagesize: tuple[float, float],
    furniture: PageFurniture,
    tracker: SectionTracker,
    styles: Styles,
    metadata: dict[str, str],
) -> tuple[bytes, int]:
    """Lay out a story on first/later page templates; returns the PDF bytes and page count."""
    width, height = pagesize
    scale = furniture.scale
    bottom = MARGIN + FOOTER_HEIGHT * scale - 14
    title_size = 8 * scale
    # A long school name wraps the running title (two lines at most, the rest cut short).
    title_lines = scripts.break_lines(furniture.running_title, FONT, title_size, width - 2 * MARGIN)
    if len(title_lines) > 2:
        title_lines = [title_lines[0], title_lines[1].rstrip(" ·,") + " …"]
    title_leading = title_size * 1.25
    # Room for the running title and a "(continued)" line.
    running = 34 * scale + (len(title_lines) - 1) * title_leading
    first = _Frame(
        MARGIN,
        bottom,
        width - 2 * MARGIN,
        height - MARGIN + 14 - bottom,
        id="first",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    later = _Frame(
        MARGIN,
        bottom,
        width - 2 * MARGIN,
        height - MARGIN - running - bottom,
        id="later",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )

    def on_first(canvas: Canvas, doc: BaseDocTemplate) -> None:
        if furniture.draft:
            _draw_draft_mark(canvas, furniture)

    def on_later(canvas: Canvas, doc: BaseDocTemplate) -> None:
        if furniture.draft:
            _draw_draft_mark(canvas, furniture)
        canvas.saveState()
        top = height - MARGIN + 6
        canvas.setFillColor(MUTED)
        for index, line in enumerate(title_lines):
            draw_string(canvas, MARGIN, top - index * title_leading, line, FONT, title_size)
        if tracker.open:
            canvas.setFillColor(styles.heading.textColor)
            draw_string(
                canvas,
                MARGIN,
                top - running + 8,
                f"{tracker.open} (continued)",
                FONT_BOLD,
                styles.heading.fontSize,
            )
        canvas.restoreState()

    buffer = io.BytesIO()
    count = PageCount()
    doc = BaseDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        creator="coachdesk",
        producer="coachdesk (reportlab)",
        lang="en-US",
        # Otherwise every page names Helvetica, a font that is not embedded.
        initialFontName=FONT,
        initialFontSize=10,
        **metadata,
    )
    doc.keepTogetherClass = _KeepTogether
    doc.addPageTemplates(
        [
            PageTemplate(id="first", frames=[first], onPage=on_first),
            PageTemplate(id="later", frames=[later], onPage=on_later),
        ]
    )
    doc.build([NextPageTemplate("later"), *story], canvasmaker=numbered_canvas(furniture, count))
    return buffer.getvalue(), count.total


def draw_string(
    canvas: Canvas, x: float, y: float, value: str, font: str, size: float, *, right: bool = False
) -> None:
    """One line on a canvas, in any script: fallback fonts per run, Arabic joined and in order."""
    if value.isascii() or not scripts.needs_work(value):
        canvas.setFont(font, size)
        if right:
            canvas.drawRightString(x, y, value)
        else:
            canvas.drawString(x, y, value)
        return
    runs = scripts.font_runs(scripts.visual(value), font)
    if right:
        x -= scripts.runs_width(runs, size)
    for name, part in runs:
        canvas.setFont(name, size)
        canvas.drawString(x, y, part)
        x += canvas.stringWidth(part, name, size)
    canvas.setFont(font, size)


def write_pdf(pdf: bytes, out: str | Path | IO[bytes]) -> None:
    """Write finished PDF bytes to a path or an open binary file."""
    if isinstance(out, (str, Path)):
        Path(out).write_bytes(pdf)
    else:
        out.write(pdf)


@dataclass(frozen=True)
class RenderResult:
    """What a render produced: its page count, and whether narrative was shortened to fit."""

    pages: int
    narrative_limit: int | None = None  # characters per paragraph, or None when nothing was cut


@dataclass(frozen=True)
class ReportPages:
    """What a report prints around its content: the footer's name of it, the running title of
    later pages, and the document's title, author and subject that viewers show."""

    what: str  # "Caseload status report", in the footer
    running_title: str
    title: str
    author: str
    subject: str


def render_report(
    story: Callable[[Styles, SectionTracker], list[Flowable]],
    pages: ReportPages,
    out: str | Path | IO[bytes],
    *,
    pagesize: tuple[float, float],
    generated_at: dt.datetime,
    large_print: bool = False,
) -> RenderResult:
    """Lay out a report (story: the flowables at a scale) and write it to a path or a binary
    file, with the house footer ("coachdesk 0.3.0 · what · Generated ...")."""
    from coachdesk import __version__

    scale = LARGE_PRINT_SCALE if large_print else 1.0
    st = make_styles(scale)
    tracker = SectionTracker()
    furniture = PageFurniture(
        footer_detail=(
            f"coachdesk {__version__} · {pages.what} · Generated {timestamp(generated_at)}"
        ),
        running_title=pages.running_title,
        scale=scale,
    )
    pdf, count = build_pdf(
        story(st, tracker),
        pagesize=pagesize,
        furniture=furniture,
        tracker=tracker,
        styles=st,
        metadata={
            "title": pages.title,
            "author": pages.author or "coachdesk",
            "subject": pages.subject,
        },
    )
    write_pdf(pdf, out)
    return RenderResult(pages=count)
