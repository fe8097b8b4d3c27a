"""How much one change may carry: one set of numbers for what the app saves and what a bundle
reader accepts (THREATS.md, oversized input).

A bundle holds one change per line, and its reader refuses a line longer than
CHANGE_LINE_BYTES (coachdesk/sync/payload.py). So the app never saves a value whose change line
could pass that: a value may take up to VALUE_BYTES once it is written into a line, which
leaves LINE_MARGIN for the rest of the line (ids, clock, device, the changes it supersedes).
Before this, a coach could save a 1.99-million-character answer that then made every later
bundle from that laptop fail.
"""

from __future__ import annotations

import json

# 2 MiB: a pasted document of a million plain characters still saves and travels. Bundles of
# data format 4 are read only by 0.3.0 and newer, which read lines of this length.
CHANGE_LINE_BYTES = 2 * 1024 * 1024
LINE_MARGIN = 64 * 1024  # the line around a value: keys, ids, clock and up to 1,000 superseded ids
VALUE_BYTES = CHANGE_LINE_BYTES - LINE_MARGIN


def carried_bytes(column_text: str) -> int:
    """The bytes a text column's value takes in a bundle line: as the change log stores it
    (JSON) and as the line quotes that (JSON again), in UTF-8. Quotes, backslashes and line
    breaks count twice over, which is why the limit is in bytes, not characters."""
    logged = json.dumps(column_text, ensure_ascii=False, allow_nan=False)
    return len(json.dumps(logged, ensure_ascii=False).encode("utf-8"))
