"""This laptop's signing counter: one number per signature it makes on bundles and segments.

Signer-chosen times cannot prove "signed before", so a key change names the last counter value
the old key used; a receiver then refuses anything the old key signs with a higher one
(THREATS.md, key theft after rotation). The counter only goes up: it is the larger of the stored
value and every segment of this device the profile holds (a profile restored from an older
backup learns its later segments back as they return from other laptops).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from coachdesk.core.store.schema import ProfileFact
from coachdesk.core.store.sync_tables import SignedSegment

_FACT = "signing_counter"


def last_signed(session: Any, device_id: str) -> int:
    """The highest counter value this device has signed with (0 before its first)."""
    fact = session.get(ProfileFact, _FACT)
    stored = int(fact.value) if fact is not None else 0
    segments = session.execute(
        select(func.max(SignedSegment.seq)).where(SignedSegment.device_id == device_id)
    ).scalar()
    return max(stored, segments or 0)


def take_next(session: Any, device_id: str) -> int:
    """The next counter value, recorded as used (inside the caller's writing transaction)."""
    value = last_signed(session, device_id) + 1
    fact = session.get(ProfileFact, _FACT)
    if fact is None:
        session.add(ProfileFact(key=_FACT, value=str(value)))
    else:
        fact.value = str(value)
    session.flush()
    return value
