"""Program status on the school page: Receivership year, MA phase, NNPS stage and flags."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coachdesk.core import schools
from coachdesk.core.changes import ChangeSummary
from coachdesk.core.dates_text import medium_date, month_day
from coachdesk.core.errors import CoachdeskError
from coachdesk.core.programs import program
from coachdesk.core.store.profile import Profile
from coachdesk.ui import dialogs
from coachdesk.ui.caseload.form_dialog import FormDialog
from coachdesk.ui.change_bus import bus_for
from coachdesk.ui.item_views import tab_leaves


class StatusPanel(QFrame):
    def __init__(self, profile: Profile) -> None:
        super().__init__()
        self.setObjectName("card")
        self.profile = profile
        self.bus = bus_for(profile)
        self.school: schools.SchoolDetail | None = None
        self.layout_ = QVBoxLayout(self)
        self._content: QWidget | None = None
        # Kept as attributes so that tests and keyboard users reach them directly.
        self.year_spin: QSpinBox | None = None
        self.stage_button: QPushButton | None = None
        self.history: QTableWidget | None = None
        self.flags_table: QTableWidget | None = None

    def _publish(self, changes: ChangeSummary) -> None:
        """Tell the views showing these records; this one shows its own change already."""
        self.bus.publish(changes, initiator=self)

    def show_school(self, school: schools.SchoolDetail) -> None:
        self.school = school
        if self._content is not None:
            # Detach now: deleteLater alone leaves the old content on screen until the event
            # loop turns, and a quick second refresh would show both.
            self.layout_.removeWidget(self._content)
            self._content.setParent(None)
            self._content.deleteLater()
        self._content = QWidget()
        box = QVBoxLayout(self._content)
        box.setContentsMargins(0, 0, 0, 0)
        title = QLabel("Program status")
        title.setObjectName("sectionTitle")
        box.addWidget(title)
        if not school.assignments:
            box.addWidget(QLabel("This school is not in any program's caseload."))
        for assignment in school.assignments:
            prog = program(assignment.program_code)
            heading = QLabel(f"<b>{prog.name}</b> · {assignment.school_year} · {assignment.role}")
            box.addWidget(heading)
            if prog.status_kind == "receivership_year":
                box.addLayout(self._receivership_row(assignment))
            elif prog.status_kind == "phase":
                box.addWidget(self._phase_text(assignment))
            elif prog.status_kind == "stage":
                box.addLayout(self._stage_rows(school))
        self.layout_.addWidget(self._content)

    # --- NY ---------------------------------------------------------------------------------------

    def _receivership_row(self, assignment: schools.AssignmentView) -> QHBoxLayout:
        spin = QSpinBox()
        spin.setRange(0, program("NY_RCV").receivership_year_max)
        spin.setSpecialValueText("not set")
        spin.setPrefix("Year ")
        spin.setValue(assignment.receivership_year or 0)
        spin.setAccessibleName("Receivership year")
        spin.setKeyboardTracking(False)  # save the final number, not each keystroke
        spin.valueChanged.connect(lambda value: self._save_year(assignment.id, value))
        self.year_spin = spin
        row = QHBoxLayout()
        row.addWidget(QLabel("Receivership year"))
        row.addWidget(spin)
        row.addStretch(1)
        return row

    def _save_year(self, assignment_id: str, value: int) -> None:
        try:
            changes = schools.set_receivership_year(self.profile, assignment_id, value or None)
        except CoachdeskError as exc:
            dialogs.show_error(self, "Not saved", str(exc))
            return
        self._publish(changes)

    # --- MA ---------------------------------------------------------------------------------------

    def _phase_text(self, assignment: schools.AssignmentView) -> QLabel:
        prog = program(assignment.program_code)
        windows = "; ".join(
            f"Phase {p.number} {p.name}: {_md(p.start)} – {_md(p.end)}" for p in prog.phases
        )
        label = QLabel(f"{assignment.status_text} (from today's date)\n{windows}")
        label.setWordWrap(True)
        return label

    # --- OH ---------------------------------------------------------------------------------------

    def _stage_rows(self, school: schools.SchoolDetail) -> QVBoxLayout:
        rows = QVBoxLayout()
        current = QHBoxLayout()
        stage = school.current_stage or "not recorded"
        history = school.stage_history
        since = f" since {medium_date(history[0].effective)}" if history else ""
        # The sentences wrap beside their buttons at twice the text on a small screen.
        current.addWidget(_wrapping(f"Implementation stage: <b>{stage}</b>{since}"), 1)
        self.stage_button = QPushButton("Change stage…")
        self.stage_button.setAccessibleName("Change the implementation stage")
        self.stage_button.clicked.connect(self.change_stage)
        current.addWidget(self.stage_button)
        rows.addLayout(current)

        self.history = _table(("Effective", "Stage", "Reason", "Set by"), "Stage history")
        self.history.setRowCount(len(school.stage_history))
        for r, record in enumerate(school.stage_history):
            for c, value in enumerate(
                (
                    medium_date(record.effective),
                    record.stage,
                    record.reason or "",
                    record.set_by or "",
                )
            ):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.history.setItem(r, c, item)
        self.history.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.history.setWordWrap(True)
        _fit_height(self.history)
        rows.addWidget(self.history)

        flags_head = QHBoxLayout()
        flags_head.addWidget(_wrapping("Reasons for more frequent coaching"), 1)
        add = QPushButton("Add flag…")
        add.setAccessibleName("Add a reason for more frequent coaching")
        add.clicked.connect(self.add_flag)
        self.end_flag_button = QPushButton("End flag")
        self.end_flag_button.setAccessibleName("End the selected coaching flag")
        self.end_flag_button.clicked.connect(self.end_flag)
        flags_head.addWidget(add)
        flags_head.addWidget(self.end_flag_button)
        rows.addLayout(flags_head)
        self.flags_table = _table(("Reason", "Since", "Review by", "Note"), "Coaching flags")
        self.flags_table.setRowCount(len(school.flags))
        for r, flag in enumerate(school.flags):
            ended = f" (ended {medium_date(flag.ended_on)})" if flag.ended_on else ""
            values = (
                flag.reason_label + ended,
                medium_date(flag.start),
                medium_date(flag.review_by) if flag.review_by else "",
                flag.note or "",
            )
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.flags_table.setItem(r, c, item)
        self.flags_table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.flags_table.setWordWrap(True)
        _fit_height(self.flags_table)
        rows.addWidget(self.flags_table)
        return rows

    def change_stage(self) -> None:
        school = self.school
        if school is None:
            return
        stages = program("OH_NNPS").stages
        dialog = FormDialog("Change implementation stage", parent=self)
        dialog.add_choice("stage", "New stage", [(s, s) for s in stages], school.current_stage)
        dialog.add_date("effective", "Effective", dt.date.today())
        dialog.add_text(
            "reason", "Reason", hint="What happened that moves the school to this stage?"
        )
        dialog.add_line("set_by", "Decided by", hint="Your name, or the team")
        dialog.on_save(lambda v: schools.record_stage(self.profile, school.id, **v))
        if dialogs.run(dialog):
            self._publish(ChangeSummary.of({"stage_record": [dialog.result_value.id]}))

    def add_flag(self) -> None:
        school = self.school
        if school is None:
            return
        reasons = program("OH_NNPS").flag_reasons
        dialog = FormDialog("Add a reason for more frequent coaching", parent=self)
        dialog.add_choice("reason", "Reason", [(label, code) for code, label in reasons.items()])
        dialog.add_date("start", "Since", dt.date.today())
        dialog.add_date("review_by", "Review by", None, optional=True)
        dialog.add_text("note", "Note", hint="Optional: what the coaching should address")
        dialog.on_save(lambda v: schools.add_flag(self.profile, school.id, **v))
        if dialogs.run(dialog):
            self._publish(ChangeSummary.of({"coaching_flag": [dialog.result_value.id]}))

    def end_flag(self) -> None:
        if self.school is None or self.flags_table is None:
            return
        rows = self.flags_table.selectionModel().selectedRows()
        if not rows:
            dialogs.show_info(self, "End flag", "Select the flag to end first.")
            return
        flag = self.school.flags[rows[0].row()]
        self._publish(schools.end_flag(self.profile, flag.id))


def _wrapping(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


def _table(columns: tuple[str, ...], name: str) -> QTableWidget:
    table = tab_leaves(QTableWidget(0, len(columns)))
    table.setHorizontalHeaderLabels(columns)
    table.setAccessibleName(name)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setWordWrap(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return table


def _fit_height(table: QTableWidget) -> None:
    """Show every row without an inner scroll bar (the page itself scrolls)."""
    table.resizeRowsToContents()
    rows = sum(table.rowHeight(r) for r in range(table.rowCount()))
    rows = rows or table.verticalHeader().defaultSectionSize()
    table.setFixedHeight(
        table.horizontalHeader().sizeHint().height() + rows + 2 * table.frameWidth() + 2
    )


def _md(month_and_day: tuple[int, int]) -> str:
    return month_day(dt.date(2000, *month_and_day))
