"""OH NNPS rules (DOMAIN.md section 4, rules 10 to 12): check-ins by implementation stage, capped
by coaching flags; quarterly coaching logs; the One-Year Action Plan."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from coachdesk.core.tracking_rules.dates import (
    Interval,
    MonthDay,
    school_year_label,
    school_year_of,
    short_day,
)
from coachdesk.core.tracking_rules.engine import SchoolDay, Scope, classify
from coachdesk.core.tracking_rules.facts import Act, DueItem, DueState, TargetKind
from coachdesk.core.tracking_rules.rulefile import Reader

PROGRAM = "OH_NNPS"


@dataclass(frozen=True)
class CheckIns:
    scope: Scope
    visit_types: frozenset[str]
    intervals: dict[str, Interval]
    unknown_stage: Interval
    flag_cap: Interval


@dataclass(frozen=True)
class Deadline:
    """A deadline that comes back every year, recorded as an obligation of `kind`."""

    scope: Scope
    kind: str
    reporting_year_start: MonthDay
    dates: tuple[tuple[str, MonthDay], ...]  # (period suffix, day)


@dataclass(frozen=True)
class Config:
    check_ins: CheckIns
    coaching_logs: Deadline
    action_plan: Deadline
    update_survey: Deadline | None = None
    team_roster: Deadline | None = None


def read(reader: Reader) -> Config:
    """The OH rules from oh_nnps.toml."""
    table = reader.table("check_ins")
    stages = table.table("intervals")
    intervals = {}
    for stage, _ in stages.each():
        intervals[stage] = stages.interval(stage)
    check_ins = CheckIns(
        Scope.read(table, ("school", "district")),
        frozenset(table.texts("visit_types")),
        intervals,
        table.interval("unknown_stage_interval"),
        table.interval("flag_cap"),
    )
    table.done()
    return Config(
        check_ins,
        _read_deadline(reader.table("coaching_logs"), ("district",)),
        _read_deadline(reader.table("action_plan"), ("school",)),
        _read_deadline(reader.table("update_survey"), ("school",))
        if reader.has("update_survey")
        else None,
        _read_deadline(reader.table("team_roster"), ("school",))
        if reader.has("team_roster")
        else None,
    )


def _read_deadline(table: Reader, applies_to: tuple[str, ...]) -> Deadline:
    dates = []
    for entry in table.tables("due"):
        dates.append((entry.text("period", ""), entry.month_day("date")))
        entry.done()
    if not dates:
        raise table.fail("due", "should list at least one due date.")
    deadline = Deadline(
        Scope.read(table, applies_to),
        table.text("obligation_kind"),
        table.month_day("reporting_year_start"),
        tuple(dates),
    )
    table.done()
    return deadline


def evaluate(day: SchoolDay, config: Config, flag_names: dict[str, str]) -> Iterator[DueItem]:
    """Every OH item due for one school or district on its local day."""
    if config.check_ins.scope.covers(day.school):
        yield from _check_in(day, config.check_ins, flag_names)
    if config.coaching_logs.scope.covers(day.school):
        yield from _deadlines(
            day,
            config.coaching_logs,
            "oh.coaching_log",
            "Coaching log",
            "SSTs send OSU a coaching log each quarter",
        )
    survey = config.update_survey
    if survey is not None and survey.scope.covers(day.school):
        yield from _deadlines(
            day,
            survey,
            "oh.update_survey",
            "UPDATE survey",
            "NNPS schools take the UPDATE survey each spring; remind the school",
        )
    roster = config.team_roster
    if roster is not None and roster.scope.covers(day.school):
        yield from _deadlines(
            day,
            roster,
            "oh.team_roster",
            "Team roster",
            "ONPS collects each NNPS school's Action Team roster every year; remind the school",
        )
    if config.action_plan.scope.covers(day.school):
        yield from _deadlines(
            day,
            config.action_plan,
            "oh.action_plan",
            "One-Year Action Plan",
            "Each NNPS school writes a new One-Year Action Plan in the spring",
        )


def check_in_interval(
    rule: CheckIns, stage: str | None, active_flags: int
) -> tuple[Interval, bool]:
    """The check-in interval for a stage, and whether a coaching flag shortened it."""
    interval = rule.intervals.get(stage or "", rule.unknown_stage)
    if active_flags and rule.flag_cap.nominal_days() < interval.nominal_days():
        return rule.flag_cap, True
    return interval, False


def _check_in(day: SchoolDay, rule: CheckIns, flag_names: dict[str, str]) -> Iterator[DueItem]:
    flags = [f for f in day.school.flags if f.active_on(day.today)]
    interval, capped = check_in_interval(rule, day.school.stage, len(flags))
    if capped:
        reasons = ", ".join(sorted({flag_names.get(f.reason, f.reason) for f in flags}))
        why = (
            f"OH NNPS check-ins are at least every {interval} while a coaching flag is"
            f" active ({reasons})"
        )
    elif day.school.stage in rule.intervals:
        why = f"OH NNPS schools in {day.school.stage} get a check-in every {interval}"
    else:
        why = f"With no NNPS stage recorded, check in every {interval}"
    last = day.last_held(rule.visit_types)
    anchor = last or day.school.since
    if anchor is None:
        due, state = day.today, DueState.DUE_TODAY
        sentence = f"{why}: no check-in is recorded yet."
    else:
        due = interval.after(anchor)
        # A check-in already on the calendar by the due date means nothing needs doing now.
        ahead = day.visits_between(day.today + dt.timedelta(days=1), max(due, day.today))
        if any(v.type in rule.visit_types for _, v in ahead):
            return
        found = classify(due, day.today, day.display, keep_overdue=True)
        if found is None:
            return
        state = found
        since = f"the last was {short_day(last)}" if last else f"coaching began {short_day(anchor)}"
        sentence = f"{why}: {since}."
    yield day.item(
        rule_id="oh.check_in",
        what="NNPS check-in",
        due=due,
        state=state,
        explanation=sentence,
        kind=TargetKind.VISIT,
        period="check-in",
        act=Act.PLAN_VISIT,
        how="Plan a check-in, or record the one held",
    )


def _deadlines(
    day: SchoolDay, rule: Deadline, rule_id: str, name: str, why: str
) -> Iterator[DueItem]:
    current = school_year_of(day.today, rule.reporting_year_start)
    for year in (current - 1, current, current + 1):
        label = school_year_label(year)
        for suffix, month_day in rule.dates:
            period = f"{label} {suffix}".strip()
            recorded = day.obligation(rule.kind, period)
            if day.is_closed(recorded):
                continue
            due = month_day.in_school_year(year, rule.reporting_year_start)
            if recorded and recorded.due:
                due = recorded.due
            if day.too_early(due):
                continue
            state = classify(due, day.today, day.display)
            if state is None:
                continue
            verb = "was" if state is DueState.OVERDUE else "is"
            # The obligation's period is the school year whose spring the plan is due in, but
            # the plan written that spring is for the next school year: name it by that year.
            shown = school_year_label(year + 1) if rule_id == "oh.action_plan" else period
            yield day.item(
                rule_id=rule_id,
                what=f"{name} {shown}",
                due=due,
                state=state,
                explanation=f"{why}: the {shown} one {verb} due {short_day(due)}.",
                kind=TargetKind.PLAN if rule_id == "oh.action_plan" else TargetKind.OBLIGATION,
                period=period,
                record_id=recorded.id if recorded else None,
            )
