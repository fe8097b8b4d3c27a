"""Reading many coaches' caseloads for the roll-up, in portable SQL (SQLite and PostgreSQL).

`read_rollup_facts` runs a fixed handful of set-based SELECTs through a SQLAlchemy Session or
Connection (no SQLite-only functions: dates and minutes are worked out in Python), and returns
the assignments it found and the plain facts the cadence rules read
(`coachdesk.core.tracking_rules.facts.CaseloadFacts`). The roll-up then judges those facts with
the project's own rules (`due_items`, `indicator_status`); nothing here decides what is due.

It reads the same facts `coachdesk/core/tracking_records/facts_query.py::read_facts` reads for
one coach, for every coach whose records a supervisor's profile or the state hub holds. Answers
are never read: the roll-up shows no answer text.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import String, and_, case, cast, func, select
from sqlalchemy.orm import Session, aliased

from coachdesk.core.store.schema import (
    Assignment,
    Coach,
    CoachingFlag,
    DemoRecord,
    Organization,
    ProfileFact,
    StageRecord,
)
from coachdesk.core.store.tracking_tables import (
    Indicator,
    InstructionalPriority,
    Measurement,
    Obligation,
)
from coachdesk.core.store.tracking_tables import Target as IndicatorTarget
from coachdesk.core.store.visit_tables import ActionItem, Visit
from coachdesk.core.tracking_records.facts_query import (
    DISTRICT_PROGRAMS,
    LOOK_BACK_DAYS,
    to_indicator,
    to_target,
)
from coachdesk.core.tracking_rules import (
    ActionItemFact,
    CaseloadFacts,
    FlagFact,
    IndicatorFact,
    ObligationFact,
    SchoolFact,
)
from coachdesk.core.tracking_rules.engine import VisitVocabulary

DEFAULT_TZ = "America/New_York"


@dataclass(frozen=True)
class AssignedOrg:
    """One active assignment of the school year: a coach's school or district in a program."""

    assignment_id: str
    coach_id: str
    org_id: str
    org_name: str
    kind: str  # school | district
    program: str
    district_id: str | None  # the school's district; a district's own id
    district_name: str | None
    tz: str
    assigned_on: dt.date | None  # the (UTC) day the assignment was recorded


@dataclass(frozen=True)
class VisitTally:
    """One coach's visits of one type to one org, counted in SQL (a GROUP BY, not a row each)."""

    org_id: str
    coach_id: str | None  # the coach of the visits' assignment (None: no assignment recorded)
    type: str
    last_final: dt.date | None  # the latest visit whose note is final (or shared)
    held_this_month: int  # held (a note in any state), from the 1st of the month to the day
    held_this_year: int  # held since the school year began, up to the day


@dataclass(frozen=True)
class CoachRow:
    id: str
    name: str
    employer: str | None


@dataclass(frozen=True)
class RollupFacts:
    """What the roll-up reads in one pass: coaches, assignments, facts and the year's visits."""

    coaches: dict[str, CoachRow]
    assigned: list[AssignedOrg]
    facts: CaseloadFacts
    # The assigned orgs' visits up to the day, per coach and type, back to the school year's
    # start (or further, to the 200 days the rules look back over, for the last final visit).
    visits: list[VisitTally]
    prepared_by: str | None  # the name of the coach who owns the profile, when it has one


def school_year_start(day: dt.date) -> dt.date:
    """The 1 July the school year holding `day` began on (every shipped program's start)."""
    return dt.date(day.year if day.month >= 7 else day.year - 1, 7, 1)


def school_year_label(day: dt.date) -> str:
    start = school_year_start(day).year
    return f"{start}-{(start + 1) % 100:02d}"


def read_coaches(db: Any) -> dict[str, CoachRow]:
    rows = db.execute(
        select(Coach.id, Coach.name, Coach.employer).where(Coach.deleted_at.is_(None))
    )
    return {r.id: CoachRow(r.id, r.name, r.employer) for r in rows}


def read_assigned(db: Any, day: dt.date) -> list[AssignedOrg]:
    """Every active assignment of the school year holding `day` (demo ones left out)."""
    district = aliased(Organization)
    demo = select(DemoRecord.record_id).where(DemoRecord.record_type == "assignment")
    rows = db.execute(
        select(
            Assignment.id,
            Assignment.coach_id,
            Assignment.program_code,
            Assignment.created_hlc,
            Organization.id.label("org_id"),
            Organization.name,
            Organization.kind,
            Organization.tz,
            Organization.parent_id,
            district.name.label("district_name"),
        )
        .join(Organization, Organization.id == Assignment.org_id)
        .outerjoin(
            district, and_(district.id == Organization.parent_id, district.deleted_at.is_(None))
        )
        .where(
            Assignment.deleted_at.is_(None),
            Organization.deleted_at.is_(None),
            Assignment.status == "active",
            Assignment.school_year == school_year_label(day),
            Assignment.id.not_in(demo),
        )
    )
    found = []
    for r in rows:
        is_district = r.kind == "district"
        found.append(
            AssignedOrg(
                assignment_id=r.id,
                coach_id=r.coach_id,
                org_id=r.org_id,
                org_name=r.name,
                kind="district" if is_district else "school",
                program=r.program_code,
                district_id=r.org_id if is_district else r.parent_id,
                district_name=r.name if is_district else r.district_name,
                tz=r.tz or DEFAULT_TZ,
                assigned_on=_hlc_day(r.created_hlc),
            )
        )
    return found


def read_rollup_facts(db: Any, day: dt.date, vocabulary: VisitVocabulary) -> RollupFacts:
    """The coaches, assignments and facts of every caseload held, around `day`.

    The facts carry no visits: the roll-up counts overdue obligations, plans and next steps,
    and no rule that lists those reads visits (visits make the cadence and note items, which
    the roll-up shows as visits against the cadence instead). Judging 30,000 visits again for
    items it then leaves out took a third of a roll-up's time. The visits are counted in SQL
    (`VisitTally`), with the rules' words for held and final (`vocabulary`).
    """
    coaches = read_coaches(db)
    assigned = read_assigned(db, day)
    year = school_year_label(day)
    schools = _school_facts(db, assigned, day, year)
    known = {s.id for s in schools}
    coach_of = {a.assignment_id: a.coach_id for a in assigned}
    coach_of.update(_coach_of_assignments(db, known, coach_of))
    visits = [v for v in _visit_tallies(db, day, vocabulary, coach_of) if v.org_id in known]
    core = _core(db)
    actions = tuple(
        ActionItemFact(r[0], r[1], r[2] or "", _day(r[3]), r[4], r[5])
        for r in core.execute(
            select(
                ActionItem.id,
                ActionItem.org_id,
                ActionItem.text,
                as_text(ActionItem.due),
                ActionItem.status,
                ActionItem.visit_id,
            ).where(ActionItem.deleted_at.is_(None), ActionItem.status == "open")
        )
        if r[1] in known
    )
    obligations = tuple(
        ObligationFact(r[0], r[1], r[2], r[3], _day(r[4]), r[5], r[6])
        for r in core.execute(
            select(
                Obligation.id,
                Obligation.org_id,
                Obligation.kind,
                Obligation.period,
                as_text(Obligation.due),
                Obligation.status,
                Obligation.label,
            ).where(Obligation.deleted_at.is_(None))
        )
        if r[1] in known
    )
    facts = CaseloadFacts(schools, (), actions, obligations, _indicators(db, year, known))
    return RollupFacts(coaches, assigned, facts, visits, _owner_name(db, coaches))


def _school_facts(
    db: Any, assigned: list[AssignedOrg], day: dt.date, year: str
) -> tuple[SchoolFact, ...]:
    """One SchoolFact per organization and program (two coaches on one school judge it once),
    plus the district entry of every MA or OH school, as `read_facts` makes them."""
    year_start = school_year_start(day)
    entries: dict[tuple[str, str], dict] = {}
    for a in assigned:
        since = _since(year_start, a.assigned_on, day)
        key = (a.org_id, a.program)
        entry = entries.setdefault(
            key, {"id": a.org_id, "name": a.org_name, "kind": a.kind, "tz": a.tz, "since": since}
        )
        entry["since"] = min(entry["since"], since)
        if a.kind == "school" and a.district_id and a.program in DISTRICT_PROGRAMS:
            district = entries.setdefault(
                (a.district_id, a.program),
                {
                    "id": a.district_id,
                    "name": a.district_name or "District",
                    "kind": "district",
                    "tz": a.tz,
                    "since": since,
                },
            )
            district["since"] = min(district["since"], since)
    if not entries:
        return ()
    stages: dict[tuple[str, str], str] = {}
    for r in db.execute(
        select(StageRecord.org_id, StageRecord.program_code, StageRecord.stage)
        .where(StageRecord.deleted_at.is_(None), StageRecord.effective <= day)
        .order_by(StageRecord.effective, StageRecord.created_hlc)
    ):
        stages[(r.org_id, r.program_code)] = r.stage
    flags: dict[str, list[FlagFact]] = defaultdict(list)
    for r in db.execute(
        select(
            CoachingFlag.org_id, CoachingFlag.reason, CoachingFlag.start, CoachingFlag.ended_on
        ).where(CoachingFlag.deleted_at.is_(None))
    ):
        flags[r.org_id].append(FlagFact(r.reason, r.start, r.ended_on))
    checklists = {
        r.org_id: frozenset(json.loads(r.checklist_done or "[]"))
        for r in db.execute(
            select(InstructionalPriority.org_id, InstructionalPriority.checklist_done).where(
                InstructionalPriority.deleted_at.is_(None),
                InstructionalPriority.school_year == year,
            )
        )
    }
    return tuple(
        SchoolFact(
            id=e["id"],
            name=e["name"],
            program=program,
            kind=e["kind"],
            tz=e["tz"],
            stage=stages.get((org_id, program)),
            flags=tuple(flags.get(org_id, ())),
            since=e["since"],
            checklist_done=checklists.get(org_id, frozenset()),
        )
        for (org_id, program), e in entries.items()
    )


def _coach_of_assignments(db: Any, known: set[str], seen: dict[str, str]) -> dict[str, str]:
    """Coach ids of other years' assignments of the orgs held (a visit from last spring points
    at last year's assignment)."""
    rows = db.execute(
        select(Assignment.id, Assignment.coach_id, Assignment.org_id).where(
            Assignment.deleted_at.is_(None)
        )
    )
    return {r.id: r.coach_id for r in rows if r.id not in seen and r.org_id in known}


def _visit_tallies(
    db: Any, day: dt.date, vocabulary: VisitVocabulary, coach_of: dict[str, str]
) -> list[VisitTally]:
    """Per org, assignment and visit type: the last final visit up to `day` (back to the school
    year's start or the 200 days the rules look back over, whichever is earlier), and the
    visits held this month and this school year. As in read_facts, a visit is held by a day
    only when it has taken place (a draft dated later is a planned visit)."""
    year_start = school_year_start(day)
    start = dt.datetime.combine(min(year_start, day - dt.timedelta(days=LOOK_BACK_DAYS)), dt.time())
    # Up to the end of the day asked about, but never past today's: a note dated later is a plan.
    taken_place = dt.datetime.combine(min(day, dt.date.today()) + dt.timedelta(days=1), dt.time())
    month = dt.datetime.combine(day.replace(day=1), dt.time())
    year = dt.datetime.combine(year_start, dt.time())
    held = Visit.status.in_(sorted(vocabulary.held))
    final = Visit.status.in_(sorted(vocabulary.final))

    def held_since(first: dt.datetime) -> Any:
        return func.sum(case((and_(held, Visit.starts_at >= first), 1), else_=0))

    rows = _core(db).execute(
        select(
            Visit.org_id,
            Visit.assignment_id,
            Visit.visit_type,
            as_text(func.max(case((final, Visit.starts_at), else_=None))),
            held_since(month),
            held_since(year),
        )
        .where(Visit.deleted_at.is_(None), Visit.starts_at >= start, Visit.starts_at < taken_place)
        .group_by(Visit.org_id, Visit.assignment_id, Visit.visit_type)
    )
    found = []
    for org, assignment, kind, last_final, this_month, this_year in rows:
        coach = coach_of.get(assignment) if assignment else None
        found.append(
            VisitTally(org, coach, kind, _day(last_final), int(this_month), int(this_year))
        )
    return found


def _indicators(db: Any, year: str, known: set[str]) -> tuple[IndicatorFact, ...]:
    start_year = int(year[:4])
    measured: dict[str, list] = defaultdict(list)
    from coachdesk.core.tracking_rules import CheckpointName
    from coachdesk.core.tracking_rules import Measurement as MeasuredValue

    for r in _core(db).execute(
        select(
            Measurement.indicator_id,
            as_text(Measurement.as_of).label("as_of"),
            Measurement.value,
            Measurement.checkpoint,
            Measurement.n,
            Measurement.final,
        )
        .where(
            Measurement.deleted_at.is_(None),
            Measurement.as_of >= dt.date(start_year, 7, 1),
        )
        .order_by(Measurement.as_of)
    ):
        measured[r.indicator_id].append(
            MeasuredValue(
                as_of=dt.date.fromisoformat(r.as_of[:10]),
                value=json.loads(r.value),
                checkpoint=CheckpointName(r.checkpoint) if r.checkpoint else None,
                n=r.n,
                final=bool(r.final),
            )
        )
    rows = _core(db).execute(
        select(
            Indicator.id,
            Indicator.org_id,
            Indicator.code,
            Indicator.name,
            Indicator.origin,
            Indicator.subgroup,
            Indicator.value_type,
            Indicator.direction,
            Indicator.target_set,
            IndicatorTarget.baseline_value,
            IndicatorTarget.baseline_year,
            IndicatorTarget.annual_target,
            IndicatorTarget.checkpoints,
        )
        .outerjoin(
            IndicatorTarget,
            and_(
                IndicatorTarget.indicator_id == Indicator.id,
                IndicatorTarget.school_year == year,
                IndicatorTarget.deleted_at.is_(None),
            ),
        )
        .where(Indicator.deleted_at.is_(None))
        .order_by(Indicator.org_id, Indicator.sort_order, Indicator.code)
    )
    found = []
    targets: dict[tuple[object, ...], Any] = {}
    for row in rows:
        r = row._mapping
        if r["org_id"] not in known:
            continue
        target = None
        if r["checkpoints"] is not None:
            key = (r["annual_target"], r["baseline_value"], r["baseline_year"], r["checkpoints"])
            target = targets.get(key)
            if target is None:
                target = targets[key] = to_target(year, r)
        found.append(
            IndicatorFact(r["org_id"], to_indicator(r), target, tuple(measured.get(r["id"], ())))
        )
    return tuple(found)


def _core(db: Any) -> Any:
    """A Connection to run plain Core selects on: a Session's own (rows without the ORM's
    per-row work), or the Connection given."""
    return db.connection() if isinstance(db, Session) else db


def as_text(column: Any) -> Any:
    """A date or time column read as its ISO text, parsed in Python with fromisoformat (faster
    than the per-row conversion, and the same on SQLite and PostgreSQL)."""
    return cast(column, String)


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text[:10]) if text else None


def _owner_name(db: Any, coaches: dict[str, CoachRow]) -> str | None:
    row = db.execute(select(ProfileFact.value).where(ProfileFact.key == "coach_id")).first()
    if row is None or row.value not in coaches:
        return None
    return coaches[row.value].name


def _hlc_day(hlc: str | None) -> dt.date | None:
    """The UTC day a clock reading was taken (it starts with milliseconds since 1970)."""
    try:
        millis = int(str(hlc)[:15])
    except ValueError:
        return None
    return dt.datetime.fromtimestamp(millis / 1000, dt.UTC).date()


def _since(year_start: dt.date, assigned_on: dt.date | None, day: dt.date) -> dt.date:
    """As facts_query: nothing is due from before the day a school was assigned."""
    if assigned_on is None:
        return year_start
    return max(year_start, assigned_on) if assigned_on <= day else year_start
