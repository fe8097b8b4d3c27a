"""Going back (Escape, Alt+Left, a page's ← button) to where the coach was before opening something.

Every way of opening (a Today item, a search hit, a school from the caseload, a district, a
next step, a visit from a school's or district's page, the conflict badge) runs inside
`GoingBack.opening()`. The place shown when the outermost opening starts is remembered, and
only if something else was opened (a double-click that opens the page already shown adds
nothing). A place is the area, the page in it (the Caseload's list, a school, a district, a
visit), and the control that had the focus with the row its list or table had selected.

`GoingBack.back()` returns to the newest place remembered, skipping any that no longer exists
(removed by an import meanwhile). Before leaving it asks whether the page may be left: the visit
page saves the answers still waiting first, and stays when one could not be saved. With nothing
remembered, Back goes to where the area starts (a school page goes to the list).

The window decides what a place is and how to show one (`where`, `go_to`); this module keeps the
stack, the focus and the keys. Escape reaches the window only when no control used it: dialogs,
the search popup and a date's calendar are windows of their own and close first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QScrollArea, QStackedWidget, QWidget

from coachdesk.core.errors import CoachdeskError

LIMIT = 20  # places remembered; the oldest go first
USER = Qt.ItemDataRole.UserRole  # where a record list keeps each row's id (record_list.ID_ROLE)
MOST_COLUMNS = 40
MOST_STEPS = 5000  # widgets looked at along a focus chain before giving up
BUTTON_TEXT_CHARS = 24  # a longer place name is shortened on a ← button (its name stays whole)


def back_keys() -> list[QKeySequence]:
    """The keys of Go ▸ Back: the platform's own Back key (Cmd+[ on a Mac) and Alt+Left, which
    coaches use on every platform. Never Backspace, which some platforms also list for Back:
    it deletes a character in a text box."""
    found: list[QKeySequence] = []
    for keys in (QKeySequence(QKeySequence.StandardKey.Back), QKeySequence("Alt+Left")):
        text = keys.toString(QKeySequence.SequenceFormat.PortableText)
        if text and text != "Backspace" and all(k.toString() != keys.toString() for k in found):
            found.append(keys)
    return found


def first_control(container: QWidget | None) -> QWidget | None:
    """The first control inside `container` that Tab would reach (shown, enabled), or None.

    A scroll area is passed over (its contents take the keys); lists, tables and text boxes
    count."""
    if container is None:
        return None
    widget = container.nextInFocusChain()
    for _ in range(MOST_STEPS):
        if widget is None or widget is container:
            return None
        if (
            container.isAncestorOf(widget)
            and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
            and widget.isVisibleTo(container)
            and widget.isEnabled()
            and not isinstance(widget, QScrollArea)
        ):
            return widget
        widget = widget.nextInFocusChain()
    return None


def put_focus(widget: QWidget | None) -> bool:
    """Give `widget` the keyboard focus and scroll the page to it: on a small screen a
    school's visits are under its profile, and focus the coach cannot see is lost."""
    if widget is None or not shiboken6.isValid(widget):
        return False
    widget.setFocus(Qt.FocusReason.OtherFocusReason)
    scroll_to(widget)
    return True


def switch_page(stack: QStackedWidget, page: QWidget, put: Callable[[], bool]) -> bool:
    """Show `page` in `stack` with the keyboard going straight to where `put()` puts it (True
    when it did), if the keyboard is on the page shown now; True when `put()` was run.

    QStackedWidget hides the page shown first: hiding the control that has the keyboard sends
    it along the focus chain (to the window's list of areas), then Qt hands it to the new
    page's first control (a ← button), before the caller puts it where it belongs, and a
    screen reader reads all three. Here the new page is shown beside the old one for a moment
    (`show_beside`) and takes the keyboard from it directly; hiding the old page then moves
    nothing. With the keyboard elsewhere it is a plain switch, and `put()` is not run (the
    caller puts the keyboard afterwards, if it wants to); when `put()` puts it nowhere, Qt
    moves it as in a plain switch."""
    ran = show_beside(stack, page)
    if ran:
        put()
    stack.setCurrentWidget(page)
    return ran


def show_beside(stack: QStackedWidget, page: QWidget) -> bool:
    """Show `page` over the page `stack` shows, before the switch, if the keyboard is on the
    page shown (True then): the new page can take the keyboard from it directly. Nothing is
    painted in between as long as the switch follows before the event loop runs."""
    old = stack.currentWidget()
    had = stack.window().focusWidget()
    if page is old or old is None or had is None or not old.isAncestorOf(had):
        return False
    page.setGeometry(old.geometry())
    page.show()
    page.raise_()
    return True


def scroll_to(widget: QWidget) -> None:
    """Scroll every scroll area holding `widget` so that it shows (for a list or table, its
    top down to the current row, or the row alone when that is taller than the area)."""
    # The page may have been shown a moment ago: let its layouts place it first.
    QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
    area = widget.parentWidget()
    while area is not None:
        inner = area.widget() if isinstance(area, QScrollArea) else None
        if inner is not None and inner.isAncestorOf(widget):
            wanted = _wanted_rect(widget, area.viewport().height())
            corner = widget.mapTo(inner, wanted.topLeft())
            half_w = min(wanted.width(), area.viewport().width()) // 2
            half_h = wanted.height() // 2
            area.ensureVisible(corner.x() + half_w, corner.y() + half_h, half_w + 4, half_h + 8)
        area = area.parentWidget()


def _wanted_rect(widget: QWidget, room: int) -> QRect:
    """The part of `widget` to show: a list from its top to a few rows past the current one
    (where the arrow keys lead), as much of that as the room allows; else the whole widget."""
    if not (isinstance(widget, QAbstractItemView) and widget.currentIndex().isValid()):
        return widget.rect()
    row = widget.visualRect(widget.currentIndex()).translated(widget.viewport().pos())
    for after in (3, 0):
        bottom = min(row.bottom() + 1 + after * row.height(), widget.height())
        if bottom <= room:
            return QRect(0, 0, widget.width(), bottom)
    return QRect(0, row.y(), widget.width(), row.height())


@dataclass
class RowMark:
    """The row a list or table had selected, found again after the view was refilled."""

    persistent: QPersistentModelIndex
    row: int
    column: int
    key: Any  # the row's record id where the view keeps one (ID_ROLE), else None
    texts: tuple[str, ...]  # what the row shows, to find it when it has no id

    @classmethod
    def of(cls, view: QAbstractItemView) -> RowMark | None:
        index = view.currentIndex()
        if not index.isValid():
            return None
        first = index.siblingAtColumn(0)
        key = first.data(USER)
        return cls(
            QPersistentModelIndex(index),
            index.row(),
            index.column(),
            key if isinstance(key, (str, int)) else None,
            _row_texts(first),
        )

    def find(self, view: QAbstractItemView) -> QModelIndex:
        """The same row in the view now (by its id, else by what it shows, else by its place)."""
        model = view.model()
        if model is None:
            return QModelIndex()
        if self.persistent.isValid() and self.persistent.model() is model:
            return model.index(self.persistent.row(), self.persistent.column(), QModelIndex())
        rows = model.rowCount()
        found = None
        if self.key is not None:
            found = next((r for r in range(rows) if model.index(r, 0).data(USER) == self.key), None)
        if found is None:
            found = next(
                (r for r in range(rows) if _row_texts(model.index(r, 0)) == self.texts), None
            )
        if found is None and rows:
            found = min(self.row, rows - 1)
        if found is None:
            return QModelIndex()
        cell = model.index(found, self.column)
        return cell if cell.isValid() else model.index(found, 0)


def _row_texts(first: QModelIndex) -> tuple[str, ...]:
    # Column by column until there is none (a list model keeps its columnCount private).
    texts = []
    cell = first
    while cell.isValid() and len(texts) < MOST_COLUMNS:
        texts.append(str(cell.data(Qt.ItemDataRole.DisplayRole) or ""))
        cell = first.siblingAtColumn(len(texts))
    return tuple(texts)


class FocusMark:
    """The control that had the focus, and the row its list or table had selected."""

    def __init__(self, widget: QWidget) -> None:
        self.widget = widget
        self.row = RowMark.of(widget) if isinstance(widget, QAbstractItemView) else None

    @classmethod
    def of(cls, widget: QWidget | None) -> FocusMark | None:
        return cls(widget) if widget is not None else None

    def restore(self) -> bool:
        """Focus the control again, on its row; False when it has gone or is not shown."""
        widget = self.widget
        if not shiboken6.isValid(widget) or not widget.isVisible() or not widget.isEnabled():
            return False
        if self.row is not None and isinstance(widget, QAbstractItemView):
            index = self.row.find(widget)
            if index.isValid():
                widget.setCurrentIndex(index)
                widget.scrollTo(index)
        return put_focus(widget)


@dataclass(frozen=True)
class Place:
    """Where the coach is: an area, the page shown in it, and the control in focus."""

    area: str  # "today", "caseload", "conflicts", "trust"
    page: str = ""  # in the Caseload: "list", "school", "district" or "visit"
    record_id: str | None = None  # the school, district or visit shown
    name: str = ""  # what a ← button calls it: "Today", "Caseload", the school's name
    focus: FocusMark | None = field(default=None, compare=False, repr=False)

    def same_page(self, other: Place | None) -> bool:
        return other is not None and (self.area, self.page, self.record_id) == (
            other.area,
            other.page,
            other.record_id,
        )


def button_text(name: str) -> str:
    """A ← button's text for a place ("← Caseload"), a long name shortened."""
    if len(name) > BUTTON_TEXT_CHARS:
        cut = name[:BUTTON_TEXT_CHARS]
        # At a word's end where there is one ("Clinton Heights…", not "Clinton Heights Ele…").
        words = cut.rsplit(" ", 1)[0] if " " in cut[8:] else cut[:-1]
        name = words.rstrip(" ,·-") + "…"
    return f"← {name}"


class GoingBack(QObject):
    """The window's way back: where the coach was before each opening, newest last."""

    moved = Signal()  # a place was remembered or returned to: the ← buttons name the way back

    def __init__(
        self,
        where: Callable[[], Place],
        go_to: Callable[[Place], None],
        *,
        start: Callable[[], Place | None] = lambda: None,
        ready_to_leave: Callable[[], bool] = lambda: True,
        opened: Callable[[], None] = lambda: None,
        parent: QObject | None = None,
    ) -> None:
        """`where()` says where the coach is; `go_to(place)` shows a place again (raising a
        CoachdeskError when it no longer exists); `start()` is where Back goes with nothing
        remembered; `ready_to_leave()` is False when the page shown must not be left yet;
        `opened()` runs as the outermost opening ends, before where the coach is now is read
        (the window finishes an area switch it held back there, `MainWindow.arrive`)."""
        super().__init__(parent)
        self.where = where
        self.go_to = go_to
        self.start = start
        self.ready_to_leave = ready_to_leave
        self.opened = opened
        self.places: list[Place] = []
        self._depth = 0
        self._before: Place | None = None

    @contextmanager
    def opening(self) -> Iterator[None]:
        """Around a way of opening: where the coach was is remembered once something opened."""
        if self._depth == 0:
            self._before = self.where()
        self._depth += 1
        try:
            yield
        finally:
            self._depth -= 1
            if self._depth == 0:
                self.opened()
                before, self._before = self._before, None
                if before is not None and not before.same_page(self.where()):
                    self.remember(before)

    @property
    def is_opening(self) -> bool:
        """Whether a way of opening is under way (inside `opening()`)."""
        return self._depth > 0

    def remember(self, place: Place) -> None:
        """Add a place to go back to (one already on top is replaced: its focus is newer)."""
        if self.places and self.places[-1].same_page(place):
            self.places.pop()
        self.places.append(place)
        del self.places[:-LIMIT]
        self.moved.emit()

    def way_back(self) -> Place | None:
        """Where Back would go now (None when nowhere)."""
        here = self.where()
        for place in reversed(self.places):
            if not place.same_page(here):
                return place
        start = self.start()
        return start if start is not None and not start.same_page(here) else None

    def back(self) -> bool:
        """Go back to where the coach was; False when there is nowhere to go (or the page
        shown could not be left, its sentence already said)."""
        if not self.ready_to_leave():
            return False
        here = self.where()
        while self.places:
            place = self.places.pop()
            if place.same_page(here):
                continue
            try:
                self.go_to(place)
            except CoachdeskError:
                continue  # removed meanwhile (on another laptop, by an import)
            self.moved.emit()
            return True
        start = self.start()
        if start is None or start.same_page(here):
            return False
        self.go_to(start)
        self.moved.emit()
        return True

    def clear(self) -> None:
        self.places.clear()
        self.moved.emit()
