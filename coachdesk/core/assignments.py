"""Assignments: a district or school in a coach's caseload, for one program and school year.

NY Receivership assigns schools, each with its Receivership year; an MA SSoS partnership
assigns a district and its identified schools (each a school assignment of its own); OH NNPS
assigns schools (and districts), recording the starting implementation stage as a stage
record. A new school year begins by carrying assignments over: `propose_next_year` lists what
each would become, and `carry_over` writes only those the coach confirmed; last year's stay
as they were, readable.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from coachdesk.core import school_year as years
from coachdesk.core.caseload import current_school_year
from coachdesk.core.changes import ChangeSummary
from coachdesk.core.errors import NotFound, RefusedInput
from coachdesk.core.ids import new_id, stable_id
from coachdesk.core.organizations import (
    OrganizationFields,
    Written,
    cleaned,
    write_organization,
)
from coachdesk.core.programs import Program, programs
from coachdesk.core.records import live_record
from coachdesk.core.store.profile import Profile
from coachdesk.core.store.schema import Assignment, Organization, ProfileFact, StageRecord

ROLES = ("lead", "support")


@dataclass(frozen=True)
class AssignmentRow:
    """One assignment as lists show it."""

    id: str
    org_id: str
    org_name: str
    org_kind: str
    state_id: str | None
    district_name: str | None
    program_code: str
    program_name: str
    school_year: str
    role: str
    status: str  # active | ended
    receivership_year: int | None


@dataclass(frozen=True)
class Proposal:
    """What one active assignment would become in the next school year."""

    assignment_id: str  # this year's assignment; confirm it by this id
    org_id: str
    org_name: str
    program_code: str
    role: str
    from_year: str
    to_year: str
    receivership_year: int | None  # this year's
    next_receivership_year: int | None  # next year's (None when it would pass the limit)
    already_carried: bool  # next year's assignment exists already
    note: str = ""


# --- checks ---------------------------------------------------------------------------------------


def _program(code: str) -> Program:
    known = programs()
    if code not in known:
        raise RefusedInput(f"“{code}” is not a program; choose one of: {', '.join(known)}.")
    return known[code]


def _year(text: str | None, today: dt.date | None) -> str:
    if text is None or not text.strip():
        return current_school_year(today)
    try:
        return years.label(years.parse(text))
    except ValueError:
        raise RefusedInput(
            f"“{text.strip()}” is not a school year; write it like 2026-27."
        ) from None


def _role(role: str) -> str:
    if role not in ROLES:
        raise RefusedInput(f"“{role}” is not a role on a caseload; choose lead or support.")
    return role


def _receivership_year(prog: Program, year: int | None) -> int | None:
    if year is None:
        return None
    if prog.status_kind != "receivership_year":
        raise RefusedInput(f"A Receivership year is for NY Receivership, not {prog.name}.")
    if not 1 <= year <= prog.receivership_year_max:
        raise RefusedInput(
            f"The Receivership year must be between 1 and {prog.receivership_year_max}."
        )
    return year


def _stage(prog: Program, stage: str | None) -> str | None:
    if stage is None or not stage.strip():
        return None
    if prog.status_kind != "stage":
        raise RefusedInput(f"An implementation stage is for OH NNPS, not {prog.name}.")
    by_fold = {s.casefold(): s for s in prog.stages}
    if stage.strip().casefold() not in by_fold:
        raise RefusedInput(
            f"“{stage.strip()}” is not an implementation stage; choose one of: "
            f"{', '.join(prog.stages)}."
        )
    return by_fold[stage.strip().casefold()]


def _check_org_fits(org: Organization, prog: Program) -> None:
    if org.archived_on is not None:
        raise RefusedInput(f"{org.name} is archived; unarchive it before assigning it.")
    if org.state != prog.state:
        raise RefusedInput(
            f"{prog.name} works with {prog.state} schools and districts; {org.name} is in "
            f"{org.state}."
        )
    if prog.code == "NY_RCV" and org.kind != "school":
        raise RefusedInput(
            f"NY Receivership assigns schools; {org.name} is a district. Assign its schools."
        )


# --- writing --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssignmentFields:
    """What a coach gives to assign a district or school; checked by `checked_assignment`."""

    program_code: str
    school_year: str | None = None  # None: the current school year
    role: str = "lead"
    receivership_year: int | None = None  # NY Receivership
    stage: str | None = None  # OH NNPS: the starting stage
    identified_schools: Sequence[str] = ()  # MA SSoS: the district's identified schools


def checked_assignment(fields: AssignmentFields, today: dt.date) -> AssignmentFields:
    """The fields as stored (school year written 2026-27, stage in the program's spelling);
    RefusedInput for the first problem. Checks nothing that needs the profile."""
    prog = _program(fields.program_code)
    if fields.identified_schools and prog.code != "MA_SSOS":
        raise RefusedInput("Identified schools belong to an MA SSoS district partnership.")
    return AssignmentFields(
        program_code=prog.code,
        school_year=_year(fields.school_year, today),
        role=_role(fields.role),
        receivership_year=_receivership_year(prog, fields.receivership_year),
        stage=_stage(prog, fields.stage),
        identified_schools=tuple(fields.identified_schools),
    )


def assign(
    profile: Profile, org_id: str, fields: AssignmentFields, *, today: dt.date | None = None
) -> Written:
    """Put a district or school on this coach's caseload for a program and school year.

    `identified_schools` (MA SSoS, assigning a district) are the partnership's schools in that
    district; each gets a school assignment too. `stage` (OH NNPS) is recorded as the stage
    in effect from today. The id returned is the organization's own assignment.
    """
    today = today or dt.date.today()
    checked = checked_assignment(fields, today)
    with profile.writing() as write:
        assignment_id = write_assignment(write.session, org_id, checked, today=today)
    return Written(assignment_id, write.changes)


def add_assigned_school(
    profile: Profile,
    school: OrganizationFields,
    assignment: AssignmentFields,
    *,
    today: dt.date | None = None,
) -> Written:
    """Add a school and assign it in one write (both, or neither); the id is the school's."""
    today = today or dt.date.today()
    checked = checked_assignment(assignment, today)
    cleaned(school)
    with profile.writing() as write:
        school_id = write_organization(write.session, school)
        write_assignment(write.session, school_id, checked, today=today)
    return Written(school_id, write.changes)


def write_assignment(
    session: Session, org_id: str, fields: AssignmentFields, *, today: dt.date
) -> str:
    """Write one assignment (and its identified schools' and starting stage) in the caller's
    session, from fields `checked_assignment` returned; returns the assignment's id."""
    prog = _program(fields.program_code)
    year = _year(fields.school_year, today)
    org = live_record(session, Organization, org_id, "school or district")
    _check_org_fits(org, prog)
    if fields.identified_schools and org.kind != "district":
        raise RefusedInput(f"{org.name} is a school; identified schools belong to a district.")
    if _active(session, org.id, prog.code, year) is not None:
        raise RefusedInput(f"{org.name} is already assigned to {prog.name} for {year}.")
    schools = [live_record(session, Organization, s, "school") for s in fields.identified_schools]
    for school in schools:
        if school.kind != "school" or school.parent_id != org.id:
            raise RefusedInput(f"{school.name} is not a school of {org.name}.")
        _check_org_fits(school, prog)
    coach_id = _coach_id(session)
    main = Assignment(
        id=new_id(),
        coach_id=coach_id,
        org_id=org.id,
        program_code=prog.code,
        school_year=year,
        role=fields.role,
        status="active",
        receivership_year=fields.receivership_year,
    )
    session.add(main)
    for school in schools:
        if _active(session, school.id, prog.code, year) is None:
            session.add(
                Assignment(
                    coach_id=coach_id,
                    org_id=school.id,
                    program_code=prog.code,
                    school_year=year,
                    role=fields.role,
                    status="active",
                )
            )
    if fields.stage is not None:
        session.add(
            StageRecord(
                org_id=org.id,
                program_code=prog.code,
                stage=fields.stage,
                effective=today,
                reason=f"Starting stage when assigned for {year}.",
            )
        )
    return main.id


def end_assignment(profile: Profile, assignment_id: str) -> ChangeSummary:
    """End an assignment: it leaves the caseload and keeps its visits and notes."""
    with profile.writing() as write:
        assignment = live_record(write.session, Assignment, assignment_id, "assignment")
        if assignment.status != "ended":
            assignment.status = "ended"
    return write.changes


def _active(session: Session, org_id: str, program_code: str, year: str) -> Assignment | None:
    return session.scalars(
        select(Assignment).where(
            Assignment.org_id == org_id,
            Assignment.program_code == program_code,
            Assignment.school_year == year,
            Assignment.status == "active",
            Assignment.deleted_at.is_(None),
        )
    ).first()


def _coach_id(session: Session) -> str:
    fact = session.get(ProfileFact, "coach_id")
    if fact is None:
        raise NotFound("This profile has no coach record; restore a backup.")
    return fact.value


# --- reading --------------------------------------------------------------------------------------


def list_assignments(
    profile: Profile,
    *,
    school_year: str | None = None,
    program_code: str | None = None,
    org_id: str | None = None,
    include_ended: bool = False,
) -> list[AssignmentRow]:
    """Assignments (active unless asked), by district, organization and program."""
    known = programs()
    with profile.reading() as session:
        query = (
            select(Assignment, Organization)
            .join(Organization, Organization.id == Assignment.org_id)
            .where(Assignment.deleted_at.is_(None), Organization.deleted_at.is_(None))
        )
        if school_year is not None:
            query = query.where(Assignment.school_year == school_year)
        if program_code is not None:
            query = query.where(Assignment.program_code == _program(program_code).code)
        if org_id is not None:
            query = query.where(Assignment.org_id == org_id)
        if not include_ended:
            query = query.where(Assignment.status == "active")
        rows = session.execute(query).all()
        parents = {o.parent_id for _, o in rows if o.parent_id}
        names = {
            row.id: row.name
            for row in session.execute(
                select(Organization.id, Organization.name).where(Organization.id.in_(parents))
            )
        }
        result = [
            AssignmentRow(
                id=a.id,
                org_id=o.id,
                org_name=o.name,
                org_kind=o.kind,
                state_id=o.state_id,
                district_name=names.get(o.parent_id) if o.parent_id else None,
                program_code=a.program_code,
                program_name=known[a.program_code].name
                if a.program_code in known
                else a.program_code,
                school_year=a.school_year,
                role=a.role,
                status=a.status,
                receivership_year=a.receivership_year,
            )
            for a, o in rows
        ]
    return sorted(
        result,
        key=lambda r: (
            r.school_year,
            (r.district_name or r.org_name).casefold(),
            r.org_kind != "district",
            r.org_name.casefold(),
            r.program_code,
        ),
    )


# --- the next school year -------------------------------------------------------------------------


def next_year(from_year: str) -> str:
    """The school year after one written "2026-27"; RefusedInput for any other text."""
    return years.label(years.parse(_year(from_year, None)) + 1)


def propose_next_year(profile: Profile, from_year: str) -> list[Proposal]:
    """What each active assignment of `from_year` would become next year (nothing written).

    The Receivership year goes up by one; role and program stay. Archived organizations are
    left out; an assignment already carried over says so.
    """
    year = _year(from_year, None)
    to_year = next_year(year)
    rcv_max = programs()["NY_RCV"].receivership_year_max if "NY_RCV" in programs() else 0
    with profile.reading() as session:
        rows = session.execute(
            select(Assignment, Organization)
            .join(Organization, Organization.id == Assignment.org_id)
            .where(
                Assignment.school_year == year,
                Assignment.status == "active",
                Assignment.deleted_at.is_(None),
                Organization.deleted_at.is_(None),
                Organization.archived_on.is_(None),
            )
        ).all()
        proposals = []
        for a, o in rows:
            following = a.receivership_year + 1 if a.receivership_year else None
            note = ""
            if following is not None and following > rcv_max:
                note = (
                    f"Receivership year {following} is past the {rcv_max} coachdesk knows; "
                    "set the year after carrying over."
                )
                following = None
            proposals.append(
                Proposal(
                    assignment_id=a.id,
                    org_id=o.id,
                    org_name=o.name,
                    program_code=a.program_code,
                    role=a.role,
                    from_year=year,
                    to_year=to_year,
                    receivership_year=a.receivership_year,
                    next_receivership_year=following,
                    already_carried=_active(session, o.id, a.program_code, to_year) is not None,
                    note=note,
                )
            )
    return sorted(proposals, key=lambda p: (p.org_name.casefold(), p.program_code))


def carry_over(profile: Profile, confirmed_ids: Iterable[str], to_year: str) -> ChangeSummary:
    """Write next year's assignment for each confirmed one of the year before `to_year`.

    Unconfirmed assignments are not carried; last year's stay as they are. One already carried
    over is skipped. The new record's id comes from the one it continues, so two laptops that
    carry the same assignment over write the same record.
    """
    target = _year(to_year, None)
    from_year = years.previous(target)
    wanted = list(dict.fromkeys(confirmed_ids))
    by_id = {p.assignment_id: p for p in propose_next_year(profile, from_year)}
    unknown = [i for i in wanted if i not in by_id]
    if unknown:
        raise RefusedInput(
            f"{', '.join(unknown)}: not an active {from_year} assignment to carry over; "
            "`coachdesk year next` lists them."
        )
    with profile.writing() as write:
        session = write.session
        for assignment_id in wanted:
            proposal = by_id[assignment_id]
            if _active(session, proposal.org_id, proposal.program_code, target) is not None:
                continue
            previous = live_record(session, Assignment, assignment_id, "assignment")
            new_id = stable_id(f"carry-over:{assignment_id}:{target}")
            earlier = session.get(Assignment, new_id)
            if earlier is not None:  # carried over before, then ended: it starts again
                if earlier.deleted_at is None:
                    earlier.status = "active"
                continue
            session.add(
                Assignment(
                    id=new_id,
                    coach_id=previous.coach_id,
                    org_id=previous.org_id,
                    program_code=previous.program_code,
                    school_year=target,
                    role=previous.role,
                    status="active",
                    receivership_year=proposal.next_receivership_year,
                    primary_contact_id=previous.primary_contact_id,
                )
            )
    return write.changes
