"""Benchmark: the MA district benchmark table for 30 schools x 8 student groups x 3 checkpoints.

Builds a district with 30 schools, each with one benchmark for 8 student groups, a target with
early, mid-year and end-of-year checkpoints and a result at each (some groups under the small-cell
minimum), then times `district_benchmarks`. Target: median under 200 ms.

    .venv/bin/python benchmarks/district_benchmarks.py [--runs 9] [--schools 30]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

from coachdesk.core import organizations
from coachdesk.core.store.profile import Profile, open_profile
from coachdesk.core.tracking_records import indicator_setup, indicator_targets, indicators
from coachdesk.core.tracking_records.district_benchmarks import district_benchmarks

TARGET_MS = 200.0
YEAR = "2025-26"
GROUPS = ("All", "ML", "SWD", "High needs", "Low income", "Hispanic/Latino", "Asian", "White")
WINDOWS = {
    "early": (dt.date(2025, 9, 15), dt.date(2025, 10, 31), 40.0),
    "mid": (dt.date(2026, 1, 5), dt.date(2026, 2, 13), 45.0),
    "eoy": (dt.date(2026, 5, 1), dt.date(2026, 6, 19), 50.0),
}


def build(profile: Profile, schools: int = 30, groups: tuple[str, ...] = GROUPS) -> str:
    """A district with `schools` schools, each measured for every group at every checkpoint."""
    district = organizations.add_district(profile, name="Benchmark District", state="MA").id
    checkpoints = {
        name: indicator_targets.CheckpointInput(starts, ends, goal)
        for name, (starts, ends, goal) in WINDOWS.items()
    }
    for s in range(schools):
        school = organizations.add_school(profile, name=f"School {s:02d}", district_id=district).id
        added = indicator_setup.add_indicator(
            profile,
            school,
            name="Students meeting the math interim benchmark",
            kind="benchmark",
            code="MCAP",
            groups=groups,
        )
        for g, indicator_id in enumerate(added.ids):
            indicator_targets.set_target(
                profile,
                indicator_id,
                YEAR,
                baseline=35,
                baseline_year="2024-25",
                annual_target=50,
                checkpoints=checkpoints,
            )
            n = 6 if (s + g) % 5 == 0 else 20 + 7 * g
            for c, (name, (starts, _ends, _goal)) in enumerate(WINDOWS.items()):
                indicators.record_measurement(
                    profile,
                    indicator_id,
                    as_of=starts + dt.timedelta(days=3),
                    value=36 + (s + g + c * 5) % 15,
                    checkpoint=name,
                    n=n,
                )
    return district


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--schools", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        profile = open_profile(Path(folder) / "profile")
        started = time.perf_counter()
        district = build(profile, args.schools)
        print(
            f"built {args.schools} schools x {len(GROUPS)} groups x 3 checkpoints in "
            f"{time.perf_counter() - started:.1f} s"
        )
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            table = district_benchmarks(profile, district, YEAR)
            times.append((time.perf_counter() - started) * 1000)
        cells = len(table.rows) * len(table.groups) * 3
        suppressed = sum(
            1
            for row in table.rows
            for g in table.groups
            for c in ("early", "mid", "eoy")
            if row.cell(g, c).status == "suppressed"
        )
        median = statistics.median(times)
        print(
            f"district_benchmarks: {cells} cells ({suppressed} suppressed), median "
            f"{median:.1f} ms over {args.runs} runs, {median / TARGET_MS:.2f} of the "
            f"{TARGET_MS:.0f} ms target"
        )
        profile.close()


if __name__ == "__main__":
    main()
