"""What visit services return: plain, frozen data for the window, the CLI and reports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from coachdesk.core.forms import FormDefinition
from coachdesk.core.visits.life import VisitPermissions

VISIT_TYPE_LABELS = {
    "onsite": "On-site visit",
    "virtual": "Virtual meeting",
    "check_in": "Check-in",
    "pm_meeting": "Progress-monitoring meeting",
    "learning_walk": "Learning walk",
    "ta_session": "Technical assistance session",
}
STATUS_LABELS = {"draft": "Draft", "final": "Final", "shared": "Shared"}


@dataclass(frozen=True)
class Attendee:
    """An adult at the visit: a contact of the school, or someone named by role."""

    name: str
    role: str
    contact_id: str | None = None

    def as_json(self) -> dict[str, str]:
        data = {"name": self.name, "role": self.role}
        if self.contact_id:
            data["contact_id"] = self.contact_id
        return data


@dataclass(frozen=True)
class ActionItemView:
    id: str
    visit_id: str
    school_id: str
    text: str
    owner: str | None
    due: dt.date | None
    status: str  # open | done | dropped
    reviewed_in_visit_id: str | None
    closed_on: dt.date | None
    visit_date: dt.date | None = None  # when it was agreed

    def overdue_on(self, day: dt.date) -> bool:
        return self.status == "open" and self.due is not None and self.due < day


@dataclass(frozen=True)
class VisitRow:
    """One visit in a list or timeline."""

    id: str
    school_id: str
    school_name: str
    visit_type: str
    starts_at: dt.datetime
    status: str
    form_title: str | None
    purpose: str | None
    open_items: int = 0

    @property
    def type_label(self) -> str:
        return VISIT_TYPE_LABELS.get(self.visit_type, self.visit_type)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "school_id": self.school_id,
            "school": self.school_name,
            "date": self.starts_at.date().isoformat(),
            "starts_at": self.starts_at.isoformat(timespec="minutes"),
            "type": self.visit_type,
            "status": self.status,
            "form": self.form_title,
            "purpose": self.purpose,
            "open_items": self.open_items,
        }


@dataclass(frozen=True)
class VisitDetail:
    """A visit with everything its page shows."""

    id: str
    school_id: str
    school_name: str
    program_code: str | None
    visit_type: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None
    purpose: str | None
    attendees: tuple[Attendee, ...]
    status: str
    finalized_at: str | None
    amended_at: str | None
    definition: FormDefinition | None
    form_problem: str | None  # why the form cannot be shown, if it cannot
    form_is_current: bool  # False: written on a version no longer shipped (read-only)
    response: dict[str, Any]
    action_items: tuple[ActionItemView, ...]
    earlier_open_items: tuple[ActionItemView, ...]  # from earlier visits, still open
    action_repeat: str | None  # the form's next-steps repeat, if it has one
    extra: dict[str, Any] = field(default_factory=dict)
    # When the note was last reopened after being final (kept once it is final again, from
    # the change log; `amended_at` is set only while the amendment is open).
    last_amended_at: str | None = None
    # What the coach may change now (life.py decides; the visit page only reads it).
    permissions: VisitPermissions = VisitPermissions(edit=False, finalize=False, amend=False)
    shared_on: dt.date | None = None  # the day the note reached the school, once it has

    @property
    def type_label(self) -> str:
        return VISIT_TYPE_LABELS.get(self.visit_type, self.visit_type)

    @property
    def editable(self) -> bool:
        return self.definition is not None and self.form_is_current


@dataclass(frozen=True)
class FinalizeCheck:
    """What stands between a draft and a final note."""

    missing: tuple[str, ...]  # sentences, one per required answer missing or refused
    privacy: tuple[str, ...]  # warnings about possible student identity, the coach may override
    refusal: str | None = None  # why it cannot be finalized now whatever the answers say

    @property
    def blocked(self) -> bool:
        return bool(self.missing) or self.refusal is not None
