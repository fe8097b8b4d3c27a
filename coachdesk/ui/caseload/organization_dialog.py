"""Adding a school or a district, and editing one's details (issue 12).

One dialog for both kinds: name, state, the state id (its label and format follow the state:
BEDS code, organization code, IRN), the school's district (a searchable list of the caseload's
districts of that state, with "Add a new district…"), grade span, address and time zone
(defaulted from the state). A new school may be assigned to a program for the current school
year in the same write. A refused input shows core's sentence under its field and keeps what
was typed; Enter saves, Escape cancels. Every write is published on the change bus.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from coachdesk.core import assignments, organizations
from coachdesk.core.caseload import current_school_year
from coachdesk.core.errors import CoachdeskError
from coachdesk.core.organizations import STATES, OrganizationFields, OrganizationView, Written
from coachdesk.core.programs import programs
from coachdesk.core.store.profile import Profile
from coachdesk.ui import dialogs
from coachdesk.ui.change_bus import bus_for

logger = logging.getLogger(__name__)

# The state id as each state's directory names it, and its format as a hint in the field.
ID_LABELS = {"NY": "BEDS code", "MA": "Organization code", "OH": "IRN"}
ID_HINTS = {
    "NY": "12 digits, like 010100010000",
    "MA": "8 digits, like 00350000",
    "OH": "6 digits, like 043752",
}
STATE_NAMES = {"NY": "New York", "MA": "Massachusetts", "OH": "Ohio"}
TIME_ZONES = (
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
)
NEW_DISTRICT = "__new_district__"
NO_DISTRICT = ""
NO_PROGRAM = ""


def default_state(profile: Profile) -> str:
    """The state most of the caseload's districts and schools are in (NY when there are none)."""
    counts: dict[str, int] = {}
    for org in organizations.list_organizations(profile, archived=True):
        counts[org.state] = counts.get(org.state, 0) + 1
    return max(counts, key=lambda s: counts[s]) if counts else "NY"


class OrganizationDialog(QDialog):
    """Add a school or district (`existing` None) or edit one's details.

    After it is accepted, `written` holds the id of the record and what the write changed.
    """

    def __init__(
        self,
        profile: Profile,
        *,
        kind: str = "school",
        existing: OrganizationView | None = None,
        state: str | None = None,
        district_id: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.profile = profile
        self.kind = existing.kind if existing else kind
        self.existing = existing
        self.written: Written | None = None
        what = "school" if self.kind == "school" else "district"
        if existing is None:
            self.setWindowTitle(f"Add a {what}")
        else:
            self.setWindowTitle(f"Edit {what} details: {existing.name}")
        self.setMinimumWidth(520)
        self.inputs: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        self.name = self._add("name", f"{what.capitalize()} name", QLineEdit())
        self.state = self._add("state", "State", QComboBox())
        for code in STATES:
            self.state.addItem(f"{code} ({STATE_NAMES[code]})", code)
        self.state_id = self._add("state_id", "BEDS code", QLineEdit())
        self.district = self._add("district", "District", QComboBox())
        self.district.setEditable(True)
        self.district.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = QCompleter(self.district.model(), self.district)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.district.setCompleter(completer)
        self.grades = self._add("grades", "Grade span", QLineEdit())
        self.grades.setPlaceholderText("like K-5, 6-8, 9-12 or PK-8")
        self.address = self._add("address", "Address", QLineEdit())
        self.address.setPlaceholderText("Street, city, ZIP")
        self.tz = self._add("tz", "Time zone", QComboBox())
        self.tz.setEditable(True)
        self.tz.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.tz.addItems(TIME_ZONES)

        # A new school: its program for this school year, written with it.
        self.year = current_school_year()
        self.program = self._add("program", f"Program for {self.year}", QComboBox())
        self.role = self._add("role", "Role", QComboBox())
        self.role.addItem("Lead coach", "lead")
        self.role.addItem("Support", "support")
        self.receivership_year = self._add("receivership_year", "Receivership year", QSpinBox())
        self.receivership_year.setRange(1, 10)
        self.stage = self._add("stage", "Starting stage", QComboBox())

        self.problem = QLabel()
        self.problem.setObjectName("errorText")
        self.problem.setWordWrap(True)
        self.problem.setVisible(False)
        self.problem.setAccessibleName("Problem")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(f"Add {what}" if existing is None else "Save")
        self.save_button.setDefault(True)
        self.buttons.accepted.connect(self.try_accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.problem)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        self._tz_default = ""
        self._fill(existing, state or (existing.state if existing else None), district_id)
        self.state.currentIndexChanged.connect(self._state_changed)
        self.district.activated.connect(self._district_chosen)
        self.program.currentIndexChanged.connect(self._show_program_rows)
        self.name.setFocus()

    # --- building -------------------------------------------------------------------------------

    def _add(self, key: str, label: str, widget: Any) -> Any:
        widget.setAccessibleName(label)
        error = QLabel()
        error.setObjectName("errorText")
        error.setWordWrap(True)
        error.setVisible(False)
        error.setAccessibleName(f"Problem with the {label.lower()}")
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        column.addWidget(error)
        self.form.addRow(label, holder)
        self.inputs[key] = holder
        self.errors[key] = error
        return widget

    def _row_visible(self, key: str, visible: bool) -> None:
        self.form.setRowVisible(self.inputs[key], visible)

    def _fill(
        self, existing: OrganizationView | None, state: str | None, district_id: str | None
    ) -> None:
        if state is None and district_id:
            # A school added beside another: the state of that school's district.
            try:
                state = organizations.get_organization(self.profile, district_id).state
            except CoachdeskError:
                state = None
        code = (state or default_state(self.profile)).upper()
        self.state.setCurrentIndex(max(0, self.state.findData(code)))
        if existing is not None:
            self.name.setText(existing.name)
            self.state_id.setText(existing.state_id or "")
            self.grades.setText(existing.grade_span or "")
            self.address.setText(existing.address or "")
            # The state cannot change here: a school's district and its id belong to it.
            self.state.setEnabled(False)
            district_id = existing.parent_id
        self._state_changed(district_id=district_id)
        if existing is not None:
            self.tz.setEditText(existing.tz)
        is_school = self.kind == "school"
        self._row_visible("district", is_school)
        self._row_visible("grades", is_school)
        for key in ("program", "role", "receivership_year", "stage"):
            self._row_visible(key, is_school and existing is None)
        self._show_program_rows()

    def current_state(self) -> str:
        return str(self.state.currentData())

    def _state_changed(self, _index: int = -1, *, district_id: str | None = None) -> None:
        """The state id's label and format, the state's districts, its time zone and programs."""
        code = self.current_state()
        label = ID_LABELS[code]
        field_label = self.form.labelForField(self.inputs["state_id"])
        if isinstance(field_label, QLabel):
            field_label.setText(label)
        self.state_id.setAccessibleName(label)
        self.state_id.setPlaceholderText(ID_HINTS[code])
        self.errors["state_id"].setVisible(False)
        wanted_tz = STATES[code].tz
        if not self.tz.currentText().strip() or self.tz.currentText() == self._tz_default:
            self.tz.setEditText(wanted_tz)
        self._tz_default = wanted_tz
        self._fill_districts(code, district_id)
        self._fill_programs(code)

    def _fill_districts(self, state: str, select_id: str | None) -> None:
        if self.kind != "school":
            return
        self.district.blockSignals(True)
        self.district.clear()
        self.district.addItem("No district", NO_DISTRICT)
        for org in organizations.list_organizations(self.profile, kind="district"):
            if org.state == state:
                self.district.addItem(org.name, org.id)
        self.district.addItem("Add a new district…", NEW_DISTRICT)
        found = self.district.findData(select_id) if select_id else -1
        # With districts to choose from, none is chosen until the coach types or picks one.
        if found >= 0:
            self.district.setCurrentIndex(found)
        elif self.district.count() > 2:
            self.district.setCurrentIndex(-1)
            self.district.setEditText("")
        else:
            self.district.setCurrentIndex(0)
        self.district.lineEdit().setPlaceholderText("Type to find the district")
        self.district.blockSignals(False)

    def _fill_programs(self, state: str) -> None:
        chosen = self.program.currentData()
        self.program.blockSignals(True)
        self.program.clear()
        self.program.addItem("No program yet", NO_PROGRAM)
        for code, prog in programs().items():
            if prog.state == state:
                self.program.addItem(prog.name, code)
        found = self.program.findData(chosen) if chosen else -1
        self.program.setCurrentIndex(found if found > 0 else min(1, self.program.count() - 1))
        self.program.blockSignals(False)
        self._show_program_rows()

    def _show_program_rows(self, _index: int = -1) -> None:
        if self.kind != "school" or self.existing is not None:
            return
        code = self.program.currentData()
        prog = programs().get(code) if code else None
        self._row_visible("role", prog is not None)
        self._row_visible("receivership_year", prog is not None and prog.code == "NY_RCV")
        has_stages = prog is not None and bool(prog.stages)
        self._row_visible("stage", has_stages)
        self.stage.clear()
        if prog is not None and prog.stages:
            self.stage.addItem("Not recorded yet", "")
            for stage in prog.stages:
                self.stage.addItem(stage, stage)

    def _district_chosen(self, index: int) -> None:
        if self.district.itemData(index) != NEW_DISTRICT:
            return
        nested = OrganizationDialog(
            self.profile, kind="district", state=self.current_state(), parent=self
        )
        accepted = dialogs.run(nested) == QDialog.DialogCode.Accepted and nested.written
        self._fill_districts(self.current_state(), nested.written.id if accepted else None)
        self.district.setFocus()

    # --- saving ---------------------------------------------------------------------------------

    def district_id(self) -> str | None:
        """The district chosen or typed; ValidationError when the text names none of them."""
        typed = self.district.currentText().strip()
        if not typed:
            if self.district.count() > 2:
                raise organizations.ValidationError(
                    "Choose the school's district from the list (or “No district” for a school "
                    "that has none)."
                )
            return None
        index = self.district.currentIndex()
        if index >= 0 and self.district.itemText(index) == typed:
            data = self.district.itemData(index)
        else:
            matches = [
                i for i in range(self.district.count())
                if self.district.itemText(i).casefold() == typed.casefold()
            ]  # fmt: skip
            if not matches:
                raise organizations.ValidationError(
                    f"No {self.current_state()} district in the caseload is called “{typed}”; "
                    "choose one from the list or “Add a new district…”."
                )
            data = self.district.itemData(matches[0])
        if data == NEW_DISTRICT:
            raise organizations.ValidationError(
                "Choose the school's district, or add the new district first."
            )
        return data or None

    def _clear_problems(self) -> None:
        self.problem.setVisible(False)
        for label in self.errors.values():
            label.setVisible(False)

    def show_problem(self, key: str | None, sentence: str) -> None:
        label = self.errors.get(key) if key else None
        if label is None or not self.form.isRowVisible(self.inputs[key]):
            label = self.problem
        label.setText(sentence)
        label.setVisible(True)

    def _field_problems(self) -> dict[str, str]:
        """Each field's own check, so its sentence can sit under it."""
        state = self.current_state()
        checks = {
            "name": lambda: organizations.check_name(self.kind, self.name.text()),
            "state_id": lambda: organizations.check_state_id(
                state, self.kind, self.state_id.text()
            ),
            "grades": lambda: organizations.check_grade_span(self.grades.text()),
            "address": lambda: organizations.check_address(self.address.text()),
            "tz": lambda: organizations.check_tz(state, self.tz.currentText()),
        }
        if self.kind == "school":
            checks["district"] = self.district_id
        found: dict[str, str] = {}
        for key, check in checks.items():
            if key == "grades" and self.kind != "school":
                continue
            try:
                check()
            except CoachdeskError as refused:
                found[key] = str(refused)
        return found

    def try_accept(self) -> bool:
        """Write; close on success, or show the refusal under its field and keep the typing."""
        self._clear_problems()
        found = self._field_problems()
        if found:
            for key, sentence in found.items():
                self.show_problem(key, sentence)
            first = next(iter(found))
            target = self.inputs[first].findChild(QWidget)
            if target is not None:
                target.setFocus()
            return False
        try:
            self.written = self._write()
        except CoachdeskError as refused:
            self.show_problem(self._field_of(str(refused)), str(refused))
            return False
        bus_for(self.profile).publish(self.written.changes, initiator=self)
        self.accept()
        return True

    def _field_of(self, sentence: str) -> str | None:
        """Which field a refusal from the write is about (a taken state id, the district...)."""
        rules = STATES[self.current_state()]
        if rules.id_label in sentence:
            return "state_id"
        if "Receivership year" in sentence:
            return "receivership_year"
        if "stage" in sentence:
            return "stage"
        if "assigned" in sentence or "program" in sentence:
            return "program"
        if "district" in sentence and self.kind == "school":
            return "district"
        return None

    def _fields(self) -> OrganizationFields:
        return OrganizationFields(
            self.kind,
            self.name.text(),
            self.current_state(),
            state_id=self.state_id.text(),
            parent_id=self.district_id() if self.kind == "school" else None,
            grade_span=self.grades.text() if self.kind == "school" else None,
            address=self.address.text(),
            tz=self.tz.currentText(),
        )

    def _write(self) -> Written:
        fields = self._fields()
        if self.existing is not None:
            changes = organizations.edit_organization(
                self.profile,
                self.existing.id,
                name=fields.name,
                state_id=fields.state_id or None,
                parent_id=fields.parent_id,
                grade_span=fields.grade_span or None,
                address=fields.address or None,
                tz=fields.tz,
            )
            return Written(self.existing.id, changes)
        if self.kind == "district":
            return organizations.add_district(
                self.profile,
                name=fields.name,
                state=fields.state,
                state_id=fields.state_id,
                address=fields.address,
                tz=fields.tz,
            )
        program = self.program.currentData()
        if program:
            stage = (
                self.stage.currentData() if self.form.isRowVisible(self.inputs["stage"]) else None
            )
            rcv = self.form.isRowVisible(self.inputs["receivership_year"])
            return assignments.add_assigned_school(
                self.profile,
                fields,
                assignments.AssignmentFields(
                    program,
                    role=str(self.role.currentData()),
                    receivership_year=self.receivership_year.value() if rcv else None,
                    stage=stage or None,
                ),
            )
        return organizations.add_school(
            self.profile,
            name=fields.name,
            district_id=fields.parent_id,
            state=fields.state,
            state_id=fields.state_id,
            grade_span=fields.grade_span,
            address=fields.address,
            tz=fields.tz,
        )


def add_organization(
    profile: Profile,
    parent: QWidget | None,
    *,
    kind: str = "school",
    district_id: str | None = None,
) -> Written | None:
    """Open "Add a school" or "Add a district"; the record written, or None when cancelled."""
    dialog = OrganizationDialog(profile, kind=kind, district_id=district_id, parent=parent)
    if dialogs.run(dialog) == QDialog.DialogCode.Accepted:
        return dialog.written
    return None


def edit_organization_details(
    profile: Profile, org_id: str, parent: QWidget | None
) -> Written | None:
    """Open "Edit school details" (or a district's) for one record; None when cancelled."""
    try:
        existing = organizations.get_organization(profile, org_id)
    except CoachdeskError as exc:
        dialogs.show_error(parent, "Cannot edit", str(exc))
        return None
    dialog = OrganizationDialog(profile, existing=existing, parent=parent)
    if dialogs.run(dialog) == QDialog.DialogCode.Accepted:
        return dialog.written
    return None
