"""A district's page: its programs, schools, contacts and district-level visits, and for an MA
SSoS district its Instructional Priority.

The district's contacts are entered here once and appear on each of its schools' pages. Its
visits are the partnership visits, progress-monitoring meetings and check-ins held with the
district itself; this year's visits at its schools are listed below them.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QBoxLayout,
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coachdesk.core import districts, visits
from coachdesk.core.changes import ChangeSummary
from coachdesk.core.dates_text import weekday_date
from coachdesk.core.errors import CoachdeskError
from coachdesk.core.store.profile import Profile
from coachdesk.core.visits import STATUS_LABELS
from coachdesk.sync import conflicts
from coachdesk.ui import dialogs, shortcuts
from coachdesk.ui.caseload.benchmarks_card import BenchmarksCard
from coachdesk.ui.caseload.contacts_panel import ContactsPanel
from coachdesk.ui.caseload.priority_card import PriorityCard
from coachdesk.ui.change_bus import bus_for
from coachdesk.ui.going_back import button_text
from coachdesk.ui.record_list import ID_ROLE, RecordList
from coachdesk.ui.visits.start_dialog import StartVisitDialog, VisitKind
from coachdesk.ui.visits.timeline import NextStepsCard, VisitTimeline

WIDE_LAYOUT_WIDTH = 1050  # below this the visits and contacts go under the schools

# What the page shows: the district, its schools and programs, its contacts, and the visits
# (its own and its schools'). The IP card subscribes to its own records.
SHOWN_RECORDS = (
    "organization",
    "assignment",
    "contact",
    "stage_record",
    "visit",
    "action_item",
)


def _card(title: str) -> tuple[QFrame, QVBoxLayout, QLabel]:
    frame = QFrame()
    frame.setObjectName("card")
    layout = QVBoxLayout(frame)
    label = QLabel(title)
    label.setObjectName("sectionTitle")
    layout.addWidget(label)
    return frame, layout, label


def _subtle(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setObjectName("subtle")
    label.setWordWrap(True)
    return label


class DistrictPage(QWidget):
    """Shows one district. Emits `back`, `open_school(id)` and `open_visit(id)`."""

    back = Signal()
    open_school = Signal(str)
    open_visit = Signal(str)
    open_conflicts = Signal()

    def __init__(self, profile: Profile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.profile = profile
        self.district: districts.DistrictDetail | None = None
        self.bus = bus_for(profile)
        self.bus.subscribe(self.on_changed, watching=SHOWN_RECORDS)

        # Its text names where Back goes (set_back_label); Escape and Alt+Left are the window's
        # Go ▸ Back (coachdesk/ui/going_back.py).
        self.back_button = QPushButton("← Caseload")
        self.back_button.setAccessibleName("Back to Caseload")
        self.back_button.setToolTip("Back to Caseload (Escape or Alt+Left)")
        self.back_button.clicked.connect(self.back.emit)
        self.title = QLabel()
        self.title.setObjectName("areaTitle")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # A long name wraps onto a second line (at twice the text on a small screen) rather
        # than widen the window past the screen.
        self.title.setWordWrap(True)
        self.subtitle = _subtle()
        from coachdesk.ui.conflicts_view import ConflictBadge

        self.conflict_badge = ConflictBadge()
        self.conflict_badge.clicked.connect(self.open_conflicts.emit)

        # The district: its state id, address and programs this year.
        about, about_layout, _ = _card("District")
        form = QFormLayout()
        self.state_id_label = QLabel("State id")
        self.state_id_value = QLabel()
        self.address_value = QLabel()
        self.address_value.setWordWrap(True)
        self.tz_value = QLabel()
        self.programs_value = QLabel()
        self.programs_value.setWordWrap(True)
        for value in (self.state_id_value, self.address_value, self.tz_value, self.programs_value):
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.state_id_label, self.state_id_value)
        form.addRow("Address", self.address_value)
        form.addRow("Time zone", self.tz_value)
        form.addRow("Programs", self.programs_value)
        about_layout.addLayout(form)
        self.edit_button = QPushButton("Edit details…")
        self.edit_button.setToolTip("The district's name, state id, address and time zone")
        self.edit_button.clicked.connect(self.edit_details)
        self.assign_button = QPushButton("Assign to a program…")
        self.assign_button.clicked.connect(self.assign)
        actions = QHBoxLayout()
        actions.addWidget(self.edit_button)
        actions.addWidget(self.assign_button)
        actions.addStretch(1)
        about_layout.addLayout(actions)

        # Its schools: Enter or a double-click opens the school's page.
        schools_box, schools_layout, self.schools_title = _card("Schools")
        self.schools = RecordList(
            ["School", "State id", "Grades", "Programs"], "The district's schools"
        )
        self.schools.opened.connect(self.open_school.emit)
        header = self.schools.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setMinimumSectionSize(40)
        self.no_schools = _subtle("No schools in this district yet.")
        schools_layout.addWidget(self.no_schools)
        schools_layout.addWidget(self.schools)

        # District-level visits, with their open next steps.
        self.timeline = VisitTimeline()
        self.timeline.start_button.setText("Start a district visit…")
        self.timeline.start_button.setAccessibleName("Start a district visit")
        self.timeline.start_button.setToolTip(
            shortcuts.tip("Start a visit note with the district's leaders", "start_visit")
        )
        self.timeline.empty.setWordWrap(True)
        self.timeline.open_visit.connect(self.open_visit.emit)
        self.timeline.start_requested.connect(self.start_visit)
        self.next_steps = NextStepsCard()
        self.next_steps.open_visit.connect(self.open_visit.emit)

        # This year's visits at its schools: what the due rules count for the district too.
        at_schools, at_layout, self.school_visits_title = _card("Visits at its schools this year")
        self.school_visits = RecordList(
            ["Date", "School", "Type", "Status"], "Visits at its schools"
        )
        self.school_visits.opened.connect(self.open_visit.emit)
        header = self.school_visits.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column in (0, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.school_visits.setMinimumHeight(160)
        self.no_school_visits = _subtle("No visits at its schools this school year.")
        at_layout.addWidget(self.no_school_visits)
        at_layout.addWidget(self.school_visits, 1)

        self.contacts_panel = ContactsPanel(profile, where="district")
        self.priority_card = PriorityCard(profile)
        self.benchmarks_card = BenchmarksCard(profile)  # MA: results by school and group

        self.columns = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        left = QVBoxLayout()
        left.addWidget(about)
        left.addWidget(schools_box)
        left.addWidget(self.contacts_panel)
        left.addStretch(1)
        self.columns.addLayout(left, 2)
        right = QVBoxLayout()
        right.addWidget(self.timeline, 3)
        right.addWidget(self.next_steps, 2)
        right.addWidget(at_schools, 3)
        self.columns.addLayout(right, 3)

        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.addLayout(self.columns)
        body_layout.addWidget(self.priority_card)
        body_layout.addWidget(self.benchmarks_card)
        body_layout.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(body)

        top = QHBoxLayout()
        top.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignTop)
        heading = QVBoxLayout()
        heading.addWidget(self.title)
        heading.addWidget(self.subtitle)
        top.addLayout(heading, 1)
        top.addWidget(self.conflict_badge, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.scroll, 1)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        wide = event.size().width() >= WIDE_LAYOUT_WIDTH
        self.columns.setDirection(
            QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        )
        super().resizeEvent(event)

    def set_back_label(self, text: str) -> None:
        """Name where Back goes ("Caseload", "Today", or the school the coach came from)."""
        self.back_button.setText(button_text(text))
        self.back_button.setAccessibleName(f"Back to {text}")
        self.back_button.setToolTip(f"Back to {text} (Escape or Alt+Left)")

    def first_control(self) -> QWidget:
        """Where the keyboard goes when the district is opened: its schools, the first selected
        (Enter opens one), as a coach most often goes on to one of them; with no schools, its
        own visits, else Start a district visit."""
        if not self.schools.isHidden():
            return self.schools
        if not self.timeline.table.isHidden():
            return self.timeline.table
        return self.timeline.start_button

    # --- acting on the district ------------------------------------------------------------------

    def edit_details(self) -> None:
        """The district's own details; the dialog publishes its write, which this page hears."""
        from coachdesk.ui.caseload.organization_dialog import edit_organization_details

        if self.district is not None:
            edit_organization_details(self.profile, self.district.id, self)

    def assign(self) -> None:
        from coachdesk.ui.caseload.assign_dialog import assign_organization

        if self.district is not None:
            assign_organization(self.profile, self, self.district.id)

    # --- showing ----------------------------------------------------------------------------------

    def show_district(self, district_id: str, *, focus: str | None = None) -> None:
        """Show a district; `focus="priority"` scrolls to its Instructional Priority."""
        self.district = d = districts.get_district(self.profile, district_id)
        self.title.setText(d.name)
        self.setAccessibleName(f"District: {d.name}")  # a named region for a screen reader
        self.conflict_badge.show_fields(
            conflicts.record_conflicts(self.profile, "organization", d.id)
        )
        archived = (
            f"Archived {weekday_date(d.organization.archived_on, year=True)}"
            if d.organization.archived_on
            else ""
        )
        in_programs = ", ".join(p.program_name for p in d.programs) or "In no program this year"
        self.subtitle.setText(
            " · ".join(filter(None, (f"District in {d.state}", in_programs, archived)))
        )
        self.state_id_label.setText(d.state_id_label)
        self.state_id_value.setText(d.state_id or "Not recorded")
        self.address_value.setText(d.organization.address or "Not recorded")
        self.tz_value.setText(d.organization.tz or "")
        self.programs_value.setText(
            "\n".join(p.text for p in d.programs)
            or f"In no program for {d.school_year}: assign the district or one of its schools."
        )
        self._fill_schools(d)
        self.contacts_panel.show_school(d)
        self._fill_visits(d)
        self.priority_card.show_district(d)
        self.benchmarks_card.show_district(d)
        if focus == "priority" and not self.priority_card.isHidden():
            # After the layout has placed the card: scroll to it and put the cursor in it.
            QTimer.singleShot(0, self, self._focus_priority)

    def _focus_priority(self) -> None:
        card = self.priority_card
        target = card.editors["statement"] if card.pages.currentIndex() == 1 else card.start_button
        target.setFocus(Qt.FocusReason.OtherFocusReason)
        # The card was just filled: let the layouts settle so the scroll range includes it.
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        body = self.scroll.widget()
        self.scroll.verticalScrollBar().setValue(card.mapTo(body, card.rect().topLeft()).y())

    def _fill_schools(self, d: districts.DistrictDetail) -> None:
        self.schools.clear()
        self.schools.headerItem().setText(1, d.state_id_label)
        for school in d.schools:
            programs = ", ".join(school.program_names) or "None this year"
            if school.archived_on:
                programs = "Archived"
            item = QTreeWidgetItem(
                [school.name, school.state_id or "", school.grade_span or "", programs]
            )
            item.setData(0, ID_ROLE, school.id)
            item.setToolTip(0, f"Open {school.name} (Enter)")
            self.schools.addTopLevelItem(item)
        if d.schools:
            self.schools.setCurrentItem(self.schools.topLevelItem(0))
        # As tall as its rows (up to ten; then it scrolls): no empty box under a few schools.
        rows = max(3, min(10, len(d.schools)))
        row_height = self.schools.sizeHintForRow(0) if d.schools else 20
        frame = 2 * self.schools.frameWidth() + self.schools.header().sizeHint().height()
        self.schools.setFixedHeight(frame + rows * max(row_height, 16) + 4)
        count = len(d.schools)
        self.schools_title.setText(f"Schools ({count})" if count else "Schools")
        self.no_schools.setVisible(not d.schools)
        self.schools.setVisible(bool(d.schools))

    def _fill_visits(self, d: districts.DistrictDetail) -> None:
        if any(districts.district_visit_types(c) for c in d.program_codes):
            empty = (
                "No district visits yet: partnership visits, progress-monitoring meetings and "
                "check-ins with district leaders go here."
            )
        elif d.programs:
            empty = (
                f"{', '.join(p.program_name for p in d.programs)} works with schools: its "
                "visits are on the schools' pages, listed below."
            )
        else:
            empty = "No district visits yet. Assign the district or a school to a program first."
        self.timeline.empty.setText(empty)
        self.timeline.show_visits(districts.district_visits(self.profile, d.id))
        self.next_steps.show_items(visits.open_action_items(self.profile, school_id=d.id))
        rows = districts.school_visits(self.profile, d)
        self.school_visits.clear()
        for row in rows:
            item = QTreeWidgetItem(
                [
                    weekday_date(row.starts_at, year=True),
                    row.school_name,
                    row.type_label,
                    STATUS_LABELS.get(row.status, row.status),
                ]
            )
            item.setData(0, ID_ROLE, row.id)
            self.school_visits.addTopLevelItem(item)
        self.school_visits_title.setText(
            f"Visits at its schools in {d.school_year} ({len(rows)})"
            if rows
            else f"Visits at its schools in {d.school_year}"
        )
        self.no_school_visits.setVisible(not rows)
        self.school_visits.setVisible(bool(rows))

    def on_changed(self, changes: ChangeSummary, initiator: object) -> None:
        """The district, its schools, contacts or visits changed (here, elsewhere, an import)."""
        if self.district is not None:
            try:
                self.show_district(self.district.id)
            except CoachdeskError:  # removed on another laptop: nothing left to show
                self.district = None

    # --- starting a district visit ---------------------------------------------------------------

    def start_visit(self, *, now: dt.datetime | None = None) -> str | None:
        """Ask for the visit type and time, start the district visit and open it; its id."""
        d = self.district
        if d is None:
            return None
        codes = tuple(c for c in d.program_codes if districts.district_visit_types(c))
        if not codes:
            names = ", ".join(p.program_name for p in d.programs)
            dialogs.show_info(
                self,
                "Visits are at its schools",
                f"{d.name} is in {names} through its schools, which that program works with: "
                "start the visit on one of its schools' pages."
                if d.programs
                else f"{d.name} is in no program for {d.school_year}: assign it or one of its "
                "schools first, then start its visits here.",
            )
            return None
        dialog = StartVisitDialog(d.name, codes, now=now, parent=self)
        _offer_district_kinds(dialog, codes)
        unassigned = [p for p in d.programs if p.program_code in codes and p.assignment is None]
        if unassigned:
            p = unassigned[0]
            note = _subtle(
                f"{d.name} is in {p.program_name} through its schools: starting this visit "
                f"puts the district itself on your caseload for {p.school_year}."
            )
            dialog.layout().insertWidget(dialog.layout().count() - 1, note)
        if dialogs.run(dialog) != QDialog.DialogCode.Accepted:
            return None
        kind, starts_at, purpose = dialog.chosen()
        code = next(c for c in codes if kind.visit_type in districts.district_visit_types(c))
        try:
            started = districts.start_district_visit(
                self.profile,
                d.id,
                program_code=code,
                visit_type=kind.visit_type,
                starts_at=starts_at,
                form_id=kind.form_id,
                purpose=purpose,
            )
        except CoachdeskError as exc:
            dialogs.show_error(self, "The visit was not started", str(exc))
            return None
        self.bus.publish(started.changes, initiator=self)
        self.open_visit.emit(started.visit_id)
        return started.visit_id


def _offer_district_kinds(dialog: StartVisitDialog, codes: tuple[str, ...]) -> None:
    """Keep only the visit kinds a district can have (no learning walks: they are at schools)."""
    allowed = set().union(*(districts.district_visit_types(c) for c in codes))
    kinds: list[VisitKind] = [k for k in dialog.kinds if k.visit_type in allowed]
    dialog.kinds = kinds
    dialog.kind_box.clear()
    for kind in kinds:
        dialog.kind_box.addItem(kind.label)
