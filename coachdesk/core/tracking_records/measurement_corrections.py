"""Correcting a measurement: edit one, delete one, and read its history.

A correction is an ordinary edit: the change log keeps every earlier value of every field with
the clock reading and the device that wrote it (coachdesk/core/store/changelog.py), so
`measurement_history` reads the versions from there; nothing is overwritten for good. A deletion
is a tombstone (`deleted_at`), which travels in bundles like any edit; the status and due rules
read only measurements without one.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from coachdesk.core.changes import ChangeSummary
from coachdesk.core.dates_text import medium_date
from coachdesk.core.errors import NotFound, RefusedInput
from coachdesk.core.records import set_deleted
from coachdesk.core.store.profile import Profile
from coachdesk.core.tracking_records.indicators import parse_value, show_value
from coachdesk.core.tracking_rules import CheckpointName

_NO_MEASUREMENT = "There is no measurement with that id."

_KEEP = object()
HISTORY_FIELDS = ("value", "as_of", "checkpoint", "n", "final", "deleted_at")


@dataclass(frozen=True)
class MeasurementRow:
    id: str
    indicator_id: str
    as_of: dt.date
    value: float | str
    checkpoint: str | None
    n: int | None
    final: bool
    source: str | None
    deleted: bool = False


@dataclass(frozen=True)
class MeasurementVersion:
    """One version of a measurement: what it said after a write, who wrote it and when."""

    when: dt.datetime | None  # UTC, from the change's clock reading
    who: str  # the coach's name on this laptop, or the trusted name of the other device
    value: float | str | None
    as_of: dt.date | None
    checkpoint: str | None
    n: int | None
    final: bool
    deleted: bool
    changed: tuple[str, ...]  # the fields this write changed

    def sentence(self) -> str:
        when = medium_date(self.when.date()) if self.when else "at an unknown time"
        if self.deleted:
            return f"Deleted on {when} by {self.who}."
        what = "Recorded" if "indicator_id" in self.changed else "Corrected"
        value = show_value(self.value) if self.value is not None else "no value"
        day = f" as of {medium_date(self.as_of)}" if self.as_of else ""
        return f"{what} on {when} by {self.who}: {value}{day}."


def list_measurements(
    profile: Profile, indicator_id: str, *, deleted: bool = False
) -> list[MeasurementRow]:
    """An indicator's measurements, oldest first (with deleted ones when asked)."""
    rows = (
        profile.quick_connection()
        .execute(
            "SELECT id, indicator_id, as_of, value, checkpoint, n, final, source, deleted_at "
            "FROM measurement WHERE indicator_id = ? AND (? OR deleted_at IS NULL) "
            "ORDER BY as_of, created_hlc",
            (indicator_id, int(deleted)),
        )
        .fetchall()
    )
    return [_row(r) for r in rows]


def get_measurement(profile: Profile, measurement_id: str) -> MeasurementRow:
    row = (
        profile.quick_connection()
        .execute(
            "SELECT id, indicator_id, as_of, value, checkpoint, n, final, source, deleted_at "
            "FROM measurement WHERE id = ?",
            (measurement_id,),
        )
        .fetchone()
    )
    if row is None:
        raise NotFound(_NO_MEASUREMENT)
    return _row(row)


def _row(r) -> MeasurementRow:
    return MeasurementRow(
        id=r[0],
        indicator_id=r[1],
        as_of=dt.date.fromisoformat(str(r[2])[:10]),
        value=json.loads(r[3]),
        checkpoint=r[4],
        n=r[5],
        final=bool(r[6]),
        source=r[7],
        deleted=r[8] is not None,
    )


def edit_measurement(
    profile: Profile,
    measurement_id: str,
    *,
    value: float | str | None = None,
    as_of: dt.date | None = None,
    checkpoint: str | None | object = _KEEP,
    n: int | None | object = _KEEP,
    final: bool | None = None,
    today: dt.date | None = None,
) -> ChangeSummary:
    """Correct the fields given of one measurement; the earlier values stay in its history.

    `checkpoint` and `n` may be set to None to clear them; left out, they are kept.
    """
    from coachdesk.core.store.tracking_tables import Indicator, Measurement

    if checkpoint is not _KEEP and checkpoint is not None:
        if checkpoint not in {c.value for c in CheckpointName}:
            raise RefusedInput(f"“{checkpoint}” is not a checkpoint; use early, mid or eoy.")
    if n is not _KEEP and n is not None:
        if not isinstance(n, int) or isinstance(n, bool) or n < 0:
            raise RefusedInput("The number of students is a whole number, 0 or more.")
    if as_of is not None and as_of > (today or dt.date.today()) + dt.timedelta(days=1):
        raise RefusedInput(
            f"A measurement cannot be dated in the future ({medium_date(as_of)}); give the day it"
            " was measured."
        )
    with profile.writing() as write:
        measurement = write.session.get(Measurement, measurement_id)
        if measurement is None or measurement.deleted_at is not None:
            raise NotFound("That measurement no longer exists; it may have been deleted.")
        fields: dict[str, object] = {}
        if value is not None:
            indicator = write.session.get(Indicator, measurement.indicator_id)
            if indicator is None:
                raise NotFound("That measurement's indicator no longer exists.")
            allowed = tuple(json.loads(indicator.target_set or "[]"))
            fields["value"] = json.dumps(parse_value(indicator.value_type, str(value), allowed))
        if as_of is not None:
            fields["as_of"] = as_of
        if checkpoint is not _KEEP:
            fields["checkpoint"] = checkpoint
        if n is not _KEEP:
            fields["n"] = n
        if final is not None:
            fields["final"] = final
        if not fields:
            raise RefusedInput("Say what to correct: the value, the date, the checkpoint or n.")
        for name, new in fields.items():
            if getattr(measurement, name) != new:
                setattr(measurement, name, new)
    return write.changes


def delete_measurement(profile: Profile, measurement_id: str) -> ChangeSummary:
    """Delete a measurement: a tombstone, so the deletion syncs and the history stays."""
    from coachdesk.core.store.tracking_tables import Measurement

    return set_deleted(profile, Measurement, measurement_id, deleted=True, missing=_NO_MEASUREMENT)


def restore_measurement(profile: Profile, measurement_id: str) -> ChangeSummary:
    """Undo a deletion."""
    from coachdesk.core.store.tracking_tables import Measurement

    return set_deleted(profile, Measurement, measurement_id, deleted=False, missing=_NO_MEASUREMENT)


def measurement_history(profile: Profile, measurement_id: str) -> list[MeasurementVersion]:
    """Every version of a measurement, oldest first: the value after each write, who and when.

    Read from the change log, so corrections made on another laptop and received in a bundle
    appear with that laptop's trusted name.
    """
    from sqlalchemy import select

    from coachdesk.core.clock import HLC
    from coachdesk.core.store.schema import Change

    with profile.reading() as session:
        rows = session.execute(
            select(Change.hlc, Change.device_id, Change.field, Change.value)
            .where(Change.record_type == "measurement", Change.record_id == measurement_id)
            .order_by(Change.hlc, Change.field)
        ).all()
        if not rows:
            raise NotFound(_NO_MEASUREMENT)
        names = _device_names(session)
    versions: list[MeasurementVersion] = []
    state: dict[str, object] = {}
    for hlc in dict.fromkeys(r.hlc for r in rows):
        batch = [r for r in rows if r.hlc == hlc]
        for r in batch:
            state[r.field] = json.loads(r.value)
        try:
            reading = HLC.parse(hlc)
            when: dt.datetime | None = dt.datetime.fromtimestamp(reading.wall_ms / 1000, dt.UTC)
        except (ValueError, OverflowError, OSError):
            when = None
        stored = state.get("value")
        as_of = state.get("as_of")
        n = state.get("n")
        checkpoint = state.get("checkpoint")
        versions.append(
            MeasurementVersion(
                when=when,
                who=names.get(batch[0].device_id, "another laptop"),
                value=json.loads(stored) if isinstance(stored, str) else None,
                as_of=dt.date.fromisoformat(as_of[:10]) if isinstance(as_of, str) else None,
                checkpoint=checkpoint if isinstance(checkpoint, str) else None,
                n=n if isinstance(n, int) else None,
                final=bool(state.get("final")),
                deleted=state.get("deleted_at") is not None,
                changed=tuple(r.field for r in batch),
            )
        )
    return versions


def _device_names(session) -> dict[str, str]:
    """Who wrote on each device: the coach's name here, the trusted name of the others."""
    from sqlalchemy import select

    from coachdesk.core.store.schema import Coach, ProfileFact, ThisDevice
    from coachdesk.core.store.sync_tables import TrustedKey

    names = {k.device_id: k.name for k in session.execute(select(TrustedKey)).scalars()}
    fact = session.get(ProfileFact, "coach_id")
    coach = session.get(Coach, fact.value) if fact else None
    for device in session.execute(select(ThisDevice)).scalars():
        names[device.device_id] = f"{coach.name} (this laptop)" if coach else "this laptop"
    return names
