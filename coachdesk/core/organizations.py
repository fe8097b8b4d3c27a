"""Districts and schools: adding, editing, archiving and finding them (issue 12).

The checks are pure functions over `OrganizationFields` (kept in organization_fields.py and
offered here), so that the CSV import (coachdesk/core/caseload_file.py) can check every row
before it writes; `write_organization` writes one organization inside a session the caller
holds, so that an import writes many rows in one transaction. The profile-level functions
(`add_district`, `add_school`, `edit_organization`, `archive_organization`) each open one
write and return what it changed.

Refusals are `ValidationError`, a `RefusedInput` carrying one sentence (the CLI exits 1).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, replace
from enum import Enum
from typing import Any, Final

from sqlalchemy import and_, func, select, true
from sqlalchemy.orm import Session

from coachdesk.core.changes import ChangeSummary
from coachdesk.core.errors import NotFound
from coachdesk.core.ids import new_id
from coachdesk.core.organization_fields import (
    ADDRESS_LIMIT,
    KINDS,
    STATES,
    TYPED_SEPARATORS,
    OrganizationFields,
    StateRules,
    ValidationError,
    check_address,
    check_grade_span,
    check_kind,
    check_name,
    check_state_id,
    check_tz,
    cleaned,
    problems,
    state_rules,
)
from coachdesk.core.records import live_record
from coachdesk.core.store.profile import Profile
from coachdesk.core.store.schema import Organization

# The checks live in organization_fields and are offered here, beside the writes that use them.
__all__ = [
    "ADDRESS_LIMIT",
    "KINDS",
    "OrganizationFields",
    "STATES",
    "StateRules",
    "ValidationError",
    "check_address",
    "check_grade_span",
    "check_kind",
    "check_name",
    "check_state_id",
    "check_tz",
    "cleaned",
    "problems",
    "state_rules",
    "OrganizationView",
    "Written",
    "UNSET",
    "write_organization",
    "add_district",
    "add_school",
    "edit_organization",
    "archive_organization",
    "unarchive_organization",
    "get_organization",
    "list_organizations",
    "find_organization",
]


@dataclass(frozen=True)
class OrganizationView:
    """A district or school as lists and pages show it."""

    id: str
    kind: str
    name: str
    state: str
    state_id: str | None
    state_id_label: str
    parent_id: str | None
    parent_name: str | None
    grade_span: str | None
    address: str | None
    tz: str
    archived_on: dt.date | None

    @property
    def archived(self) -> bool:
        return self.archived_on is not None


@dataclass(frozen=True)
class Written:
    """The id of the record a write added or edited, and what the write changed."""

    id: str
    changes: ChangeSummary


# --- writing --------------------------------------------------------------------------------------


def write_organization(
    session: Session, fields: OrganizationFields, *, existing_id: str | None = None
) -> str:
    """Add an organization (or edit the one with `existing_id`) in the caller's session.

    Checks the fields, the parent district (a live district of the same state) and that no
    other organization of the state holds the state id; returns the organization's id. The
    caller's write scope logs the change and commits.
    """
    existing: Organization | None = None
    unchanged: frozenset[str] = frozenset()
    if existing_id is not None:
        existing = live_record(session, Organization, existing_id, "school or district")
        assert existing is not None
        same_state = existing.state == fields.state
        unchanged = frozenset(
            name
            for name in ("name", "state_id", "parent_id", "grade_span", "address", "tz")
            if same_state and getattr(existing, name) == getattr(fields, name)
        )
    clean = cleaned(fields, unchanged=unchanged)
    if existing is not None:
        if existing.kind != clean.kind:
            raise ValidationError(
                f"{existing.name} is a {existing.kind}; it cannot become a {clean.kind}."
            )
        if existing.kind == "district" and existing.state != clean.state:
            has_schools = session.scalar(
                select(func.count())
                .select_from(Organization)
                .where(Organization.parent_id == existing.id, Organization.deleted_at.is_(None))
            )
            if has_schools:
                raise ValidationError(
                    f"{existing.name} has schools in {existing.state}; it cannot move to "
                    f"{clean.state}."
                )
    if clean.parent_id is not None and "parent_id" not in unchanged:
        _check_parent(session, clean)
    if clean.state_id is not None and "state_id" not in unchanged:
        _check_state_id_is_free(session, clean, existing_id)
    organization = existing or Organization(id=new_id(), kind=clean.kind)
    organization.name = clean.name
    organization.state = clean.state
    organization.state_id = clean.state_id
    organization.parent_id = clean.parent_id
    organization.grade_span = clean.grade_span
    organization.address = clean.address
    assert clean.tz is not None
    organization.tz = clean.tz
    if existing is None:
        session.add(organization)
    return organization.id


def _check_parent(session: Session, clean: OrganizationFields) -> None:
    parent = session.get(Organization, clean.parent_id)
    if parent is None or parent.deleted_at is not None:
        raise NotFound(f"There is no district with id {clean.parent_id}.")
    if parent.kind != "district":
        raise ValidationError(f"{parent.name} is a school, not a district; choose its district.")
    if parent.state != clean.state:
        raise ValidationError(
            f"{parent.name} is a district in {parent.state}; a school in {clean.state} needs "
            f"a district in {clean.state}."
        )


def _check_state_id_is_free(
    session: Session, clean: OrganizationFields, existing_id: str | None
) -> None:
    query = select(Organization).where(
        Organization.state == clean.state,
        Organization.state_id == clean.state_id,
        Organization.deleted_at.is_(None),
    )
    if existing_id is not None:
        query = query.where(Organization.id != existing_id)
    other = session.scalars(query.limit(1)).first()
    if other is not None:
        label = STATES[clean.state].id_label
        archived = " (archived)" if other.archived_on else ""
        raise ValidationError(
            f"The {label} {clean.state_id} already belongs to {other.name}{archived}, a "
            f"{other.kind}; check the number, or edit {other.name} instead."
        )


class _Unset(Enum):
    """A field left out of an edit; None is a value (it clears the field)."""

    UNSET = "unset"


UNSET: Final = _Unset.UNSET


def add_district(
    profile: Profile,
    *,
    name: str,
    state: str,
    state_id: str | None = None,
    address: str | None = None,
    tz: str | None = None,
) -> Written:
    """Add a district; its time zone defaults to its state's."""
    fields = OrganizationFields("district", name, state, state_id=state_id, address=address, tz=tz)
    cleaned(fields)  # refuse before taking the write lock
    with profile.writing() as write:
        org_id = write_organization(write.session, fields)
    return Written(org_id, write.changes)


def add_school(
    profile: Profile,
    *,
    name: str,
    district_id: str | None,
    state: str | None = None,
    state_id: str | None = None,
    grade_span: str | None = None,
    address: str | None = None,
    tz: str | None = None,
) -> Written:
    """Add a school to a district (its state is the district's unless given)."""
    with profile.writing() as write:
        if state is None:
            if district_id is None:
                raise ValidationError("Choose the school's district or its state.")
            district = live_record(write.session, Organization, district_id, "district")
            state = district.state
        assert state is not None
        fields = OrganizationFields(
            "school",
            name,
            state,
            state_id=state_id,
            parent_id=district_id,
            grade_span=grade_span,
            address=address,
            tz=tz,
        )
        org_id = write_organization(write.session, fields)
    return Written(org_id, write.changes)


def edit_organization(
    profile: Profile,
    org_id: str,
    *,
    name: str | _Unset = UNSET,
    state_id: str | None | _Unset = UNSET,
    parent_id: str | None | _Unset = UNSET,
    grade_span: str | None | _Unset = UNSET,
    address: str | None | _Unset = UNSET,
    tz: str | None | _Unset = UNSET,
) -> ChangeSummary:
    """Edit the fields given of a district or school; the others stay as they are."""
    with profile.writing() as write:
        current = live_record(write.session, Organization, org_id, "school or district")
        fields = OrganizationFields(
            current.kind,
            current.name,
            current.state,
            state_id=current.state_id,
            parent_id=current.parent_id,
            grade_span=current.grade_span,
            address=current.address,
            tz=current.tz,
        )
        given: dict[str, Any] = {
            "name": name,
            "state_id": state_id,
            "parent_id": parent_id,
            "grade_span": grade_span,
            "address": address,
            "tz": tz,
        }
        fields = replace(fields, **{k: v for k, v in given.items() if v is not UNSET})
        write_organization(write.session, fields, existing_id=org_id)
    return write.changes


def archive_organization(
    profile: Profile, org_id: str, *, today: dt.date | None = None
) -> ChangeSummary:
    """Archive a district or school: it leaves the caseload list and keeps every visit and note.

    Archiving one already archived changes nothing.
    """
    with profile.writing() as write:
        organization = live_record(write.session, Organization, org_id, "school or district")
        if organization.archived_on is None:
            organization.archived_on = today or dt.date.today()
    return write.changes


def unarchive_organization(profile: Profile, org_id: str) -> ChangeSummary:
    """Bring an archived district or school back to the caseload."""
    with profile.writing() as write:
        organization = live_record(write.session, Organization, org_id, "school or district")
        organization.archived_on = None
    return write.changes


# --- reading and finding --------------------------------------------------------------------------


def get_organization(profile: Profile, org_id: str) -> OrganizationView:
    """One district or school, archived or not; NotFound if there is none."""
    with profile.reading() as session:
        organization = live_record(session, Organization, org_id, "school or district")
        parent = (
            session.get(Organization, organization.parent_id) if organization.parent_id else None
        )
        return _view(organization, parent.name if parent else None)


def list_organizations(
    profile: Profile, *, kind: str | None = None, archived: bool = False
) -> list[OrganizationView]:
    """Districts and schools by state, district and name; archived ones only when asked."""
    with profile.reading() as session:
        query = select(Organization).where(Organization.deleted_at.is_(None))
        if kind is not None:
            query = query.where(Organization.kind == check_kind(kind))
        if not archived:
            query = query.where(Organization.archived_on.is_(None))
        found = session.scalars(query).all()
        names = {o.id: o.name for o in found}
        missing = {o.parent_id for o in found if o.parent_id and o.parent_id not in names}
        if missing:
            for parent in session.scalars(select(Organization).where(Organization.id.in_(missing))):
                names[parent.id] = parent.name
        views = [_view(o, names.get(o.parent_id) if o.parent_id else None) for o in found]
    return sorted(
        views,
        key=lambda v: (
            v.state,
            (v.parent_name or v.name).casefold(),
            v.kind != "district",
            v.name.casefold(),
        ),
    )


def find_organization(profile: Profile, text: str, *, kind: str | None = None) -> OrganizationView:
    """The district or school a coach names by its id, its state id or its exact name.

    The state id may be typed with spaces or dashes; the name is matched ignoring case. A name
    that several share is refused with a sentence listing them with their state ids.
    """
    what = kind or "school or district"
    typed = unicodedata.normalize("NFC", text or "").strip()
    if not typed:
        raise ValidationError(f"Name the {what}: its name, its state id or its id.")
    with profile.reading() as session:
        live = and_(
            Organization.deleted_at.is_(None),
            Organization.kind == check_kind(kind) if kind else true(),
        )
        by_id = session.scalars(select(Organization).where(live, Organization.id == typed)).first()
        if by_id is not None:
            return _view_in(session, by_id)
        digits = TYPED_SEPARATORS.sub("", typed)
        matches: list[Organization] = []
        if digits.isascii() and digits.isdigit():
            matches = list(
                session.scalars(select(Organization).where(live, Organization.state_id == digits))
            )
        if not matches:
            # casefold() in Python: SQL's lower() folds only ASCII in SQLite.
            folded = typed.casefold()
            names = session.execute(select(Organization.id, Organization.name).where(live))
            ids = [row.id for row in names if row.name.casefold() == folded]
            if ids:
                matches = list(
                    session.scalars(select(Organization).where(Organization.id.in_(ids)))
                )
        if not matches:
            shown = typed if len(typed) <= 80 else typed[:80] + "…"
            raise NotFound(
                f"No {what} is called or numbered “{shown}”; `coachdesk schools list` shows them."
            )
        if len(matches) > 1:
            listed = "; ".join(
                f"{o.name} ({o.kind}, {_id_label(o.state)} "
                f"{o.state_id or 'not recorded'}, id {o.id})"
                for o in sorted(matches, key=lambda o: (o.state_id or "", o.id))
            )
            raise ValidationError(
                f"{len(matches)} organizations are called “{typed}”: {listed}. Name one by its "
                "state id or id."
            )
        return _view_in(session, matches[0])


def _id_label(state: str) -> str:
    rules = STATES.get(state)
    return rules.id_label if rules else "state id"


def _view_in(session: Session, organization: Organization) -> OrganizationView:
    parent = session.get(Organization, organization.parent_id) if organization.parent_id else None
    return _view(organization, parent.name if parent else None)


def _view(organization: Organization, parent_name: str | None) -> OrganizationView:
    return OrganizationView(
        id=organization.id,
        kind=organization.kind,
        name=organization.name,
        state=organization.state,
        state_id=organization.state_id,
        state_id_label=_id_label(organization.state),
        parent_id=organization.parent_id,
        parent_name=parent_name,
        grade_span=organization.grade_span,
        address=organization.address,
        tz=organization.tz,
        archived_on=organization.archived_on,
    )
