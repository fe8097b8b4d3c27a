"""The visits part of a school's page: the timeline, open next steps, and starting a visit."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QVBoxLayout, QWidget

from coachdesk.core import visits
from coachdesk.core.changes import ChangeSummary
from coachdesk.core.errors import CoachdeskError
from coachdesk.core.schools import SchoolDetail
from coachdesk.core.store.profile import Profile
from coachdesk.ui import dialogs
from coachdesk.ui.change_bus import bus_for
from coachdesk.ui.visits.start_dialog import StartVisitDialog
from coachdesk.ui.visits.timeline import NextStepsCard, VisitTimeline

SHOWN_RECORDS = ("visit", "action_item", "visit_answer")


class SchoolVisitsPanel(QWidget):
    """Emits `open_visit(id)` when the coach opens or starts a visit."""

    open_visit = Signal(str)

    def __init__(self, profile: Profile, parent=None) -> None:
        super().__init__(parent)
        self.profile = profile
        self.bus = bus_for(profile)
        self.bus.subscribe(self.on_changed, watching=SHOWN_RECORDS)
        self.school: SchoolDetail | None = None
        self.timeline = VisitTimeline()
        self.timeline.open_visit.connect(self.open_visit.emit)
        self.timeline.start_requested.connect(self.start_visit)
        self.next_steps = NextStepsCard()
        self.next_steps.open_visit.connect(self.open_visit.emit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.timeline, 3)
        layout.addWidget(self.next_steps, 2)

    def _publish(self, changes: ChangeSummary) -> None:
        """Tell the views showing these records; this one shows its own change already."""
        self.bus.publish(changes, initiator=self)

    def show_school(self, school: SchoolDetail) -> None:
        self.school = school
        self.timeline.show_visits(visits.list_visits(self.profile, school_id=school.id))
        self.next_steps.show_items(visits.open_action_items(self.profile, school_id=school.id))

    def prepare(self) -> None:
        """Read what every school's timeline needs (the shipped forms' titles) ahead of time."""
        visits.prepare_timeline()

    def on_changed(self, changes: ChangeSummary, initiator: object) -> None:
        if self.school is not None:
            self.show_school(self.school)

    def start_visit(self, *, now: dt.datetime | None = None) -> str | None:
        """Ask for the visit type and time, create the visit, and open it; returns its id."""
        if self.school is None:
            return None
        dialog = StartVisitDialog(
            self.school.name, self.school.program_codes, now=now, tz=self.school.tz, parent=self
        )
        if dialogs.run(dialog) != QDialog.DialogCode.Accepted:
            return None
        kind, starts_at, purpose = dialog.chosen()
        try:
            visit_id = visits.start_visit(
                self.profile,
                self.school.id,
                visit_type=kind.visit_type,
                starts_at=starts_at,
                form_id=kind.form_id,
                purpose=purpose,
            )
        except CoachdeskError as exc:
            dialogs.show_error(self, "The visit was not started", str(exc))
            return None
        # start_visit returns the id, not a summary: name the new visit for the views.
        self._publish(ChangeSummary.of({"visit": [visit_id]}))
        self.open_visit.emit(visit_id)
        return visit_id
