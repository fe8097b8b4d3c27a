"""Importing districts and schools from a CSV file, and exporting the caseload to one.

File ▸ Import schools from a file…: choose the CSV; it is read and checked in the background
(core/caseload_file.py `preview`), a mapping step asks which field each column holds when the
columns do not match, and the preview lists every row (new, update with the fields it
changes, unchanged, refused with its sentence) with the totals and the encoding on top.
Nothing is written until "Import N schools" is pressed; then `apply` writes every good row in
one transaction, again in the background. File ▸ Export the caseload to a file… writes a CSV
that imports back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coachdesk.core import caseload_file
from coachdesk.core.caseload_csv import FIELD_LABELS, FIELDS, IGNORE
from coachdesk.core.caseload_file import CaseloadPreview, PreviewRow, RowAction
from coachdesk.core.changes import ChangeSummary
from coachdesk.core.store.profile import Profile
from coachdesk.ui import dialogs
from coachdesk.ui.change_bus import bus_for
from coachdesk.ui.item_views import tab_leaves
from coachdesk.ui.style import colour
from coachdesk.ui.work import run_in_background

logger = logging.getLogger(__name__)

CSV_FILTER = "CSV files (*.csv *.txt);;All files (*)"
RESULT_WORDS = {
    RowAction.NEW_DISTRICT: "new district",
    RowAction.NEW_SCHOOL: "new school",
    RowAction.UPDATE: "update",
    RowAction.UNCHANGED: "unchanged",
    RowAction.ERROR: "refused",
}


def _plural(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def import_label(preview: CaseloadPreview) -> tuple[str, int]:
    """The import button's words ("Import 12 schools", "… and 2 districts") and the count."""
    writing = [r for r in preview.rows if r.action not in (RowAction.UNCHANGED, RowAction.ERROR)]
    districts = sum(1 for r in writing if r.kind == "district")
    schools = len(writing) - districts
    parts = []
    if schools or not districts:
        parts.append(_plural(schools, "school", "schools"))
    if districts:
        parts.append(_plural(districts, "district", "districts"))
    return "Import " + " and ".join(parts), len(writing)


def row_details(row: PreviewRow) -> str:
    """What a row does, in words: the fields an update changes, or why it is refused."""
    if row.action is RowAction.ERROR:
        return row.message or "Refused."
    parts = [f"{c.label}: {c.old or 'none'} → {c.new or 'none'}" for c in row.changes]
    if row.programs:
        parts.append("assigned to " + ", ".join(row.programs))
    if not parts and row.action is RowAction.UNCHANGED:
        return "Already in the caseload as in the file."
    return "; ".join(parts)


class ColumnMappingDialog(QDialog):
    """Which field each of the file's columns holds: one choice per header."""

    def __init__(self, preview: CaseloadPreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Match the columns of {preview.source}")
        self.resize(560, 420)
        missing = ", ".join(FIELD_LABELS.get(m, m) for m in preview.missing)
        intro = QLabel(
            f"coachdesk could not tell which column holds the {missing}. Choose what each column "
            f"of the file holds (read as {preview.encoding}); columns set to “not imported” are "
            "left out."
        )
        intro.setWordWrap(True)
        self.choices: dict[str, QComboBox] = {}
        holder = QWidget()
        form = QFormLayout(holder)
        for header in preview.headers:
            if not header:
                continue
            box = QComboBox()
            box.addItem("not imported", IGNORE)
            for name in FIELDS:
                box.addItem(FIELD_LABELS[name], name)
            matched = preview.matched.get(header)
            box.setCurrentIndex(max(0, box.findData(matched)) if matched else 0)
            box.setAccessibleName(f"Field of the column {header}")
            form.addRow(header, box)
            self.choices[header] = box
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.check_button = buttons.addButton(
            "Check the file", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.check_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)

    def choose(self, header: str, field: str) -> None:
        box = self.choices[header]
        box.setCurrentIndex(box.findData(field))

    def mapping(self) -> dict[str, str]:
        return {header: str(box.currentData()) for header, box in self.choices.items()}


class CaseloadPreviewDialog(QDialog):
    """Every row of the file and what it would do; nothing is written before Import."""

    COLUMNS = ("Row", "Result", "Name", "District", "What changes")

    def __init__(self, preview: CaseloadPreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview = preview
        self.setWindowTitle(f"Import schools from {preview.source}")
        self.resize(900, 520)
        self.totals = QLabel(f"{preview.sentence}.")
        self.totals.setObjectName("areaTitle")
        self.totals.setWordWrap(True)
        self.totals.setAccessibleName("What the import would do")
        self.about = QLabel(
            f"Read as {preview.encoding}; programs are assigned for {preview.school_year}. "
            "Nothing is written until you choose Import; refused rows are left out."
        )
        self.about.setObjectName("subtle")
        self.about.setWordWrap(True)
        rows = sorted(preview.rows, key=lambda r: (r.action is not RowAction.ERROR, r.line))
        self.table = tab_leaves(QTableWidget(len(rows), len(self.COLUMNS)))
        self.table.setAccessibleName("Rows of the file")
        self.table.setHorizontalHeaderLabels(list(self.COLUMNS))
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        danger = colour("danger")
        for i, row in enumerate(rows):
            values = (
                str(row.line),
                RESULT_WORDS[row.action],
                row.name,
                row.district or "",
                row_details(row),
            )
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                if col == 4:
                    item.setToolTip(value)
                if row.action is RowAction.ERROR:
                    item.setForeground(danger)
                self.table.setItem(i, col, item)
        self.table.resizeColumnsToContents()
        for col, widest in ((2, 280), (3, 200)):
            self.table.setColumnWidth(col, min(self.table.columnWidth(col), widest))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        label, self.ready = import_label(preview)
        self.import_button = buttons.addButton(label, QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setEnabled(self.ready > 0)
        self.import_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.totals)
        layout.addWidget(self.about)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)


class _ImportRun(QObject):
    """One import, from choosing the file to the write: each step hands on to the next.

    A QObject parented to the window, so the background callbacks have somewhere to land; it
    is the initiator of the import's change (no view made it, so every view shows it).
    """

    def __init__(
        self,
        profile: Profile,
        parent: QWidget,
        done: Callable[[ChangeSummary], None] | None,
    ) -> None:
        super().__init__(parent)
        self.profile = profile
        self.window = parent
        self.done = done
        self.path = ""
        self.changes = ChangeSummary()

    def start(self, path: str) -> None:
        self.path = path
        self._preview(None)

    def _preview(self, mapping: Mapping[str, str] | None) -> None:
        def check() -> CaseloadPreview:
            return caseload_file.preview(self.profile, self.path, mapping=mapping)

        run_in_background(
            self.window,
            check,
            on_success=self._previewed,
            on_failure=self._failed("Cannot import this file"),
            label=f"Checking {Path(self.path).name}…",
        )

    def _previewed(self, preview: CaseloadPreview) -> None:
        if preview.needs_mapping:
            mapping_dialog = ColumnMappingDialog(preview, self.window)
            if dialogs.run(mapping_dialog) != QDialog.DialogCode.Accepted:
                return self._finish()
            return self._preview(mapping_dialog.mapping())
        dialog = CaseloadPreviewDialog(preview, self.window)
        if dialogs.run(dialog) != QDialog.DialogCode.Accepted or dialog.ready == 0:
            return self._finish()
        run_in_background(
            self.window,
            lambda: caseload_file.apply(self.profile, preview),
            on_success=lambda changes: self._applied(preview, changes),
            on_failure=self._failed("Not imported"),
            label=f"Importing {preview.to_write:,} rows…",
        )
        return None

    def _applied(self, preview: CaseloadPreview, changes: ChangeSummary) -> None:
        self.changes = changes
        bus_for(self.profile).publish(changes, initiator=self)
        refused = len(preview.errors)
        note = (
            f" {_plural(refused, 'row was', 'rows were')} refused and left out." if refused else ""
        )
        dialogs.show_info(
            self.window,
            "Imported",
            f"Imported {preview.written_sentence} from {preview.source}.{note}",
        )
        self._finish()

    def _failed(self, title: str) -> Callable[[BaseException], None]:
        def show(exc: BaseException) -> None:
            dialogs.show_error(self.window, title, dialogs.describe(exc))
            self._finish()

        return show

    def _finish(self) -> None:
        if self.done is not None:
            self.done(self.changes)
        self.deleteLater()


def import_schools_file(
    profile: Profile,
    parent: QWidget,
    *,
    done: Callable[[ChangeSummary], None] | None = None,
) -> None:
    """File ▸ Import schools from a file…; `done(changes)` is called when it is over."""
    path = dialogs.open_file(parent, "Import schools from a file", CSV_FILTER)
    if not path:
        return
    _ImportRun(profile, parent, done).start(path)


def export_caseload_file(profile: Profile, parent: QWidget) -> None:
    """File ▸ Export the caseload to a file…: a CSV of every district and school."""
    path = dialogs.save_file(parent, "Export the caseload", "caseload.csv", CSV_FILTER)
    if not path:
        return

    def shown(result: Any) -> None:
        dialogs.show_info(parent, "Exported", result.sentence)

    run_in_background(
        parent,
        lambda: caseload_file.export(profile, path),
        on_success=shown,
        on_failure=lambda exc: dialogs.show_error(parent, "Not exported", dialogs.describe(exc)),
        label="Exporting the caseload…",
    )
