"""Finding one record a service is about to change, or saying plainly that it is not there."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from coachdesk.core.errors import NotFound


def live_record(session: Session, model: type, record_id: str, what: str) -> Any:
    """The record with this id, unless it is missing or deleted (NotFound names `what`)."""
    found = session.get(model, record_id)
    if found is None or found.deleted_at is not None:
        raise NotFound(f"There is no {what} with id {record_id}.")
    return found
