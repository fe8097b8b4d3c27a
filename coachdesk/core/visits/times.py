"""A note's date and times are the visit's own (DESIGN.md section 4, `bind`).

A form field bound to `visit.date`, `visit.start_time` or `visit.end_time` shows the visit's
columns, and an answer typed into one moves the visit, so the note, the visit details, the
calendar, the rules and the printed summary never disagree about when a visit took place.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from coachdesk.core import forms

TIME_BINDS = ("visit.date", "visit.start_time", "visit.end_time")
# A length typed on the form (the MA progress-monitoring meeting's minutes) gives the visit its
# end when no end time was typed, so the rules that count a meeting by its length see it.
LENGTH_BIND = "pm_meeting.minutes"


def answers_from_times(
    definition: forms.FormDefinition, starts_at: dt.datetime, ends_at: dt.datetime | None
) -> dict[str, Any]:
    """The answers the form's bound date and time fields take from the visit."""
    found: dict[str, Any] = {}
    for field, repeat in definition.walk():
        if repeat is not None or field.bind not in TIME_BINDS:
            continue
        if field.bind == "visit.date":
            found[field.name] = starts_at.date().isoformat()
        elif field.bind == "visit.start_time":
            found[field.name] = f"{starts_at:%H:%M}"
        elif ends_at is not None:
            found[field.name] = f"{ends_at:%H:%M}"
    return found


def times_from_answer(
    bind: str | None,
    value: Any,
    starts_at: dt.datetime,
    ends_at: dt.datetime | None,
    *,
    earlier: Any = None,
) -> tuple[dt.datetime, dt.datetime | None] | None:
    """The visit's new (start, end) after a bound answer, or None when the answer moves
    nothing (not a bound field, or a value that is not a date or time yet: the form's own
    checks tell the coach). `earlier` is the answer's value before (for a length)."""
    if bind == LENGTH_BIND:
        return _end_from_length(value, starts_at, ends_at, earlier)
    if bind not in TIME_BINDS:
        return None
    text = value.strip() if isinstance(value, str) else ""
    try:
        if bind == "visit.date":
            day = dt.date.fromisoformat(text)
            shift = day - starts_at.date()
            return starts_at + shift, ends_at + shift if ends_at is not None else None
        if bind == "visit.start_time":
            start = dt.datetime.combine(starts_at.date(), dt.time.fromisoformat(text))
            start = start.replace(tzinfo=starts_at.tzinfo)
            # The length is kept when the start moves, as a calendar does.
            end = ends_at + (start - starts_at) if ends_at is not None else None
            return start, end
        if not text:
            return starts_at, None
        end = dt.datetime.combine(starts_at.date(), dt.time.fromisoformat(text))
        end = end.replace(tzinfo=starts_at.tzinfo)
    except ValueError:
        return None
    return (starts_at, end) if end > starts_at else None


def _end_from_length(
    value: Any, starts_at: dt.datetime, ends_at: dt.datetime | None, earlier: Any
) -> tuple[dt.datetime, dt.datetime | None] | None:
    """A length in minutes sets the end when none was typed, or when the end is the one the
    earlier length gave; an end time the coach typed is kept."""
    derived = _minutes(earlier)
    if ends_at is not None and (derived is None or ends_at != starts_at + derived):
        return None
    length = _minutes(value)
    if length is None:
        return (starts_at, None) if ends_at is not None else None
    return starts_at, starts_at + length


def _minutes(value: Any) -> dt.timedelta | None:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1440:
        return None
    return dt.timedelta(minutes=int(value))
