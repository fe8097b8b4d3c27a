"""A school's indicators with their status, recording a measurement, and the caseload summary per
program (schools on track, at risk, without data).

Values are checked against the indicator's type before anything is written: a number for
percent, scale, rate, count and index; yes or no; a stage from the target set or 1 to 4.
Values from fewer students than the small-cell threshold are marked suppressed for display.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass

from coachdesk.core.changes import ChangeSummary
from coachdesk.core.dates_text import medium_date
from coachdesk.core.errors import RefusedInput
from coachdesk.core.programs import programs
from coachdesk.core.store.profile import Profile
from coachdesk.core.tracking_records.facts_query import read_indicators, school_year_on
from coachdesk.core.tracking_rules import (
    CheckpointName,
    Status,
    ValueType,
    indicator_status,
    must_suppress,
    shipped_rules,
)

NUMERIC = {"percent", "scale", "rate", "count", "index"}
STAGES = ("1", "2", "3", "4")
TYPE_WORDS = {
    "percent": "a percentage",
    "scale": "a score",
    "rate": "a rate",
    "count": "a count",
    "index": "an index",
    "boolean": "yes or no",
    "stage": "a stage",
    "grade": "a grade",
}


@dataclass(frozen=True)
class MeasurementView:
    as_of: dt.date
    value: float | str
    checkpoint: str | None
    n: int | None
    suppressed: bool  # fewer students than the threshold: show "n<10", never the value

    def shown(self) -> str:
        if self.suppressed:
            return "suppressed (small group)"
        return show_value(self.value)


@dataclass(frozen=True)
class CheckpointView:
    name: str  # early | mid | eoy
    starts: dt.date
    ends: dt.date
    goal: float | str | None


@dataclass(frozen=True)
class IndicatorView:
    """One indicator of a school as the progress card shows it."""

    id: str
    school_id: str
    code: str
    name: str
    subgroup: str
    origin: str
    value_type: str
    direction: str
    target_set: tuple[str, ...]
    baseline: float | str | None
    annual_target: float | str | None
    checkpoints: tuple[CheckpointView, ...]
    measurements: tuple[MeasurementView, ...]
    status: str  # met | not met | on track | at risk | no data | pending | no target
    reason: str

    def target_text(self) -> str:
        if self.direction == "in_set":
            return " or ".join(self.target_set)
        if self.annual_target is None:
            return "no target"
        word = "≥" if self.direction == "higher" else "≤"
        return f"{word} {show_value(self.annual_target)}"

    def latest(self) -> MeasurementView | None:
        return self.measurements[-1] if self.measurements else None


def show_value(value: object) -> str:
    """A value as a coach writes it: 42, 41.5, yes, 3."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def school_indicators(profile: Profile, school_id: str, on: dt.date) -> list[IndicatorView]:
    """The school's indicators with this year's target, measurements and status on `on`."""
    year = school_year_on(on)
    threshold = shipped_rules().common.small_cell_threshold
    found = []
    for fact in read_indicators(profile, year, {school_id}):
        ind, target = fact.indicator, fact.target
        if target is None:
            status, reason = "no target", f"No target is set for {year}."
        else:
            try:
                report = indicator_status(ind, target, fact.measurements, on)
                status, reason = report.status.value, report.reason
            except ValueError as exc:
                status, reason = "no target", str(exc)
        found.append(
            IndicatorView(
                id=ind.id,
                school_id=school_id,
                code=ind.code,
                name=ind.name,
                subgroup=ind.subgroup,
                origin=ind.origin.value,
                value_type=ind.value_type.value,
                direction=ind.direction.value,
                target_set=tuple(sorted(ind.target_set)),
                baseline=target.baseline_value if target else None,
                annual_target=target.annual_target if target else None,
                checkpoints=tuple(
                    CheckpointView(c.name.value, c.window.start, c.window.end, c.goal)
                    for c in (target.checkpoints if target else ())
                ),
                measurements=tuple(
                    MeasurementView(
                        m.as_of,
                        m.value,
                        m.checkpoint.value if m.checkpoint else None,
                        m.n,
                        must_suppress(m.n, threshold),
                    )
                    for m in sorted(fact.measurements, key=lambda m: m.as_of)
                    if m.as_of <= on
                ),
                status=status,
                reason=reason,
            )
        )
    return found


def parse_value(value_type: str, text: str, target_set: tuple[str, ...] = ()) -> float | str:
    """A measurement's value from what the coach typed; RefusedInput says why it is refused."""
    raw = str(text).strip()
    words = TYPE_WORDS.get(value_type, "a value")
    if not raw:
        raise RefusedInput(f"Enter a value: this indicator is measured as {words}.")
    if value_type in NUMERIC:
        try:
            number = float(raw.rstrip("%").replace(",", ""))
        except ValueError:
            raise RefusedInput(f"“{raw}” is not a number; this indicator needs {words}.") from None
        if number != number or number in (float("inf"), float("-inf")):
            raise RefusedInput(f"“{raw}” is not a number; this indicator needs {words}.")
        if value_type == "percent" and not 0 <= number <= 100:
            raise RefusedInput(f"A percentage must be between 0 and 100, not {raw}.")
        if value_type in ("count", "rate") and number < 0:
            raise RefusedInput(f"{words.capitalize()} cannot be negative ({raw}).")
        if value_type == "count" and not number.is_integer():
            raise RefusedInput(f"A count is a whole number, not {raw}.")
        return number
    if value_type == "boolean":
        low = raw.lower()
        if low in ("yes", "y", "true", "1"):
            return "yes"
        if low in ("no", "n", "false", "0"):
            return "no"
        raise RefusedInput(f"Answer yes or no, not “{raw}”.")
    if value_type == "stage":
        low = raw.lower().removeprefix("stage").strip()
        allowed = tuple(dict.fromkeys((*STAGES, *target_set)))
        if low not in allowed:
            raise RefusedInput(f"“{raw}” is not a stage; choose one of {', '.join(allowed)}.")
        return low
    return raw


def record_measurement(
    profile: Profile,
    indicator_id: str,
    *,
    as_of: dt.date,
    value: str | float,
    checkpoint: str | None = None,
    n: int | None = None,
    final: bool = False,
    source: str | None = None,
) -> ChangeSummary:
    """Add a measurement after checking the value against the indicator's type."""
    from coachdesk.core.store.tracking_tables import Indicator, Measurement

    if checkpoint is not None and checkpoint not in {c.value for c in CheckpointName}:
        raise RefusedInput(f"“{checkpoint}” is not a checkpoint; use early, mid or eoy.")
    if n is not None and n < 0:
        raise RefusedInput("The number of students cannot be negative.")
    if as_of > dt.date.today() + dt.timedelta(days=1):
        raise RefusedInput(
            f"A measurement cannot be dated in the future ({medium_date(as_of)}); give the day it"
            " was measured."
        )
    with profile.writing() as write:
        indicator = write.session.get(Indicator, indicator_id)
        if indicator is None or indicator.deleted_at is not None:
            raise RefusedInput("That indicator no longer exists; it may have been removed.")
        allowed = tuple(json.loads(indicator.target_set or "[]"))
        parsed = parse_value(indicator.value_type, str(value), allowed)
        write.session.add(
            Measurement(
                indicator_id=indicator_id,
                as_of=as_of,
                value=json.dumps(parsed),
                checkpoint=checkpoint,
                n=n,
                final=final,
                source=source,
            )
        )
    return write.changes


@dataclass(frozen=True)
class ProgramSummary:
    """How a program's schools stand: each school counted once, by its weakest indicator."""

    program_code: str
    program_name: str
    on_track: int
    at_risk: int
    no_data: int
    no_indicators: int

    @property
    def total(self) -> int:
        return self.on_track + self.at_risk + self.no_data + self.no_indicators


_WORST = {
    Status.AT_RISK.value: 0,
    Status.NOT_MET.value: 0,
    Status.NO_DATA.value: 1,
    "no target": 1,
    Status.PENDING.value: 2,
    Status.ON_TRACK.value: 2,
    Status.MET.value: 2,
}


def program_summaries(profile: Profile, on: dt.date) -> list[ProgramSummary]:
    """Per program on the caseload: schools on track, at risk, with no data, without indicators."""
    from coachdesk.core.tracking_records.facts_query import read_facts

    facts, _names = read_facts(profile, on)
    return summaries_from_facts(facts, on)


def summaries_from_facts(facts, on: dt.date) -> list[ProgramSummary]:
    """The program summaries from facts already read (the Today view reads them once)."""
    worst: dict[str, int] = {}
    for fact in facts.indicators:
        if fact.target is None:
            rank = 1
        else:
            try:
                status = indicator_status(fact.indicator, fact.target, fact.measurements, on)
                rank = _WORST[status.status.value]
            except ValueError:
                rank = 1
        worst[fact.school_id] = min(worst.get(fact.school_id, 9), rank)
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for school in facts.schools:
        if school.kind == "district":
            continue
        slot = {None: 3, 0: 1, 1: 2, 2: 0}[worst.get(school.id)]
        counts[school.program][slot] += 1
    known = programs()
    return [
        ProgramSummary(code, known[code].name if code in known else code, *counts[code])
        for code in sorted(counts)
    ]


def is_numeric(value_type: str) -> bool:
    """Whether an indicator of this type is charted as a line of numbers."""
    return ValueType(value_type).value in NUMERIC
