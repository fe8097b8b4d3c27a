"""A visit's own details: its type, times, purpose and attendees (not its note's answers).

They change on a draft, or on a final note being amended; `visit_permissions` decides.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from coachdesk.core.changes import ChangeSummary
from coachdesk.core.errors import RefusedInput
from coachdesk.core.records import live_record
from coachdesk.core.store.profile import Profile
from coachdesk.core.store.schema import Contact
from coachdesk.core.store.visit_tables import Visit
from coachdesk.core.validation import LONG_TEXT_LIMIT, clean_text
from coachdesk.core.visits.life import OLD_FORM
from coachdesk.core.visits.service import visit_permissions
from coachdesk.core.visits.views import VISIT_TYPE_LABELS, Attendee

_UNSET: Any = object()


def update_visit(
    profile: Profile,
    visit_id: str,
    *,
    visit_type: str = _UNSET,
    starts_at: dt.datetime = _UNSET,
    ends_at: dt.datetime | None = _UNSET,
    purpose: str | None = _UNSET,
    attendees: list[Attendee] = _UNSET,
) -> ChangeSummary:
    """Edit the visit's type, times, purpose or attendees (a draft's, or an amended note's)."""
    with profile.writing() as write:
        visit = live_record(write.session, Visit, visit_id, "visit")
        allowed = visit_permissions(write.session, visit)
        if not allowed.edit:
            raise RefusedInput(allowed.why_not_edit or OLD_FORM)
        if visit_type is not _UNSET:
            if visit_type not in VISIT_TYPE_LABELS:
                raise RefusedInput("That is not a visit type coachdesk knows.")
            visit.visit_type = visit_type
        if starts_at is not _UNSET:
            visit.starts_at = starts_at.replace(second=0, microsecond=0)
        if ends_at is not _UNSET:
            if ends_at is not None and ends_at <= visit.starts_at:
                raise RefusedInput("The visit must end after it starts.")
            visit.ends_at = ends_at
        if purpose is not _UNSET:
            visit.purpose = clean_text(
                purpose, what="The purpose", limit=LONG_TEXT_LIMIT, multiline=True
            )
        if attendees is not _UNSET:
            visit.attendees = json.dumps([a.as_json() for a in attendees], ensure_ascii=False)
    return write.changes


def attendees_from_contacts(profile: Profile, contact_ids: list[str]) -> list[Attendee]:
    """Attendees for the chosen contacts of a school."""
    with profile.reading() as session:
        contacts = [session.get(Contact, cid) for cid in contact_ids]
    return [Attendee(c.name, c.role, c.id) for c in contacts if c is not None]
