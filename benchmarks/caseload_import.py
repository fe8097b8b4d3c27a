"""Importing a caseload from CSV: 2,000 schools in 100 districts, preview and then import.

Writes a state-directory-like CSV (NY BEDS codes, MA org codes and OH IRNs; headers as a
directory export names them; a tenth of the schools with a program), then on a fresh profile
times `caseload_file.preview` and `caseload_file.apply` together, as a coach waits for them:
from choosing the file to the caseload written. Also times a second preview of the same file
(every row unchanged), and the CPU time of preview + import, steadier than wall time on a busy
machine. Target: preview + import under 3 s (issue 12).

    python benchmarks/caseload_import.py [--runs 3] [--schools 2000] [--districts 100]
"""

from __future__ import annotations

import argparse
import csv
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from coachdesk.core import caseload_file  # noqa: E402
from coachdesk.core.store.profile import open_profile  # noqa: E402

TARGET_S = 3.0
# (state, state id digits, program): NY BEDS 12, MA organization code 8, OH IRN 6
STATES = (("NY", 12, "NY_RCV"), ("MA", 8, "MA_SSOS"), ("OH", 6, "OH_NNPS"))
NAMES = ("Lincoln", "Washington", "Nguyễn Thị Minh", "Øyelaran", "Roosevelt", "King", "Hamilton")


def make_csv(schools: int, districts: int) -> bytes:
    """A directory export: districts first, then their schools, UTF-8 with a BOM."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        ["Org Type", "School Name", "State ID", "District Name", "Street Address", "City",
         "State", "Grade Span", "Program", "Zip"]
    )  # fmt: skip
    district_rows = []
    for d in range(districts):
        state, digits, _program = STATES[d % 3]
        code = f"{d + 1:0{digits - 4}d}0000"  # a district's id ends in 0000 (NY, MA)
        name = f"{NAMES[d % len(NAMES)]} City School District {d}"
        district_rows.append((state, digits, code, name))
        writer.writerow(
            ["District", name, code, "", f"{d} Main St", "Springfield", state, "", "", "10001"]
        )
    for s in range(schools):
        state, digits, code, district = district_rows[s % districts]
        program = STATES[(s % districts) % 3][2] if s % 10 == 0 else ""
        school_id = code[:-4] + f"{s // districts + 1:04d}"
        writer.writerow(
            ["School", f'{NAMES[s % len(NAMES)]} "Elementary", No. {s}', school_id, district,
             f"{s} School Rd", "Springfield", state, "K-5", program, "10001"]
        )  # fmt: skip
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--schools", type=int, default=2000)
    parser.add_argument("--districts", type=int, default=100)
    args = parser.parse_args()
    data = make_csv(args.schools, args.districts)
    totals, previews, again, cpu = [], [], [], []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "directory.csv"
            path.write_bytes(data)
            profile = open_profile(Path(tmp) / "profile")
            profile.quick_connection()  # opening the profile is not part of the import
            started, cpu_started = time.perf_counter(), time.process_time()
            found = caseload_file.preview(profile, path)
            shown = time.perf_counter()
            caseload_file.apply(profile, found)
            done = time.perf_counter()
            cpu.append(time.process_time() - cpu_started)
            again_started = time.perf_counter()
            second = caseload_file.preview(profile, path)
            again.append(time.perf_counter() - again_started)
            assert second.to_write == 0, second.sentence
            profile.close()
            previews.append(shown - started)
            totals.append(done - started)
    total = statistics.median(totals)
    print(f"{found.sentence} ({len(data) / 1e6:.1f} MB)")
    print(f"{'preview':>28}: median {statistics.median(previews):5.2f} s")
    print(f"{'preview + import':>28}: median {total:5.2f} s (target < {TARGET_S:.0f} s)")
    print(
        f"{'preview + import, CPU time':>28}: median {statistics.median(cpu):5.2f} s "
        "(steadier than wall time when the machine is busy)"
    )
    print(f"{'preview again (unchanged)':>28}: median {statistics.median(again):5.2f} s")
    verdict = "within" if total <= TARGET_S else "over"
    print(f"ratio {total / TARGET_S:.2f}x: {verdict} the {TARGET_S:.0f} s target, {args.runs} runs")


if __name__ == "__main__":
    main()
