"""NY Receivership rules (DOMAIN.md section 4, rules 1 to 4): monthly SSP visit, quarterly
reports with a suggested pre-report visit, DII checkpoint windows, the public hearing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from coachdesk.core.tracking_rules.dates import (
    MonthDay,
    add_months,
    month_end,
    month_name,
    parse_school_year,
    school_year_label,
    short_day,
    span_in_school_year,
    weekday_on_or_before,
)
from coachdesk.core.tracking_rules.engine import SchoolDay, Scope, classify
from coachdesk.core.tracking_rules.facts import Act, DueItem, DueState, IndicatorFact, TargetKind
from coachdesk.core.tracking_rules.indicators import CheckpointName, Status, indicator_status
from coachdesk.core.tracking_rules.rulefile import Reader

PROGRAM = "NY_RCV"
QUARTERS = ("Q1", "Q2", "Q3", "Q4")
QUARTER_NAMES = {"Q1": "Q1", "Q2": "Q2 (Mid-Year)", "Q3": "Q3", "Q4": "Q4 (Final/Continuation)"}
CHECKPOINT_WORDS = {"early": "early", "mid": "mid-year", "eoy": "end-of-year"}


@dataclass(frozen=True)
class MonthlyVisit:
    scope: Scope
    visit_types: frozenset[str]
    months: frozenset[int]
    at_risk_after_day: int
    overdue_shown_days: int


@dataclass(frozen=True)
class ReportYear:
    dates: dict[str, dt.date]
    assumed: bool


@dataclass(frozen=True)
class QuarterlyReports:
    scope: Scope
    years: dict[str, ReportYear]
    pre_visit_days: int
    pre_visit_types: frozenset[str]
    pre_visit_lead_days: int
    # The days each report covers, as (from, to) month-days: "Q2" -> (11-01, 01-31).
    covers: dict[str, tuple[MonthDay, MonthDay]] = field(default_factory=dict)

    def covered(self, quarter: str, start_year: int) -> tuple[dt.date, dt.date]:
        """The first and last day quarter `quarter` ("Q2") of a school year reports on."""
        first, last = self.covers[quarter]
        return span_in_school_year(first, last, start_year)


@dataclass(frozen=True)
class DiiCheckpoints:
    scope: Scope
    windows: dict[str, tuple[MonthDay, MonthDay]]


@dataclass(frozen=True)
class PublicHearing:
    scope: Scope
    days_after_first_day: int
    default_first_day: MonthDay


@dataclass(frozen=True)
class Config:
    monthly_visit: MonthlyVisit
    quarterly_reports: QuarterlyReports
    dii_checkpoints: DiiCheckpoints
    public_hearing: PublicHearing
    year_start: MonthDay = field(default=MonthDay(7, 1))


def read(reader: Reader) -> Config:
    """The NY rules from ny_rcv.toml."""
    monthly = reader.table("monthly_visit")
    months = monthly.integers("months")
    if any(not 1 <= m <= 12 for m in months):
        raise monthly.fail("months", "should list month numbers from 1 to 12.")
    monthly_visit = MonthlyVisit(
        Scope.read(monthly),
        frozenset(monthly.texts("visit_types")),
        frozenset(months),
        monthly.integer("at_risk_after_day", minimum=1),
        monthly.integer("overdue_shown_days", minimum=0),
    )
    if monthly_visit.at_risk_after_day > 27:
        raise monthly.fail("at_risk_after_day", "should be 27 or less (February is short).")
    monthly.done()

    reports = reader.table("quarterly_reports")
    years = {}
    calendar_table = reports.table("dates")
    for label, _ in calendar_table.each():
        year = calendar_table.table(label)
        try:
            start_year = parse_school_year(label)
        except ValueError as exc:
            raise calendar_table.fail(label, f"{exc}.") from None
        dates = {q: year.date(q) for q in QUARTERS}
        first, last = dt.date(start_year, 7, 1), dt.date(start_year + 1, 9, 30)
        for q in QUARTERS:
            if not first <= dates[q] <= last:
                raise year.fail(q, f"{dates[q]} is outside the {label} school year's reporting.")
        if sorted(dates.values()) != [dates[q] for q in QUARTERS]:
            raise year.fail("Q4", "the four due dates should run in order Q1 to Q4.")
        years[label] = ReportYear(dates, year.flag("assumed"))
        year.done()
    covers_table = reports.table("covers")
    covers = {}
    for q in QUARTERS:
        window = covers_table.table(q)
        covers[q] = (window.month_day("from"), window.month_day("to"))
        window.done()
    covers_table.done()
    quarterly = QuarterlyReports(
        Scope.read(reports),
        years,
        reports.integer("pre_report_visit_days", minimum=1),
        frozenset(reports.texts("pre_report_visit_types")),
        reports.integer("pre_report_visit_lead_days", minimum=0),
        covers,
    )
    reports.done()

    dii = reader.table("dii_checkpoints")
    windows = {}
    for name in CheckpointName:
        window = dii.table(name.value)
        windows[name.value] = (window.month_day("from"), window.month_day("to"))
        window.done()
    checkpoints = DiiCheckpoints(Scope.read(dii), windows)
    dii.done()

    hearing = reader.table("public_hearing")
    public_hearing = PublicHearing(
        Scope.read(hearing),
        hearing.integer("days_after_first_day", minimum=1),
        hearing.month_day("default_first_day"),
    )
    hearing.done()
    return Config(monthly_visit, quarterly, checkpoints, public_hearing)


def evaluate(day: SchoolDay, config: Config, indicators: list[IndicatorFact]) -> Iterator[DueItem]:
    """Every NY item due for one school on its local day."""
    if config.monthly_visit.scope.covers(day.school):
        yield from _monthly_visit(day, config.monthly_visit)
    if config.quarterly_reports.scope.covers(day.school):
        yield from _quarterly_reports(day, config.quarterly_reports)
    if config.dii_checkpoints.scope.covers(day.school) and indicators:
        yield from _dii_checkpoints(day, config.dii_checkpoints, indicators)
    if config.public_hearing.scope.covers(day.school):
        yield from _public_hearing(day, config.public_hearing)


def _monthly_visit(day: SchoolDay, rule: MonthlyVisit) -> Iterator[DueItem]:
    today = day.today
    month = today.replace(day=1)
    # This month, and earlier months whose end is recent enough to still show as overdue.
    while (today - month_end(month)).days <= rule.overdue_shown_days:
        end = month_end(month)
        if month.month in rule.months and not day.too_early(end):
            item = _month_item(day, rule, month, end)
            if item is not None:
                yield item
        month = add_months(month, -1)


def _month_item(day: SchoolDay, rule: MonthlyVisit, month: dt.date, end: dt.date) -> DueItem | None:
    visits = [(d, v) for d, v in day.visits_between(month, end) if v.type in rule.visit_types]
    if any(day.finalized(v, d) for d, v in visits):
        return None
    state = classify(
        end,
        day.today,
        day.display,
        at_risk_from=month.replace(day=rule.at_risk_after_day + 1),
        overdue_shown_days=rule.overdue_shown_days,
    )
    if state is None:
        return None
    name = month_name(month)
    # A held note not yet final is the month's one thing to do: finishing it meets the month.
    drafts = [(d, v) for d, v in visits if day.held(v, d) and not day.finalized(v, d)]
    act, how, record_id = None, None, None
    if drafts:
        act, how, record_id = Act.FINISH_NOTE, "Finish and finalize the note", drafts[-1][1].id
    if state is DueState.OVERDUE:
        sentence = f"NY SSPs visit monthly: no on-site visit was finalized in {name} {month.year}."
    else:
        sentence = f"NY SSPs visit monthly: no on-site visit has been finalized in {name} yet"
        if state is DueState.AT_RISK:
            sentence += f" and day {rule.at_risk_after_day} of the month has passed"
        held = [d for d, v in visits if day.held(v, d)]
        planned = [d for d, v in visits if d >= day.today and not day.held(v, d)]
        if held:
            sentence += f"; the note of the {short_day(held[-1])} visit is not final"
        elif planned:
            sentence += f"; one is planned for {short_day(planned[0])}"
        sentence += "."
    return day.item(
        rule_id="ny.monthly_visit",
        what=f"On-site visit for {name} {month.year}",
        due=end,
        state=state,
        explanation=sentence,
        kind=TargetKind.VISIT,
        period=f"{month:%Y-%m}",
        record_id=record_id,
        act=act,
        how=how,
    )


def _quarterly_reports(day: SchoolDay, rule: QuarterlyReports) -> Iterator[DueItem]:
    current = school_year_label(day.school_year)
    if current not in rule.years:
        yield day.item(
            rule_id="ny.quarterly_dates_missing",
            what=f"Quarterly report dates for {current}",
            due=day.today,
            state=DueState.NOTICE,
            explanation=(
                f"NY quarterly reports follow each year's OISR memo, and the rules hold no dates"
                f" for {current} yet: add them to resources/rules/ny_rcv.toml."
            ),
            kind=TargetKind.OBLIGATION,
            period=current,
            act=Act.NONE,
            how="Add this year's dates to the rules file",
        )
    for label, year in rule.years.items():
        for quarter, calendar_due in year.dates.items():
            if abs((calendar_due - day.today).days) > 400:
                continue  # far from today: skip before looking anything up
            recorded = day.obligation(quarter, label)
            if day.is_closed(recorded):
                continue
            due = recorded.due if recorded and recorded.due else calendar_due
            if day.too_early(due):
                continue
            assumed = year.assumed and not (recorded and recorded.due)
            note = " (date assumed from the 2023-24 pattern until the OISR memo)" if assumed else ""
            report = f"the {QUARTER_NAMES[quarter]} report for {label}"
            state = classify(due, day.today, day.display)
            if state is not None:
                verb = "was" if state is DueState.OVERDUE else "is"
                yield day.item(
                    rule_id="ny.quarterly_report",
                    what=f"{QUARTER_NAMES[quarter]} report {label}",
                    due=due,
                    state=state,
                    explanation=f"NY Receivership schools report to OISR each quarter: {report}"
                    f" {verb} due {short_day(due)}{note}.",
                    kind=TargetKind.OBLIGATION,
                    period=f"{label} {quarter}",
                    record_id=recorded.id if recorded else None,
                )
            yield from _pre_report_visit(day, rule, label, quarter, due, report)


def _pre_report_visit(
    day: SchoolDay, rule: QuarterlyReports, label: str, quarter: str, due: dt.date, report: str
) -> Iterator[DueItem]:
    # A school day: 14 days before a Monday deadline is a Sunday, when no one is there.
    suggested = weekday_on_or_before(due - dt.timedelta(days=rule.pre_visit_days))
    if day.today > suggested:
        return
    around = day.visits_between(suggested - dt.timedelta(days=rule.pre_visit_lead_days), due)
    if any(v.type in rule.pre_visit_types for _, v in around):
        return
    state = classify(suggested, day.today, day.display)
    if state is None:
        return
    yield day.item(
        rule_id="ny.pre_report_visit",
        what=f"Visit before the {QUARTER_NAMES[quarter]} report",
        due=suggested,
        state=state,
        explanation=f"A visit {rule.pre_visit_days} days before each quarterly report helps the"
        f" school prepare it: {report} is due {short_day(due)}.",
        kind=TargetKind.VISIT,
        period=f"{label} {quarter}",
    )


def _dii_checkpoints(
    day: SchoolDay, rule: DiiCheckpoints, indicators: list[IndicatorFact]
) -> Iterator[DueItem]:
    label = school_year_label(day.school_year)
    current = [f for f in indicators if f.target is not None and f.target.school_year == label]
    missing: dict[tuple[str, dt.date, dt.date], list[str]] = {}
    defaults = {
        name: span_in_school_year(*rule.windows[name.value], day.school_year, day.year_start)
        for name in CheckpointName
    }
    for fact in current:
        target = fact.target
        assert target is not None  # current holds only facts with a target
        for name in CheckpointName:
            own = target.checkpoint(name)
            start, end = (own.window.start, own.window.end) if own else defaults[name]
            if start > day.today:
                continue
            measured = any(
                m.as_of <= day.today
                and (m.checkpoint is name or (m.checkpoint is None and start <= m.as_of <= end))
                for m in fact.measurements
            )
            if not measured:
                missing.setdefault((name.value, start, end), []).append(fact.indicator.code)
    for (checkpoint, start, end), codes in sorted(missing.items()):
        if day.too_early(end):
            continue
        opened_recently = (day.today - start).days < day.display.notice_days
        if opened_recently and day.today <= end:
            state: DueState | None = DueState.NOTICE
        else:
            state = classify(end, day.today, day.display)
        if state is None:
            continue
        words = CHECKPOINT_WORDS[checkpoint]
        yield day.item(
            rule_id="ny.dii_checkpoint",
            what=f"{words.capitalize()} DII measurements ({len(codes)} missing)",
            due=end,
            state=state,
            explanation=f"NY SSPs track early, mid-year and end-of-year DII progress: the {words}"
            f" window opened {short_day(start)} and {len(codes)} of {len(current)} DIIs have no"
            f" measurement ({', '.join(sorted(codes))}).",
            kind=TargetKind.INDICATOR,
            # A target may bring its own window, so two groups can share a checkpoint name.
            period=f"{label} {checkpoint} {end.isoformat()}",
            how="Record the measurements",
        )
    yield from _dii_at_risk(day, current)


def _dii_at_risk(day: SchoolDay, current: list[IndicatorFact]) -> Iterator[DueItem]:
    for fact in current:
        target = fact.target
        assert target is not None
        report = indicator_status(fact.indicator, target, fact.measurements, day.today)
        if report.status is not Status.AT_RISK:
            continue
        ends = sorted(c.window.end for c in target.checkpoints if c.window.end >= day.today)
        due = ends[0] if ends else target.line_end()
        if due < day.today:
            continue
        yield day.item(
            rule_id="ny.dii_at_risk",
            what=f"DII {fact.indicator.code} is at risk",
            due=due,
            state=DueState.AT_RISK,
            explanation=f"A DII is at risk when it lags its goal or straight-line progress to"
            f" its target: {report.reason[:1].lower()}{report.reason[1:]}",
            kind=TargetKind.INDICATOR,
            period=f"{target.school_year} {fact.indicator.id}",
            record_id=fact.indicator.id,
            act=Act.OPEN,
            how="Open the DII",
        )


def _public_hearing(day: SchoolDay, rule: PublicHearing) -> Iterator[DueItem]:
    label = school_year_label(day.school_year)
    recorded = day.obligation("PublicHearing", label)
    if day.is_closed(recorded):
        return
    first_day = day.school.first_student_day
    assumed = first_day is None or not (
        day.year_start.in_year(day.school_year)
        <= first_day
        < day.year_start.in_year(day.school_year + 1)
    )
    if assumed:
        first_day = rule.default_first_day.in_school_year(day.school_year, day.year_start)
    assert first_day is not None
    due = (
        recorded.due
        if recorded and recorded.due
        else first_day + dt.timedelta(days=rule.days_after_first_day)
    )
    if day.too_early(due):
        return
    state = classify(due, day.today, day.display)
    if state is None:
        return
    note = " (first day assumed: record the school's first day of attendance)" if assumed else ""
    yield day.item(
        rule_id="ny.public_hearing",
        what=f"Public hearing {label}",
        due=due,
        state=state,
        explanation=f"A school in Receivership holds a public hearing within"
        f" {rule.days_after_first_day} days of the first day of student attendance,"
        f" {short_day(first_day)}{note}.",
        kind=TargetKind.OBLIGATION,
        period=label,
        record_id=recorded.id if recorded else None,
    )
