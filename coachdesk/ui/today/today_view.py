"""The Today area: what is overdue, due today, this week and coming up across the caseload, each
with the rule's reason, and a month calendar of visits and deadlines.

Opening an item emits `open_requested(school_id, kind, record_id)`; the main window shows the
school page or the visit. The list is read through plain SQL (coachdesk.core.tracking_store), so
building it stays quick on a large caseload.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html import escape

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QTextCharFormat
from PySide6.QtWidgets import (
    QCalendarWidget,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coachdesk.core.changes import ChangeSummary
from coachdesk.core.store.profile import Profile
from coachdesk.core.tracking_store.calendar import DayEvent, month_events
from coachdesk.core.tracking_store.due import DueEntry, Group, next_due_badges, today_data

ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
GROUP_COLOURS = {
    Group.OVERDUE: "#b3261e",
    Group.TODAY: "#8a5a00",
    Group.THIS_WEEK: "#1f5fa8",
    Group.COMING_UP: "#4a4a4a",
}
SORTS = {
    "Most pressing first": lambda e: e.item.sort_key(),
    "Due date": lambda e: (e.item.due, e.school_name),
    "School": lambda e: (e.school_name, e.item.due),
    "Program": lambda e: (e.program_code, e.item.due, e.school_name),
}
DUE, SCHOOL, WHAT, WHY = range(4)
# Record types whose change can alter what is due.
WATCHED = (
    "visit",
    "action_item",
    "indicator",
    "indicator_target",
    "measurement",
    "obligation",
    "stage_record",
    "coaching_flag",
    "assignment",
    "organization",
    "instructional_priority",
)


class TodayView(QWidget):
    open_requested = Signal(str, str, object)  # school id, kind (visit, indicator...), record id
    badges_ready = Signal(object)  # {school id: Badge}, for the caseload's "Next due" column

    def __init__(
        self,
        profile: Profile,
        parent: QWidget | None = None,
        *,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        super().__init__(parent)
        self.profile = profile
        self._today = today
        self.entries: list[DueEntry] = []
        self.day = today()

        self.heading = QLabel()
        self.heading.setObjectName("todayHeading")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.heading.setFont(font)
        self.counts = QLabel()
        # Long headings may be cut on a narrow window rather than force it wider.
        for label in (self.counts,):
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.sort_box = QComboBox()
        self.sort_box.addItems(list(SORTS))
        self.sort_box.setAccessibleName("Sort the list by")
        self.sort_box.currentTextChanged.connect(lambda _text: self._fill_tree())
        refresh = QPushButton("Refresh")
        refresh.clicked.connect(self.refresh)
        # The heading on its own line, so a narrow window keeps the controls beside the counts.
        top = QHBoxLayout()
        top.addWidget(self.counts, 1)
        top.addWidget(QLabel("Sort by:"))
        top.addWidget(self.sort_box)
        top.addWidget(refresh)

        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Due items")
        self.tree.setHeaderLabels(["Due", "School", "What", "Why"])
        self.tree.setRootIsDecorated(True)
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.tree.setColumnWidth(DUE, 135)
        self.tree.setColumnWidth(SCHOOL, 200)
        self.tree.setColumnWidth(WHAT, 260)
        self.tree.itemActivated.connect(self._activate)
        self.tree.currentItemChanged.connect(self._show_detail)

        self.detail = QLabel("Select an item to see why it is listed.")
        self.detail.setWordWrap(True)
        self.detail.setMinimumWidth(120)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_button = QPushButton("Open")
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(lambda: self._activate(self.tree.currentItem(), 0))
        detail_row = QHBoxLayout()
        detail_row.addWidget(self.detail, 1)
        detail_row.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignTop)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.tree, 1)
        left_layout.addLayout(detail_row)

        self.calendar = QCalendarWidget()
        self.calendar.setAccessibleName("Month of visits and deadlines")
        self.calendar.setGridVisible(True)
        # Weekends in plain text: red is kept for days with something due.
        plain = QTextCharFormat()
        for weekend in (Qt.DayOfWeek.Saturday, Qt.DayOfWeek.Sunday):
            self.calendar.setWeekdayTextFormat(weekend, plain)
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.calendar.currentPageChanged.connect(lambda _y, _m: self._mark_calendar())
        self.calendar.selectionChanged.connect(self._show_day)
        self.day_title = QLabel()
        self.day_list = QListWidget()
        self.day_list.setAccessibleName("Visits and deadlines of the selected day")
        self.day_list.setWordWrap(True)
        self.day_list.itemActivated.connect(self._activate_event)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.calendar)
        right_layout.addWidget(self.day_title)
        right_layout.addWidget(self.day_list, 1)

        self.splitter = QSplitter()
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)

        # Where each program's schools stand against their targets (weakest indicator counts).
        self.programs_line = QLabel()
        self.programs_line.setObjectName("subtle")
        self.programs_line.setWordWrap(True)
        self.programs_line.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.programs_line.setToolTip(
            "Each school counts once, by its weakest indicator this school year: at risk if any"
            " indicator is at risk or not met, no data if a checkpoint has no measurement."
        )

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(top)
        layout.addWidget(self.programs_line)
        layout.addWidget(self.splitter, 1)
        self._events: dict[dt.date, list[DayEvent]] = {}
        self.refresh()

    # --- loading ------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read what is due today again and redraw the list and the calendar."""
        self.day = self._today()
        data = today_data(self.profile, self.day)
        self.entries = data.entries
        self.heading.setText(f"Today, {self.day:%A %-d %B %Y}")
        counts = {g: 0 for g in Group}
        for entry in self.entries:
            counts[entry.group] += 1
        self.counts.setText(
            "   ".join(f"{g.value}: {n}" for g, n in counts.items()) if self.entries else ""
        )
        self.summaries = data.summaries
        self.programs_line.setText(
            "Against targets: " + "   ·   ".join(_summary_text(p) for p in self.summaries)
            if self.summaries
            else ""
        )
        self._fill_tree()
        # Signals off: moving to today's page would mark the month once more.
        blocked = self.calendar.blockSignals(True)
        self.calendar.setSelectedDate(QDate(self.day.year, self.day.month, self.day.day))
        self.calendar.blockSignals(blocked)
        self._mark_calendar()
        self._show_day()
        self.badges_ready.emit(next_due_badges(self.entries))

    def on_changed(self, changes: ChangeSummary) -> None:
        if changes.touches(*WATCHED):
            self.refresh()

    def _fill_tree(self) -> None:
        self.tree.setUpdatesEnabled(False)
        try:
            self._fill_tree_items()
        finally:
            self.tree.setUpdatesEnabled(True)

    def _fill_tree_items(self) -> None:
        self.tree.clear()
        order = SORTS[self.sort_box.currentText()]
        if not self.entries:
            empty = QTreeWidgetItem(["", "Nothing is due across the caseload. Enjoy the day."])
            self.tree.addTopLevelItem(empty)
            return
        index_of = {id(e): i for i, e in enumerate(self.entries)}
        for group in Group:
            members = sorted((e for e in self.entries if e.group is group), key=order)
            if not members:
                continue
            top = QTreeWidgetItem([f"{group.value} ({len(members)})"])
            font = QFont(top.font(0))
            font.setBold(True)
            top.setFont(0, font)
            top.setForeground(0, QBrush(QColor(GROUP_COLOURS[group])))
            top.setFirstColumnSpanned(True)
            self.tree.addTopLevelItem(top)
            top.setFirstColumnSpanned(True)
            children = []
            for entry in members:
                item = QTreeWidgetItem(
                    [
                        _when(entry, self.day),
                        entry.school_name,
                        entry.item.what,
                        entry.item.explanation,
                    ]
                )
                # An index, not the object: PySide6 mishandles reference counts of many
                # Python objects stored in item data (a crash at exit on large lists).
                item.setData(0, ENTRY_ROLE, index_of[id(entry)])
                item.setToolTip(WHY, entry.item.explanation)
                children.append(item)
            top.addChildren(children)
            top.setExpanded(group is not Group.COMING_UP or len(self.entries) < 40)

    # --- acting on an item --------------------------------------------------------------------

    def entry_of(self, item: QTreeWidgetItem | None) -> DueEntry | None:
        """The due entry a row of the list shows (None for a group heading)."""
        index = item.data(0, ENTRY_ROLE) if item is not None else None
        return self.entries[index] if isinstance(index, int) else None

    def _show_detail(self, item: QTreeWidgetItem | None, _previous=None) -> None:
        entry = self.entry_of(item)
        self.open_button.setEnabled(entry is not None)
        if entry is None:
            self.detail.setText("Select an item to see why it is listed.")
            return
        item = entry.item
        self.detail.setText(
            f"<b>{escape(entry.school_name)}</b> ({escape(entry.program_name)}): "
            f"{escape(item.what)}, due {item.due:%a %-d %b %Y} [{item.state.value}]"
            f"<br>{escape(item.explanation)}"
        )
        self.open_button.setText(_open_label(entry))

    def _activate(self, item: QTreeWidgetItem | None, _column: int = 0) -> None:
        entry = self.entry_of(item)
        if entry is not None:
            target = entry.item.target
            self.open_requested.emit(target.school_id, target.kind.value, target.record_id)

    def _activate_event(self, item: QListWidgetItem) -> None:
        picked = self.calendar.selectedDate()
        events = self._events.get(dt.date(picked.year(), picked.month(), picked.day()), [])
        index = item.data(ENTRY_ROLE)
        if not isinstance(index, int) or index >= len(events):
            return
        event = events[index]
        if event.kind == "visit":
            self.open_requested.emit(event.school_id, "visit", event.record_id)
        elif event.entry is not None:
            target = event.entry.item.target
            self.open_requested.emit(target.school_id, target.kind.value, target.record_id)

    # --- the calendar -------------------------------------------------------------------------

    def _mark_calendar(self) -> None:
        year, month = self.calendar.yearShown(), self.calendar.monthShown()
        self.calendar.setDateTextFormat(QDate(), QTextCharFormat())  # clear earlier marks
        self._events = month_events(self.profile, year, month, self.entries)
        for day, events in self._events.items():
            fmt = QTextCharFormat()
            fmt.setFontWeight(QFont.Weight.Bold)
            if any(e.kind == "due" for e in events):
                fmt.setForeground(QBrush(QColor("#b3261e")))
                fmt.setBackground(QBrush(QColor("#fde7e4")))
            else:
                fmt.setForeground(QBrush(QColor("#1f5fa8")))
                fmt.setBackground(QBrush(QColor("#e3eefb")))
            fmt.setToolTip("\n".join(e.text for e in events[:8]))
            self.calendar.setDateTextFormat(QDate(day.year, day.month, day.day), fmt)

    def _show_day(self) -> None:
        picked = self.calendar.selectedDate()
        day = dt.date(picked.year(), picked.month(), picked.day())
        if (day.year, day.month) != (self.calendar.yearShown(), self.calendar.monthShown()):
            return
        events = self._events.get(day, [])
        self.day_title.setText(
            f"{day:%A %-d %B}: " + (f"{len(events)} item(s)" if events else "nothing")
        )
        self.day_list.clear()
        for index, event in enumerate(events):
            item = QListWidgetItem(event.text)
            item.setData(ENTRY_ROLE, index)
            self.day_list.addItem(item)

    def badges(self) -> dict:
        """Each school's most pressing item, for the caseload's "Next due" column."""
        return next_due_badges(self.entries)

    def day_events(self) -> list[str]:
        """The lines listed under the selected day (for tests and screen readers)."""
        return [self.day_list.item(i).text() for i in range(self.day_list.count())]


def _summary_text(p) -> str:
    """One program's schools against their targets, in a few words."""
    if p.no_indicators == p.total:
        return f"{p.program_name}: tracked by action plans, no indicators"
    text = f"{p.program_name}: {p.on_track} on track, {p.at_risk} at risk, {p.no_data} no data"
    return text + (f", {p.no_indicators} without indicators" if p.no_indicators else "")


_MONTHS = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _when(entry: DueEntry, today: dt.date) -> str:
    # Plain formatting rather than strftime: this runs once per row of a long list.
    due = entry.item.due
    days = (due - today).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days == -1:
        return "yesterday"
    if -7 < days < 0:
        return f"{-days} days ago"
    if days < 0:
        return f"{due.day} {_MONTHS[due.month]} {due.year}"
    if days < 7:
        return _DAYS[due.weekday()]
    return f"{due.day} {_MONTHS[due.month]}"


def _open_label(entry: DueEntry) -> str:
    kind = entry.item.target.kind.value
    if kind == "visit":
        return (
            "Open the visit" if entry.item.target.record_id else "Open the school to plan a visit"
        )
    return "Open the school"
