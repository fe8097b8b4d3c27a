"""The command line end to end, as a script or a coach would run it (DESIGN.md section 6)."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.cli import coachdesk


def test_demo_loads_once_and_check_reports_a_healthy_profile(tmp_path):
    first = coachdesk(tmp_path, "demo")
    assert first.returncode == 0, first.stderr
    assert "records added" in first.stdout
    again = coachdesk(tmp_path, "demo")
    assert again.returncode == 0 and "nothing was added" in again.stdout
    check = coachdesk(tmp_path, "check", "--json")
    report = json.loads(check.stdout)
    assert check.returncode == 0 and report["ok"] and report["integrity"] == "ok"
    assert report["data_format"] == report["newest_format_known"]


def test_backup_then_restore_round_trip(demo_dir):
    made = coachdesk(demo_dir, "backup")
    assert made.returncode == 0
    backup = Path(made.stdout.strip().rsplit(" ", 1)[-1])
    assert backup.exists()
    restored = coachdesk(demo_dir, "restore", str(backup))
    assert restored.returncode == 0, restored.stderr
    assert "kept at" in restored.stdout


@pytest.mark.parametrize("content", [b"", b"not a database at all"])
def test_restoring_a_bad_file_is_one_clear_line_and_exit_1(demo_dir, tmp_path, content):
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(content)
    result = coachdesk(demo_dir, "restore", str(bad))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("coachdesk: ")
    assert "Traceback" not in result.stderr


def test_usage_errors_exit_2(tmp_path):
    assert coachdesk(tmp_path, "no-such-command").returncode == 2
    assert coachdesk(tmp_path, "restore").returncode == 2


def test_a_newer_profile_is_refused_by_every_command_and_left_unchanged(demo_dir):
    db = demo_dir / "coachdesk.sqlite"
    conn = sqlite3.connect(db)
    conn.execute("UPDATE alembic_version SET version_num = '0042'")
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    for args in (("demo",), ("backup",), ("check",)):
        result = coachdesk(demo_dir, *args)
        assert result.returncode == 1, args
        # check prints a report (stdout); the others refuse with one line (stderr).
        assert "newer coachdesk" in result.stdout + result.stderr, args
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_a_damaged_profile_points_to_the_backup_to_restore(demo_dir):
    coachdesk(demo_dir, "backup")
    (demo_dir / "coachdesk.sqlite").write_bytes(b"\x00" * 8192)
    for side in ("coachdesk.sqlite-wal", "coachdesk.sqlite-shm"):
        (demo_dir / side).unlink(missing_ok=True)
    result = coachdesk(demo_dir, "demo")
    assert result.returncode == 1
    assert "coachdesk restore" in result.stderr and "Traceback" not in result.stderr


def test_smoke_test_opens_the_window_and_prints_milliseconds(demo_dir):
    result = coachdesk(demo_dir, "--smoke-test")
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip().splitlines()[-1]) > 0


def test_version_and_module_entry_point():
    result = subprocess.run(
        [sys.executable, "-m", "coachdesk", "--version"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and result.stdout.startswith("coachdesk ")


def test_the_first_run_sets_up_the_demo_in_the_background_then_opens_the_window(tmp_path):
    first = coachdesk(tmp_path, "--smoke-test")
    assert first.returncode == 0, first.stderr
    assert int(first.stdout.strip().splitlines()[-1]) > 0
    listed = coachdesk(tmp_path, "visits", "--json")
    assert listed.returncode == 0 and len(json.loads(listed.stdout)) > 100


def test_a_coach_sets_contact_details_on_the_command_line_and_a_bad_one_changes_nothing(tmp_path):
    set_up = coachdesk(
        tmp_path, "coach", "--name", "Dana Whitfield", "--email", "dana@capitalssp.org"
    )
    assert set_up.returncode == 0, set_up.stderr
    assert set_up.stdout.splitlines() == ["Dana Whitfield", "dana@capitalssp.org"]
    phone = coachdesk(tmp_path, "coach", "--phone", "518-555-0142")
    assert phone.stdout.splitlines()[-1] == "dana@capitalssp.org · 518-555-0142"
    refused = coachdesk(tmp_path, "coach", "--email", "dana at the office")
    assert refused.returncode == 1 and "is not an e-mail address" in refused.stderr
    shown = coachdesk(tmp_path, "coach")
    assert shown.stdout.splitlines() == ["Dana Whitfield", "dana@capitalssp.org · 518-555-0142"]
