"""Lists of visits and next steps: a school's timeline, the CLI's list, follow-up at a visit."""

from __future__ import annotations

import datetime as dt
from functools import cache

from sqlalchemy import func, select

from coachdesk.core import forms
from coachdesk.core.changes import ChangeSummary
from coachdesk.core.errors import NotFound, RefusedInput
from coachdesk.core.store.profile import Profile
from coachdesk.core.store.schema import Organization
from coachdesk.core.store.visit_tables import ActionItem, Visit
from coachdesk.core.visits.service import visit_permissions
from coachdesk.core.visits.views import ActionItemView, VisitRow

FOLLOW_UP_OUTCOMES = ("done", "carried", "dropped")


@cache
def _form_titles() -> dict[str, str]:
    return {f.form_id: f.title for f in forms.list_forms() if f.available and f.title}


def prepare_timeline() -> None:
    """Read the shipped forms' titles now, so that the first timeline shown need not."""
    _form_titles()


def list_visits(
    profile: Profile, *, school_id: str | None = None, limit: int | None = None
) -> list[VisitRow]:
    """Visits newest first, for one school (its timeline) or the whole caseload."""
    open_items = (
        select(func.count())
        .where(
            ActionItem.visit_id == Visit.id,
            ActionItem.status == "open",
            ActionItem.deleted_at.is_(None),
        )
        .scalar_subquery()
    )
    # Only the columns a row shows: the timeline of a school with hundreds of visits need not
    # build (and track) an ORM object per visit.
    query = (
        select(
            Visit.id,
            Visit.org_id,
            Visit.visit_type,
            Visit.starts_at,
            Visit.status,
            Visit.form_id,
            Visit.purpose,
            Organization.name,
            open_items,
        )
        .join(Organization, Organization.id == Visit.org_id)
        .where(Visit.deleted_at.is_(None))
        .order_by(Visit.starts_at.desc(), Visit.id)
    )
    if school_id is not None:
        query = query.where(Visit.org_id == school_id)
    if limit is not None:
        query = query.limit(limit)
    titles = _form_titles()
    with profile.reading() as session:
        if school_id is not None and session.get(Organization, school_id) is None:
            raise NotFound(f"There is no school with id {school_id}.")
        return [
            VisitRow(
                id=visit_id,
                school_id=org_id,
                school_name=name,
                visit_type=visit_type,
                starts_at=starts_at,
                status=status,
                form_title=titles.get(form_id or "", form_id),
                purpose=purpose,
                open_items=count,
            )
            for visit_id, org_id, visit_type, starts_at, status, form_id, purpose, name, count in (
                session.execute(query)
            )
        ]


def open_action_items(profile: Profile, *, school_id: str | None = None) -> list[ActionItemView]:
    """Next steps still open, oldest due first (for the school page and what is due)."""
    from coachdesk.core.visits.service import _item_view

    query = (
        select(ActionItem, Visit.starts_at)
        .join(Visit, Visit.id == ActionItem.visit_id)
        .where(
            ActionItem.status == "open",
            ActionItem.deleted_at.is_(None),
            Visit.deleted_at.is_(None),
        )
        .order_by(ActionItem.due.is_(None), ActionItem.due, ActionItem.created_hlc)
    )
    if school_id is not None:
        query = query.where(ActionItem.org_id == school_id)
    with profile.reading() as session:
        return [_item_view(item, when.date()) for item, when in session.execute(query)]


def follow_up(
    profile: Profile, item_id: str, *, at_visit: str, outcome: str, on: dt.date | None = None
) -> ChangeSummary:
    """Record what became of an earlier next step at this visit: done, carried on, or dropped."""
    if outcome not in FOLLOW_UP_OUTCOMES:
        raise RefusedInput("A next step is marked done, carried on, or dropped.")
    with profile.writing() as write:
        item = write.session.get(ActionItem, item_id)
        if item is None or item.deleted_at is not None:
            raise NotFound(f"There is no next step with id {item_id}.")
        if item.visit_id == at_visit:
            raise RefusedInput("A next step is followed up at a later visit than its own.")
        visit = write.session.get(Visit, at_visit)
        if visit is None or visit.deleted_at is not None:
            raise NotFound(f"There is no visit with id {at_visit}.")
        allowed = visit_permissions(write.session, visit)
        if not allowed.edit:
            raise RefusedInput(allowed.why_not_edit or "This note cannot be changed.")
        item.reviewed_in_visit_id = at_visit
        if outcome == "carried":
            item.status, item.closed_on = "open", None
        else:
            item.status, item.closed_on = outcome, on or dt.date.today()
    return write.changes


def last_visit_dates(profile: Profile) -> dict[str, dt.date]:
    """The date of each school's most recent visit (SQLite-only quick read, for the caseload)."""
    rows = profile.quick_connection().execute(
        "SELECT org_id, max(starts_at) FROM visit WHERE deleted_at IS NULL GROUP BY org_id"
    )
    return {school: dt.date.fromisoformat(when[:10]) for school, when in rows if when}
