"""A strict JSON reader for bundle contents: no NaN or Infinity, no duplicate keys, no deep nesting.

Python's json module accepts all three by default; a bundle must not.
"""

from __future__ import annotations

import json
from typing import Any


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise ValueError("duplicate key")
    return result


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not allowed")


_decoder = json.JSONDecoder(object_pairs_hook=_no_duplicates, parse_constant=_no_constants)


def loads(text: str) -> Any:
    """Parse text strictly; raises ValueError for anything a bundle may not contain."""
    try:
        return _decoder.decode(text)
    except RecursionError:
        raise ValueError("nested too deeply") from None


def loads_scalar_friendly(text: str) -> Any:
    """Parse a change value: strict, but without the per-object hook when there is no object."""
    if "{" not in text:
        try:
            return json.loads(text, parse_constant=_no_constants)
        except RecursionError:
            raise ValueError("nested too deeply") from None
    return loads(text)


def dumps(value: Any) -> str:
    """Compact, key-sorted JSON (the form bundles are written in)."""
    return json.dumps(
        value, ensure_ascii=False, allow_nan=False, sort_keys=True, separators=(",", ":")
    )
