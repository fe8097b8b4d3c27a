"""Opening profiles: created, reopened, refused when newer, reported when damaged."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

from coachdesk.core.errors import DamagedProfileError, NewerProfileError, RefusedInput
from coachdesk.core.store import backups
from coachdesk.core.store.profile import DB_NAME, open_profile, resolve_profile_dir
from coachdesk.core.store.schema import Coach, Organization, ThisDevice


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_new_profile_has_a_device_and_a_coach_and_keeps_what_was_written(profile_dir):
    profile = open_profile(profile_dir)
    with profile.writing() as write:
        write.session.add(Organization(kind="school", name="Nuñez Academy", state="NY"))
    device = profile.device_id
    profile.close()

    reopened = open_profile(profile_dir)
    with reopened.reading() as session:
        assert session.execute(select(ThisDevice.device_id)).scalar_one() == device
        assert session.execute(select(Coach)).scalars().one().id == reopened.fact("coach_id")
        names = session.execute(select(Organization.name)).scalars().all()
    assert names == ["Nuñez Academy"]
    reopened.close()


def test_profile_folder_comes_from_flag_then_environment_then_platform(monkeypatch, tmp_path):
    monkeypatch.setenv("COACHDESK_DATA_DIR", str(tmp_path / "from-env"))
    assert resolve_profile_dir(str(tmp_path / "flag")) == tmp_path / "flag"
    assert resolve_profile_dir(None) == tmp_path / "from-env"
    monkeypatch.delenv("COACHDESK_DATA_DIR")
    assert resolve_profile_dir(None).name == "coachdesk"


def _make_newer(profile_dir: Path) -> Path:
    profile = open_profile(profile_dir)
    profile.close()
    db = profile_dir / DB_NAME
    conn = sqlite3.connect(db)
    conn.execute("UPDATE alembic_version SET version_num = '0999'")
    conn.execute("UPDATE profile_fact SET value = '7.2.0' WHERE key = 'written_by'")
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return db


def test_a_profile_from_a_newer_coachdesk_is_refused_and_left_byte_for_byte(profile_dir):
    db = _make_newer(profile_dir)
    before = _digest(db)
    files_before = sorted(p.name for p in profile_dir.iterdir())
    with pytest.raises(NewerProfileError) as refused:
        open_profile(profile_dir)
    assert "coachdesk 7.2.0" in str(refused.value)
    assert "has not been changed" in str(refused.value)
    assert _digest(db) == before
    assert sorted(p.name for p in profile_dir.iterdir()) == files_before  # no backup, no WAL


def test_a_damaged_profile_is_reported_with_the_latest_good_backup(profile_dir):
    profile = open_profile(profile_dir)
    good = backups.take_backup(profile, reason="manual")
    profile.close()
    db = profile_dir / DB_NAME
    data = bytearray(db.read_bytes())
    data[4096:8192] = b"\xff" * 4096  # wreck the second page
    db.write_bytes(bytes(data))
    with pytest.raises(DamagedProfileError) as damaged:
        open_profile(profile_dir)
    assert damaged.value.latest_backup == good


def test_a_file_that_is_not_a_database_is_damaged_not_a_traceback(profile_dir):
    profile_dir.mkdir()
    (profile_dir / DB_NAME).write_bytes(b"this is a shopping list, not a profile" * 100)
    with pytest.raises(DamagedProfileError) as damaged:
        open_profile(profile_dir)
    assert damaged.value.latest_backup is None


def test_another_programs_database_is_refused(profile_dir):
    profile_dir.mkdir()
    conn = sqlite3.connect(profile_dir / DB_NAME)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises((RefusedInput, DamagedProfileError), match="not a coachdesk profile"):
        open_profile(profile_dir)


def test_opening_without_create_refuses_an_empty_folder(tmp_path):
    with pytest.raises(RefusedInput, match="no coachdesk profile"):
        open_profile(tmp_path / "nothing-here", create=False)
