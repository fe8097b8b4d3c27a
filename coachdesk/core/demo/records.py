"""Which records are the demo's, and which of them the coach's own work cannot do without.

The demo's records are listed in the local demo_record table as the demo loads them. A profile
that loaded the demo before that table existed has its list worked out the first time it is
needed (`list_earlier_demo`): the loaders are deterministic for a given day, so running them
without adding anything gives every id they would add, and those in the profile are the demo's.

A coach's own record may point at a demo record: their own visit at a demo school, their own
school in a demo district. Such demo records are the coach's too now (`needed_by_own`): removing
the demo keeps them, and a bundle carries them, so that the receiver can merge the coach's work.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from coachdesk.core.store.profile import Profile

from coachdesk.core.demo import DEMO_LOADED
from coachdesk.core.store.schema import DemoRecord, Organization, ProfileFact, table_of

# Set once a bundle carried the demo to another laptop: from then on, bundles carry the
# tombstones of removed demo records, so that the laptops that received the demo drop it too.
DEMO_SHARED = "demo_shared"

Key = tuple[str, str]  # (record type, id)


def listed(session: Session) -> dict[str, set[str]]:
    """The listed demo records, by record type."""
    found: dict[str, set[str]] = {}
    for kind, record_id in session.execute(select(DemoRecord.record_type, DemoRecord.record_id)):
        found.setdefault(kind, set()).add(record_id)
    return found


def note(session: Session, ids: Mapping[str, Iterable[str]]) -> int:
    """List these records as the demo's (those listed already stay); returns how many are new."""
    have = listed(session)
    rows = [
        {"record_type": kind, "record_id": record_id}
        for kind, records in ids.items()
        for record_id in sorted(set(records) - have.get(kind, set()))
    ]
    if rows:
        session.execute(insert(DemoRecord), rows)
    return len(rows)


def unlist(session: Session, keys: Iterable[Key]) -> None:
    """The coach's own work needs these demo records: they are no longer the demo's."""
    for kind, record_id in keys:
        session.execute(
            delete(DemoRecord).where(
                DemoRecord.record_type == kind, DemoRecord.record_id == record_id
            )
        )


def needs_listing(session: Session) -> bool:
    """True when no demo record is listed yet but a demo district or school is here."""
    from coachdesk.core.demo import caseload

    if session.execute(select(DemoRecord.record_id).limit(1)).first() is not None:
        return False
    organizations = sorted(caseload.organization_ids())
    found = session.execute(
        select(Organization.id).where(Organization.id.in_(organizations)).limit(1)
    ).first()
    return found is not None


def ensure_listed(profile: Profile, *, today: dt.date | None = None) -> None:
    """List an earlier demo's records now if that was never done (a cheap read otherwise)."""
    with profile.reading() as session:
        if session.get(ProfileFact, DEMO_LOADED) is None or not needs_listing(session):
            return
    with profile.writing() as write:
        list_earlier_demo(write.session, today=today or dt.date.today())


def list_earlier_demo(session: Session, *, today: dt.date, received: bool = False) -> int:
    """List the demo's records in a profile that loaded the demo before they were listed.

    Only for a profile whose `demo_loaded` fact is set (every demo load writes it) and that
    lists none yet, with a demo district or school in it; otherwise nothing is worked out. The
    loaders run for the day the demo was loaded and for today: a later load on a later day only
    adds to the same ids, and a load in a new school year adds that year's assignments.
    `received`: also without the fact, for a demo that came in a bundle from another laptop
    (when the coach asks to remove it; their own records are never found among the ids).
    """
    from coachdesk.core.demo import run_loaders
    from coachdesk.core.demo.collect import DemoSink

    fact = session.get(ProfileFact, DEMO_LOADED)
    if (fact is None and not received) or not needs_listing(session):
        return 0
    days = {today}
    try:
        if fact is not None:
            days.add(dt.date.fromisoformat(fact.value))
    except ValueError:
        pass  # an unreadable date: today's ids are still found
    found: dict[str, set[str]] = {}
    for day in sorted(days):
        sink = DemoSink(session, adding=False)
        run_loaders(session, sink, today=day)
        for kind, ids in sink.noted_and_present().items():
            found.setdefault(kind, set()).update(ids)
    return note(session, found)


@dataclass(frozen=True)
class OwnNeeds:
    """Demo records the coach's own records point at, directly or through other demo records."""

    kept: frozenset[Key]
    # For each demo district or school kept: the coach's records that made it stay, by type
    # (an own visit is counted at its school, an own school at its district).
    holds: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    deleted: frozenset[Key] = frozenset()  # demo records already tombstoned


def needed_by_own(session: Session, demo: Mapping[str, set[str]], *, live_only: bool) -> OwnNeeds:
    """Which demo records the coach's own records need.

    `live_only`: count only the coach's records that are not deleted (what removing the demo
    keeps); otherwise every own record counts (a bundle carries deleted records too, and each
    must find what it points at).
    """
    from coachdesk.core.store.changelog import SYNCABLE

    models = SYNCABLE
    by_table = {table_of(m).name: kind for kind, m in models.items()}
    refs: dict[Key, list[Key]] = {}
    starts: list[Key] = []
    deleted: set[Key] = set()
    school_ids: set[str] = set()
    for kind, model in models.items():
        table = table_of(model)
        links = [
            (column.name, by_table[fk.column.table.name])
            for column in table.columns
            for fk in column.foreign_keys
            if fk.column.table.name in by_table
        ]
        mine = demo.get(kind, set())
        extra = [table.c.kind] if kind == Organization.record_type else []
        columns = [table.c.id, table.c.deleted_at, *extra, *(table.c[n] for n, _ in links)]
        for row in session.execute(select(*columns)):
            key = (kind, row[0])
            if extra and row[2] == "school":
                school_ids.add(row[0])
            pointed = [
                (target, value)
                for (_name, target), value in zip(links, row[2 + len(extra) :], strict=True)
                if value is not None
            ]
            if row[0] in mine:
                if row[1] is not None:
                    deleted.add(key)
                if pointed:
                    refs[key] = pointed
            elif pointed and (row[1] is None or not live_only):
                if any(value in demo.get(target, ()) for target, value in pointed):
                    refs[key] = pointed
                    starts.append(key)
    kept: set[Key] = set()
    holds: dict[str, dict[str, int]] = {}
    for start in starts:
        anchor = _walk(start, refs, demo, kept)
        if anchor is not None:
            kind = "school" if start[0] == "organization" and start[1] in school_ids else start[0]
            counts = holds.setdefault(anchor, {})
            counts[kind] = counts.get(kind, 0) + 1
    return OwnNeeds(kept=frozenset(kept), holds=holds, deleted=frozenset(deleted))


def _walk(
    start: Key, refs: Mapping[Key, list[Key]], demo: Mapping[str, set[str]], kept: set[Key]
) -> str | None:
    """Add every demo record reachable from `start` to `kept`; the nearest demo organization."""
    anchor: str | None = None
    seen = {start}
    queue = deque([start])
    while queue:
        for target in refs.get(queue.popleft(), ()):
            if target in seen or target[1] not in demo.get(target[0], ()):
                continue
            seen.add(target)
            kept.add(target)
            if anchor is None and target[0] == "organization":
                anchor = target[1]
            queue.append(target)
    return anchor


def held_back(session: Session) -> tuple[set[Key], frozenset[Key]]:
    """The records a bundle leaves out unless the coach asks for the demo, and which of those
    were removed already (nobody needs to hear of them: the coach removed them).

    Every listed demo record, except those the coach's own records point at; once the demo
    has been sent to another laptop, the tombstones of removed demo records go too.
    """
    demo = listed(session)
    if not demo:
        return set(), frozenset()
    needs = needed_by_own(session, demo, live_only=False)
    held = {(kind, record_id) for kind, ids in demo.items() for record_id in ids}
    held -= needs.kept
    if session.get(ProfileFact, DEMO_SHARED) is not None:
        held -= needs.deleted
    return held, needs.deleted
