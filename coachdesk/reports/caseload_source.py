"""The supervisor's caseload status report, built from the profile.

Each school's program status comes from the caseload; its last visit is the last one held whose
note is final (a draft is not counted); the next visit is the first one scheduled after today;
overdue next steps come from the same rule the Today view uses (`all.action_item`), and the
school's list of what is due is the Today view's (tracking_records/due.py), overdue and coming,
without last school year's; indicator counts come from this year's targets and measurements.
`program` keeps one program's schools (NY_RCV, MA_SSOS or OH_NNPS). The report names who
prepared it: the coach's name, organization and work contact (`prepared_by`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from coachdesk.core.caseload import current_school_year, list_caseload
from coachdesk.core.errors import RefusedInput
from coachdesk.core.store.profile import Profile
from coachdesk.reports.caseload_report import (
    CaseloadProgram,
    CaseloadReportData,
    CaseloadSchool,
    DueLine,
    IndicatorCounts,
    PreparedBy,
    caseload_from_rows,
)
from coachdesk.reports.masking import mask_text

_STATUS_FIELDS = {
    "met": "met",
    "on track": "on_track",
    "at risk": "at_risk",
    "not met": "not_met",
    "no data": "no_data",
}


def prepared_by(profile: Profile) -> PreparedBy:
    """The coach's name, organization and work contact line, as reports print them."""
    from coachdesk.core.coach import get_coach

    coach = get_coach(profile)
    return PreparedBy(coach.name, (coach.employer or "").strip(), coach.contact_line)


def program_code(text: str | None) -> str | None:
    """A program filter as typed ("oh_nnps"), checked; None for all programs."""
    from coachdesk.core.programs import programs

    if text is None:
        return None
    code = text.strip().upper()
    known = programs()
    if code not in known:
        raise RefusedInput(
            f"“{text.strip()}” is not a program coachdesk knows; choose from "
            + ", ".join(known)
            + "."
        )
    return code


def build_caseload_report(
    profile: Profile,
    *,
    today: dt.date | None = None,
    school_year: str | None = None,
    prepared_by: str | None = None,
    program: str | None = None,
) -> CaseloadReportData:
    """Every school of the school year with its status, visits, indicators and what is due.

    `program` keeps one program (NY_RCV, MA_SSOS or OH_NNPS; an unknown code is refused with
    a sentence). `prepared_by` replaces the coach's name (their organization and contact are
    read from the profile either way).
    """
    from coachdesk.core.programs import programs as known_programs
    from coachdesk.core.tracking_records.due import Group, due_entries
    from coachdesk.core.tracking_records.indicators import school_indicators

    code = program_code(program)
    coach = _prepared_by(profile, prepared_by)
    today = today or dt.date.today()
    year = school_year or current_school_year(today)
    rows = [
        r
        for r in list_caseload(profile, school_year=year, today=today)
        if code is None or r.program_code == code
    ]
    base = caseload_from_rows(
        rows,
        as_of=today,
        generated_at=dt.datetime.now().astimezone(),
        school_year=year,
        prepared_by=coach.name,
    )
    by_name = {(r.program_name, r.school_name): r for r in rows}
    now = dt.datetime.combine(today, dt.datetime.now().time())
    next_visits = _next_visits(profile, now)
    last_final = _last_final_visits(profile, now)
    entries = [
        e
        for e in due_entries(profile, today)
        if e.group is not Group.LAST_YEAR and (code is None or e.program_code == code)
    ]
    overdue = Counter(
        e.item.school_id
        for e in entries
        if e.group is Group.OVERDUE and e.item.rule_id == "all.action_item"
    )
    due_of: dict[tuple[str, str], list[DueLine]] = {}
    for e in entries:
        due_of.setdefault((e.program_code, e.item.school_id), []).append(
            DueLine(mask_text(e.item.what), e.item.due, e.group.value, e.school_name)
        )
    names = {p.name: p.code for p in known_programs().values()}
    programs = []
    for program_data in base.programs:
        schools = []
        prog_code = names.get(program_data.name, "")
        listed = set()
        for school in program_data.schools:
            row = by_name[(program_data.name, school.school)]
            listed.add(row.school_id)
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
                    last_visit=last_final.get(row.school_id),
                    next_visit=next_visits.get(row.school_id),
                    indicators=IndicatorCounts(**counts) if counts else None,
                    overdue_items=overdue.get(row.school_id, 0),
                    active_flags=school.active_flags,
                    obligations=tuple(due_of.get((prog_code, row.school_id), ())),
                )
            )
        # A district's own items (its PM window, its coaching log) when it is not a row.
        others = tuple(
            line
            for (line_code, org), lines in due_of.items()
            if line_code == prog_code and org not in listed
            for line in lines
        )
        programs.append(CaseloadProgram(program_data.name, tuple(schools), others))
    filtered = known_programs()[code].name if code else None
    return CaseloadReportData(
        title=base.title,
        school_year=base.school_year,
        as_of=base.as_of,
        programs=tuple(programs),
        generated_at=base.generated_at,
        prepared_by=coach.name,
        prepared_by_organization=coach.organization,
        prepared_by_contact=coach.contact,
        program_filter=filtered,
        visits_recorded=True,
    )


def _prepared_by(profile: Profile, name: str | None) -> PreparedBy:
    from coachdesk.core.errors import NotFound

    try:
        coach = prepared_by(profile)
    except NotFound:
        return PreparedBy(name or "")
    return PreparedBy(name, coach.organization, coach.contact) if name else coach


def _last_final_visits(profile: Profile, now: dt.datetime) -> dict[str, dt.date]:
    """Each school's last visit held whose note is final or shared (a draft is not counted)."""
    rows = profile.quick_connection().execute(
        "SELECT org_id, max(starts_at) FROM visit WHERE deleted_at IS NULL AND starts_at <= ? "
        "AND status IN ('final', 'shared') GROUP BY org_id",
        (now.isoformat(sep=" ", timespec="seconds"),),
    )
    return {school: dt.date.fromisoformat(when[:10]) for school, when in rows if when}


def _next_visits(profile: Profile, now: dt.datetime) -> dict[str, dt.date]:
    # starts_at is stored as "YYYY-MM-DD HH:MM:SS[.ffffff]" (school-local), so text compares.
    rows = profile.quick_connection().execute(
        "SELECT org_id, min(starts_at) FROM visit WHERE deleted_at IS NULL AND starts_at > ? "
        "GROUP BY org_id",
        (now.isoformat(sep=" ", timespec="seconds"),),
    )
    return {school: dt.date.fromisoformat(when[:10]) for school, when in rows if when}
