"""The writing side of author signatures: sign this laptop's new changes in segments, and carry
every change with the segment its author signed (sync/segments.py, sync/authority.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, select, update

from coachdesk.core.store.schema import Change
from coachdesk.core.store.sync_tables import SignedSegment
from coachdesk.sync import signing_counter
from coachdesk.sync.payload import carried_columns
from coachdesk.sync.segments import (
    MAX_SEGMENT_CHANGES,
    change_digest,
    parse_segment,
    segment_item,
    sign_segment,
)

if TYPE_CHECKING:
    from coachdesk.core.store.profile import Profile
    from coachdesk.sync.keys import DeviceKeys

_CHUNK = 500


def sign_for_bundle(profile: Profile, keys: DeviceKeys) -> int:
    """Sign this laptop's changes that no segment signs yet; returns the counter value for the
    bundle about to be written (one transaction: counter and segments are kept together)."""
    t = Change.__table__
    with profile.writing(capture=False) as write:
        session = write.session
        conn = session.connection()
        pending = conn.execute(
            select(*carried_columns())
            .where(t.c.device_id == keys.device_id, t.c.segment_seq.is_(None))
            .order_by(t.c.hlc, t.c.change_id)
        ).all()
        for start in range(0, len(pending), MAX_SEGMENT_CHANGES):
            run = pending[start : start + MAX_SEGMENT_CHANGES]
            seq = signing_counter.take_next(session, keys.device_id)
            signed = sign_segment(
                device_id=keys.device_id,
                key_id=keys.key_id,
                seq=seq,
                changes=run,
                sign=keys.signing.sign,
            )
            session.add(
                SignedSegment(device_id=keys.device_id, seq=seq, key_id=keys.key_id, signed=signed)
            )
            conn.execute(
                update(t)
                .where(t.c.change_id == bindparam("k_id"))
                .values(segment_seq=bindparam("v_seq")),
                [{"k_id": row[0], "v_seq": seq} for row in run],
            )
        return signing_counter.take_next(session, keys.device_id)


def signed_rows_query() -> Any:
    """The change log's carried columns and each change's segment counter (export, packets)."""
    return select(*carried_columns(), Change.__table__.c.segment_seq)


def with_segments(
    session: Any, rows: Sequence[Sequence[Any]]
) -> tuple[list[tuple[str, ...]], list[dict[str, str]], int]:
    """Keep the rows (carried columns + segment counter) whose author's segment this profile
    holds and lists them; returns (rows, segment lines, how many were left out).

    Left out: changes received from laptops before 0.4.0, which no segment signs (their
    authors' own bundles now bring them, signed), and any a held segment does not list."""
    wanted: dict[tuple[str, int], list[tuple[str, ...]]] = {}
    left_out = 0
    for row in rows:
        if row[8] is None:
            left_out += 1
        else:
            wanted.setdefault((row[6], row[8]), []).append(tuple(row[:8]))
    kept_ids: set[str] = set()
    items: list[dict[str, str]] = []
    keys = sorted(wanted)
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        devices = {device for device, _seq in chunk}
        stored = {
            (device, seq): signed
            for device, seq, signed in session.execute(
                select(SignedSegment.device_id, SignedSegment.seq, SignedSegment.signed).where(
                    SignedSegment.device_id.in_(devices)
                )
            )
            if (device, seq) in wanted
        }
        for key in chunk:
            signed = stored.get(key)
            changes = wanted[key]
            if signed is None:
                left_out += len(changes)
                continue
            listed = set(parse_segment(signed).digest_list())
            carried = [c for c in changes if change_digest(c) in listed]
            left_out += len(changes) - len(carried)
            if carried:
                items.append(segment_item(signed))
                kept_ids.update(c[0] for c in carried)
    kept = [tuple(row[:8]) for row in rows if row[0] in kept_ids]
    return kept, items, left_out


def attach_segments(
    session: Any, rows: Sequence[Sequence[str]]
) -> tuple[list[tuple[str, ...]], list[dict[str, str]], int]:
    """with_segments for rows of the carried columns alone (a packet's chosen changes)."""
    t = Change.__table__
    ids = [row[0] for row in rows]
    seq_of: dict[str, int | None] = {}
    for start in range(0, len(ids), _CHUNK):
        for change_id, seq in session.execute(
            select(t.c.change_id, t.c.segment_seq).where(
                t.c.change_id.in_(ids[start : start + _CHUNK])
            )
        ):
            seq_of[change_id] = seq
    return with_segments(session, [(*row, seq_of.get(row[0])) for row in rows])
