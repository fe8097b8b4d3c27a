"""Table columns that share a narrow window fairly.

Qt's "resize to contents" lets a long owner's title or a long visit type take the room the
main column (the next step, the school's name) needs on a 1024-pixel laptop. `share_columns`
gives each secondary column what its contents need, but at most a share of the table's width;
the stretching column gets the rest. A coach can still drag any column wider.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QTreeView


class ColumnShares(QObject):
    """Resizes the capped columns whenever the table's width or contents change."""

    def __init__(self, view: QAbstractItemView, shares: dict[int, float]) -> None:
        super().__init__(view)
        self.view = view
        self.shares = shares
        header = self.header()
        for column in shares:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        self._pending = False
        view.viewport().installEventFilter(self)
        model = view.model()
        if model is not None:
            for signal in (model.modelReset, model.rowsInserted, model.layoutChanged):
                signal.connect(self.schedule)

    def header(self) -> QHeaderView:
        if isinstance(self.view, QTableView):
            return self.view.horizontalHeader()
        assert isinstance(self.view, QTreeView)
        return self.view.header()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Resize:
            self.apply()
        return False

    def schedule(self) -> None:
        """Once, after the rows being added now are in (not once per row)."""
        if not self._pending:
            self._pending = True
            QTimer.singleShot(0, self, self.apply)

    def apply(self) -> None:
        self._pending = False
        header = self.header()
        width = self.view.viewport().width()
        for column, share in self.shares.items():
            if column >= header.count() or header.isSectionHidden(column):
                continue
            needed = max(self.view.sizeHintForColumn(column), header.sectionSizeHint(column))
            header.resizeSection(column, max(40, min(needed, int(width * share))))


def share_columns(view: QAbstractItemView, shares: dict[int, float]) -> ColumnShares:
    """Cap each column in `shares` at that fraction of the view's width (see the module)."""
    return ColumnShares(view, shares)
