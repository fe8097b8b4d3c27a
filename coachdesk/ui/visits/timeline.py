"""Cards on a school's page: its visits, newest first, and its open next steps."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coachdesk.core.dates_text import clock_time, day_heading, medium_date, weekday_date
from coachdesk.core.visits import STATUS_LABELS, ActionItemView, VisitRow
from coachdesk.ui import shortcuts
from coachdesk.ui.columns import share_columns
from coachdesk.ui.record_list import ID_ROLE, RecordList
from coachdesk.ui.style import colour, on_scheme_change


def _card_title(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("sectionTitle")
    return label


class VisitTimeline(QFrame):
    """The school's visits; emits `open_visit(id)` and `start_requested()`."""

    open_visit = Signal(str)
    start_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.rows: list[VisitRow] = []
        top = QHBoxLayout()
        top.addWidget(_card_title("Visits"))
        self.count = QLabel()
        self.count.setObjectName("subtle")
        top.addWidget(self.count, 1)
        self.start_button = QPushButton("Start a visit…")
        self.start_button.setToolTip(
            shortcuts.tip("Start a visit note for this school", "start_visit")
        )
        self.start_button.clicked.connect(self.start_requested.emit)
        top.addWidget(self.start_button)
        self.table = RecordList(["Date", "Type", "Status", "Form", "Open steps"], "Visits")
        self.table.opened.connect(self.open_visit.emit)
        header = self.table.header()
        header.setStretchLastSection(False)
        for column in (0, 2, 4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        share_columns(self.table, {1: 0.26})  # a long visit type leaves the form its room
        self.table.setMinimumHeight(200)
        self.empty = QLabel("No visits yet. Start one when you are at the school.")
        self.empty.setObjectName("subtle")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)

    def show_visits(self, rows: list[VisitRow]) -> None:
        """Show these visits (already newest first)."""
        self.rows = rows
        self.table.clear()
        for row in rows:
            item = QTreeWidgetItem(
                [
                    weekday_date(row.starts_at, year=True),
                    row.type_label,
                    STATUS_LABELS.get(row.status, row.status),
                    row.form_title or "No form",
                    str(row.open_items) if row.open_items else "",
                ]
            )
            item.setData(0, ID_ROLE, row.id)
            when = f"{day_heading(row.starts_at, year=True)}, {clock_time(row.starts_at)}"
            item.setToolTip(0, when)
            item.setTextAlignment(4, Qt.AlignmentFlag.AlignCenter)
            if row.status == "draft":
                font = item.font(2)
                font.setItalic(True)
                item.setFont(2, font)
            self.table.addTopLevelItem(item)
        if rows:
            self.table.setCurrentItem(self.table.topLevelItem(0))
        drafts = sum(1 for r in rows if r.status == "draft")
        self.count.setText(
            f"{len(rows)} visit{'s' if len(rows) != 1 else ''}"
            + (f" · {drafts} draft{'s' if drafts != 1 else ''}" if drafts else "")
        )
        self.empty.setVisible(not rows)
        self.table.setVisible(bool(rows))

    def visit_ids(self) -> list[str]:
        """The visit ids in the order shown."""
        return [r.id for r in self.rows]


class NextStepsCard(QFrame):
    """The school's open next steps, oldest due first; emits `open_visit(id)` of the source."""

    open_visit = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.items: list[ActionItemView] = []
        on_scheme_change(self._rewrite)  # overdue dates are drawn in a colour
        top = QHBoxLayout()
        top.addWidget(_card_title("Open next steps"))
        self.count = QLabel()
        self.count.setObjectName("subtle")
        top.addWidget(self.count, 1)
        self.table = RecordList(["Next step", "Who", "Due", "Agreed"], "Open next steps")
        self.table.opened.connect(self.open_visit.emit)
        header = self.table.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        share_columns(self.table, {1: 0.2})  # a long role leaves the step itself some room
        self.table.setMinimumHeight(140)
        self.empty = QLabel("No open next steps.")
        self.empty.setObjectName("subtle")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)

    def show_items(self, items: list[ActionItemView], *, today: dt.date | None = None) -> None:
        """Show these open next steps; overdue ones say so in words and in red."""
        today = today or dt.date.today()
        self.items = items
        self.table.clear()
        overdue = 0
        for item in items:
            late = item.overdue_on(today)
            overdue += late
            due = medium_date(item.due) if item.due else "No date"
            if late:
                due = f"{due} · overdue"
            agreed = medium_date(item.visit_date) if item.visit_date else ""
            row = QTreeWidgetItem([item.text or "(no text)", item.owner or "—", due, agreed])
            row.setData(0, ID_ROLE, item.visit_id)
            row.setToolTip(0, item.text)
            if late:
                row.setForeground(2, QBrush(colour("danger")))
                font = row.font(2)
                font.setBold(True)
                row.setFont(2, font)
            self.table.addTopLevelItem(row)
        text = f"{len(items)} open"
        if overdue:
            text += f" · {overdue} overdue"
        self.count.setText(text if items else "")
        self.empty.setVisible(not items)
        self.table.setVisible(bool(items))

    def _rewrite(self) -> None:
        current = self.table.currentIndex().row()
        self.show_items(self.items)
        if current >= 0:
            self.table.setCurrentItem(self.table.topLevelItem(current))

    def select_item(self, action_id: str) -> bool:
        """Select and show one next step (Today's "Open" on an action item); False if it is
        not listed (done or dropped meanwhile)."""
        for index, item in enumerate(self.items):
            if item.id == action_id:
                row = self.table.topLevelItem(index)
                self.table.setCurrentItem(row)
                self.table.scrollToItem(row)
                self.table.setFocus()
                return True
        return False

    def selected_text(self) -> str | None:
        row = self.table.currentItem()
        return row.text(0) if row is not None else None

    def shown_rows(self) -> list[tuple[str, str, str]]:
        """(text, who, due) as shown, for tests and screen readers."""
        return [
            (item.text(0), item.text(1), item.text(2))
            for item in (self.table.topLevelItem(i) for i in range(self.table.topLevelItemCount()))
        ]
