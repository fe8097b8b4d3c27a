"""The month calendar of the Today view: visits and deadlines by day."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from coachdesk.core.store.profile import Profile
from coachdesk.core.tracking_store.due import DueEntry

_VISIT_LABELS = {
    "onsite": "On-site visit",
    "virtual": "Virtual meeting",
    "check_in": "Check-in",
    "pm_meeting": "Progress-monitoring meeting",
    "learning_walk": "Learning walk",
    "ta_session": "Technical assistance session",
}
_MONTH_VISITS = """
SELECT v.id, v.org_id, o.name, v.visit_type, v.starts_at, v.status
  FROM visit v JOIN organization o ON o.id = v.org_id
 WHERE v.deleted_at IS NULL AND v.starts_at >= ? AND v.starts_at < ?
 ORDER BY v.starts_at
"""


@dataclass(frozen=True)
class DayEvent:
    """One line under a calendar day: a visit or something due."""

    day: dt.date
    kind: str  # visit | due
    text: str
    school_id: str
    record_id: str | None
    entry: DueEntry | None = None


def month_events(
    profile: Profile, year: int, month: int, entries: list[DueEntry]
) -> dict[dt.date, list[DayEvent]]:
    """Visits in the month and the due dates of `entries` that fall in it, by day."""
    first = dt.date(year, month, 1)
    after = dt.date(year + (month == 12), month % 12 + 1, 1)
    days: dict[dt.date, list[DayEvent]] = defaultdict(list)
    rows = profile.quick_connection().execute(_MONTH_VISITS, (first.isoformat(), after.isoformat()))
    for vid, org, name, kind, starts, status in rows:
        when = dt.datetime.fromisoformat(starts)
        label = _VISIT_LABELS.get(kind, kind)
        days[when.date()].append(
            DayEvent(when.date(), "visit", f"{when:%H:%M} {label}: {name} ({status})", org, vid)
        )
    for entry in entries:
        due = entry.item.due
        if first <= due < after:
            days[due].append(
                DayEvent(
                    due,
                    "due",
                    f"Due: {entry.item.what} ({entry.school_name})",
                    entry.item.school_id,
                    entry.item.target.record_id,
                    entry,
                )
            )
    return dict(days)
