"""The Today area: what is overdue, due today, this week and coming up across the caseload, each
with the rule's reason, and a month calendar of visits and deadlines.

Every item has one button, named for what it does (ui/today/item_actions.py): it closes the item
where it is listed ("Mark as submitted…", "Mark the note shared…", "Mark done"), and the status
bar offers Undo, or it opens the place to act: `open_requested(school_id, kind, record_id)`,
kind "plan_visit" to start a visit at the school. Enter or a double-click on an item opens it,
never closes it: an item that closes here opens its school, and its button (Tab, then Space)
closes it. The list
is filtered by program and by district or school (ui/today/filters.py); the counts follow.
The list is read through plain SQL (coachdesk.core.tracking_records), so building it stays quick
on a large caseload.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html import escape

from PySide6.QtCore import QDate, QModelIndex, QSize, Qt, Signal
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
    QMenu,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from coachdesk.core.changes import ChangeSummary
from coachdesk.core.dates_text import day_heading, month_name, weekday_date
from coachdesk.core.errors import CoachdeskError
from coachdesk.core.record_types import DUE_INPUTS
from coachdesk.core.store.profile import Profile
from coachdesk.core.tracking_records.calendar import DayEvent, month_events
from coachdesk.core.tracking_records.closing import close_due, reopen_due
from coachdesk.core.tracking_records.due import (
    DueEntry,
    Group,
    TodayData,
    next_due_badges,
    today_data,
)
from coachdesk.core.tracking_rules.facts import Act, Closing
from coachdesk.ui import dialogs
from coachdesk.ui.change_bus import bus_for
from coachdesk.ui.columns import share_columns
from coachdesk.ui.date_input import CALENDAR_NAMES
from coachdesk.ui.flow_layout import FlowLayout
from coachdesk.ui.item_views import tab_leaves, wrap_line_across
from coachdesk.ui.style import colour, on_scheme_change
from coachdesk.ui.today.due_model import (
    DUE,
    EMPTY_TEXT,
    HEADERS,
    NO_SCHOOLS_TEXT,
    SCHOOL,
    WHAT,
    DueListModel,
    summary_text,
)
from coachdesk.ui.today.filters import TodayFilters
from coachdesk.ui.today.item_actions import (
    accessible_name,
    act_label,
    ask_to_close,
    closes_here,
    done_words,
    excuse_closing,
    open_label,
)
from coachdesk.ui.today.undo_offer import UndoOffer

ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
SORTS = {
    "Most pressing first": lambda e: e.item.sort_key(),
    "Due date": lambda e: (e.item.due, e.school_name),
    "School": lambda e: (e.school_name, e.item.due),
    "Program": lambda e: (e.program_code, e.item.due, e.school_name),
}


class _SideScroll(QScrollArea):
    """The calendar side: it scrolls when the room is short (twice the text on a small screen),
    and keeps at least half the month's width in view."""

    def __init__(self, inside: QWidget) -> None:
        super().__init__()
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setWidget(inside)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        width = self.widget().minimumSizeHint().width() // 2
        return QSize(width, super().minimumSizeHint().height())

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        # The whole month, unless that would take more than two fifths of the row from the list.
        width = (
            self.widget().minimumSizeHint().width() + self.verticalScrollBar().sizeHint().width()
        )
        room = self.parentWidget().width() if self.parentWidget() else 0
        if room > 0:
            width = min(width, room * 2 // 5)
        return QSize(width, super().sizeHint().height())


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
        self.setAccessibleName("Today")  # a named region for a screen reader
        self._today = today
        self.bus = bus_for(profile)
        self.bus.subscribe(self.on_changed, watching=DUE_INPUTS)
        self.entries: list[DueEntry] = []  # every item of the day (the badges, the calendar)
        self.shown: list[DueEntry] = []  # those the filters let through (the list, the counts)
        self.day = today()
        self._folded_once = False
        self._select_key: str | None = None  # after Undo: the item to select again

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
        refresh.clicked.connect(lambda: self.refresh())
        self.filters = TodayFilters(profile, self)
        self.filters.changed.connect(self._filter_changed)
        # The heading on its own line, then the filters and the order (wrapping onto a second
        # line at twice the text on a small screen), then the counts.
        sort = QWidget()
        sort_row = QHBoxLayout(sort)
        sort_row.setContentsMargins(0, 0, 0, 0)
        sort_label = QLabel("Sort by:")
        sort_label.setBuddy(self.sort_box)
        sort_row.addWidget(sort_label)
        sort_row.addWidget(self.sort_box)
        sort_row.addWidget(refresh)
        top = QWidget()
        top_row = FlowLayout(top, left=True)  # the filters start under the title
        top_row.addWidget(self.filters)
        top_row.addWidget(sort)

        self.model = DueListModel(self)
        self.tree = tab_leaves(QTableView())
        self.tree.setAccessibleName("Due items")
        self.tree.setModel(self.model)
        self.tree.setAlternatingRowColors(True)
        self.tree.setShowGrid(False)
        self.tree.setWordWrap(False)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
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
        header.sectionResized.connect(lambda *_: self._fit_empty_line())  # the list's width
        self.tree.activated.connect(self._activate)  # Enter or a double-click opens the item
        self.tree.selectionModel().currentRowChanged.connect(self._show_detail)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._context_menu)

        self.detail = QLabel("Select an item to see why it is listed.")
        self.detail.setWordWrap(True)
        self.detail.setMinimumWidth(120)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # The selected item's one button: it acts on the item or closes it.
        self.act_button = QPushButton("Open")
        self.act_button.setEnabled(False)
        self.act_button.setAutoDefault(False)
        self.act_button.clicked.connect(self._press)
        self.open_button = self.act_button  # its earlier name
        detail_row = QHBoxLayout()
        detail_row.addWidget(self.detail, 1)
        detail_row.addWidget(self.act_button, 0, Qt.AlignmentFlag.AlignTop)
        self.undo = UndoOffer(self)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.tree, 1)
        left_layout.addLayout(detail_row)
        left_layout.addWidget(self.undo)  # moves to the window's status bar when first offered

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
        self._name_calendar()
        self.calendar.currentPageChanged.connect(self._name_days)
        self.calendar.selectionChanged.connect(self._show_day)
        self.day_title = QLabel()
        self.day_list = QListWidget()
        self.day_list.setAccessibleName("Visits and deadlines of the selected day")
        self.day_list.setWordWrap(True)
        self.day_list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.day_list.itemActivated.connect(self._activate_event)
        right = QWidget()
        # When the room is short (twice the text on a small screen) the month scrolls.
        right_side = _SideScroll(right)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.calendar)
        right_layout.addWidget(self.day_title)
        right_layout.addWidget(self.day_list, 1)

        self.splitter = QSplitter()
        self.splitter.addWidget(left)
        self.splitter.addWidget(right_side)
        self.splitter.setStretchFactor(0, 1)  # the list takes the room the month does not need
        self.splitter.setStretchFactor(1, 0)

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
        layout.addWidget(top)
        layout.addWidget(self.counts)
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
        self.model.empty_text = EMPTY_TEXT if data.on_caseload else NO_SCHOOLS_TEXT
        self.heading.setText(f"Today, {day_heading(self.day, year=True)}")
        self.filters.fill(self.entries)
        self.summaries = data.summaries
        self.programs_line.setText(
            "Against targets: " + "   ·   ".join(summary_text(p) for p in self.summaries)
            if self.summaries
            else ""
        )
        self.programs_line.setVisible(bool(self.summaries))  # no empty line's gap
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

    def _filter_changed(self) -> None:
        self._folded_once = False  # a short filtered list opens unfolded
        current = self.entry_of(self.tree.currentIndex())
        if current is None or not self.filters.matches(current):
            self.tree.setCurrentIndex(QModelIndex())  # nothing to keep: the list from the top
        self._fill_tree()
        if self.entry_of(self.tree.currentIndex()) is None:
            self.tree.scrollToTop()

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt override
        if not event.spontaneous():  # another area or page, not a minimized window
            self.undo.withdraw()  # Undo is offered where the item was closed
        super().hideEvent(event)

    def _show_counts(self) -> None:
        counts = {g: 0 for g in Group}
        for entry in self.shown:
            counts[entry.group] += 1
        if not counts[Group.LAST_YEAR]:
            del counts[Group.LAST_YEAR]
        text = "   ".join(f"{g.value}: {n}" for g, n in counts.items()) if self.shown else ""
        if self.filters.active:
            shown = f"{len(self.shown)} of {len(self.entries)} items"
            text = f"{self.filters.describe()}: {shown}" + (f"   {text}" if text else "")
        self.counts.setText(text)
        self.counts.setVisible(bool(text))  # no empty line's gap above the list

    def _fill_tree(self, *, refold: bool = True) -> None:
        """Show the entries the filters let through, keeping the place in the list: the item
        selected before stays selected, or, when it has gone (closed), the one after it."""
        current = self.entry_of(self.tree.currentIndex())
        row = self.tree.currentIndex().row()
        scrolled = self.tree.verticalScrollBar().value()
        keep = self._select_key or (current.item.key if current is not None else None)
        self._select_key = None
        self.shown = [e for e in self.entries if self.filters.matches(e)]
        if refold and not self._folded_once:  # later, the coach's folding stays
            self.model.fold_long_lists(len(self.shown))
            self._folded_once = True
        self.model.set_entries(self.shown, self.day, SORTS[self.sort_box.currentText()])
        self._span_headings()
        self._show_counts()
        self.tree.verticalScrollBar().setValue(scrolled)
        index = self._index_after(keep, row) if keep is not None else QModelIndex()
        if index.isValid():
            self.tree.setCurrentIndex(index)
        else:
            self._show_detail(QModelIndex())

    def _index_after(self, key: str, row: int) -> QModelIndex:
        """The row showing `key`, or else the first entry at or after `row` (else before)."""
        model = self.model
        for r in range(model.rowCount()):
            entry = model.entry_in_row(r)
            if entry is not None and entry.item.key == key:
                return model.index(r, 0)
        after = [r for r in range(max(row, 0), model.rowCount()) if model.entry_in_row(r)]
        before = [r for r in range(min(row, model.rowCount()) - 1, -1, -1) if model.entry_in_row(r)]
        found = (after or before or [None])[0]
        return model.index(found, 0) if found is not None else QModelIndex()

    def _span_headings(self) -> None:
        # A heading reads across the row; the spans go with the rows when groups fold.
        self.tree.clearSpans()
        for row in self.model.heading_rows():
            self.tree.setSpan(row, 0, 1, len(HEADERS))
        self._fit_empty_line()

    def _fit_empty_line(self) -> None:
        # A new coach's first Today says where to start: its one line wraps whole.
        wrap_line_across(self.tree, self.model.empty_text if self.model.is_empty() else None)

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
        self.act_button.setEnabled(entry is not None)
        if entry is None:
            self.detail.setText("Select an item to see why it is listed.")
            self.act_button.setText("Open")
            self.act_button.setAccessibleName("Act on the selected item")
            return
        item = entry.item
        self.detail.setText(
            f"<b>{escape(entry.school_name)}</b> ({escape(entry.program_name)}): "
            f"{escape(item.what)}, due {weekday_date(item.due, year=True)} [{item.state.value}]"
            f"<br>{escape(item.explanation)}"
        )
        label = act_label(entry)
        self.act_button.setText(label)
        self.act_button.setAccessibleName(accessible_name(entry, label))
        self.act_button.setToolTip(item.how or label)

    def first_control(self) -> QWidget:
        """Where the keyboard goes when Today is opened: the due list, not its filters (what is
        due is what a coach opens Today for; the filters are one Shift+Tab away)."""
        return self.tree

    def _activate(self, index: QModelIndex) -> None:
        entry = self.entry_of(index)
        if entry is None and index.isValid():
            self.toggle_group(index.row())
        elif entry is None:
            return
        elif entry.item.act is Act.MARK_DONE or closes_here(entry):
            # Opening must never close: a coach who presses Enter to look at a next step
            # would see it vanish. Closing is the button's, named for what it does.
            self.open_item(entry)
        else:
            self.act_on(entry)

    def _press(self) -> None:
        entry = self.entry_of(self.tree.currentIndex())
        if entry is not None:
            self.act_on(entry)

    def act_on(self, entry: DueEntry) -> None:
        """What the item's one button does: close it here, or open the place to act."""
        item = entry.item
        if item.act is Act.MARK_DONE:
            try:
                changes = close_due(self.profile, item.key, on=self.day, today=self.day)
            except CoachdeskError as exc:
                dialogs.show_error(self, "Not marked done", str(exc))
                return
            self._closed(entry, changes)
        elif closes_here(entry):
            self.close_item(entry)
        else:
            self.open_item(entry, plan=item.act is Act.PLAN_VISIT)

    def close_item(self, entry: DueEntry, closing: Closing | None = None) -> bool:
        """Ask for the day (and a note) and close the item; True when it was closed."""
        changes = ask_to_close(self, self.profile, entry, today=self.day, closing=closing)
        if changes is None:
            return False
        self._closed(entry, changes, closing)
        return True

    def open_item(self, entry: DueEntry, *, plan: bool = False) -> None:
        """Open the item's visit or school; `plan` starts a new visit there when none is."""
        target = entry.item.target
        if plan and not target.record_id:
            self.open_requested.emit(target.school_id, "plan_visit", None)
        else:
            self.open_requested.emit(target.school_id, target.kind.value, target.record_id)

    def _closed(self, entry: DueEntry, changes: ChangeSummary, closing=None) -> None:
        self.bus.publish(changes, initiator=self)
        self.refresh()  # the item leaves the list; the one after it is selected
        self.undo.offer(done_words(entry, closing), lambda: self._reopen(entry), view=self)
        self.tree.setFocus()

    def _reopen(self, entry: DueEntry) -> None:
        try:
            changes = reopen_due(self.profile, entry.item.key)
        except CoachdeskError as exc:
            dialogs.show_error(self, "Not undone", str(exc))
            return
        self.bus.publish(changes, initiator=self)
        self._select_key = entry.item.key
        self.refresh()
        self.tree.setFocus()

    def menu_actions(self, entry: DueEntry) -> list[tuple[str, Callable[[], object]]]:
        """The item's context menu: its button, opening its record, and marking a passed month
        or window excused when the button opens something instead."""
        found: list[tuple[str, Callable[[], object]]] = [
            (act_label(entry), lambda: self.act_on(entry))
        ]
        if closes_here(entry) or entry.item.act is Act.PLAN_VISIT:
            found.append((open_label(entry), lambda: self.open_item(entry)))
        excuse = excuse_closing(entry)
        if excuse is not None:
            found.append((f"{excuse.verb}…", lambda: self.close_item(entry, excuse)))
        return found

    def _context_menu(self, position) -> None:
        index = self.tree.indexAt(position)
        entry = self.entry_of(index)
        if entry is None:
            return
        self.tree.setCurrentIndex(index)
        menu = QMenu(self)
        for label, run in self.menu_actions(entry):
            menu.addAction(label, run)
        menu.popup(self.tree.viewport().mapToGlobal(position))

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

    def _name_calendar(self) -> None:
        """Name the calendar's own controls as a date input's calendar names them: Qt leaves
        its month buttons and its grid of days without a name a screen reader can say."""
        for object_name, name in CALENDAR_NAMES.items():
            button = self.calendar.findChild(QToolButton, object_name)
            if button is not None:
                button.setAccessibleName(name)
                button.setToolTip(name)
        year = self.calendar.findChild(QSpinBox, "qt_calendar_yearedit")
        if year is not None:
            year.setAccessibleName("Year")
        self._name_days(self.calendar.yearShown(), self.calendar.monthShown())

    def _name_days(self, year: int, month: int) -> None:
        grid = self.calendar.findChild(QWidget, "qt_calendar_calendarview")
        if grid is not None:
            grid.setAccessibleName(f"Days of {month_name(dt.date(year, month, 1))} {year}")
            grid.setAccessibleDescription(
                "Days in bold have visits or deadlines, underlined ones something due. Arrow keys "
                "move the day; its visits and deadlines are listed below, Enter on one opens it"
            )

    def _mark_calendar(self) -> None:
        year, month = self.calendar.yearShown(), self.calendar.monthShown()
        self.calendar.setDateTextFormat(QDate(), QTextCharFormat())  # clear earlier marks
        self._events = month_events(self.profile, year, month, self.entries)
        for day, events in self._events.items():
            fmt = QTextCharFormat()
            fmt.setFontWeight(QFont.Weight.Bold)
            if any(e.kind == "due" for e in events):
                # Underlined as well as red: a day with something due is not told by colour alone.
                fmt.setFontUnderline(True)
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
            f"{day_heading(day)}: "
            + (f"{len(events)} item{'' if len(events) == 1 else 's'}" if events else "nothing")
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
