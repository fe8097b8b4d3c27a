"""A flat list of records that a coach opens from the keyboard or with a double-click.

Each row keeps its record's id under `ID_ROLE` in its first column; Enter, Return or a
double-click on a row emits `opened(id)`. The school page's visits and next steps and the
district page's schools and visits use it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QTreeWidget, QTreeWidgetItem

from coachdesk.ui.item_views import tab_leaves

ID_ROLE = Qt.ItemDataRole.UserRole


class RecordList(QTreeWidget):
    opened = Signal(str)  # the id of the record whose row was opened

    def __init__(self, headers: list[str], name: str) -> None:
        super().__init__()
        self.setHeaderLabels(headers)
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setAccessibleName(name)
        tab_leaves(self)
        self.itemActivated.connect(self._open)
        self.itemDoubleClicked.connect(self._open)

    def _open(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        record_id = item.data(0, ID_ROLE)
        if record_id:
            self.opened.emit(record_id)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentItem():
            self._open(self.currentItem())
            return
        super().keyPressEvent(event)

    def ids(self) -> list[str]:
        """The records' ids, in the order the rows show them."""
        return [self.topLevelItem(i).data(0, ID_ROLE) for i in range(self.topLevelItemCount())]
