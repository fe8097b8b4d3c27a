"""MA SSoS rules (DOMAIN.md section 4, rules 6 to 9): phases, the Phase 1 checklist,
progress-monitoring windows, gaps in the benchmarks' student-group data, and learning walks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial

from coachdesk.core.tracking_rules.dates import (
    JULY_FIRST,
    MonthDay,
    school_year_label,
    school_year_of,
    short_day,
    span_in_school_year,
)
from coachdesk.core.tracking_rules.engine import SchoolDay, Scope, classify
from coachdesk.core.tracking_rules.facts import Act, DueItem, DueState, IndicatorFact, TargetKind
from coachdesk.core.tracking_rules.indicators import Origin
from coachdesk.core.tracking_rules.rulefile import Reader

PROGRAM = "MA_SSOS"


@dataclass(frozen=True)
class Span:
    """A named stretch of the school year written as month-days (a phase, window, semester)."""

    id: str
    name: str
    first: MonthDay
    last: MonthDay

    def in_school_year(self, start_year: int, year_start: MonthDay) -> tuple[dt.date, dt.date]:
        return span_in_school_year(self.first, self.last, start_year, year_start)

    @classmethod
    def read(cls, reader: Reader) -> Span:
        span = cls(
            reader.text("id"), reader.text("name"), reader.month_day("from"), reader.month_day("to")
        )
        reader.done()
        return span


@dataclass(frozen=True)
class Step:
    id: str
    label: str


@dataclass(frozen=True)
class Checklist:
    scope: Scope
    opens: MonthDay
    due: MonthDay
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class PmWindows:
    scope: Scope
    visit_types: frozenset[str]
    minimum_minutes: int
    windows: tuple[Span, ...]


@dataclass(frozen=True)
class LearningWalks:
    scope: Scope
    visit_types: frozenset[str]
    at_risk_days_before_end: int
    semesters: tuple[Span, ...]


@dataclass(frozen=True)
class DisaggregationGap:
    scope: Scope
    groups: tuple[str, ...]  # the student groups every benchmark is measured for
    at_risk_days_before_end: int


@dataclass(frozen=True)
class Config:
    phase_notice: Scope
    phases: tuple[Span, ...]
    phase1_checklist: Checklist
    pm_windows: PmWindows
    learning_walks: LearningWalks
    disaggregation_gap: DisaggregationGap | None = None


def read(reader: Reader) -> Config:
    """The MA rules from ma_ssos.toml."""
    phases = tuple(Span.read(r) for r in reader.tables("phases"))
    if not phases:
        raise reader.fail("phases", "should list the partnership phases.")
    notice = reader.table("phase_notice")
    phase_notice = Scope.read(notice, ("district",))
    notice.done()

    table = reader.table("phase1_checklist")
    steps = []
    for step in table.tables("steps"):
        steps.append(Step(step.text("id"), step.text("label")))
        step.done()
    if not steps:
        raise table.fail("steps", "should list at least one step.")
    checklist = Checklist(
        Scope.read(table, ("district",)),
        table.month_day("opens"),
        table.month_day("due"),
        tuple(steps),
    )
    table.done()

    table = reader.table("pm_windows")
    pm = PmWindows(
        Scope.read(table, ("district",)),
        frozenset(table.texts("visit_types")),
        table.integer("minimum_minutes", minimum=1),
        tuple(Span.read(r) for r in table.tables("windows")),
    )
    table.done()

    table = reader.table("learning_walks")
    walks = LearningWalks(
        Scope.read(table, ("school",)),
        frozenset(table.texts("visit_types")),
        table.integer("at_risk_days_before_end", minimum=0),
        tuple(Span.read(r) for r in table.tables("semesters")),
    )
    table.done()

    gap = None
    if reader.has("disaggregation_gap"):
        table = reader.table("disaggregation_gap")
        gap = DisaggregationGap(
            Scope.read(table, ("school",)),
            table.texts("groups"),
            table.integer("at_risk_days_before_end", minimum=0),
        )
        if not gap.groups:
            raise table.fail("groups", "should name at least one student group.")
        table.done()
    return Config(phase_notice, phases, checklist, pm, walks, gap)


def phases_on(config: Config, day: dt.date, year_start: MonthDay = JULY_FIRST) -> tuple[Span, ...]:
    """The partnership phases in force on a day (phases 2 and 3 overlap)."""
    year = school_year_of(day, year_start)
    found = []
    for phase in config.phases:
        start, end = phase.in_school_year(year, year_start)
        if start <= day <= end:
            found.append(phase)
    return tuple(found)


def evaluate(
    day: SchoolDay, config: Config, indicators: list[IndicatorFact] | None = None
) -> Iterator[DueItem]:
    """Every MA item due for one organisation on its local day."""
    if config.phase_notice.covers(day.school):
        yield from _phase_notices(day, config.phases)
    if config.phase1_checklist.scope.covers(day.school):
        yield from _phase1_checklist(day, config.phase1_checklist)
    if config.pm_windows.scope.covers(day.school):
        for year in (day.school_year - 1, day.school_year):
            for window in config.pm_windows.windows:
                yield from _pm_window(day, config.pm_windows, window, year)
    gap = config.disaggregation_gap
    if gap is not None and gap.scope.covers(day.school) and indicators:
        for window in config.pm_windows.windows:
            yield from _disaggregation_gap(day, gap, window, indicators)
    if config.learning_walks.scope.covers(day.school):
        for year in (day.school_year - 1, day.school_year):
            for semester in config.learning_walks.semesters:
                yield from _learning_walk(day, config.learning_walks, semester, year)


def _phase_notices(day: SchoolDay, phases: tuple[Span, ...]) -> Iterator[DueItem]:
    label = school_year_label(day.school_year)
    for phase in phases:
        start, end = phase.in_school_year(day.school_year, day.year_start)
        if start <= day.today < start + dt.timedelta(days=day.display.notice_days):
            yield day.item(
                rule_id="ma.phase_notice",
                what=f"Phase {phase.id}: {phase.name} begins",
                due=start,
                state=DueState.NOTICE,
                explanation=f"The SSoS partnership works in phases: phase {phase.id},"
                f" {phase.name}, runs {short_day(start)} to {short_day(end)}.",
                kind=TargetKind.PLAN,
                period=f"{label} phase {phase.id}",
                act=Act.NONE,
                how="Nothing to record; the notice passes after a week",
            )


def _phase1_checklist(day: SchoolDay, rule: Checklist) -> Iterator[DueItem]:
    label = school_year_label(day.school_year)
    opens = rule.opens.in_school_year(day.school_year, day.year_start)
    due = rule.due.in_school_year(day.school_year, day.year_start)
    if day.today < opens or day.too_early(due):
        return
    recorded = day.obligation("Phase1Checklist", label)
    missing = [s.label for s in rule.steps if s.id not in day.school.checklist_done]
    if day.is_closed(recorded) or not missing:
        return
    state = classify(due, day.today, day.display)
    if state is None:
        return
    yield day.item(
        rule_id="ma.phase1_checklist",
        what=f"Phase 1 checklist {label}",
        due=due,
        state=state,
        explanation=f"By {short_day(due)} the Phase 1 checklist should be complete; still open:"
        f" {'; '.join(missing)}.",
        kind=TargetKind.PLAN,
        period=label,
        record_id=recorded.id if recorded else None,
        act=Act.OPEN,
        how="Open the checklist",
    )


def _pm_window(day: SchoolDay, rule: PmWindows, window: Span, year: int) -> Iterator[DueItem]:
    start, end = window.in_school_year(year, day.year_start)
    if day.today < start or day.too_early(end):
        return
    meetings = [
        (d, v)
        for d, v in day.visits_between(start, end)
        if v.type in rule.visit_types and (v.minutes or 0) >= rule.minimum_minutes
    ]
    label = school_year_label(year)
    what = f"{window.name.capitalize()} PM meeting {label}"
    span = f"{short_day(start)} to {short_day(end)}"
    item = partial(
        day.item,
        rule_id="ma.pm_window",
        kind=TargetKind.VISIT,
        period=f"{label} {window.id}",
        how="Plan a progress-monitoring meeting",
    )
    if day.today > end:
        if any(day.held(v, d) for d, v in meetings):
            return
        if (day.today - end).days > day.display.overdue_shown_days:
            return
        yield item(
            what=what,
            due=end,
            state=DueState.MISSED,
            explanation=f"SSoS joins a progress-monitoring meeting of at least"
            f" {rule.minimum_minutes} minutes in each window: the {window.name} window"
            f" ({span}) closed without one.",
        )
        return
    if day.today < start + dt.timedelta(days=day.display.notice_days):
        planned = f" one is scheduled for {short_day(meetings[0][0])}." if meetings else ""
        yield item(
            what=f"{window.name.capitalize()} PM window is open",
            due=end,
            state=DueState.NOTICE,
            explanation=f"The {window.name} progress-monitoring window runs {span}: schedule a"
            f" meeting of at least {rule.minimum_minutes} minutes with the DILT.{planned}",
        )
        return
    if meetings:
        return
    middle = start + dt.timedelta(days=(end - start).days // 2)
    state = classify(end, day.today, day.display, at_risk_from=middle)
    if state is None:
        return
    behind = " and the window is half over" if state is DueState.AT_RISK else ""
    yield item(
        what=what,
        due=end,
        state=state,
        explanation=f"SSoS joins a progress-monitoring meeting of at least {rule.minimum_minutes}"
        f" minutes in each window: none is scheduled in the {window.name} window ({span}){behind}.",
    )


def _disaggregation_gap(
    day: SchoolDay, rule: DisaggregationGap, window: Span, indicators: list[IndicatorFact]
) -> Iterator[DueItem]:
    """Rule 8: a benchmark with no measurement for a student group (ML, SWD) in the
    progress-monitoring window open today."""
    start, end = window.in_school_year(day.school_year, day.year_start)
    if not start <= day.today <= end:
        return
    # Each benchmark is one indicator per student group, sharing a code.
    measured: dict[str, dict[str, bool]] = {}
    names: dict[str, str] = {}
    for fact in indicators:
        indicator = fact.indicator
        if indicator.origin is not Origin.BENCHMARK:
            continue
        names.setdefault(indicator.code, indicator.name)
        in_window = any(start <= m.as_of <= end for m in fact.measurements)
        groups = measured.setdefault(indicator.code, {})
        groups[indicator.subgroup] = groups.get(indicator.subgroup, False) or in_window
    label = school_year_label(day.school_year)
    at_risk_from = end - dt.timedelta(days=rule.at_risk_days_before_end)
    for code, groups in sorted(measured.items()):
        missing = [g for g in rule.groups if not groups.get(g, False)]
        if not missing:
            continue
        state = classify(end, day.today, day.display, at_risk_from=at_risk_from)
        if state is None:
            continue
        listed = " and ".join(missing)
        yield day.item(
            rule_id="ma.disaggregation_gap",
            what=f"Benchmark {code}: no {listed} data this window",
            due=end,
            state=state,
            explanation=f"SSoS benchmarks are disaggregated, centring multilingual learners and"
            f" students with disabilities: {names[code]} has no {listed} measurement in the"
            f" {window.name} window ({short_day(start)} to {short_day(end)}).",
            kind=TargetKind.INDICATOR,
            period=f"{label} {window.id} {code}",
            how=f"Record the {listed} results",
        )


def _learning_walk(
    day: SchoolDay, rule: LearningWalks, semester: Span, year: int
) -> Iterator[DueItem]:
    start, end = semester.in_school_year(year, day.year_start)
    if day.today < start or day.too_early(end):
        return
    walks = [(d, v) for d, v in day.visits_between(start, end) if v.type in rule.visit_types]
    label = school_year_label(year)
    item = partial(
        day.item,
        rule_id="ma.learning_walk",
        what=f"Learning walk, {semester.name} semester {label}",
        due=end,
        kind=TargetKind.VISIT,
        period=f"{label} {semester.id}",
        how="Plan a learning walk",
    )
    rule_words = "Each identified school has at least one learning walk per semester"
    if day.today > end:
        if any(day.held(v, d) for d, v in walks):
            return
        if (day.today - end).days > day.display.overdue_shown_days:
            return
        yield item(
            state=DueState.MISSED,
            explanation=f"{rule_words}: the {semester.name} semester ended {short_day(end)}"
            " without one.",
        )
        return
    if walks:
        return
    at_risk_from = end - dt.timedelta(days=rule.at_risk_days_before_end)
    state = classify(end, day.today, day.display, at_risk_from=at_risk_from)
    if state is None:
        return
    yield item(
        state=state,
        explanation=f"{rule_words}: none is held or planned before the {semester.name} semester"
        f" ends {short_day(end)}.",
    )
