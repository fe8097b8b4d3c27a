"""Indicator progress: the status of a DII or benchmark on a date, from plain data.

An indicator has a target for a school year: a baseline, an annual target and early, mid-year
and end-of-year checkpoints, each with a window and optionally a goal. Measurements arrive over
the year. `indicator_status` says where the indicator stands on a given day:

- *met* / *not met*: a final (annual) result exists and reaches, or misses, the target;
- *no data*: a checkpoint window has opened and has no measurement yet;
- *on track* / *at risk*: the latest measurement reaches, or lags, the checkpoint's goal, or
  when the checkpoint has no goal, the straight line from baseline to target at the date it was
  measured (respecting the direction; yes/no and stage indicators use membership of the
  target set instead);
- *pending*: nothing is due yet (no window has opened and nothing was measured).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypeGuard

from coachdesk.core.tracking_rules.dates import JULY_FIRST, MonthDay, parse_school_year, short_day
from coachdesk.core.tracking_rules.dates import school_year_bounds as _bounds

Value = float | int | str | bool


class Origin(StrEnum):
    ASSIGNED = "assigned"
    SELECTED = "selected"
    LOCAL = "local"
    BENCHMARK = "benchmark"


class ValueType(StrEnum):
    PERCENT = "percent"
    SCALE = "scale"
    RATE = "rate"
    COUNT = "count"
    INDEX = "index"
    BOOLEAN = "boolean"  # yes / no
    STAGE = "stage"  # DTSDE stage 1-4, NNPS stage
    GRADE = "grade"


class Direction(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"
    IN_SET = "in_set"


class CheckpointName(StrEnum):
    EARLY = "early"
    MID = "mid"
    EOY = "eoy"


class Status(StrEnum):
    MET = "met"
    NOT_MET = "not met"
    ON_TRACK = "on track"
    AT_RISK = "at risk"
    NO_DATA = "no data"
    PENDING = "pending"


_NUMERIC = {
    ValueType.PERCENT,
    ValueType.SCALE,
    ValueType.RATE,
    ValueType.COUNT,
    ValueType.INDEX,
}
_SET_ONLY = {ValueType.BOOLEAN, ValueType.STAGE}


def set_member(value: Value) -> str:
    """The form of a value compared against a target set: yes/no, "3", "stage 3"."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip().lower()


@dataclass(frozen=True)
class Indicator:
    """A DII (NY), a benchmark (MA) or a local measure, for one subgroup."""

    id: str
    code: str
    name: str
    origin: Origin
    value_type: ValueType
    direction: Direction
    subgroup: str = "All"
    # The values that count as reaching the target when direction is in_set ("yes"; "2","3","4").
    target_set: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if self.value_type in _SET_ONLY and self.direction is not Direction.IN_SET:
            raise ValueError(
                f"Indicator {self.code}: a {self.value_type} indicator is measured against a set"
                " of values, so its direction must be in_set."
            )
        if self.value_type in _NUMERIC and self.direction is Direction.IN_SET:
            raise ValueError(
                f"Indicator {self.code}: a {self.value_type} indicator needs direction higher"
                " or lower."
            )
        if self.direction is Direction.IN_SET and not self.target_set:
            raise ValueError(f"Indicator {self.code}: list the values that meet the target.")
        object.__setattr__(self, "target_set", frozenset(set_member(v) for v in self.target_set))


@dataclass(frozen=True)
class Window:
    """A span of days, both ends included."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"A window cannot end ({self.end}) before it starts ({self.start}).")

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Checkpoint:
    """An early, mid-year or end-of-year progress point with its data window and goal."""

    name: CheckpointName
    window: Window
    goal: Value | None = None


@dataclass(frozen=True)
class Target:
    """An indicator's target for one school year."""

    school_year: str  # "2026-27"
    annual_target: Value | None  # None for in_set indicators, whose target is the set
    baseline_value: Value | None = None
    baseline_year: str | None = None
    checkpoints: tuple[Checkpoint, ...] = ()
    year_start: MonthDay = JULY_FIRST

    def __post_init__(self) -> None:
        parse_school_year(self.school_year)  # refuses a malformed year early
        names = [c.name for c in self.checkpoints]
        if len(names) != len(set(names)):
            raise ValueError(f"Target {self.school_year}: each checkpoint may appear only once.")

    def bounds(self) -> tuple[dt.date, dt.date]:
        """The first and last day of the target's school year."""
        return _bounds(parse_school_year(self.school_year), self.year_start)

    def line_end(self) -> dt.date:
        """When the straight line reaches the annual target: the end of the EOY window, if any."""
        for checkpoint in self.checkpoints:
            if checkpoint.name is CheckpointName.EOY:
                return checkpoint.window.end
        return self.bounds()[1]

    def checkpoint(self, name: CheckpointName) -> Checkpoint | None:
        for checkpoint in self.checkpoints:
            if checkpoint.name is name:
                return checkpoint
        return None


@dataclass(frozen=True)
class Measurement:
    """One value of an indicator, at a checkpoint or in between."""

    as_of: dt.date
    value: Value
    checkpoint: CheckpointName | None = None
    n: int | None = None  # students behind the value; None when not a student count
    final: bool = False  # the official annual result


@dataclass(frozen=True)
class StatusReport:
    """An indicator's status on a day, with what it was judged against and why."""

    status: Status
    reason: str
    latest: Measurement | None = None
    expected: float | None = None  # the goal or straight-line value the latest was compared with
    open_checkpoint: CheckpointName | None = None  # the latest checkpoint whose window opened


def expected_value(target: Target, day: dt.date) -> float | None:
    """The straight-line value from baseline (at the year's start) to target (at the line's end).

    None when the target or baseline is not a number. Before the start the baseline is expected;
    after the end, the target.
    """
    if not _is_number(target.annual_target) or not _is_number(target.baseline_value):
        return None
    start, end = target.bounds()[0], target.line_end()
    span = (end - start).days
    fraction = 1.0 if span <= 0 else min(max((day - start).days / span, 0.0), 1.0)
    baseline = float(target.baseline_value)
    return baseline + (float(target.annual_target) - baseline) * fraction


def reaches(indicator: Indicator, value: Value, goal: Value | None) -> bool:
    """Whether `value` reaches `goal` in the indicator's direction (or is in its target set)."""
    if indicator.direction is Direction.IN_SET:
        return set_member(value) in indicator.target_set
    if not _is_number(value) or not _is_number(goal):
        raise ValueError(f"Indicator {indicator.code}: {value!r} cannot be compared with {goal!r}.")
    if indicator.direction is Direction.HIGHER:
        return float(value) >= float(goal)
    return float(value) <= float(goal)


def indicator_status(
    indicator: Indicator,
    target: Target,
    measurements: Iterable[Measurement],
    on: dt.date,
) -> StatusReport:
    """The status of `indicator` against `target` on day `on`, from the measurements known.

    Measurements dated after `on` are ignored, so the same data replays correctly for any day.
    """
    known = sorted((m for m in measurements if m.as_of <= on), key=lambda m: m.as_of)
    finals = [m for m in known if m.final]
    if finals:
        result = finals[-1]
        goal = None if indicator.direction is Direction.IN_SET else target.annual_target
        met = reaches(indicator, result.value, goal)
        return StatusReport(
            Status.MET if met else Status.NOT_MET,
            f"The annual result {_show(result.value)} {'meets' if met else 'misses'} the target"
            f" {_show_target(indicator, target)}.",
            latest=result,
            expected=_as_float(goal),
        )

    opened = [c for c in target.checkpoints if c.window.start <= on]
    current = max(opened, key=lambda c: c.window.start) if opened else None
    latest = known[-1] if known else None
    if current is not None and not any(_belongs(m, current) for m in known):
        return StatusReport(
            Status.NO_DATA,
            f"The {current.name.value} checkpoint window opened on"
            f" {short_day(current.window.start)} and has no measurement yet.",
            latest=latest,
            open_checkpoint=current.name,
        )
    if latest is None:
        return StatusReport(Status.PENDING, "No checkpoint window has opened yet.")

    if indicator.direction is Direction.IN_SET:
        inside = reaches(indicator, latest.value, None)
        return StatusReport(
            Status.ON_TRACK if inside else Status.AT_RISK,
            f"The latest value {_show(latest.value)} is {'' if inside else 'not '}one of"
            f" {_show_target(indicator, target)}.",
            latest=latest,
            open_checkpoint=current.name if current else None,
        )

    goal, basis = _goal_for(target, latest)
    if goal is None:
        raise ValueError(
            f"Indicator {indicator.code}: the target for {target.school_year} has no numeric"
            " annual target to track against."
        )
    ahead = reaches(indicator, latest.value, goal)
    return StatusReport(
        Status.ON_TRACK if ahead else Status.AT_RISK,
        f"The latest value {_show(latest.value)} on {short_day(latest.as_of)}"
        f" {'reaches' if ahead else 'lags'} {basis} of {_show(round(goal, 2))}.",
        latest=latest,
        expected=goal,
        open_checkpoint=current.name if current else None,
    )


def _goal_for(target: Target, latest: Measurement) -> tuple[float | None, str]:
    # A goal the coach set for the checkpoint wins over the straight line (DOMAIN.md: the SSP
    # helps set early, mid-year and end-of-year goals tied to the target).
    named = target.checkpoint(latest.checkpoint) if latest.checkpoint else None
    if named is None:
        named = next((c for c in target.checkpoints if c.window.contains(latest.as_of)), None)
    if named is not None and _is_number(named.goal):
        return float(named.goal), f"the {named.name.value} goal"
    line = expected_value(target, latest.as_of)
    if line is not None:
        return line, "the straight line from baseline to target"
    if _is_number(target.annual_target):
        return float(target.annual_target), "the annual target (no baseline)"
    return None, ""


def _belongs(measurement: Measurement, checkpoint: Checkpoint) -> bool:
    if measurement.checkpoint is not None:
        return measurement.checkpoint is checkpoint.name
    return checkpoint.window.contains(measurement.as_of)


def _is_number(value: object) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _as_float(value: Value | None) -> float | None:
    return float(value) if _is_number(value) else None


def _show(value: Value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _show_target(indicator: Indicator, target: Target) -> str:
    if indicator.direction is Direction.IN_SET:
        return "{" + ", ".join(sorted(indicator.target_set)) + "}"
    comparison = "at least" if indicator.direction is Direction.HIGHER else "at most"
    if target.annual_target is None:
        raise ValueError(f"The target for {target.school_year} has no annual target to show.")
    return f"{comparison} {_show(target.annual_target)}"
