"""Visits at scale: a profile of 50 schools and 20,000 visits with notes and next steps.

Reports the median of several runs of: opening a school's timeline, opening a visit (its
form, answers and next steps), and search to first results; then start-up on that profile
against a bare Qt window (benchmarks/startup.py's method).
Targets: under 100 ms to open, under 50 ms to first search results, start-up within 1.5x.

The profile is written with direct inserts (the search index triggers still fire) rather than
through the change log, which would take minutes for a million field edits.

    python benchmarks/visits.py [--runs 9] [--schools 50] [--visits 20000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from startup import BARE_WINDOW, timed  # noqa: E402

from coachdesk.core import forms, visits  # noqa: E402
from coachdesk.core.demo.visits import _response  # noqa: E402
from coachdesk.core.ids import new_id  # noqa: E402
from coachdesk.core.store.profile import open_profile  # noqa: E402

WORDS = (
    "discourse reasoning literacy coaching cycle data wall benchmark attendance family PLC "
    "calibration look-for evidence schedule agenda principal leadership feedback grade math "
    "reading writing science intervention tier multilingual learners disabilities survey"
).split()


def build(folder: Path, schools: int, visit_count: int) -> list[str]:
    """Create the profile; returns the school ids."""
    profile = open_profile(folder)
    device = profile.device_id
    coach = profile.fact("coach_id")
    profile.close()
    rng = random.Random(7)
    definitions = {
        "NY_RCV": forms.forms_for_visit("NY_RCV", "onsite")[0],
        "MA_SSOS": forms.forms_for_visit("MA_SSOS", "learning_walk")[0],
        "OH_NNPS": forms.forms_for_visit("OH_NNPS", "check_in")[0],
    }
    kinds = {"NY_RCV": "onsite", "MA_SSOS": "learning_walk", "OH_NNPS": "check_in"}
    stamp = f"{int(time.time() * 1000):015d}-00000-{device}"
    conn = sqlite3.connect(folder / "coachdesk.sqlite")
    meta = (device, stamp, stamp)
    school_ids, rows = [], []
    for definition in definitions.values():
        conn.execute(
            "INSERT INTO stored_form (id, form_id, version, sha256, text, created_by,"
            " created_hlc, updated_hlc) VALUES (?,?,?,?,?,?,?,?)",
            (
                new_id(),
                definition.form_id,
                definition.version,
                definition.sha256,
                definition.text,
                *meta,
            ),
        )
    for n in range(schools):
        program = ("NY_RCV", "MA_SSOS", "OH_NNPS")[n % 3]
        school = new_id()
        school_ids.append(school)
        conn.execute(
            "INSERT INTO organization (id, kind, name, state, tz, created_by, created_hlc,"
            " updated_hlc) VALUES (?, 'school', ?, ?, 'America/New_York', ?, ?, ?)",
            (school, f"School {n:03d}", program[:2], *meta),
        )
        assignment = new_id()
        conn.execute(
            "INSERT INTO assignment (id, coach_id, org_id, program_code, school_year, role,"
            " status, created_by, created_hlc, updated_hlc)"
            " VALUES (?, ?, ?, ?, '2026-27', 'lead', 'active', ?, ?, ?)",
            (assignment, coach, school, program, *meta),
        )
        rows.append((school, assignment, program))
    start = dt.datetime(2018, 9, 1, 9, 30)
    for i in range(visit_count):
        school, assignment, program = rows[i % len(rows)]
        definition = definitions[program]
        when = start + dt.timedelta(hours=7 * i)
        visit = new_id()
        conn.execute(
            "INSERT INTO visit (id, org_id, assignment_id, visit_type, starts_at, purpose,"
            " attendees, status, form_id, form_version, form_sha256, created_by, created_hlc,"
            " updated_hlc) VALUES (?,?,?,?,?,?, '[]', 'shared', ?,?,?,?,?,?)",
            (
                visit,
                school,
                assignment,
                kinds[program],
                when.isoformat(sep=" "),
                " ".join(rng.choices(WORDS, k=8)),
                definition.form_id,
                definition.version,
                definition.sha256,
                *meta,
            ),
        )
        for field, value in _response(definition, when.date(), rng).items():
            conn.execute(
                "INSERT INTO visit_answer (id, visit_id, field, value, privacy, created_by,"
                " created_hlc, updated_hlc) VALUES (?,?,?,?, 'none', ?,?,?)",
                (new_id(), visit, field, json.dumps(value), *meta),
            )
        for _ in range(2):
            conn.execute(
                "INSERT INTO action_item (id, visit_id, org_id, text, owner, due, status,"
                " created_by, created_hlc, updated_hlc) VALUES (?,?,?,?,?,?, 'done', ?,?,?)",
                (
                    new_id(),
                    visit,
                    school,
                    " ".join(rng.choices(WORDS, k=6)),
                    "Principal",
                    (when.date() + dt.timedelta(days=14)).isoformat(),
                    *meta,
                ),
            )
    conn.commit()
    conn.execute("ANALYZE")
    conn.close()
    return school_ids


def median_ms(fn, runs: int) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--schools", type=int, default=50)
    parser.add_argument("--visits", type=int, default=20_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "profile"
        made = time.perf_counter()
        school_ids = build(folder, args.schools, args.visits)
        print(
            f"built {args.schools} schools, {args.visits:,} visits in "
            f"{time.perf_counter() - made:.0f} s "
            f"({(folder / 'coachdesk.sqlite').stat().st_size / 1e6:.0f} MB)"
        )
        profile = open_profile(folder)
        rng = random.Random(3)
        visit_ids = [v.id for v in visits.list_visits(profile, school_id=school_ids[0])]
        results = {
            "open a school's timeline (400 visits)": median_ms(
                lambda: visits.list_visits(profile, school_id=rng.choice(school_ids)), args.runs
            ),
            "open a visit": median_ms(
                lambda: visits.get_visit(profile, rng.choice(visit_ids)), args.runs
            ),
            "search to first results": median_ms(
                lambda: visits.search(profile, rng.choice(WORDS)), args.runs
            ),
            "search, a prefix as typed": median_ms(
                lambda: visits.search(profile, rng.choice(WORDS)[:3]), args.runs
            ),
        }
        profile.close()
        for label, ms in results.items():
            target = 50 if label.startswith("search") else 100
            print(f"{label:>40}: median {ms:6.1f} ms (target < {target} ms)")
        env = {"QT_QPA_PLATFORM": "offscreen", "LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"}
        smoke = [sys.executable, "-m", "coachdesk", "--data-dir", str(folder), "--smoke-test"]
        bare = [sys.executable, "-c", BARE_WINDOW]
        timed(bare, env), timed(smoke, env)
        pairs = [(timed(bare, env), timed(smoke, env)) for _ in range(max(3, args.runs // 2))]
        b = statistics.median(p[0][1] for p in pairs)
        s = statistics.median(p[1][1] for p in pairs)
        print(
            f"{'start-up on this profile':>40}: bare {b:.0f} ms, coachdesk {s:.0f} ms, "
            f"ratio {s / b:.2f}x (target 1.5x)"
        )


if __name__ == "__main__":
    main()
