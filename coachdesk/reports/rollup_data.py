"""The roll-up a supervisor (or the state hub) reads: each coach's schools on one day.

    rollup = build_rollup(session, RollupFilter(program="NY_RCV"), today=dt.date(2027, 3, 15))

Per coach and per school (every active assignment of the school year): the last final visit,
visits this month against the program's cadence, overdue obligations and next steps, indicator
status counts, the NNPS stage (OH), the partnership phase and progress-monitoring meetings held
(MA). Frozen plain data, built with portable SQL (`coachdesk/reports/rollup_facts.py`) through a
SQLAlchemy Session or Connection, so the window, the CLI, the CSV, the PDF and the PostgreSQL hub
read the same numbers.

What is due and how an indicator stands come from the project's rules
(`coachdesk.core.tracking_rules.due_items`, `indicator_status`), never a copy of them:
- overdue: the school's due items that are overdue or missed and are an obligation, a plan
  or a next step (late visits show as visits this month against the cadence instead);
- visits this month: visits held (a draft, final or shared note; not planned, not cancelled)
  from the first of the month up to the day, of the visit types the program's cadence rule
  counts (NY on-site visits, OH check-ins; every type for MA);
- expected this month: NY 1 in a month the monthly-visit rule runs (0 outside); OH the
  check-in interval of the school's stage (capped by an active coaching flag) when it is a
  month or shorter; None for MA, whose cadence is its progress-monitoring windows;
- indicators: each indicator's status on the day; an indicator whose latest measurement comes
  from fewer students than the program's small-cell minimum counts as suppressed, not by its
  status (as in print: a small cell's result is not shown, so neither is what it implies).

No other number counts students, so nothing else is suppressed. Answers are never read.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from coachdesk.core.programs import programs
from coachdesk.core.tracking_records.facts_query import DISTRICT_PROGRAMS
from coachdesk.core.tracking_rules import (
    DueItem,
    DueState,
    Rules,
    Status,
    TargetKind,
    due_items,
    indicator_status,
    must_suppress,
    shipped_rules,
)
from coachdesk.core.tracking_rules.oh import check_in_interval
from coachdesk.reports.rollup_facts import (
    AssignedOrg,
    RollupFacts,
    VisitTally,
    read_rollup_facts,
)

NO_STAGE = "No stage recorded"
LATE = frozenset({DueState.OVERDUE, DueState.MISSED})
OVERDUE_KINDS = frozenset({TargetKind.OBLIGATION, TargetKind.ACTION_ITEM, TargetKind.PLAN})
MONTH_DAYS = 30.44


@dataclass(frozen=True)
class RollupFilter:
    """Which lines the roll-up keeps; None keeps all."""

    program: str | None = None  # a program code: NY_RCV, MA_SSOS, OH_NNPS
    region: str | None = None  # a coach's employer, as written on their profile
    coach_id: str | None = None


@dataclass(frozen=True)
class IndicatorCounts:
    """Indicators by status on the day (pending and no target count as no data)."""

    met: int
    on_track: int
    at_risk: int  # at risk, and annual results that did not meet the target
    no_data: int
    suppressed: int = 0  # the latest value is a small cell: its status is not shown

    @property
    def total(self) -> int:
        return self.met + self.on_track + self.at_risk + self.no_data + self.suppressed

    def __add__(self, other: IndicatorCounts) -> IndicatorCounts:
        return IndicatorCounts(
            self.met + other.met,
            self.on_track + other.on_track,
            self.at_risk + other.at_risk,
            self.no_data + other.no_data,
            self.suppressed + other.suppressed,
        )


NO_INDICATORS = IndicatorCounts(0, 0, 0, 0)


@dataclass(frozen=True)
class SchoolLine:
    """One coach's school (or district) in one program, as the roll-up shows it."""

    coach_id: str
    coach: str
    region: str  # the coach's employer ("" when not recorded)
    program: str  # code
    district_id: str | None
    district: str | None
    school_id: str
    school: str
    last_final_visit: dt.date | None
    visits_this_month: int
    visits_expected_this_month: int | None  # None: the program's cadence is not monthly
    overdue: int  # overdue or missed obligations, plans and next steps
    indicators: IndicatorCounts
    nnps_stage: str | None  # OH
    ma_phase: str | None  # MA: the partnership phase(s) in force, "2 and 3"
    pm_meetings_held: int | None  # MA: progress-monitoring meetings held this school year
    kind: str = "school"  # school | district
    cadence: str = ""  # the program's cadence for this school, in words
    assignment_id: str = ""  # "" for a district line standing for the district's schools


@dataclass(frozen=True)
class CoachLine:
    """One coach's totals over the school lines kept."""

    coach_id: str
    coach: str
    region: str
    schools: int  # school lines (district lines not counted)
    last_final_visit: dt.date | None
    visits_this_month: int
    visits_expected_this_month: int | None
    overdue: int
    indicators: IndicatorCounts
    pm_meetings_held: int | None


@dataclass(frozen=True)
class Rollup:
    as_of: dt.date
    prepared_by: str
    filter: RollupFilter
    schools: list[SchoolLine]
    coaches: list[CoachLine]
    nnps_stages: dict[str, int]  # OH schools kept, by their current stage
    # What the filters offer, from every line held (not only those kept): (id, label).
    programs: list[tuple[str, str]] = field(default_factory=list)
    regions: list[tuple[str, str]] = field(default_factory=list)
    coach_choices: list[tuple[str, str]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """Plain JSON values (for `coachdesk rollup --json` and the hub)."""
        return {
            "as_of": self.as_of.isoformat(),
            "prepared_by": self.prepared_by,
            "filter": {
                "program": self.filter.program,
                "region": self.filter.region,
                "coach_id": self.filter.coach_id,
            },
            "coaches": [_coach_json(c) for c in self.coaches],
            "schools": [_school_json(s) for s in self.schools],
            "nnps_stages": dict(self.nnps_stages),
        }


def build_rollup(
    db: Any,
    filter: RollupFilter = RollupFilter(),  # noqa: B008 - frozen, shared safely
    *,
    today: dt.date,
    prepared_by: str | None = None,
    rules: Rules | None = None,
) -> Rollup:
    """The roll-up of every caseload held in `db` (a Session or Connection) on `today`.

    `prepared_by` defaults to the name of the coach who owns the profile (a supervisor's own
    record), else "coachdesk".
    """
    rules = rules or shipped_rules()
    read = read_rollup_facts(db, today, rules.common.visits)
    kept = _with_districts([a for a in read.assigned if _keeps(filter, a, read)])
    wanted = {a.org_id for a in kept} | {a.district_id for a in kept if a.district_id}
    facts = read.facts
    judged = type(facts)(
        tuple(s for s in facts.schools if s.id in wanted),
        facts.visits,
        facts.action_items,
        facts.obligations,
        facts.indicators,
    )
    overdue = _overdue(due_items(judged, today, rules))
    indicators = _indicator_counts(read, wanted, today)
    index = _Index(read)
    lines = [_line(a, read, index, rules, today, overdue, indicators) for a in kept]
    lines.sort(key=lambda s: (s.coach.casefold(), s.program, s.kind, s.school.casefold()))
    stages = Counter(
        s.nnps_stage or NO_STAGE for s in lines if s.program == "OH_NNPS" and s.kind == "school"
    )
    if prepared_by is None:
        prepared_by = read.prepared_by or "coachdesk"
    return Rollup(
        as_of=today,
        prepared_by=prepared_by,
        filter=filter,
        schools=lines,
        coaches=_coach_lines(lines),
        nnps_stages=dict(sorted(stages.items())),
        programs=_program_choices(read),
        regions=sorted(
            {(r, r) for r in (_region(read, a.coach_id) for a in read.assigned) if r},
            key=lambda p: p[1].casefold(),
        ),
        coach_choices=sorted(
            {(a.coach_id, _coach_name(read, a.coach_id)) for a in read.assigned},
            key=lambda p: p[1].casefold(),
        ),
    )


def _with_districts(kept: list[AssignedOrg]) -> list[AssignedOrg]:
    """The lines kept, plus a district line wherever a coach has MA or OH schools of a district
    not itself assigned to them: PM meetings and coaching logs are the district's."""
    have = {(a.coach_id, a.program, a.org_id) for a in kept}
    extra: dict[tuple[str, str, str], AssignedOrg] = {}
    for a in kept:
        key = (a.coach_id, a.program, a.district_id or "")
        if a.kind != "school" or not a.district_id or a.program not in DISTRICT_PROGRAMS:
            continue
        if key in have or key in extra:
            continue
        extra[key] = replace(
            a,
            assignment_id="",
            org_id=a.district_id,
            org_name=a.district_name or "District",
            kind="district",
        )
    return kept + list(extra.values())


def rollup_of(profile: Any, filter: RollupFilter = RollupFilter(), *, today: dt.date) -> Rollup:  # noqa: B008
    """`build_rollup` in one read transaction of a desktop profile (for the window, which
    holds no session of its own)."""
    with profile.reading() as session:
        return build_rollup(session, filter, today=today)


def coaches_held(profile: Any, *, today: dt.date | None = None) -> int:
    """How many coaches have an active assignment this school year in the profile (the
    supervisor's own included when they have a caseload); the demo's are not counted."""
    from coachdesk.reports.rollup_facts import read_assigned

    with profile.reading() as session:
        return len({a.coach_id for a in read_assigned(session, today or dt.date.today())})


def checked_filter(
    db: Any,
    *,
    today: dt.date,
    program: str | None = None,
    region: str | None = None,
    coach: str | None = None,
) -> RollupFilter:
    """The filter for words a person typed (a program's code or name, a region, a coach's
    name; any case), checked against what `db` holds; RefusedInput with one sentence naming
    the choices when one matches nothing (or a coach's name matches two coaches)."""
    from coachdesk.core.errors import RefusedInput
    from coachdesk.reports.rollup_facts import read_assigned, read_coaches

    coaches = read_coaches(db)
    assigned = read_assigned(db, today)
    code = None
    if program is not None:
        known = programs()
        by_word = {c.casefold(): c for c in known} | {
            p.name.casefold(): c for c, p in known.items()
        }
        code = by_word.get(program.strip().casefold())
        if code is None:
            raise RefusedInput(f"“{program}” is not a program; choose one of: {', '.join(known)}.")
    regions = sorted(
        {(coaches[a.coach_id].employer or "") for a in assigned if a.coach_id in coaches} - {""}
    )
    if region is not None and region.strip().casefold() not in {r.casefold() for r in regions}:
        listed = "; ".join(regions) if regions else "none is recorded"
        raise RefusedInput(f"No coach works for “{region}”; the regions are: {listed}.")
    coach_id = None
    if coach is not None:
        on_caseloads = {a.coach_id for a in assigned if a.coach_id in coaches}
        named = [i for i in on_caseloads if coaches[i].name.casefold() == coach.strip().casefold()]
        if not named:
            names = sorted({coaches[i].name for i in on_caseloads}, key=str.casefold)
            listed = ", ".join(names) if names else "none has sent a bundle yet"
            raise RefusedInput(
                f"No coach named “{coach}” has schools here; the coaches are: {listed}."
            )
        if len(named) > 1:
            raise RefusedInput(
                f"Two coaches are named “{coach}”; filter by region as well, or use the window."
            )
        coach_id = named[0]
    return RollupFilter(program=code, region=region.strip() if region else None, coach_id=coach_id)


# --- one line -------------------------------------------------------------------------------------


class _Index:
    """The facts by organization, so each line looks up its own rather than scanning all."""

    def __init__(self, read: RollupFacts) -> None:
        self.school = {(s.id, s.program): s for s in read.facts.schools}
        self.visits: dict[str, list[VisitTally]] = {}
        for v in read.visits:
            self.visits.setdefault(v.org_id, []).append(v)

    def visits_of(self, a: AssignedOrg) -> list[VisitTally]:
        """The coach's visits to the org itself (a visit with no assignment recorded counts
        for whoever has the school). A district line counts the visits made to the district,
        not its schools', so a coach's totals count each visit once."""
        return [
            v
            for v in self.visits.get(a.org_id, ())
            if v.coach_id is None or v.coach_id == a.coach_id
        ]


def _line(
    a: AssignedOrg,
    read: RollupFacts,
    index: _Index,
    rules: Rules,
    today: dt.date,
    overdue: Counter[str],
    indicators: dict[str, IndicatorCounts],
) -> SchoolLine:
    school = index.school[(a.org_id, a.program)]
    visits = index.visits_of(a)
    finals = [v.last_final for v in visits if v.last_final is not None]
    expected, cadence, types = _cadence(a, school, rules, today)
    if a.kind == "district":
        # A district's cadence is met by its schools' visits, counted on their own lines.
        expected, cadence = None, "through its schools"
    this_month = sum(v.held_this_month for v in visits if not types or v.type in types)
    pm = None
    if a.program == "MA_SSOS":
        pm_types = rules.ma.pm_windows.visit_types
        pm = sum(v.held_this_year for v in visits if v.type in pm_types)
    phase = None
    if a.program == "MA_SSOS":
        found = programs().get(a.program)
        phases = found.phases_on(today) if found else ()
        phase = " and ".join(str(p.number) for p in phases) or "between phases"
    return SchoolLine(
        coach_id=a.coach_id,
        coach=_coach_name(read, a.coach_id),
        region=_region(read, a.coach_id),
        program=a.program,
        district_id=a.district_id,
        district=a.district_name,
        school_id=a.org_id,
        school=a.org_name,
        last_final_visit=max(finals) if finals else None,
        visits_this_month=this_month,
        visits_expected_this_month=expected,
        overdue=overdue.get(a.org_id, 0),
        indicators=indicators.get(a.org_id, NO_INDICATORS),
        nnps_stage=school.stage if a.program == "OH_NNPS" else None,
        ma_phase=phase,
        pm_meetings_held=pm,
        kind=a.kind,
        cadence=cadence,
        assignment_id=a.assignment_id,
    )


def _cadence(
    a: AssignedOrg, school: Any, rules: Rules, today: dt.date
) -> tuple[int | None, str, frozenset[str]]:
    """Visits expected this month, the cadence in words, and the visit types it counts."""
    if a.program == "NY_RCV":
        rule = rules.ny.monthly_visit
        if not rule.scope.covers(school):
            return None, "", frozenset()
        if today.month in rule.months:
            return 1, "a visit every month", rule.visit_types
        return 0, "no monthly visit this month", rule.visit_types
    if a.program == "OH_NNPS":
        check_ins = rules.oh.check_ins
        if not check_ins.scope.covers(school):
            return None, "", frozenset()
        flags = sum(1 for f in school.flags if f.active_on(today))
        interval, _capped = check_in_interval(check_ins, school.stage, flags)
        words = f"a check-in every {interval}"
        days = interval.nominal_days()
        if days > MONTH_DAYS + 1:
            return None, words, check_ins.visit_types
        return max(1, round(MONTH_DAYS / days)), words, check_ins.visit_types
    if a.program == "MA_SSOS":
        return None, "progress-monitoring windows", frozenset()
    return None, "", frozenset()


# --- what the rules say ---------------------------------------------------------------------------


def _overdue(items: list[DueItem]) -> Counter[str]:
    return Counter(
        item.school_id for item in items if item.state in LATE and item.target.kind in OVERDUE_KINDS
    )


def _indicator_counts(
    read: RollupFacts, wanted: set[str], today: dt.date
) -> dict[str, IndicatorCounts]:
    known = programs()
    program_of = {a.org_id: a.program for a in read.assigned}
    counts: dict[str, list[int]] = {}
    for fact in read.facts.indicators:
        if fact.school_id not in wanted:
            continue
        slot = counts.setdefault(fact.school_id, [0, 0, 0, 0, 0])
        found = known.get(program_of.get(fact.school_id, ""))
        minimum = found.min_n if found else 10
        slot[_slot(fact, today, minimum)] += 1
    return {org: IndicatorCounts(*c) for org, c in counts.items()}


_SLOTS = {
    Status.MET: 0,
    Status.ON_TRACK: 1,
    Status.AT_RISK: 2,
    Status.NOT_MET: 2,
    Status.NO_DATA: 3,
    Status.PENDING: 3,
}


def _slot(fact: Any, today: dt.date, minimum: int) -> int:
    if fact.target is None:
        return 3
    try:
        report = indicator_status(fact.indicator, fact.target, fact.measurements, today)
    except ValueError:
        return 3  # a target the rules cannot track against: no data to judge
    if report.latest is not None and must_suppress(report.latest.n, minimum):
        if report.status is not Status.NO_DATA:
            return 4
    return _SLOTS[report.status]


# --- totals and choices ---------------------------------------------------------------------------


def _coach_lines(lines: list[SchoolLine]) -> list[CoachLine]:
    by_coach: dict[str, list[SchoolLine]] = {}
    for line in lines:
        by_coach.setdefault(line.coach_id, []).append(line)
    found = []
    for coach_id, mine in by_coach.items():
        finals = [s.last_final_visit for s in mine if s.last_final_visit is not None]
        expected = [s.visits_expected_this_month for s in mine]
        pm = [s.pm_meetings_held for s in mine if s.pm_meetings_held is not None]
        total = NO_INDICATORS
        for s in mine:
            total = total + s.indicators
        found.append(
            CoachLine(
                coach_id=coach_id,
                coach=mine[0].coach,
                region=mine[0].region,
                schools=sum(1 for s in mine if s.kind == "school"),
                last_final_visit=max(finals) if finals else None,
                visits_this_month=sum(s.visits_this_month for s in mine),
                visits_expected_this_month=None
                if all(e is None for e in expected)
                else sum(e for e in expected if e is not None),
                overdue=sum(s.overdue for s in mine),
                indicators=total,
                pm_meetings_held=sum(pm) if pm else None,
            )
        )
    return sorted(found, key=lambda c: c.coach.casefold())


def _keeps(filter: RollupFilter, a: AssignedOrg, read: RollupFacts) -> bool:
    if filter.program is not None and a.program != filter.program:
        return False
    if filter.coach_id is not None and a.coach_id != filter.coach_id:
        return False
    if filter.region is not None:
        return _region(read, a.coach_id).casefold() == filter.region.casefold()
    return True


def _coach_name(read: RollupFacts, coach_id: str) -> str:
    coach = read.coaches.get(coach_id)
    return coach.name if coach else "Unknown coach"


def _region(read: RollupFacts, coach_id: str) -> str:
    coach = read.coaches.get(coach_id)
    return (coach.employer or "") if coach else ""


def _program_choices(read: RollupFacts) -> list[tuple[str, str]]:
    known = programs()
    codes = sorted({a.program for a in read.assigned})
    return [(c, known[c].name if c in known else c) for c in codes]


def _counts_json(c: IndicatorCounts) -> dict[str, int]:
    return {
        "met": c.met,
        "on_track": c.on_track,
        "at_risk": c.at_risk,
        "no_data": c.no_data,
        "suppressed": c.suppressed,
    }


def _day(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _school_json(s: SchoolLine) -> dict[str, Any]:
    return {
        "coach_id": s.coach_id,
        "coach": s.coach,
        "region": s.region,
        "program": s.program,
        "kind": s.kind,
        "district_id": s.district_id,
        "district": s.district,
        "school_id": s.school_id,
        "school": s.school,
        "last_final_visit": _day(s.last_final_visit),
        "visits_this_month": s.visits_this_month,
        "visits_expected_this_month": s.visits_expected_this_month,
        "cadence": s.cadence,
        "overdue": s.overdue,
        "indicators": _counts_json(s.indicators),
        "nnps_stage": s.nnps_stage,
        "ma_phase": s.ma_phase,
        "pm_meetings_held": s.pm_meetings_held,
    }


def _coach_json(c: CoachLine) -> dict[str, Any]:
    return {
        "coach_id": c.coach_id,
        "coach": c.coach,
        "region": c.region,
        "schools": c.schools,
        "last_final_visit": _day(c.last_final_visit),
        "visits_this_month": c.visits_this_month,
        "visits_expected_this_month": c.visits_expected_this_month,
        "overdue": c.overdue,
        "indicators": _counts_json(c.indicators),
        "pm_meetings_held": c.pm_meetings_held,
    }
