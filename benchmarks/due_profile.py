"""Benchmark: `due_on` and the Today view over a real profile of 200 schools and 50,000 visits.

Generates the profile once (bulk inserts with the change log off, as a colleague's bundle would
arrive), then times reading the facts and judging them (`due_on`), and building the Today view
(QT offscreen). Target (issue 4): median under 200 ms for each. Prints medians.

    .venv/bin/python benchmarks/due_profile.py [--runs 7] [--schools 200] [--visits 50000]
        [--keep DIR]

`--keep DIR` generates the profile into DIR and keeps it (a later run with the same DIR reuses it
instead of generating another), so a change can be timed on the same data and its results compared
with `coachdesk --data-dir DIR due --json --on 2027-01-15` before and after. Ids are new on every
generation, so only a kept profile gives comparable output.
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

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from sqlalchemy import insert  # noqa: E402

from coachdesk.core.ids import new_id  # noqa: E402
from coachdesk.core.store.profile import DB_NAME, Profile, open_profile  # noqa: E402
from coachdesk.core.store.schema import Assignment, Coach, Organization, StageRecord  # noqa: E402
from coachdesk.core.store.tracking_tables import Indicator, Measurement, Target  # noqa: E402
from coachdesk.core.store.visit_tables import ActionItem, Visit  # noqa: E402

DAY = dt.date(2027, 1, 15)
PROGRAMS = ("NY_RCV", "MA_SSOS", "OH_NNPS")
STAGES = ("Exploring", "Installing", "Initial Implementation", "Full Implementation")
TYPES = ("onsite", "virtual", "check_in", "pm_meeting", "learning_walk")


def _base() -> dict:
    return {"id": new_id(), "created_by": "bench", "created_hlc": "0", "updated_hlc": "0"}


def generate(profile: Profile, schools: int, visits: int, seed: int) -> None:
    """Fill the profile with a caseload of `schools` schools and `visits` visits."""
    rng = random.Random(seed)
    with profile.writing(capture=False) as write:
        s = write.session
        coach = {**_base(), "name": "Bench Coach"}
        s.execute(insert(Coach), [coach])
        districts = [
            {**_base(), "kind": "district", "name": f"District {i}", "state": "NY"}
            for i in range(schools // 5)
        ]
        s.execute(insert(Organization), districts)
        orgs, assignments, stages = [], [], []
        for i in range(schools):
            program = PROGRAMS[i % 3]
            org = {
                **_base(),
                "kind": "school",
                "name": f"School {i:03d}",
                "state": "NY",
                "parent_id": districts[i % len(districts)]["id"],
            }
            orgs.append((org, program))
            assignments.append(
                {
                    **_base(),
                    "coach_id": coach["id"],
                    "org_id": org["id"],
                    "program_code": program,
                    "school_year": "2026-27",
                }
            )
            if program == "OH_NNPS":
                stages.append(
                    {
                        **_base(),
                        "org_id": org["id"],
                        "program_code": program,
                        "stage": rng.choice(STAGES),
                        "effective": dt.date(2026, 8, 1),
                    }
                )
        s.execute(insert(Organization), [o for o, _ in orgs])
        s.execute(insert(Assignment), assignments)
        s.execute(insert(StageRecord), stages)
        visit_rows, action_rows = [], []
        start = dt.datetime(2023, 9, 1, 9)
        span = (dt.datetime(2027, 3, 1) - start).days
        for _ in range(visits):
            org, _program = rng.choice(orgs)
            when = start + dt.timedelta(days=rng.randrange(span))
            v = {
                **_base(),
                "org_id": org["id"],
                "visit_type": rng.choice(TYPES),
                "starts_at": when,
                "ends_at": when + dt.timedelta(minutes=rng.choice((60, 90, 120))),
                "status": rng.choice(("final", "shared", "shared")),
            }
            if when.date() > DAY - dt.timedelta(days=21) and rng.random() < 0.3:
                v["status"] = "draft"  # recent notes still being written
            visit_rows.append(v)
            if rng.random() < 0.5:
                action_rows.append(
                    {
                        **_base(),
                        "visit_id": v["id"],
                        "org_id": org["id"],
                        "text": "Follow up",
                        "due": when.date() + dt.timedelta(days=14),
                        "status": "open"
                        if when.date() > DAY - dt.timedelta(days=60) or rng.random() < 0.01
                        else "done",
                    }
                )
        s.execute(insert(Visit), visit_rows)
        s.execute(insert(ActionItem), action_rows)
        indicators, targets, measurements = [], [], []
        cps = json.dumps(
            [
                {"name": "early", "from": "2026-09-15", "to": "2026-10-30", "goal": 40},
                {"name": "mid", "from": "2027-01-02", "to": "2027-01-31", "goal": 43},
            ]
        )
        for org, program in orgs:
            if program != "NY_RCV":
                continue
            for k in range(10):
                ind = {
                    **_base(),
                    "org_id": org["id"],
                    "program_code": program,
                    "code": f"D{k}",
                    "name": f"Indicator {k}",
                    "origin": "assigned",
                    "value_type": "percent",
                    "direction": "higher",
                    "sort_order": k,
                }
                indicators.append(ind)
                targets.append(
                    {
                        **_base(),
                        "indicator_id": ind["id"],
                        "school_year": "2026-27",
                        "baseline_value": "38",
                        "annual_target": "46",
                        "checkpoints": cps,
                    }
                )
                measurements.append(
                    {
                        **_base(),
                        "indicator_id": ind["id"],
                        "as_of": dt.date(2026, 10, 1),
                        "value": json.dumps(rng.uniform(36, 44)),
                        "checkpoint": "early",
                    }
                )
        s.execute(insert(Indicator), indicators)
        s.execute(insert(Target), targets)
        s.execute(insert(Measurement), measurements)


def _median_ms(fn, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--schools", type=int, default=200)
    parser.add_argument("--visits", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, metavar="DIR", help="generate into DIR and keep it")
    args = parser.parse_args()

    from coachdesk.core.tracking_records.due import due_entries, due_on
    from coachdesk.core.tracking_rules import shipped_rules

    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp) / "profile"
        reuse = args.keep is not None and (folder / DB_NAME).exists()
        profile = open_profile(folder)
        if reuse:
            print(f"reusing the profile in {folder} (generated earlier, not regenerated)")
        else:
            t0 = time.perf_counter()
            generate(profile, args.schools, args.visits, args.seed)
            print(
                f"generated {args.schools} schools, {args.visits} visits in "
                f"{time.perf_counter() - t0:.1f} s"
                + (f" into {folder} (kept)" if args.keep else "")
            )
        shipped_rules()  # read the rule files once, as the running app has
        due_ms, items = _median_ms(lambda: due_on(profile, DAY), args.runs)
        entries_ms, _ = _median_ms(lambda: due_entries(profile, DAY), args.runs)

        from PySide6.QtWidgets import QApplication

        from coachdesk.ui.today.today_view import TodayView

        app = QApplication.instance() or QApplication([])

        from coachdesk.core.tracking_records.due import today_data

        def build(data=None) -> TodayView:
            view = TodayView(profile, today=lambda: DAY, data=data)
            view.resize(1280, 760)
            view.show()
            app.processEvents()
            return view

        view_ms, view = _median_ms(build, args.runs)
        view.close()
        # What opening Today costs in the app: the window judged the list once after its
        # first paint, for the caseload's badges, and hands it to the view.
        judged = today_data(profile, DAY)
        shown_ms, view = _median_ms(lambda: build(judged), args.runs)
        print(
            f"due_on: {len(items)} items; median {due_ms:.0f} ms (target < 200 ms, "
            f"ratio {due_ms / 200:.2f})"
        )
        print(f"due_entries (grouped, named): median {entries_ms:.0f} ms")
        print(
            f"Today view judged, built and shown (cold): median {view_ms:.0f} ms "
            f"(target < 200 ms, ratio {view_ms / 200:.2f})"
        )
        print(
            f"Today view opened in the app (list judged after first paint): median "
            f"{shown_ms:.0f} ms (target < 200 ms, ratio {shown_ms / 200:.2f})"
        )
        view.close()
        profile.close()


if __name__ == "__main__":
    main()
    os._exit(0)  # skip interpreter teardown: PySide6 crashes in it after many views (reported)
