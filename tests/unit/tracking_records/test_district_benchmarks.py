"""The MA district benchmark table: small cells suppressed, statuses per cell, the CSV file."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest

from coachdesk.core import organizations, programs
from coachdesk.core.errors import NotFound, RefusedInput
from coachdesk.core.store.profile import Profile
from coachdesk.core.tracking_records import district_benchmarks as bench
from coachdesk.core.tracking_records import indicator_setup, indicator_targets, indicators
from coachdesk.core.tracking_records.district_benchmarks import (
    district_benchmarks,
    export_district_benchmarks,
)

YEAR = "2025-26"
TODAY = dt.date(2026, 6, 30)
WINDOWS = {
    "early": indicator_targets.CheckpointInput("2025-09-15", "2025-10-31", 40),
    "mid": indicator_targets.CheckpointInput("2026-01-05", "2026-02-13", None),  # no goal
    "eoy": indicator_targets.CheckpointInput("2026-05-01", "2026-06-19", 50),
}


def district(profile: Profile, school_name: str = "Lowell Street School") -> tuple[str, dict]:
    """A district with one school measuring MCAP for All, ML and SWD: (district id, ids)."""
    district_id = organizations.add_district(profile, name="Marlow Public Schools", state="MA").id
    school = organizations.add_school(profile, name=school_name, district_id=district_id).id
    added = indicator_setup.add_indicator(
        profile,
        school,
        name="Students meeting the math interim benchmark",
        kind="benchmark",
        code="MCAP",
        groups=("All", "ML", "SWD"),
    )
    ids = dict(zip(("All", "ML", "SWD"), added.ids, strict=True))
    for indicator_id in ids.values():
        indicator_targets.set_target(
            profile,
            indicator_id,
            YEAR,
            baseline=30,
            baseline_year="2024-25",
            annual_target=50,
            checkpoints=WINDOWS,
        )
    return district_id, ids | {"school": school}


def measure(profile, indicator_id, day, value, n, checkpoint=None) -> None:
    indicators.record_measurement(
        profile, indicator_id, as_of=day, value=value, n=n, checkpoint=checkpoint
    )


def test_a_cell_under_ten_students_never_carries_its_value(profile: Profile, tmp_path: Path):
    district_id, ids = district(profile)
    measure(profile, ids["All"], dt.date(2025, 9, 20), 44, 180)
    measure(profile, ids["ML"], dt.date(2025, 9, 20), 37, 10)  # exactly the minimum: shown
    measure(profile, ids["SWD"], dt.date(2025, 9, 20), 87.25, 9)  # one under: suppressed

    table = district_benchmarks(profile, district_id, YEAR, today=TODAY)

    (row,) = table.rows
    assert table.groups == ("All", "ML", "SWD")
    assert row.cell("ML", "early").text() == "37% (n=10)"
    swd = row.cell("SWD", "early")
    assert swd.status == "suppressed"
    assert (swd.value, swd.n) == (None, None)
    assert swd.text() == "suppressed"
    assert "87.25" not in json.dumps(table.as_dict())
    path = tmp_path / "marlow.csv"
    export_district_benchmarks(profile, district_id, YEAR, path, today=TODAY)
    assert "87.25" not in path.read_text(encoding="utf-8-sig")


def test_the_minimum_is_the_programs(profile: Profile, monkeypatch: pytest.MonkeyPatch):
    assert programs.program("MA_SSOS").min_n == 10  # resources/programs/ma_ssos.toml
    district_id, ids = district(profile)
    measure(profile, ids["ML"], dt.date(2025, 9, 20), 37, 15)
    assert (
        district_benchmarks(profile, district_id, YEAR, today=TODAY)
        .rows[0]
        .cell("ML", "early")
        .text()
        == "37% (n=15)"
    )

    stricter = dataclasses.replace(programs.program("MA_SSOS"), min_n=20)
    monkeypatch.setattr(bench, "program", lambda code: stricter)
    table = district_benchmarks(profile, district_id, YEAR, today=TODAY)

    assert table.min_n == 20
    assert table.rows[0].cell("ML", "early").status == "suppressed"
    assert "Fewer than 20 students" in table.rows[0].cell("ML", "early").reason


def test_a_program_file_refuses_a_minimum_under_one() -> None:
    with pytest.raises(ValueError, match="min_n must be at least 1"):
        programs._min_n({"code": "MA_SSOS", "min_n": 0})


def test_each_cell_has_its_status(profile: Profile) -> None:
    district_id, ids = district(profile)
    measure(profile, ids["All"], dt.date(2025, 9, 20), 44, 180)  # early goal 40: met
    measure(profile, ids["ML"], dt.date(2025, 9, 20), 33, 40)  # lags 40: at risk
    # Mid-year has no goal: judged by the straight line from 30 (Jul 1) to 50 (Jun 19), ~41.
    measure(profile, ids["All"], dt.date(2026, 1, 10), 45, 180)
    measure(profile, ids["ML"], dt.date(2026, 1, 10), 35, 40)
    # Not tagged and between windows: a late mid-year result, the latest one counting.
    measure(profile, ids["ML"], dt.date(2026, 3, 2), 46, 41)  # line ~44

    row = district_benchmarks(profile, district_id, YEAR, today=TODAY).rows[0]

    assert row.cell("All", "early").status == "met"
    assert "reaches the early goal of 40%" in row.cell("All", "early").reason
    assert row.cell("ML", "early").status == "at risk"
    assert row.cell("All", "mid").status == "on track"
    assert row.cell("ML", "mid").text() == "46% (n=41)"
    assert row.cell("ML", "mid").status == "on track"
    assert row.cell("All", "eoy").status == "no data"
    assert row.cell("All", "eoy").goal == 50
    assert row.cell("Low income", "early").status == "not set"


def test_a_checkpoint_window_not_yet_open_says_when(profile: Profile) -> None:
    district_id, _ids = district(profile)
    row = district_benchmarks(profile, district_id, YEAR, today=dt.date(2025, 12, 1)).rows[0]
    assert row.cell("All", "mid").reason == "The mid-year window opens on Jan 5."


def test_csv_round_trip_with_suppressed_cells(profile: Profile, tmp_path: Path) -> None:
    district_id, ids = district(profile, school_name="=HYPERLINK(1)")
    measure(profile, ids["All"], dt.date(2025, 9, 20), 44, 180, "early")
    measure(profile, ids["SWD"], dt.date(2025, 9, 20), 20, 6, "early")
    path = tmp_path / "out" / "marlow.csv"
    path.parent.mkdir()

    done = export_district_benchmarks(profile, district_id, YEAR, path, today=TODAY)

    assert done.sentence == f"Wrote 3 rows, 1 suppressed to {path}."
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["Checkpoint"] for r in rows] == ["Early", "Mid-year", "End of year"]
    early = rows[0]
    assert early["School"] == "'=HYPERLINK(1)"  # shown as text, not run as a formula
    assert (early["All value"], early["All n"], early["All goal"], early["All status"]) == (
        "44",
        "180",
        "40",
        "met",
    )
    assert (early["SWD value"], early["SWD n"], early["SWD status"]) == (
        "suppressed (n<10)",
        "",
        "suppressed",
    )
    assert rows[1]["All status"] == "no data" and rows[1]["All value"] == ""
    assert sorted(p.name for p in path.parent.iterdir()) == ["marlow.csv"]  # no temporary left


def test_export_refuses_a_missing_folder(profile: Profile, tmp_path: Path) -> None:
    district_id, _ids = district(profile)
    with pytest.raises(RefusedInput, match="does not exist"):
        export_district_benchmarks(profile, district_id, YEAR, tmp_path / "no" / "x.csv")


def test_a_school_or_an_unknown_id_is_not_a_district(profile: Profile) -> None:
    _district_id, ids = district(profile)
    with pytest.raises(NotFound, match="no such district"):
        district_benchmarks(profile, ids["school"], YEAR)
    with pytest.raises(NotFound):
        district_benchmarks(profile, "no-such-id", YEAR)
    with pytest.raises(RefusedInput, match="2026-27"):
        district_benchmarks(profile, _district_id, "2025-27")
