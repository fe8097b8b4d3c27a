"""A district's page: its programs, contacts, schools and district-level visits (issue 12).

A district is in a program this school year when it is assigned itself (an MA SSoS district
partnership) or when any of its schools is (the due rules then judge the district too:
coachdesk/core/tracking_records/facts_query.py). Its contacts are entered once, on the
district, and appear on each of its schools' pages (coachdesk/core/schools.py get_school).

District-level visits are the visits whose organization is the district: MA partnership
visits and progress-monitoring meetings with the DILT, OH check-ins with the district lead.
This year's visits at its schools are listed too: the due rules count some of them (an MA PM
meeting, an OH check-in) as contact with the district, so the page and Today agree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from coachdesk.core import visits
from coachdesk.core.assignments import AssignmentFields, checked_assignment, write_assignment
from coachdesk.core.caseload import current_school_year, status_text
from coachdesk.core.changes import ChangeSummary
from coachdesk.core.errors import NotFound, RefusedInput
from coachdesk.core.organizations import STATES
from coachdesk.core.programs import program, programs
from coachdesk.core.schools import AssignmentView, ContactView, SchoolDetail, get_school
from coachdesk.core.store.profile import Profile
from coachdesk.core.store.schema import Assignment, Organization
from coachdesk.core.visits import VisitRow

# Programs that work with districts themselves; NY Receivership assigns schools only.
DISTRICT_PROGRAMS = ("MA_SSOS", "OH_NNPS")
# A learning walk visits a school's classrooms (its rule applies to schools only).
SCHOOL_ONLY_VISIT_TYPES = frozenset({"learning_walk"})


@dataclass(frozen=True)
class DistrictSchool:
    """One of the district's schools, as the district page's table shows it."""

    id: str
    name: str
    state_id: str | None
    grade_span: str | None
    program_names: tuple[str, ...]  # the programs it is assigned to this school year
    archived_on: dt.date | None


@dataclass(frozen=True)
class DistrictProgram:
    """A program the district is in this school year, itself or through its schools."""

    program_code: str
    program_name: str
    school_year: str
    assignment: AssignmentView | None  # the district's own assignment, if it has one
    school_count: int  # how many of its schools are assigned to the program this year
    status_text: str

    @property
    def text(self) -> str:
        """One line: "MA SSoS 2026-27, lead, 3 schools: Phases 2 & 3: Implement, Track"."""
        how = [f"{self.program_name} {self.school_year}"]
        if self.assignment is not None:
            how.append(self.assignment.role)
        if self.school_count:
            how.append(f"{self.school_count} school{'s' if self.school_count != 1 else ''}")
        elif self.assignment is not None:
            how.append("no schools assigned")
        return ", ".join(how) + (f": {self.status_text}" if self.status_text else "")


@dataclass(frozen=True)
class DistrictDetail:
    """Everything the district page shows but its visits."""

    organization: SchoolDetail  # the district as get_school reads it (its own records)
    state_id_label: str
    school_year: str
    programs: tuple[DistrictProgram, ...]
    schools: tuple[DistrictSchool, ...]

    @property
    def id(self) -> str:
        return self.organization.id

    @property
    def name(self) -> str:
        return self.organization.name

    @property
    def state(self) -> str:
        return self.organization.state

    @property
    def state_id(self) -> str | None:
        return self.organization.state_id

    @property
    def contacts(self) -> tuple[ContactView, ...]:
        return self.organization.contacts

    @property
    def program_codes(self) -> tuple[str, ...]:
        return tuple(p.program_code for p in self.programs)

    @property
    def contact_roles(self) -> tuple[str, ...]:
        """Roles offered for the district's contacts: its programs' lists, in order."""
        codes = self.program_codes or tuple(
            code for code, prog in programs().items() if prog.state == self.state
        )
        roles: list[str] = []
        for code in codes or tuple(programs()):
            for role in program(code).contact_roles:
                if role not in roles:
                    roles.append(role)
        return tuple(roles)

    def program(self, code: str) -> DistrictProgram | None:
        return next((p for p in self.programs if p.program_code == code), None)


def get_district(
    profile: Profile, district_id: str, *, today: dt.date | None = None
) -> DistrictDetail:
    """The district page's contents; NotFound when there is no such district."""
    today = today or dt.date.today()
    organization = get_school(profile, district_id, today=today)
    if organization.kind != "district":
        raise NotFound(f"{organization.name} is a school, not a district.")
    year = current_school_year(today)
    known = programs()
    with profile.reading() as session:
        schools = session.scalars(
            select(Organization)
            .where(Organization.parent_id == district_id, Organization.deleted_at.is_(None))
            .order_by(Organization.archived_on.is_not(None), Organization.name)
        ).all()
        school_ids = [s.id for s in schools]
        rows = (
            session.execute(
                select(Assignment.org_id, Assignment.program_code).where(
                    Assignment.org_id.in_(school_ids),
                    Assignment.school_year == year,
                    Assignment.status == "active",
                    Assignment.deleted_at.is_(None),
                )
            ).all()
            if school_ids
            else []
        )
        by_school: dict[str, list[str]] = {}
        for org_id, code in rows:
            by_school.setdefault(org_id, []).append(code)
        district_schools = tuple(
            DistrictSchool(
                id=s.id,
                name=s.name,
                state_id=s.state_id,
                grade_span=s.grade_span,
                program_names=tuple(
                    known[c].name if c in known else c for c in sorted(set(by_school.get(s.id, ())))
                ),
                archived_on=s.archived_on,
            )
            for s in schools
        )
    own = {a.program_code: a for a in organization.assignments if a.school_year == year}
    codes = [c for c in known if c in own or any(c in v for v in by_school.values())]
    codes += [c for c in own if c not in codes]
    district_programs = tuple(
        DistrictProgram(
            program_code=code,
            program_name=known[code].name if code in known else code,
            school_year=year,
            assignment=own.get(code),
            school_count=sum(1 for v in by_school.values() if code in v),
            status_text=(
                own[code].status_text
                if code in own
                else status_text(
                    known[code],
                    stage=organization.current_stage,
                    receivership_year=None,
                    today=today,
                )
                if code in known and known[code].status_kind == "phase"
                else organization.current_stage or ""
            ),
        )
        for code in codes
    )
    # The programs' own name for it ("Org code", "IRN"), else the state's ("OH IRN").
    rules = STATES.get(organization.state)
    label = next(
        (known[c].state_id_label for c in codes if c in known),
        rules.id_label if rules else "State id",
    )
    return DistrictDetail(
        organization=organization,
        state_id_label=label,
        school_year=year,
        programs=district_programs,
        schools=district_schools,
    )


def district_visits(profile: Profile, district_id: str) -> list[VisitRow]:
    """The district's own visits, newest first."""
    return visits.list_visits(profile, school_id=district_id)


def school_visits(
    profile: Profile, detail: DistrictDetail, *, today: dt.date | None = None
) -> list[VisitRow]:
    """This school year's visits at the district's schools in a program, newest first.

    Among them are the visits the due rules count as contact with the district (MA
    progress-monitoring meetings, OH check-ins), so the page shows what Today reads.
    """
    since = dt.datetime(int(detail.school_year[:4]), 7, 1)
    found: list[VisitRow] = []
    for school in detail.schools:
        if school.program_names:
            found += [
                v for v in visits.list_visits(profile, school_id=school.id) if v.starts_at >= since
            ]
    return sorted(found, key=lambda v: (v.starts_at, v.id), reverse=True)


def district_visit_types(program_code: str) -> frozenset[str]:
    """The visit types a district-level visit can be in a program (none for NY Receivership)."""
    if program_code not in DISTRICT_PROGRAMS:
        return frozenset()
    return frozenset(visits.VISIT_TYPE_LABELS) - SCHOOL_ONLY_VISIT_TYPES


@dataclass(frozen=True)
class Started:
    """A district visit started: its id, and everything the start wrote."""

    visit_id: str
    changes: ChangeSummary
    assigned: bool  # the district was put on the caseload for the program to hold the visit


def start_district_visit(
    profile: Profile,
    district_id: str,
    *,
    program_code: str,
    visit_type: str,
    starts_at: dt.datetime,
    form_id: str | None = None,
    purpose: str | None = None,
    today: dt.date | None = None,
) -> Started:
    """Start a draft district-level visit on the program's form.

    A district in the program only through its schools is first assigned itself for the
    school year (with its schools' role), since a visit's note belongs to an assignment.
    """
    today = today or dt.date.today()
    if visit_type not in district_visit_types(program_code):
        prog = programs().get(program_code)
        name = prog.name if prog else program_code
        if program_code not in DISTRICT_PROGRAMS:
            raise RefusedInput(
                f"{name} works with schools; start the visit on one of the district's schools."
            )
        raise RefusedInput(
            f"A {visits.VISIT_TYPE_LABELS.get(visit_type, visit_type).lower()} is held at a "
            "school; start it on one of the district's schools."
        )
    detail = get_district(profile, district_id, today=today)
    in_program = detail.program(program_code)
    if in_program is None:
        raise RefusedInput(
            f"{detail.name} is not in {program(program_code).name} this school year; assign it "
            "or one of its schools first."
        )
    changes = ChangeSummary()
    assigned = False
    if in_program.assignment is None:
        role = _schools_role(profile, district_id, program_code, detail.school_year)
        fields = checked_assignment(
            AssignmentFields(program_code, school_year=detail.school_year, role=role), today
        )
        with profile.writing() as write:
            write_assignment(write.session, district_id, fields, today=today)
        changes = write.changes
        assigned = True
    visit_id = visits.start_visit(
        profile,
        district_id,
        visit_type=visit_type,
        starts_at=starts_at,
        form_id=form_id,
        purpose=purpose,
    )
    visit_changes = ChangeSummary.of({"visit": [visit_id]})
    return Started(visit_id, changes.merged(visit_changes), assigned)


def _schools_role(profile: Profile, district_id: str, program_code: str, year: str) -> str:
    """Lead when the coach leads any of the district's schools in the program, else support."""
    with profile.reading() as session:
        roles = session.scalars(
            select(Assignment.role)
            .join(Organization, Organization.id == Assignment.org_id)
            .where(
                Organization.parent_id == district_id,
                Assignment.program_code == program_code,
                Assignment.school_year == year,
                Assignment.status == "active",
                Assignment.deleted_at.is_(None),
            )
        ).all()
    return "lead" if "lead" in roles or not roles else "support"
