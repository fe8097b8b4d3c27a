"""The activities of an OH One-Year Action Plan as a table: one row per activity, sorted by type
of involvement, with the status editable in place."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtWidgets import QComboBox, QHeaderView, QStyledItemDelegate, QTableView, QWidget

from coachdesk.core.dates_text import medium_date
from coachdesk.core.tracking_records.plan_activities import GOAL_KINDS
from coachdesk.core.tracking_records.plans import ACTIVITY_STATUSES, ActivityView
from coachdesk.ui.item_views import tab_leaves

TYPE, ACTIVITY, GOAL, DATE, IN_CHARGE, COST, STATUS = range(7)
HEADERS = ("Type of involvement", "Activity", "Goal", "Date", "In charge", "Cost", "Status")
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ACTIVITY_ROLE = Qt.ItemDataRole.UserRole + 2
GREY = Qt.GlobalColor.gray

AnyIndex = QModelIndex | QPersistentModelIndex
_GOAL_SHORT = {"academic": "Academic", "behavioral": "Behavioral", "climate": "Climate"}


class ActivityTableModel(QAbstractTableModel):
    """Rows are ActivityView; setting a status calls `change_status(activity_id, status)`, which
    saves it and returns True (the card then reloads the plan)."""

    def __init__(self, change_status: Callable[[str, str], bool], parent=None) -> None:
        super().__init__(parent)
        self.rows: list[ActivityView] = []
        self._change_status = change_status

    def set_activities(self, activities: tuple[ActivityView, ...]) -> None:
        self.beginResetModel()
        self.rows = list(activities)
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.AccessibleTextRole:
            return self.rows[section].title if 0 <= section < len(self.rows) else None  # row header
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if index.column() == STATUS else base

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        a = self.rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return _shown(a, column, tooltip=role == Qt.ItemDataRole.ToolTipRole)
        if role == Qt.ItemDataRole.EditRole:
            return a.status if column == STATUS else _shown(a, column)
        if role == SORT_ROLE:
            return _sort_key(a, column)
        if role == ACTIVITY_ROLE:
            return a
        if role == Qt.ItemDataRole.TextAlignmentRole and column == COST:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and a.status == "dropped":
            return GREY
        return None

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or index.column() != STATUS:
            return False
        activity = self.rows[index.row()]
        if value == activity.status or not self._change_status(activity.id, str(value)):
            return False
        # Show the saved status at once; the card reloads the whole plan after the editor closes.
        self.rows[index.row()] = replace(activity, status=str(value))
        self.dataChanged.emit(index.siblingAtColumn(0), index.siblingAtColumn(STATUS))
        return True


def _shown(a: ActivityView, column: int, *, tooltip: bool = False) -> str:
    if column == TYPE:
        return f"{a.involvement_type} {a.type_name}"
    if column == ACTIVITY:
        return a.title
    if column == GOAL:
        return (
            GOAL_KINDS.get(a.goal_kind, a.goal_kind)
            if tooltip
            else _GOAL_SHORT.get(a.goal_kind, a.goal_kind)
        )
    if column == DATE:
        return medium_date(a.starts_on) if a.starts_on else ("no date yet" if tooltip else "–")
    if column == IN_CHARGE:
        return a.in_charge
    if column == COST:
        return f"${a.cost:,}" if a.cost is not None else ("no cost given" if tooltip else "–")
    if tooltip:
        return f"{a.status} (double-click or press F2 to change)"
    return a.status


def _sort_key(a: ActivityView, column: int) -> str:
    # Text keys: the proxy compares them directly (it cannot compare Python tuples).
    date = a.starts_on.isoformat() if a.starts_on else "9999"
    if column == TYPE:
        return f"{a.involvement_type}|{date}"
    if column == DATE:
        return f"{date}|{a.involvement_type}"
    if column == COST:
        return f"{a.cost if a.cost is not None else -1:+012d}|{date}"
    if column == STATUS:
        order = ACTIVITY_STATUSES.index(a.status) if a.status in ACTIVITY_STATUSES else 99
        return f"{order:02d}|{date}"
    return f"{_shown(a, column).casefold()}|{date}"


class StatusDelegate(QStyledItemDelegate):
    """A choice of status in the cell; the choice saves at once."""

    def createEditor(self, parent: QWidget, option, index) -> QWidget:  # noqa: N802
        box = QComboBox(parent)
        box.setAccessibleName("Status of the activity")
        box.addItems(list(ACTIVITY_STATUSES))
        box.activated.connect(lambda _i: self._commit(box))
        return box

    def setEditorData(self, editor: QWidget, index) -> None:  # noqa: N802
        assert isinstance(editor, QComboBox)
        found = editor.findText(index.data(Qt.ItemDataRole.EditRole))
        editor.setCurrentIndex(max(found, 0))

    def setModelData(self, editor: QWidget, model, index) -> None:  # noqa: N802
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)

    def _commit(self, box: QComboBox) -> None:
        self.commitData.emit(box)
        self.closeEditor.emit(box)


class FittedTable(QTableView):
    """A table as tall as its rows; wrapped rows are measured again when the width changes."""

    NARROW = 900  # below this width the long texts wrap in columns of a set width

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        tab_leaves(self)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            header = self.horizontalHeader()
            narrow = event.size().width() < self.NARROW
            for column, width in ((TYPE, 150), (IN_CHARGE, 140)):
                if narrow:
                    header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
                    header.resizeSection(column, width)
                else:
                    header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
            QTimer.singleShot(0, self, lambda: fit_height(self))


def fit_height(table: QTableView) -> None:
    """Show every row without an inner scroll bar (the page itself scrolls)."""
    table.resizeRowsToContents()
    for r in range(table.model().rowCount()):  # a little air around wrapped lines
        table.setRowHeight(r, table.rowHeight(r) + 6)
    rows = sum(table.rowHeight(r) for r in range(table.model().rowCount()))
    rows = rows or table.verticalHeader().defaultSectionSize()
    table.setFixedHeight(
        table.horizontalHeader().sizeHint().height() + rows + 2 * table.frameWidth() + 2
    )
