"""A school's page: its profile, contacts and program status, and the edits made there."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum
from typing import Final

from sqlalchemy import select

from coachdesk.core.caseload import status_text
from coachdesk.core.changes import ChangeSummary
from coachdesk.core.contact_roles import check_role
from coachdesk.core.errors import NotFound, RefusedInput
from coachdesk.core.organizations import OrganizationFields, write_organization
from coachdesk.core.programs import program, programs
from coachdesk.core.records import live_record
from coachdesk.core.store.profile import Profile
from coachdesk.core.store.schema import (
    Assignment,
    CoachingFlag,
    Contact,
    Organization,
    StageRecord,
)
from coachdesk.core.validation import (
    LONG_TEXT_LIMIT,
    clean_email,
    clean_name,
    clean_phone,
    clean_text,
    not_in_future,
)


@dataclass(frozen=True)
class ContactView:
    id: str
    name: str
    role: str
    work_email: str | None
    work_phone: str | None
    active: bool
    active_from: dt.date | None
    active_to: dt.date | None
    # On a school's page: the contact is its district's, entered once for all its schools.
    district_contact: bool = False


@dataclass(frozen=True)
class AssignmentView:
    id: str
    program_code: str
    program_name: str
    school_year: str
    role: str
    status: str
    receivership_year: int | None
    primary_contact_id: str | None
    status_text: str


@dataclass(frozen=True)
class StageView:
    id: str
    stage: str
    effective: dt.date
    set_by: str | None
    reason: str | None


@dataclass(frozen=True)
class FlagView:
    id: str
    reason: str
    reason_label: str
    note: str | None
    start: dt.date
    review_by: dt.date | None
    ended_on: dt.date | None

    @property
    def active(self) -> bool:
        return self.ended_on is None


@dataclass(frozen=True)
class SchoolDetail:
    id: str
    name: str
    state: str
    state_id: str | None
    state_id_label: str
    city: str | None
    grade_span: str | None
    district_id: str | None
    district_name: str | None
    assignments: tuple[AssignmentView, ...]
    contacts: tuple[ContactView, ...]
    stage_history: tuple[StageView, ...]  # newest first
    flags: tuple[FlagView, ...]  # active first, then newest
    tz: str | None = None  # the school's time zone (America/New_York): its times are shown in it
    address: str | None = None
    archived_on: dt.date | None = None  # archived: off the caseload list, still readable
    kind: str = "school"  # or "district": a district's page reads the same detail

    @property
    def current_stage(self) -> str | None:
        return self.stage_history[0].stage if self.stage_history else None

    @property
    def program_codes(self) -> tuple[str, ...]:
        return tuple(a.program_code for a in self.assignments)

    @property
    def contact_roles(self) -> tuple[str, ...]:
        """Roles offered for contacts here: those of the school's programs, in order."""
        roles: list[str] = []
        for code in self.program_codes or tuple(programs()):
            for role in program(code).contact_roles:
                if role not in roles:
                    roles.append(role)
        return tuple(roles)


def get_school(profile: Profile, school_id: str, *, today: dt.date | None = None) -> SchoolDetail:
    """Everything the school page shows; NotFound if there is no such school."""
    today = today or dt.date.today()
    with profile.reading() as session:
        school = session.get(Organization, school_id)
        if school is None or school.deleted_at is not None:
            raise NotFound(f"There is no school with id {school_id}.")
        district = session.get(Organization, school.parent_id) if school.parent_id else None
        stages = (
            session.execute(
                select(StageRecord)
                .where(StageRecord.org_id == school_id, StageRecord.deleted_at.is_(None))
                .order_by(StageRecord.effective.desc(), StageRecord.created_hlc.desc())
            )
            .scalars()
            .all()
        )
        current_stage = stages[0].stage if stages else None
        assignments = (
            session.execute(
                select(Assignment)
                .where(Assignment.org_id == school_id, Assignment.deleted_at.is_(None))
                .order_by(Assignment.school_year.desc(), Assignment.program_code)
            )
            .scalars()
            .all()
        )
        contacts = (
            session.execute(
                select(Contact)
                .where(Contact.org_id == school_id, Contact.deleted_at.is_(None))
                .order_by(Contact.active.desc(), Contact.name)
            )
            .scalars()
            .all()
        )
        # The district's active contacts serve each of its schools: entered once, shown here.
        district_contacts = (
            session.execute(
                select(Contact)
                .where(
                    Contact.org_id == district.id,
                    Contact.deleted_at.is_(None),
                    Contact.active.is_(True),
                )
                .order_by(Contact.name)
            )
            .scalars()
            .all()
            if district is not None and district.deleted_at is None
            else []
        )
        flags = (
            session.execute(
                select(CoachingFlag)
                .where(CoachingFlag.org_id == school_id, CoachingFlag.deleted_at.is_(None))
                .order_by(CoachingFlag.ended_on.is_not(None), CoachingFlag.start.desc())
            )
            .scalars()
            .all()
        )
        known = programs()
        state_id_label = next(
            (known[a.program_code].state_id_label for a in assignments if a.program_code in known),
            "State id",
        )
        nnps = known.get("OH_NNPS")
        return SchoolDetail(
            id=school.id,
            name=school.name,
            state=school.state,
            state_id=school.state_id,
            state_id_label=state_id_label,
            city=school.city,
            grade_span=school.grade_span,
            tz=school.tz,
            address=school.address,
            archived_on=school.archived_on,
            kind=school.kind,
            district_id=district.id if district else None,
            district_name=district.name if district else None,
            assignments=tuple(
                AssignmentView(
                    id=a.id,
                    program_code=a.program_code,
                    program_name=known[a.program_code].name
                    if a.program_code in known
                    else a.program_code,
                    school_year=a.school_year,
                    role=a.role,
                    status=a.status,
                    receivership_year=a.receivership_year,
                    primary_contact_id=a.primary_contact_id,
                    status_text=status_text(
                        known[a.program_code],
                        stage=current_stage,
                        receivership_year=a.receivership_year,
                        today=today,
                    )
                    if a.program_code in known
                    else "",
                )
                for a in assignments
            ),
            contacts=tuple(_contact_view(c) for c in contacts)
            + tuple(_contact_view(c, district_contact=True) for c in district_contacts),
            stage_history=tuple(
                StageView(s.id, s.stage, s.effective, s.set_by, s.reason) for s in stages
            ),
            flags=tuple(
                FlagView(
                    id=f.id,
                    reason=f.reason,
                    reason_label=(nnps.flag_reasons.get(f.reason, f.reason) if nnps else f.reason),
                    note=f.note,
                    start=f.start,
                    review_by=f.review_by,
                    ended_on=f.ended_on,
                )
                for f in flags
            ),
        )


def _contact_view(c: Contact, *, district_contact: bool = False) -> ContactView:
    return ContactView(
        c.id,
        c.name,
        c.role,
        c.work_email,
        c.work_phone,
        c.active,
        c.active_from,
        c.active_to,
        district_contact=district_contact,
    )


# --- the school's own profile ---------------------------------------------------------------------


class _Unset(Enum):
    """A field left out of an update; None is a value (it clears the field)."""

    UNSET = "unset"


_UNSET: Final = _Unset.UNSET


def update_school(
    profile: Profile,
    school_id: str,
    *,
    name: str | _Unset = _UNSET,
    state_id: str | None | _Unset = _UNSET,
    city: str | None | _Unset = _UNSET,
    grade_span: str | None | _Unset = _UNSET,
) -> ChangeSummary:
    """Edit the fields given; the others stay as they are.

    The name, state id and grade span are checked as coachdesk.core.organizations checks them
    (the state's id format, one organization per state id).
    """
    with profile.writing() as write:
        school = live_record(write.session, Organization, school_id, "school")
        fields = OrganizationFields(
            school.kind,
            school.name if name is _UNSET else name,
            school.state,
            state_id=school.state_id if state_id is _UNSET else state_id,
            parent_id=school.parent_id,
            grade_span=school.grade_span if grade_span is _UNSET else grade_span,
            address=school.address,
            tz=school.tz,
        )
        write_organization(write.session, fields, existing_id=school_id)
        if city is not _UNSET:
            school.city = clean_text(city, what="The city", limit=100)
    return write.changes


# --- contacts -------------------------------------------------------------------------------------


def add_contact(
    profile: Profile,
    org_id: str,
    *,
    name: str,
    role: str,
    work_email: str | None = None,
    work_phone: str | None = None,
    today: dt.date | None = None,
) -> ContactView:
    """Add an adult contact at a school or district (a district's appears on its schools' pages).

    The role must be an adult's role at a school (coachdesk.core.contact_roles).
    """
    contact = Contact(
        org_id=org_id,
        name=clean_name(name, what="The contact's name"),
        role=check_role(role, _offered_roles()),
        work_email=clean_email(work_email),
        work_phone=clean_phone(work_phone),
        active=True,
        active_from=today or dt.date.today(),
    )
    with profile.writing() as write:
        live_record(write.session, Organization, org_id, "school or district")
        write.session.add(contact)
    return _contact_view(contact)


def update_contact(
    profile: Profile,
    contact_id: str,
    *,
    name: str | _Unset = _UNSET,
    role: str | _Unset = _UNSET,
    work_email: str | None | _Unset = _UNSET,
    work_phone: str | None | _Unset = _UNSET,
) -> ContactView:
    """Edit the fields given of a contact."""
    with profile.writing() as write:
        contact = live_record(write.session, Contact, contact_id, "contact")
        if name is not _UNSET:
            contact.name = clean_name(name, what="The contact's name")
        if role is not _UNSET:
            contact.role = check_role(role, _offered_roles())
        if work_email is not _UNSET:
            contact.work_email = clean_email(work_email)
        if work_phone is not _UNSET:
            contact.work_phone = clean_phone(work_phone)
    return _contact_view(contact)


def _offered_roles() -> tuple[str, ...]:
    """Every program's contact roles, whose spelling a typed role takes when it matches."""
    return tuple(role for prog in programs().values() for role in prog.contact_roles)


def set_contact_active(
    profile: Profile, contact_id: str, *, active: bool, today: dt.date | None = None
) -> ContactView:
    """Deactivate a contact who left (kept in history), or bring one back."""
    today = today or dt.date.today()
    with profile.writing() as write:
        contact = live_record(write.session, Contact, contact_id, "contact")
        if contact.active != active:
            contact.active = active
            if active:
                contact.active_from, contact.active_to = today, None
            else:
                contact.active_to = today
    return _contact_view(contact)


# --- program status -------------------------------------------------------------------------------


def record_stage(
    profile: Profile,
    school_id: str,
    *,
    stage: str,
    effective: dt.date,
    reason: str,
    set_by: str | None = None,
    program_code: str = "OH_NNPS",
    today: dt.date | None = None,
) -> StageView:
    """Record a dated change of NNPS implementation stage, with the reason for it."""
    prog = program(program_code)
    if stage not in prog.stages:
        raise RefusedInput(
            f"“{stage}” is not an implementation stage; choose one of: {', '.join(prog.stages)}."
        )
    not_in_future(effective, what="The date the stage took effect", today=today)
    reason_text = clean_text(
        reason, what="The reason", limit=LONG_TEXT_LIMIT, required=True, multiline=True
    )
    record = StageRecord(
        org_id=school_id,
        program_code=program_code,
        stage=stage,
        effective=effective,
        reason=reason_text,
        set_by=clean_text(set_by, what="Who set it", limit=200),
    )
    with profile.writing() as write:
        live_record(write.session, Organization, school_id, "school")
        write.session.add(record)
    return StageView(record.id, record.stage, record.effective, record.set_by, record.reason)


def set_receivership_year(profile: Profile, assignment_id: str, year: int | None) -> ChangeSummary:
    """Set which year of Receivership a NY school is in."""
    limit = program("NY_RCV").receivership_year_max
    if year is not None and not 1 <= year <= limit:
        raise RefusedInput(f"The Receivership year must be between 1 and {limit}.")
    with profile.writing() as write:
        assignment = live_record(write.session, Assignment, assignment_id, "assignment")
        assignment.receivership_year = year
    return write.changes


def add_flag(
    profile: Profile,
    school_id: str,
    *,
    reason: str,
    start: dt.date,
    note: str | None = None,
    review_by: dt.date | None = None,
) -> FlagView:
    """Raise a reason for more frequent coaching."""
    reasons = program("OH_NNPS").flag_reasons
    if reason not in reasons:
        raise RefusedInput(
            "That is not a reason for more frequent coaching; choose one of: "
            + ", ".join(reasons.values())
            + "."
        )
    if review_by is not None and review_by < start:
        raise RefusedInput("The review date is before the flag starts; pick a later date.")
    flag = CoachingFlag(
        org_id=school_id,
        reason=reason,
        note=clean_text(note, what="The note", limit=LONG_TEXT_LIMIT, multiline=True),
        start=start,
        review_by=review_by,
    )
    with profile.writing() as write:
        live_record(write.session, Organization, school_id, "school")
        write.session.add(flag)
    return FlagView(flag.id, reason, reasons[reason], flag.note, start, review_by, None)


def end_flag(profile: Profile, flag_id: str, *, on: dt.date | None = None) -> ChangeSummary:
    """Close a coaching flag that no longer applies (it stays in the history)."""
    with profile.writing() as write:
        flag = live_record(write.session, CoachingFlag, flag_id, "coaching flag")
        if flag.ended_on is None:
            flag.ended_on = on or dt.date.today()
    return write.changes
