"""Benchmark: the roll-up of 50 coaches' school year (about 1,000,000 changes) on SQLite.

Fills a supervisor's profile with what 50 coaches' bundles would leave in its tables: 20 orgs
per coach (NY, MA and OH coaches; MA and OH districts too), a school year of visits to the day
(about one a week per school), their answers, next steps, obligations, indicators with targets
and measurements, and OH stages. Rows go straight into the tables (the roll-up reads the
ordinary tables, never the change log); the number of changes they stand for is counted as the
import would log them, one per logged field of each row. Then `build_rollup` is timed, with its
read (SQL) and judging (the rules) parts apart. Target: median under 1 s.

    .venv/bin/python benchmarks/rollup.py [--runs 5] [--coaches 50] [--seed 1] [--keep DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

from coachdesk.core.ids import stable_id
from coachdesk.core.store.changelog import logged_fields
from coachdesk.core.store.profile import open_profile
from coachdesk.core.store.schema import Assignment, Coach, Organization, StageRecord
from coachdesk.core.store.tracking_tables import Indicator, Measurement, Obligation, Target
from coachdesk.core.store.visit_tables import ActionItem, Visit, VisitAnswer
from coachdesk.core.tracking_rules import shipped_rules
from coachdesk.reports.rollup_data import RollupFilter, build_rollup
from coachdesk.reports.rollup_facts import read_rollup_facts

TARGET_S = 1.0
DAY = dt.date(2027, 3, 17)
YEAR = "2026-27"
YEAR_START = dt.date(2026, 7, 1)
STATE = {"NY_RCV": "NY", "MA_SSOS": "MA", "OH_NNPS": "OH"}
TYPES = {
    "NY_RCV": ("onsite", "onsite", "virtual"),
    "MA_SSOS": ("onsite", "learning_walk", "pm_meeting", "virtual"),
    "OH_NNPS": ("check_in", "check_in", "virtual", "onsite"),
}
STAGES = ("Exploring", "Installing", "Initial Implementation", "Full Implementation")
ORGS_PER_COACH = 20
ANSWERS_PER_VISIT = 1
INDICATORS_PER_SCHOOL = 8


class Rows:
    """Rows to insert per model, with the clock readings and devices a bundle would carry."""

    def __init__(self) -> None:
        self.by_model: dict[type, list[dict]] = {}
        self.counter = 0

    def add(self, model: type, **values: object) -> str:
        self.counter += 1
        record_id = values.pop("id", None) or stable_id(f"bench:{self.counter}")
        hlc = f"{1_780_000_000_000 + self.counter:015d}-00000-bench-device"
        self.by_model.setdefault(model, []).append(
            {
                "id": record_id,
                "created_by": "bench-device",
                "created_hlc": hlc,
                "updated_hlc": hlc,
                **values,
            }
        )
        return str(record_id)

    def check(self) -> None:
        """Every row of a table names the same columns (an executemany takes the first row's)."""
        for model, found in self.by_model.items():
            keys = {frozenset(r) for r in found}
            assert len(keys) == 1, f"{model.__tablename__} rows name different columns"

    def changes(self) -> int:
        return sum(len(rows) * len(logged_fields(m)) for m, rows in self.by_model.items())


def world(rng: random.Random, coaches: int) -> Rows:
    rows = Rows()
    for c in range(coaches):
        program = ("NY_RCV", "MA_SSOS", "OH_NNPS")[c % 3]
        coach = rows.add(Coach, name=f"Coach {c:02d}", employer=f"Region {c % 16 + 1}")
        district = rows.add(
            Organization,
            kind="district",
            name=f"District {c}",
            state=STATE[program],
            parent_id=None,  # every row of a table names the same columns
        )
        if program != "NY_RCV":
            rows.add(
                Assignment,
                coach_id=coach,
                org_id=district,
                program_code=program,
                school_year=YEAR,
                role="lead",
                status="active",
            )
        for s in range(ORGS_PER_COACH - (program != "NY_RCV")):
            school = rows.add(
                Organization,
                kind="school",
                name=f"School {c}-{s}",
                state=STATE[program],
                parent_id=district,
            )
            assignment = rows.add(
                Assignment,
                coach_id=coach,
                org_id=school,
                program_code=program,
                school_year=YEAR,
                role="lead",
                status="active",
            )
            if program == "OH_NNPS":
                rows.add(
                    StageRecord,
                    org_id=school,
                    program_code=program,
                    stage=rng.choice(STAGES),
                    effective=YEAR_START + dt.timedelta(days=50),
                )
            _visits(rows, rng, program, school, assignment)
            _indicators(rows, rng, program, school)
            for quarter, due in (("Q1", "2026-10-30"), ("Q2", "2027-01-31")):
                rows.add(
                    Obligation,
                    org_id=school,
                    kind=quarter,
                    period=YEAR,
                    due=dt.date.fromisoformat(due),
                    status=rng.choice(("open", "submitted", "submitted")),
                )
    return rows


def _visits(rows: Rows, rng: random.Random, program: str, school: str, assignment: str) -> None:
    day = YEAR_START + dt.timedelta(days=rng.randint(0, 6))
    while day <= DAY + dt.timedelta(days=30):
        starts = dt.datetime.combine(day, dt.time(9 + rng.randint(0, 5)))
        status = "draft" if day > DAY else rng.choice(("final", "shared", "shared", "draft"))
        visit = rows.add(
            Visit,
            org_id=school,
            assignment_id=assignment,
            visit_type=rng.choice(TYPES[program]),
            starts_at=starts,
            ends_at=starts + dt.timedelta(minutes=rng.choice((60, 90, 120))),
            status=status,
        )
        for a in range(ANSWERS_PER_VISIT):
            rows.add(VisitAnswer, visit_id=visit, field=f"q{a}", value=json.dumps("An answer."))
        if rng.random() < 0.6:
            rows.add(
                ActionItem,
                visit_id=visit,
                org_id=school,
                text="A next step",
                due=day + dt.timedelta(days=rng.randint(7, 40)),
                status=rng.choice(("open", "done", "done")),
            )
        day += dt.timedelta(days=rng.randint(7, 11))


def _indicators(rows: Rows, rng: random.Random, program: str, school: str) -> None:
    checkpoints = json.dumps(
        [
            {"name": "early", "from": "2026-09-15", "to": "2026-10-31", "goal": None},
            {"name": "mid", "from": "2027-01-05", "to": "2027-02-15", "goal": None},
        ]
    )
    for i in range(INDICATORS_PER_SCHOOL):
        indicator = rows.add(
            Indicator,
            org_id=school,
            program_code=program,
            code=f"I{i}",
            name=f"Indicator {i}",
            origin="assigned",
            value_type="percent",
            direction="higher",
            sort_order=i,
        )
        rows.add(
            Target,
            indicator_id=indicator,
            school_year=YEAR,
            baseline_value="30",
            annual_target="40",
            checkpoints=checkpoints,
        )
        for checkpoint, as_of in (("early", "2026-10-15"), ("mid", "2027-01-20")):
            if rng.random() < 0.85:
                rows.add(
                    Measurement,
                    indicator_id=indicator,
                    as_of=dt.date.fromisoformat(as_of),
                    value=json.dumps(rng.randint(25, 45)),
                    checkpoint=checkpoint,
                    n=rng.choice((8, 60, 120, 300)),
                )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--coaches", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="build the profile in this folder and keep it")
    args = parser.parse_args()
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        _run(args.keep, args)
    else:
        with tempfile.TemporaryDirectory() as folder:
            _run(Path(folder), args)


def _run(folder: Path, args: argparse.Namespace) -> None:
    rows = world(random.Random(args.seed), args.coaches)
    rows.check()
    profile = open_profile(folder / "supervisor")
    started = time.perf_counter()
    with profile.engine.begin() as conn:
        for model in (Coach, Organization, Assignment, StageRecord, Visit, VisitAnswer):
            conn.execute(model.__table__.insert(), rows.by_model.get(model, []))
        for model in (ActionItem, Obligation, Indicator, Target, Measurement):
            conn.execute(model.__table__.insert(), rows.by_model.get(model, []))
    filled = time.perf_counter() - started
    counts = {m.__tablename__: len(r) for m, r in rows.by_model.items()}
    print(f"{args.coaches} coaches; rows: " + ", ".join(f"{n:,} {t}" for t, n in counts.items()))
    print(f"changes these rows stand for: {rows.changes():,} (filled in {filled:.1f} s)")
    rules = shipped_rules()
    totals, reads, cpu = [], [], []
    rollup = None
    for _ in range(args.runs):
        with profile.reading() as session:
            started = time.perf_counter()
            read_rollup_facts(session, DAY, rules.common.visits)
            reads.append(time.perf_counter() - started)
        with profile.reading() as session:
            started, used = time.perf_counter(), time.process_time()
            rollup = build_rollup(session, RollupFilter(), today=DAY, rules=rules)
            totals.append(time.perf_counter() - started)
            cpu.append(time.process_time() - used)
    assert rollup is not None
    with profile.reading() as session:
        started = time.perf_counter()
        one = build_rollup(session, RollupFilter(program="OH_NNPS"), today=DAY, rules=rules)
        filtered = time.perf_counter() - started
    profile.close()
    median = statistics.median(totals)
    lines = len(rollup.schools)
    print(
        f"roll-up on {DAY}: {lines:,} lines, {len(rollup.coaches)} coaches, "
        f"{sum(s.overdue for s in rollup.schools):,} overdue items"
    )
    print(
        f"build_rollup: median {median * 1000:.0f} ms (min {min(totals) * 1000:.0f}, "
        f"max {max(totals) * 1000:.0f}) over {args.runs} runs; of which reading "
        f"{statistics.median(reads) * 1000:.0f} ms"
    )
    print(f"CPU time of build_rollup: median {statistics.median(cpu) * 1000:.0f} ms")
    print(f"one program ({len(one.schools)} lines): {filtered * 1000:.0f} ms")
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    print(f"load average while measuring: {load} (on {os.cpu_count()} cores)")
    print(f"target under {TARGET_S:.0f} s: {'met' if median < TARGET_S else 'NOT met'}")


if __name__ == "__main__":
    main()
