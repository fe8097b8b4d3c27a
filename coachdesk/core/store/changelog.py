"""The change log: every edit of a syncable field becomes one immutable Change.

Capture happens in one place, a `before_flush` listener on sessions opened by a Profile, so that
services write ordinary ORM code and never think about sync. Each change records the change ids
its author saw as current for that field (`supersedes`); FieldHead keeps the heads of each field
that has more than one version, as the one rule in coachdesk/core/store/heads.py decides them.

Sync (coachdesk.sync) applies incoming changes with `capture` switched off and uses
`encode_value` / `decode_value` and `SYNCABLE` to turn log values back into columns.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import Date, DateTime, event, insert, inspect, select
from sqlalchemy.orm import Session

from coachdesk.core.clock import HybridClock
from coachdesk.core.ids import new_id
from coachdesk.core.store.all_tables import syncable_models
from coachdesk.core.store.heads import HeadFact, field_state, needs_row, same_as_shown
from coachdesk.core.store.schema import Change, FieldHead, Syncable, table_of

# record type -> model, for every syncable table (sync uses it to apply incoming changes)
SYNCABLE: dict[str, type[Syncable]] = syncable_models()

# session.info keys
CLOCK = "coachdesk.clock"
CAPTURE = "coachdesk.capture"
CHANGED = "coachdesk.changed"


class HardDeleteError(RuntimeError):
    """A syncable record was deleted outright instead of being given a tombstone."""


def logged_fields(model: type[Syncable]) -> list[str]:
    """The fields of a syncable model that are written to the change log, in column order."""
    return [c.key for c in inspect(model).column_attrs if c.key not in model.bookkeeping]


def encode_value(model: type[Syncable], field: str, value: Any) -> str:
    """A column value as the JSON text stored in the change log."""
    if isinstance(value, (dt.date, dt.datetime)):
        value = value.isoformat()
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def decode_value(model: type[Syncable], field: str, text: str) -> Any:
    """The column value for JSON text from the change log; raises ValueError if it does not fit."""
    value = json.loads(text)
    if value is None:
        return None
    column_type = inspect(model).columns[field].type
    if isinstance(column_type, DateTime):
        return dt.datetime.fromisoformat(value)
    if isinstance(column_type, Date):
        return dt.date.fromisoformat(value)
    python_type = column_type.python_type
    if python_type is bool:
        if not isinstance(value, bool):
            raise ValueError(f"{field} must be true or false")
        return value
    if python_type is int and (isinstance(value, bool) or not isinstance(value, int)):
        raise ValueError(f"{field} must be a whole number")
    if python_type is str and not isinstance(value, str):
        raise ValueError(f"{field} must be text")
    return value


def install(session_factory: Any) -> None:
    """Attach change capture to every session the factory makes."""
    event.listen(session_factory, "before_flush", _capture_changes)


def _capture_changes(session: Session, flush_context: Any, instances: Any) -> None:
    if not session.info.get(CAPTURE, True):
        return
    clock: HybridClock | None = session.info.get(CLOCK)
    changed: dict[str, set[str]] = session.info.setdefault(CHANGED, {})
    for obj in list(session.deleted):
        if isinstance(obj, Syncable):
            raise HardDeleteError(
                f"{obj.record_type} {obj.id} must be given a tombstone (deleted_at), not deleted"
            )
    pending = [o for o in session.new if isinstance(o, Syncable)]
    pending += [o for o in session.dirty if isinstance(o, Syncable) and session.is_modified(o)]
    if not pending:
        return
    if clock is None:
        raise RuntimeError("syncable records can only be written through Profile.writing()")
    # New records have no earlier versions to supersede: their changes are written in one bulk
    # insert rather than as ORM objects (loading the demo writes tens of thousands). Each field's
    # one version is its one head, which needs no FieldHead row (core/store/heads.py).
    new_changes: list[dict[str, Any]] = []
    for obj in pending:
        is_new = obj in session.new
        if is_new and not obj.id:
            obj.id = new_id()
        edits = _edited_fields(obj, is_new=is_new)
        if not edits:
            continue
        stamp = str(clock.now())
        if is_new:
            obj.created_by = clock.device
            obj.created_hlc = stamp
            obj.updated_hlc = stamp
            for field, value in edits.items():
                change_id = new_id()
                new_changes.append(
                    _change_row(obj, field, value, change_id, stamp, clock.device, [])
                )
        else:
            obj.updated_hlc = stamp
            _log_edits(session, obj, edits, stamp, clock.device)
        changed.setdefault(obj.record_type, set()).add(obj.id)
    if new_changes:
        session.execute(insert(Change), new_changes)


def _change_row(
    obj: Syncable,
    field: str,
    value: Any,
    change_id: str,
    stamp: str,
    device: str,
    seen: list[str],
) -> dict[str, Any]:
    return {
        "change_id": change_id,
        "record_type": obj.record_type,
        "record_id": obj.id,
        "field": field,
        "value": encode_value(type(obj), field, value),
        "hlc": stamp,
        "device_id": device,
        "supersedes": json.dumps(seen),
        "bundle_id": None,
    }


def _edited_fields(obj: Syncable, *, is_new: bool) -> dict[str, Any]:
    model = type(obj)
    state = inspect(obj)
    edits: dict[str, Any] = {}
    for field in logged_fields(model):
        if is_new:
            value = getattr(obj, field)
            if value is None:
                # Column defaults are applied at INSERT; take the Python-side default now so the
                # log holds the value the row will have.
                column = inspect(model).columns[field]
                if column.default is not None and column.default.is_scalar:
                    value = column.default.arg
                    setattr(obj, field, value)
            edits[field] = value
        else:
            history = state.attrs[field].history
            if history.has_changes():
                new = history.added[0] if history.added else None
                old = history.deleted[0] if history.deleted else None
                if new != old:
                    edits[field] = new
    return edits


def _log_edits(
    session: Session,
    obj: Syncable,
    edits: dict[str, Any],
    stamp: str,
    device: str,
    *,
    resolving: bool = False,
) -> dict[str, str]:
    """Log one change per edited field and move its heads (the rule: core/store/heads.py);
    returns each field's new change id.

    An edit of a field whose versions agree supersedes them all. An ordinary edit of a field in
    conflict was made on the version the record shows, so it supersedes only that version (and
    the heads that agree with it): the other laptop's version stays a head and the conflict
    stays open, with this edit as the newest version, until the coach chooses under Conflicts.
    Nothing a peer wrote drops into history unseen. `resolving` (a choice made with every
    version in view) supersedes every head.
    """
    # no_autoflush: we are inside a flush already.
    with session.no_autoflush:
        rows = session.execute(
            select(FieldHead).where(
                FieldHead.record_type == obj.record_type,
                FieldHead.record_id == obj.id,
                FieldHead.field.in_(list(edits)),
            )
        ).scalars()
        heads = {h.field: h for h in rows}
        in_conflict = [h for h in heads.values() if h.in_conflict]
        facts = _head_facts(session, [i for h in in_conflict for i in json.loads(h.head_ids)])
        # A field without a row has its logged change (at most one) as its head.
        logged = _logged_versions(session, obj, [f for f in edits if f not in heads])
    written: dict[str, str] = {}
    for field, value in edits.items():
        change_id = new_id()
        written[field] = change_id
        head = heads.get(field)
        before = json.loads(head.head_ids) if head else logged.get(field, [])
        seen = before
        if head is not None and head.in_conflict and not resolving:
            seen = list(same_as_shown(field_state(before, (), facts), facts))
        row = _change_row(obj, field, value, change_id, stamp, device, seen)
        session.execute(insert(Change), [row])
        mine = {**facts, change_id: HeadFact(stamp, row["value"], tuple(seen))}
        state = field_state(before, [change_id], mine)
        if head is None:
            if not needs_row(state, [*before, change_id]):
                continue  # a field's first version (core/store/heads.py): the log says it all
            session.add(
                FieldHead(
                    record_type=obj.record_type,
                    record_id=obj.id,
                    field=field,
                    head_ids=json.dumps(list(state.heads)),
                    in_conflict=state.in_conflict,
                )
            )
        else:
            head.head_ids = json.dumps(list(state.heads))
            head.in_conflict = state.in_conflict
    return written


def _logged_versions(session: Session, obj: Syncable, fields: list[str]) -> dict[str, list[str]]:
    """The change ids the log holds for these fields of `obj`, by field."""
    found: dict[str, list[str]] = {}
    if not fields:
        return found
    rows = session.execute(
        select(Change.field, Change.change_id).where(
            Change.record_type == obj.record_type,
            Change.record_id == obj.id,
            Change.field.in_(fields),
        )
    )
    for field, change_id in rows:
        found.setdefault(field, []).append(change_id)
    return found


def _head_facts(session: Session, change_ids: list[str]) -> dict[str, HeadFact]:
    if not change_ids:
        return {}
    rows = session.execute(
        select(Change.change_id, Change.hlc, Change.value, Change.supersedes).where(
            Change.change_id.in_(change_ids)
        )
    )
    return {i: HeadFact(hlc, value, tuple(json.loads(s))) for i, hlc, value, s in rows}


def log_explicit_edit(session: Session, obj: Syncable, field: str, value: Any) -> str:
    """Set one field and log the edit even when the value does not change; returns its change id.

    Resolving a conflict in favour of the version already shown changes no column, so the flush
    listener would log nothing and the conflict would stay. This writes the change anyway,
    superseding every current version of the field. Call inside Profile.writing() on a saved
    record with no other pending edit of `field`.
    """
    from sqlalchemy import update
    from sqlalchemy.orm.attributes import set_committed_value

    clock: HybridClock | None = session.info.get(CLOCK)
    if clock is None or not session.info.get(CAPTURE, True):
        raise RuntimeError("an explicit edit can only be written through Profile.writing()")
    stamp = str(clock.now())
    change_id = _log_edits(session, obj, {field: value}, stamp, clock.device, resolving=True)[field]
    table = table_of(type(obj))
    column = inspect(type(obj)).columns[field]
    session.execute(
        update(table)
        .where(table.c.id == obj.id)
        .values({column.key: value, table.c.updated_hlc.key: stamp})
    )
    # The row is written above; tell the ORM so the flush listener does not log it again.
    set_committed_value(obj, field, value)
    set_committed_value(obj, "updated_hlc", stamp)
    session.info.setdefault(CHANGED, {}).setdefault(obj.record_type, set()).add(obj.id)
    session.flush()
    return change_id
