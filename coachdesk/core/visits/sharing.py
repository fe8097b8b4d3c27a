"""Marking a visit note shared with the school, and undoing it.

A final note is shared when its packet or summary is sent or printed for the school (the
window asks, with the date) or when the coach says so (`coachdesk visits share ID`). The day it
was shared is kept on the visit; the "share the note" rule then clears.
"""

from __future__ import annotations

import datetime as dt

from coachdesk.core.changes import ChangeSummary
from coachdesk.core.dates_text import medium_date
from coachdesk.core.errors import RefusedInput
from coachdesk.core.records import live_record
from coachdesk.core.store.profile import Profile
from coachdesk.core.store.visit_tables import Visit
from coachdesk.core.validation import not_in_future


def share_visit(
    profile: Profile, visit_id: str, *, on: dt.date | None = None, today: dt.date | None = None
) -> ChangeSummary:
    """Mark a final note shared with the school on `on` (default today). Sharing again moves
    the date; a draft, or a note open for amendment, is refused with what to do first."""
    today = today or dt.date.today()
    day = not_in_future(on or today, what="The day the note was shared", today=today)
    with profile.writing() as write:
        visit = live_record(write.session, Visit, visit_id, "visit")
        if visit.status == "draft":
            raise RefusedInput(
                "This note is a draft: finalize it before sharing it with the school."
            )
        if visit.amended_at is not None:
            raise RefusedInput(
                "This note is open for amendment: finalize it again before sharing it."
            )
        held = visit.starts_at.date()
        if day < held:
            raise RefusedInput(
                f"A note cannot be shared before its visit ({medium_date(held)}); "
                "pick that day or later."
            )
        visit.status = "shared"
        visit.shared_on = day
    return write.changes


def unshare_visit(profile: Profile, visit_id: str) -> ChangeSummary:
    """Undo `share_visit`: the note is final again and not shared."""
    with profile.writing() as write:
        visit = live_record(write.session, Visit, visit_id, "visit")
        if visit.status != "shared":
            raise RefusedInput("This note is not marked shared; there is nothing to undo.")
        visit.status = "final"
        visit.shared_on = None
    return write.changes
