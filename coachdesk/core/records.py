"""Finding one record a service is about to change, or saying plainly that it is not there;
deleting one as a tombstone, and bringing it back."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from coachdesk.core.errors import NotFound

if TYPE_CHECKING:
    from coachdesk.core.changes import ChangeSummary
    from coachdesk.core.store.profile import Profile


def live_record(session: Session, model: type, record_id: str, what: str) -> Any:
    """The record with this id, unless it is missing or deleted (NotFound names `what`)."""
    found = session.get(model, record_id)
    if found is None or found.deleted_at is not None:
        raise NotFound(f"There is no {what} with id {record_id}.")
    return found


def stamp_now() -> str:
    """Now, as a record's time stamps hold it (`deleted_at`, `finalized_at`): UTC, to the second."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def set_deleted(
    profile: Profile, model: type, record_id: str, *, deleted: bool, missing: str
) -> ChangeSummary:
    """Delete a record as a tombstone (the deletion syncs, its history stays), or bring it back.

    Doing what is already done changes nothing; an unknown id is NotFound with `missing`.
    """
    with profile.writing() as write:
        record = write.session.get(model, record_id)
        if record is None:
            raise NotFound(missing)
        if deleted and record.deleted_at is None:
            record.deleted_at = stamp_now()
        elif not deleted and record.deleted_at is not None:
            record.deleted_at = None
    return write.changes
