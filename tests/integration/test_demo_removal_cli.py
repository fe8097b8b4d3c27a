"""`coachdesk demo --remove` and `coachdesk export --include-demo` end to end, as separate
processes: the coach's own school stays, the demo goes, and bundles carry the demo only when
asked (issue 12)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.support.cli import PASSPHRASE, coachdesk, no_keyring_env, ok

DEMO_SCHOOL = "Lincoln Park Elementary School"
DEMO_CONTACT = "Nuñez"


def _cli(tmp: Path, who: str, *args: str):
    return coachdesk(tmp / who, *args, env=no_keyring_env(PASSPHRASE))


def _names(profile_dir: Path) -> set[str]:
    conn = sqlite3.connect(profile_dir / "coachdesk.sqlite")
    try:
        rows = conn.execute("SELECT name FROM organization WHERE deleted_at IS NULL").fetchall()
    finally:
        conn.close()
    return {name for (name,) in rows}


@pytest.fixture
def coach_with_demo_and_own_school(tmp_path, demo_template):
    """Dana has the demo and one school of her own; Lee has an empty profile; each trusts the
    other."""
    import shutil

    shutil.copytree(demo_template, tmp_path / "dana")
    ok(
        _cli(
            tmp_path, "dana", "districts", "add", "--name", "Hudson Falls District", "--state", "NY"
        )
    )
    ok(
        _cli(
            tmp_path,
            "dana",
            "schools",
            "add",
            "--name",
            "Øyelaran Community School",
            "--district",
            "Hudson Falls District",
            "--program",
            "NY_RCV",
            "--receivership-year",
            "1",
        )
    )
    for who in ("dana", "lee"):
        ok(_cli(tmp_path, who, "keys", "export-public", "-o", str(tmp_path / f"{who}.key")))
    ok(_cli(tmp_path, "dana", "keys", "trust", str(tmp_path / "lee.key"), "--name", "Lee"))
    ok(_cli(tmp_path, "lee", "keys", "trust", str(tmp_path / "dana.key"), "--name", "Dana"))
    return tmp_path


def test_export_leaves_the_demo_at_home_unless_asked(coach_with_demo_and_own_school):
    tmp = coach_with_demo_and_own_school
    bundle = tmp / "for-lee.coachdesk"
    out = ok(_cli(tmp, "dana", "export", "--to", "Lee", "-o", str(bundle)))
    assert "The demo caseload" in out.stdout and "--include-demo" in out.stdout

    checked = json.loads(ok(_cli(tmp, "lee", "verify", str(bundle), "--contents", "--json")).stdout)
    assert checked["signed_by"] == "Dana"
    ok(_cli(tmp, "lee", "import", str(bundle)))
    assert _names(tmp / "lee") == {"Hudson Falls District", "Øyelaran Community School"}
    schools = json.loads(ok(_cli(tmp, "lee", "schools", "list", "--json")).stdout)
    assert [s["name"] for s in schools] == ["Øyelaran Community School"]
    assert json.loads(ok(_cli(tmp, "lee", "visits", "--json")).stdout) == []

    everything = tmp / "everything.coachdesk"
    out = ok(_cli(tmp, "dana", "export", "--to", "Lee", "-o", str(everything), "--include-demo"))
    assert "demo caseload" not in out.stdout
    ok(_cli(tmp, "lee", "verify", str(everything), "--contents"))
    ok(_cli(tmp, "lee", "import", str(everything)))
    assert DEMO_SCHOOL in _names(tmp / "lee") and len(_names(tmp / "lee")) == 35
    assert json.loads(ok(_cli(tmp, "lee", "visits", "--json")).stdout)


def test_demo_remove_keeps_the_coachs_own_and_says_so(coach_with_demo_and_own_school):
    tmp = coach_with_demo_and_own_school
    out = ok(_cli(tmp, "dana", "demo", "--remove", "--json"))
    facts = json.loads(out.stdout)
    assert facts["removed"]["organization"] == 33 and facts["removed_total"] > 1000
    assert facts["kept"] == [] and facts["sentence"].startswith("Removed the demo caseload")
    assert Path(facts["backup"]).name.endswith("-before-demo-removal.sqlite")
    assert _names(tmp / "dana") == {"Hudson Falls District", "Øyelaran Community School"}

    # No dead ends and nothing of the demo anywhere the coach looks.
    due = ok(_cli(tmp, "dana", "due", "--json"))
    assert DEMO_SCHOOL not in due.stdout
    assert {i["school"] for i in json.loads(due.stdout)["items"]} <= {"Øyelaran Community School"}
    assert "Nothing found" in ok(_cli(tmp, "dana", "search", DEMO_CONTACT)).stdout
    assert ok(_cli(tmp, "dana", "visits")).stdout.strip() == "No visits yet."
    report = ok(_cli(tmp, "dana", "report", "caseload", "-o", str(tmp / "caseload.pdf")))
    assert "1 school on" in report.stdout

    again = ok(_cli(tmp, "dana", "demo", "--remove"))
    assert again.stdout.strip() == "There is no demo caseload in this profile; nothing was removed."
    backups = list((tmp / "dana" / "backups").glob("*-before-demo-removal.sqlite"))
    assert len(backups) == 1  # none taken when there was nothing to remove


def test_demo_remove_names_the_demo_school_it_keeps(tmp_path, demo_template):
    import shutil

    shutil.copytree(demo_template, tmp_path / "dana")
    conn = sqlite3.connect(tmp_path / "dana" / "coachdesk.sqlite")
    try:
        school_id = conn.execute(
            "SELECT id FROM organization WHERE name = ?", (DEMO_SCHOOL,)
        ).fetchone()[0]
    finally:
        conn.close()
    from coachdesk.core import visits
    from coachdesk.core.store.profile import open_profile

    profile = open_profile(tmp_path / "dana")
    try:
        import datetime as dt

        for day in (16, 17):
            visits.start_visit(
                profile, school_id, visit_type="onsite", starts_at=dt.datetime(2026, 11, day, 9)
            )
    finally:
        profile.close()
    out = ok(_cli(tmp_path, "dana", "demo", "--remove"))
    assert f"Kept {DEMO_SCHOOL}: it holds 2 visits of yours." in out.stdout
    assert len(ok(_cli(tmp_path, "dana", "visits")).stdout.strip().splitlines()) == 2
