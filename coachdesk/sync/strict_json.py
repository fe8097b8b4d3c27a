"""A strict JSON reader for bundle contents: no NaN or Infinity, no duplicate keys, no deep
nesting, no lone surrogates.

Python's json module accepts all four by default; a bundle must not. A lone surrogate ("\\ud800"
with no partner) reads as a string that cannot be written as UTF-8, so it would fail later, in
the database, as an unexpected problem instead of a refused bundle.
"""

from __future__ import annotations

import json
import re
from typing import Any

import orjson

# A surrogate written as an escape; the decoder joins a proper pair into one character, so only
# a lone one is left in the result as a surrogate.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise ValueError("duplicate key")
    return result


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not allowed")


_decoder = json.JSONDecoder(object_pairs_hook=_no_duplicates, parse_constant=_no_constants)
_scalar_decoder = json.JSONDecoder(parse_constant=_no_constants)  # built once, not per value


# The C scanner that json.JSONDecoder.decode runs, without its wrapping (typeshed omits it).
_scan = _decoder.scan_once  # type: ignore[attr-defined]


def loads(text: str) -> Any:
    """Parse text strictly; raises ValueError for anything a bundle may not contain."""
    try:
        # Nearly always one value from the first character to the last (a bundle line): the
        # scanner reads it directly. Anything else (surrounding whitespace, more after it,
        # malformed) goes through decode, which reads it or raises the error it always did.
        try:
            value, end = _scan(text, 0)
        except StopIteration:
            end = -1
        if end != len(text):
            value = _decoder.decode(text)
        return _no_lone_surrogate(text, value)
    except RecursionError:
        raise ValueError("nested too deeply") from None


def loads_line(line: bytes) -> Any:
    """Parse one bundle line strictly, as `loads` does (raising UnicodeDecodeError for bytes
    that are not UTF-8, ValueError for the rest).

    A line exactly as coachdesk writes it (compact, keys in the writer's order, nothing twice)
    is read by orjson, several times faster, and accepted only when writing it back gives the
    very same bytes: a repeated key, a number orjson reads differently or any other spelling
    fails that test and goes to the strict reader, which accepts or refuses it with its own
    words. orjson itself refuses NaN, Infinity, lone surrogates and invalid UTF-8."""
    try:
        value = orjson.loads(line)
        if orjson.dumps(value) == line:
            return value
    except (orjson.JSONDecodeError, orjson.JSONEncodeError):
        pass
    return loads(line.decode("utf-8"))


def loads_scalar_friendly(text: str) -> Any:
    """Parse a change value: strict, but without the per-object hook when there is no object."""
    if "{" not in text:
        try:
            return _no_lone_surrogate(text, _scalar_decoder.decode(text))
        except RecursionError:
            raise ValueError("nested too deeply") from None
    return loads(text)


def _no_lone_surrogate(text: str, value: Any) -> Any:
    if _SURROGATE_ESCAPE.search(text) is None:
        return value  # nearly always: no surrogate was written at all
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("it holds text that is not valid Unicode (a lone surrogate)") from None
    return value


def dumps(value: Any) -> str:
    """Compact, key-sorted JSON (the form bundles are written in)."""
    return json.dumps(
        value, ensure_ascii=False, allow_nan=False, sort_keys=True, separators=(",", ":")
    )
