"""The caseload as a Qt table model, with a proxy that filters by text and program."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from coachdesk.core.caseload import CaseloadRow
from coachdesk.core.dates_text import medium_date
from coachdesk.ui.style import colour

SCHOOL, DISTRICT, PROGRAM, STATUS, FLAGS, LAST_VISIT = range(6)
HEADERS = ("School", "District", "Program", "Stage or status", "Flags", "Last visit")
# "Next due" is filled in after the first paint, from the Today view's list (set_badges).
NEXT_DUE = len(HEADERS)
HEADERS = (*HEADERS, "Next due")

HEADER_TIPS = {FLAGS: "Active reasons for more frequent coaching (NNPS)"}

ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the CaseloadRow itself
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 3

_Index = QModelIndex | QPersistentModelIndex


class CaseloadTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[CaseloadRow] = []
        self._badges: dict[str, Any] = {}  # school id -> tracking_records.due.Badge
        self._archived: frozenset[str] = frozenset()  # shown greyed ("Show archived")

    def set_badges(self, badges: dict[str, Any]) -> None:
        """Show each school's most pressing due item in the "Next due" column."""
        self._badges = dict(badges)
        if self._rows:
            last = len(self._rows) - 1
            self.dataChanged.emit(self.index(0, NEXT_DUE), self.index(last, NEXT_DUE))

    def set_rows(self, rows: Sequence[CaseloadRow], *, archived: Iterable[str] = ()) -> None:
        """The rows to show; the schools in `archived` are shown greyed."""
        self.beginResetModel()
        self._rows = list(rows)
        self._archived = frozenset(archived)
        self.endResetModel()

    def rows(self) -> list[CaseloadRow]:
        return list(self._rows)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            return HEADER_TIPS.get(section)
        if (
            orientation == Qt.Orientation.Vertical
            and role == Qt.ItemDataRole.AccessibleTextRole
            and 0 <= section < len(self._rows)
        ):
            # The row header a screen reader reads with each cell ("Brookside Elementary
            # School, Last visit, Nov 12, 2026"); Qt exposes one per row even with the header
            # hidden, and an empty one says nothing about the row.
            return self._rows[section].school_name
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        archived = row.school_id in self._archived
        if role == ROW_ROLE:
            return row
        if role == SEARCH_ROLE:
            return " ".join(
                filter(
                    None,
                    (
                        row.school_name,
                        row.district_name,
                        row.program_name,
                        row.status,
                        row.state_id,
                        row.city,
                    ),
                )
            ).casefold()
        if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
            if column == SCHOOL:
                return row.school_name
            if column == DISTRICT:
                return row.district_name
            if column == PROGRAM:
                return row.program_name
            if column == STATUS:
                return row.status
            if column == FLAGS:
                if role == SORT_ROLE:
                    return row.active_flags
                return str(row.active_flags) if row.active_flags else ""
            if column == LAST_VISIT:
                if role == SORT_ROLE:
                    return row.last_visit.isoformat() if row.last_visit else ""
                if row.last_visit is None and row.school_id in self._archived:
                    return ""  # the quick read has no visit dates for archived schools
                return medium_date(row.last_visit) if row.last_visit else "No visit yet"
            if column == NEXT_DUE:
                # An archived school is off the caseload: nothing is due from it here.
                badge = None if archived else self._badges.get(row.school_id)
                if role == SORT_ROLE:
                    return f"{badge.rank}{badge.due.isoformat()}" if badge else "9"
                return badge.text if badge else ""
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == SCHOOL and row.state_id:
                return f"{row.school_name} ({row.state_id})"
            if column == FLAGS and row.active_flags:
                return (
                    f"{row.active_flags} active reason{'' if row.active_flags == 1 else 's'} "
                    "for more frequent coaching"
                )
            if column == NEXT_DUE and row.school_id in self._badges and not archived:
                badge = self._badges[row.school_id]
                return (
                    f"Most pressing: {badge.first_what}\n"
                    f"{badge.count} item{'' if badge.count == 1 else 's'} for this school on "
                    "the Today list"
                )
        if role == Qt.ItemDataRole.ForegroundRole and row.school_id in self._archived:
            return colour("subtle")  # archived: greyed, its menu offers Unarchive
        if role == Qt.ItemDataRole.ForegroundRole and column == NEXT_DUE:
            badge = self._badges.get(row.school_id)
            if badge is not None and badge.rank == 0:
                return colour("danger")  # overdue
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (FLAGS, LAST_VISIT):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None


class CaseloadFilter(QSortFilterProxyModel):
    """Keeps rows whose text matches every word typed, in the chosen program."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._words: list[str] = []
        self._program: str | None = None
        self.setSortRole(SORT_ROLE)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self._words = text.casefold().split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_program(self, code: str | None) -> None:
        self.beginFilterChange()
        self._program = code
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        model = self.sourceModel()
        index = model.index(source_row, 0, source_parent)
        row: CaseloadRow = model.data(index, ROW_ROLE)
        if self._program and row.program_code != self._program:
            return False
        haystack = model.data(index, SEARCH_ROLE)
        return all(word in haystack for word in self._words)
