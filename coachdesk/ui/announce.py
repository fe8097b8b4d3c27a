"""Telling a screen reader what just happened: `announce(widget, text)`.

    announce(self, "Saved 9:25 AM")                              # said when the reader is idle
    announce(self, "Not saved: the disk is full.", urgent=True)  # said at once
    show_status(window, "Backup written to ...")                 # status bar, and said
    tell_current_cell(view)                                      # focus in: its current cell

A status that changes on its own (the visit's "Saved 9:25 AM", a finalized note, an import or
an export that finished) is not heard by a coach using a screen reader when only a label's text
changes: focus is elsewhere, in the note being typed. Qt 6.8 added QAccessibleAnnouncementEvent,
which AT-SPI (Orca), UI Automation (NVDA, Narrator) and NSAccessibility (VoiceOver) speak as a
notification without moving focus; this is the one place the window sends it.

Labels that show a status keep their text as their accessible name (no fixed name such as
"Save status" hiding what it says); what the label is goes in its accessible description.

A table, tree or list that takes focus (by Tab, or Down from a filter above it) is said as
"Schools in the caseload, table" and no more: Qt tells a screen reader a cell only when the
current cell changes. `tell_current_cell(view)` has it told which cell focus lands on, too.

Tests hear what was announced with `listening()`, as a screen reader would.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

from PySide6.QtCore import QEvent, QModelIndex, QObject, QTimer
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent, QAccessibleEvent
from PySide6.QtWidgets import QAbstractItemView, QMainWindow, QTableView, QTreeView

logger = logging.getLogger(__name__)

Politeness = QAccessible.AnnouncementPoliteness
View = TypeVar("View", bound=QAbstractItemView)


@dataclass(frozen=True)
class Announcement:
    """One sentence told to the screen reader, on behalf of `source`."""

    source: QObject
    text: str
    urgent: bool


_listeners: list[list[Announcement]] = []


def announce(widget: QObject, text: str, *, urgent: bool = False) -> None:
    """Have a screen reader say `text` now, for `widget`; urgent interrupts what it is saying.

    Polite (the default) waits until the reader is idle: a saved answer, a finished export.
    Urgent is for what the coach must hear before going on: a refused or failed write.
    """
    text = " ".join(text.split())
    if not text:
        return
    event = QAccessibleAnnouncementEvent(widget, text)
    event.setPoliteness(Politeness.Assertive if urgent else Politeness.Polite)
    QAccessible.updateAccessibility(event)
    heard = Announcement(widget, text, urgent)
    for listener in _listeners:
        listener.append(heard)


@contextmanager
def listening() -> Iterator[list[Announcement]]:
    """Everything announced inside the block, in order (what a test hears)."""
    heard: list[Announcement] = []
    _listeners.append(heard)
    try:
        yield heard
    finally:
        _listeners.remove(heard)


def show_status(window: QMainWindow, text: str, timeout_ms: int = 10_000) -> None:
    """Show a sentence in the window's status bar and have a screen reader say it (a status
    bar message alone is silent: nothing moves focus to it)."""
    window.statusBar().showMessage(text, timeout_ms)
    announce(window.statusBar(), text)


class StatusAnnouncer:
    """Announces a status line's new sentences once each: "Saved 9:25 AM" is said when it
    first shows, not again for every answer saved in the same minute."""

    def __init__(self, widget: QObject) -> None:
        self.widget = widget
        self.last = ""

    def say(self, text: str, *, urgent: bool = False) -> None:
        if text != self.last or urgent:
            self.last = text
            announce(self.widget, text, urgent=urgent)

    def forget(self) -> None:
        """The next sentence is said even if it repeats the last one (a new page opened)."""
        self.last = ""


class _CurrentCellTeller(QObject):
    """Installed on a view: when focus comes in, a screen reader is told the current cell."""

    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view)
        self.view = view

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.FocusIn:
            QTimer.singleShot(0, self, self.tell)  # after Qt's own "table" focus event
        return False

    def tell(self) -> None:
        index = self.view.currentIndex()
        if not (index.isValid() and self.view.hasFocus()):
            return
        told = QAccessibleEvent(self.view, QAccessible.Event.Focus)
        told.setChild(accessible_child(self.view, index))
        QAccessible.updateAccessibility(told)


def accessible_child(view: QAbstractItemView, index: QModelIndex) -> int:
    """The number Qt gives the cell at `index` among the view's accessible children."""
    if isinstance(view, QTableView):
        # A row of column headers first, then each row's header (shown or not) and its cells.
        return (index.row() + 1) * (view.model().columnCount() + 1) + index.column() + 1
    if isinstance(view, QTreeView):
        columns = view.model().columnCount(index.parent())
        # The header's row first (shown or not), then the rows as shown, expanded ones opened.
        above, row = 0, view.indexAbove(index.siblingAtColumn(0))
        while row.isValid():
            above, row = above + 1, view.indexAbove(row)
        return (above + 1) * columns + index.column()
    return index.row()  # a list: one child per row


def tell_current_cell(view: View) -> View:
    """Have focus entering the view (Tab, a key that moves focus there, a click) tell a screen
    reader the current cell, as moving to another cell does; returns the view. For tables,
    trees and lists."""
    view.installEventFilter(_CurrentCellTeller(view))
    return view
