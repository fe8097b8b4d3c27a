"""Importing measurements from a CSV file: choose the file, see every row checked (the refused
ones with the reason), and only then confirm; nothing is written before."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coachdesk.core.changes import ChangeSummary
from coachdesk.core.errors import CoachdeskError
from coachdesk.core.tracking_store.csv_import import ImportPreview, import_rows, preview_csv
from coachdesk.core.tracking_store.indicators import show_value
from coachdesk.ui import dialogs


class ImportPreviewDialog(QDialog):
    def __init__(self, preview: ImportPreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Import measurements from {preview.source}")
        self.preview = preview
        self.resize(760, 460)
        layout = QVBoxLayout(self)
        heading = QLabel(preview.sentence + " Nothing is written until you choose Import.")
        heading.setWordWrap(True)
        layout.addWidget(heading)
        rows = sorted(
            [(r.line, "ready", f"{r.school_name} · {r.indicator_code} ({r.subgroup}) · "
              f"{r.as_of:%-d %b %Y} · {show_value(r.value)}"
              + (f" · n={r.n}" if r.n is not None else "")) for r in preview.rows]
            + [(e.line, "refused", e.message) for e in preview.errors]
        )  # fmt: skip
        self.table = QTableWidget(len(rows), 3)
        self.table.setAccessibleName("Rows of the file")
        self.table.setHorizontalHeaderLabels(["Line", "Result", "Row"])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        for i, (line, result, text) in enumerate(rows):
            for col, value in enumerate((str(line), result, text)):
                self.table.setItem(i, col, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = buttons.addButton(
            f"Import {len(preview.rows)} row(s)", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setEnabled(bool(preview.rows))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def import_measurements(profile, parent: QWidget | None) -> ChangeSummary:
    """Ask for a CSV file, preview it, and import the good rows once the coach confirms."""
    path = dialogs.open_file(parent, "Import measurements", "CSV files (*.csv);;All files (*)")
    if not path:
        return ChangeSummary()
    try:
        preview = preview_csv(profile, path)
    except CoachdeskError as exc:
        dialogs.show_error(parent, "Cannot import", str(exc))
        return ChangeSummary()
    if not dialogs.run(ImportPreviewDialog(preview, parent)):
        return ChangeSummary()
    try:
        changes = import_rows(profile, preview)
    except CoachdeskError as exc:
        dialogs.show_error(parent, "Not imported", str(exc))
        return ChangeSummary()
    dialogs.show_info(parent, "Imported", f"Imported {len(preview.rows)} measurement(s).")
    return changes
