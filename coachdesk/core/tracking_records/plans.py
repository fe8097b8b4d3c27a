"""The MA Instructional Priority record and the OH One-Year Action Plan: read and update.

Reads return frozen dataclasses; updates take the fields to change and refuse, in a sentence,
values the plan cannot hold (an unknown checklist step, an involvement type outside 1 to 6).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from coachdesk.core.changes import ChangeSummary
from coachdesk.core.errors import RefusedInput
from coachdesk.core.store.profile import Profile

CHECKLIST_STEPS = {
    "ip_affirmed": "Instructional Priority affirmed",
    "benchmarks_set": "Benchmarks set",
    "primary_contact_named": "Primary contact named",
    "dilt_self_assessment": "DILT self-assessment done",
}
IP_TEXT_FIELDS = (
    "statement",
    "inequity_addressed",
    "district_actions",
    "school_actions",
    "classroom_actions",
    "dilt_focus",
)
INVOLVEMENT_TYPES = {
    1: "Parenting",
    2: "Communicating",
    3: "Volunteering",
    4: "Learning at Home",
    5: "Decision Making",
    6: "Collaborating with Community",
}
ESSENTIAL_ELEMENTS = {
    1: "Leadership for partnerships",
    2: "Action Team for Partnerships",
    3: "Six Types framework",
    4: "One-Year Action Plan",
    5: "Program evaluation",
}
ACTIVITY_STATUSES = ("not started", "planned", "in progress", "done", "dropped")
ELEMENT_STATUSES = ("not started", "developing", "in place")


@dataclass(frozen=True)
class PriorityView:
    id: str
    district_id: str
    school_year: str
    statement: str
    inequity_addressed: str
    district_actions: str
    school_actions: str
    classroom_actions: str
    dilt_focus: str
    primary_contact_id: str | None
    checklist_done: frozenset[str]
    # Who changed it last and when (from the record's clock reading); cheap to show.
    changed_at: dt.datetime | None = None
    changed_on: str = ""  # "this laptop" or the trusted name of the device

    def checklist(self) -> list[tuple[str, str, bool]]:
        """The phase 1 steps as (id, label, done)."""
        return [(k, label, k in self.checklist_done) for k, label in CHECKLIST_STEPS.items()]


def get_priority(profile: Profile, district_id: str, school_year: str) -> PriorityView | None:
    """The district's Instructional Priority for the year, or None when none is recorded."""
    from sqlalchemy import select

    from coachdesk.core.store.tracking_tables import InstructionalPriority as IP

    with profile.reading() as session:
        found = session.scalars(
            select(IP).where(
                IP.org_id == district_id, IP.school_year == school_year, IP.deleted_at.is_(None)
            )
        ).first()
        if found is None:
            return None
        changed_at, changed_on = _last_change(session, found.updated_hlc)
        return PriorityView(
            id=found.id,
            district_id=found.org_id,
            school_year=found.school_year,
            statement=found.statement,
            inequity_addressed=found.inequity_addressed,
            district_actions=found.district_actions,
            school_actions=found.school_actions,
            classroom_actions=found.classroom_actions,
            dilt_focus=found.dilt_focus,
            primary_contact_id=found.primary_contact_id,
            checklist_done=frozenset(json.loads(found.checklist_done or "[]")),
            changed_at=changed_at,
            changed_on=changed_on,
        )


def update_priority(
    profile: Profile,
    district_id: str,
    school_year: str,
    *,
    checklist_done: set[str] | None = None,
    primary_contact_id: str | None = None,
    **texts: str,
) -> ChangeSummary:
    """Create or change the district's IP for the year (only the fields given)."""
    from sqlalchemy import select

    from coachdesk.core.store.tracking_tables import InstructionalPriority as IP

    unknown = set(texts) - set(IP_TEXT_FIELDS)
    if unknown:
        raise RefusedInput(f"The Instructional Priority has no field {', '.join(sorted(unknown))}.")
    if checklist_done is not None and not set(checklist_done) <= set(CHECKLIST_STEPS):
        bad = ", ".join(sorted(set(checklist_done) - set(CHECKLIST_STEPS)))
        raise RefusedInput(f"“{bad}” is not a phase 1 checklist step.")
    with profile.writing() as write:
        ip = write.session.scalars(
            select(IP).where(
                IP.org_id == district_id, IP.school_year == school_year, IP.deleted_at.is_(None)
            )
        ).first()
        if ip is None:
            ip = IP(org_id=district_id, school_year=school_year)
            write.session.add(ip)
        for name, value in texts.items():
            setattr(ip, name, (value or "").strip())
        if checklist_done is not None:
            ip.checklist_done = json.dumps(sorted(checklist_done))
        if primary_contact_id is not None:
            ip.primary_contact_id = primary_contact_id or None
    return write.changes


def create_priority(
    profile: Profile, district_id: str, school_year: str, *, copy_from: str | None = None
) -> ChangeSummary:
    """Start the district's Instructional Priority for a year, empty or from another year's.

    Copying takes the texts and the primary contact, never the phase 1 checklist: the district
    affirms its priority again each year. Refused when the year already has one.
    """
    from coachdesk.core.store.schema import Organization

    with profile.reading() as session:
        district = session.get(Organization, district_id)
        if district is None or district.deleted_at is not None or district.kind != "district":
            raise RefusedInput("An Instructional Priority belongs to a district; choose one.")
    if get_priority(profile, district_id, school_year) is not None:
        raise RefusedInput(
            f"{district.name} already has an Instructional Priority for {school_year}."
        )
    texts: dict[str, str] = dict.fromkeys(IP_TEXT_FIELDS, "")
    contact = ""
    if copy_from is not None:
        earlier = get_priority(profile, district_id, copy_from)
        if earlier is None:
            raise RefusedInput(
                f"{district.name} has no Instructional Priority for {copy_from} to start from."
            )
        texts = {f: getattr(earlier, f) for f in IP_TEXT_FIELDS}
        contact = earlier.primary_contact_id or ""
    return update_priority(
        profile, district_id, school_year, checklist_done=set(), primary_contact_id=contact, **texts
    )


@dataclass(frozen=True)
class ContactChoice:
    id: str
    name: str
    role: str
    org_name: str
    at_district: bool
    active: bool

    def label(self) -> str:
        former = " (former)" if not self.active else ""
        return f"{self.name}, {self.role} · {self.org_name}{former}"


def priority_contacts(profile: Profile, district_id: str) -> tuple[ContactChoice, ...]:
    """Who can be the IP's primary contact: the district's contacts, then its schools'.

    Former contacts are listed too (last) so that a primary contact who has left still shows
    by name; the page offers only active ones for a new choice.
    """
    rows = (
        profile.quick_connection()
        .execute(
            "SELECT c.id, c.name, c.role, o.name, o.id = ?, c.active FROM contact c "
            "JOIN organization o ON o.id = c.org_id "
            "WHERE (o.id = ? OR o.parent_id = ?) AND c.deleted_at IS NULL "
            "AND o.deleted_at IS NULL "
            "ORDER BY c.active DESC, o.id != ?, o.name, c.name",
            (district_id, district_id, district_id, district_id),
        )
        .fetchall()
    )
    return tuple(ContactChoice(r[0], r[1], r[2], r[3], bool(r[4]), bool(r[5])) for r in rows)


def _last_change(session, hlc: str | None) -> tuple[dt.datetime | None, str]:
    """When a record last changed (UTC) and on which device, from its clock reading."""
    from sqlalchemy import select

    from coachdesk.core.clock import HLC
    from coachdesk.core.store.schema import ThisDevice
    from coachdesk.core.store.sync_tables import TrustedKey

    try:
        reading = HLC.parse(hlc or "")
        moment = dt.datetime.fromtimestamp(reading.wall_ms / 1000, dt.UTC)
    except (ValueError, OverflowError, OSError):
        return None, ""
    if session.get(ThisDevice, reading.device) is not None:
        return moment, "this laptop"
    name = session.scalars(
        select(TrustedKey.name).where(TrustedKey.device_id == reading.device)
    ).first()
    return moment, name or "another device"


@dataclass(frozen=True)
class ActivityView:
    id: str
    goal_kind: str
    title: str
    involvement_type: int
    starts_on: dt.date | None
    in_charge: str
    cost: int | None
    status: str
    goal_id: str = ""

    @property
    def type_name(self) -> str:
        return INVOLVEMENT_TYPES.get(self.involvement_type, str(self.involvement_type))


@dataclass(frozen=True)
class ActionPlanView:
    school_id: str
    school_year: str
    goals: tuple[tuple[str, str, str], ...]  # (kind, desired result, measure)
    activities: tuple[ActivityView, ...]
    elements: dict[int, str]  # essential element -> status
    goal_ids: tuple[str, ...] = ()  # the id of each goal, in the order of `goals`

    def activities_by_type(self) -> dict[int, int]:
        """How many activities the plan has for each of the six types (0 where none)."""
        counts = dict.fromkeys(INVOLVEMENT_TYPES, 0)
        for a in self.activities:
            counts[a.involvement_type] = counts.get(a.involvement_type, 0) + 1
        return counts

    def total_cost(self) -> int:
        return sum(a.cost or 0 for a in self.activities)


def get_action_plan(profile: Profile, school_id: str, school_year: str) -> ActionPlanView:
    """The school's One-Year Action Plan for the year with its essential elements."""
    conn = profile.quick_connection()
    goals = conn.execute(
        "SELECT id, kind, desired_result, measure FROM partnership_goal "
        "WHERE org_id = ? AND school_year = ? AND deleted_at IS NULL ORDER BY kind",
        (school_id, school_year),
    ).fetchall()
    kind_of = {g[0]: g[1] for g in goals}
    activities = tuple(
        ActivityView(
            r[0],
            kind_of.get(r[1], ""),
            r[2],
            r[3],
            dt.date.fromisoformat(r[4][:10]) if r[4] else None,
            r[5] or "",
            r[6],
            r[7],
            r[1],
        )
        for r in conn.execute(
            "SELECT id, goal_id, title, involvement_type, starts_on, in_charge, cost, status "
            "FROM plan_activity WHERE org_id = ? AND deleted_at IS NULL ORDER BY starts_on",
            (school_id,),
        )
        if r[1] in kind_of
    )
    elements = dict.fromkeys(ESSENTIAL_ELEMENTS, "not started")
    for element, status in conn.execute(
        "SELECT element, status FROM element_status "
        "WHERE org_id = ? AND school_year = ? AND deleted_at IS NULL ORDER BY created_hlc",
        (school_id, school_year),
    ):
        elements[element] = status
    return ActionPlanView(
        school_id,
        school_year,
        tuple((g[1], g[2], g[3]) for g in goals),
        activities,
        elements,
        tuple(g[0] for g in goals),
    )


def update_activity(
    profile: Profile,
    activity_id: str,
    *,
    status: str | None = None,
    involvement_type: int | None = None,
    title: str | None = None,
    cost: int | None = None,
) -> ChangeSummary:
    """Change an action-plan activity (only the fields given)."""
    from coachdesk.core.store.tracking_tables import PlanActivity

    if status is not None and status not in ACTIVITY_STATUSES:
        raise RefusedInput(f"“{status}” is not a status; use {', '.join(ACTIVITY_STATUSES)}.")
    if involvement_type is not None and involvement_type not in INVOLVEMENT_TYPES:
        raise RefusedInput("The type of involvement is a number from 1 to 6.")
    if cost is not None and cost < 0:
        raise RefusedInput("A cost cannot be negative.")
    if title is not None and not title.strip():
        raise RefusedInput("An activity needs a title.")
    with profile.writing() as write:
        activity = write.session.get(PlanActivity, activity_id)
        if activity is None or activity.deleted_at is not None:
            raise RefusedInput("That activity no longer exists.")
        for name, value in (
            ("status", status),
            ("involvement_type", involvement_type),
            ("cost", cost),
            ("title", title and title.strip()),
        ):
            if value is not None:
                setattr(activity, name, value)
    return write.changes


def set_element_status(
    profile: Profile, school_id: str, school_year: str, element: int, status: str
) -> ChangeSummary:
    """Record where a school stands on one of the five essential elements."""
    from sqlalchemy import select

    from coachdesk.core.store.tracking_tables import ElementStatus

    if element not in ESSENTIAL_ELEMENTS:
        raise RefusedInput("The essential elements are numbered 1 to 5.")
    if status not in ELEMENT_STATUSES:
        raise RefusedInput(f"“{status}” is not a status; use {', '.join(ELEMENT_STATUSES)}.")
    with profile.writing() as write:
        row = write.session.scalars(
            select(ElementStatus).where(
                ElementStatus.org_id == school_id,
                ElementStatus.school_year == school_year,
                ElementStatus.element == element,
                ElementStatus.deleted_at.is_(None),
            )
        ).first()
        if row is None:
            row = ElementStatus(org_id=school_id, school_year=school_year, element=element)
            write.session.add(row)
        row.status = status
    return write.changes
