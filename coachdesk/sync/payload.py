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

import datetime as dt
import gc
import json
import operator
import re
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import Date, DateTime, inspect

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
    with collector_paused():
        return _decode(compressed, plain_size, change_count, on_item)


def _decode(
    compressed: bytes | memoryview,
    plain_size: int,
    change_count: int,
    on_item: Callable[[dict], None] | None,
) -> list[IncomingChange]:
    fields = {rt: set(logged_fields(model)) for rt, model in SYNCABLE.items()}
    ids: set[str] = set()  # record and device ids found well-formed (see _parse_line)
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
                change = _parse_line(line, fields, on_item, ids)
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


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off for a bulk pass, back on after if it was on. A pass that
    keeps hundreds of thousands of new objects (the changes read, the rows merged) otherwise
    sets off full collections over all of them again and again, a tenth of an import's time;
    nothing such a pass makes is cyclic garbage."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


_CARRIED = operator.itemgetter(
    "id", "type", "record", "field", "value", "hlc", "device", "supersedes"
)
_new_change = tuple.__new__  # IncomingChange(...) without its Python-level __new__


def _parse_line(
    line: bytes,
    fields: dict[str, set[str]],
    on_item: Callable[[dict], None] | None = None,
    ids: set[str] | None = None,
) -> IncomingChange | None:
    """One line: a checked change, or None for an item `on_item` took. `ids` collects record
    and device ids already found well-formed in this payload (a record's nine fields, a device's
    every change), so that each is matched once."""
    try:
        obj = strict_json.loads_line(line)
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
    change_id, record_type, record_id, field, value, hlc, device, supersedes = _CARRIED(obj)
    known = ids if ids is not None else set()
    # Each change's own id is met once; its record's and device's, again and again.
    if type(change_id) is not str or not UUID_TEXT.match(change_id):
        raise BundleError("invalid_change", "A change has a malformed id.")
    for ident in (record_id, device):
        if type(ident) is not str:
            raise BundleError("invalid_change", "A change has a malformed id.")
        if ident not in known:
            if not UUID_TEXT.match(ident):
                raise BundleError("invalid_change", "A change has a malformed id.")
            known.add(ident)
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
        if not isinstance(hlc, str) or not _clock_of(hlc, device):
            raise ValueError("clock reading does not belong to the change's device")
        if not isinstance(value, str):
            raise ValueError("value must be JSON text")
        # Parsed once, strictly; the column check is decode_value's, from a per-field cache.
        column_value(record_type, field, parse_value(value))
    except (ValueError, TypeError) as exc:
        raise BundleError("invalid_change", f"({record_type}.{field}: {exc})") from None
    if supersedes:
        if (
            not isinstance(supersedes, list)
            or len(supersedes) > MAX_SUPERSEDES
            or not all(isinstance(s, str) and UUID_TEXT.match(s) for s in supersedes)
        ):
            raise BundleError("invalid_change", "A change lists what it replaces wrongly.")
        spelled = json.dumps(supersedes)
    elif isinstance(supersedes, list):
        spelled = "[]"  # json.dumps([]), the change log's spelling of nothing replaced
    else:
        raise BundleError("invalid_change", "A change lists what it replaces wrongly.")
    return _new_change(
        IncomingChange, (change_id, record_type, record_id, field, value, hlc, device, spelled)
    )


_CLOCK_START = re.compile(r"[0-9]{15}-[0-9]{5}-")  # a clock reading's wall time and counter


def _clock_of(hlc: str, device: str) -> bool:
    """Whether `hlc` is a clock reading of `device`: HLC.parse's rule, without building one
    for the ordinary ASCII spelling (15 digits, 5 digits, the device)."""
    if hlc[22:] == device and _CLOCK_START.match(hlc):
        return True
    return HLC.parse(hlc).device == device  # its ValueError names what is wrong


_CONSTANTS: dict[str, Any] = {"null": None, "true": True, "false": False}


def parse_value(text: str) -> Any:
    """A change's value from its JSON text, strictly (strict_json.loads_scalar_friendly).

    Most values are null, true, false or text without escapes or control characters; those
    are read directly (JSON gives exactly the characters between the quotes), the rest by the
    strict parser."""
    if text in _CONSTANTS:
        return _CONSTANTS[text]
    if len(text) >= 2 and text[0] == '"' and text[-1] == '"':
        inner = text[1:-1]
        # isprintable: no control character (which JSON refuses raw), no surrogate.
        if '"' not in inner and "\\" not in inner and inner.isprintable():
            return inner
    return strict_json.loads_scalar_friendly(text)


# What decode_value checks for each field, found once: (record type, field) -> column kind.
_KINDS: dict[tuple[str, str], Any] = {}


def column_value(record_type: str, field: str, value: Any) -> Any:
    """decode_value for a value already parsed from its JSON text (the same checks and result,
    without parsing again or inspecting the model on every call); raises ValueError."""
    if value is None:
        return None
    kind = _KINDS.get((record_type, field))
    if kind is None:
        model = SYNCABLE[record_type]
        column_type = inspect(model).columns[field].type
        if isinstance(column_type, DateTime):
            kind = dt.datetime
        elif isinstance(column_type, Date):
            kind = dt.date
        else:
            try:
                kind = column_type.python_type
            except NotImplementedError:
                return decode_value(model, field, json.dumps(value))
        _KINDS[(record_type, field)] = kind
    if kind is str:
        if not isinstance(value, str):
            raise ValueError(f"{field} must be text")
        return value
    if kind is dt.datetime:
        return dt.datetime.fromisoformat(value)
    if kind is dt.date:
        return dt.date.fromisoformat(value)
    if kind is bool:
        if not isinstance(value, bool):
            raise ValueError(f"{field} must be true or false")
        return value
    if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
        raise ValueError(f"{field} must be a whole number")
    return value
