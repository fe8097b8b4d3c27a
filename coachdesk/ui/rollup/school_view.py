"""A coach's school as the supervisor reads it from the roll-up: read-only by construction.

    view = RollupSchoolView(profile)
    view.show_line(line)          # a SchoolLine of the roll-up
    view.back.connect(...)        # ← Roll-up, Alt+Left or Escape

The school's records are its coach's: they change on the coach's laptop and arrive in the
coach's bundles. So this page has no field to type in and no button that writes: it shows the
roll-up's numbers for the school, its visits and its open next steps, read through the core's
own functions (core/schools.py get_school, core/visits list_visits and open_action_items). No
answer of a visit note is shown.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coachdesk.core.dates_text import medium_date
from coachdesk.core.store.profile import Profile
from coachdesk.ui.announce import tell_current_cell
from coachdesk.ui.item_views import tab_leaves
from coachdesk.ui.rollup.table_model import stage_or_phase, visits_text
from coachdesk.ui.style import colour, set_role

logger = logging.getLogger(__name__)


class RollupSchoolView(QWidget):
    """One school of a coach's caseload, read-only, with the way back to the roll-up."""

    back = Signal()

    def __init__(
        self,
        profile: Profile,
        parent: QWidget | None = None,
        *,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        super().__init__(parent)
        self.profile = profile
        self.today = today
        self.line: Any = None
        self.back_button = QPushButton("← Roll-up")
        self.back_button.setAccessibleName("Back to the roll-up")
        self.back_button.setToolTip("Back to the roll-up (Alt+Left or Escape)")
        self.back_button.clicked.connect(self.back.emit)
        for key in (QKeySequence(Qt.Modifier.ALT | Qt.Key.Key_Left), QKeySequence("Escape")):
            shortcut = QShortcut(key, self, self.back.emit)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.title = QLabel()
        self.title.setObjectName("areaTitle")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.subtitle = QLabel()
        self.subtitle.setObjectName("subtle")
        self.subtitle.setWordWrap(True)
        self.read_only = QLabel()
        self.read_only.setWordWrap(True)
        set_role(self.read_only, "note")

        self.numbers = QFrame()
        self.numbers.setObjectName("card")
        self.form = QFormLayout(self.numbers)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.figures: dict[str, QLabel] = {}
        for name in (
            "Last final visit",
            "Visits this month",
            "Overdue",
            "Indicators",
            "Stage or phase",
            "PM meetings held",
        ):
            value = QLabel()
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.figures[name] = value
            self.form.addRow(f"{name}:", value)

        self.visits_title = _section("Visits")
        self.visits = _table(("Date", "Type", "Note", "Open next steps"), "Visits")
        self.visits_title.setBuddy(self.visits)
        self.steps_title = _section("Open next steps")
        self.steps = _table(("Next step", "Who", "Due"), "Open next steps")
        self.steps_title.setBuddy(self.steps)
        self.steps.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

        top = QHBoxLayout()
        top.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignTop)
        heading = QVBoxLayout()
        heading.addWidget(self.title)
        heading.addWidget(self.subtitle)
        top.addLayout(heading, 1)
        columns = QHBoxLayout()
        card = QWidget()
        left = QVBoxLayout(card)
        left.setContentsMargins(0, 0, 0, 0)
        left.addWidget(self.numbers)
        left.addStretch(1)
        # With twice the text the figures are taller than a small laptop: they scroll.
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(card)
        columns.addWidget(scroll, 2)
        right = QVBoxLayout()
        right.addWidget(self.visits_title)
        right.addWidget(self.visits, 3)
        right.addWidget(self.steps_title)
        right.addWidget(self.steps, 2)
        columns.addLayout(right, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.read_only)
        layout.addLayout(columns, 1)

    def show_line(self, line: Any) -> None:
        """Show this roll-up line's school (focus goes to Back, the page's first control)."""
        from coachdesk.core import schools
        from coachdesk.core.visits import list_visits, open_action_items

        self.line = line
        detail = schools.get_school(self.profile, line.school_id)
        self.title.setText(detail.name)
        self.setAccessibleName(f"School (read-only): {detail.name}")
        where = [detail.district_name or "", _program_name(line.program), f"Coach: {line.coach}"]
        if line.region:
            where.append(line.region)
        self.subtitle.setText(" · ".join(part for part in where if part))
        self.read_only.setText(
            f"Read-only: this {line.kind} is in {line.coach}'s caseload. Its records change on "
            f"{line.coach}'s laptop and arrive here in their bundles."
        )
        self._show_figures(line)
        self._show_visits(list_visits(self.profile, school_id=line.school_id))
        self._show_steps(open_action_items(self.profile, school_id=line.school_id))
        self.back_button.setFocus()

    def _show_figures(self, line: Any) -> None:
        counts = line.indicators
        indicators = (
            f"{counts.met} met, {counts.on_track} on track, {counts.at_risk} at risk, "
            f"{counts.no_data} with no data"
        )
        if counts.suppressed:
            indicators += f"; {counts.suppressed} withheld (too few students to show)"
        visits = visits_text(line)
        if line.visits_expected_this_month is not None:
            visits += " expected"
        if getattr(line, "cadence", ""):
            visits += f" ({line.cadence})"
        values = {
            "Last final visit": medium_date(line.last_final_visit)
            if line.last_final_visit
            else "None yet",
            "Visits this month": visits,
            "Overdue": f"{line.overdue} overdue or missed (reporting obligations, plan "
            "activities and next steps)"
            if line.overdue
            else "Nothing overdue",
            "Indicators": indicators if counts.total else "No indicators",
            "Stage or phase": stage_or_phase(line),
            "PM meetings held": ""
            if line.pm_meetings_held is None
            else f"{line.pm_meetings_held} this school year",
        }
        for name, value in values.items():
            label = self.figures[name]
            label.setText(value)
            label.setAccessibleName(f"{name}: {value}")
            self.form.setRowVisible(label, bool(value))
        set_role(self.figures["Overdue"], "error" if line.overdue else "")

    def _show_visits(self, visits: list[Any]) -> None:
        from coachdesk.core.visits import STATUS_LABELS

        rows = [
            (
                medium_date(v.starts_at.date()),
                v.type_label,
                STATUS_LABELS.get(v.status, v.status),
                str(v.open_items) if v.open_items else "",
            )
            for v in visits
        ]
        _fill(self.visits, rows, names=[f"{r[1]}, {r[0]}" for r in rows])
        self.visits_title.setText(f"Visits ({len(rows)})" if rows else "Visits: none yet")

    def _show_steps(self, steps: list[Any]) -> None:
        today = self.today()
        rows = []
        late = []
        for step in steps:
            due = medium_date(step.due) if step.due else "No date"
            if step.overdue_on(today):
                due += " (overdue)"
            rows.append((step.text, step.owner or "", due))
            late.append(step.overdue_on(today))
        _fill(self.steps, rows, names=[r[0] for r in rows])
        for row, overdue in enumerate(late):
            if overdue:
                self.steps.item(row, 2).setForeground(colour("danger"))
        self.steps_title.setText(
            f"Open next steps ({len(rows)})" if rows else "Open next steps: none"
        )
        self.steps.setHidden(not rows)


def _section(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("sectionTitle")
    return label


def _table(headers: tuple[str, ...], name: str) -> QTableWidget:
    table = tell_current_cell(tab_leaves(QTableWidget(0, len(headers))))
    table.setAccessibleName(name)
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: list[tuple[str, ...]], *, names: list[str]) -> None:
    table.setRowCount(len(rows))
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setToolTip(text if len(text) > 40 else "")
            table.setItem(r, c, item)
        header = QTableWidgetItem(str(r + 1))
        header.setData(Qt.ItemDataRole.AccessibleTextRole, names[r])
        table.setVerticalHeaderItem(r, header)
    table.resizeColumnsToContents()


def _program_name(code: str) -> str:
    from coachdesk.core.programs import programs

    found = programs().get(code)
    return found.name if found else code
