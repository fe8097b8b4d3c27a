"""Sections that know when they continue onto a new page.

A `SectionHeading` records which section is open while the document is laid out, and
`SectionEnd` closes it. A page that starts while a section is still open prints
"<Section> (continued)" at its top (see pdf_layout.build_pdf).
"""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Table

from coachdesk.reports.pdf_layout import SectionTracker, Styles, text


class SectionHeading(Paragraph):
    """A section heading that marks its section open once placed on a page.

    It is also the section's entry in the PDF's outline (the bookmarks a viewer lists beside
    the pages), pointing at the top of the heading.
    """

    def __init__(self, title: str, style: ParagraphStyle, tracker: SectionTracker) -> None:
        super().__init__(text(title), style)
        self.title = title
        self.tracker = tracker

    def draw(self) -> None:
        self.tracker.open = self.title
        canvas = self.canv
        key = f"section-{id(self)}"
        _x, top = canvas.absolutePosition(0, self.height)
        canvas.bookmarkPage(key, fit="XYZ", top=top + self.style.spaceBefore)
        canvas.addOutlineEntry(self.title, key, level=0)
        super().draw()


class SectionEnd(Flowable):
    """Zero-height marker placed after a section's last flowable."""

    # reportlab places a zero-size flowable even when the one before it filled the page to its
    # foot; without this the mark moved to the next page, which then said "(continued)".
    _ZEROSIZE = True

    def __init__(self, tracker: SectionTracker) -> None:
        super().__init__()
        self.tracker = tracker

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return (0, 0)

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        # Should the mark still not fit, the section is complete all the same: close it before
        # the next page begins. The mark moves on and is drawn there, closing nothing new.
        self.tracker.open = None
        return []

    def draw(self) -> None:
        self.tracker.open = None


class RoomToStart(CondPageBreak):
    """A new page unless a flowing section's heading and the first rows of its table fit here.

    A fixed room suits rows of one line; a row of a long school name wrapped to seven lines
    needed more, and the heading was left alone at the foot of the page.
    """

    def __init__(self, minimum: float, heading: Flowable, first: Flowable | None) -> None:
        super().__init__(minimum)
        self.minimum = minimum
        self.heading = heading
        self.first = first

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        need = self.minimum
        if isinstance(self.first, Table):
            self.first.wrap(available_width, available_height)
            rows = self.first._rowHeights[: 1 + FIRST_ROWS]  # the heading row and the first rows
            _w, heading = self.heading.wrap(available_width, available_height)
            need = max(need, heading + self.heading.getSpaceBefore() + sum(rows))
        frame = self._doctemplateAttr("frame")
        if frame is not None and getattr(frame, "_atTop", False):
            need = min(need, available_height)  # nothing more can be had on a fresh page
        self.height = need
        return super().wrap(available_width, available_height)


FIRST_ROWS = 2  # the body rows a flowing table must show under its heading

# Tables longer than this start under their heading and run on to the next page; shorter ones
# move to the next page whole, with their heading, rather than split.
LONG_TABLE_ROWS = 8


def section(
    title: str,
    body: list[Flowable],
    st: Styles,
    tracker: SectionTracker,
    *,
    flow: bool = False,
) -> list[Flowable]:
    """A section: its heading (never alone at the foot of a page), its body and its end mark.

    With `flow`, or when the body opens with a long table, the body starts under the heading
    wherever there is room for a few lines and runs on; otherwise heading and first block move
    to the next page together.
    """
    first = body[0] if body else None
    if flow or (isinstance(first, Table) and len(first._cellvalues) > LONG_TABLE_ROWS + 1):
        heading = SectionHeading(title, st.heading_flow, tracker)
        return [
            # Room for the heading and a few rows, else a new page.
            RoomToStart(st.size(110), heading, first),
            heading,
            *body,
            SectionEnd(tracker),
        ]
    return [SectionHeading(title, st.heading, tracker), *body, SectionEnd(tracker)]
