"""Tables and lists a keyboard can leave: arrow keys move inside, Tab goes to the next control.

    tab_leaves(view)    # every QTableView, QTableWidget, QTreeWidget and QListWidget, once built

Qt's tables move from cell to cell on Tab (tab key navigation is on by default for a table), so
a coach working by keyboard never gets past the caseload, the contacts or the visits to the
buttons after them. Called on every table and list in the window, this one helper keeps Tab and
Shift+Tab moving between controls, and lets the view take focus both by Tab and by a click;
focus coming in tells a screen reader the current cell, not only "table"
(announce.tell_current_cell).
"""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QAbstractItemView, QTableView

from coachdesk.ui.announce import tell_current_cell

View = TypeVar("View", bound=QAbstractItemView)


def tab_leaves(view: View) -> View:
    """Make Tab and Shift+Tab leave the view (arrow keys still move inside); returns the view."""
    view.setTabKeyNavigation(False)
    view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    return tell_current_cell(view)


def wrap_line_across(table: QTableView, text: str | None) -> None:
    """Row 0 of `table`, spanned across it, wraps `text` whole and is as high as it needs (an
    empty list's one line: on a small screen it ran past the table's edge); None gives the
    table back its one-line rows."""
    rows = table.verticalHeader()
    table.setWordWrap(text is not None)
    height = rows.defaultSectionSize()
    if text is not None:
        room = QRect(0, 0, max(table.viewport().width() - 12, 1), 100_000)
        flags = int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap)
        height = max(height, table.fontMetrics().boundingRect(room, flags, text).height() + 8)
    if table.model().rowCount() and rows.sectionSize(0) != height:
        rows.resizeSection(0, height)
