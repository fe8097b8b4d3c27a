"""The payload: zlib-compressed newline-delimited JSON, one change per line.

Reading is bounded at every step (THREATS.md, malicious payload): the compressed size is capped
by the envelope, decompression stops at the size the signed header declared, no line may pass
2 MiB (core/sync_limits.py), JSON is strict, and every change is checked against the profile's
own models.
A visit packet (coachdesk.sync.packet) adds lines of its own kinds (its visit, its PDF in
base64 parts that each fit the line limit); they reach the packet reader through `on_item`,
under the same limits. A sync bundle holding such a line is refused.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from coachdesk.core.clock import HLC
from coachdesk.core.ids import UUID_TEXT
from coachdesk.core.store.changelog import SYNCABLE, decode_value, logged_fields
from coachdesk.core.store.schema import Change
from coachdesk.core.sync_limits import CHANGE_LINE_BYTES
from coachdesk.sync import strict_json
from coachdesk.sync.errors import BundleError

# A whole bundle decoded, and so the most its changes hold in memory at once: a coach's year is
# tens of megabytes; a supervisor's relay of a team, a few times that.
MAX_PLAIN_BYTES = 256 * 1024 * 1024
if TYPE_CHECKING:
    from sqlalchemy import Column

MAX_LINE_BYTES = CHANGE_LINE_BYTES  # what the app saves fits: core/sync_limits.py
MAX_CHANGES = 2_000_000
MAX_SUPERSEDES = 1000
_CHUNK = 1024 * 1024
_KEYS = {"kind", "id", "type", "record", "field", "value", "hlc", "device", "supersedes"}


class IncomingChange(NamedTuple):
    """One change as carried in a bundle (the same fields as the change log)."""

    change_id: str
    record_type: str
    record_id: str
    field: str
    value: str  # JSON text
    hlc: str
    device_id: str
    supersedes: str  # JSON list of change ids, in the change log's own spelling


def carried_columns() -> list[Column[Any]]:
    """The change log's columns a bundle carries, in IncomingChange's order (its fields are
    their names): what export, packets and the merge select, defined once."""
    return [Change.__table__.c[name] for name in IncomingChange._fields]


def encode_changes(
    rows: Iterable[Sequence[str]], *, items: Iterable[dict[str, Any]] = ()
) -> tuple[bytes, int, int]:
    """Compress change-log rows, after `items` (the signed segments: sync/segments.py);
    returns (payload, uncompressed size, count of changes)."""
    compressor = zlib.compressobj(6)
    parts: list[bytes] = []
    size = count = 0
    batch: list[str] = [strict_json.dumps(item) for item in items]
    for change_id, record_type, record_id, field, value, hlc, device, supersedes in rows:
        batch.append(
            json.dumps(
                {
                    "kind": "change",
                    "id": change_id,
                    "type": record_type,
                    "record": record_id,
                    "field": field,
                    "value": value,
                    "hlc": hlc,
                    "device": device,
                    "supersedes": json.loads(supersedes),
                },
                ensure_ascii=False,
                separators=(",", ":"),
            )
        )
        count += 1
        if len(batch) >= 2000:
            chunk = ("\n".join(batch) + "\n").encode("utf-8")
            size += len(chunk)
            parts.append(compressor.compress(chunk))
            batch = []
    if batch:
        chunk = ("\n".join(batch) + "\n").encode("utf-8")
        size += len(chunk)
        parts.append(compressor.compress(chunk))
    parts.append(compressor.flush())
    return b"".join(parts), size, count


def decode_changes(
    compressed: bytes | memoryview,
    *,
    plain_size: int,
    change_count: int,
    on_item: Callable[[dict], None] | None = None,
) -> list[IncomingChange]:
    """Every change in a payload, checked; raises BundleError on the first thing wrong.

    `on_item` receives every strictly parsed line that is not a change (a visit packet's
    description and attachment parts, coachdesk.sync.packet); it checks each and raises
    BundleError for anything it does not accept. Without it, such a line is refused. The
    line, size and count limits apply to those lines exactly as to changes.
    """
    if plain_size > MAX_PLAIN_BYTES or change_count > MAX_CHANGES:
        raise BundleError("payload_too_large")
    fields = {rt: set(logged_fields(model)) for rt, model in SYNCABLE.items()}
    changes: list[IncomingChange] = []
    seen: set[str] = set()
    pending = b""
    produced = 0
    decompressor = zlib.decompressobj()
    data = memoryview(compressed)
    position = 0
    try:
        while True:
            if decompressor.unconsumed_tail:
                chunk = decompressor.decompress(decompressor.unconsumed_tail, _CHUNK)
            elif position < len(data):
                chunk = decompressor.decompress(data[position : position + _CHUNK], _CHUNK)
                position += _CHUNK
            else:
                break
            produced += len(chunk)
            if produced > plain_size:
                raise BundleError("payload_mismatch", "It holds more than its header declares.")
            lines = (pending + chunk).split(b"\n")
            pending = lines.pop()
            if len(pending) > MAX_LINE_BYTES:
                raise BundleError("bad_payload", "One of its lines is far too long.")
            for line in lines:
                if len(line) > MAX_LINE_BYTES:  # a whole line can arrive across two chunks
                    raise BundleError("bad_payload", "One of its lines is far too long.")
                change = _parse_line(line, fields, on_item)
                if change is None:
                    continue
                if change.change_id in seen:
                    # An honest writer never repeats one; counting repeats would let a small
                    # file cost minutes of reading before it was refused.
                    raise BundleError("bad_payload", "It holds one change twice.")
                seen.add(change.change_id)
                changes.append(change)
                if len(changes) > change_count:
                    raise BundleError("payload_mismatch", "It holds more changes than declared.")
    except zlib.error:
        raise BundleError("bad_payload", "Its compressed data is broken.") from None
    if not decompressor.eof or decompressor.unused_data or pending:
        raise BundleError("bad_payload", "Its contents end too early or run on past the end.")
    if produced != plain_size or len(changes) != change_count:
        raise BundleError("payload_mismatch", "Its size or number of changes is not as declared.")
    return changes


def _parse_line(
    line: bytes, fields: dict[str, set[str]], on_item: Callable[[dict], None] | None = None
) -> IncomingChange | None:
    try:
        obj = strict_json.loads(line.decode("utf-8"))
    except UnicodeDecodeError:
        raise BundleError("bad_payload", "It holds text that is not valid UTF-8.") from None
    except ValueError as exc:
        raise BundleError("bad_payload", f"It holds malformed JSON ({exc}).") from None
    if on_item is not None and isinstance(obj, dict) and obj.get("kind") != "change":
        on_item(obj)
        return None
    if not isinstance(obj, dict) or obj.keys() != _KEYS:
        raise BundleError("bad_payload", "It holds a line that is not a change.")
    if obj["kind"] != "change":
        raise BundleError("bad_payload", f"It holds an unknown kind of item ({obj['kind']!r}).")
    change_id, record_type, record_id = obj["id"], obj["type"], obj["record"]
    field, value, hlc, device = obj["field"], obj["value"], obj["hlc"], obj["device"]
    supersedes = obj["supersedes"]
    for ident in (change_id, record_id, device):
        if not isinstance(ident, str) or not UUID_TEXT.match(ident):
            raise BundleError("invalid_change", "A change has a malformed id.")
    if record_type not in fields:
        raise BundleError(
            "unknown_record",
            f"({str(record_type)[:40]!r}) Install the newest coachdesk and import it again.",
        )
    if field not in fields[record_type]:
        raise BundleError(
            "unknown_record", f"({record_type} has no field {str(field)[:40]!r} here.)"
        )
    try:
        if not isinstance(hlc, str) or HLC.parse(hlc).device != device:
            raise ValueError("clock reading does not belong to the change's device")
        if not isinstance(value, str):
            raise ValueError("value must be JSON text")
        strict_json.loads_scalar_friendly(value)
        decode_value(SYNCABLE[record_type], field, value)
    except (ValueError, TypeError) as exc:
        raise BundleError("invalid_change", f"({record_type}.{field}: {exc})") from None
    if (
        not isinstance(supersedes, list)
        or len(supersedes) > MAX_SUPERSEDES
        or not all(isinstance(s, str) and UUID_TEXT.match(s) for s in supersedes)
    ):
        raise BundleError("invalid_change", "A change lists what it replaces wrongly.")
    return IncomingChange(
        change_id, record_type, record_id, field, value, hlc, device, json.dumps(supersedes)
    )
