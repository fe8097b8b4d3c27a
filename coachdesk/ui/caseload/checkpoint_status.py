"""Where each checkpoint of an indicator's target stands, for the progress card to show.

From the plain view the card already holds (coachdesk/core/tracking_records/indicators.py):

- *upcoming*: its window has not opened yet;
- *no data*: its window has opened (or closed) and holds no measurement;
- *met*: the latest measurement in its window reaches its goal (or is in the target set);
- *at risk*: it lags the goal while the window is still open; *missed* once the window closed;
- *on track* / *at risk* / *missed* against the straight line from baseline to the annual
  target when the checkpoint has no goal of its own; *measured* when there is nothing to
  compare with (no goal, no numbers).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from coachdesk.core.dates_text import month_day
from coachdesk.core.tracking_records.indicators import (
    CheckpointView,
    IndicatorView,
    MeasurementView,
    show_value,
)

CHECKPOINT_WORDS = {"early": "Early", "mid": "Mid-year", "eoy": "End of year"}
CHECKPOINT_TONES = {
    "met": "success",
    "on track": "success",
    "at risk": "danger",
    "missed": "danger",
    "no data": "warning",
    "upcoming": "subtle",
    "measured": "subtle",
}


@dataclass(frozen=True)
class CheckpointLine:
    name: str  # Early, Mid-year, End of year
    window: str  # "Sep 15 – Oct 30"
    goal: str  # "goal 41", "no goal"
    status: str  # one of CHECKPOINT_TONES
    value: str  # the value judged ("44.5 on Oct 12"), or ""

    @property
    def tone(self) -> str:
        return CHECKPOINT_TONES[self.status]


def checkpoint_lines(view: IndicatorView, on: dt.date) -> list[CheckpointLine]:
    """Each checkpoint of the indicator's target with its window, goal and status on `on`."""
    return [_line(view, c, on) for c in view.checkpoints]


def _line(view: IndicatorView, c: CheckpointView, on: dt.date) -> CheckpointLine:
    name = CHECKPOINT_WORDS.get(c.name, c.name)
    window = f"{month_day(c.starts)} – {month_day(c.ends)}"
    goal = f"goal {show_value(c.goal)}" if c.goal is not None else "no goal"
    if on < c.starts:
        return CheckpointLine(name, window, goal, "upcoming", "")
    inside = [m for m in view.measurements if _belongs(m, c)]
    if not inside:
        return CheckpointLine(name, window, goal, "no data", "")
    latest = inside[-1]
    value = f"{latest.shown()} on {month_day(latest.as_of)}"
    closed = on > c.ends
    if view.direction == "in_set":
        ok = str(show_value(latest.value)).lower() in view.target_set
        return CheckpointLine(name, window, goal, _judged(ok, closed, met="met"), value)
    number = latest.value if isinstance(latest.value, int | float) else None
    if number is None:
        return CheckpointLine(name, window, goal, "measured", value)
    if isinstance(c.goal, int | float):
        return CheckpointLine(
            name, window, goal, _judged(_reaches(view, number, c.goal), closed, met="met"), value
        )
    line = _straight_line(view, latest.as_of, c)
    if line is None:
        return CheckpointLine(name, window, goal, "measured", value)
    ok = _reaches(view, number, line)
    return CheckpointLine(name, window, goal, _judged(ok, closed, met="on track"), value)


def _belongs(m: MeasurementView, c: CheckpointView) -> bool:
    if m.checkpoint is not None:
        return m.checkpoint == c.name
    return c.starts <= m.as_of <= c.ends


def _judged(ok: bool, closed: bool, *, met: str) -> str:
    if ok:
        return met
    return "missed" if closed else "at risk"


def _reaches(view: IndicatorView, value: float, goal: float) -> bool:
    return value <= goal if view.direction == "lower" else value >= goal


def _straight_line(view: IndicatorView, day: dt.date, c: CheckpointView) -> float | None:
    base, aim = view.baseline, view.annual_target
    if not isinstance(base, int | float) or not isinstance(aim, int | float):
        return None
    start = dt.date(c.starts.year if c.starts.month >= 7 else c.starts.year - 1, 7, 1)
    end = next(
        (x.ends for x in view.checkpoints if x.name == "eoy"), dt.date(start.year + 1, 6, 30)
    )
    span = max((end - start).days, 1)
    fraction = min(max((day - start).days / span, 0.0), 1.0)
    return float(base) + (float(aim) - float(base)) * fraction
