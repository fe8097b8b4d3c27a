"""The Roll-up area: what the coaches' bundles add up to, per coach and per school.

    window.add_lazy_area("rollup", "Roll-up", lambda: build_rollup_area(profile, window))

A supervisor's profile holds the caseloads of the coaches whose bundles it imported. This area
shows them as two sortable tables (one line per coach, one per coach's school) read by
`coachdesk.reports.rollup_data.build_rollup` (through `reading.rollup_of`, off the GUI thread),
filtered by program, region and coach; who prepared it and as of when are said above them.
Enter or a double-click on a school opens it: the supervisor's own school on its caseload page,
a coach's school on a read-only page (school_view.py). Export CSV… and Print… use the same
roll-up, written by reports/rollup_csv.py and reports/rollup_report.py in the background.

The area listens on the change bus for what the roll-up reads, so an import refreshes it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from coachdesk.core.changes import ChangeSummary
from coachdesk.core.dates_text import medium_date
from coachdesk.core.record_types import DUE_INPUTS
from coachdesk.core.store.profile import Profile
from coachdesk.ui.announce import announce, tell_current_cell
from coachdesk.ui.change_bus import bus_for
from coachdesk.ui.item_views import tab_leaves
from coachdesk.ui.rollup.school_view import RollupSchoolView
from coachdesk.ui.rollup.table_model import (
    COACH_COLUMNS,
    LINE_ROLE,
    SCHOOL_COLUMNS,
    LineModel,
    sorted_view,
)
from coachdesk.ui.work import run_in_background

logger = logging.getLogger(__name__)

# What the roll-up reads: what is due (visits, next steps, obligations, indicators, stages,
# flags, assignments, schools) and the coaches' names and regions.
SHOWN_RECORDS = DUE_INPUTS | {"coach"}
EVERY = "All"
ACCESSIBLE = Qt.ItemDataRole.AccessibleTextRole
HEADER_PADDING = 6  # QHeaderView::section's side padding in the style sheet (style.py)
SCHOOL_ROWS_KEPT = 4  # the schools' table is never shorter: the area scrolls instead
COACH_ROWS_SHOWN = 5  # then the coaches' table scrolls; the schools' table takes the rest


def build_rollup_area(profile: Profile, window: Any = None) -> QWidget:
    """The Roll-up area of this profile's window (`window` opens the supervisor's own schools
    on the caseload's pages)."""
    return RollupArea(profile, window)


class RollupArea(QWidget):
    """Per coach and per school: visits against the cadence, overdue, indicators, stages."""

    def __init__(
        self,
        profile: Profile,
        window: Any = None,
        parent: QWidget | None = None,
        *,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        super().__init__(parent)
        self.profile = profile
        self.window_ = window
        self.today = today
        self.rollup: Any = None
        self._asked = 0  # the newest read asked for: an older one arriving late is dropped
        self._stale = True
        self._own_coach: str | None = None
        self.setAccessibleName("Roll-up")  # a named region for a screen reader
        self.bus = bus_for(profile)
        self.bus.subscribe(self.on_changed, watching=SHOWN_RECORDS)

        self.title = QLabel("Roll-up")
        self.title.setObjectName("areaTitle")
        self.prepared = QLabel("Reading the coaches' caseloads…")
        self.prepared.setObjectName("subtle")
        self.prepared.setWordWrap(True)
        self.prepared.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.program = self._choice("Program")
        self.region = self._choice("Region")
        self.coach = self._choice("Coach")
        self.export_button = QPushButton("Export CSV…")
        self.export_button.setToolTip("Save the roll-up as shown (filters applied) as a CSV file")
        self.export_button.clicked.connect(self.export_csv)
        self.print_button = QPushButton("Print…")
        self.print_button.setToolTip("Preview the roll-up as a landscape report, then print it")
        self.print_button.clicked.connect(self.print_rollup)
        filters = QHBoxLayout()
        for label, combo in (
            ("&Program", self.program),
            ("Regio&n", self.region),
            ("C&oach", self.coach),
        ):
            caption = QLabel(label)
            caption.setBuddy(combo)
            filters.addWidget(caption)
            filters.addWidget(combo, 1)

        self.coach_model = LineModel(COACH_COLUMNS, name=lambda c: c.coach, parent=self)
        self.coaches = self._table(self.coach_model, "Coaches")
        self.coaches.activated.connect(self._coach_chosen)
        self.school_model = LineModel(SCHOOL_COLUMNS, name=lambda s: s.school, parent=self)
        self.schools = self._table(self.school_model, "Schools")
        self.schools.activated.connect(self._school_chosen)
        self.coaches_title = _section("Coaches", self.coaches)
        self.schools_title = _section("Schools", self.schools)
        self.schools_hint = QLabel(
            "Enter or a double-click opens a school; a coach's school opens read-only."
        )
        self.schools_hint.setObjectName("subtle")
        self.schools_hint.setWordWrap(True)  # never what makes the window wider than the screen
        self.schools_hint.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.stages = QLabel()
        self.stages.setObjectName("subtle")
        self.stages.setWordWrap(True)
        self.withheld = QLabel()
        self.withheld.setObjectName("subtle")
        self.withheld.setWordWrap(True)
        self.empty = QLabel(
            "No coach's caseload here yet. Import your coaches' bundles: File ▸ Import a "
            "folder of bundles…"
        )
        self.empty.setWordWrap(True)
        self.empty.hide()

        overview = QWidget()
        layout = QVBoxLayout(overview)
        layout.setContentsMargins(0, 0, 0, 0)
        heading = QHBoxLayout()  # one line: the schools' table gets the height on a small laptop
        heading.addWidget(self.title)
        heading.addSpacing(12)
        heading.addWidget(self.prepared, 1, Qt.AlignmentFlag.AlignBottom)
        heading.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignBottom)
        heading.addWidget(self.print_button, 0, Qt.AlignmentFlag.AlignBottom)
        layout.addLayout(heading)
        layout.addLayout(filters)
        layout.addWidget(self.empty, 1, Qt.AlignmentFlag.AlignTop)  # hidden once lines show
        layout.addWidget(self.coaches_title)
        layout.addWidget(self.coaches)
        schools_heading = QHBoxLayout()
        schools_heading.addWidget(self.schools_title)
        schools_heading.addWidget(self.schools_hint, 1)
        layout.addLayout(schools_heading)
        layout.addWidget(self.schools, 1)
        layout.addWidget(self.stages)
        layout.addWidget(self.withheld)

        self.school_view = RollupSchoolView(profile, today=today)
        self.school_view.back.connect(self.back_to_rollup)
        self.pages = QStackedWidget()
        # With twice the text on a small laptop the roll-up is taller than the screen: it
        # scrolls as a whole, the schools' table keeping a few rows in view.
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(overview)
        self.pages.addWidget(scroll)
        self.pages.addWidget(self.school_view)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.pages)

    # --- building ---------------------------------------------------------------------------------

    def _choice(self, name: str) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(name)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(8)
        combo.addItem(f"{EVERY} {name.lower()}s" if name != "Coach" else "All coaches", None)
        combo.currentIndexChanged.connect(lambda _i: self.reload())
        return combo

    def _table(self, model: LineModel, name: str) -> QTableView:
        view = tell_current_cell(tab_leaves(QTableView()))
        view.setAccessibleName(name)
        view.setModel(sorted_view(model))
        view.setSortingEnabled(True)
        view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setAlternatingRowColors(True)
        view.setWordWrap(False)
        view.verticalHeader().setVisible(False)
        # A line of text and a little air: more schools in view on a 640-pixel-high screen.
        view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)  # sized by _fit_columns
        header.setStretchLastSection(False)
        header.setHighlightSections(False)
        # The sorted column shows an arrow: room for it wherever the supervisor sorts.
        header.sortIndicatorChanged.connect(lambda *_: _fit_columns(view))
        return view

    # --- reading ----------------------------------------------------------------------------------

    def chosen_filter(self) -> Any:
        from coachdesk.reports.rollup_data import RollupFilter

        return RollupFilter(
            program=self.program.currentData(),
            region=self.region.currentData(),
            coach_id=self.coach.currentData(),
        )

    def reload(self) -> None:
        """Read the roll-up again (off the GUI thread) with the filters chosen."""
        from coachdesk.ui.rollup.reading import own_coach_id, rollup_of

        self._stale = False
        self._asked += 1
        asked, chosen, today = self._asked, self.chosen_filter(), self.today()

        def read() -> tuple[Any, str | None]:
            return rollup_of(self.profile, chosen, today=today), own_coach_id(self.profile)

        run_in_background(
            self, read, on_success=lambda found: self._show(asked, *found), on_failure=self._failed
        )

    def _failed(self, exc: BaseException) -> None:
        from coachdesk.ui import dialogs

        logger.warning("the roll-up could not be read: %s", exc)
        self.prepared.setText(f"The roll-up could not be read. {dialogs.describe(exc)}")
        announce(self, self.prepared.text(), urgent=True)

    def _show(self, asked: int, rollup: Any, own_coach: str | None) -> None:
        if asked != self._asked:
            return  # a newer read is on its way
        self.rollup, self._own_coach = rollup, own_coach
        self._offer(self.program, rollup.programs)
        self._offer(self.region, rollup.regions)
        self._offer(self.coach, rollup.coach_choices)
        self.coach_model.set_lines(rollup.coaches)
        self.school_model.set_lines(rollup.schools)
        self._hide_columns_without_lines(rollup)
        for view in (self.coaches, self.schools):
            _fit_columns(view)
        self._fit_coaches()
        held = bool(rollup.coach_choices)
        self.empty.setVisible(not held)
        for widget in (self.coaches_title, self.coaches, self.schools_title, self.schools):
            widget.setVisible(held)
        self.schools_hint.setVisible(held and bool(rollup.schools))
        self.prepared.setText(self.prepared_sentence())
        self.stages.setText(stages_sentence(rollup.nnps_stages))
        self.stages.setVisible(bool(rollup.nnps_stages))
        withheld = sum(s.indicators.suppressed for s in rollup.schools)
        self.withheld.setText(
            f"Withheld: {withheld} indicator{'s' if withheld != 1 else ''} whose latest result "
            "comes from too few students to show (small cells are suppressed, as in print)."
        )
        self.withheld.setVisible(withheld > 0)
        self.export_button.setEnabled(bool(rollup.schools))
        self.print_button.setEnabled(bool(rollup.schools))

    def _fit_coaches(self) -> None:
        """The coaches' table as tall as its rows, but never more than a third of the area:
        with twice the text on a small laptop, the schools' table still shows some."""
        _fit_rows(self.coaches, most=COACH_ROWS_SHOWN, tallest=max(self.height() // 3, 90))
        rows = SCHOOL_ROWS_KEPT * self.schools.verticalHeader().defaultSectionSize()
        header = self.schools.horizontalHeader().sizeHint().height()
        scroll_bar = self.schools.horizontalScrollBar().sizeHint().height()
        self.schools.setMinimumHeight(header + rows + scroll_bar + 2 * self.schools.frameWidth())

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._fit_coaches()

    def _hide_columns_without_lines(self, rollup: Any) -> None:
        """Program-specific columns only when a line of that program is shown: no empty PM
        meetings column for NY and OH alone, no stage or phase for NY alone."""
        shown = {s.program for s in rollup.schools}
        stage = self.school_model.column_of("Stage or phase")
        self.schools.setColumnHidden(stage, not shown & {"OH_NNPS", "MA_SSOS"})
        for view, model in ((self.schools, self.school_model), (self.coaches, self.coach_model)):
            view.setColumnHidden(model.column_of("PM meetings"), "MA_SSOS" not in shown)

    def prepared_sentence(self) -> str:
        """'Prepared by Pat Lee · as of Dec 1, 2026 · 3 coaches, 12 schools and 2 districts'."""
        rollup = self.rollup
        coaches = len(rollup.coaches)
        schools = sum(1 for s in rollup.schools if s.kind == "school")
        districts = len(rollup.schools) - schools
        held = f"{coaches} coach{'es' if coaches != 1 else ''}, {schools} school{_s(schools)}"
        if districts:
            held += f" and {districts} district{_s(districts)}"
        parts = [f"Prepared by {rollup.prepared_by}", f"as of {medium_date(rollup.as_of)}"]
        if coaches:
            parts.append(held)
        return " · ".join(parts)

    def _offer(self, combo: QComboBox, choices: list[tuple[str, str]]) -> None:
        """Refill a filter's choices, keeping the one chosen (signals off: no second read)."""
        chosen = combo.currentData()
        combo.blockSignals(True)
        try:
            while combo.count() > 1:
                combo.removeItem(1)
            for value, label in choices:
                combo.addItem(label, value)
            index = combo.findData(chosen) if chosen is not None else 0
            combo.setCurrentIndex(max(index, 0))
        finally:
            combo.blockSignals(False)

    def on_changed(self, changes: ChangeSummary, initiator: object) -> None:
        """An import (or a write anywhere) changed what the roll-up reads: read it again."""
        if self.isVisible():
            self.reload()
        else:
            self._stale = True  # read when next shown

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._stale:
            self.reload()

    # --- going to a school ------------------------------------------------------------------------

    def _coach_chosen(self, index: QModelIndex) -> None:
        """Enter on a coach: only their schools (Coach filter); Escape on the filter undoes."""
        line = index.data(LINE_ROLE)
        found = self.coach.findData(line.coach_id)
        if found >= 0:
            self.coach.setCurrentIndex(found)
            self.schools.setFocus()

    def _school_chosen(self, index: QModelIndex) -> None:
        self.open_school(index.data(LINE_ROLE))

    def open_school(self, line: Any) -> None:
        """The supervisor's own school opens on the caseload; a coach's school read-only here."""
        window = self.window_
        if line.coach_id == self._own_coach and window is not None and hasattr(window, "caseload"):
            with window.going_back.opening():  # Back returns to this row of the roll-up
                window.show_area("caseload")
                window.caseload.open_school(line.school_id)
            return
        self.school_view.show_line(line)
        self.pages.setCurrentWidget(self.school_view)
        self.school_view.back_button.setFocus()

    def first_control(self) -> QWidget:
        """Where the keyboard goes when Roll-up is opened: the coaches, the first selected."""
        return self.coaches if self.pages.currentIndex() == 0 else self.school_view.back_button

    def back_to_rollup(self) -> None:
        """Back from a school, to the line it was opened from."""
        self.pages.setCurrentIndex(0)
        self.schools.setFocus()

    # --- export and print -------------------------------------------------------------------------

    def export_csv(self) -> None:
        from coachdesk.ui.rollup.output import export_rollup_csv

        if self.rollup is not None:
            export_rollup_csv(self, self.rollup)

    def print_rollup(self) -> None:
        from coachdesk.ui.rollup.output import preview_rollup

        if self.rollup is not None:
            preview_rollup(self, self.rollup)

    # --- what a test or the window reads ----------------------------------------------------------

    def shown_rows(self, view: QTableView) -> list[tuple[str, ...]]:
        """The table's rows as shown (sorted), cell texts."""
        model = view.model()
        return [
            tuple(model.index(r, c).data() or "" for c in range(model.columnCount()))
            for r in range(model.rowCount())
        ]


def _s(n: int) -> str:
    return "" if n == 1 else "s"


def stages_sentence(stages: dict[str, int]) -> str:
    """'NNPS stages (OH schools): Stage 1 Initiating: 2 · No stage recorded: 1'."""
    parts = [f"{stage}: {count}" for stage, count in stages.items()]
    return "NNPS stages (OH schools): " + " · ".join(parts)


# Widest a text column grows to (in average characters); longer names are elided, the whole
# name in the cell's tooltip and accessible text.
TEXT_COLUMN_CHARS = {"School or district": 30, "Coach": 18, "Region": 28, "Stage or phase": 22}


def _fit_columns(view: QTableView) -> None:
    """Each column as wide as its widest cell or header line (not the header's whole title,
    which is on two lines), names capped so the numbers stay in view on a small laptop."""
    model = view.model()
    header = view.horizontalHeader()
    cells = view.fontMetrics()
    bold = QFont(header.font())
    bold.setWeight(QFont.Weight.DemiBold)  # the style sheet's header font (style.py)
    heads = QFontMetrics(bold)
    pad = 2 * HEADER_PADDING + 4  # the sheet's padding, the section's borders
    for column in range(model.columnCount()):
        title = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
        wanted = max((heads.horizontalAdvance(line) for line in title.split("\n")), default=0)
        wanted += pad + (heads.height() + 4 if column == header.sortIndicatorSection() else 0)
        for row in range(model.rowCount()):
            text = str(model.index(row, column).data() or "")
            wanted = max(wanted, cells.horizontalAdvance(text) + 14)
        plain = str(model.headerData(column, Qt.Orientation.Horizontal, ACCESSIBLE) or title)
        cap = TEXT_COLUMN_CHARS.get(plain)
        if cap is not None:
            wanted = min(wanted, cap * cells.averageCharWidth() + 14)
        header.resizeSection(column, wanted)


def _fit_rows(view: QTableView, *, most: int, tallest: int) -> None:
    """As tall as its rows, up to `most` of them or `tallest` pixels (then it scrolls): the
    schools get the rest."""
    rows = max(1, min(view.model().rowCount(), most))
    height = view.horizontalHeader().sizeHint().height() + 2 * view.frameWidth()
    height += (
        sum(view.rowHeight(r) for r in range(rows))
        or rows * view.verticalHeader().defaultSectionSize()
    )
    if view.horizontalScrollBar().maximum() > 0 or view.model().columnCount() > 8:
        height += view.horizontalScrollBar().sizeHint().height()
    view.setFixedHeight(min(height, tallest))


def _section(text: str, buddy: QWidget) -> QLabel:
    label = QLabel(text)
    label.setObjectName("sectionTitle")
    label.setBuddy(buddy)
    return label
