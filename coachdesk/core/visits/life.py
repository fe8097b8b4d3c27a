"""A visit's life: what a coach may change on it now, and why not when not.

A draft note can be changed (its answers and its details: type, start and end, purpose,
attendees, and the follow-up of earlier next steps); a final note is read-only until the coach
chooses Amend; a note whose form cannot be shown is read-only for good. A note can be finalized
once the visit has started, judged by the clock at the school (its time zone), not the laptop's.

The visit service enforces this on every write; the visit page only reads it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from coachdesk.core.dates_text import date_and_time, local_moment

FINAL_NOTE = (
    "This note is final. Choose “Amend” to change it; the final version is kept in its history."
)
OLD_FORM = (
    "This note was written on a form version that is no longer shipped; "
    "it can be read but not changed."
)


@dataclass(frozen=True)
class VisitPermissions:
    """What can change on one visit now; each refusal is a sentence for the coach."""

    edit: bool  # answers and details (type, times, purpose, attendees), follow-up of next steps
    finalize: bool
    amend: bool
    why_not_edit: str | None = None
    why_not_finalize: str | None = None
    why_not_amend: str | None = None


def what_can_change(
    *,
    status: str,
    amending: bool,
    form_problem: str | None,
    starts_at: dt.datetime,
    school_tz: str | None,
    now: dt.datetime | None = None,
) -> VisitPermissions:
    """What can change on a visit with this status, form and start, at `now` (default: now).

    `form_problem` is why the note's form cannot be used (None when it can); `starts_at` is the
    school's wall-clock time, as stored; `now` is an aware moment.
    """
    open_for_changes = status == "draft" or amending
    if form_problem is not None:
        why_not_edit: str | None = form_problem
    elif not open_for_changes:
        why_not_edit = FINAL_NOTE
    else:
        why_not_edit = None
    why_not_finalize = why_not_edit
    if why_not_finalize is None and not has_started(starts_at, school_tz, now=now):
        why_not_finalize = (
            f"This visit starts {date_and_time(starts_at)}, school time. "
            "It can be finalized once it has started; until then it stays a draft."
        )
    if form_problem is not None:
        why_not_amend: str | None = form_problem
    elif status == "draft":
        why_not_amend = "This note is a draft: it can be changed without Amend."
    elif amending:
        why_not_amend = "This note is already open for amendment."
    else:
        why_not_amend = None
    return VisitPermissions(
        edit=why_not_edit is None,
        finalize=why_not_finalize is None,
        amend=why_not_amend is None,
        why_not_edit=why_not_edit,
        why_not_finalize=why_not_finalize,
        why_not_amend=why_not_amend,
    )


def has_started(
    starts_at: dt.datetime, school_tz: str | None, *, now: dt.datetime | None = None
) -> bool:
    """Whether the school's clock has reached the visit's start (school-local wall time)."""
    moment = now or dt.datetime.now(dt.UTC)
    if moment.tzinfo is None:
        raise ValueError("Give `now` with its time zone (an aware datetime).")
    wall_now = local_moment(moment, school_tz)
    return wall_now >= starts_at.replace(tzinfo=None)
