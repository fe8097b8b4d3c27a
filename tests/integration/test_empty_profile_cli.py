"""Every command on a profile with no schools, and on one whose demo was removed: a useful answer
or one sentence saying what to do first; never a traceback, never "run `coachdesk demo`"
(issue 12)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pypdf
import pytest

from tests.support.cli import PASSPHRASE, coachdesk, no_keyring_env, ok

FIRST_STEP = "No schools yet: add one with `coachdesk schools add"


def _cli(profile: Path, *args: str):
    return coachdesk(profile, *args, env=no_keyring_env(PASSPHRASE))


def _sound(result) -> None:
    """Exit 0, or 1 with one line on stderr; no traceback; no advice to load the demo."""
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert "coachdesk demo" not in result.stdout + result.stderr
    if result.returncode == 1:
        assert result.stderr.startswith("coachdesk: ") and result.stderr.count("\n") == 1


@pytest.fixture(params=["new", "demo removed"])
def empty_profile(request, tmp_path, demo_template) -> Path:
    folder = tmp_path / "profile"
    if request.param == "new":
        ok(_cli(folder, "coach", "--name", "Dana Ortiz"))
    else:
        shutil.copytree(demo_template, folder)
        ok(_cli(folder, "demo", "--remove"))
    return folder


def test_reading_commands_say_how_to_add_the_first_school(empty_profile):
    for args in (("visits",), ("due",), ("search", "Lincoln")):
        out = _cli(empty_profile, *args)
        _sound(out)
        assert out.returncode == 0 and FIRST_STEP in out.stdout, args
    for args in (("visits", "--json"), ("search", "x", "--json"), ("schools", "list", "--json")):
        out = _cli(empty_profile, *args)
        _sound(out)
        assert json.loads(out.stdout) == [], args
    due = json.loads(ok(_cli(empty_profile, "due", "--json")).stdout)
    assert due["items"] == []
    listed = ok(_cli(empty_profile, "schools", "list"))
    assert "No schools yet" in listed.stdout and "coachdesk schools add" in listed.stdout
    _sound(_cli(empty_profile, "districts", "list"))


def test_the_caseload_report_is_a_one_page_pdf_that_says_there_are_no_schools(
    empty_profile, tmp_path
):
    out = tmp_path / "caseload.pdf"
    result = _cli(empty_profile, "report", "caseload", "-o", str(out))
    _sound(result)
    assert result.returncode == 0 and FIRST_STEP in result.stdout
    pages = pypdf.PdfReader(out).pages
    assert len(pages) == 1
    assert "No schools are on the caseload for this school year." in pages[0].extract_text()
    large = _cli(
        empty_profile, "report", "caseload", "-o", str(tmp_path / "l.pdf"), "--large-print"
    )
    _sound(large)
    assert large.returncode == 0


def test_commands_that_need_a_record_refuse_in_one_sentence(empty_profile, tmp_path):
    for args in (
        ("report", "visit", "no-such-visit", "-o", str(tmp_path / "v.pdf")),
        ("packet", "no-such-visit", "--unencrypted", "-o", str(tmp_path / "p.coachdesk")),
        ("visits", "--school", "Lincoln Park Elementary School"),
        ("assign", "Lincoln Park Elementary School", "--program", "NY_RCV"),
    ):
        out = _cli(empty_profile, *args)
        _sound(out)
        assert out.returncode == 1, args


def test_export_verify_import_backup_and_check_work_on_an_empty_profile(empty_profile, tmp_path):
    bundle = tmp_path / "mine.coachdesk"
    out = _cli(empty_profile, "export", "--all", "-o", str(bundle))
    _sound(out)
    assert out.returncode == 0 and bundle.exists()
    assert "demo" not in out.stdout  # nothing of a demo to leave out (or to speak of)
    for args in (
        ("verify", str(bundle), "--contents"),
        ("import", str(bundle)),
        ("check",),
        ("backup",),
        ("coach",),
        ("keys", "show"),
        ("caseload", "export", "-o", str(tmp_path / "caseload.csv")),
        ("year", "next"),
        ("demo", "--remove"),
        ("forms", "check"),
    ):
        result = _cli(empty_profile, *args)
        _sound(result)
        assert result.returncode == 0, (args, result.stderr)
    gone = ok(_cli(empty_profile, "demo", "--remove"))
    assert gone.stdout.strip() == "There is no demo caseload in this profile; nothing was removed."


def test_events_for_a_caseload_with_no_schools_are_refused_with_the_reason(empty_profile, tmp_path):
    events = tmp_path / "events.csv"
    events.write_text("date,title,school\n2026-12-10,OISR session,Lakeview\n", encoding="utf-8")
    out = _cli(empty_profile, "events", "import", str(events))
    _sound(out)
    assert out.returncode == 1 and "not in the caseload" in out.stdout


def test_a_folder_with_no_profile_says_how_to_start_one(tmp_path):
    for args in (("visits",), ("due",), ("search", "x"), ("export", "--all", "-o", "x")):
        out = _cli(tmp_path / "nothing-here", *args)
        _sound(out)
        assert out.returncode == 1 and "coachdesk districts add" in out.stderr, args
    assert not (tmp_path / "nothing-here" / "coachdesk.sqlite").exists()
