"""Writing an OH One-Year Action Plan: goals and their activities, as a coach types them.

The inputs arrive as the coach typed them (a cost of "$1,200", a date of "14 Oct 2026"); every
value is read and checked before anything is written, so a refused input changes nothing and
comes back as one sentence that says what to type instead.
"""

from __future__ import annotations

import datetime as dt
import re

from coachdesk.core import dates_text
from coachdesk.core.changes import ChangeSummary
from coachdesk.core.contact_roles import check_role
from coachdesk.core.errors import RefusedInput
from coachdesk.core.records import stamp_now
from coachdesk.core.store.profile import Profile
from coachdesk.core.tracking_records.plans import ACTIVITY_STATUSES, INVOLVEMENT_TYPES
from coachdesk.core.validation import clean_text

GOAL_KINDS = {
    "academic": "Academic",
    "behavioral": "Behavioral",
    "climate": "Climate of partnerships",
}
COST_LIMIT = 1_000_000  # whole dollars; a school's partnership activity never costs more
_WHOLE = re.compile(r"^\d+(?:\.0{1,2})?$")
_CENTS = re.compile(r"^\d*\.\d+$")


def read_cost(value: int | str | None) -> int | None:
    """A cost in whole dollars from what the coach typed ("250", "$1,200"); None when blank."""
    if value is None:
        return None
    if isinstance(value, int):
        text = str(value)
    else:
        text = value.strip().replace(",", "").replace(" ", "")
        if not text:
            return None
        text = text.removeprefix("$")
    if text.startswith("-"):
        raise RefusedInput("A cost cannot be negative; type the amount the plan budgets.")
    if _WHOLE.match(text):
        dollars = int(text.split(".")[0])
    elif _CENTS.match(text):
        raise RefusedInput(
            f"Costs are kept in whole dollars; type “{round(float(text))}” rather than “{value}”."
        )
    else:
        raise RefusedInput(
            f"“{value}” is not a cost; type whole dollars, such as 250 or $1,200, "
            "or leave it empty."
        )
    if dollars > COST_LIMIT:
        raise RefusedInput(
            f"A cost of ${dollars:,} is more than ${COST_LIMIT:,}; check the number."
        )
    return dollars


def read_date(value: dt.date | str | None, *, what: str = "The date") -> dt.date | None:
    """A date from what the coach typed ("Oct 14, 2026", "10/14/2026", "2026-10-14")."""
    if value is None or isinstance(value, dt.date):
        return value
    text = " ".join(value.split())
    if not text:
        return None
    day = dates_text.read_date(text)
    if day is not None:
        return day
    raise RefusedInput(
        f"{what} “{text}” is not a date; type it as Oct 14, 2026 or 10/14/2026, or leave it empty."
    )


def read_involvement_type(value: int | str | None) -> int:
    """One of the six types of involvement, by number."""
    try:
        number = int(value) if value is not None and str(value).strip() else 0
    except ValueError:
        number = 0
    if number not in INVOLVEMENT_TYPES:
        raise RefusedInput("Choose one of the six types of involvement for the activity.")
    return number


def add_goal(
    profile: Profile,
    school_id: str,
    school_year: str,
    *,
    kind: str,
    desired_result: str,
    measure: str = "",
) -> ChangeSummary:
    """Add a goal (academic, behavioral or climate) to the school's plan for the year."""
    from coachdesk.core.store.schema import Organization
    from coachdesk.core.store.tracking_tables import PartnershipGoal

    if kind not in GOAL_KINDS:
        raise RefusedInput("A goal is academic, behavioral or about the climate of partnerships.")
    result = clean_text(
        desired_result, what="The goal's desired result", limit=2_000, required=True
    )
    measure_text = clean_text(measure, what="The goal's measure", limit=2_000) or ""
    with profile.writing() as write:
        school = write.session.get(Organization, school_id)
        if school is None or school.deleted_at is not None:
            raise RefusedInput("That school is no longer in the caseload.")
        write.session.add(
            PartnershipGoal(
                org_id=school_id,
                school_year=school_year,
                kind=kind,
                desired_result=result,
                measure=measure_text,
            )
        )
    return write.changes


def read_in_charge(value: str | None) -> str:
    """Who is in charge of an activity: adult roles at the school ("Principal; ATP chair").

    Several roles are separated by semicolons or commas. A family member or a student is never
    named as in charge: families' part is the activity itself (the six types of involvement).
    """
    text = clean_text(value, what="Who is in charge", limit=200) or ""
    roles = [r.strip() for r in re.split(r"[;,]", text) if r.strip()]
    for role in roles:
        try:
            check_role(role)
        except RefusedInput:
            raise RefusedInput(
                f"“{role}” is not a role at the school; the person in charge of an activity is "
                "an adult in a school role, such as Principal, ATP chair or Parent liaison, "
                "never a family member or a student."
            ) from None
    return "; ".join(roles)


def edit_goal(
    profile: Profile,
    goal_id: str,
    *,
    kind: str | None = None,
    desired_result: str | None = None,
    measure: str | None = None,
) -> ChangeSummary:
    """Change a goal of the plan (only the fields given; an empty measure clears it)."""
    from coachdesk.core.store.tracking_tables import PartnershipGoal

    if kind is not None and kind not in GOAL_KINDS:
        raise RefusedInput("A goal is academic, behavioral or about the climate of partnerships.")
    fields: dict[str, str] = {}
    if kind is not None:
        fields["kind"] = kind
    if desired_result is not None:
        fields["desired_result"] = (
            clean_text(desired_result, what="The goal's desired result", limit=2_000, required=True)
            or ""
        )
    if measure is not None:
        fields["measure"] = clean_text(measure, what="The goal's measure", limit=2_000) or ""
    with profile.writing() as write:
        goal = write.session.get(PartnershipGoal, goal_id)
        if goal is None or goal.deleted_at is not None:
            raise RefusedInput("That goal no longer exists; it may have been removed.")
        for name, value in fields.items():
            if getattr(goal, name) != value:
                setattr(goal, name, value)
    return write.changes


def remove_goal(profile: Profile, goal_id: str, *, with_activities: bool = False) -> ChangeSummary:
    """Remove a goal from the plan (a tombstone, so it syncs).

    A goal that still has activities is refused unless `with_activities`, which removes them
    with it; otherwise they would vanish from the plan without the coach seeing them go.
    """
    from sqlalchemy import select

    from coachdesk.core.store.tracking_tables import PartnershipGoal, PlanActivity

    with profile.writing() as write:
        goal = write.session.get(PartnershipGoal, goal_id)
        if goal is None or goal.deleted_at is not None:
            raise RefusedInput("That goal no longer exists; it may have been removed.")
        activities = write.session.scalars(
            select(PlanActivity).where(
                PlanActivity.goal_id == goal.id, PlanActivity.deleted_at.is_(None)
            )
        ).all()
        if activities and not with_activities:
            count = len(activities)
            raise RefusedInput(
                f"This goal has {count} activit{'ies' if count != 1 else 'y'}; move "
                f"{'them' if count != 1 else 'it'} to another goal or delete "
                f"{'them' if count != 1 else 'it'} first, or remove the goal with "
                f"{'its activities' if count != 1 else 'its activity'}."
            )
        stamp = stamp_now()
        for activity in activities:
            activity.deleted_at = stamp
        goal.deleted_at = stamp
    return write.changes


def delete_activity(profile: Profile, activity_id: str) -> ChangeSummary:
    """Delete an activity from the plan (a tombstone, so it syncs); "dropped" keeps it listed."""
    from coachdesk.core.store.tracking_tables import PlanActivity

    with profile.writing() as write:
        activity = write.session.get(PlanActivity, activity_id)
        if activity is None or activity.deleted_at is not None:
            raise RefusedInput("That activity no longer exists; it may have been removed.")
        activity.deleted_at = stamp_now()
    return write.changes


def plan_year_written_on(day: dt.date) -> str:
    """The school year a One-Year Action Plan written on `day` is for.

    NNPS schools write next year's plan in the spring: from 1 February a plan being written is
    for the coming school year (in May 2027, the 2027-28 plan); before, for the current one.
    """
    from coachdesk.core import school_year

    start = school_year.start_year_of(day)
    return school_year.label(start + 1 if 2 <= day.month <= 6 else start)


def _activity_fields(
    *,
    title: str,
    involvement_type: int | str,
    starts_on: dt.date | str | None,
    in_charge: str | None,
    cost: int | str | None,
    status: str,
) -> dict:
    """Every field of an activity read and checked, before any write starts."""
    fields = {
        "title": clean_text(title, what="The activity's description", limit=300, required=True),
        "involvement_type": read_involvement_type(involvement_type),
        "starts_on": read_date(starts_on, what="The date"),
        "in_charge": read_in_charge(in_charge),
        "cost": read_cost(cost),
    }
    if status not in ACTIVITY_STATUSES:
        raise RefusedInput(f"“{status}” is not a status; use {', '.join(ACTIVITY_STATUSES)}.")
    fields["status"] = status
    return fields


def add_activity(
    profile: Profile,
    goal_id: str,
    *,
    title: str,
    involvement_type: int | str,
    starts_on: dt.date | str | None = None,
    in_charge: str | None = "",
    cost: int | str | None = None,
    status: str = "planned",
) -> ChangeSummary:
    """Add an activity under one of the plan's goals; the new id is in the summary."""
    from coachdesk.core.store.tracking_tables import PartnershipGoal, PlanActivity

    fields = _activity_fields(
        title=title,
        involvement_type=involvement_type,
        starts_on=starts_on,
        in_charge=in_charge,
        cost=cost,
        status=status,
    )
    with profile.writing() as write:
        goal = write.session.get(PartnershipGoal, goal_id)
        if goal is None or goal.deleted_at is not None:
            raise RefusedInput("Choose one of the plan's goals for the activity.")
        write.session.add(
            PlanActivity(goal_id=goal.id, org_id=goal.org_id, ends_on=fields["starts_on"], **fields)
        )
    return write.changes


def edit_activity(
    profile: Profile,
    activity_id: str,
    *,
    goal_id: str,
    title: str,
    involvement_type: int | str,
    starts_on: dt.date | str | None,
    in_charge: str | None,
    cost: int | str | None,
    status: str,
) -> ChangeSummary:
    """Save every field of an activity as edited in its dialog (a blank cost clears it)."""
    from coachdesk.core.store.tracking_tables import PartnershipGoal, PlanActivity

    fields = _activity_fields(
        title=title,
        involvement_type=involvement_type,
        starts_on=starts_on,
        in_charge=in_charge,
        cost=cost,
        status=status,
    )
    with profile.writing() as write:
        activity = write.session.get(PlanActivity, activity_id)
        if activity is None or activity.deleted_at is not None:
            raise RefusedInput("That activity no longer exists; it may have been removed.")
        goal = write.session.get(PartnershipGoal, goal_id)
        if goal is None or goal.deleted_at is not None or goal.org_id != activity.org_id:
            raise RefusedInput("Choose one of the plan's goals for the activity.")
        # A one-day activity (end = start) keeps its end with its start.
        if activity.ends_on is None or activity.ends_on == activity.starts_on:
            activity.ends_on = fields["starts_on"]
        activity.goal_id = goal.id
        for name, value in fields.items():
            if getattr(activity, name) != value:
                setattr(activity, name, value)
    return write.changes
