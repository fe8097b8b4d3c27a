"""The progress snapshot of a visit summary (DOMAIN.md section 5.5), read from the profile.

There is no record linking a visit to the indicators it worked on, so the snapshot shows what
the school's plan for the visit's program tracks, as it stood on the visit's day:

- NY Receivership: the school's DIIs (its assigned, selected and local indicators);
- MA SSoS: the school's benchmarks of the district's Instructional Priority for the year, for
  all students and the ML and SWD groups (every benchmark of the school when none is linked);
- OH NNPS: the school's implementation stage, then its One-Year Action Plan's activities per
  type of involvement (planned, and done by the visit's day).

Status is the tracking rules' (core/tracking_rules/indicators.py), judged on the visit's day
with only the measurements known by then. At most six rows print, those most worth a
principal's attention first (at risk or not met), then the rest in the plan's order; the number
left out is kept so the summary can say "2 more in coachdesk". A value from fewer students than
the program's small-cell threshold keeps its n so the renderer prints it suppressed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from coachdesk.core.store.profile import Profile
from coachdesk.core.tracking_records.facts_query import read_indicators, school_year_on
from coachdesk.core.tracking_records.plans import INVOLVEMENT_TYPES, get_action_plan
from coachdesk.core.tracking_rules import Status, indicator_status
from coachdesk.core.tracking_rules.facts import IndicatorFact
from coachdesk.core.tracking_rules.indicators import Direction, Measurement, ValueType
from coachdesk.reports.pdf_layout import short_date
from coachdesk.reports.printed_answers import print_limits
from coachdesk.reports.summary_data import (
    MAX_PROGRESS_ROWS,
    MeasureCell,
    ProgressRow,
    ProgressSnapshot,
)

NY_ORIGINS = ("assigned", "selected", "local")
MA_GROUPS = ("All", "ML", "SWD")
GROUP_WORDS = {
    "All": "all students",
    "ML": "multilingual learners",
    "SWD": "students with disabilities",
}
CHECKPOINT_WORDS = {"early": "early", "mid": "mid-year", "eoy": "end-of-year"}
# The status words of the tracking rules as the summary's table names them.
STATUS_OF = {
    Status.MET: "met",
    Status.NOT_MET: "not met",
    Status.ON_TRACK: "on-track",
    Status.AT_RISK: "at-risk",
    Status.NO_DATA: "no-data",
    Status.PENDING: "Not measured yet",
}
NEEDS_ATTENTION = ("at-risk", "not met")
DONE = "done"
DROPPED = "dropped"

_MA_LINKED = """
SELECT i.id FROM indicator i
  JOIN instructional_priority p ON p.id = i.priority_id AND p.deleted_at IS NULL
 WHERE i.org_id = ? AND i.deleted_at IS NULL AND i.origin = 'benchmark'
   AND p.school_year = ? AND (p.org_id = ? OR p.org_id = i.org_id)
"""
_STAGES = """
SELECT stage, effective FROM stage_record
 WHERE org_id = ? AND program_code = ? AND deleted_at IS NULL AND effective <= ?
 ORDER BY effective, created_hlc
"""


def suppression_threshold(program_code: str | None) -> int:
    """The smallest number of students a printed value may be about: the rules' small-cell
    threshold (resources/rules/common.toml), or the program's own minimum when that is higher
    (the same minimum the form's answers print with, printed_answers.print_limits)."""
    return print_limits(program_code).small_cell_threshold


def progress_snapshot(
    profile: Profile,
    *,
    school_id: str,
    district_id: str | None,
    program_code: str | None,
    on: dt.date,
) -> ProgressSnapshot:
    """The school's progress on the visit's day `on` for the visit's program (module docstring)."""
    threshold = suppression_threshold(program_code)
    if program_code == "OH_NNPS":
        rows = _oh_rows(profile, school_id, on)
        return _snapshot(rows[:1], rows[1:], threshold)
    year = school_year_on(on)
    facts = read_indicators(profile, year, {school_id})
    if program_code == "MA_SSOS":
        linked = _ma_linked(profile, school_id, district_id, year)
        chosen = [
            f
            for f in facts
            if f.indicator.origin.value == "benchmark"
            and f.indicator.subgroup in MA_GROUPS
            and (not linked or f.indicator.id in linked)
        ]
    elif program_code == "NY_RCV":
        chosen = [f for f in facts if f.indicator.origin.value in NY_ORIGINS]
    else:
        chosen = list(facts)
    # An indicator with neither a target for the year nor a value yet says nothing to a principal
    # (a visit from a year before targets were recorded): it is left out, not listed as "no data".
    chosen = [
        f for f in chosen if f.target is not None or any(m.as_of <= on for m in f.measurements)
    ]
    return _snapshot([], [_indicator_row(f, on) for f in chosen], threshold)


def _snapshot(
    fixed: list[ProgressRow], rows: list[ProgressRow], threshold: int
) -> ProgressSnapshot:
    """Up to six rows: `fixed` first, then those needing attention, then the rest in order."""
    ranked = sorted(rows, key=lambda row: row.status not in NEEDS_ATTENTION)  # stable
    room = max(MAX_PROGRESS_ROWS - len(fixed), 0)
    shown = fixed[:MAX_PROGRESS_ROWS] + ranked[:room]
    return ProgressSnapshot(
        rows=tuple(shown),
        suppression_threshold=threshold,
        more=len(fixed) + len(rows) - len(shown),
    )


# --- NY and MA: indicators with targets ------------------------------------------------------


def _ma_linked(profile: Profile, school_id: str, district_id: str | None, year: str) -> set[str]:
    rows = profile.quick_connection().execute(
        _MA_LINKED, (school_id, year, district_id or school_id)
    )
    return {r[0] for r in rows}


def _indicator_row(fact: IndicatorFact, on: dt.date) -> ProgressRow:
    ind, target = fact.indicator, fact.target
    known = [m for m in fact.measurements if m.as_of <= on]
    latest = known[-1] if known else None
    name = ind.name
    if ind.subgroup in MA_GROUPS and ind.origin.value == "benchmark":
        name = f"{ind.name} — {GROUP_WORDS[ind.subgroup]}"
    if target is None:
        return ProgressRow(name, None, "No target set", _cell(ind.value_type, latest), "no-data")
    try:
        report = indicator_status(ind, target, fact.measurements, on)
        status = STATUS_OF.get(report.status, report.status.value)
        checkpoint = report.open_checkpoint
        if report.status is Status.NO_DATA and checkpoint is not None:
            # The latest value is from an earlier checkpoint: say which one has no data yet.
            status = f"No {CHECKPOINT_WORDS.get(checkpoint.value, checkpoint.value)} data yet"
    except ValueError:  # a target the rules cannot judge (no numeric annual target)
        status, checkpoint = "no-data", None
    baseline = None
    if target.baseline_value is not None:
        baseline = MeasureCell(_value(ind.value_type, target.baseline_value))
    return ProgressRow(
        indicator=name,
        baseline=baseline,
        target=_target_text(fact, checkpoint.value if checkpoint else None),
        latest=_cell(ind.value_type, latest),
        status=status,
    )


def _cell(value_type: ValueType, latest: Measurement | None) -> MeasureCell | None:
    if latest is None:
        return None
    return MeasureCell(_value(value_type, latest.value), latest.n)


def _value(value_type: ValueType, value: object) -> str:
    """A value as a principal reads it: 41%, 12.5, Yes, Stage 3."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or value_type is ValueType.BOOLEAN:
        word = str(value).strip().lower()
        return "Yes" if value is True or word in ("yes", "true", "1") else "No"
    if value_type is ValueType.PERCENT:
        return f"{value}%"
    if value_type is ValueType.STAGE:
        text = str(value).strip()
        return text if text.lower().startswith("stage") else f"Stage {text}"
    return str(value)


def _target_text(fact: IndicatorFact, checkpoint: str | None) -> str:
    """The annual target ("at least 46%", "Stage 3 or 4") and the open checkpoint's goal."""
    ind, target = fact.indicator, fact.target
    assert target is not None
    if ind.direction is Direction.IN_SET:
        allowed = sorted(ind.target_set)
        text = " or ".join(_value(ind.value_type, v) for v in allowed) if allowed else "—"
        if ind.value_type is ValueType.STAGE and len(allowed) > 1:
            text = "Stage " + " or ".join(allowed)
    elif target.annual_target is None:
        text = "—"
    else:
        word = "at least" if ind.direction is Direction.HIGHER else "at most"
        text = f"{word} {_value(ind.value_type, target.annual_target)}"
    for c in target.checkpoints:
        if c.name.value == checkpoint and c.goal is not None and not isinstance(c.goal, bool):
            goal = _value(ind.value_type, c.goal)
            text += f"; {CHECKPOINT_WORDS.get(checkpoint, checkpoint)} goal {goal}"
    return text


# --- OH: the stage and the plan's activities per type ---------------------------------------


def _oh_rows(profile: Profile, school_id: str, on: dt.date) -> list[ProgressRow]:
    rows: list[ProgressRow] = []
    stage = _stage_row(profile, school_id, on)
    if stage is not None:
        rows.append(stage)
    year = school_year_on(on)
    plan = get_action_plan(profile, school_id, year)
    if not plan.activities:
        return rows
    for number, name in INVOLVEMENT_TYPES.items():
        mine = [a for a in plan.activities if a.involvement_type == number and a.status != DROPPED]
        rows.append(_type_row(number, name, mine, on))
    return rows


def _stage_row(profile: Profile, school_id: str, on: dt.date) -> ProgressRow | None:
    records = list(
        profile.quick_connection().execute(_STAGES, (school_id, "OH_NNPS", on.isoformat()))
    )
    if not records:
        return None
    year_start = dt.date(int(school_year_on(on)[:4]), 7, 1).isoformat()
    before = [r for r in records if str(r[1])[:10] < year_start]
    current, since = records[-1][0], dt.date.fromisoformat(str(records[-1][1])[:10])
    baseline = before[-1][0] if before else None
    if baseline is None:
        status = f"Set {short_date(since)}"
    elif baseline == current:
        status = "No change this year"
    else:
        status = f"Moved up {short_date(since)}"
    return ProgressRow(
        indicator="Implementation stage",
        baseline=MeasureCell(baseline) if baseline else None,
        target="—",
        latest=MeasureCell(current),
        status=status,
    )


def _type_row(number: int, name: str, activities: Iterable, on: dt.date) -> ProgressRow:
    items = list(activities)
    due = [a for a in items if a.starts_on is None or a.starts_on <= on]
    done = [a for a in due if a.status == DONE]
    if not items:
        status = "None planned"
    elif len(done) < len(due):
        status = "at-risk"  # an activity dated by the visit's day is not done
    else:
        status = "on-track"
    return ProgressRow(
        indicator=f"Type {number}, {name}: activities",
        baseline=None,
        target=f"{len(items)} planned",
        latest=MeasureCell(f"{len(done)} done"),
        status=status,
    )
