"""The guided start of a new coach's own caseload: about you, your programs, your first schools.

Three short pages (QWizard). Each entry is written the moment the coach adds it, so nothing typed
is lost if the wizard is closed half way; what is refused is said in a sentence under the inputs,
with the typing kept. The caseload can be finished later from the caseload itself (Add school…,
or File ▸ Import schools from a file…).
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from coachdesk.core import assignments, coach, organizations
from coachdesk.core.errors import CoachdeskError
from coachdesk.core.programs import Program, programs
from coachdesk.core.store.profile import Profile
from coachdesk.ui.change_bus import bus_for

STATE_NAMES = {"NY": "New York", "MA": "Massachusetts", "OH": "Ohio"}


def _error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("errorText")
    label.setWordWrap(True)
    label.setAccessibleName("Problem")
    label.hide()
    return label


def _named(widget: QWidget, name: str) -> QWidget:
    widget.setAccessibleName(name)
    return widget


class AboutYouPage(QWizardPage):
    def __init__(self, profile: Profile) -> None:
        super().__init__()
        self.profile = profile
        self.setTitle("About you")
        self.setSubTitle(
            "Your name, organization and work contact print on every summary and report you give."
        )
        me = coach.get_coach(profile)
        self.name = _named(QLineEdit(me.name if me.named_by_coach else ""), "Your name")
        self.name.setPlaceholderText("e.g. Dana Whitfield")
        self.employer = _named(QLineEdit(me.employer or ""), "Organization")
        self.employer.setPlaceholderText("your SSP vendor, SSoS region or State Support Team")
        self.email = _named(QLineEdit(me.work_email or ""), "Work e-mail")
        self.email.setPlaceholderText("optional: name@ssp.org")
        self.phone = _named(QLineEdit(me.work_phone or ""), "Work phone")
        self.phone.setPlaceholderText("optional: 518-555-0142")
        self.error = _error_label()
        form = QFormLayout(self)
        form.addRow("Your name", self.name)
        form.addRow("Organization", self.employer)
        form.addRow("Work e-mail", self.email)
        form.addRow("Work phone", self.phone)
        form.addRow(self.error)
        self.name.textChanged.connect(self.completeChanged)

    def isComplete(self) -> bool:  # noqa: N802 - Qt override
        return bool(self.name.text().strip())

    def validatePage(self) -> bool:  # noqa: N802 - Qt override
        try:
            changes = coach.set_coach(
                self.profile,
                name=self.name.text(),
                employer=self.employer.text() or None,
                work_email=self.email.text() or None,
                work_phone=self.phone.text() or None,
            )
        except CoachdeskError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return False
        self.error.hide()
        bus_for(self.profile).publish(changes, initiator=self)
        return True


class ProgramsPage(QWizardPage):
    def __init__(self, profile: Profile) -> None:
        super().__init__()
        self.profile = profile
        self.setTitle("Your programs")
        self.setSubTitle("The state programs you coach in this school year (one or more).")
        chosen = set(coach.my_programs(profile))
        self.boxes: dict[str, QCheckBox] = {}
        layout = QVBoxLayout(self)
        for code, prog in programs().items():
            box = QCheckBox(f"{prog.name} ({STATE_NAMES.get(prog.state, prog.state)})")
            box.setChecked(code in chosen)
            box.toggled.connect(self.completeChanged)
            self.boxes[code] = box
            layout.addWidget(box)
        layout.addStretch(1)
        self.error = _error_label()
        layout.addWidget(self.error)

    def chosen(self) -> list[str]:
        return [code for code, box in self.boxes.items() if box.isChecked()]

    def isComplete(self) -> bool:  # noqa: N802 - Qt override
        return bool(self.chosen())

    def validatePage(self) -> bool:  # noqa: N802 - Qt override
        try:
            coach.set_my_programs(self.profile, self.chosen())
        except CoachdeskError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return False
        return True


class SchoolsPage(QWizardPage):
    """Add districts and schools one at a time; each is written (and assigned) when added."""

    def __init__(self, profile: Profile) -> None:
        super().__init__()
        self.profile = profile
        self.setTitle("Your first districts and schools")
        self.setSubTitle(
            "Add a district, then its schools. You can add more later from the caseload, or "
            "import a file of schools with File ▸ Import schools from a file…"
        )
        self.program_box = _named(QComboBox(), "Program")
        self.program_box.currentIndexChanged.connect(self._program_changed)

        self.district_name = _named(QLineEdit(), "District name")
        self.district_id = _named(QLineEdit(), "District state id")
        self.add_district_button = QPushButton("Add district")
        self.add_district_button.clicked.connect(self.add_district)
        self.district_id.returnPressed.connect(self.add_district)
        district_box = QGroupBox("District")
        district_form = QFormLayout(district_box)
        district_form.addRow("Name", self.district_name)
        self.district_id_label = QLabel("State id")
        district_form.addRow(self.district_id_label, self.district_id)
        district_form.addRow("", self.add_district_button)

        self.school_district = _named(QComboBox(), "The school's district")
        self.school_name = _named(QLineEdit(), "School name")
        self.school_id = _named(QLineEdit(), "School state id")
        self.grades = _named(QLineEdit(), "Grades")
        self.grades.setPlaceholderText("e.g. K-5")
        self.receivership_year = _named(QSpinBox(), "Receivership year")
        self.stage = _named(QComboBox(), "Starting stage")
        self.add_school_button = QPushButton("Add school")
        self.add_school_button.clicked.connect(self.add_school)
        self.grades.returnPressed.connect(self.add_school)
        school_box = QGroupBox("School")
        self.school_form = QFormLayout(school_box)
        self.school_form.addRow("District", self.school_district)
        self.school_form.addRow("Name", self.school_name)
        self.school_id_label = QLabel("State id")
        self.school_form.addRow(self.school_id_label, self.school_id)
        self.school_form.addRow("Grades", self.grades)
        self.school_form.addRow("Receivership year", self.receivership_year)
        self.school_form.addRow("Starting stage", self.stage)
        self.school_form.addRow("", self.add_school_button)

        self.error = _error_label()
        self.added = _named(QListWidget(), "Added so far")
        self.added.setMaximumHeight(110)

        top = QHBoxLayout()
        top.addWidget(QLabel("Program"))
        top.addWidget(self.program_box, 1)
        columns = QHBoxLayout()
        columns.addWidget(district_box, 1)
        columns.addWidget(school_box, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(columns)
        layout.addWidget(self.error)
        layout.addWidget(QLabel("Added so far:"))
        layout.addWidget(self.added)

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        """Offer the programs chosen on the page before."""
        chosen = coach.my_programs(self.profile) or tuple(programs())
        self.program_box.blockSignals(True)
        self.program_box.clear()
        for code in chosen:
            self.program_box.addItem(programs()[code].name, code)
        self.program_box.blockSignals(False)
        self._program_changed()
        self.district_name.setFocus()

    # --- the program decides the state, the id's name and what a school starts with ----------

    def program(self) -> Program:
        return programs()[self.program_box.currentData()]

    def _program_changed(self) -> None:
        if self.program_box.currentData() is None:
            return
        prog = self.program()
        rules = organizations.state_rules(prog.state)
        for label, edit in (
            (self.district_id_label, self.district_id),
            (self.school_id_label, self.school_id),
        ):
            label.setText(prog.state_id_label)
            edit.setPlaceholderText(f"{rules.digits} digits (optional)")
        ny, oh = prog.status_kind == "receivership_year", prog.status_kind == "stage"
        self.receivership_year.setRange(1, max(1, prog.receivership_year_max))
        self.school_form.setRowVisible(self.receivership_year, ny)
        self.stage.clear()
        self.stage.addItems(list(prog.stages))
        self.school_form.setRowVisible(self.stage, oh)
        self._fill_districts()

    def _fill_districts(self, select: str | None = None) -> None:
        state = self.program().state
        self.school_district.clear()
        for org in organizations.list_organizations(self.profile, kind="district"):
            if org.state == state:
                self.school_district.addItem(org.name, org.id)
        if select is not None:
            self.school_district.setCurrentIndex(self.school_district.findData(select))

    # --- adding -----------------------------------------------------------------------------

    def add_district(self) -> None:
        prog = self.program()
        try:
            written = organizations.add_district(
                self.profile,
                name=self.district_name.text(),
                state=prog.state,
                state_id=self.district_id.text() or None,
            )
            changes = written.changes
            if prog.code == "MA_SSOS":  # an SSoS partnership is with the district
                changes = changes.merged(
                    assignments.assign(
                        self.profile, written.id, assignments.AssignmentFields(prog.code)
                    ).changes
                )
        except CoachdeskError as exc:
            return self._refused(exc)
        partnership = f", {prog.name} partnership" if prog.code == "MA_SSOS" else ""
        self._added(f"{self.district_name.text().strip()}: district{partnership}")
        bus_for(self.profile).publish(changes, initiator=self)
        self._fill_districts(select=written.id)
        self.district_name.clear()
        self.district_id.clear()
        self.school_name.setFocus()

    def add_school(self) -> None:
        prog = self.program()
        fields = assignments.AssignmentFields(
            prog.code,
            receivership_year=(
                self.receivership_year.value() if prog.status_kind == "receivership_year" else None
            ),
            stage=self.stage.currentText() if prog.status_kind == "stage" else None,
        )
        school = organizations.OrganizationFields(
            "school",
            self.school_name.text(),
            prog.state,
            state_id=self.school_id.text() or None,
            parent_id=self.school_district.currentData(),
            grade_span=self.grades.text() or None,
        )
        try:
            if school.parent_id is None:
                raise organizations.ValidationError("Add the school's district first.")
            written = assignments.add_assigned_school(self.profile, school, fields)
        except CoachdeskError as exc:
            return self._refused(exc)
        district = self.school_district.currentText()
        self._added(f"    {self.school_name.text().strip()}: school in {district}")
        bus_for(self.profile).publish(written.changes, initiator=self)
        for edit in (self.school_name, self.school_id, self.grades):
            edit.clear()
        self.school_name.setFocus()

    def _refused(self, exc: CoachdeskError) -> None:
        self.error.setText(str(exc))  # what was typed stays, to be corrected
        self.error.show()

    def _added(self, line: str) -> None:
        self.error.hide()
        self.added.addItem(line)
        self.added.scrollToBottom()


class GuidedStart(QWizard):
    """The three pages; the profile holds whatever was entered, finished or not."""

    def __init__(self, profile: Profile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Set up my caseload")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.about = AboutYouPage(profile)
        self.programs = ProgramsPage(profile)
        self.schools = SchoolsPage(profile)
        for page in (self.about, self.programs, self.schools):
            self.addPage(page)
        self.setButtonText(QWizard.WizardButton.FinishButton, "Open my caseload")
        self.resize(760, 560)
