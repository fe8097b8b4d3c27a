"""The Today area: what is overdue, due today, this week and coming up across the caseload, each
with the rule's reason, and a month calendar of visits and deadlines.

Opening an item emits `open_requested(school_id, kind, record_id)`; the main window shows the
school page or the visit. The list is read through plain SQL (coachdesk.core.tracking_records), so
building it stays quick on a large caseload.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html import escape

from PySide6.QtCore import QDate, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QFont, QTextCharFormat
from PySide6.QtWidgets import (
    QAbstractItemView,
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
    QTableView,
    QVBoxLayout,
    QWidget,
)

from coachdesk.core.changes import ChangeSummary
from coachdesk.core.dates_text import day_heading, weekday_date
from coachdesk.core.record_types import DUE_INPUTS
from coachdesk.core.store.profile import Profile
from coachdesk.core.tracking_records.calendar import DayEvent, month_events
from coachdesk.core.tracking_records.due import (
    DueEntry,
    Group,
    TodayData,
    next_due_badges,
    today_data,
)
from coachdesk.ui.change_bus import bus_for
from coachdesk.ui.columns import share_columns
from coachdesk.ui.style import colour, on_scheme_change
from coachdesk.ui.today.due_model import DUE, HEADERS, SCHOOL, WHAT, DueListModel

ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
SORTS = {
    "Most pressing first": lambda e: e.item.sort_key(),
    "Due date": lambda e: (e.item.due, e.school_name),
    "School": lambda e: (e.school_name, e.item.due),
    "Program": lambda e: (e.program_code, e.item.due, e.school_name),
}


class TodayView(QWidget):
    open_requested = Signal(str, str, object)  # school id, kind (visit, indicator...), record id
    badges_ready = Signal(object)  # {school id: Badge}, for the caseload's "Next due" column

    def __init__(
        self,
        profile: Profile,
        parent: QWidget | None = None,
        *,
        today: Callable[[], dt.date] = dt.date.today,
        data: TodayData | None = None,
    ) -> None:
        """`data`, when given, is today's list already judged (the window judges it once after
        its first paint for the caseload's badges), so opening Today need not judge it again."""
        super().__init__(parent)
        self.profile = profile
        self._today = today
        bus_for(profile).subscribe(self.on_changed, watching=DUE_INPUTS)
        self.entries: list[DueEntry] = []
        self.day = today()

        self.heading = QLabel()
        self.heading.setObjectName("todayHeading")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.heading.setFont(font)
        self.counts = QLabel()
        # On a narrow window the counts wrap onto two lines rather than force it wider.
        self.counts.setWordWrap(True)
        self.counts.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.sort_box = QComboBox()
        self.sort_box.addItems(list(SORTS))
        self.sort_box.setAccessibleName("Sort the list by")
        self.sort_box.currentTextChanged.connect(lambda _text: self._fill_tree(refold=False))
        refresh = QPushButton("Refresh")
        refresh.clicked.connect(self.refresh)
        # The heading on its own line, so a narrow window keeps the controls beside the counts.
        top = QHBoxLayout()
        top.addWidget(self.counts, 1)
        top.addWidget(QLabel("Sort by:"))
        top.addWidget(self.sort_box)
        top.addWidget(refresh)

        self.model = DueListModel(self)
        self.tree = QTableView()
        self.tree.setAccessibleName("Due items")
        self.tree.setModel(self.model)
        self.tree.setAlternatingRowColors(True)
        self.tree.setShowGrid(False)
        self.tree.setWordWrap(False)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setTabKeyNavigation(False)
        rows = self.tree.verticalHeader()
        rows.hide()
        # Fixed heights: the view never measures rows it does not paint.
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.tree.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        # What each needs, at most a share of the width: the rule's sentence (Why) keeps room.
        share_columns(self.tree, {DUE: 0.16, SCHOOL: 0.24, WHAT: 0.32})
        self.tree.activated.connect(self._activate)
        self.tree.selectionModel().currentRowChanged.connect(self._show_detail)

        self.detail = QLabel("Select an item to see why it is listed.")
        self.detail.setWordWrap(True)
        self.detail.setMinimumWidth(120)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_button = QPushButton("Open")
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(lambda: self._activate(self.tree.currentIndex()))
        detail_row = QHBoxLayout()
        detail_row.addWidget(self.detail, 1)
        detail_row.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignTop)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.tree, 1)
        left_layout.addLayout(detail_row)

        self.calendar = QCalendarWidget()
        on_scheme_change(self._mark_calendar)  # its marks are drawn in our colours
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
        self.refresh(data)

    # --- loading ------------------------------------------------------------------------------

    def refresh(self, data: TodayData | None = None) -> None:
        """Read what is due today again (unless `data` is today's, judged already) and redraw
        the list and the calendar."""
        self.day = self._today()
        if data is None or data.day != self.day:
            data = today_data(self.profile, self.day)
        self.entries = data.entries
        self.heading.setText(f"Today, {day_heading(self.day, year=True)}")
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

    def on_changed(self, changes: ChangeSummary, initiator: object) -> None:
        self.refresh()

    def _fill_tree(self, *, refold: bool = True) -> None:
        if refold:
            self.model.fold_long_lists(len(self.entries))
        self.model.set_entries(self.entries, self.day, SORTS[self.sort_box.currentText()])
        self._span_headings()
        self._show_detail(QModelIndex())

    def _span_headings(self) -> None:
        # A heading reads across the row; the spans go with the rows when groups fold.
        self.tree.clearSpans()
        for row in self.model.heading_rows():
            self.tree.setSpan(row, 0, 1, len(HEADERS))

    # --- acting on an item --------------------------------------------------------------------

    def entry_of(self, index: QModelIndex | None) -> DueEntry | None:
        """The due entry a row of the list shows (None for a group heading)."""
        return self.model.entry_at(index) if index is not None else None

    def entry_index(self, group: Group, position: int) -> QModelIndex:
        """The row showing a group's `position`-th entry (invalid while the group is folded)."""
        row = self.model.row_of(group, position)
        return self.model.index(row, 0) if row is not None else QModelIndex()

    def group_titles(self) -> list[str]:
        """The group headings as listed ("▾ Overdue (12)", ...), or the empty-list line."""
        return self.model.group_titles()

    def toggle_group(self, row: int) -> bool:
        """Fold or unfold the group whose heading is `row`."""
        if not self.model.toggle(row):
            return False
        self._span_headings()
        self.tree.setCurrentIndex(self.model.index(row, 0))
        return True

    def _show_detail(self, index: QModelIndex, _previous=None) -> None:
        entry = self.entry_of(index)
        self.open_button.setEnabled(entry is not None)
        if entry is None:
            self.detail.setText("Select an item to see why it is listed.")
            return
        item = entry.item
        self.detail.setText(
            f"<b>{escape(entry.school_name)}</b> ({escape(entry.program_name)}): "
            f"{escape(item.what)}, due {weekday_date(item.due, year=True)} [{item.state.value}]"
            f"<br>{escape(item.explanation)}"
        )
        self.open_button.setText(_open_label(entry))

    def _activate(self, index: QModelIndex) -> None:
        entry = self.entry_of(index)
        if entry is None and index.isValid():
            self.toggle_group(index.row())
        elif entry is not None:
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
        else:  # an imported event: its (first) school
            self.open_requested.emit(event.school_id, "obligation", event.record_id)

    # --- the calendar -------------------------------------------------------------------------

    def _mark_calendar(self) -> None:
        year, month = self.calendar.yearShown(), self.calendar.monthShown()
        self.calendar.setDateTextFormat(QDate(), QTextCharFormat())  # clear earlier marks
        self._events = month_events(self.profile, year, month, self.entries)
        for day, events in self._events.items():
            fmt = QTextCharFormat()
            fmt.setFontWeight(QFont.Weight.Bold)
            if any(e.kind == "due" for e in events):
                fmt.setForeground(QBrush(colour("danger")))
                fmt.setBackground(QBrush(colour("danger_bg")))
            else:
                fmt.setForeground(QBrush(colour("accent")))
                fmt.setBackground(QBrush(colour("accent_bg")))
            fmt.setToolTip("\n".join(e.text for e in events[:8]))
            self.calendar.setDateTextFormat(QDate(day.year, day.month, day.day), fmt)

    def _show_day(self) -> None:
        picked = self.calendar.selectedDate()
        day = dt.date(picked.year(), picked.month(), picked.day())
        if (day.year, day.month) != (self.calendar.yearShown(), self.calendar.monthShown()):
            return
        events = self._events.get(day, [])
        self.day_title.setText(
            f"{day_heading(day)}: " + (f"{len(events)} item(s)" if events else "nothing")
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


def _open_label(entry: DueEntry) -> str:
    kind = entry.item.target.kind.value
    if kind == "visit":
        return (
            "Open the visit" if entry.item.target.record_id else "Open the school to plan a visit"
        )
    return "Open the school"
