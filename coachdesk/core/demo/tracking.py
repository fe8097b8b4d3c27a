"""Demo tracking data: NY DIIs with targets and measurements, MA Instructional Priorities with
benchmarks by student group, OH action plans and essential elements, and the reports already sent.

Dates follow the school year the demo is loaded in, and only measurements dated on or before
that day are added, so the Today view shows a realistic mix (some checkpoints measured, some
missing, some schools behind) on any day of the year. Ids are stable: loading twice adds nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coachdesk.core.demo.collect import DemoSink
from coachdesk.core.ids import stable_id
from coachdesk.core.store.schema import Assignment, Organization
from coachdesk.core.store.tracking_tables import (
    ElementStatus,
    Indicator,
    InstructionalPriority,
    Measurement,
    Obligation,
    PartnershipGoal,
    PlanActivity,
    Target,
)

SEED = "coachdesk-demo-tracking-1"

# NY DIIs: code, name, origin, value type, direction, target set, baseline, annual target.
_DIIS = [
    (
        "ELA38",
        "3-8 ELA: Level 2 & above (All Students)",
        "assigned",
        "percent",
        "higher",
        [],
        38,
        46,
    ),
    (
        "MATH38",
        "3-8 Math: Level 2 & above (All Students)",
        "assigned",
        "percent",
        "higher",
        [],
        41,
        48,
    ),
    ("CHRON", "Chronic absenteeism (All Students)", "assigned", "rate", "lower", [], 34, 27),
    ("ELP", "English language proficiency progress", "assigned", "percent", "higher", [], 28, 35),
    ("MGP", "ELA mean growth percentile", "selected", "scale", "higher", [], 44, 50),
    ("SUSP", "Out-of-school suspensions", "selected", "count", "lower", [], 60, 40),
    ("DTSDE", "DTSDE Tenet 4 stage", "selected", "stage", "in_set", ["3", "4"], None, None),
    ("PLC", "Weekly grade-level PLCs in place", "local", "boolean", "in_set", ["yes"], None, None),
    ("SWDELA", "3-8 ELA: Level 2 & above (SWD)", "selected", "percent", "higher", [], 12, 18),
    ("ATTD", "Average daily attendance", "local", "percent", "higher", [], 88, 92),
]
_WINDOWS = {"early": ((9, 15), (10, 30)), "mid": ((1, 2), (1, 31)), "eoy": ((6, 1), (7, 22))}

# MA benchmarks tied to the IP, measured for each student group with a typical group size.
_BENCHMARKS = [
    ("DISC", "Classrooms where most students explain their reasoning (learning walk)", 35, 60),
    ("MCAP", "Students meeting the math interim benchmark", 31, 45),
]
_GROUPS = [("All", 260), ("ML", 48), ("SWD", 7)]  # SWD n < 10: shown suppressed

_TYPES = {
    1: "Parenting",
    2: "Communicating",
    3: "Volunteering",
    4: "Learning at Home",
    5: "Decision Making",
    6: "Collaborating with Community",
}
_ACTIVITIES = [
    ("academic", "Family math night with take-home games", 4, 10, "Math coach; ATP chair", 400),
    ("academic", "Reading-at-home calendar and log", 4, 11, "Literacy teacher", 150),
    (
        "behavioral",
        "Welcome breakfast for new families",
        1,
        9,
        "Principal; PTO representative",
        250,
    ),
    ("behavioral", "Two-way weekly class newsletters", 2, 9, "Grade-level leads", 0),
    ("climate", "Volunteer sign-up and orientation", 3, 10, "Parent liaison", 60),
    ("climate", "Families on the school improvement team", 5, 11, "Principal", 0),
    (
        "climate",
        "Community resource fair with local partners",
        6,
        3,
        "Parent liaison; counselor",
        500,
    ),
    ("academic", "Spring student-led conferences", 2, 4, "Teachers", 100),
]
_GOALS = {
    "academic": ("Raise grade 3-5 math proficiency", "Interim math benchmark"),
    "behavioral": ("Improve attendance in grades K-2", "Chronic absence rate"),
    "climate": ("A welcoming school for every family", "Spring climate survey"),
}
_ELEMENT_STATES = ["in place", "developing", "developing", "in place", "not started"]


def load(session: Session, *, today: dt.date, sink: DemoSink) -> int:
    """Add the demo tracking records that are not there yet; returns how many were added.

    Only the demo's own assignments (those the caseload loader noted in `sink`) get tracking
    records, so a coach's own schools are left alone and every run gives the same ids.
    """
    before = sink.added
    query = (
        select(Assignment, Organization)
        .join(Organization, Organization.id == Assignment.org_id)
        .where(Assignment.id.in_(sorted(sink.noted(Assignment))))
        .order_by(Organization.name, Assignment.id)
    )
    if sink.adding:
        query = query.where(Assignment.deleted_at.is_(None))
    rows = session.execute(query).all()
    for assignment, school in rows:
        year = assignment.school_year
        start_year = int(year[:4])
        rng = random.Random(f"{SEED}:{school.id}")
        if assignment.program_code == "NY_RCV":
            _ny(sink, school, year, start_year, today, rng)
        elif assignment.program_code == "OH_NNPS":
            _oh(sink, school, year, start_year, today, rng)
    ma_districts = {
        (school.parent_id, a.school_year)
        for a, school in rows
        if a.program_code == "MA_SSOS" and school.parent_id
    }
    for district_id, year in sorted(ma_districts):
        schools = [s for a, s in rows if a.program_code == "MA_SSOS" and s.parent_id == district_id]
        _ma(sink, district_id, schools, year, today)
    return sink.added - before


def _add(sink: DemoSink, model, key: str, **fields) -> int:
    return 1 if sink.keep(model, stable_id(key), **fields) else 0


def _checkpoints(start_year: int, goals: Mapping[str, float]) -> list[dict[str, Any]]:
    found = []
    for name, ((m1, d1), (m2, d2)) in _WINDOWS.items():
        year = start_year if m1 >= 7 else start_year + 1
        found.append(
            {
                "name": name,
                "from": dt.date(year, m1, d1).isoformat(),
                "to": dt.date(year, m2, d2).isoformat(),
                "goal": goals.get(name),
            }
        )
    return found


def _ny(sink, school, year, start_year, today, rng) -> int:
    added = 0
    # Some schools fall behind on their data: they skip the open checkpoint or lag the line.
    skips_data = rng.random() < 0.3
    behind = rng.random() < 0.4
    for order, (code, name, origin, vtype, direction, tset, base, goal) in enumerate(_DIIS):
        key = f"demo:dii:{school.id}:{code}"
        ind_id = stable_id(key)
        added += _add(
            sink,
            Indicator,
            key,
            org_id=school.id,
            program_code="NY_RCV",
            code=code,
            name=name,
            origin=origin,
            subgroup="SWD" if "SWD" in name else "All",
            value_type=vtype,
            direction=direction,
            target_set=json.dumps(tset),
            source="NYSED / school data",
            sort_order=order,
        )
        goals: dict[str, float] = {}
        # A DII has both a baseline and an annual goal, or neither (stages and yes/no answers).
        if base is not None and goal is not None:
            step = (goal - base) / 3
            goals = {"early": round(base + step, 1), "mid": round(base + 2 * step, 1)}
        cps = _checkpoints(start_year, goals)
        added += _add(
            sink,
            Target,
            f"{key}:{year}",
            indicator_id=ind_id,
            school_year=year,
            baseline_value=json.dumps(base),
            baseline_year=f"{start_year - 1}-{start_year % 100:02d}",
            annual_target=json.dumps(goal),
            checkpoints=json.dumps(cps),
        )
        for cp in cps:
            as_of = dt.date.fromisoformat(cp["from"]) + dt.timedelta(days=rng.randint(3, 20))
            if as_of > today or (skips_data and cp["name"] != "early" and order % 2 == 0):
                continue
            value = _value(vtype, base, goal, cp["name"], behind and order % 3 == 0, rng)
            added += _add(
                sink,
                Measurement,
                f"{key}:{year}:{cp['name']}",
                indicator_id=ind_id,
                as_of=as_of,
                value=json.dumps(value),
                checkpoint=cp["name"],
                n=rng.randint(180, 420) if vtype == "percent" else None,
                final=False,
                source="demo",
            )
    # Reports already sent: Q1 was submitted by most schools once it fell due.
    q1_due = dt.date(start_year, 10, 30)
    if today > q1_due and rng.random() < 0.8:
        added += _add(
            sink,
            Obligation,
            f"demo:obl:{school.id}:Q1:{year}",
            org_id=school.id,
            kind="Q1",
            period=year,
            due=q1_due,
            status="submitted",
            label="Q1 report",
        )
    # The public hearing is held within 30 days of the first day of school.
    hearing_due = dt.date(start_year, 10, 5)
    if today > hearing_due:
        added += _add(
            sink,
            Obligation,
            f"demo:obl:{school.id}:PublicHearing:{year}",
            org_id=school.id,
            kind="PublicHearing",
            period=year,
            due=hearing_due,
            status="done",
            label="Public hearing",
        )
    return added


def _value(vtype, base, goal, checkpoint, behind, rng):
    if vtype == "boolean":
        return "yes" if not behind else "no"
    if vtype == "stage":
        return str(rng.choice([2, 3, 3]) if not behind else 2)
    fraction = {"early": 0.33, "mid": 0.66, "eoy": 1.0}[checkpoint]
    expected = base + (goal - base) * fraction
    slip = (goal - base) * (0.5 if behind else -0.15)
    value = expected - slip + rng.uniform(-0.4, 0.4)
    return round(value) if vtype == "count" else round(value, 1)


def _ma(sink, district_id, schools, year, today) -> int:
    start_year = int(year[:4])
    ip_key = f"demo:ip:{district_id}:{year}"
    ip_id = stable_id(ip_key)
    # One district has not finished Phase 1: no DILT self-assessment yet.
    done = ["ip_affirmed", "benchmarks_set", "primary_contact_named"]
    if int(ip_id[-1], 16) % 2 == 0:
        done.append("dilt_self_assessment")
    added = _add(
        sink,
        InstructionalPriority,
        ip_key,
        org_id=district_id,
        school_year=year,
        statement="Every student explains and justifies their mathematical reasoning, every day.",
        inequity_addressed="MLs and SWDs are rarely asked to explain their thinking; their "
        "math results trail the district by 20 points.",
        district_actions="Adopt a common discourse routine and protect PLC time for it.",
        school_actions="SILTs run a learning walk each semester on the discourse look-fors.",
        classroom_actions="Teachers plan one discourse routine per lesson with language supports.",
        dilt_focus="Use learning-walk evidence to adjust the PD calendar.",
        checklist_done=json.dumps(done),
    )
    for school in schools:
        # Schools of one district stand apart on the same benchmark (-6 to +6 points), as the
        # DILT's side-by-side table shows them; the same on every load.
        spread = int(stable_id(f"demo:bm-spread:{school.id}")[-2:], 16) % 13 - 6
        for order, (code, name, base, goal) in enumerate(_BENCHMARKS):
            for g_order, (group, n) in enumerate(_GROUPS):
                key = f"demo:bm:{school.id}:{code}:{group}"
                ind_id = stable_id(key)
                added += _add(
                    sink,
                    Indicator,
                    key,
                    org_id=school.id,
                    program_code="MA_SSOS",
                    code=code,
                    name=name,
                    origin="benchmark",
                    subgroup=group,
                    value_type="percent",
                    direction="higher",
                    priority_id=ip_id,
                    source="district data",
                    sort_order=order * 10 + g_order,
                )
                gap = 0 if group == "All" else 12
                cps = _checkpoints(start_year, {})
                cps = [c for c in cps if c["name"] != "early"]
                cps[0].update({"from": f"{start_year}-12-01", "to": f"{start_year + 1}-02-28"})
                cps[1].update({"from": f"{start_year + 1}-05-01", "to": f"{start_year + 1}-06-30"})
                added += _add(
                    sink,
                    Target,
                    f"{key}:{year}",
                    indicator_id=ind_id,
                    school_year=year,
                    baseline_value=json.dumps(base - gap),
                    annual_target=json.dumps(goal - gap),
                    baseline_year=f"{start_year - 1}-{start_year % 100:02d}",
                    checkpoints=json.dumps(cps),
                )
                as_of = dt.date(start_year, 10, 20)
                if as_of <= today:
                    added += _add(
                        sink,
                        Measurement,
                        f"{key}:{year}:fall",
                        indicator_id=ind_id,
                        as_of=as_of,
                        value=json.dumps(base - gap + (8 if group == "All" else 4) + spread),
                        n=n,
                        source="demo",
                    )
    return added


def _oh(sink, school, year, start_year, today, rng) -> int:
    added = 0
    goals: dict[str, str] = {}
    for kind, (result, measure) in _GOALS.items():
        key = f"demo:goal:{school.id}:{year}:{kind}"
        goals[kind] = stable_id(key)
        added += _add(
            sink,
            PartnershipGoal,
            key,
            org_id=school.id,
            school_year=year,
            kind=kind,
            desired_result=result,
            measure=measure,
        )
    for order, (kind, title, itype, month, in_charge, cost) in enumerate(_ACTIVITIES):
        when = dt.date(start_year if month >= 7 else start_year + 1, month, rng.randint(5, 25))
        status = "done" if when < today else ("planned" if rng.random() < 0.7 else "not started")
        added += _add(
            sink,
            PlanActivity,
            f"demo:act:{school.id}:{year}:{order}",
            goal_id=goals[kind],
            org_id=school.id,
            title=title,
            involvement_type=itype,
            starts_on=when,
            ends_on=when,
            grades="K-5",
            in_charge=in_charge,
            cost=cost,
            fund_source="Title I family engagement",
            evaluation="Count of families attending; short exit survey (aggregate only).",
            status=status,
        )
    for element, state in enumerate(_ELEMENT_STATES, start=1):
        if rng.random() < 0.3:
            state = "developing"
        added += _add(
            sink,
            ElementStatus,
            f"demo:elem:{school.id}:{year}:{element}",
            org_id=school.id,
            school_year=year,
            element=element,
            status=state,
        )
    log_due = dt.date(start_year, 10, 15)
    if school.parent_id and today > log_due:
        added += _add(
            sink,
            Obligation,
            f"demo:obl:{school.parent_id}:CoachingLog:{year}:Q1",
            org_id=school.parent_id,
            kind="CoachingLog",
            period=f"{year} Q1",
            due=log_due,
            status="submitted",
            label="Quarterly coaching log",
        )
    return added
