"""Removing the demo caseload: only the demo's records go; the coach's own work stays.

Every demo record is deleted the way any record is (a tombstone in the change log), in one
transaction, so a laptop that received the demo in a bundle drops it too on the next import.
A demo district or school that the coach's own records point at (their own visit at a demo
school) stays, with what it needs, and the result says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coachdesk.core.changes import ChangeSummary
from coachdesk.core.demo import DEMO_LOADED, records
from coachdesk.core.record_types import NOUNS, plural, singular
from coachdesk.core.records import stamp_now
from coachdesk.core.store.profile import Profile
from coachdesk.core.store.schema import Syncable

_CHUNK = 500  # ids per IN (...) query


@dataclass(frozen=True)
class KeptPlace:
    """A demo district or school that stays because the coach's own records are there."""

    id: str
    name: str
    holds: Mapping[str, int]  # the coach's records there, by type ("school" for own schools)

    @property
    def sentence(self) -> str:
        return f"Kept {self.name}: it holds {_counted(self.holds)} of yours."


@dataclass(frozen=True)
class DemoRemoval:
    """What removing the demo did."""

    removed: Mapping[str, int]  # record type -> how many were deleted
    kept: tuple[KeptPlace, ...] = ()
    coach_name: str | None = None  # set when the demo's name on summaries was put back
    changes: ChangeSummary = field(default_factory=ChangeSummary)

    @property
    def found(self) -> bool:
        """False when there was no demo to remove."""
        return bool(self.removed) or bool(self.kept)

    @property
    def sentence(self) -> str:
        if not self.found:
            return "There is no demo caseload in this profile; nothing was removed."
        parts = []
        if self.removed:
            total = sum(self.removed.values())
            parts.append(
                f"Removed the demo caseload ({total:,} records): {_counted(self.removed)}."
            )
        parts.append("Your own records are unchanged.")
        parts.extend(place.sentence for place in self.kept)
        if self.coach_name:
            parts.append(
                f"Visit summaries are signed “{self.coach_name}” again, not by the demo's coach."
            )
        return " ".join(parts)

    def as_json(self) -> dict[str, Any]:
        return {
            "removed": dict(self.removed),
            "removed_total": sum(self.removed.values()),
            "kept": [{"id": p.id, "name": p.name, "holds": dict(p.holds)} for p in self.kept],
            "sentence": self.sentence,
        }


def has_demo(profile: Profile) -> bool:
    """True when the profile holds demo records that removing the demo would delete or keep."""
    from coachdesk.core.demo.caseload import organization_ids
    from coachdesk.core.store.changelog import SYNCABLE
    from coachdesk.core.store.schema import Organization

    with profile.reading() as session:
        if records.needs_listing(session):  # a demo loaded before the list existed
            return _any_live(session, Organization, sorted(organization_ids()))
        for kind, ids in records.listed(session).items():
            model = SYNCABLE.get(kind)
            if model is not None and _any_live(session, model, sorted(ids)):
                return True
    return False


def _any_live(session: Session, model: type[Syncable], ids: list[str]) -> bool:
    for start in range(0, len(ids), _CHUNK):
        found = session.execute(
            select(model.id)
            .where(model.id.in_(ids[start : start + _CHUNK]), model.deleted_at.is_(None))
            .limit(1)
        ).first()
        if found is not None:
            return True
    return False


def remove_demo(profile: Profile, *, today: dt.date | None = None) -> DemoRemoval:
    """Delete every demo record the coach's own records do not need, in one transaction."""
    from coachdesk.core.store.changelog import SYNCABLE
    from coachdesk.core.store.schema import Organization, ProfileFact

    today = today or dt.date.today()
    with profile.writing() as write:
        session = write.session
        records.list_earlier_demo(session, today=today, received=True)
        demo = records.listed(session)
        needs = records.needed_by_own(session, demo, live_only=True)
        kept_ids: dict[str, set[str]] = {}
        for kind, record_id in needs.kept:
            kept_ids.setdefault(kind, set()).add(record_id)
        stamp = stamp_now()
        removed: dict[str, int] = {}
        for kind in sorted(demo, key=_order):
            model = SYNCABLE.get(kind)
            if model is None:
                continue
            going = sorted(demo[kind] - kept_ids.get(kind, set()))
            for start in range(0, len(going), _CHUNK):
                rows = session.execute(
                    select(model).where(
                        model.id.in_(going[start : start + _CHUNK]), model.deleted_at.is_(None)
                    )
                ).scalars()
                for record in rows:
                    record.deleted_at = stamp
                    removed[kind] = removed.get(kind, 0) + 1
            session.flush()
        records.unlist(session, needs.kept)
        fact = session.get(ProfileFact, DEMO_LOADED)
        if fact is not None:
            session.delete(fact)
        kept = tuple(
            sorted(
                (
                    KeptPlace(place_id, _name(session, Organization, place_id), holds)
                    for place_id, holds in needs.holds.items()
                ),
                key=lambda p: p.name,
            )
        )
        coach_name = _coach_back(session) if removed else None
    return DemoRemoval(removed=removed, kept=kept, coach_name=coach_name, changes=write.changes)


def _order(kind: str) -> int:
    """Record types in the order the coach's words list them (schools first)."""
    order = list(NOUNS)
    return order.index(kind) if kind in order else len(order)


def _counted(counts: Mapping[str, int]) -> str:
    """'2 visits and 1 next step'; schools counted as schools."""
    words = [
        f"{n:,} " + (("school" if n == 1 else "schools") if kind == "school" else _noun(kind, n))
        for kind, n in sorted(counts.items(), key=lambda item: _order(item[0]))
        if n
    ]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _noun(kind: str, count: int) -> str:
    return singular(kind) if count == 1 else plural(kind)


def _name(session: Session, model: type, record_id: str) -> str:
    found = session.get(model, record_id)
    return found.name if found is not None else record_id


def _coach_back(session: Session) -> str | None:
    """Give the coach back the name a new profile has, if the demo's coach signs for them."""
    from coachdesk.core.coach import NAMED_BY_COACH
    from coachdesk.core.demo.caseload import demo_data
    from coachdesk.core.store.profile import _coach_name  # the login's name, as a new profile
    from coachdesk.core.store.schema import Coach, ProfileFact

    if session.get(ProfileFact, NAMED_BY_COACH) is not None:
        return None
    fact = session.get(ProfileFact, "coach_id")
    coach = session.get(Coach, fact.value) if fact is not None else None
    demo = demo_data()["coach"]
    if coach is None or (coach.name, coach.employer) != (demo["name"], demo["employer"]):
        return None
    coach.name, coach.employer = _coach_name(), None
    coach.work_email = coach.work_phone = None  # the demo's contact line goes with its name
    return coach.name
