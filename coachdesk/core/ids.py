"""Record identifiers: UUIDv7 text ids, sortable by creation time, unique across devices."""

from __future__ import annotations

import hashlib
import os
import re
import time
import uuid

# A record or change id as coachdesk writes it: a UUID in canonical form, lowercase. Bundles must
# carry ids exactly so (a strict check, unlike is_uuid, which also takes capitals).
UUID_TEXT = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")


def _uuid7_from(unix_ms: int, rand: bytes) -> str:
    # RFC 9562 layout: 48-bit milliseconds, version 7, 12 random bits, variant 10, 62 random bits.
    rand_a = int.from_bytes(rand[:2], "big") & 0x0FFF
    rand_b = int.from_bytes(rand[2:10], "big") & 0x3FFF_FFFF_FFFF_FFFF
    value = (unix_ms & 0xFFFF_FFFF_FFFF) << 80 | 0x7 << 76 | rand_a << 64 | 0b10 << 62 | rand_b
    return str(uuid.UUID(int=value))


def new_id() -> str:
    """A fresh UUIDv7 for a new record or change."""
    return _uuid7_from(time.time_ns() // 1_000_000, os.urandom(10))


def stable_id(key: str, *, unix_ms: int = 1_767_225_600_000) -> str:
    """A UUIDv7 derived from a key, the same on every machine (used by the demo caseload).

    Loading the demo twice must not create a second copy of anything, so its records get ids
    that depend only on their names.
    """
    return _uuid7_from(unix_ms, hashlib.sha256(key.encode("utf-8")).digest())


def is_uuid(text: str) -> bool:
    """True when text is a UUID in its canonical form."""
    try:
        return str(uuid.UUID(text)) == text.lower()
    except (ValueError, AttributeError, TypeError):
        return False
