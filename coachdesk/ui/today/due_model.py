"""The Today list as one flat table: a heading row per group (Overdue, Today, This week, Coming
up) followed by its due entries, unless the coach folded the group.

A model rather than a widget of items: a caseload of 200 schools lists about 2,800 entries, and
building an item per cell took longer than judging every rule. A flat table rather than a tree:
a tree view walks every row of a group it unfolds, a table with fixed row heights asks only for
the rows it paints, so showing the list costs a sort, whatever its length.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QFont

from coachdesk.core.dates_text import medium_date, month_day
from coachdesk.core.tracking_records.due import DueEntry, Group
from coachdesk.ui.style import colour

# Group headings' colours by name (light and dark versions: coachdesk/ui/style.py); Coming up
# is in the ordinary text colour.
GROUP_TONES = {
    Group.OVERDUE: "danger",
    Group.TODAY: "warning",
    Group.THIS_WEEK: "accent",
}
HEADERS = ("Due", "School", "What", "Why")
DUE, SCHOOL, WHAT, WHY = range(4)
EMPTY_TEXT = "Nothing is due across the caseload. Enjoy the day."
# A new coach's Today, before any school is on the caseload: where to start, not "enjoy".
NO_SCHOOLS_TEXT = (
    "Nothing is due: no school is in a program on your caseload yet. Add one under Caseload "
    "(Add school… or Import schools from a file…) and assign it to its program."
)
FOLD_AFTER = 40  # a longer list opens with Coming up folded: the coach reads it last

_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()  # the invisible root, shared as Qt models' default argument


class DueListModel(QAbstractTableModel):
    """Group headings and their entries, each group in the chosen order."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.day = dt.date.today()
        self.empty_text = EMPTY_TEXT  # the line an empty list shows
        self._groups: list[tuple[Group, list[DueEntry]]] = []
        self.folded: set[Group] = set()
        # Each row: a Group (its heading) or (group position, position in the group).
        self._rows: list[Group | tuple[int, int]] = []
        self._empty = False
        bold = QFont()
        bold.setBold(True)
        self._bold = bold

    # --- filling ------------------------------------------------------------------------------

    def set_entries(
        self, entries: list[DueEntry], day: dt.date, order: Callable[[DueEntry], Any]
    ) -> None:
        """Show `entries` as of `day`, each group sorted by `order`."""
        by_group: dict[Group, list[DueEntry]] = {g: [] for g in Group}
        for entry in entries:
            by_group[entry.group].append(entry)
        self.beginResetModel()
        self.day = day
        self._groups = [(g, sorted(m, key=order)) for g, m in by_group.items() if m]
        self._empty = not entries
        self._lay_out()
        self.endResetModel()

    def fold_long_lists(self, entries: int) -> None:
        """Fold Coming up when the whole list is long; last school year's items are folded
        always (they sit at the end, and do not crowd this year's list)."""
        folded = {Group.LAST_YEAR}
        self.set_folded(folded | {Group.COMING_UP} if entries >= FOLD_AFTER else folded)

    def set_folded(self, groups: set[Group]) -> None:
        self.beginResetModel()
        self.folded = set(groups)
        self._lay_out()
        self.endResetModel()

    def toggle(self, row: int) -> bool:
        """Fold or unfold the group whose heading is `row`; False when `row` is an entry."""
        group = self._rows[row] if 0 <= row < len(self._rows) else None
        if not isinstance(group, Group):
            return False
        self.set_folded(self.folded ^ {group})
        return True

    def _lay_out(self) -> None:
        rows: list[Group | tuple[int, int]] = []
        for position, (group, members) in enumerate(self._groups):
            rows.append(group)
            if group not in self.folded:
                rows.extend((position, i) for i in range(len(members)))
        self._rows = rows

    # --- reading ------------------------------------------------------------------------------

    def entry_at(self, index: _Index) -> DueEntry | None:
        """The due entry a row shows (None for a group heading or the empty line)."""
        return self.entry_in_row(index.row()) if index.isValid() else None

    def entry_in_row(self, row: int) -> DueEntry | None:
        where = self._rows[row] if 0 <= row < len(self._rows) else None
        if not isinstance(where, tuple):
            return None
        return self._groups[where[0]][1][where[1]]

    def is_empty(self) -> bool:
        """Whether the list shows its one empty-list line (nothing is due)."""
        return self._empty

    def heading_rows(self) -> list[int]:
        """The rows holding a group heading (or the empty-list line)."""
        if self._empty:
            return [0]
        return [r for r, where in enumerate(self._rows) if isinstance(where, Group)]

    def group_titles(self) -> list[str]:
        """The headings as listed ("Overdue (12)", ...), or the empty-list line."""
        if self._empty:
            return [self.empty_text]
        return [self._title(g, len(m)) for g, m in self._groups]

    def members(self, group: Group) -> list[DueEntry]:
        """A group's entries in the order shown."""
        return next((m for g, m in self._groups if g is group), [])

    def row_of(self, group: Group, position: int) -> int | None:
        """The row showing a group's `position`-th entry (None while the group is folded)."""
        for row, where in enumerate(self._rows):
            if isinstance(where, tuple) and self._groups[where[0]][0] is group:
                return row + position
        return None

    def _title(self, group: Group, count: int) -> str:
        sign = "▸" if group in self.folded else "▾"
        return f"{sign} {group.value} ({count})"

    # --- QAbstractTableModel ------------------------------------------------------------------

    def rowCount(self, parent: _Index = _ROOT) -> int:
        if parent.isValid():
            return 0
        return 1 if self._empty else len(self._rows)

    def columnCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        if (
            orientation == Qt.Orientation.Vertical
            and role == Qt.ItemDataRole.AccessibleTextRole
            and 0 <= section < self.rowCount()
        ):
            # The row header a screen reader reads with each cell ("Q1 report 2026-27, Lincoln
            # Park ES, Due, 3 days ago"): Qt exposes one per row even with the header hidden.
            return self.row_name(section)
        return None

    def row_name(self, row: int) -> str:
        """What a row is, in a few words: the item and its school, or the group's heading."""
        if self._empty:
            return self.empty_text
        where = self._rows[row]
        if isinstance(where, Group):
            return self._title(where, len(self.members(where)))
        entry = self._groups[where[0]][1][where[1]]
        return f"{entry.item.what}, {entry.school_name}"

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if self._empty:
            if role == Qt.ItemDataRole.DisplayRole and index.column() == DUE:
                return self.empty_text
            return None
        where = self._rows[index.row()]
        if isinstance(where, Group):
            return self._heading_data(where, index.column(), role)
        entry = self._groups[where[0]][1][where[1]]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == DUE:
                return when_text(entry.item.due, self.day)
            if column == SCHOOL:
                return entry.school_name
            if column == WHAT:
                return entry.item.what
            return entry.item.explanation
        if role == Qt.ItemDataRole.ToolTipRole and column in (WHAT, WHY):
            return entry.item.explanation
        return None

    def _heading_data(self, group: Group, column: int, role: int):
        if column != DUE:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._title(group, len(self.members(group)))
        if role == Qt.ItemDataRole.FontRole:
            return self._bold
        if role == Qt.ItemDataRole.ForegroundRole:
            tone = GROUP_TONES.get(group)
            return QBrush(colour(tone)) if tone else None  # read now: the scheme may change
        if role == Qt.ItemDataRole.ToolTipRole:
            return "Enter or double-click to fold or unfold"
        return None


_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def when_text(due: dt.date, today: dt.date) -> str:
    """When an item is due, in the words a coach would use looking at today's list."""
    days = (due - today).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days == -1:
        return "yesterday"
    if -7 < days < 0:
        return f"{-days} days ago"
    if days < 0:
        return medium_date(due)
    if days < 7:
        return _DAYS[due.weekday()]
    return month_day(due)


def summary_text(p) -> str:
    """One program's schools against their targets, in a few words (Today's "Against
    targets" line)."""
    if p.no_indicators == p.total:
        return f"{p.program_name}: tracked by action plans, no indicators"
    text = f"{p.program_name}: {p.on_track} on track, {p.at_risk} at risk, {p.no_data} no data"
    return text + (f", {p.no_indicators} without indicators" if p.no_indicators else "")
