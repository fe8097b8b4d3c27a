"""The history of one measurement: each value it has had, who wrote it and when (read from the
change log, so corrections made on another laptop show that laptop's name)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coachdesk.core.dates_text import date_and_time, medium_date
from coachdesk.core.tracking_records.indicators import show_value
from coachdesk.core.tracking_records.measurement_corrections import measurement_history
from coachdesk.ui.caseload.checkpoint_status import CHECKPOINT_WORDS
from coachdesk.ui.item_views import tab_leaves

HEADERS = ("When", "Who", "What", "Value", "Measured on")


class MeasurementHistoryDialog(QDialog):
    def __init__(
        self, profile, measurement_id: str, title: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("History of a measurement")
        self.setMinimumWidth(620)
        self.versions = measurement_history(profile, measurement_id)
        heading = QLabel(f"<b>{title}</b>")
        heading.setWordWrap(True)
        self.table = tab_leaves(QTableWidget(len(self.versions), len(HEADERS)))
        self.table.setAccessibleName("Versions of the measurement, oldest first")
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        for r, v in enumerate(self.versions):
            cells = (
                date_and_time(v.when) if v.when else "unknown",
                v.who,
                _what(v),
                "–" if v.deleted or v.value is None else show_value(v.value),
                medium_date(v.as_of) if v.as_of else "–",
            )
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.sentences = [v.sentence() for v in self.versions]
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.table)
        layout.addWidget(buttons)

    def rows(self) -> list[list[str]]:
        """The table as the coach reads it, row by row."""
        return [
            [self.table.item(r, c).text() for c in range(self.table.columnCount())]
            for r in range(self.table.rowCount())
        ]


def _what(v) -> str:
    if v.deleted:
        return "deleted"
    if "indicator_id" in v.changed:
        return "recorded"
    if "deleted_at" in v.changed:
        return "restored"
    words = {"value": "value", "as_of": "date", "checkpoint": "checkpoint", "n": "n"}
    changed = [words[f] for f in v.changed if f in words]
    extra = f" ({CHECKPOINT_WORDS.get(v.checkpoint, v.checkpoint)})" if v.checkpoint else ""
    return ("corrected " + ", ".join(changed) if changed else "corrected") + (
        extra if "checkpoint" in v.changed else ""
    )
