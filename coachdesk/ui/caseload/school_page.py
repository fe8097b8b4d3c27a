"""A school's page: its profile, program status and contacts. Edits save as they are made."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QBoxLayout,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from coachdesk.core import schools
from coachdesk.core.changes import ChangeSummary
from coachdesk.core.errors import CoachdeskError
from coachdesk.core.store.profile import Profile
from coachdesk.sync import conflicts
from coachdesk.ui import dialogs
from coachdesk.ui.caseload.contacts_panel import ContactsPanel
from coachdesk.ui.caseload.status_panel import StatusPanel
from coachdesk.ui.change_bus import bus_for
from coachdesk.ui.going_back import button_text
from coachdesk.ui.style import hex_colour, on_scheme_change
from coachdesk.ui.visits.school_visits import SchoolVisitsPanel

WIDE_LAYOUT_WIDTH = 1050  # below this the contacts go under the profile and status

# What the page itself shows (its title, profile, status and contacts); each card and panel on
# it subscribes to what it shows.
SHOWN_RECORDS = ("organization", "assignment", "contact", "stage_record", "coaching_flag")


class ShortenedButton(QPushButton):
    """A button whose text is shortened ("…") to the room its row leaves it, as at twice the text
    on a small screen; its owner keeps the whole text in its tooltip and accessible name."""

    SHORTEST = 10  # characters kept at the least

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self._whole = text
        policy = self.sizePolicy()
        policy.setHorizontalPolicy(QSizePolicy.Policy.Preferred)  # may be given less than its hint
        self.setSizePolicy(policy)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt override
        self._whole = text
        super().setText(text)
        if self.isVisible():  # else its first resize shortens it
            self._fit()

    def whole_text(self) -> str:
        return self._whole

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        hint = super().sizeHint()  # for the text shown: widened to the whole text's
        hint.setWidth(hint.width() + self._advance(self._whole) - self._advance(self.text()))
        return hint

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        hint = self.sizeHint()
        if len(self._whole) > self.SHORTEST + 1:
            shortest = self._advance(self._whole[: self.SHORTEST] + "…")
            hint.setWidth(hint.width() - self._advance(self._whole) + shortest)
        return hint

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        room = self.width() - (self.sizeHint().width() - self._advance(self._whole))
        shown = self._whole
        if self._advance(shown) > room:
            shown = self.fontMetrics().elidedText(shown, Qt.TextElideMode.ElideRight, room)
        if shown != self.text():
            QPushButton.setText(self, shown)

    def _advance(self, text: str) -> int:
        return self.fontMetrics().horizontalAdvance(text)


class LinkButton(ShortenedButton):
    """A button that reads like a link (the accent colour, underlined); Space or Enter press it.
    With `shortened`, a long text is cut ("…") to the room it has."""

    def __init__(self, parent: QWidget | None = None, *, shortened: bool = False) -> None:
        super().__init__("", parent)
        self._shortened = shortened
        self.setFlat(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self._restyle()
        on_scheme_change(self._restyle)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        # As tall as a line of text: the heading keeps the height it has without the link.
        metrics = self.fontMetrics()
        return QSize(metrics.horizontalAdvance(self.whole_text()) + 4, metrics.height() + 2)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return super().minimumSizeHint() if self._shortened else self.sizeHint()

    def _restyle(self) -> None:
        self.setStyleSheet(
            f"QPushButton {{ color: {hex_colour('accent')}; border: none; padding: 0; "
            "text-align: left; text-decoration: underline; }"
            "QPushButton:focus { outline: 1px dotted; }"
        )


class SchoolPage(QWidget):
    """Shows one school. Emits `back` to return to the list; saves are published on the bus."""

    back = Signal()
    open_conflicts = Signal()  # the coach pressed the conflict badge
    open_visit = Signal(str)  # a visit chosen (or started) in the timeline
    # The school's district (its id), and where on its page: "" or "priority" (the MA IP).
    open_district = Signal(str, str)

    def __init__(self, profile: Profile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.profile = profile
        self.school: schools.SchoolDetail | None = None
        self.bus = bus_for(profile)
        self.bus.subscribe(self.on_changed, watching=SHOWN_RECORDS)

        # Its text names where Back goes (set_back_label); Escape and Alt+Left are the window's
        # Go ▸ Back (coachdesk/ui/going_back.py). Like the district's link below, it is shortened
        # ("…") when its row is short of room; its name and tooltip stay whole.
        self.back_button = ShortenedButton("← Caseload")
        self.back_button.setAccessibleName("Back to Caseload")
        self.back_button.setToolTip("Back to Caseload (Escape or Alt+Left)")
        self.back_button.clicked.connect(self.back.emit)
        self.title = QLabel()
        self.title.setObjectName("areaTitle")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # A long name wraps onto a second line (at twice the text on a small screen) rather
        # than widen the window past the screen.
        self.title.setWordWrap(True)
        self.subtitle = QLabel()
        self.subtitle.setObjectName("subtle")
        self.subtitle.setWordWrap(True)  # a long program line wraps rather than widen the window
        # The district's name, a link to its page (contacts, district visits, the MA IP).
        self.district_button = LinkButton(shortened=True)
        self.district_button.clicked.connect(lambda: self._open_district(""))
        from coachdesk.ui.conflicts_view import ConflictBadge

        self.conflict_badge = ConflictBadge()
        self.conflict_badge.clicked.connect(self.open_conflicts.emit)

        self.name_edit = self._line_edit("School name", lambda v: {"name": v})
        self.state_id_edit = self._line_edit("State id", lambda v: {"state_id": v})
        self.city_edit = self._line_edit("City", lambda v: {"city": v})
        self.grades_edit = self._line_edit("Grade span", lambda v: {"grade_span": v})
        self.grades_edit.setPlaceholderText("e.g. K-5")
        profile_box = QFrame()
        profile_box.setObjectName("card")
        form = QFormLayout(profile_box)
        form.addRow(self._section_title("School profile"))
        form.addRow("Name", self.name_edit)
        self.state_id_label = QLabel("State id")
        form.addRow(self.state_id_label, self.state_id_edit)
        form.addRow("City", self.city_edit)
        form.addRow("Grades", self.grades_edit)
        self.more_button = QPushButton("More details…")
        self.more_button.setToolTip("Address, time zone and district, with every field checked")
        self.more_button.clicked.connect(self.edit_details)
        self.assign_button = QPushButton("Assign to a program…")
        self.assign_button.clicked.connect(self.assign)
        buttons = QHBoxLayout()
        buttons.addWidget(self.more_button)
        buttons.addWidget(self.assign_button)
        buttons.addStretch(1)
        form.addRow(buttons)

        self.status_panel = StatusPanel(profile)
        self.contacts_panel = ContactsPanel(profile)
        self.contacts_panel.open_district.connect(lambda: self._open_district(""))
        self.visits_panel = SchoolVisitsPanel(profile)
        self.visits_panel.open_visit.connect(self.open_visit.emit)
        # Indicators and targets with small charts (coachdesk/ui/caseload/progress_card.py).
        from coachdesk.ui.caseload.progress_card import ProgressCard

        self.progress_card = ProgressCard(profile)
        # The OH One-Year Action Plan. The MA Instructional Priority is the district's: it is
        # edited on the district's page, and an SSoS school links to it.
        from coachdesk.ui.caseload.action_plan_card import ActionPlanCard

        self.action_plan_card = ActionPlanCard(profile)
        self.priority_link = LinkButton()
        self.priority_link.clicked.connect(lambda: self._open_district("priority"))
        self.priority_link.hide()

        # Side by side on a wide window, one above the other on a narrow one.
        self.columns = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        left = QVBoxLayout()
        left.addWidget(profile_box)
        left.addWidget(self.status_panel)
        left.addWidget(self.progress_card)
        left.addStretch(1)
        self.columns.addLayout(left, 2)
        right = QVBoxLayout()
        right.addWidget(self.visits_panel)
        right.addWidget(self.contacts_panel)
        self.columns.addLayout(right, 3)

        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.addLayout(self.columns)
        body_layout.addWidget(self.priority_link, 0, Qt.AlignmentFlag.AlignLeft)
        body_layout.addWidget(self.action_plan_card)
        body_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)

        # The ← button beside the title, or above it when the row cannot hold both whole (at
        # twice the text on a small screen): see _arrange_heading.
        self.top = top = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        top.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignLeft)
        heading = QVBoxLayout()
        heading.addWidget(self.title)
        under_title = QHBoxLayout()
        under_title.setContentsMargins(0, 0, 0, 0)
        under_title.addWidget(self.district_button)
        under_title.addWidget(self.subtitle, 1)
        heading.addLayout(under_title)
        top.addLayout(heading, 1)
        top.addWidget(
            self.conflict_badge, 0, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft
        )
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)

    def resizeEvent(self, event) -> None:
        wide = event.size().width() >= WIDE_LAYOUT_WIDTH
        self.columns.setDirection(
            QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        )
        self._arrange_heading(event.size().width())
        super().resizeEvent(event)

    def _arrange_heading(self, width: int) -> None:
        """The ← button beside the title where it, the title and the line under the title (the
        district and the programs) fit whole, else on a line above them."""
        margins = self.layout().contentsMargins()
        spacing = max(self.top.spacing(), 0)
        under = self.subtitle.fontMetrics().horizontalAdvance(self.subtitle.text())
        if self.district_button.isVisibleTo(self):
            under += self.district_button.sizeHint().width() + spacing
        title = self.title.fontMetrics().horizontalAdvance(self.title.text())
        needs = (
            margins.left()
            + self.back_button.sizeHint().width()
            + spacing
            + max(title, under)
            + margins.right()
        )
        if self.conflict_badge.isVisibleTo(self):
            needs += spacing + self.conflict_badge.sizeHint().width()
        beside = width >= needs
        self.top.setDirection(
            QBoxLayout.Direction.LeftToRight if beside else QBoxLayout.Direction.TopToBottom
        )

    # --- showing ----------------------------------------------------------------------------------

    def show_school(self, school_id: str) -> None:
        self.school = schools.get_school(self.profile, school_id)
        s = self.school
        self.title.setText(s.name)
        self.setAccessibleName(f"School: {s.name}")  # a named region for a screen reader
        self.conflict_badge.show_fields(
            conflicts.record_conflicts(self.profile, "organization", s.id)
        )
        programs_text = ", ".join(
            f"{a.program_name} {a.school_year}: {a.status_text}" for a in s.assignments
        )
        self.subtitle.setText(programs_text)
        self.district_button.setVisible(s.district_id is not None)
        if s.district_id is not None:
            self.district_button.setText(
                f"{s.district_name} ›" if programs_text else s.district_name
            )
            self.district_button.setAccessibleName(f"Open the district: {s.district_name}")
            self.district_button.setToolTip(
                f"{s.district_name}: its contacts, schools and district visits"
            )
        in_ssos = "MA_SSOS" in s.program_codes and s.district_id is not None
        self.priority_link.setVisible(in_ssos)
        if in_ssos:
            self.priority_link.setText(f"Instructional Priority: see {s.district_name}")
            self.priority_link.setAccessibleName(
                f"Open the Instructional Priority on {s.district_name}'s page"
            )
        self.state_id_label.setText(s.state_id_label)
        self.state_id_edit.setAccessibleName(s.state_id_label)
        for edit, value in (
            (self.name_edit, s.name),
            (self.state_id_edit, s.state_id),
            (self.city_edit, s.city),
            (self.grades_edit, s.grade_span),
        ):
            edit.setText(value or "")
            edit.setProperty("saved", value or "")
        self.status_panel.show_school(s)
        self.contacts_panel.show_school(s)
        self.visits_panel.show_school(s)
        self.progress_card.show_school(s)
        self.action_plan_card.show_school(s)
        self._arrange_heading(self.width())

    def set_back_label(self, text: str) -> None:
        """Name where Back goes ("Caseload", "Today", or the district the coach came from)."""
        self.back_button.setText(button_text(text))
        self.back_button.setAccessibleName(f"Back to {text}")
        self.back_button.setToolTip(f"Back to {text} (Escape or Alt+Left)")
        self._arrange_heading(self.width())

    def first_control(self) -> QWidget:
        """Where the keyboard goes when the school is opened: its visits, the newest selected.

        A coach opens a school to read or go on with its latest note, or to start the next one;
        the profile's fields come first on the page, but landing in the name box would let a
        stray key rename the school, and a screen reader would read one field, not the visits.
        With no visits yet, Start a visit is the one thing to do."""
        table = self.visits_panel.timeline.table
        if not table.isHidden():
            return table
        return self.visits_panel.timeline.start_button

    def _open_district(self, focus: str) -> None:
        if self.school is not None and self.school.district_id is not None:
            self.open_district.emit(self.school.district_id, focus)

    def prepare(self) -> None:
        """Do the one-time work of the first school shown that needs no school (see area.py)."""
        self.visits_panel.prepare()

    def on_changed(self, changes: ChangeSummary, initiator: object) -> None:
        """The school, its status or contacts changed (here, on another page, by an import)."""
        if self.school is not None:
            self.show_school(self.school.id)

    # --- saving -----------------------------------------------------------------------------------

    def edit_details(self) -> None:
        """All of the school's details; the dialog publishes its write, which this page hears."""
        from coachdesk.ui.caseload.organization_dialog import edit_organization_details

        if self.school is not None:
            edit_organization_details(self.profile, self.school.id, self)

    def assign(self) -> None:
        from coachdesk.ui.caseload.assign_dialog import assign_organization

        if self.school is not None:
            assign_organization(self.profile, self, self.school.id)

    def _line_edit(self, name: str, fields: Callable[[str], dict[str, Any]]) -> QLineEdit:
        edit = QLineEdit()
        edit.setAccessibleName(name)
        edit.editingFinished.connect(lambda: self._save_profile_field(edit, fields))
        return edit

    def _save_profile_field(self, edit: QLineEdit, fields: Callable[[str], dict[str, Any]]) -> None:
        if self.school is None or edit.text() == edit.property("saved"):
            return
        try:
            changes = schools.update_school(self.profile, self.school.id, **fields(edit.text()))
        except CoachdeskError as exc:
            dialogs.show_error(self, "Not saved", str(exc))
            edit.setText(edit.property("saved"))  # show what is really stored
            return
        edit.setProperty("saved", edit.text().strip())
        self.bus.publish(changes, initiator=self)
        self.show_school(self.school.id)  # the title and subtitle show the new name

    @staticmethod
    def _section_title(text: str) -> QLabel:
        label = QLabel(text)
        label.setObjectName("sectionTitle")
        return label
