"""Importing measurements from a CSV file: choose the file, see every row checked (the refused
ones with the reason), and only then confirm; nothing is written before."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from coachdesk.core.changes import ChangeSummary
from coachdesk.core.dates_text import medium_date
from coachdesk.core.errors import CoachdeskError
from coachdesk.core.tracking_records.csv_import import ImportPreview, import_rows, preview_csv
from coachdesk.core.tracking_records.indicators import show_value
from coachdesk.ui import dialogs
from coachdesk.ui.row_preview import RowPreviewDialog


class ImportPreviewDialog(RowPreviewDialog):
    def __init__(self, preview: ImportPreview, parent: QWidget | None = None) -> None:
        rows = [
            (
                r.line,
                "ready",
                f"{r.school_name} · {r.indicator_code} ({r.subgroup}) · "
                f"{medium_date(r.as_of)} · {show_value(r.value)}"
                + (f" · n={r.n}" if r.n is not None else ""),
            )
            for r in preview.rows
        ]
        rows += [(e.line, "refused", e.message) for e in preview.errors]  # fmt: skip
        super().__init__(
            f"Import measurements from {preview.source}",
            preview.sentence,
            rows,
            ready=len(preview.rows),
            noun="row(s)",
            column="Row",
            parent=parent,
        )
        self.preview = preview


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
