"""The OH One-Year Action Plan for Partnerships on a school's page, with the five essential
elements: goals, activities by type of involvement, what the plan costs, and what it misses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html import escape

from PySide6.QtCore import QSignalBlocker, QSortFilterProxyModel, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from coachdesk.core.changes import ChangeSummary
from coachdesk.core.dates_text import medium_date
from coachdesk.core.errors import CoachdeskError
from coachdesk.core.store.profile import Profile
from coachdesk.core.tracking_records import plans
from coachdesk.core.tracking_records.plan_activities import (
    GOAL_KINDS,
    add_activity,
    add_goal,
    delete_activity,
    edit_activity,
    edit_goal,
    plan_year_written_on,
    remove_goal,
)
from coachdesk.ui import dialogs
from coachdesk.ui.caseload.action_plan_table import (
    ACTIVITY,
    ACTIVITY_ROLE,
    SORT_ROLE,
    STATUS,
    TYPE,
    ActivityTableModel,
    FittedTable,
    StatusDelegate,
    fit_height,
)
from coachdesk.ui.caseload.form_dialog import FormDialog
from coachdesk.ui.change_bus import bus_for
from coachdesk.ui.style import hex_colour, on_scheme_change

PROGRAM = "OH_NNPS"
SHOWN_RECORDS = ("partnership_goal", "plan_activity", "element_status")


class GoalList(QWidget):
    """The plan's goals, one a line, each with Edit… and Remove… beside it."""

    def __init__(self, edit: Callable[[str], None], remove: Callable[[str], None]) -> None:
        super().__init__()
        self._edit, self._remove = edit, remove
        self.heading = QLabel("<b>Goals</b>")
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.rows = QGridLayout()
        self.rows.setContentsMargins(0, 0, 0, 0)
        self.rows.setColumnStretch(0, 1)
        self.labels: list[QLabel] = []
        self.edit_buttons: list[QPushButton] = []
        self.remove_buttons: list[QPushButton] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.hint)
        layout.addLayout(self.rows)

    def show_goals(self, plan: plans.ActionPlanView) -> None:
        while self.rows.count():
            widget = self.rows.takeAt(0).widget()
            if widget is not None:
                widget.hide()
                widget.setParent(None)
                widget.deleteLater()
        self.labels, self.edit_buttons, self.remove_buttons = [], [], []
        self.hint.setVisible(not plan.goals)
        self.hint.setText(
            "No goals yet. A plan usually has two academic goals, one behavioral goal and one "
            "for the climate of partnerships; add them first, then the activities that serve "
            "them."
        )
        for row, (goal_id, (kind, result, measure)) in enumerate(
            zip(plan.goal_ids, plan.goals, strict=True)
        ):
            measured = f" · <i>Measure:</i> {escape(measure)}" if measure else ""
            label = QLabel(
                f"<b>{escape(GOAL_KINDS.get(kind, kind))}</b>: {escape(result)}{measured}"
            )
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            edit = QPushButton("Edit…")
            edit.setAccessibleName(f"Edit the goal: {_short(result)}")
            edit.clicked.connect(lambda _c=False, g=goal_id: self._edit(g))
            remove = QPushButton("Remove…")
            remove.setAccessibleName(f"Remove the goal: {_short(result)}")
            remove.clicked.connect(lambda _c=False, g=goal_id: self._remove(g))
            for column, widget in enumerate((label, edit, remove)):
                self.rows.addWidget(widget, row, column, Qt.AlignmentFlag.AlignTop)
                widget.show()
            self.labels.append(label)
            self.edit_buttons.append(edit)
            self.remove_buttons.append(remove)

    def text(self) -> str:
        """What the coach reads: the goals (or the hint when there is none)."""
        if not self.labels:
            return self.hint.text()
        return "\n".join(label.text() for label in self.labels)


class ActionPlanCard(QFrame):
    """One OH school's plan for the school year of its NNPS assignment (and, in the spring,
    next year's plan being written)."""

    def __init__(
        self,
        profile: Profile,
        parent: QWidget | None = None,
        *,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.profile = profile
        self.today = today
        self.bus = bus_for(profile)
        self.bus.subscribe(self.on_changed, watching=SHOWN_RECORDS)
        self.school_id: str | None = None
        self.school_year = ""
        self.plan: plans.ActionPlanView | None = None
        on_scheme_change(self.refresh)  # "none yet" is written in a colour

        self.title = QLabel("One-Year Action Plan for Partnerships")
        self.title.setObjectName("sectionTitle")
        self.title.setWordWrap(True)
        self.add_goal_button = QPushButton("Add goal…")
        self.add_goal_button.setAccessibleName("Add a goal to the action plan")
        self.add_goal_button.clicked.connect(self.add_goal)
        # In the spring a school writes next year's plan: the coach chooses which plan to see.
        self.year_box = QComboBox()
        self.year_box.setAccessibleName("Which year's plan")
        self.year_box.currentIndexChanged.connect(self._year_chosen)
        self.year_box.hide()
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.year_box)
        top.addWidget(self.add_goal_button)

        self.goals = GoalList(self.edit_goal, self.remove_goal)

        self.add_button = QPushButton("Add activity…")
        self.add_button.setAccessibleName("Add an activity to the action plan")
        self.add_button.clicked.connect(self.add_activity)
        self.edit_button = QPushButton("Edit…")
        self.edit_button.setAccessibleName("Edit the selected activity")
        self.edit_button.clicked.connect(self.edit_activity)
        self.delete_button = QPushButton("Delete…")
        self.delete_button.setAccessibleName("Delete the selected activity")
        self.delete_button.clicked.connect(self.delete_activity)
        activities_head = QHBoxLayout()
        activities_head.addWidget(_heading("Activities"), 1)
        activities_head.addWidget(self.add_button)
        activities_head.addWidget(self.edit_button)
        activities_head.addWidget(self.delete_button)

        self.model = ActivityTableModel(self.change_status, self)
        self.sorted = QSortFilterProxyModel(self)
        self.sorted.setSourceModel(self.model)
        self.sorted.setSortRole(SORT_ROLE)
        self.table = FittedTable()
        self.table.setAccessibleName("Activities of the action plan")
        self.table.setModel(self.sorted)
        self.table.setItemDelegateForColumn(STATUS, StatusDelegate(self.table))
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(TYPE, Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setWordWrap(True)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ACTIVITY, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self._double_clicked)
        # Enter opens the selected activity, as double-clicking does (F2 edits its status).
        edit_key = QShortcut(QKeySequence(Qt.Key.Key_Return), self.table)
        edit_key.setContext(Qt.ShortcutContext.WidgetShortcut)
        edit_key.activated.connect(self.edit_activity)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)

        self.totals = QLabel()
        self.totals.setWordWrap(True)
        self.by_type = QGridLayout()
        self.by_type.setHorizontalSpacing(16)
        self.type_labels: dict[int, QLabel] = {}
        for n, number in enumerate(plans.INVOLVEMENT_TYPES):
            label = QLabel()
            label.setWordWrap(True)  # three across wrap at twice the text on a small screen
            self.by_type.addWidget(label, n // 3, n % 3)
            self.type_labels[number] = label
        self.missing = QLabel()
        self.missing.setObjectName("errorText")
        self.missing.setWordWrap(True)

        self.element_boxes: dict[int, QComboBox] = {}
        elements = QGridLayout()
        elements.setColumnStretch(2, 1)
        for row, (number, name) in enumerate(plans.ESSENTIAL_ELEMENTS.items()):
            box = QComboBox()
            box.addItems(list(plans.ELEMENT_STATUSES))
            box.setAccessibleName(f"Status of essential element {number}: {name}")
            box.currentIndexChanged.connect(lambda _i, n=number: self._save_element(n))
            label = QLabel(f"{number}. {name}")
            label.setBuddy(box)
            elements.addWidget(label, row, 0)
            elements.addWidget(box, row, 1)
            self.element_boxes[number] = box

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.goals)
        layout.addSpacing(6)
        layout.addLayout(activities_head)
        layout.addWidget(self.table)
        layout.addWidget(self.totals)
        layout.addLayout(self.by_type)
        layout.addWidget(self.missing)
        layout.addSpacing(6)
        layout.addWidget(_heading("Essential elements"))
        layout.addLayout(elements)
        self.hide()

    # --- showing ----------------------------------------------------------------------------------

    def _publish(self, changes: ChangeSummary) -> None:
        """Tell the views showing these records; this one shows its own change already."""
        self.bus.publish(changes, initiator=self)

    def show_school(self, school) -> None:
        """Show the school's plan, or hide the card for a school outside NNPS."""
        assignment = next((a for a in school.assignments if a.program_code == PROGRAM), None)
        if assignment is None:
            self.school_id = None
            self.hide()
            return
        self.school_id = school.id
        years = [assignment.school_year]
        written = plan_year_written_on(self.today())
        if written > assignment.school_year:
            years.append(written)
        with QSignalBlocker(self.year_box):
            self.year_box.clear()
            for year in years:
                when = "this school year" if year == assignment.school_year else "being written"
                self.year_box.addItem(f"{year} ({when})", year)
        self.year_box.setVisible(len(years) > 1)
        self.school_year = assignment.school_year
        self.show()
        self.refresh()

    def _year_chosen(self, index: int) -> None:
        year = self.year_box.itemData(index)
        if year and year != self.school_year:
            self.school_year = year
            self.refresh()

    def on_changed(self, changes: ChangeSummary, initiator: object) -> None:
        if self.school_id is not None:
            self.refresh()

    def refresh(self) -> None:
        if self.school_id is None:
            return
        plan = plans.get_action_plan(self.profile, self.school_id, self.school_year)
        self.plan = plan
        self.title.setText(f"One-Year Action Plan for Partnerships {self.school_year}")
        self.goals.show_goals(plan)
        kept = self.selected()
        self.model.set_activities(plan.activities)
        self.select(kept.id if kept else None)
        fit_height(self.table)
        self.table.setVisible(bool(plan.activities))  # an empty grid says less than the hint
        self._show_totals(plan)
        for number, box in self.element_boxes.items():
            with QSignalBlocker(box):
                box.setCurrentIndex(max(0, box.findText(plan.elements.get(number, ""))))
        self.add_button.setEnabled(bool(plan.goal_ids))
        self.add_button.setToolTip("" if plan.goal_ids else "Add a goal first.")
        self._update_buttons()

    def _show_totals(self, plan: plans.ActionPlanView) -> None:
        n = len(plan.activities)
        self.totals.setText(
            f"<b>{n} {'activity' if n == 1 else 'activities'}</b> · "
            f"<b>${plan.total_cost():,}</b> budgeted in total"
        )
        counts = plan.activities_by_type()
        for number, label in self.type_labels.items():
            name = plans.INVOLVEMENT_TYPES[number]
            count = counts.get(number, 0)
            if count:
                label.setText(f"{number} {name}: <b>{count}</b>")
            else:
                none_yet = f'<b style="color:{hex_colour("danger")}">none yet</b>'
                label.setText(f"{number} {name}: {none_yet}")
        missing = [plans.INVOLVEMENT_TYPES[t] for t, c in counts.items() if not c]
        self.missing.setVisible(bool(missing))
        if not n:
            self.missing.setText(
                "No activities yet: the plan should reach families through all six types of "
                "involvement."
            )
        elif missing:
            self.missing.setText(
                f"No activity yet for {_and_list(missing)}: the plan should reach families "
                "through all six types of involvement."
            )

    def selected(self) -> plans.ActivityView | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(ACTIVITY_ROLE) if rows else None

    def select(self, activity_id: str | None) -> None:
        """Select an activity's row (by id), or nothing."""
        self.table.clearSelection()
        for row in range(self.sorted.rowCount()):
            index = self.sorted.index(row, 0)
            if activity_id and index.data(ACTIVITY_ROLE).id == activity_id:
                self.table.selectRow(row)
                return

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        self.edit_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)

    def _double_clicked(self, index) -> None:
        if index.column() != STATUS:  # the status cell edits in place
            self.edit_activity()

    # --- saving -----------------------------------------------------------------------------------

    def _activity_dialog(self, title: str, a: plans.ActivityView | None) -> FormDialog:
        assert self.plan is not None
        plan = self.plan
        dialog = FormDialog(title, parent=self)
        goals = [
            (f"{GOAL_KINDS.get(kind, kind)}: {_short(result)}", goal_id)
            for goal_id, (kind, result, _m) in zip(plan.goal_ids, plan.goals, strict=True)
        ]
        dialog.add_choice("goal_id", "Goal", goals, a.goal_id if a else None)
        dialog.add_line("title", "Activity", a.title if a else "", hint="e.g. Family math night")
        counts = plan.activities_by_type()
        first_missing = next((t for t, c in counts.items() if not c), 1)
        dialog.add_choice(
            "involvement_type",
            "Type of involvement",
            [(f"{n} {name}", n) for n, name in plans.INVOLVEMENT_TYPES.items()],
            a.involvement_type if a else first_missing,
        )
        dialog.add_line(
            "starts_on",
            "Date",
            medium_date(a.starts_on) if a and a.starts_on else "",
            hint="e.g. Oct 14, 2026, or leave empty",
        )
        dialog.add_line(
            "in_charge",
            "In charge",
            a.in_charge if a else "",
            hint="A role, e.g. Parent liaison (never a family member's name)",
        )
        dialog.add_line(
            "cost",
            "Cost ($)",
            str(a.cost) if a and a.cost is not None else "",
            hint="Whole dollars, e.g. 250, or leave empty",
        )
        dialog.add_choice(
            "status",
            "Status",
            [(s, s) for s in plans.ACTIVITY_STATUSES],
            a.status if a else "planned",
        )
        return dialog

    def add_activity(self) -> None:
        if self.plan is None or not self.plan.goal_ids:
            return
        dialog = self._activity_dialog("Add an activity", None)
        dialog.on_save(lambda v: add_activity(self.profile, **v))
        if dialogs.run(dialog):
            self._after_dialog(dialog.result_value)

    def edit_activity(self) -> None:
        activity = self.selected()
        if activity is None or self.plan is None:
            return
        dialog = self._activity_dialog(f"Edit “{_short(activity.title)}”", activity)
        dialog.on_save(lambda v: edit_activity(self.profile, activity.id, **v))
        if dialogs.run(dialog):
            self._after_dialog(dialog.result_value, activity.id)

    def delete_activity(self) -> None:
        """Delete the selected activity, once the coach has read what that does."""
        activity = self.selected()
        if activity is None:
            return
        if not dialogs.confirm(
            self,
            "Delete the activity",
            f"Delete “{_short(activity.title)}” from the plan? It leaves the plan and its "
            "totals. To keep it listed as not done, set its status to dropped instead.",
            yes="Delete",
        ):
            return
        self._write(lambda: delete_activity(self.profile, activity.id))

    def _goal_dialog(self, title: str, goal: tuple[str, str, str] | None) -> FormDialog:
        kind, result, measure = goal or ("", "", "")
        dialog = FormDialog(title, parent=self)
        dialog.add_choice(
            "kind", "Kind of goal", [(label, k) for k, label in GOAL_KINDS.items()], kind or None
        )
        dialog.add_text(
            "desired_result",
            "Desired result",
            result,
            hint="e.g. More students read at grade level by spring",
        )
        dialog.add_line(
            "measure", "Measure", measure, hint="How the team will know, e.g. spring i-Ready"
        )
        return dialog

    def add_goal(self) -> None:
        if self.school_id is None:
            return
        school_id, year = self.school_id, self.school_year
        dialog = self._goal_dialog(f"Add a goal to the {year} action plan", None)
        dialog.on_save(lambda v: add_goal(self.profile, school_id, year, **v))
        if dialogs.run(dialog):
            self._after_dialog(dialog.result_value)

    def _goal(self, goal_id: str) -> tuple[str, str, str] | None:
        if self.plan is None or goal_id not in self.plan.goal_ids:
            return None
        return self.plan.goals[self.plan.goal_ids.index(goal_id)]

    def edit_goal(self, goal_id: str) -> None:
        goal = self._goal(goal_id)
        if goal is None:
            return
        dialog = self._goal_dialog(f"Edit the goal “{_short(goal[1], 40)}”", goal)
        dialog.on_save(lambda v: edit_goal(self.profile, goal_id, **v))
        if dialogs.run(dialog):
            self._after_dialog(dialog.result_value)

    def remove_goal(self, goal_id: str) -> None:
        """Remove a goal; one with activities says they go with it and asks first."""
        goal = self._goal(goal_id)
        if goal is None or self.plan is None:
            return
        served = [a for a in self.plan.activities if a.goal_id == goal_id]
        name = f"{GOAL_KINDS.get(goal[0], goal[0])} goal “{_short(goal[1], 50)}”"
        if served:
            n = len(served)
            listed = _and_list([f"“{_short(a.title, 40)}”" for a in served[:3]])
            more = f" and {n - 3} more" if n > 3 else ""
            text = (
                f"Remove the {name}? Its {n} {'activity' if n == 1 else 'activities'} "
                f"({listed}{more}) {'is' if n == 1 else 'are'} deleted with it. To keep "
                f"{'it' if n == 1 else 'them'}, first move {'it' if n == 1 else 'them'} to "
                "another goal with Edit…."
            )
            yes = f"Remove the goal and {'its activity' if n == 1 else f'its {n} activities'}"
        else:
            text = f"Remove the {name} from the plan? It has no activities."
            yes = "Remove the goal"
        if dialogs.confirm(self, "Remove the goal", text, yes=yes):
            self._write(lambda: remove_goal(self.profile, goal_id, with_activities=bool(served)))

    def _write(self, write: Callable[[], ChangeSummary]) -> None:
        try:
            changes = write()
        except CoachdeskError as exc:
            dialogs.show_error(self, "Not saved", str(exc))
            self.refresh()
            return
        self._after_dialog(changes)

    def _after_dialog(self, changes: ChangeSummary | None, keep: str | None = None) -> None:
        if not changes:
            return
        self.refresh()
        new = sorted(changes.ids("plan_activity"))
        self.select(keep or (new[0] if new else None))
        self._publish(changes)

    def change_status(self, activity_id: str, status: str) -> bool:
        """Save a status chosen in the table; the plan reloads once the cell editor has closed."""
        try:
            changes = plans.update_activity(self.profile, activity_id, status=status)
        except CoachdeskError as exc:
            dialogs.show_error(self, "Not saved", str(exc))
            return False
        QTimer.singleShot(0, self, lambda: self._after_status(changes, activity_id))
        return True

    def _after_status(self, changes: ChangeSummary, activity_id: str) -> None:
        self.refresh()
        self.select(activity_id)
        self._publish(changes)

    def _save_element(self, number: int) -> None:
        if self.school_id is None:
            return
        status = self.element_boxes[number].currentText()
        try:
            changes = plans.set_element_status(
                self.profile, self.school_id, self.school_year, number, status
            )
        except CoachdeskError as exc:
            dialogs.show_error(self, "Not saved", str(exc))
            self.refresh()  # show what is really stored
            return
        self._publish(changes)


def _heading(text: str) -> QLabel:
    label = QLabel(f"<b>{text}</b>")
    return label


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _and_list(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
