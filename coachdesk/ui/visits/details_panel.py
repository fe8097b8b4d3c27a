"""The visit's own details: type, start and end, purpose, and who attended.

Attendees are adults: picked from the school's active contacts, or added by role ("Principal")
when the person is not a contact. There is deliberately no free-text name box, so a student's
name cannot be typed here.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyle,
    QStyleOptionComboBox,
    QVBoxLayout,
    QWidget,
)

from coachdesk.core import visits
from coachdesk.core.changes import ChangeSummary
from coachdesk.core.errors import CoachdeskError
from coachdesk.core.schools import SchoolDetail
from coachdesk.core.store.profile import Profile
from coachdesk.core.visits import VISIT_TYPE_LABELS, Attendee, VisitDetail
from coachdesk.ui import dialogs
from coachdesk.ui.change_bus import bus_for
from coachdesk.ui.date_input import DateTimeInput, SideBySide, TimeInput


class AddingBox(QComboBox):
    """A list to add from ("Add a contact…"): the keys that would pick an item of the closed
    box (arrows, a letter) open the list instead, so a keyboard moves through it and adds
    nothing until Enter chooses; a plain combo box adds each item the arrow passes."""

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt override
        plain = not event.modifiers() & (
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
        )
        moves = event.key() in (
            Qt.Key.Key_Up,
            Qt.Key.Key_Down,
            Qt.Key.Key_PageUp,
            Qt.Key.Key_PageDown,
            Qt.Key.Key_Home,
            Qt.Key.Key_End,
        )
        if plain and (moves or event.text().strip()):
            self.showPopup()
            return
        super().keyPressEvent(event)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        """Wide enough for what it offers ("Add by role…", its first item) whole."""
        hint = super().minimumSizeHint()
        if not self.count():
            return hint
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        text = QSize(self.fontMetrics().horizontalAdvance(self.itemText(0)), hint.height())
        need = self.style().sizeFromContents(QStyle.ContentsType.CT_ComboBox, option, text, self)
        return QSize(max(hint.width(), need.width()), hint.height())


def attendee_text(attendee: Attendee) -> str:
    return f"{attendee.name} · {attendee.role}" if attendee.name else attendee.role


class VisitDetailsPanel(QFrame):
    """Edits a visit's details; each edit saves at once and is reported through `saved`."""

    def __init__(self, profile: Profile, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.profile = profile
        self.bus = bus_for(profile)
        self.visit: VisitDetail | None = None
        self.attendees: list[Attendee] = []

        self.type_box = QComboBox()
        self.type_box.setAccessibleName("Visit type")
        for key, label in VISIT_TYPE_LABELS.items():
            self.type_box.addItem(label, key)
        self.type_box.activated.connect(self._type_chosen)
        self.start_edit = DateTimeInput("Starts")
        self.start_edit.editingFinished.connect(self._times_edited)
        self.end_edit = TimeInput("Ends", optional=True)
        self.end_edit.editingFinished.connect(self._times_edited)
        self.purpose_edit = QLineEdit()
        self.purpose_edit.setAccessibleName("Purpose")
        self.purpose_edit.setPlaceholderText("What this visit is for")
        self.purpose_edit.editingFinished.connect(self._purpose_edited)

        self.attendee_list = QListWidget()
        self.attendee_list.setAccessibleName("Attendees")
        self.attendee_list.setMaximumHeight(96)
        self.remove_button = QPushButton("Remove")
        self.remove_button.setAccessibleName("Remove the selected attendee")
        self.remove_button.clicked.connect(self._remove_attendee)
        self.contact_box = AddingBox()
        self.contact_box.setAccessibleName("Add a contact")
        self.contact_box.activated.connect(self._contact_chosen)
        self.role_box = AddingBox()
        self.role_box.setAccessibleName("Add by role")
        self.role_box.activated.connect(self._role_chosen)
        for box in (self.type_box, self.contact_box, self.role_box):
            # Long contact names must not widen the panel; the list shows them in full.
            box.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            box.setMinimumContentsLength(8)
        adders = QVBoxLayout()
        adders.addWidget(self.contact_box)
        adders.addWidget(SideBySide((self.role_box, 1), (self.remove_button, 0)))

        ends = QHBoxLayout()
        ends.addWidget(self.end_edit)
        ends.addStretch(1)
        form = QFormLayout()
        # A field too wide to sit beside its label (twice the text) goes under it.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow("Type", self.type_box)
        form.addRow("Starts", self.start_edit)
        form.addRow("Ends", ends)
        form.addRow("Purpose", self.purpose_edit)
        form.addRow("Attendees", self.attendee_list)
        form.addRow("", adders)
        title = QLabel("Visit details")
        title.setObjectName("sectionTitle")
        title.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(form)
        self.editors: list[QWidget] = [
            self.type_box,
            self.start_edit,
            self.end_edit,
            self.purpose_edit,
            self.contact_box,
            self.role_box,
            self.remove_button,
        ]

    # --- showing ----------------------------------------------------------------------------

    def _publish(self, changes: ChangeSummary) -> None:
        """Tell the views showing these records; this one shows its own change already."""
        self.bus.publish(changes, initiator=self)

    def show_visit(self, visit: VisitDetail, school: SchoolDetail, *, editable: bool) -> None:
        self.visit = visit
        self.attendees = list(visit.attendees)
        self.type_box.setCurrentIndex(max(self.type_box.findData(visit.visit_type), 0))
        self.start_edit.setDateTime(visit.starts_at)
        self.end_edit.setTime(visit.ends_at.time() if visit.ends_at else None)
        self.purpose_edit.setText(visit.purpose or "")
        self.purpose_edit.setCursorPosition(0)  # show the start of a long purpose
        self.purpose_edit.setProperty("saved", visit.purpose or "")
        self.contact_box.clear()
        self.contact_box.addItem("Add a contact…", None)
        for contact in school.contacts:
            if contact.active:
                self.contact_box.addItem(f"{contact.name} · {contact.role}", contact.id)
        self.role_box.clear()
        self.role_box.addItem("Add by role…", None)
        for role in school.contact_roles:
            self.role_box.addItem(role, role)
        self._show_attendees()
        for widget in self.editors:
            widget.setEnabled(editable)

    def _show_attendees(self) -> None:
        self.attendee_list.clear()
        for attendee in self.attendees:
            QListWidgetItem(attendee_text(attendee), self.attendee_list)
        if not self.attendees:
            item = QListWidgetItem("No one recorded yet", self.attendee_list)
            item.setFlags(Qt.ItemFlag.NoItemFlags)

    # --- saving -----------------------------------------------------------------------------

    def _save(self, **fields) -> bool:
        if self.visit is None:
            return False
        try:
            changes = visits.update_visit(self.profile, self.visit.id, **fields)
        except CoachdeskError as exc:
            dialogs.show_error(self, "Not saved", str(exc))
            return False
        self._publish(changes)
        return True

    def _type_chosen(self, _index: int) -> None:
        if self.visit is not None and self.type_box.currentData() != self.visit.visit_type:
            self._save(visit_type=self.type_box.currentData())

    def _times_edited(self) -> None:
        if self.visit is None:
            return
        starts = self.start_edit.value()
        if starts is None or self.end_edit.problem():
            return  # the sentence under the field says what cannot be read; nothing is saved
        end_time = self.end_edit.value()
        ends = dt.datetime.combine(starts.date(), end_time) if end_time is not None else None
        if starts == self.visit.starts_at and ends == self.visit.ends_at:
            return
        if not self._save(starts_at=starts, ends_at=ends):
            self.start_edit.setDateTime(self.visit.starts_at)

    def _purpose_edited(self) -> None:
        text = self.purpose_edit.text()
        if text != self.purpose_edit.property("saved") and self._save(purpose=text or None):
            self.purpose_edit.setProperty("saved", text)

    def _contact_chosen(self, index: int) -> None:
        contact_id = self.contact_box.itemData(index)
        self.contact_box.setCurrentIndex(0)
        if contact_id and all(a.contact_id != contact_id for a in self.attendees):
            self.attendees += visits.attendees_from_contacts(self.profile, [contact_id])
            self._save_attendees()

    def _role_chosen(self, index: int) -> None:
        role = self.role_box.itemData(index)
        self.role_box.setCurrentIndex(0)
        if role:
            self.attendees.append(Attendee(name="", role=role))
            self._save_attendees()

    def _remove_attendee(self) -> None:
        row = self.attendee_list.currentRow()
        if 0 <= row < len(self.attendees):
            del self.attendees[row]
            self._save_attendees()

    def _save_attendees(self) -> None:
        self._save(attendees=list(self.attendees))
        self._show_attendees()
