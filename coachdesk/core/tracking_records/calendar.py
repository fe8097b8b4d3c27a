"""The month calendar of the Today view: visits and deadlines by day."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from coachdesk.core.dates_text import clock_time
from coachdesk.core.store.profile import Profile
from coachdesk.core.tracking_records.due import DueEntry

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


_MONTH_OBLIGATIONS = """
SELECT b.id, b.org_id, o.name, b.kind, b.due, b.label, b.status
  FROM obligation b JOIN organization o ON o.id = b.org_id
 WHERE b.deleted_at IS NULL AND b.due >= ? AND b.due < ?
 ORDER BY b.due
"""


@dataclass(frozen=True)
class DayEvent:
    """One line under a calendar day: a visit or something due."""

    day: dt.date
    kind: str  # visit | due | event
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
        line = f"{clock_time(when)} {label}: {name} ({status})"  # school-local wall time
        days[when.date()].append(DayEvent(when.date(), "visit", line, org, vid))
    listed = set()
    # An event concerns many schools: one line for it, however many schools list it.
    grouped: dict[tuple[dt.date, str], list[tuple[str, str, str]]] = {}
    for entry in entries:
        due = entry.item.due
        if entry.item.target.record_id:
            listed.add(entry.item.target.record_id)
        if entry.item.rule_id == "all.event":
            if first <= due < after:
                grouped.setdefault((due, entry.item.what), []).append(
                    (entry.item.target.record_id or "", entry.item.school_id, entry.school_name)
                )
            continue
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
    # Imported events show on their day however far ahead (the list shows them only as they
    # come near); one line per event, naming how many schools it concerns.
    from coachdesk.core.tracking_rules import shipped_rules

    event_kinds = shipped_rules().common.obligations.event_kinds
    for oid, org, name, kind, due, label, status in profile.quick_connection().execute(
        _MONTH_OBLIGATIONS, (first.isoformat(), after.isoformat())
    ):
        if kind not in event_kinds or oid in listed or status != "open":
            continue
        grouped.setdefault((dt.date.fromisoformat(due), label or kind), []).append((oid, org, name))
    for (day, label), schools in grouped.items():
        oid, org, name = schools[0]
        whom = name if len(schools) == 1 else f"{len(schools)} schools"
        days[day].append(DayEvent(day, "event", f"Event: {label} ({whom})", org, oid))
    return dict(days)
