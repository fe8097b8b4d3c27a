"""An indicator's target for a school year, set by the coach, and next year's copied from this.

A target is a baseline (value and year), an annual target and up to three checkpoints (early,
mid-year, end of year), each with the window its data comes from and, optionally, a goal.

What is refused, and what is only said (decided for a coach who types fast but knows their
school):

- refused: a value the indicator cannot hold (a percent of 140, "maybe" for yes/no), a
  baseline year after the target's year, a window that ends before it starts, a window that
  starts outside the school year (1 July to 30 June) or ends more than three months after it
  (state results arrive over the summer), checkpoints out of order (mid before early);
- saved and said in a note: an annual target or checkpoint goal on the wrong side of the
  baseline (lower when higher is better): a school coming back from an unusual year may
  rightly aim below its baseline, but a slip of the finger is more likely, so the coach sees it.

A yes/no or stage indicator is met by a set of values, so its annual target sets that set:
"yes", or stage 3 with higher is better meaning stages 3 and 4.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from coachdesk.core.changes import ChangeSummary
from coachdesk.core.dates_text import medium_date
from coachdesk.core.errors import NotFound, RefusedInput
from coachdesk.core.school_year import label, parse
from coachdesk.core.store.profile import Profile
from coachdesk.core.tracking_records.indicator_setup import (
    STAGES,
    direction_of,
    shown_type,
)
from coachdesk.core.tracking_records.indicators import parse_value, show_value
from coachdesk.core.tracking_records.plan_activities import read_date

CHECKPOINTS = ("early", "mid", "eoy")
CHECKPOINT_WORDS = {"early": "early", "mid": "mid-year", "eoy": "end-of-year"}
SUMMER_DAYS = 92  # an end-of-year window may run this far past 30 June


@dataclass(frozen=True)
class CheckpointInput:
    """A checkpoint as typed: its window (dates or text such as 2026-09-15) and its goal."""

    starts: dt.date | str | None = None
    ends: dt.date | str | None = None
    goal: float | str | None = None


@dataclass(frozen=True)
class TargetView:
    id: str
    indicator_id: str
    school_year: str
    baseline: float | str | None
    baseline_year: str | None
    annual_target: float | str | None
    checkpoints: tuple[tuple[str, dt.date, dt.date, float | str | None], ...]

    def line(self) -> str:
        """ "2026-27: baseline 38 (2025-26), target 46; early Sep 15-Oct 30 goal 41"."""
        parts = [f"{self.school_year}:"]
        if self.baseline is not None:
            year = f" ({self.baseline_year})" if self.baseline_year else ""
            parts.append(f"baseline {show_value(self.baseline)}{year},")
        target = "none" if self.annual_target is None else show_value(self.annual_target)
        parts.append(f"target {target}")
        for name, starts, ends, goal in self.checkpoints:
            aim = f" goal {show_value(goal)}" if goal is not None else ""
            parts.append(
                f"; {CHECKPOINT_WORDS[name]} {medium_date(starts)} to {medium_date(ends)}{aim}"
            )
        return " ".join(parts).replace(" ;", ";")


@dataclass(frozen=True)
class TargetSaved:
    """A target written, with the notes a coach should read (allowed but worth a look)."""

    id: str
    changes: ChangeSummary
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class TargetsCopied:
    copied: tuple[str, ...]  # the new targets' ids
    skipped: tuple[str, ...] = ()  # a sentence per indicator left as it was
    changes: ChangeSummary = field(default_factory=ChangeSummary)


def check_year(text: str | None, *, what: str = "The school year") -> str:
    try:
        return label(parse(str(text or "")))
    except ValueError:
        raise RefusedInput(
            f"{what} “{text}” is not a school year; write it like 2026-27."
        ) from None


def year_bounds(year: str) -> tuple[dt.date, dt.date]:
    start = parse(year)
    return dt.date(start, 7, 1), dt.date(start + 1, 6, 30)


def get_target(profile: Profile, indicator_id: str, school_year: str) -> TargetView | None:
    """The indicator's target for the year, or None when it has none."""
    row = (
        profile.quick_connection()
        .execute(
            "SELECT id, indicator_id, school_year, baseline_value, baseline_year, annual_target, "
            "checkpoints FROM indicator_target WHERE indicator_id = ? AND school_year = ? "
            "AND deleted_at IS NULL ORDER BY created_hlc LIMIT 1",
            (indicator_id, school_year),
        )
        .fetchone()
    )
    return _view(row) if row else None


def targets_of(profile: Profile, indicator_id: str) -> list[TargetView]:
    """Every year's target of an indicator, oldest year first."""
    rows = (
        profile.quick_connection()
        .execute(
            "SELECT id, indicator_id, school_year, baseline_value, baseline_year, annual_target, "
            "checkpoints FROM indicator_target WHERE indicator_id = ? AND deleted_at IS NULL "
            "ORDER BY school_year",
            (indicator_id,),
        )
        .fetchall()
    )
    return [_view(r) for r in rows]


def _view(r) -> TargetView:
    return TargetView(
        id=r[0],
        indicator_id=r[1],
        school_year=r[2],
        baseline=json.loads(r[3] or "null"),
        baseline_year=r[4],
        annual_target=json.loads(r[5] or "null"),
        checkpoints=tuple(
            (c["name"], _day(c["from"]), _day(c["to"]), c.get("goal"))
            for c in json.loads(r[6] or "[]")
        ),
    )


def set_target(
    profile: Profile,
    indicator_id: str,
    school_year: str,
    *,
    baseline: float | str | None = None,
    baseline_year: str | None = None,
    annual_target: float | str | None = None,
    checkpoints: Mapping[str, CheckpointInput] | None = None,
    clear: tuple[str, ...] = (),
) -> TargetSaved:
    """Set or change the indicator's target for a school year (only what is given changes).

    `checkpoints` names early, mid or eoy; a checkpoint given with only a goal keeps the window
    it has. `clear` removes checkpoints by name. Refused inputs change nothing.
    """
    from coachdesk.core.store.tracking_tables import Indicator, Target

    year = check_year(school_year)
    first, last = year_bounds(year)
    given = dict(checkpoints or {})
    for name in (*given, *clear):
        if name not in CHECKPOINTS:
            raise RefusedInput(f"“{name}” is not a checkpoint; use early, mid or eoy.")
    with profile.writing() as write:
        indicator = write.session.get(Indicator, indicator_id)
        if indicator is None or indicator.deleted_at is not None:
            raise NotFound("That indicator no longer exists; it may have been retired.")
        value_type = indicator.value_type
        in_set = indicator.direction == "in_set"
        better = direction_of(value_type, indicator.direction, json.loads(indicator.target_set))
        existing = _live_target(write.session, indicator.id, year)
        old = _view_of(existing) if existing else None

        def read(value: float | str | None, what: str) -> float | str | None:
            if value is None or (isinstance(value, str) and not value.strip()):
                return None
            try:
                return parse_value(value_type, str(value), _stages(value_type))
            except RefusedInput as exc:
                raise RefusedInput(f"{what}: {exc}") from None

        new_baseline = read(baseline, "The baseline")
        if new_baseline is None and old is not None:
            new_baseline = old.baseline
        new_baseline_year = (
            check_year(baseline_year, what="The baseline year")
            if baseline_year
            else (old.baseline_year if old else None)
        )
        if new_baseline_year is None and new_baseline is not None:
            new_baseline_year = label(parse(year) - 1)
        if new_baseline_year is not None and parse(new_baseline_year) > parse(year):
            raise RefusedInput(
                f"The baseline year {new_baseline_year} is after {year}; a baseline is measured "
                "before the year it is the starting point for."
            )
        new_target = read(annual_target, "The annual target")
        if new_target is None and old is not None:
            new_target = old.annual_target
        if new_target is None and not in_set:
            raise RefusedInput(
                f"Give the annual target for {year}: the {shown_type(value_type)} the school aims "
                "to reach by the end of the year."
            )
        windows = {c[0]: (c[1], c[2], c[3]) for c in (old.checkpoints if old else ())}
        for name in clear:
            windows.pop(name, None)
        for name, typed in given.items():
            word = CHECKPOINT_WORDS[name]
            before = windows.get(name)
            starts = read_date(typed.starts, what=f"The {word} window's first day")
            ends = read_date(typed.ends, what=f"The {word} window's last day")
            if starts is None and before:
                starts = before[0]
            if ends is None and before:
                ends = before[1]
            if starts is None or ends is None:
                raise RefusedInput(
                    f"Give the {word} checkpoint's window, its first and last day "
                    "(such as 2026-09-15:2026-10-30)."
                )
            goal = read(typed.goal, f"The {word} goal")
            if goal is None and before and typed.goal is None:
                goal = before[2]
            windows[name] = (starts, ends, goal)
        for name, (starts, ends, _goal) in windows.items():
            _check_window(CHECKPOINT_WORDS[name], starts, ends, year, first, last)
        ordered = [n for n in CHECKPOINTS if n in windows]
        for earlier, later in zip(ordered, ordered[1:], strict=False):
            if windows[later][0] < windows[earlier][0]:
                raise RefusedInput(
                    f"The {CHECKPOINT_WORDS[later]} window starts "
                    f"{medium_date(windows[later][0])}, before the {CHECKPOINT_WORDS[earlier]} "
                    f"one ({medium_date(windows[earlier][0])}); put them in order."
                )
        notes = _notes(better, in_set, new_baseline, new_target, windows)
        if in_set and new_target is not None:
            indicator.target_set = json.dumps(_met_by(value_type, better, new_target))
        stored = [
            {
                "name": n,
                "from": windows[n][0].isoformat(),
                "to": windows[n][1].isoformat(),
                "goal": windows[n][2],
            }
            for n in ordered
        ]
        row = existing or Target(indicator_id=indicator.id, school_year=year)
        if existing is None:
            write.session.add(row)
        fields = {
            "baseline_value": json.dumps(new_baseline),
            "baseline_year": new_baseline_year,
            "annual_target": json.dumps(new_target),
            "checkpoints": json.dumps(stored),
        }
        for name, value in fields.items():
            if getattr(row, name) != value:
                setattr(row, name, value)
        write.session.flush()
        target_id = row.id
    return TargetSaved(target_id, write.changes, notes)


def copy_targets(profile: Profile, org_id: str, from_year: str, to_year: str) -> TargetsCopied:
    """Start next year's targets of a school's indicators from this year's, to edit after.

    Windows move on by the years between; goals are copied. The baseline becomes this year's
    annual result when one is recorded (a measurement marked final), else it is copied as it
    was. An indicator that already has a target for `to_year` is left as it is and named.
    """
    from sqlalchemy import select

    from coachdesk.core.store.tracking_tables import Indicator, Measurement, Target

    source, goal_year = check_year(from_year), check_year(to_year)
    years = parse(goal_year) - parse(source)
    if years <= 0:
        raise RefusedInput(f"Copy targets forward: {goal_year} is not after {source}.")
    copied: list[Target] = []
    skipped: list[str] = []
    with profile.writing() as write:
        indicators = write.session.scalars(
            select(Indicator)
            .where(Indicator.org_id == org_id, Indicator.deleted_at.is_(None))
            .order_by(Indicator.sort_order, Indicator.code, Indicator.subgroup)
        ).all()
        if not indicators:
            raise RefusedInput("That school has no indicators yet; add one first.")
        start, end = year_bounds(source)
        for indicator in indicators:
            label_ = f"{indicator.code} ({indicator.subgroup})"
            old = _live_target(write.session, indicator.id, source)
            if old is None:
                skipped.append(f"{label_} has no target for {source}.")
                continue
            if _live_target(write.session, indicator.id, goal_year) is not None:
                skipped.append(f"{label_} already has a target for {goal_year}; left as it is.")
                continue
            result = write.session.scalars(
                select(Measurement.value)
                .where(
                    Measurement.indicator_id == indicator.id,
                    Measurement.deleted_at.is_(None),
                    Measurement.final.is_(True),
                    Measurement.as_of >= start,
                    Measurement.as_of <= end + dt.timedelta(days=SUMMER_DAYS),
                )
                .order_by(Measurement.as_of.desc())
            ).first()
            checkpoints = [
                c
                | {
                    "from": _shift(_day(c["from"]), years).isoformat(),
                    "to": _shift(_day(c["to"]), years).isoformat(),
                }
                for c in json.loads(old.checkpoints or "[]")
            ]
            target = Target(
                indicator_id=indicator.id,
                school_year=goal_year,
                baseline_value=result if result is not None else old.baseline_value,
                baseline_year=source if result is not None else old.baseline_year,
                annual_target=old.annual_target,
                checkpoints=json.dumps(checkpoints),
            )
            write.session.add(target)
            copied.append(target)
        if not copied:
            raise RefusedInput(
                f"No target was copied to {goal_year}: " + " ".join(skipped)
                if skipped
                else f"No indicator has a target for {source} to copy."
            )
        write.session.flush()
        ids = tuple(t.id for t in copied)
    return TargetsCopied(ids, tuple(skipped), write.changes)


def _live_target(session, indicator_id: str, year: str):
    from sqlalchemy import select

    from coachdesk.core.store.tracking_tables import Target

    return session.scalars(
        select(Target)
        .where(
            Target.indicator_id == indicator_id,
            Target.school_year == year,
            Target.deleted_at.is_(None),
        )
        .order_by(Target.created_hlc)
    ).first()


def _view_of(target) -> TargetView:
    return _view(
        (
            target.id,
            target.indicator_id,
            target.school_year,
            target.baseline_value,
            target.baseline_year,
            target.annual_target,
            target.checkpoints,
        )
    )


def _check_window(
    word: str, starts: dt.date, ends: dt.date, year: str, first: dt.date, last: dt.date
) -> None:
    if ends < starts:
        raise RefusedInput(
            f"The {word} window ends {medium_date(ends)}, before it starts ({medium_date(starts)})."
        )
    if not first <= starts <= last:
        raise RefusedInput(
            f"The {word} window starts {medium_date(starts)}, outside the {year} school year "
            f"({medium_date(first)} to {medium_date(last)})."
        )
    if ends > last + dt.timedelta(days=SUMMER_DAYS):
        raise RefusedInput(
            f"The {word} window ends {medium_date(ends)}, more than three months after the "
            f"{year} school year ends ({medium_date(last)})."
        )


def _notes(
    better: str,
    in_set: bool,
    baseline: float | str | None,
    target: float | str | None,
    windows: Mapping[str, tuple[dt.date, dt.date, float | str | None]],
) -> tuple[str, ...]:
    if in_set or not isinstance(baseline, float | int):
        return ()
    notes = []
    worse = "below" if better == "higher" else "above"

    def backwards(value: object) -> bool:
        if not isinstance(value, float | int):
            return False
        return value < baseline if better == "higher" else value > baseline

    if backwards(target):
        notes.append(
            f"The annual target {show_value(target)} is {worse} the baseline "
            f"{show_value(baseline)}, though {better} is better; saved as typed."
        )
    for name in CHECKPOINTS:
        if name in windows and backwards(windows[name][2]):
            notes.append(
                f"The {CHECKPOINT_WORDS[name]} goal {show_value(windows[name][2])} is {worse} "
                f"the baseline {show_value(baseline)}; saved as typed."
            )
    return tuple(notes)


def _met_by(value_type: str, better: str, target: float | str) -> list[str]:
    """The values that meet a yes/no or stage target: "yes", or stage 3 and beyond."""
    if value_type != "stage":
        return [str(target)]
    at = STAGES.index(str(target))
    return list(STAGES[at:] if better == "higher" else STAGES[: at + 1])


def _stages(value_type: str) -> tuple[str, ...]:
    return STAGES if value_type == "stage" else ()


def _shift(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 Feb into a year without one
        return day.replace(year=day.year + years, day=28)


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(str(text)[:10])
