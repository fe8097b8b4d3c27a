"""The supervisor's caseload status report, built from the profile.

Each school's program status and last visit come from the caseload; the next visit is the
first one scheduled after today; overdue next steps come from the same rule the Today view uses
(`all.action_item`); indicator counts come from this year's targets and measurements.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from coachdesk.core.caseload import current_school_year, list_caseload
from coachdesk.core.store.profile import Profile
from coachdesk.reports.caseload_report import (
    CaseloadReportData,
    CaseloadSchool,
    IndicatorCounts,
    caseload_from_rows,
)

_STATUS_FIELDS = {
    "met": "met",
    "on track": "on_track",
    "at risk": "at_risk",
    "not met": "not_met",
    "no data": "no_data",
}


def build_caseload_report(
    profile: Profile,
    *,
    today: dt.date | None = None,
    school_year: str | None = None,
    prepared_by: str | None = None,
) -> CaseloadReportData:
    """Every school of the school year with its status, visits, indicators and overdue items."""
    from coachdesk.core.tracking_records.due import Group, due_entries
    from coachdesk.core.tracking_records.indicators import school_indicators

    today = today or dt.date.today()
    year = school_year or current_school_year(today)
    rows = list_caseload(profile, school_year=year, today=today)
    base = caseload_from_rows(
        rows,
        as_of=today,
        generated_at=dt.datetime.now().astimezone(),
        school_year=year,
        prepared_by=prepared_by,
    )
    by_name = {(r.program_name, r.school_name): r for r in rows}
    next_visits = _next_visits(profile, dt.datetime.combine(today, dt.datetime.now().time()))
    overdue = Counter(
        e.item.school_id
        for e in due_entries(profile, today)
        if e.group is Group.OVERDUE and e.item.rule_id == "all.action_item"
    )
    programs = []
    for program in base.programs:
        schools = []
        for school in program.schools:
            row = by_name[(program.name, school.school)]
            counts = Counter(
                _STATUS_FIELDS[v.status]
                for v in school_indicators(profile, row.school_id, today)
                if v.status in _STATUS_FIELDS
            )
            schools.append(
                CaseloadSchool(
                    school=school.school,
                    district=school.district,
                    status=school.status,
                    last_visit=row.last_visit,
                    next_visit=next_visits.get(row.school_id),
                    indicators=IndicatorCounts(**counts) if counts else None,
                    overdue_items=overdue.get(row.school_id, 0),
                    active_flags=school.active_flags,
                )
            )
        programs.append(type(program)(program.name, tuple(schools)))
    return CaseloadReportData(
        title=base.title,
        school_year=base.school_year,
        as_of=base.as_of,
        programs=tuple(programs),
        generated_at=base.generated_at,
        prepared_by=prepared_by,
        visits_recorded=True,
    )


def _next_visits(profile: Profile, now: dt.datetime) -> dict[str, dt.date]:
    # starts_at is stored as "YYYY-MM-DD HH:MM:SS[.ffffff]" (school-local), so text compares.
    rows = profile.quick_connection().execute(
        "SELECT org_id, min(starts_at) FROM visit WHERE deleted_at IS NULL AND starts_at > ? "
        "GROUP BY org_id",
        (now.isoformat(sep=" ", timespec="seconds"),),
    )
    return {school: dt.date.fromisoformat(when[:10]) for school, when in rows if when}
