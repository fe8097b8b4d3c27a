"""`coachdesk report benchmarks` on the demo: an MA district's results, small cells suppressed."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

from tests.support.cli import coachdesk

DISTRICT = "Ashgrove Public Schools"  # a demo MA SSoS district; its SWD groups have n = 7


def test_benchmarks_as_csv_json_and_text(demo_template: Path, tmp_path: Path) -> None:
    profile_dir = tmp_path / "profile"
    shutil.copytree(demo_template, profile_dir)
    out = tmp_path / "ashgrove.csv"

    done = coachdesk(profile_dir, "report", "benchmarks", "--district", DISTRICT, "-o", str(out))

    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Wrote ") and "suppressed" in done.stdout
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    schools = {r["School"] for r in rows}
    assert "Walsh Middle School" in schools
    early = [r for r in rows if r["Checkpoint"] == "Early"]
    assert early and all(r["SWD value"] == "suppressed (n<10)" for r in early)
    assert all(r["All value"] and r["All n"] == "260" for r in early)

    done = coachdesk(profile_dir, "report", "benchmarks", "--district", DISTRICT, "--json")
    assert done.returncode == 0, done.stderr
    table = json.loads(done.stdout)
    assert table["district_name"] == DISTRICT and table["min_n"] == 10
    swd = table["rows"][0]["cells"]["SWD"]["early"]
    assert (swd["status"], swd["value"], swd["n"]) == ("suppressed", None, None)

    done = coachdesk(profile_dir, "report", "benchmarks", "--district", DISTRICT)
    assert done.returncode == 0, done.stderr
    assert "Mid-year" in done.stdout and "SWD suppressed" in done.stdout


def test_benchmarks_refuses_in_one_sentence(demo_template: Path, tmp_path: Path) -> None:
    profile_dir = tmp_path / "profile"
    shutil.copytree(demo_template, profile_dir)

    done = coachdesk(profile_dir, "report", "benchmarks", "--district", "Nowhere")
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "coachdesk: No district is called or numbered “Nowhere”; "
        "`coachdesk schools list` shows them."
    )
    done = coachdesk(
        profile_dir, "report", "benchmarks", "--district", DISTRICT, "-o", str(tmp_path / "x.pdf")
    )
    assert done.returncode == 1
    assert "ending in .csv" in done.stderr and not (tmp_path / "x.pdf").exists()
