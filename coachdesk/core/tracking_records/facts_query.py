"""Reading a caseload's facts from the profile for the cadence rules.

A handful of set-based queries through the profile's plain sqlite3 connection (no SQLAlchemy, so
the Today view and the caseload's due badges stay quick at 200 schools and 50,000 visits), then
the facts are grouped in Python. Visits are read only around the day asked about: the rules look
back a school year at most and ahead a few months.

Districts: MA progress-monitoring meetings and OH coaching logs are the district's, so every
district with an assigned MA or OH school gets a district entry too, and the visits to its
schools count as contact with the district.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Mapping

from coachdesk.core.programs import programs
from coachdesk.core.store.profile import Profile
from coachdesk.core.tracking_rules import Rules, shipped_rules
from coachdesk.core.tracking_rules.dates import MonthDay
from coachdesk.core.tracking_rules.facts import (
    ActionItemFact,
    CaseloadFacts,
    FlagFact,
    IndicatorFact,
    ObligationFact,
    SchoolFact,
    VisitFact,
)
from coachdesk.core.tracking_rules.indicators import (
    Checkpoint,
    CheckpointName,
    Direction,
    Indicator,
    Measurement,
    Origin,
    Target,
    ValueType,
    Window,
)

# The longest rule interval is OH Exploring's 6 months; draft notes are read whatever their age
# because the note rule lists them until finished.
LOOK_BACK_DAYS = 200
LOOK_AHEAD_DAYS = 120
DISTRICT_PROGRAMS = ("MA_SSOS", "OH_NNPS")

# A school put on the caseload during the year has nothing due from before that day: a coach who
# sets up their caseload in December cannot report October's visit. The day is the (UTC) day the
# assignment was recorded; the demo's assignments, recorded the day it loads, keep the whole year.
_ASSIGNMENTS = """
SELECT s.id, s.name, s.kind, s.tz, s.parent_id, a.program_code,
       d.name AS district_name, d.tz AS district_tz,
       CASE WHEN a.id IN (SELECT record_id FROM demo_record WHERE record_type = 'assignment')
            THEN NULL
            ELSE date(CAST(substr(a.created_hlc, 1, 15) AS INTEGER) / 1000, 'unixepoch') END
         AS assigned_on
  FROM assignment a
  JOIN organization s ON s.id = a.org_id
  LEFT JOIN organization d ON d.id = s.parent_id AND d.deleted_at IS NULL
 WHERE a.deleted_at IS NULL AND s.deleted_at IS NULL AND a.status = 'active'
   AND a.school_year = ?
"""
_STAGES = """
SELECT org_id, program_code, stage FROM stage_record
 WHERE deleted_at IS NULL AND effective <= ? ORDER BY effective, created_hlc
"""
_FLAGS = "SELECT org_id, reason, start, ended_on FROM coaching_flag WHERE deleted_at IS NULL"
# Two indexed selects rather than one with an OR, which would make SQLite read every visit:
# the visits in the window the rules look at, and drafts from before it (notes left unfinished).
# The length in minutes is worked out by SQLite, saving ~1.5 ms of read_facts' ~50 ms at 10,000
# visits. SQLite-only: julianday(). Elsewhere, EXTRACT(EPOCH FROM ends_at - starts_at) / 60, or
# subtracting the two parsed times in Python (same minutes on the demo and benchmark profiles).
# The last column is the (UTC) day a note still to finish or share was entered, when that is
# after the visit's day (a back-filled note); the clock reading starts with milliseconds since
# 1970. Worked out by SQLite so the loop below parses only the few that are set.
_VISIT_COLUMNS = """id, org_id, visit_type, starts_at,
       CAST((julianday(ends_at) - julianday(starts_at)) * 1440 + 0.5 AS INTEGER), status,
       CASE WHEN status IN ('draft', 'final') AND
                 date(CAST(substr(created_hlc, 1, 15) AS INTEGER) / 1000, 'unixepoch')
                   > date(starts_at)
            THEN date(CAST(substr(created_hlc, 1, 15) AS INTEGER) / 1000, 'unixepoch') END"""
_VISITS = f"""
SELECT {_VISIT_COLUMNS} FROM visit
 WHERE deleted_at IS NULL AND starts_at < :end AND starts_at >= :start
UNION ALL
SELECT {_VISIT_COLUMNS} FROM visit
 WHERE deleted_at IS NULL AND status = 'draft' AND starts_at < :start
"""
# Visits the demo loaded were written today but stand for visits entered when they were held.
_DEMO_VISITS = "SELECT record_id FROM demo_record WHERE record_type = 'visit'"
_ACTIONS = """
SELECT id, org_id, text, due, status, visit_id FROM action_item
 WHERE deleted_at IS NULL AND status = 'open'
"""
_OBLIGATIONS = (
    "SELECT id, org_id, kind, period, due, status, label FROM obligation WHERE deleted_at IS NULL"
)
_INDICATORS = """
SELECT i.id, i.org_id, i.code, i.name, i.origin, i.subgroup, i.value_type, i.direction,
       i.target_set, t.baseline_value, t.baseline_year, t.annual_target, t.checkpoints
  FROM indicator i
  LEFT JOIN indicator_target t
         ON t.indicator_id = i.id AND t.school_year = ? AND t.deleted_at IS NULL
 WHERE i.deleted_at IS NULL
 ORDER BY i.org_id, i.sort_order, i.code
"""
_MEASUREMENTS = """
SELECT indicator_id, as_of, value, checkpoint, n, final FROM measurement
 WHERE deleted_at IS NULL AND as_of >= ? ORDER BY as_of
"""
_CHECKLISTS = """
SELECT org_id, checklist_done FROM instructional_priority
 WHERE deleted_at IS NULL AND school_year = ?
"""


def school_year_on(day: dt.date) -> str:
    """The school year a day falls in (every shipped program starts its year on 1 July)."""
    return next(iter(programs().values())).school_year(day)


def read_facts(
    profile: Profile, day: dt.date, rules: Rules | None = None
) -> tuple[CaseloadFacts, dict[str, str]]:
    """The caseload's facts around `day`, and every organisation's name by id."""
    rules = rules or shipped_rules()
    # A district's copy of a school visit is only needed for the visit types its rules read.
    district_types = {
        "MA_SSOS": rules.ma.pm_windows.visit_types,
        "OH_NNPS": rules.oh.check_ins.visit_types,
    }
    conn = profile.quick_connection()
    year = school_year_on(day)
    year_start = dt.date(int(year[:4]), 7, 1)
    names: dict[str, str] = {}
    schools: dict[tuple[str, str], dict] = {}
    # school id -> (district id, the visit types that district's rules read) for each copy
    district_of: dict[str, list[tuple[str, frozenset[str]]]] = defaultdict(list)
    for r in conn.execute(_ASSIGNMENTS, (year,)):
        names[r["id"]] = r["name"]
        schools[(r["id"], r["program_code"])] = {
            "id": r["id"],
            "name": r["name"],
            "program": r["program_code"],
            "kind": "district" if r["kind"] == "district" else "school",
            "tz": r["tz"] or "America/New_York",
            "since": _since(year_start, r["assigned_on"], day),
        }
        if r["parent_id"] and r["program_code"] in DISTRICT_PROGRAMS:
            names[r["parent_id"]] = r["district_name"] or "District"
            key = (r["parent_id"], r["program_code"])
            schools.setdefault(
                key,
                {
                    "id": r["parent_id"],
                    "name": r["district_name"] or "District",
                    "program": r["program_code"],
                    "kind": "district",
                    "tz": r["district_tz"] or "America/New_York",
                },
            )
            # A district is on the caseload from the first day one of its schools is.
            district = schools[key]
            school_since = schools[(r["id"], r["program_code"])]["since"]
            district["since"] = min(district.get("since", school_since), school_since)
            district_of[r["id"]].append(
                (r["parent_id"], district_types.get(r["program_code"], frozenset()))
            )
    if not schools:
        return CaseloadFacts(schools=()), names

    stages = {(r[0], r[1]): r[2] for r in conn.execute(_STAGES, (day.isoformat(),))}
    flags: dict[str, list[FlagFact]] = defaultdict(list)
    for r in conn.execute(_FLAGS):
        flags[r[0]].append(FlagFact(r[1], _date(r[2]), _date(r[3]) if r[3] else None))
    checklists = {
        r[0]: frozenset(json.loads(r[1] or "[]")) for r in conn.execute(_CHECKLISTS, (year,))
    }

    school_facts = tuple(
        SchoolFact(
            id=s["id"],
            name=s["name"],
            program=s["program"],
            kind=s["kind"],
            tz=s["tz"],
            stage=stages.get((s["id"], s["program"])),
            flags=tuple(flags.get(s["id"], ())),
            since=s.get("since", year_start),
            checklist_done=checklists.get(s["id"], frozenset()),
        )
        for s in schools.values()
    )
    known = {s.id for s in school_facts}
    visits = _visits(conn, day, known, district_of)
    actions = tuple(
        ActionItemFact(r[0], r[1], r[2] or "", _date(r[3]) if r[3] else None, r[4], r[5])
        for r in conn.execute(_ACTIONS)
        if r[1] in known
    )
    obligations = tuple(
        ObligationFact(r[0], r[1], r[2], r[3], _date(r[4]) if r[4] else None, r[5], r[6])
        for r in conn.execute(_OBLIGATIONS)
        if r[1] in known
    )
    indicators = tuple(read_indicators(profile, year, known))
    facts = CaseloadFacts(school_facts, visits, actions, obligations, indicators)
    return facts, names


def _visits(
    conn, day: dt.date, known: set[str], district_of: Mapping[str, list[tuple[str, frozenset[str]]]]
) -> tuple[VisitFact, ...]:
    start = (day - dt.timedelta(days=LOOK_BACK_DAYS)).isoformat()
    end = (day + dt.timedelta(days=LOOK_AHEAD_DAYS)).isoformat()
    today = dt.date.today()
    found = []
    rows = conn.cursor()
    rows.row_factory = None  # plain tuples: sqlite3.Row costs more than the loop itself
    demo: set[str] | None = None
    for vid, org, kind, starts, minutes, status, entered_on in rows.execute(
        _VISITS, {"end": end, "start": start}
    ):
        begins = dt.datetime.fromisoformat(starts)
        # The store has no "planned" status: a draft visit that has not happened yet is planned.
        # (As of a past day, a later visit had not happened yet either.)
        if status == "draft" and begins.date() > min(today, day):
            status = "planned"
        entered = None
        if entered_on is not None:
            entered = dt.date.fromisoformat(entered_on)
            # Seen from a day before it was entered (`due --on` a past day), it is not yet
            # back-filled: its clock is the visit's. The demo's notes keep their visits' days.
            if entered > day:
                entered = None
            else:
                demo = _demo_visits(conn) if demo is None else demo
                entered = None if vid in demo else entered
        if org in known:
            found.append(VisitFact(vid, org, kind, begins, status, minutes, entered=entered))
        # The district's copy counts as contact only; its note is the school's to finish, so
        # it is marked shared to keep the note rules from listing it twice.
        copy_status = status if status in ("planned", "cancelled") else "shared"
        for district, types in district_of.get(org, ()):
            if kind in types and district in known:
                found.append(VisitFact(vid, district, kind, begins, copy_status, minutes))
    return tuple(found)


def _demo_visits(conn) -> set[str]:
    return {r[0] for r in conn.execute(_DEMO_VISITS)}


def read_indicators(
    profile: Profile, year: str, orgs: set[str] | None = None
) -> list[IndicatorFact]:
    """Every indicator (of `orgs`, when given) with its target for `year` and measurements."""
    conn = profile.quick_connection()
    start_year = int(year[:4])
    measured: dict[str, list[Measurement]] = defaultdict(list)
    for ind_id, as_of, value, checkpoint, n, final in conn.execute(
        _MEASUREMENTS, (f"{start_year}-07-01",)
    ):
        measured[ind_id].append(
            Measurement(
                as_of=_date(as_of),
                value=json.loads(value),
                checkpoint=CheckpointName(checkpoint) if checkpoint else None,
                n=n,
                final=bool(final),
            )
        )
    found = []
    # Targets are frozen, and many indicators carry the same target text (a program's default
    # checkpoint windows and goals): parse each distinct one once.
    targets: dict[tuple[object, ...], Target] = {}
    for r in conn.execute(_INDICATORS, (year,)):
        if orgs is not None and r["org_id"] not in orgs:
            continue
        indicator = to_indicator(r)
        target = None
        if r["checkpoints"] is not None:
            key = (r["annual_target"], r["baseline_value"], r["baseline_year"], r["checkpoints"])
            target = targets.get(key)
            if target is None:
                target = targets[key] = to_target(year, r)
        found.append(
            IndicatorFact(r["org_id"], indicator, target, tuple(measured.get(r["id"], ())))
        )
    return found


def to_indicator(r) -> Indicator:
    """The tracking core's Indicator from an indicator row."""
    return Indicator(
        id=r["id"],
        code=r["code"],
        name=r["name"],
        origin=Origin(r["origin"]),
        value_type=ValueType(r["value_type"]),
        direction=Direction(r["direction"]),
        subgroup=r["subgroup"],
        target_set=frozenset(json.loads(r["target_set"] or "[]")),
    )


def to_target(year: str, r) -> Target:
    """The tracking core's Target from a target row (checkpoints stored as JSON)."""
    checkpoints = tuple(
        Checkpoint(
            CheckpointName(c["name"]),
            Window(_date(c["from"]), _date(c["to"])),
            c.get("goal"),
        )
        for c in json.loads(r["checkpoints"] or "[]")
    )
    return Target(
        school_year=year,
        annual_target=json.loads(r["annual_target"] or "null"),
        baseline_value=json.loads(r["baseline_value"] or "null"),
        baseline_year=r["baseline_year"],
        checkpoints=checkpoints,
        year_start=MonthDay(7, 1),
    )


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(str(text)[:10])


def _since(year_start: dt.date, assigned_on: str | None, day: dt.date) -> dt.date:
    """The first day anything is due from: the school year's start, or the day it was assigned.

    Seen from a day before it was assigned (`due --on` a past day), the school is judged as if it
    had been on the caseload all year: that is what such a look back asks.
    """
    if assigned_on is None:
        return year_start
    assigned = dt.date.fromisoformat(assigned_on)
    return max(year_start, assigned) if assigned <= day else year_start
