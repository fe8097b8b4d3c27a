"""The contacts of a school or a district: add, edit, deactivate and bring back.

On a school's page the district's contacts are listed with the school's own, marked
"district": they are entered once, on the district's page, and edited there.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from coachdesk.core import schools
from coachdesk.core.changes import ChangeSummary
from coachdesk.core.dates_text import medium_date
from coachdesk.core.store.profile import Profile
from coachdesk.ui import dialogs
from coachdesk.ui.caseload.form_dialog import FormDialog
from coachdesk.ui.change_bus import bus_for
from coachdesk.ui.item_views import tab_leaves

COLUMNS = ("Name", "Role", "Work e-mail", "Work phone")


class ContactsPanel(QFrame):
    """Emits `open_district()` when the coach opens a district contact listed on a school."""

    open_district = Signal()

    def __init__(self, profile: Profile, *, where: str = "school") -> None:
        super().__init__()
        self.setObjectName("card")
        self.profile = profile
        self.bus = bus_for(profile)
        self.where = where  # "school" or "district": whose contacts these are
        # A SchoolDetail, or a DistrictDetail (coachdesk/core/districts.py): an id, contacts
        # and the roles its programs offer.
        self.school: schools.SchoolDetail | Any = None
        self.shown: list[schools.ContactView] = []

        title = QLabel("Contacts")
        title.setObjectName("sectionTitle")
        self.show_former = QCheckBox("Show former contacts")
        self.show_former.setAccessibleName("Show former contacts")
        self.show_former.toggled.connect(self._fill)
        self.table = tab_leaves(QTableWidget(0, len(COLUMNS)))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setAccessibleName(f"Contacts at this {where}")
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setMinimumHeight(200)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemActivated.connect(lambda _item: self._open_selected())

        self.add_button = QPushButton("Add contact…")
        self.edit_button = QPushButton("Edit…")
        self.active_button = QPushButton("Deactivate")
        for button, name in (
            (self.add_button, "Add a contact"),
            (self.edit_button, "Edit the selected contact"),
            (self.active_button, "Deactivate or bring back the selected contact"),
        ):
            button.setAccessibleName(name)
        self.add_button.clicked.connect(self.add_contact)
        self.edit_button.clicked.connect(self.edit_contact)
        self.active_button.clicked.connect(self.toggle_active)

        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.show_former)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.active_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        note = QLabel(
            "Adults only, with work details. Never add students or family members."
            + (
                " A district contact appears on each of its schools' pages."
                if where == "district"
                else ""
            )
        )
        note.setObjectName("subtle")
        note.setWordWrap(True)
        layout.addWidget(note)

    def _publish(self, changes: ChangeSummary) -> None:
        """Tell the views showing these records; this one shows its own change already."""
        self.bus.publish(changes, initiator=self)

    def show_school(self, school: Any) -> None:
        """Show the contacts of a school (with its district's) or of a district."""
        self.school = school
        self._fill()

    def _fill(self) -> None:
        if self.school is None:
            return
        selected = self.selected()
        self.shown = [c for c in self.school.contacts if c.active or self.show_former.isChecked()]
        self.table.setRowCount(len(self.shown))
        for row, contact in enumerate(self.shown):
            values = (
                contact.name,
                f"{contact.role} (district)" if contact.district_contact else contact.role,
                contact.work_email or "",
                contact.work_phone or "",
            )
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if contact.district_contact:
                    item.setToolTip(
                        "The district's contact, entered once for all its schools: edit them "
                        "on the district's page (Enter opens it)."
                    )
                if not contact.active:
                    item.setForeground(Qt.GlobalColor.gray)
                    item.setToolTip(
                        f"Former contact (until {medium_date(contact.active_to)})"
                        if contact.active_to
                        else "Former contact"
                    )
                self.table.setItem(row, column, item)
            if selected and contact.id == selected.id:
                self.table.selectRow(row)
        self._update_buttons()

    def selected(self) -> schools.ContactView | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.shown[rows[0].row()] if rows and rows[0].row() < len(self.shown) else None

    def _update_buttons(self) -> None:
        contact = self.selected()
        own = contact is not None and not contact.district_contact
        self.edit_button.setEnabled(own)
        self.active_button.setEnabled(own)
        tip = "A district contact: edit it on the district's page." if contact and not own else ""
        self.edit_button.setToolTip(tip)
        self.active_button.setToolTip(tip)
        self.active_button.setText(
            "Bring back" if contact is not None and not contact.active else "Deactivate"
        )

    # --- actions ----------------------------------------------------------------------------------

    def _contact_dialog(self, title: str, contact: schools.ContactView | None) -> FormDialog:
        assert self.school is not None
        dialog = FormDialog(title, parent=self)
        dialog.add_line("name", "Name", contact.name if contact else "")
        roles = [(role, role) for role in self.school.contact_roles]
        dialog.add_choice("role", "Role", roles, contact.role if contact else None, editable=True)
        dialog.add_line(
            "work_email",
            "Work e-mail",
            contact.work_email if contact else "",
            hint="name@school.org",
        )
        dialog.add_line(
            "work_phone",
            "Work phone",
            contact.work_phone if contact else "",
            hint="(555) 555-0100 x12",
        )
        return dialog

    def add_contact(self) -> None:
        if self.school is None:
            return
        school_id = self.school.id
        dialog = self._contact_dialog("Add a contact", None)
        dialog.on_save(lambda v: schools.add_contact(self.profile, school_id, **v))
        if dialogs.run(dialog):
            self._publish(_touched_contact(dialog.result_value))

    def _open_selected(self) -> None:
        """Enter or a double-click: edit the contact, or open the district's page for its own."""
        contact = self.selected()
        if contact is not None and contact.district_contact:
            self.open_district.emit()
        else:
            self.edit_contact()

    def edit_contact(self) -> None:
        contact = self.selected()
        if contact is None or contact.district_contact:
            return
        dialog = self._contact_dialog(f"Edit {contact.name}", contact)
        dialog.on_save(lambda v: schools.update_contact(self.profile, contact.id, **v))
        if dialogs.run(dialog):
            self._publish(_touched_contact(dialog.result_value))

    def toggle_active(self) -> None:
        contact = self.selected()
        if contact is None or contact.district_contact:
            return
        if contact.active and not dialogs.confirm(
            self,
            "Deactivate contact",
            f"Mark {contact.name} as no longer at this {self.where}? They stay in the history and "
            "can be brought back.",
            yes="Deactivate",
        ):
            return
        updated = schools.set_contact_active(self.profile, contact.id, active=not contact.active)
        self._publish(_touched_contact(updated))


def _touched_contact(contact: schools.ContactView | None) -> ChangeSummary:
    return ChangeSummary.of({"contact": [contact.id]}) if contact else ChangeSummary()
