"""Assigning a district or school to a program for a school year, and ending an assignment.

The program's own details follow the choice: NY Receivership its Receivership year, an MA
SSoS district partnership its identified schools (chosen from the district's schools), OH NNPS
its starting stage. The organization's current assignments are listed, each can be ended.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from coachdesk.core import assignments, organizations
from coachdesk.core import school_year as years
from coachdesk.core.caseload import current_school_year
from coachdesk.core.errors import CoachdeskError
from coachdesk.core.organizations import OrganizationView, Written
from coachdesk.core.programs import programs
from coachdesk.core.store.profile import Profile
from coachdesk.ui import dialogs
from coachdesk.ui.change_bus import bus_for


def _label(org: OrganizationView) -> str:
    if org.kind == "district":
        return f"{org.name} (district, {org.state})"
    return f"{org.name} ({org.parent_name or org.state})"


class AssignDialog(QDialog):
    """After it is accepted, `written` holds the new assignment's id and what changed."""

    def __init__(
        self, profile: Profile, org_id: str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.profile = profile
        self.written: Written | None = None
        self.setWindowTitle("Assign to a program")
        self.setMinimumWidth(540)
        self.orgs = organizations.list_organizations(profile)
        self.by_id = {o.id: o for o in self.orgs}

        self.form = QFormLayout()
        self.org = QComboBox()
        self.org.setEditable(True)
        self.org.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for org in self.orgs:
            self.org.addItem(_label(org), org.id)
        completer = QCompleter(self.org.model(), self.org)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.org.setCompleter(completer)
        self.program = QComboBox()
        self.year = QComboBox()
        this_year = current_school_year()
        for label in (this_year, years.label(years.parse(this_year) + 1)):
            self.year.addItem(label, label)
        self.role = QComboBox()
        self.role.addItem("Lead coach", "lead")
        self.role.addItem("Support", "support")
        self.receivership_year = QSpinBox()
        self.receivership_year.setRange(1, 10)
        self.stage = QComboBox()
        self.identified = QListWidget()
        self.identified.setMaximumHeight(140)
        for widget, label in (
            (self.org, "District or school"),
            (self.program, "Program"),
            (self.year, "School year"),
            (self.role, "Role"),
            (self.receivership_year, "Receivership year"),
            (self.stage, "Starting stage"),
            (self.identified, "Identified schools"),
        ):
            widget.setAccessibleName(label)
            self.form.addRow(label, widget)

        self.current = QListWidget()
        self.current.setAccessibleName("Current assignments")
        self.current.setMaximumHeight(110)
        self.end_button = QPushButton("End the selected assignment…")
        self.end_button.setAccessibleName("End the selected assignment")
        self.end_button.clicked.connect(self.end_selected)
        self.problem = QLabel()
        self.problem.setObjectName("errorText")
        self.problem.setWordWrap(True)
        self.problem.setVisible(False)
        self.problem.setAccessibleName("Problem")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("Assign")
        self.save_button.setDefault(True)
        buttons.accepted.connect(self.try_accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        current_title = QLabel("Assignments now")
        current_title.setObjectName("subtle")
        layout.addWidget(current_title)
        layout.addWidget(self.current)
        layout.addWidget(self.end_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

        self.org.currentIndexChanged.connect(self._org_changed)
        self.program.currentIndexChanged.connect(self._program_changed)
        found = self.org.findData(org_id) if org_id else -1
        self.org.setCurrentIndex(found if found >= 0 else 0)
        self._org_changed()

    def chosen(self) -> OrganizationView | None:
        index = self.org.currentIndex()
        if index < 0 or self.org.itemText(index) != self.org.currentText():
            return None
        return self.by_id.get(self.org.itemData(index))

    def _org_changed(self, _index: int = -1) -> None:
        org = self.chosen()
        self.program.blockSignals(True)
        self.program.clear()
        for code, prog in programs().items():
            if org is not None and prog.state == org.state:
                if prog.code == "NY_RCV" and org.kind != "school":
                    continue  # Receivership assigns schools
                self.program.addItem(prog.name, code)
        self.program.blockSignals(False)
        self._program_changed()
        self._fill_current()

    def _program_changed(self, _index: int = -1) -> None:
        org = self.chosen()
        prog = programs().get(self.program.currentData() or "")
        self.form.setRowVisible(self.receivership_year, prog is not None and prog.code == "NY_RCV")
        self.stage.clear()
        if prog is not None and prog.stages:
            self.stage.addItem("Not recorded yet", "")
            for stage in prog.stages:
                self.stage.addItem(stage, stage)
        self.form.setRowVisible(self.stage, prog is not None and bool(prog.stages))
        partnership = (
            prog is not None and prog.code == "MA_SSOS" and org is not None
        ) and org.kind == "district"
        self.identified.clear()
        if partnership and org is not None:
            for school in self.orgs:
                if school.kind == "school" and school.parent_id == org.id:
                    item = QListWidgetItem(school.name)
                    item.setData(Qt.ItemDataRole.UserRole, school.id)
                    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                    item.setCheckState(Qt.CheckState.Unchecked)
                    self.identified.addItem(item)
        self.form.setRowVisible(self.identified, partnership)

    def _fill_current(self) -> None:
        self.current.clear()
        org = self.chosen()
        rows = assignments.list_assignments(self.profile, org_id=org.id) if org else []
        for row in rows:
            text = f"{row.program_name}, {row.school_year}, {row.role}"
            if row.receivership_year:
                text += f", Receivership year {row.receivership_year}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            self.current.addItem(item)
        if not rows:
            self.current.addItem("None")
        self.end_button.setEnabled(bool(rows))

    def identified_ids(self) -> list[str]:
        return [
            self.identified.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.identified.count())
            if self.identified.item(i).checkState() == Qt.CheckState.Checked
        ]

    def fields(self) -> assignments.AssignmentFields:
        code = self.program.currentData()
        if not code:
            raise organizations.ValidationError(
                "Choose the program; the district or school must be in NY, MA or OH."
            )
        return assignments.AssignmentFields(
            code,
            school_year=self.year.currentText(),
            role=str(self.role.currentData()),
            receivership_year=self.receivership_year.value()
            if self.form.isRowVisible(self.receivership_year)
            else None,
            stage=(self.stage.currentData() or None) if self.stage.count() else None,
            identified_schools=self.identified_ids(),
        )

    def try_accept(self) -> bool:
        self.problem.setVisible(False)
        org = self.chosen()
        try:
            if org is None:
                raise organizations.ValidationError(
                    f"No district or school is called “{self.org.currentText().strip()}”; "
                    "choose one from the list."
                )
            self.written = assignments.assign(self.profile, org.id, self.fields())
        except CoachdeskError as refused:
            self.problem.setText(str(refused))
            self.problem.setVisible(True)
            return False
        bus_for(self.profile).publish(self.written.changes, initiator=self)
        self.accept()
        return True

    def end_selected(self) -> None:
        item = self.current.currentItem() or self.current.item(0)
        assignment_id = item.data(Qt.ItemDataRole.UserRole) if item else None
        org = self.chosen()
        if not assignment_id or org is None:
            return
        if not dialogs.confirm(
            self,
            "End an assignment",
            f"End {org.name}'s assignment ({item.text()})? It leaves the caseload; its visits "
            "and notes stay.",
            yes="End the assignment",
        ):
            return
        try:
            changes = assignments.end_assignment(self.profile, assignment_id)
        except CoachdeskError as exc:
            self.problem.setText(str(exc))
            self.problem.setVisible(True)
            return
        bus_for(self.profile).publish(changes, initiator=self)
        self._fill_current()


def assign_organization(
    profile: Profile, parent: QWidget | None, org_id: str | None = None
) -> Written | None:
    """Open "Assign to a program" (on this district or school); None when cancelled."""
    dialog = AssignDialog(profile, org_id, parent)
    if dialogs.run(dialog) == QDialog.DialogCode.Accepted:
        return dialog.written
    return None
