"""The progress card of a school page: each indicator with this year's target, its checkpoints
(window, goal, status), latest value and a small chart, all readable without hovering; adding,
editing and retiring indicators, setting targets (and next year's from this year's), recording
a measurement by hand or from a CSV file, and correcting or deleting one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from coachdesk.core.changes import ChangeSummary
from coachdesk.core.errors import CoachdeskError
from coachdesk.core.school_year import label, start_year_of
from coachdesk.core.tracking_records import indicator_setup as setup
from coachdesk.core.tracking_records.indicator_targets import copy_targets, get_target
from coachdesk.core.tracking_records.indicators import IndicatorView, school_indicators
from coachdesk.core.tracking_records.measurement_corrections import list_measurements
from coachdesk.ui import dialogs
from coachdesk.ui.caseload.indicator_block import IndicatorBlock
from coachdesk.ui.caseload.spark_chart import STATUS_TONES, SparkChart
from coachdesk.ui.change_bus import bus_for
from coachdesk.ui.style import set_role

__all__ = ["STATUS_TONES", "ProgressCard", "SparkChart"]
SHOWN_RECORDS = ("indicator", "indicator_target", "measurement")


class ProgressCard(QFrame):
    """Indicators of one school (NY DIIs, MA benchmarks by student group, local ones)."""

    def __init__(
        self,
        profile,
        parent: QWidget | None = None,
        *,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        # Wide enough beside the visits that an indicator's lines do not wrap at the usual font
        # (a larger font makes it wider by itself, and the page then stacks its columns).
        self.profile = profile
        self.bus = bus_for(profile)
        self.bus.subscribe(self.on_changed, watching=SHOWN_RECORDS)
        self.today = today
        self.school_id: str | None = None
        self.school_name = ""
        self.state = ""
        self.views: list[IndicatorView] = []
        self.blocks: list[IndicatorBlock] = []
        self._undo: tuple[str, Callable[[], ChangeSummary]] | None = None

        title = QLabel("Indicators and targets")
        title.setObjectName("sectionTitle")
        self.add_button = QPushButton("Add an indicator…")
        self.add_button.setAccessibleName("Add an indicator to this school")
        self.add_button.clicked.connect(self.add_indicator)
        self.record_button = QPushButton("Record a measurement…")
        self.record_button.clicked.connect(self.record)
        self.import_button = QPushButton("Import from CSV…")
        self.import_button.clicked.connect(self.import_csv)
        self.next_year_button = QPushButton("Start next year's targets…")
        self.next_year_button.setAccessibleName("Start next year's targets from this year's")
        self.next_year_button.clicked.connect(self.start_next_year)
        buttons = QGridLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        for n, b in enumerate(
            (self.add_button, self.record_button, self.next_year_button, self.import_button)
        ):
            buttons.addWidget(b, n // 2, n % 2)
        # The title above the buttons, so the card stays narrow enough for a large font.
        top = QVBoxLayout()
        top.addWidget(title)
        under = QHBoxLayout()
        under.addLayout(buttons)
        under.addStretch(1)
        top.addLayout(under)

        # After a retirement or a deletion: what was done, and a button that undoes it.
        self.undo_label = QLabel()
        self.undo_label.setWordWrap(True)
        set_role(self.undo_label, "note")
        self.undo_button = QPushButton("Undo")
        self.undo_button.setAccessibleName("Undo the last retirement")
        self.undo_button.clicked.connect(self.undo)
        self.undo_bar = QWidget()
        undo_row = QHBoxLayout(self.undo_bar)
        undo_row.setContentsMargins(0, 0, 0, 0)
        undo_row.addWidget(self.undo_label, 1)
        undo_row.addWidget(self.undo_button)
        self.undo_bar.hide()

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.first_button = QPushButton("Add the first indicator…")
        self.first_button.setAccessibleName("Add the first indicator to this school")
        self.first_button.clicked.connect(self.add_indicator)
        self.empty_box = QWidget()
        empty_layout = QVBoxLayout(self.empty_box)
        empty_layout.setContentsMargins(0, 0, 0, 0)
        empty_layout.addWidget(self.empty)
        row = QHBoxLayout()
        row.addWidget(self.first_button)
        row.addStretch(1)
        empty_layout.addLayout(row)

        self.list_layout = QVBoxLayout()
        self.list_layout.setSpacing(0)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.undo_bar)
        layout.addWidget(self.summary)
        layout.addWidget(self.empty_box)
        layout.addLayout(self.list_layout)
        layout.addStrut(500)  # a minimum the layout keeps, not a fixed one a larger font exceeds
        self.hide()

    # --- showing ----------------------------------------------------------------------------------

    def _publish(self, changes: ChangeSummary) -> None:
        """Tell the views showing these records; this one shows its own change already."""
        self.bus.publish(changes, initiator=self)

    def show_school(self, school) -> None:
        """Show the indicators of a school (a SchoolDetail or its id)."""
        if isinstance(school, str):
            from coachdesk.core.organizations import get_organization

            found = get_organization(self.profile, school)
            self.school_id, self.school_name, self.state = found.id, found.name, found.state or ""
        else:
            self.school_id, self.school_name, self.state = school.id, school.name, school.state
        self._undo = None
        self.undo_bar.hide()
        self.show()
        self.refresh()

    def on_changed(self, changes: ChangeSummary, initiator: object) -> None:
        if self.school_id is not None:
            self.refresh()

    @property
    def school_year(self) -> str:
        return label(start_year_of(self.today()))

    def refresh(self) -> None:
        day = self.today()
        year = self.school_year
        self.views = school_indicators(self.profile, self.school_id, day) if self.school_id else []
        for block in self.blocks:
            # Hidden and detached at once, so the old rows never show under the new ones.
            block.hide()
            block.setParent(None)
            block.deleteLater()
        self.blocks = []
        has_any = bool(self.views)
        self.record_button.setEnabled(has_any)
        self.next_year_button.setEnabled(has_any)
        self.empty_box.setVisible(not has_any)
        self.summary.setVisible(has_any)
        if not has_any:
            self.empty.setText(_first_steps(self.school_name, self.state))
            return
        counts: dict[str, int] = {}
        for v in self.views:
            counts[v.status] = counts.get(v.status, 0) + 1
        n = len(self.views)
        self.summary.setText(
            f"{n} indicator{'s' if n != 1 else ''}: "
            + ", ".join(f"{c} {status}" for status, c in sorted(counts.items()))
        )
        rows = {r.id: r for r in setup.list_indicators(self.profile, org_id=self.school_id)}
        for v in self.views:
            block = IndicatorBlock(
                v,
                rows.get(v.id),
                get_target(self.profile, v.id, year),
                year=year,
                on=day,
                measured=len(list_measurements(self.profile, v.id)),
            )
            block.measurements_asked.connect(self.open_measurements)
            block.targets_asked.connect(self.set_targets)
            block.edit_asked.connect(self.edit_indicator)
            block.retire_asked.connect(self.retire)
            if self.blocks:
                line = QFrame(block)
                line.setFrameShape(QFrame.Shape.HLine)
                line.setFrameShadow(QFrame.Shadow.Sunken)  # the palette's quiet two-tone rule
                block.layout().insertWidget(0, line)
            self.list_layout.addWidget(block)
            block.show()  # at once, not when the layout next runs (the page is on screen)
            self.blocks.append(block)

    def block_of(self, indicator_id: str) -> IndicatorBlock | None:
        return next((b for b in self.blocks if b.view.id == indicator_id), None)

    # --- indicators -------------------------------------------------------------------------------

    def _view(self, indicator_id: str) -> IndicatorView | None:
        return next((v for v in self.views if v.id == indicator_id), None)

    def add_indicator(self) -> None:
        from coachdesk.ui.caseload.indicator_dialog import IndicatorDialog

        if self.school_id is None:
            return
        dialog = IndicatorDialog(self.profile, self.school_id, self.state, parent=self)
        if dialogs.run(dialog) and dialog.result_value:
            self._after(dialog.result_value.changes)
            if dialog.set_targets_next.isChecked():
                self.set_targets(dialog.result_value.id)

    def edit_indicator(self, indicator_id: str) -> None:
        from coachdesk.ui.caseload.indicator_dialog import IndicatorDialog

        if self.school_id is None:
            return
        row = setup.get_indicator(self.profile, indicator_id)
        dialog = IndicatorDialog(self.profile, self.school_id, self.state, row, parent=self)
        if dialogs.run(dialog) and dialog.result_value:
            self._after(dialog.result_value)

    def retire(self, indicator_id: str) -> None:
        v = self._view(indicator_id)
        if v is None:
            return
        group = f" ({v.subgroup})" if v.subgroup != "All" else ""
        if not dialogs.confirm(
            self,
            "Retire the indicator",
            f"Retire {v.code}{group}, {v.name}? It leaves this page, the due list and the CSV "
            "import; its targets and measurements are kept, and Undo brings it back.",
            yes="Retire",
        ):
            return
        try:
            changes = setup.retire_indicator(self.profile, indicator_id)
        except CoachdeskError as exc:
            dialogs.show_error(self, "Not retired", str(exc))
            return
        self._offer_undo(
            f"Retired {v.code}{group}: its targets and measurements are kept.",
            "Undo the retirement of " + v.code,
            lambda: setup.restore_indicator(self.profile, indicator_id),
        )
        self._after(changes)

    def _offer_undo(self, text: str, name: str, undo: Callable[[], ChangeSummary]) -> None:
        self._undo = (text, undo)
        self.undo_label.setText(text)
        self.undo_button.setAccessibleName(name)
        self.undo_bar.show()

    def undo(self) -> None:
        if self._undo is None:
            return
        _text, undo = self._undo
        self._undo = None
        self.undo_bar.hide()
        try:
            changes = undo()
        except CoachdeskError as exc:
            dialogs.show_error(self, "Not undone", str(exc))
            return
        self._after(changes)

    # --- targets ----------------------------------------------------------------------------------

    def set_targets(self, indicator_id: str, year: str | None = None) -> None:
        from coachdesk.ui.caseload.target_dialog import TargetDialog

        row = setup.get_indicator(self.profile, indicator_id)
        dialog = TargetDialog(self.profile, row, year or self.school_year, self.today(), self)
        if dialogs.run(dialog) and dialog.result_value:
            saved = dialog.result_value
            self._after(saved.changes)
            if saved.notes:
                dialogs.show_info(self, "Target saved", " ".join(saved.notes))

    def start_next_year(self) -> None:
        """Copy this year's targets to next year's, then open the first to edit."""
        if self.school_id is None:
            return
        this_year = self.school_year
        next_year = label(start_year_of(self.today()) + 1)
        try:
            copied = copy_targets(self.profile, self.school_id, this_year, next_year)
        except CoachdeskError as exc:
            dialogs.show_error(self, "Nothing copied", str(exc))
            return
        self._after(copied.changes)
        n = len(copied.copied)
        skipped = (" " + " ".join(copied.skipped)) if copied.skipped else ""
        dialogs.show_info(
            self,
            "Next year's targets",
            f"Copied {n} target{'s' if n != 1 else ''} from {this_year} to {next_year}, windows "
            f"moved on a year.{skipped} Edit each with Set targets…, choosing {next_year}.",
        )
        first = next((v.id for v in self.views if get_target(self.profile, v.id, next_year)), None)
        if first is not None:
            self.set_targets(first, next_year)

    # --- measurements -----------------------------------------------------------------------------

    def record(self) -> None:
        from coachdesk.ui.caseload.measurement_dialog import MeasurementDialog

        dialog = MeasurementDialog(self.profile, self.views, self, today=self.today())
        if dialogs.run(dialog) and dialog.changes:
            self._after(dialog.changes)

    def open_measurements(self, indicator_id: str) -> None:
        from coachdesk.ui.caseload.measurements_dialog import MeasurementsDialog

        row = setup.get_indicator(self.profile, indicator_id)
        # The dialog publishes each write as it makes it; this card hears them on the bus.
        dialogs.run(MeasurementsDialog(self.profile, row, self, today=self.today()))

    def import_csv(self) -> None:
        from coachdesk.ui.caseload.import_dialog import import_measurements

        changes = import_measurements(self.profile, self)
        if changes:
            self._after(changes)

    def _after(self, changes: ChangeSummary | None) -> None:
        if not changes:
            return
        self.refresh()
        self._publish(changes)


def _first_steps(school: str, state: str) -> str:
    kinds = {
        "NY": "a Demonstrable Improvement Indicator (Level 1 from the state, Level 2 the "
        "school's) or a local indicator",
        "MA": "a benchmark for one or more student groups (all students, ML, SWD...) or a "
        "local indicator",
    }.get(state, "a local indicator")
    return (
        f"{school or 'This school'} has no indicators yet. Add the first one: {kinds}. Then set "
        "its baseline, annual target and checkpoints, and record measurements as they come."
    )
