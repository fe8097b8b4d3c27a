"""Changes stamped too far ahead of this laptop's clock: held back, never merged early, and never
allowed to move the local hybrid clock (issue 15, "a peer cannot move this laptop's clock").

A trusted peer whose laptop has a wrong date (or a peer gone bad) can stamp a change in the year
30,490. Merged as it is, that change would win every later edit of its field, and the local clock,
which moves past every reading it sees, would stamp this laptop's next edit in that year too.
Instead the import splits such changes off (`split_future`), keeps them in `sync_held_change`
(`hold`), and merges them once this laptop's clock has caught up with them (`release_due`).

    ready, ahead = split_future(changes, now_ms)
    hold(session, ahead, bundle_id)            # in the import's own transaction
    ... merge `ready`, and each of `release_due_by_bundle(session, now_ms)` ...
    reading = clock_reading_to_observe([c.hlc for c in ready], now_ms)

A change that supersedes a held one merges at once: the merge copes with superseded ids it has
not received (they are awaited), and the held change is history as soon as it merges.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, delete, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from coachdesk.core.changes import ChangeSummary
from coachdesk.core.clock import HLC
from coachdesk.core.dates_text import local_date, medium_date
from coachdesk.core.store import changelog
from coachdesk.core.store.database import defer_foreign_keys
from coachdesk.core.store.schema import Change
from coachdesk.core.store.sync_tables import (
    AwaitedChange,
    HeldChange,
    ImportedBundle,
    SignedSegment,
    TrustedKey,
)
from coachdesk.sync.errors import BundleError
from coachdesk.sync.merge import MergeOutcome, merge_changes
from coachdesk.sync.payload import IncomingChange

if TYPE_CHECKING:
    from coachdesk.core.store.profile import Profile

# How far ahead of this laptop's wall clock a change may be stamped and still merge: one day.
# Laptops that sync by hand often disagree by minutes, sometimes by hours (a time zone set
# wrongly, a dead clock battery restored to a default date is usually in the past); a day covers
# every honest disagreement, while a reading further ahead can only be a wrong date or a peer
# trying to move this laptop's clock, and would otherwise win every later edit of its field.
FUTURE_LIMIT_MS = 24 * 60 * 60 * 1000
FUTURE_LIMIT = dt.timedelta(milliseconds=FUTURE_LIMIT_MS)
AHEAD_OF_CLOCK = "ahead_of_clock"  # HeldChange.reason
_UNTRUSTED = "a device this profile does not trust"

logger = logging.getLogger(__name__)

_CHUNK = 500  # ids per IN (...) list
_MS_PER_YEAR = 31_556_952_000  # the mean Gregorian year, for dates past the calendar's 9999


def wall_now_ms() -> int:
    """This laptop's wall clock in milliseconds (what `now_ms` means everywhere here)."""
    return time.time_ns() // 1_000_000


_WALL_DIGITS = 15  # the wall milliseconds at the start of an HLC's text form


def _limit_text(now_ms: int) -> str:
    """The smallest HLC text prefix stamped beyond now + FUTURE_LIMIT (texts sort like readings)."""
    return f"{now_ms + FUTURE_LIMIT_MS + 1:015d}"


def split_future(
    changes: Iterable[IncomingChange], now_ms: int
) -> tuple[list[IncomingChange], list[IncomingChange]]:
    """(ready, ahead): the changes stamped within FUTURE_LIMIT of `now_ms`, and the others.

    Each keeps its order. The payload reader has already checked every `hlc`."""
    changes = list(changes)
    # The text form starts with the wall milliseconds, fixed-width (core/clock.py HLC.__str__),
    # so texts compare as readings do: no change of a large import is parsed.
    beyond = _limit_text(now_ms)
    if not changes or max(change.hlc for change in changes) < beyond:
        return changes, []  # nearly always: nothing is stamped ahead
    ready: list[IncomingChange] = []
    ahead: list[IncomingChange] = []
    for change in changes:
        (ready if change.hlc < beyond else ahead).append(change)
    return ready, ahead


def clock_reading_to_observe(hlcs: Iterable[str | None], now_ms: int) -> HLC | None:
    """The newest of these merged readings that the local clock may adopt, or None.

    A reading further than FUTURE_LIMIT ahead of `now_ms` is never adopted, so a peer cannot
    push this laptop's next stamp into its future; the import observes what this returns:
    `if reading: profile.clock.observe(reading)`."""
    limit = now_ms + FUTURE_LIMIT_MS
    # Texts sort like readings, so the newest is the greatest text within the limit.
    within = [s for s in hlcs if s and int(s[:_WALL_DIGITS]) <= limit]
    return HLC.parse(max(within)) if within else None


def _connection(where: Session | Connection) -> Connection:
    return where.connection() if isinstance(where, Session) else where


def _chunks(items: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def _held_columns() -> list[str]:
    """IncomingChange's fields, which the held table keeps under the same names."""
    columns = set(HeldChange.__table__.c.keys())
    return [name for name in IncomingChange._fields if name in columns]


def hold(
    where: Session | Connection,
    ahead: Iterable[IncomingChange],
    bundle_id: str,
    *,
    segment_of: Mapping[str, int] | None = None,
) -> int:
    """Keep these changes back, noting the bundle that carried them and, from `segment_of`
    (change id -> its author's signed segment), what signs each; returns how many are new.

    A change already held, or already in the change log, is not stored again; the same id with
    different contents is a bundle rewriting history (BundleError, like the merge)."""
    conn = _connection(where)
    segment_of = segment_of or {}
    incoming: dict[str, IncomingChange] = {}
    for change in ahead:
        incoming.setdefault(change.change_id, change)
    if not incoming:
        return 0
    names = _held_columns()
    known: dict[str, tuple[Any, ...]] = {}
    ids = list(incoming)
    held_table, log_table = HeldChange.__table__, Change.__table__
    for chunk in _chunks(ids):
        for table in (held_table, log_table):
            rows = conn.execute(
                select(*(table.c[n] for n in names)).where(table.c.change_id.in_(chunk))
            )
            known.update((row[0], tuple(row)) for row in rows)
    held_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    rows_to_add = []
    for change_id, change in incoming.items():
        carried = tuple(getattr(change, n) for n in names)
        if change_id in known:
            if known[change_id] != carried:
                raise BundleError(
                    "rewrites_history",
                    f"(change {change_id} of {change.record_type}.{change.field})",
                )
            continue
        rows_to_add.append(
            dict(zip(names, carried, strict=True))
            | {
                "segment_seq": segment_of.get(change_id),
                "bundle_id": bundle_id,
                "reason": AHEAD_OF_CLOCK,
                "held_at": held_at,
            }
        )
    if rows_to_add:
        conn.execute(insert(held_table), rows_to_add)
    return len(rows_to_add)


@dataclass(frozen=True)
class Released:
    """Held changes of one bundle that are due now, in the form the merge takes:
    `merge_changes(session, r.changes, bundle_id=r.bundle_id, segment_of=r.segment_of)`."""

    bundle_id: str
    changes: list[IncomingChange]
    segment_of: dict[str, int]
    # Changes of this bundle whose signing key was revoked while they waited: removed, and not
    # merged (a revoked key's changes are refused, also when they arrived before it was revoked).
    refused: int = 0


def release_due_by_bundle(where: Session | Connection, now_ms: int) -> list[Released]:
    """Remove the held changes now within FUTURE_LIMIT of `now_ms` and return them per the
    bundle that carried them (each in clock order), for the merge to take in the same
    transaction as the import."""
    conn = _connection(where)
    t = HeldChange.__table__
    names = _held_columns()
    due = t.c.hlc < _limit_text(now_ms)
    rows = list(
        conn.execute(
            select(t.c.bundle_id, t.c.segment_seq, *(t.c[n] for n in names))
            .where(due)
            .order_by(t.c.hlc, t.c.change_id)
        )
    )
    if not rows:
        return []
    revoked = _revoked_signers(conn, rows)
    groups: dict[str, Released] = {}
    for bundle_id, segment_seq, *carried in rows:
        change = IncomingChange(**dict(zip(names, carried, strict=True)))
        group = groups.setdefault(bundle_id, Released(bundle_id, [], {}))
        if (bundle_id, change.device_id, segment_seq) in revoked:
            groups[bundle_id] = Released(
                bundle_id, group.changes, group.segment_of, group.refused + 1
            )
            continue
        group.changes.append(change)
        if segment_seq is not None:
            group.segment_of[change.change_id] = segment_seq
    conn.execute(delete(t).where(due))
    return [groups[b] for b in sorted(groups)]


def _revoked_signers(conn: Connection, rows: list[Any]) -> set[tuple[str, str, int | None]]:
    """(bundle, device, segment) of the due rows whose signing key is revoked now: the key of
    the author's segment, or for a change from before signed segments, the bundle's key."""
    revoked_keys = set(
        conn.execute(select(TrustedKey.key_id).where(TrustedKey.revoked_at.is_not(None))).scalars()
    )
    if not revoked_keys:
        return set()
    segments = {(r.device_id, r.segment_seq) for r in rows if r.segment_seq is not None}
    legacy = {r.bundle_id for r in rows if r.segment_seq is None}
    segment_key: dict[tuple[str, int], str] = {}
    for device_id in {d for d, _ in segments}:
        for seq, key_id in conn.execute(
            select(SignedSegment.seq, SignedSegment.key_id).where(
                SignedSegment.device_id == device_id
            )
        ):
            segment_key[(device_id, seq)] = key_id
    bundle_key: dict[str, str] = {}
    for chunk in _chunks(sorted(legacy)):
        bundle_key.update(
            (bundle_id, key_id)
            for bundle_id, key_id in conn.execute(
                select(ImportedBundle.bundle_id, ImportedBundle.key_id).where(
                    ImportedBundle.bundle_id.in_(chunk)
                )
            )
        )
    found: set[tuple[str, str, int | None]] = set()
    for r in rows:
        if r.segment_seq is not None:
            key = segment_key.get((r.device_id, r.segment_seq))
        else:
            key = bundle_key.get(r.bundle_id)
        if key in revoked_keys:
            found.add((r.bundle_id, r.device_id, r.segment_seq))
    return found


def release_due(where: Session | Connection, now_ms: int) -> list[IncomingChange]:
    """Remove and return every held change now within FUTURE_LIMIT of `now_ms`, in clock order
    (without what a revoked key signed). The merge records each change under its bundle and
    segment: an import uses `release_due_by_bundle`, which keeps both."""
    changes = [c for group in release_due_by_bundle(where, now_ms) for c in group.changes]
    return sorted(changes, key=lambda c: (c.hlc, c.change_id))


# --- what the window and the CLI say -----------------------------------------------------------


def shown_moment(wall_ms: int) -> str:
    """A clock reading's day as a coach reads it (Mar 3, 2031), or 'the year 30,490' past 9999."""
    try:
        moment = dt.datetime.fromtimestamp(wall_ms / 1000, dt.UTC)
        return medium_date(local_date(moment))
    except (OverflowError, ValueError, OSError):
        return f"the year {1970 + wall_ms // _MS_PER_YEAR:,}"


def _names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def held_sentence(
    count: int, newest_wall_ms: int, names: list[str] | None = None, *, today: dt.date | None = None
) -> str:
    """'3 changes from Dana are stamped more than a day ahead of this laptop's clock (up to
    Mar 3, 2031); they are held back and merge when the clock reaches them. Check the other
    laptop's date (this laptop's is Dec 1, 2026).' This laptop's own date is said too: when it
    is the one that is wrong (set years back), every honest change looks far ahead."""
    one = count == 1
    who = f" from {_names(names)}" if names else ""
    laptops = "the other laptop's date" if not names or len(names) == 1 else "those laptops' dates"
    mine = medium_date(today or dt.date.today())
    return (
        f"{count} change{'' if one else 's'}{who} {'is' if one else 'are'} stamped more than a "
        f"day ahead of this laptop's clock (up to {shown_moment(newest_wall_ms)}); "
        f"{'it is' if one else 'they are'} held back and merge{'s' if one else ''} when the "
        f"clock reaches {'it' if one else 'them'}. Check {laptops} (this laptop's is {mine})."
    )


@dataclass(frozen=True)
class HeldFrom:
    """The held changes one device stamped."""

    name: str  # the trusted name this profile gives the device's key
    device_id: str
    count: int
    newest_wall_ms: int


@dataclass(frozen=True)
class HeldSummary:
    """What is held back: how many, from whom (trusted names), stamped up to when."""

    devices: tuple[HeldFrom, ...] = ()

    @property
    def count(self) -> int:
        return sum(d.count for d in self.devices)

    @property
    def newest_wall_ms(self) -> int:
        return max((d.newest_wall_ms for d in self.devices), default=0)

    def sentence(self) -> str:
        """The held-changes sentence, or '' when nothing is held."""
        if not self.devices:
            return ""
        names = sorted({d.name for d in self.devices}, key=str.casefold)
        return held_sentence(self.count, self.newest_wall_ms, names)

    def as_dict(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "devices": [
                {
                    "name": d.name,
                    "device": d.device_id,
                    "changes": d.count,
                    "up_to": shown_moment(d.newest_wall_ms),
                }
                for d in self.devices
            ],
            "sentence": self.sentence(),
        }


def held_summary(
    where: Session | Connection, *, bundle_ids: Iterable[str] | None = None
) -> HeldSummary:
    """What is held back in this profile (or only what these bundles brought), by device."""
    conn = _connection(where)
    t = HeldChange.__table__
    query = select(t.c.device_id, func.count(), func.max(t.c.hlc)).group_by(t.c.device_id)
    if bundle_ids is not None:
        wanted = sorted(set(bundle_ids))
        if not wanted:
            return HeldSummary()
        query = query.where(t.c.bundle_id.in_(wanted))
    counted = list(conn.execute(query))
    names = _trusted_names(conn, [row[0] for row in counted])
    devices = [
        HeldFrom(
            name=names.get(device_id, _UNTRUSTED),
            device_id=device_id,
            count=count,
            newest_wall_ms=HLC.parse(newest).wall_ms,
        )
        for device_id, count, newest in counted
    ]
    devices.sort(key=lambda d: (d.name.casefold(), d.device_id))
    return HeldSummary(tuple(devices))


def after_import(results: Iterable[Any], held: HeldSummary) -> str:
    """The held-changes sentence to show after an import ('' for none): what the profile holds
    back, unless an imported bundle's own sentence already says what it held (`held`)."""
    if not held.count or any(getattr(r, "held", "") for r in results):
        return ""
    return held.sentence()


def held_in(profile: Profile) -> HeldSummary:
    """What this profile holds back, for the window and the CLI (`coachdesk keys show`)."""
    with profile.reading() as session:
        return held_summary(session)


def ahead_summary(profile: Profile, changes: Iterable[IncomingChange], now_ms: int) -> HeldSummary:
    """What of these changes an import would hold back now (`coachdesk verify --contents`)."""
    counts: dict[str, list[int]] = {}
    for change in split_future(changes, now_ms)[1]:
        wall = HLC.parse(change.hlc).wall_ms
        seen = counts.setdefault(change.device_id, [0, wall])
        seen[0] += 1
        seen[1] = max(seen[1], wall)
    if not counts:
        return HeldSummary()
    with profile.reading() as session:
        names = _trusted_names(session.connection(), sorted(counts))
    devices = [
        HeldFrom(names.get(d, _UNTRUSTED), d, count, newest)
        for d, (count, newest) in counts.items()
    ]
    devices.sort(key=lambda d: (d.name.casefold(), d.device_id))
    return HeldSummary(tuple(devices))


def _trusted_names(conn: Connection, device_ids: list[str]) -> dict[str, str]:
    """Each device's trusted name: its unrevoked key trusted last (after a key change), else
    its key trusted last."""
    t = TrustedKey.__table__
    best: dict[str, tuple[bool, str, str]] = {}
    for chunk in _chunks(device_ids):
        for device_id, name, trusted_at, revoked_at in conn.execute(
            select(t.c.device_id, t.c.name, t.c.trusted_at, t.c.revoked_at).where(
                t.c.device_id.in_(chunk)
            )
        ):
            rank = (revoked_at is None, trusted_at, name)
            if device_id not in best or rank > best[device_id]:
                best[device_id] = rank
    return {device_id: rank[2] for device_id, rank in best.items()}


# --- the import's merge, holding back -----------------------------------------------------------


@dataclass
class HeldMerge:
    """What merging one bundle's accepted changes did, with what was held back or released."""

    outcome: MergeOutcome  # the bundle's changes and the released ones, together
    held: int = 0  # this bundle's changes held back now
    released: int = 0  # changes held earlier that merged now
    refused: int = 0  # changes held earlier whose signing key was revoked meanwhile, dropped
    observe: HLC | None = None  # the reading the local clock may adopt once this commits


def merge_holding_back(
    session: Session,
    accepted: list[IncomingChange],
    *,
    bundle_id: str,
    segment_of: dict[str, int] | None = None,
    now_ms: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> HeldMerge:
    """The import's merge: hold back what is stamped beyond now + FUTURE_LIMIT, merge what
    held changes the clock has reached, then merge the rest of this bundle (in the import's
    transaction; the caller observes `observe` after it commits)."""
    now_ms = wall_now_ms() if now_ms is None else now_ms
    segment_of = segment_of or {}
    ready, ahead = split_future(accepted, now_ms)
    done = HeldMerge(MergeOutcome())
    done.held = hold(session, ahead, bundle_id, segment_of=segment_of)
    merged_hlcs = [c.hlc for c in ready]
    for group in release_due_by_bundle(session, now_ms):
        done.refused += group.refused
        done.released += len(group.changes)
        merged_hlcs += [c.hlc for c in group.changes]
        _fold(
            done.outcome,
            merge_changes(
                session, group.changes, bundle_id=group.bundle_id, segment_of=group.segment_of
            ),
        )
    waiting = _superseded_while_held(session.connection(), ready)
    this_bundle = merge_changes(
        session, ready, bundle_id=bundle_id, segment_of=segment_of, progress=progress
    )
    # An edit that replaces a held change has not lost its earlier change: it is here, held.
    this_bundle.missing_earlier = max(0, this_bundle.missing_earlier - waiting)
    _fold(done.outcome, this_bundle)
    done.observe = clock_reading_to_observe(merged_hlcs, now_ms)
    return done


def _superseded_while_held(conn: Connection, ready: list[IncomingChange]) -> int:
    """How many held changes these changes supersede that the merge will count as missing."""
    refs: set[str] = set()
    for change in ready:
        if change.supersedes != "[]":
            refs.update(json.loads(change.supersedes))
    refs -= {c.change_id for c in ready}
    held: set[str] = set()
    for chunk in _chunks(sorted(refs)):
        held.update(
            conn.execute(
                select(HeldChange.change_id).where(HeldChange.change_id.in_(chunk))
            ).scalars()
        )
    awaited: set[str] = set()
    for chunk in _chunks(sorted(held)):
        awaited.update(
            conn.execute(
                select(AwaitedChange.change_id).where(AwaitedChange.change_id.in_(chunk))
            ).scalars()
        )
    return len(held - awaited)


def _fold(into: MergeOutcome, more: MergeOutcome) -> None:
    into.new_changes += more.new_changes
    for kind, ids in more.created.items():
        into.created[kind].update(ids)
    for kind, ids in more.updated.items():
        into.updated[kind].update(ids)
    into.new_conflicts += more.new_conflicts
    into.missing_earlier += more.missing_earlier
    if more.newest_hlc and (into.newest_hlc is None or more.newest_hlc > into.newest_hlc):
        into.newest_hlc = more.newest_hlc


def merge_due(profile: Profile, now_ms: int | None = None) -> ChangeSummary:
    """Merge the held changes this laptop's clock has reached, without an import (when the
    window opens); returns what changed, for the change bus. A held change that does not fit
    yet (its record's other changes are still missing) stays held."""
    now_ms = wall_now_ms() if now_ms is None else now_ms
    if not held_in(profile).count:
        return ChangeSummary()
    merged = HeldMerge(MergeOutcome())
    try:
        with profile.writing(capture=False) as write:
            session = write.session
            defer_foreign_keys(session)  # as on import
            merged = merge_holding_back(session, [], bundle_id="", now_ms=now_ms)
            touched = session.info.setdefault(changelog.CHANGED, {})
            for kind, ids in [*merged.outcome.created.items(), *merged.outcome.updated.items()]:
                touched.setdefault(kind, set()).update(ids)
    except IntegrityError as exc:
        logger.info("held changes do not fit yet: %s", exc)
        return ChangeSummary()
    if merged.observe is not None:
        profile.clock.observe(merged.observe)
    return write.changes
