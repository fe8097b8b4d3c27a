"""What importing many bundles at once did, as a supervisor reads it: one summary at the end.

    summary = folder_summary(report, refused, held)   # plain data, tested on its own
    dialogs.run(ImportSummaryDialog(parent, summary))

The summary says how many files were imported and how many changes merged, then one line per
coach (each bundle counted under the name this profile trusts its signer by), the files that
were refused, each with its reason, and what else a bundle's own sentence says (changes left
out or held back, earlier edits not received yet).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coachdesk.ui.announce import tell_current_cell
from coachdesk.ui.item_views import tab_leaves


@dataclass(frozen=True)
class CoachImport:
    """One coach's bundles in an import: how many files, and what they brought."""

    coach: str
    files: int
    already: int  # of those, files this profile had imported before
    changes: int  # changes merged (new to this profile)
    conflicts: int


@dataclass(frozen=True)
class RefusedFile:
    name: str
    reason: str

    def line(self) -> str:
        return f"{self.name}: {self.reason}"


@dataclass(frozen=True)
class FolderSummary:
    files_imported: int  # files read and merged (also those that brought nothing new)
    files_already: int  # of those, imported before
    changes_merged: int
    coaches: tuple[CoachImport, ...]
    refused: tuple[RefusedFile, ...]
    notes: tuple[str, ...]  # bundles' sentences that say more than counts, and what is held

    def headline(self) -> str:
        """'14 files imported: 3,456 changes merged from 5 coaches. 2 files were refused.'"""
        files = _count(self.files_imported, "file")
        if not self.files_imported:
            headline = "No file was imported."
        elif not self.changes_merged:
            headline = f"{files} imported: nothing new to merge."
        else:
            people = _count(len(self.coaches), "coach", "coaches")
            merged = _count(self.changes_merged, "change")
            headline = f"{files} imported: {merged} merged from {people}."
        if self.files_already:
            were = "was" if self.files_already == 1 else "were"
            headline += f" {_count(self.files_already, 'file')} {were} already imported."
        if self.refused:
            were = "was" if len(self.refused) == 1 else "were"
            headline += f" {_count(len(self.refused), 'file')} {were} refused (listed below)."
        return headline


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def refused_files(refused: list[Any]) -> list[RefusedFile]:
    """The paths bundle_paths refused (sync/bundle_files.py RefusedPath), as summary lines."""
    return [RefusedFile(r.path.name or str(r.path), r.reason) for r in refused]


def folder_summary(report: Any, refused: list[RefusedFile], held: Any) -> FolderSummary:
    """The summary of an ImportReport, with the files refused before importing (not bundles,
    unreadable folders) listed first, and what the profile still holds back after it."""
    from coachdesk.sync.held_changes import after_import

    by_coach: dict[str, list[Any]] = {}
    for result in report.imported:
        by_coach.setdefault(result.signer_name, []).append(result)
    coaches = tuple(
        CoachImport(
            coach=name,
            files=len(results),
            already=sum(1 for r in results if r.already_imported),
            changes=sum(r.new_changes for r in results),
            conflicts=sum(r.new_conflicts for r in results),
        )
        for name, results in sorted(by_coach.items(), key=lambda item: item[0].casefold())
    )
    notes = [r.sentence() for r in report.imported if _says_more(r)]
    still_held = after_import(report.imported, held)
    if still_held:
        notes.append(still_held)
    refused_all = list(refused) + [RefusedFile(r.source, str(r.error)) for r in report.rejected]
    return FolderSummary(
        files_imported=len(report.imported),
        files_already=sum(c.already for c in coaches),
        changes_merged=sum(c.changes for c in coaches),
        coaches=coaches,
        refused=tuple(refused_all),
        notes=tuple(notes),
    )


def _says_more(result: Any) -> bool:
    """Whether a bundle's sentence holds something the counts do not say."""
    return bool(result.left_out or result.held or result.missing_earlier or result.released)


COACH_COLUMNS = ("Coach", "Files", "Changes merged", "New conflicts")


def _table_width(table: QTableWidget) -> int:
    """How wide the table must be to show every header and cell whole, in the style sheet's
    header font (semi-bold, 6 px padding: coachdesk/ui/style.py), at any text size."""
    bold = QFont(table.horizontalHeader().font())
    bold.setWeight(QFont.Weight.DemiBold)
    heads, cells = QFontMetrics(bold), table.fontMetrics()
    width = 2 * table.frameWidth() + 24  # the dialog's margins
    for column in range(table.columnCount()):
        title = table.horizontalHeaderItem(column).text()
        texts = [table.item(r, column).text() for r in range(table.rowCount())]
        width += max(
            [heads.horizontalAdvance(title) + 18] + [cells.horizontalAdvance(t) + 14 for t in texts]
        )
    return width


def _fit_rows(table: QTableWidget, *, most: int) -> None:
    """As tall as its rows (up to `most`, then it scrolls), so the refused files get the room."""
    rows = max(1, min(table.rowCount(), most))
    height = table.horizontalHeader().sizeHint().height() + 2 * table.frameWidth()
    height += sum(table.rowHeight(r) for r in range(rows))
    table.setFixedHeight(height + 2)


class ImportSummaryDialog(QDialog):
    """The one summary at the end of an import of many bundles."""

    def __init__(self, parent: QWidget | None, summary: FolderSummary) -> None:
        super().__init__(parent)
        self.summary = summary
        self.setWindowTitle("Bundles imported" if summary.files_imported else "Nothing imported")
        layout = QVBoxLayout(self)
        self.headline = QLabel(summary.headline())
        self.headline.setWordWrap(True)
        self.headline.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.headline.setAccessibleDescription("What the import did")
        layout.addWidget(self.headline)

        self.coaches = tell_current_cell(
            tab_leaves(QTableWidget(len(summary.coaches), len(COACH_COLUMNS)))
        )
        self.coaches.setAccessibleName("Imported, by coach")
        self.coaches.setHorizontalHeaderLabels(list(COACH_COLUMNS))
        self.coaches.verticalHeader().setVisible(False)
        self.coaches.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.coaches.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        for row, coach in enumerate(summary.coaches):
            files = f"{coach.files:,}"
            if coach.already:
                files += f" ({coach.already:,} already imported)"
            cells = (coach.coach, files, f"{coach.changes:,}", f"{coach.conflicts:,}")
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.coaches.setItem(row, column, item)
            heading = QTableWidgetItem(str(row + 1))
            heading.setData(Qt.ItemDataRole.AccessibleTextRole, coach.coach)  # read with each cell
            self.coaches.setVerticalHeaderItem(row, heading)
        header = self.coaches.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.coaches.setWordWrap(False)
        self.setMinimumWidth(max(560, _table_width(self.coaches)))
        self.coaches.setHidden(not summary.coaches)
        self.coaches.resizeRowsToContents()
        self.coaches_title = QLabel("By coach")
        self.coaches_title.setObjectName("sectionTitle")
        self.coaches_title.setBuddy(self.coaches)
        self.coaches_title.setHidden(not summary.coaches)
        layout.addWidget(self.coaches_title)
        layout.addWidget(self.coaches)
        _fit_rows(self.coaches, most=8)

        self.refused_title = QLabel("Refused files, and why")
        self.refused_title.setObjectName("sectionTitle")
        self.refused = self._sentences(
            [f.line() for f in summary.refused], name="Refused files", title=self.refused_title
        )
        layout.addWidget(self.refused_title)
        layout.addWidget(self.refused, 1)

        self.notes_title = QLabel("Also to know")
        self.notes_title.setObjectName("sectionTitle")
        self.notes = self._sentences(
            list(summary.notes), name="Also to know", title=self.notes_title
        )
        layout.addWidget(self.notes_title)
        layout.addWidget(self.notes, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        self.close_button.setDefault(True)
        layout.addWidget(buttons)
        self.close_button.setFocus()

    def _sentences(self, lines: list[str], *, name: str, title: QLabel) -> QListWidget:
        """A list of sentences read one by one (arrow keys), wrapped to the dialog's width."""
        view = tab_leaves(QListWidget())
        view.setAccessibleName(name)
        title.setBuddy(view)
        view.setWordWrap(True)
        view.setTextElideMode(Qt.TextElideMode.ElideNone)
        view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        view.setResizeMode(QListWidget.ResizeMode.Adjust)
        view.setSpacing(3)  # one sentence per file, apart from the next
        view.setAlternatingRowColors(True)
        for line in lines:
            view.addItem(QListWidgetItem(line))
        view.setHidden(not lines)
        title.setHidden(not lines)
        return view

    def rows(self) -> list[tuple[str, ...]]:
        """The by-coach table as the supervisor reads it."""
        table = self.coaches
        return [
            tuple(table.item(r, c).text() for c in range(table.columnCount()))
            for r in range(table.rowCount())
        ]
