"""Merging incoming changes into the profile (DESIGN.md section 5): a multi-value register per
field.

A field's heads are its changes that no change in the log supersedes. One head: its value is the
field's value. Several with different values: a conflict, shown with the newest head's value
(greatest HLC, ties by change id) until someone resolves it; several that agree are not.
Because heads depend only on the set of changes, importing bundles in any order, or twice,
gives the same profile.

Runs inside the import transaction on Core statements (no ORM objects), in bulk, so that a
hundred thousand changes merge in seconds.
"""

from __future__ import annotations

import json
import operator
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Table, bindparam, delete, insert, inspect, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from coachdesk.core.ids import UUID_TEXT
from coachdesk.core.store.changelog import SYNCABLE
from coachdesk.core.store.heads import HeadFact, field_state, needs_row
from coachdesk.core.store.schema import Change, FieldHead, table_of
from coachdesk.core.store.search_index import indexed_after
from coachdesk.core.store.sync_tables import AwaitedChange, SignedSegment
from coachdesk.sync.errors import BundleError
from coachdesk.sync.payload import (
    IncomingChange,
    carried_columns,
    collector_paused,
    column_value,
    parse_value,
)
from coachdesk.sync.segments import Segment

_CHUNK = 500  # ids per IN (...) list, well under every database's parameter limit
_STORE_CHUNK = 5000  # change rows per insert, so that progress moves during a large merge
FieldKey = tuple[str, str, str]


@dataclass
class MergeOutcome:
    """What one merge did."""

    new_changes: int = 0
    created: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    updated: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    new_conflicts: int = 0
    newest_hlc: str | None = None
    missing_earlier: int = 0  # superseded changes that have not arrived yet (a gap)


def _chunks(items: Iterable[Any]) -> Iterator[list[Any]]:
    items = list(items)
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def merge_changes(
    session: Session,
    incoming: list[IncomingChange],
    *,
    bundle_id: str,
    segment_of: dict[str, int] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> MergeOutcome:
    """Insert unseen changes, move field heads, recompute touched rows; raises BundleError.

    `progress(done, total)` counts three passes over the new changes: stored in the log, their
    fields' heads moved, their records written; it ends at (total, total).
    """
    with collector_paused():
        if _likely_all_unseen(session.connection(), incoming):
            # A large bundle from laptops this profile holds nothing from (a first sync): its
            # changes are taken as new without looking each id up. Should the log hold one of
            # them after all (an id sent again, or forged), its insert fails and the ordinary
            # way below runs instead, from the savepoint, and says what is wrong.
            try:
                with session.begin_nested():
                    return _merge(session, incoming, bundle_id, segment_of or {}, progress, True)
            except _SeenAfterAll:
                pass
        return _merge(session, incoming, bundle_id, segment_of or {}, progress, False)


class _SeenAfterAll(Exception):
    """The log holds one of the changes a merge took as all new."""


_UNSEEN_AT_LEAST = 2000  # changes; below this, looking every id up costs less than a savepoint


def _likely_all_unseen(conn: Connection, incoming: list[IncomingChange]) -> bool:
    """Whether a bundle is large and the log holds no change by any of its devices."""
    if len(incoming) < _UNSEEN_AT_LEAST:
        return False
    t = Change.__table__
    devices = sorted({c.device_id for c in incoming})
    if len(devices) > _CHUNK:
        return False
    query = select(t.c.change_id).where(t.c.device_id.in_(devices)).limit(1)
    return conn.execute(query).first() is None


def _merge(
    session: Session,
    incoming: list[IncomingChange],
    bundle_id: str,
    segment_of: dict[str, int],
    progress: Callable[[int, int], None] | None,
    all_unseen: bool,
) -> MergeOutcome:
    # Core statements on the session's connection: the ORM's per-row bookkeeping would cost
    # more than the database work at this size.
    conn = session.connection()
    outcome = MergeOutcome()
    new = list(incoming) if all_unseen else _unseen(conn, incoming)
    _sign_known(conn, incoming, new, segment_of)
    if not new:
        return outcome
    outcome.new_changes = len(new)
    outcome.newest_hlc = max(c.hlc for c in new)
    new_ids = {c.change_id for c in new}
    refs: set[str] = set()
    by_field: dict[FieldKey, list[IncomingChange]] = defaultdict(list)
    for c in new:
        if c.supersedes != "[]":
            refs.update(json.loads(c.supersedes))
        by_field[(c.record_type, c.record_id, c.field)].append(c)
    superseded = refs | _awaited_among(conn, new_ids)
    outcome.missing_earlier = _remember_missing(conn, refs - new_ids)
    before = _heads_before(conn, by_field)  # read before the new changes join the log
    total = 3 * len(new)
    for start in range(0, len(new), _STORE_CHUNK):
        try:
            _store(conn, new[start : start + _STORE_CHUNK], bundle_id, segment_of)
        except IntegrityError:
            if all_unseen:
                raise _SeenAfterAll from None
            raise
        if progress:
            progress(min(start + _STORE_CHUNK, len(new)), total)
    winners = _move_heads(conn, by_field, before, superseded, outcome)
    if progress:
        progress(2 * len(new), total)
    per_type = Counter(c.record_type for c in new)
    written = 2 * len(new)

    def type_written(record_type: str) -> None:
        nonlocal written
        written += per_type.pop(record_type, 0)
        if progress:
            progress(written, total)

    _write_rows(conn, new, winners, outcome, type_written)
    if progress and written < total:
        progress(total, total)
    return outcome


_STORED = (*IncomingChange._fields, "bundle_id", "segment_seq")  # its fields are column names


def _store(
    conn: Connection, new: list[IncomingChange], bundle_id: str, segment_of: dict[str, int]
) -> None:
    """Add these changes to the log, each with the segment that signs it."""
    seq = segment_of.get
    _insert_many(conn, Change.__table__, _STORED, [(*c, bundle_id, seq(c.change_id)) for c in new])


def _insert_many(
    conn: Connection, table: Table, names: tuple[str, ...], rows: list[tuple[Any, ...]]
) -> None:
    """Insert `rows` (values in `names` order) with one statement, compiled once for this
    database and run by the driver's executemany: SQLAlchemy building a parameter dict per row
    cost more than the database's own work. Portable: the statement is compiled by the
    connection's dialect in its own parameter style, with the columns' bind conversions."""
    if not rows:
        return
    compiled = insert(table).compile(dialect=conn.dialect, column_keys=list(names))
    if set(compiled.binds) != set(names):  # a column default to fill: the ordinary way
        conn.execute(insert(table), [dict(zip(names, row, strict=True)) for row in rows])
        return
    convert = [
        (names.index(name), process)
        for name, bind in compiled.binds.items()
        if (process := bind.type.bind_processor(conn.dialect)) is not None
    ]
    if convert:
        columns = list(zip(*rows, strict=True))
        for index, process in convert:
            columns[index] = tuple(map(process, columns[index]))
        rows = list(zip(*columns, strict=True))
    params: list[Any] = rows
    if not compiled.positional:
        params = [dict(zip(names, row, strict=True)) for row in rows]
    elif (order := [names.index(n) for n in compiled.positiontup or ()]) != list(range(len(names))):
        params = [tuple(row[i] for i in order) for row in rows]
    conn.exec_driver_sql(str(compiled), params)


def _sign_known(
    conn: Connection,
    incoming: list[IncomingChange],
    new: list[IncomingChange],
    segment_of: dict[str, int],
) -> None:
    """Changes already in the log that arrived before 0.4.0 without their author's signature
    learn it now, so that this profile can pass them on."""
    if len(new) == len(incoming):
        return  # every change is new (the filter kept them all): none is known yet
    fresh = {c.change_id for c in new}
    known = [i for i in (c.change_id for c in incoming) if i in segment_of and i not in fresh]
    t = Change.__table__
    for chunk in _chunks(known):
        unsigned = (
            conn.execute(
                select(t.c.change_id).where(t.c.change_id.in_(chunk), t.c.segment_seq.is_(None))
            )
            .scalars()
            .all()
        )
        if unsigned:
            conn.execute(
                update(t)
                .where(t.c.change_id == bindparam("k_id"))
                .values(segment_seq=bindparam("v_seq")),
                [{"k_id": i, "v_seq": segment_of[i]} for i in unsigned],
            )


def keep_segments(session: Session, segments: Iterable[Segment]) -> None:
    """Store the authors' segments that sign accepted changes, unchanged, to relay them. One
    this profile holds already is kept as it is (the same author and counter)."""
    conn = session.connection()
    segments = list(segments)
    t = SignedSegment.__table__
    have: set[tuple[str, int]] = set()
    for device in {s.device_id for s in segments}:
        have.update(
            (device_id, seq)
            for device_id, seq in conn.execute(
                select(t.c.device_id, t.c.seq).where(t.c.device_id == device)
            )
        )
    rows = [
        {"device_id": s.device_id, "seq": s.seq, "key_id": s.key_id, "signed": s.signed}
        for s in segments
        if (s.device_id, s.seq) not in have
    ]
    if rows:
        conn.execute(insert(t), rows)


def _unseen(conn: Connection, incoming: list[IncomingChange]) -> list[IncomingChange]:
    """The incoming changes not in the log; an id already there must carry the same change."""
    t = Change.__table__
    known: dict[str, tuple[Any, ...]] = {}
    for chunk in _chunks(c.change_id for c in incoming):
        rows = conn.execute(select(*carried_columns()).where(t.c.change_id.in_(chunk)))
        known.update((row[0], tuple(row)) for row in rows)
    if not known:
        return list(incoming)
    new = []
    for c in incoming:
        old = known.get(c.change_id)
        if old is None:
            new.append(c)
        elif old != tuple(c):
            raise BundleError(
                "rewrites_history", f"(change {c.change_id} of {c.record_type}.{c.field})"
            )
    return new


def _awaited_among(conn: Connection, ids: set[str]) -> set[str]:
    """Those of `ids` that a change already in the log supersedes."""
    found: set[str] = set()
    if conn.execute(select(AwaitedChange.change_id).limit(1)).first() is None:
        return found  # nearly always: no change awaits an earlier one
    for chunk in _chunks(ids):
        found.update(
            conn.execute(
                select(AwaitedChange.change_id).where(AwaitedChange.change_id.in_(chunk))
            ).scalars()
        )
    if found:
        for chunk in _chunks(found):
            conn.execute(delete(AwaitedChange).where(AwaitedChange.change_id.in_(chunk)))
    return found


def _remember_missing(conn: Connection, outside: set[str]) -> int:
    """Record superseded ids that are neither in the log nor arriving now; returns how many."""
    present: set[str] = set()
    for chunk in _chunks(outside):
        present.update(
            conn.execute(select(Change.change_id).where(Change.change_id.in_(chunk))).scalars()
        )
        present.update(
            conn.execute(
                select(AwaitedChange.change_id).where(AwaitedChange.change_id.in_(chunk))
            ).scalars()
        )
    missing = outside - present
    if missing:
        conn.execute(insert(AwaitedChange.__table__), [{"change_id": i} for i in sorted(missing)])
    return len(missing)


@dataclass
class _Before:
    """The touched fields' heads before a merge: their FieldHead rows, and for fields without a
    row, their changes in the log (at most one each: core/store/heads.py)."""

    rows: dict[FieldKey, tuple[list[str], bool]]  # key -> (head ids, in conflict)
    logged: dict[FieldKey, list[str]]


def _heads_before(conn: Connection, by_field: dict[FieldKey, list[IncomingChange]]) -> _Before:
    t, c = FieldHead.__table__, Change.__table__
    rows: dict[FieldKey, tuple[list[str], bool]] = {}
    logged: dict[FieldKey, list[str]] = defaultdict(list)
    records: dict[str, set[str]] = defaultdict(set)
    for rt, rid, _f in by_field:
        records[rt].add(rid)
    for rt, ids in records.items():
        # By record type and id: both tables' indexes start with them.
        for chunk in _chunks(sorted(ids)):
            for rid, f, head_ids, in_conflict in conn.execute(
                select(t.c.record_id, t.c.field, t.c.head_ids, t.c.in_conflict).where(
                    t.c.record_type == rt, t.c.record_id.in_(chunk)
                )
            ):
                if (rt, rid, f) in by_field:
                    rows[(rt, rid, f)] = (json.loads(head_ids), bool(in_conflict))
            for rid, f, change_id in conn.execute(
                select(c.c.record_id, c.c.field, c.c.change_id).where(
                    c.c.record_type == rt, c.c.record_id.in_(chunk)
                )
            ):
                if (rt, rid, f) in by_field and (rt, rid, f) not in rows:
                    logged[(rt, rid, f)].append(change_id)
    return _Before(rows, dict(logged))


def _move_heads(
    conn: Connection,
    by_field: dict[FieldKey, list[IncomingChange]],
    before: _Before,
    superseded: set[str],
    outcome: MergeOutcome,
) -> dict[FieldKey, str]:
    """Update the heads of every touched field; returns each field's winning value (JSON).

    `superseded`: every id an incoming change supersedes, and the incoming ids a change already
    in the log supersedes (core/store/heads.py decides with it). A field whose one version is
    its one head gets no FieldHead row; one that has a row keeps it."""
    t = FieldHead.__table__
    old, logged = before.rows, before.logged
    facts: dict[str, tuple[str, str]] = {}  # change id -> (hlc, value)
    pending: dict[FieldKey, list[IncomingChange]] = {}
    winners: dict[FieldKey, str] = {}
    for key, changes in by_field.items():
        if len(changes) == 1 and key not in old and key not in logged:
            first = changes[0]
            if first.change_id not in superseded:
                # Most fields: a first version, its only head, nothing to compare and no row
                # to write (field_state and needs_row give the same for it).
                winners[key] = first.value
                continue
        for c in changes:
            facts[c.change_id] = (c.hlc, c.value)
        pending[key] = changes
    earlier = {i for key in pending for i in (old[key][0] if key in old else logged.get(key, ()))}
    _load_facts(conn, earlier - facts.keys(), facts)
    inserts: list[tuple[str, str, str, str, bool]] = []
    updates = []
    for key, changes in pending.items():
        heads_before = old[key][0] if key in old else logged.get(key, [])
        arriving = [c.change_id for c in changes]
        # The one rule for heads, shared with capture and the Conflicts view.
        state = field_state(
            heads_before,
            arriving,
            {i: HeadFact(*facts[i]) for i in (*heads_before, *arriving)},
            superseded=superseded,
        )
        now, ordered, conflict = set(state.heads), list(state.heads), state.in_conflict
        if state.shown_change_id is None:
            # Every version superseded by something of another field (only a malformed bundle
            # does that): show the newest version of the field, deterministically.
            winners[key] = _newest_of_field(conn, key)
        else:
            winners[key] = facts[state.shown_change_id][1]
        if key not in old:
            if needs_row(state, [*heads_before, *arriving]):
                inserts.append((*key, _ids_json(ordered), conflict))
        elif set(old[key][0]) != now or old[key][1] != conflict:
            updates.append(
                {
                    "k_type": key[0],
                    "k_id": key[1],
                    "k_field": key[2],
                    "v_heads": _ids_json(ordered),
                    "v_conflict": conflict,
                }
            )
        if conflict and not (key in old and old[key][1]):
            outcome.new_conflicts += 1
    _insert_many(conn, t, _HEAD_COLUMNS, inserts)
    if updates:
        conn.execute(
            update(t)
            .where(
                t.c.record_type == bindparam("k_type"),
                t.c.record_id == bindparam("k_id"),
                t.c.field == bindparam("k_field"),
            )
            .values(head_ids=bindparam("v_heads"), in_conflict=bindparam("v_conflict")),
            updates,
        )
    return winners


_HEAD_COLUMNS = ("record_type", "record_id", "field", "head_ids", "in_conflict")


def _ids_json(ids: list[str]) -> str:
    """json.dumps(ids), the head list's spelling; one plain id is written without the encoder."""
    if len(ids) == 1 and UUID_TEXT.match(ids[0]):
        return f'["{ids[0]}"]'
    return json.dumps(ids)


def _load_facts(conn: Connection, ids: set[str], facts: dict[str, tuple[str, str]]) -> None:
    t = Change.__table__
    for chunk in _chunks(ids):
        for change_id, hlc, value in conn.execute(
            select(t.c.change_id, t.c.hlc, t.c.value).where(t.c.change_id.in_(chunk))
        ):
            facts[change_id] = (hlc, value)


def _newest_of_field(conn: Connection, key: FieldKey) -> str:
    t = Change.__table__
    return conn.execute(
        select(t.c.value)
        .where(t.c.record_type == key[0], t.c.record_id == key[1], t.c.field == key[2])
        .order_by(t.c.hlc.desc(), t.c.change_id.desc())
        .limit(1)
    ).scalar_one()


def _write_rows(
    conn: Connection,
    new: list[IncomingChange],
    winners: dict[FieldKey, str],
    outcome: MergeOutcome,
    type_written: Callable[[str], None] = lambda record_type: None,
) -> None:
    """Bring each touched row to its fields' winning values (creating rows that are new)."""
    oldest: dict[tuple[str, str], tuple[str, str]] = {}  # (hlc, device) of the earliest change
    newest: dict[tuple[str, str], str] = {}
    for c in new:
        record = (c.record_type, c.record_id)
        if record not in oldest or c.hlc < oldest[record][0]:
            oldest[record] = (c.hlc, c.device_id)
        if c.hlc > newest.get(record, ""):
            newest[record] = c.hlc
    values: dict[tuple[str, str], dict[str, Any]] = defaultdict(dict)
    for (rt, rid, f), text in winners.items():
        values[(rt, rid)][f] = text
    by_type: dict[str, list[str]] = defaultdict(list)
    for rt, rid in values:
        by_type[rt].append(rid)
    for rt, ids in by_type.items():
        model = SYNCABLE[rt]
        table = table_of(model)
        key_of = {name: column.key for name, column in inspect(model).columns.items()}
        existing: dict[str, tuple[str, str]] = {}
        for chunk in _chunks(ids):
            for rid, created_hlc, updated_hlc in conn.execute(
                select(table.c.id, table.c.created_hlc, table.c.updated_hlc).where(
                    table.c.id.in_(chunk)
                )
            ):
                existing[rid] = (created_hlc, updated_hlc)
        inserts: dict[frozenset[str], list[dict[str, Any]]] = defaultdict(list)
        updates: dict[frozenset[str], list[dict[str, Any]]] = defaultdict(list)
        for rid in ids:
            record = (rt, rid)
            row = {
                key_of[f]: column_value(rt, f, parse_value(text))
                for f, text in values[record].items()
            }
            first_hlc, first_device = oldest[record]
            if rid in existing:
                created_hlc, updated_hlc = existing[rid]
                if first_hlc < created_hlc:
                    row.update(created_hlc=first_hlc, created_by=first_device)
                row["updated_hlc"] = max(updated_hlc, newest[record])
                updates[frozenset(row)].append(
                    {f"v_{k}": v for k, v in row.items()} | {"k_id": rid}
                )
                outcome.updated[rt].add(rid)
            else:
                row.update(
                    id=rid,
                    created_hlc=first_hlc,
                    created_by=first_device,
                    updated_hlc=newest[record],
                )
                inserts[frozenset(row)].append(row)
                outcome.created[rt].add(rid)
        with indexed_after(conn, table.name, ids):  # searched text: once, not row by row
            for keys, rows in inserts.items():
                # In the table's column order, which the compiled statement binds in.
                names = tuple(name for name in table.c.keys() if name in keys)
                values_of = operator.itemgetter(*names)
                _insert_many(conn, table, names, [values_of(row) for row in rows])
            for keys, rows in updates.items():
                conn.execute(
                    update(table)
                    .where(table.c.id == bindparam("k_id"))
                    .values({k: bindparam(f"v_{k}") for k in keys}),
                    rows,
                )
        type_written(rt)
