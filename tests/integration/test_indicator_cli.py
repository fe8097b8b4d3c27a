"""Indicators, targets and measurements from the keyboard (issue 13), in real processes on an
empty profile: a coach creates a DII with checkpoints, records and corrects a measurement, and
the due list follows the corrected value."""

from __future__ import annotations

import json

import pytest

from tests.support.cli import coachdesk, ok


def _json(result):
    return json.loads(ok(result).stdout)


def _refused(result) -> str:
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.fixture
def school(tmp_path):
    """An empty profile with one NY Receivership school, and its folder."""
    folder = tmp_path / "profile"
    ok(coachdesk(folder, "districts", "add", "--name", "Rochester City SD", "--state", "NY"))
    school_id = _json(
        coachdesk(
            folder,
            "schools",
            "add",
            "--name",
            "School 9",
            "--district",
            "Rochester City SD",
            "--state-id",
            "261600010009",
            "--program",
            "NY_RCV",
            "--receivership-year",
            "2",
            "--year",
            "2026-27",
            "--json",
        )
    )["id"]
    return folder, school_id


def _dii(folder) -> str:
    return _json(
        coachdesk(
            folder,
            "indicators",
            "add",
            "--school",
            "261600010009",
            "--name",
            "3-8 ELA: Level 2 & above",
            "--kind",
            "dii",
            "--level",
            "1",
            "--code",
            "ELA38",
            "--json",
        )
    )["id"]


def _due_whats(folder, day: str) -> list[str]:
    due = _json(coachdesk(folder, "due", "--on", day, "--json"))
    return [e["what"] for e in due["items"]]


def test_a_dii_with_checkpoints_measured_and_corrected_clears_its_at_risk_item(school):
    folder, school_id = school
    ind = _dii(folder)
    saved = _json(
        coachdesk(
            folder,
            "targets",
            "set",
            "ELA38",
            "--year",
            "2026-27",
            "--baseline",
            "38",
            "--target",
            "46",
            "--early",
            "41",
            "--early-window",
            "2026-09-15:2026-10-30",
            "--mid",
            "43",
            "--mid-window",
            "2027-01-02:2027-01-31",
            "--json",
        )
    )
    assert saved["notes"] == []
    listed = _json(coachdesk(folder, "indicators", "list", "--school", "School 9", "--json"))
    assert [(r["id"], r["kind"], r["level"], r["code"]) for r in listed] == [
        (ind, "dii", 1, "ELA38")
    ]
    assert listed[0]["target"]["checkpoints"][0] == {
        "name": "early",
        "from": "2026-09-15",
        "to": "2026-10-30",
        "goal": 41,
    }

    measured = _json(
        coachdesk(
            folder,
            "measurements",
            "add",
            ind,
            "--value",
            "35",
            "--as-of",
            "2026-10-20",
            "--checkpoint",
            "early",
            "--n",
            "220",
            "--json",
        )
    )["id"]
    assert "DII ELA38 is at risk" in _due_whats(folder, "2026-11-01")

    ok(coachdesk(folder, "measurements", "edit", measured, "--value", "42"))
    assert "DII ELA38 is at risk" not in _due_whats(folder, "2026-11-01")
    history = _json(coachdesk(folder, "measurements", "history", measured, "--json"))
    assert [v["value"] for v in history] == [35, 42]
    assert all(v["who"].endswith("(this laptop)") and v["when"] for v in history)
    shown = ok(coachdesk(folder, "measurements", "history", measured)).stdout.splitlines()
    assert shown[0].startswith("Recorded on ") and shown[1].startswith("Corrected on ")

    ok(coachdesk(folder, "measurements", "delete", measured))
    assert _json(coachdesk(folder, "measurements", "list", "ELA38", "--json")) == []
    gone = _json(coachdesk(folder, "measurements", "list", ind, "--deleted", "--json"))
    assert [(m["id"], m["value"], m["deleted"]) for m in gone] == [(measured, 42, True)]
    # With the measurement deleted, the early checkpoint has no data again.
    after = _due_whats(folder, "2026-11-01")
    assert "Early DII measurements (1 missing)" in after
    assert "DII ELA38 is at risk" not in after


def test_refused_inputs_say_why_in_one_line_and_exit_1(school):
    folder, _ = school
    ind = _dii(folder)
    assert "Level 1 (assigned by the state) or Level 2" in _refused(
        coachdesk(
            folder, "indicators", "add", "--school", "School 9", "--name", "X", "--kind", "dii"
        )
    )
    assert "Benchmarks are Massachusetts'" in _refused(
        coachdesk(
            folder,
            "indicators",
            "add",
            "--school",
            "School 9",
            "--name",
            "X",
            "--kind",
            "benchmark",
        )
    )
    assert "between 0 and 100, not 140" in _refused(
        coachdesk(folder, "targets", "set", ind, "--year", "2026-27", "--target", "140")
    )
    assert "outside the 2026-27 school year" in _refused(
        coachdesk(
            folder,
            "targets",
            "set",
            ind,
            "--year",
            "2026-27",
            "--target",
            "46",
            "--early-window",
            "2026-06-01:2026-06-30",
        )
    )
    assert "is not a window" in _refused(
        coachdesk(
            folder,
            "targets",
            "set",
            ind,
            "--year",
            "2026-27",
            "--target",
            "46",
            "--early-window",
            "2026-09-15",
        )
    )
    assert "is not a date" in _refused(
        coachdesk(folder, "measurements", "add", ind, "--value", "40", "--as-of", "yesterday")
    )
    assert "No indicator has the id or code" in _refused(
        coachdesk(folder, "measurements", "add", "MATH", "--value", "40", "--as-of", "2026-10-01")
    )
    result = coachdesk(folder, "indicators", "add", "--school", "School 9", "--kind", "local")
    assert result.returncode == 2  # a usage error: --name is missing


def test_a_goal_below_the_baseline_is_saved_and_said(school):
    folder, _ = school
    ind = _dii(folder)
    result = ok(
        coachdesk(
            folder, "targets", "set", ind, "--year", "2026-27", "--baseline", "38", "--target", "30"
        )
    )
    assert "Note: The annual target 30 is below the baseline 38" in result.stdout


def test_next_years_targets_are_copied_then_edited_and_a_retired_indicator_comes_back(school):
    folder, _ = school
    ind = _dii(folder)
    ok(
        coachdesk(
            folder,
            "targets",
            "set",
            ind,
            "--year",
            "2026-27",
            "--baseline",
            "38",
            "--target",
            "46",
            "--eoy-window",
            "2027-06-01:2027-07-22",
        )
    )
    copied = _json(
        coachdesk(
            folder,
            "targets",
            "copy",
            "--school",
            "School 9",
            "--from",
            "2026-27",
            "--to",
            "2027-28",
            "--json",
        )
    )
    assert len(copied["ids"]) == 1 and copied["skipped"] == []
    ok(coachdesk(folder, "targets", "set", ind, "--year", "2027-28", "--target", "50"))
    (row,) = _json(coachdesk(folder, "indicators", "list", "--year", "2027-28", "--json"))
    assert row["target"]["annual_target"] == 50
    assert row["target"]["checkpoints"][0]["from"] == "2028-06-01"

    ok(coachdesk(folder, "indicators", "edit", ind, "--name", "3-8 ELA (All)"))
    ok(coachdesk(folder, "indicators", "retire", ind))
    assert _json(coachdesk(folder, "indicators", "list", "--json")) == []
    ok(coachdesk(folder, "indicators", "retire", ind, "--undo"))
    (back,) = _json(coachdesk(folder, "indicators", "list", "--json"))
    assert (back["name"], back["retired"]) == ("3-8 ELA (All)", False)


def test_an_ma_benchmark_by_group_takes_measurements_from_a_csv(tmp_path):
    folder = tmp_path / "profile"
    ok(coachdesk(folder, "districts", "add", "--name", "Hillview Public Schools", "--state", "MA"))
    ok(
        coachdesk(
            folder,
            "schools",
            "add",
            "--name",
            "Hillview Middle",
            "--district",
            "Hillview Public Schools",
            "--program",
            "MA_SSOS",
            "--year",
            "2026-27",
        )
    )
    added = _json(
        coachdesk(
            folder,
            "indicators",
            "add",
            "--school",
            "Hillview Middle",
            "--name",
            "Math interim benchmark",
            "--kind",
            "benchmark",
            "--group",
            "All",
            "--group",
            "ML",
            "--group",
            "SWD",
            "--code",
            "MCAP",
            "--json",
        )
    )
    assert len(added["ids"]) == 3 and added["id"] == added["ids"][0]
    csv = tmp_path / "winter.csv"
    csv.write_text(
        "school,indicator,subgroup,as_of,value,n\n"
        "Hillview Middle,MCAP,All,2026-11-20,38,260\n"
        "Hillview Middle,MCAP,ML,2026-11-20,27,48\n"
        "Hillview Middle,MCAP,SWD,2026-11-20,140,7\n",
        encoding="utf-8",
    )
    dry = _json(coachdesk(folder, "measurements", "import", str(csv), "--dry-run", "--json"))
    assert (dry["ready"], dry["written"]) == (2, [])
    assert [e["line"] for e in dry["refused"]] == [4]
    done = _json(coachdesk(folder, "measurements", "import", str(csv), "--json"))
    assert len(done["written"]) == 2
    ml = _json(
        coachdesk(
            folder,
            "measurements",
            "list",
            "MCAP",
            "--school",
            "Hillview Middle",
            "--group",
            "ML",
            "--json",
        )
    )
    assert [(m["value"], m["n"]) for m in ml] == [(27, 48)]
