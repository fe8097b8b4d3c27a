"""`coachdesk due` as a coach runs it: grouped lines with reasons, JSON, and a refused date."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.support.cli import coachdesk


def _due(folder: Path, *args: str) -> subprocess.CompletedProcess:
    return coachdesk(folder, "due", *args)


def test_due_lists_groups_with_reasons_on_the_demo(demo_dir):
    out = _due(demo_dir)
    assert out.returncode == 0, out.stderr
    assert "Overdue (" in out.stdout
    assert "why: " in out.stdout


def test_due_json_on_a_chosen_day_names_school_rule_and_reason(demo_dir):
    out = _due(demo_dir, "--on", "2027-01-15", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["on"] == "2027-01-15"
    groups = {item["group"] for item in data["items"]}
    assert groups <= {"Overdue", "Today", "This week", "Coming up"}
    rules = {item["rule"] for item in data["items"]}
    assert "ny.dii_checkpoint" in rules or "ny.dii_at_risk" in rules  # mid-year DII window
    assert "ma.pm_window" in rules
    assert all(item["school"] and item["why"] for item in data["items"])


def test_a_bad_date_is_refused_in_one_sentence(demo_dir):
    out = _due(demo_dir, "--on", "23/11/2026")
    assert out.returncode == 1
    assert out.stdout == ""
    assert len(out.stderr.strip().splitlines()) == 1
    assert "YYYY-MM-DD" in out.stderr


def test_events_import_lists_then_writes_and_a_second_run_adds_nothing(demo_dir, tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(
        "date,title,program\n2027-01-20,OISR session,NY_RCV\n2027-13-01,Bad,NY_RCV\n",
        encoding="utf-8",
    )
    dry = coachdesk(demo_dir, "events", "import", str(path), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "OISR session" in dry.stdout and "line 3:" in dry.stdout
    assert "Nothing was written" in dry.stdout
    done = coachdesk(demo_dir, "events", "import", str(path))
    assert done.returncode == 0, done.stderr
    assert "Imported 1 event(s)." in done.stdout
    due = json.loads(coachdesk(demo_dir, "due", "--on", "2027-01-18", "--json").stdout)
    assert any(i["rule"] == "all.event" and i["what"] == "OISR session" for i in due["items"])
    again = coachdesk(demo_dir, "events", "import", str(path))
    assert again.returncode == 1 and "already on the calendar" in again.stdout
    assert "No event from events.csv was imported." in again.stderr
    ics = coachdesk(
        demo_dir, "events", "import", str(tmp_path / "missing.ics"), "--program", "NY_RCV"
    )
    assert ics.returncode == 1 and "could not be read" in ics.stderr
