"""The preview every file import shows before writing: each row of the file with its result
(ready, or refused with the reason), and an Import button that names what will be written."""

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

from coachdesk.ui.item_views import tab_leaves


class RowPreviewDialog(QDialog):
    """`rows` are (line, "ready" or "refused", text); `ready` is how many will be written."""

    def __init__(
        self,
        title: str,
        sentence: str,
        rows: list[tuple[int, str, str]],
        *,
        ready: int,
        noun: str,
        column: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(760, 440)
        layout = QVBoxLayout(self)
        heading = QLabel(sentence + " Nothing is written until you choose Import.")
        heading.setWordWrap(True)
        layout.addWidget(heading)
        rows = sorted(rows)
        self.table = tab_leaves(QTableWidget(len(rows), 3))
        self.table.setAccessibleName(f"{column}s of the file")
        self.table.setHorizontalHeaderLabels(["Line", "Result", column])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        for i, (line, result, text) in enumerate(rows):
            for col, value in enumerate((str(line), result, text)):
                self.table.setItem(i, col, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = buttons.addButton(
            f"Import {ready} {noun}", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setEnabled(ready > 0)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
