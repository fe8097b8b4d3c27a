"""The measurements of one indicator in a small table: correct one, delete one (with Undo), and
read one's history. Each write is published on the change bus as it is made, so the school's
page and Today follow while the dialog is open."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coachdesk.core.changes import ChangeSummary
from coachdesk.core.dates_text import medium_date
from coachdesk.core.errors import CoachdeskError
from coachdesk.core.tracking_records.indicator_setup import IndicatorRow
from coachdesk.core.tracking_records.indicators import show_value
from coachdesk.core.tracking_records.measurement_corrections import (
    MeasurementRow,
    delete_measurement,
    list_measurements,
    restore_measurement,
)
from coachdesk.ui import dialogs
from coachdesk.ui.caseload.checkpoint_status import CHECKPOINT_WORDS
from coachdesk.ui.change_bus import bus_for
from coachdesk.ui.item_views import tab_leaves
from coachdesk.ui.style import colour, set_role

HEADERS = ("Measured on", "Value", "Checkpoint", "n", "Source")
SHOWN_RECORDS = ("measurement",)


class MeasurementsDialog(QDialog):
    def __init__(
        self,
        profile,
        indicator: IndicatorRow,
        parent: QWidget | None = None,
        *,
        today: dt.date | None = None,
    ) -> None:
        super().__init__(parent)
        group = f" ({indicator.group})" if indicator.group != "All" else ""
        self.title_text = f"{indicator.code}{group}: {indicator.name}"
        self.setWindowTitle(f"Measurements of {indicator.code}{group}")
        self.setMinimumWidth(600)
        self.profile = profile
        self.indicator = indicator
        self.today = today or dt.date.today()
        self.changes = ChangeSummary()
        self.rows: list[MeasurementRow] = []
        self.bus = bus_for(profile)
        self.bus.subscribe(self.on_changed, watching=SHOWN_RECORDS)
        self._deleted: MeasurementRow | None = None

        heading = QLabel(f"<b>{self.title_text}</b>")
        heading.setWordWrap(True)
        self.table = tab_leaves(QTableWidget(0, len(HEADERS)))
        self.table.setAccessibleName(f"Measurements of {indicator.code}")
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._menu)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _i: self.edit())

        self.edit_button = _button("Correct…", "Correct the selected measurement", self.edit)
        self.delete_button = _button("Delete", "Delete the selected measurement", self.delete)
        self.delete_button.setShortcut(QKeySequence.StandardKey.Delete)
        self.history_button = _button(
            "History…", "History of the selected measurement", self.history
        )
        side = QVBoxLayout()
        for b in (self.edit_button, self.delete_button, self.history_button):
            side.addWidget(b)
        side.addStretch(1)
        self.list_box = QWidget()  # the table and its buttons, hidden while there is no row
        middle = QHBoxLayout(self.list_box)
        middle.setContentsMargins(0, 0, 0, 0)
        middle.addWidget(self.table, 1)
        middle.addLayout(side)

        self.empty = QLabel()
        self.empty.setWordWrap(True)
        # Deleted measurements stay in the profile: shown here, each can be restored.
        self.show_deleted = QCheckBox("Show deleted measurements")
        self.show_deleted.toggled.connect(lambda _on: self.refresh())
        self.undo_label = QLabel()
        self.undo_label.setWordWrap(True)
        set_role(self.undo_label, "note")
        self.undo_button = _button("Undo", "Undo the deletion", self.undo)
        self.undo_bar = QWidget()
        undo_row = QHBoxLayout(self.undo_bar)
        undo_row.setContentsMargins(0, 0, 0, 0)
        undo_row.addWidget(self.undo_label, 1)
        undo_row.addWidget(self.undo_button)
        self.undo_bar.hide()
        self.error = QLabel()
        self.error.setObjectName("errorText")
        self.error.setWordWrap(True)
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.list_box, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.show_deleted)
        layout.addWidget(self.undo_bar)
        layout.addWidget(self.error)
        layout.addStretch(0)  # takes the table's room while it is hidden
        layout.addWidget(buttons)
        self.refresh()

    # --- showing ----------------------------------------------------------------------------------

    def on_changed(self, changes: ChangeSummary, initiator: object) -> None:
        self.refresh()

    def refresh(self) -> None:
        kept = self.selected()
        every = list(reversed(list_measurements(self.profile, self.indicator.id, deleted=True)))
        self.rows = [m for m in every if self.show_deleted.isChecked() or not m.deleted]
        self.table.setRowCount(len(self.rows))
        hidden = sum(m.deleted for m in every) if not self.show_deleted.isChecked() else 0
        self.empty.setText(
            f"No measurement to show: {hidden} deleted (tick Show deleted measurements to see "
            f"{'it' if hidden == 1 else 'them'})."
            if hidden
            else "No measurement yet: use Record a measurement… on the school's page."
        )
        for r, m in enumerate(self.rows):
            cells = (
                medium_date(m.as_of),
                show_value(m.value)
                + (" (final)" if m.final else "")
                + (" (deleted)" if m.deleted else ""),
                CHECKPOINT_WORDS.get(m.checkpoint, m.checkpoint) if m.checkpoint else "–",
                str(m.n) if m.n is not None else "–",
                m.source or "",
            )
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == 1:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if m.deleted:
                    item.setForeground(colour("subtle"))
                self.table.setItem(r, c, item)
        self.list_box.setVisible(bool(self.rows))
        self.empty.setVisible(not self.rows)
        self.select(kept.id if kept else (self.rows[0].id if self.rows else None))
        self._update_buttons()

    def selected(self) -> MeasurementRow | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.rows[rows[0].row()] if rows and rows[0].row() < len(self.rows) else None

    def select(self, measurement_id: str | None) -> None:
        self.table.clearSelection()
        for r, m in enumerate(self.rows):
            if m.id == measurement_id:
                self.table.selectRow(r)
                return

    def _update_buttons(self) -> None:
        m = self.selected()
        self.edit_button.setEnabled(m is not None and not m.deleted)
        self.history_button.setEnabled(m is not None)
        self.delete_button.setEnabled(m is not None)
        restoring = m is not None and m.deleted
        self.delete_button.setText("Restore" if restoring else "Delete")
        self.delete_button.setAccessibleName(
            "Restore the selected measurement" if restoring else "Delete the selected measurement"
        )
        self.delete_button.setShortcut(QKeySequence.StandardKey.Delete)

    def _menu(self, point) -> None:
        index = self.table.indexAt(point)
        if not index.isValid():
            return
        self.table.selectRow(index.row())
        menu = QMenu(self)
        m = self.selected()
        for text, slot in (
            ("Correct…", self.edit),
            ("Restore" if m is not None and m.deleted else "Delete", self.delete),
            ("History…", self.history),
        ):
            action = QAction(text, menu)
            action.triggered.connect(slot)
            menu.addAction(action)
        menu.exec(self.table.viewport().mapToGlobal(point))

    # --- writing ----------------------------------------------------------------------------------

    def _wrote(self, changes: ChangeSummary) -> None:
        self.changes = self.changes.merged(changes)
        self.refresh()
        self.bus.publish(changes, initiator=self)

    def edit(self) -> None:
        from coachdesk.ui.caseload.measurement_dialog import CorrectionDialog

        m = self.selected()
        if m is None:
            return
        dialog = CorrectionDialog(self.profile, m, self.title_text, self, today=self.today)
        if dialogs.run(dialog) and dialog.changes:
            self._wrote(dialog.changes)
            self.select(m.id)

    def delete(self) -> None:
        """Delete the selected measurement (or restore it, when it is a deleted one)."""
        m = self.selected()
        if m is None:
            return
        if m.deleted:
            self._deleted = m
            self.undo()
            return
        try:
            changes = delete_measurement(self.profile, m.id)
        except CoachdeskError as exc:
            self._say(str(exc))
            return
        self._deleted = m
        self.undo_label.setText(
            f"Deleted the measurement of {medium_date(m.as_of)} ({show_value(m.value)}). "
            "Undo brings it back; its history is kept either way."
        )
        self.undo_bar.show()
        self._wrote(changes)

    def undo(self) -> None:
        m, self._deleted = self._deleted, None
        self.undo_bar.hide()
        if m is None:
            return
        try:
            changes = restore_measurement(self.profile, m.id)
        except CoachdeskError as exc:
            self._say(str(exc))
            return
        self._wrote(changes)
        self.select(m.id)

    def history(self) -> None:
        from coachdesk.ui.caseload.measurement_history_dialog import MeasurementHistoryDialog

        m = self.selected()
        if m is None:
            return
        title = f"{self.title_text}, measured on {medium_date(m.as_of)}"
        dialogs.run(MeasurementHistoryDialog(self.profile, m.id, title, self))

    def _say(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()


def _button(text: str, name: str, slot) -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(name)
    button.clicked.connect(slot)
    return button
