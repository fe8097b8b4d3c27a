"""Backups: consistent copies, a retention rule, validated restores that keep the old profile."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3

import pytest
from sqlalchemy import select

from coachdesk.core.errors import RefusedInput
from coachdesk.core.store import backups
from coachdesk.core.store.profile import DB_NAME, open_profile
from coachdesk.core.store.schema import Organization


def _add_school(profile, name):
    with profile.writing() as write:
        write.session.add(Organization(kind="school", name=name, state="MA"))


def _school_names(profile):
    with profile.reading() as session:
        return sorted(session.execute(select(Organization.name)).scalars())


def test_a_backup_holds_what_was_committed_and_stands_alone(profile):
    _add_school(profile, "Before the backup")
    path = backups.take_backup(profile, reason="manual")
    _add_school(profile, "After the backup")
    assert path.name.endswith("-manual.sqlite")
    conn = sqlite3.connect(path)
    names = [r[0] for r in conn.execute("SELECT name FROM organization")]
    conn.close()
    assert names == ["Before the backup"]
    assert not path.with_name(path.name + "-wal").exists()


def _fake_backup(folder, when: dt.datetime, reason: str):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"coachdesk-{when:%Y%m%dT%H%M%SZ}-{reason}.sqlite"
    path.write_bytes(b"")
    return path


def test_retention_keeps_recent_days_monthly_copies_and_every_manual_backup(tmp_path):
    now = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
    folder = tmp_path / "backups"
    daily = [_fake_backup(folder, now - dt.timedelta(days=d), "daily") for d in range(0, 400)]
    manual = _fake_backup(folder, now - dt.timedelta(days=900), "manual")
    backups.prune(folder, now=now)
    kept = {b.path for b in backups.list_backups(folder)}
    assert manual in kept
    assert set(daily[:15]) <= kept  # the last 14 days and today
    months = {
        (b.taken_at.year, b.taken_at.month)
        for b in backups.list_backups(folder)
        if b.reason == "daily" and now - b.taken_at > dt.timedelta(days=14)
    }
    assert months == {(2026, 10), (2026, 9), (2026, 8), (2026, 7), (2026, 6)}
    assert daily[-1] not in kept  # over a year old


def test_a_daily_backup_is_due_only_after_24_hours(tmp_path):
    folder = tmp_path / "backups"
    now = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
    assert backups.daily_backup_due(folder, now=now)
    _fake_backup(folder, now - dt.timedelta(hours=5), "daily")
    assert not backups.daily_backup_due(folder, now=now)
    assert backups.daily_backup_due(folder, now=now + dt.timedelta(hours=20))


def test_restore_brings_back_the_backup_and_keeps_the_profile_it_replaced(profile_dir):
    profile = open_profile(profile_dir)
    _add_school(profile, "Original")
    saved = backups.take_backup(profile, reason="manual")
    _add_school(profile, "Added later")
    profile.close()

    previous = backups.restore(profile_dir, saved)

    reopened = open_profile(profile_dir)
    assert _school_names(reopened) == ["Original"]
    reopened.close()
    assert previous is not None and "before-restore" in previous.name
    conn = sqlite3.connect(previous)
    assert {r[0] for r in conn.execute("SELECT name FROM organization")} == {
        "Original",
        "Added later",
    }
    conn.close()


@pytest.mark.parametrize(
    "content, message",
    [
        (b"hello", "not a coachdesk backup"),
        (None, "no file"),
    ],
)
def test_a_bad_backup_file_is_refused_and_the_profile_is_unchanged(
    profile_dir, tmp_path, content, message
):
    profile = open_profile(profile_dir)
    _add_school(profile, "Kept")
    profile.close()
    before = (profile_dir / DB_NAME).read_bytes()
    bad = tmp_path / "bad.sqlite"
    if content is not None:
        bad.write_bytes(content)
    with pytest.raises(RefusedInput, match=message):
        backups.restore(profile_dir, bad)
    assert (profile_dir / DB_NAME).read_bytes() == before


def test_restoring_over_a_damaged_profile_moves_the_damaged_file_aside(profile_dir):
    profile = open_profile(profile_dir)
    _add_school(profile, "Good")
    saved = backups.take_backup(profile, reason="manual")
    profile.close()
    (profile_dir / DB_NAME).write_bytes(b"garbage" * 1000)
    previous = backups.restore(profile_dir, saved)
    assert previous.name.startswith("damaged-") and previous.read_bytes().startswith(b"garbage")
    reopened = open_profile(profile_dir)
    assert _school_names(reopened) == ["Good"]
    reopened.close()


# --- what a crash leaves behind, cleaned at the next start -------------------------------------


def _age(path, minutes: float) -> None:
    when = dt.datetime.now(dt.UTC).timestamp() - minutes * 60
    os.utime(path, (when, when))


def test_a_backup_cut_short_is_removed_at_the_next_start(profile_dir):
    profile = open_profile(profile_dir)
    _add_school(profile, "Kept")
    kept = backups.take_backup(profile, reason="manual")
    profile.close()
    folder = profile_dir / "backups"
    crashed = folder / "coachdesk-20261201T090000Z-daily.sqlite.partial"
    crashed.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    _age(crashed, 60)
    writing_now = folder / "coachdesk-20261201T091500Z-manual.sqlite.partial"
    writing_now.write_bytes(b"SQLite format 3\x00")  # another coachdesk may be writing it
    key_change = profile_dir / "device-keys.enc.4242-1.partial"
    key_change.write_text("{}", encoding="utf-8")
    _age(key_change, 60)

    reopened = open_profile(profile_dir)
    assert _school_names(reopened) == ["Kept"]
    reopened.close()
    assert not crashed.exists() and not key_change.exists()
    assert writing_now.exists()
    assert kept.exists() and [b.path for b in backups.list_backups(folder)] == [kept]


def test_a_restore_cut_short_over_a_good_profile_is_removed_and_the_profile_stays(profile_dir):
    profile = open_profile(profile_dir)
    _add_school(profile, "Original")
    saved = backups.take_backup(profile, reason="manual")
    _add_school(profile, "Added later")
    profile.close()
    copy = profile_dir / f"{DB_NAME}.restoring"
    copy.write_bytes(saved.read_bytes()[:5000])  # the copy was cut short by the crash
    _age(copy, 30)

    reopened = open_profile(profile_dir)
    assert _school_names(reopened) == ["Added later", "Original"]  # the restore never happened
    reopened.close()
    assert not copy.exists()
    assert saved.exists()  # the backup it was restoring from is still there to restore again


def test_a_restore_cut_short_that_had_moved_a_damaged_profile_aside_is_finished(profile_dir):
    profile = open_profile(profile_dir)
    _add_school(profile, "Good")
    saved = backups.take_backup(profile, reason="manual")
    profile.close()
    (profile_dir / DB_NAME).rename(profile_dir / "damaged-20261201T090000Z.sqlite")
    copy = profile_dir / f"{DB_NAME}.restoring"
    copy.write_bytes(saved.read_bytes())  # copied whole, then the crash
    _age(copy, 30)

    reopened = open_profile(profile_dir)
    assert _school_names(reopened) == ["Good"]  # not a new, empty profile
    reopened.close()
    assert not copy.exists()


def test_an_unusable_restore_copy_with_no_profile_is_kept_for_someone_to_look_at(profile_dir):
    profile = open_profile(profile_dir)
    saved = backups.take_backup(profile, reason="manual")
    profile.close()
    (profile_dir / DB_NAME).unlink()
    copy = profile_dir / f"{DB_NAME}.restoring"
    copy.write_bytes(saved.read_bytes()[:100])
    _age(copy, 30)
    assert backups.clean_leftovers(profile_dir) == []
    assert copy.exists() and not (profile_dir / DB_NAME).exists()


def test_a_restore_being_written_now_is_left_alone(profile_dir):
    profile = open_profile(profile_dir)
    _add_school(profile, "Original")
    saved = backups.take_backup(profile, reason="manual")
    profile.close()
    copy = profile_dir / f"{DB_NAME}.restoring"
    copy.write_bytes(saved.read_bytes())
    assert backups.clean_leftovers(profile_dir) == []
    assert copy.exists()
    later = dt.datetime.now(dt.UTC) + backups.LEFTOVER_AGE
    assert backups.clean_leftovers(profile_dir, now=later) == [copy]
