"""The roll-up proved from bundles: three real coach profiles (NY, MA, OH) send their supervisor
signed bundles; `coachdesk import FOLDER` takes the folder at once, and `coachdesk rollup`
shows each coach's year as the supervisor would check it, the same in JSON, CSV and print, with
no internal answer anywhere the supervisor can look."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
from collections import Counter

import keyring
import pytest
from keyring.backends import fail
from sqlalchemy import func, select

from coachdesk.core.store.profile import DB_NAME, open_profile
from coachdesk.core.store.visit_tables import VisitAnswer
from coachdesk.core.tracking_records.due import due_entries
from coachdesk.reports.rollup_data import LATE, OVERDUE_KINDS, RollupFilter, build_rollup
from tests.support.cli import PASSPHRASE, coachdesk, no_keyring_env, ok
from tests.support.coach_world import DAY, SUPERVISOR, coach_world

ON = ("--on", DAY.isoformat())


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """The coaches' bundles in one folder, with a note and a damaged bundle beside them, and the
    supervisor's `coachdesk import FOLDER` run on it (keys in passphrase files, as on a machine
    with no keyring, so the CLI's processes can read them)."""
    root = tmp_path_factory.mktemp("coach-world")
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("COACHDESK_PASSPHRASE", PASSPHRASE)
        built = coach_world(root)
    keyring.set_keyring(previous)
    (built.folder / "notes for Pat.txt").write_text("Bundles from the November meetings.")
    good = sorted(built.folder.glob("*.coachdesk"))[0].read_bytes()
    (built.folder / "broken.coachdesk").write_bytes(good[: len(good) // 2])
    built.supervisor.close()
    for coach in built.coaches:
        coach.profile.close()
    supervisor_dir = root / "supervisor"
    imported = coachdesk(supervisor_dir, "import", str(built.folder), env=no_keyring_env())
    return built, supervisor_dir, imported


def run(supervisor_dir, *args: str) -> subprocess.CompletedProcess:
    return ok(coachdesk(supervisor_dir, "rollup", *ON, *args, env=no_keyring_env()))


def rollup_json(supervisor_dir, *args: str) -> dict:
    return json.loads(run(supervisor_dir, "--json", *args).stdout)


def by_school(data: dict) -> dict[str, dict]:
    return {s["school"]: s for s in data["schools"]}


def test_the_folder_imports_every_bundle_with_one_summary_and_each_refused_file_named(world):
    _built, _dir, imported = world
    assert imported.returncode == 1, imported.stderr  # something was refused: exit 1
    out = imported.stdout
    for coach in ("Dana Whitfield", "Jordan Reyes", "Sam Okafor"):
        assert f"(from {coach}):" in out
    assert "Import finished: 3 bundles imported, 2 not imported" in out
    refused = imported.stderr.splitlines()
    assert len(refused) == 2, imported.stderr
    assert refused[0].startswith("coachdesk: broken.coachdesk: not imported.")
    assert refused[1].startswith("coachdesk: notes for Pat.txt: not imported.")
    assert "does not end in .coachdesk" in refused[1]
    assert "Traceback" not in imported.stderr


def test_each_coachs_schools_show_their_year_as_a_supervisor_checks_it(world):
    _built, supervisor_dir, _imported = world
    data = rollup_json(supervisor_dir)
    assert data["as_of"] == "2026-11-18" and data["prepared_by"] == "Pat Supervisor"
    schools = by_school(data)
    # Dana (NY): Arbor Hill had on-site visits on 15 Sep, 20 Oct and 5 Nov and a virtual one on
    # 10 Nov; the monthly rule counts on-site visits, one a month.
    arbor = schools["Arbor Hill Elementary School"]
    assert arbor["last_final_visit"] == "2026-11-10"
    assert (arbor["visits_this_month"], arbor["visits_expected_this_month"]) == (1, 1)
    assert arbor["indicators"] == {
        "met": 0,
        "on_track": 1,  # 35 against the early goal's straight line
        "at_risk": 1,  # 20
        "no_data": 0,
        "suppressed": 1,  # 50, from six students: not judged in print either
    }
    hackett = schools["Hackett Middle School"]
    assert hackett["last_final_visit"] == "2026-10-08"  # the 12 Nov note is still a draft
    assert hackett["visits_this_month"] == 1  # ... but the visit was held
    assert hackett["indicators"]["no_data"] == 1
    # Jordan (MA): two PM meetings with the district, in phases 2 and 3 on 18 Nov.
    springfield = schools["Springfield Public Schools"]
    assert springfield["kind"] == "district"
    assert springfield["pm_meetings_held"] == 2 and springfield["ma_phase"] == "2 and 3"
    assert springfield["last_final_visit"] == "2026-11-09"
    # The benchmark result recorded at the PM meetings (44 of 48 students' group) is on track.
    assert schools["Brightwood Elementary School"]["indicators"]["on_track"] == 1
    assert schools["Duggan Academy"]["visits_expected_this_month"] is None  # PM windows
    # Sam (OH): check-ins by stage.
    heritage = schools["Heritage Elementary School"]
    assert heritage["nnps_stage"] == "Initial Implementation"
    assert (heritage["visits_this_month"], heritage["visits_expected_this_month"]) == (1, 1)
    north = schools["Lima North Middle School"]
    assert north["nnps_stage"] == "Full Implementation"
    assert north["visits_expected_this_month"] is None  # quarterly
    assert north["cadence"] == "a check-in every 3 months"
    assert data["nnps_stages"] == {"Full Implementation": 1, "Initial Implementation": 1}
    coaches = {c["coach"]: c for c in data["coaches"]}
    assert coaches["Dana Whitfield"]["region"] == "Capital Region SSP Partners"
    assert coaches["Dana Whitfield"]["schools"] == 2
    assert coaches["Dana Whitfield"]["visits_this_month"] == 2
    assert coaches["Jordan Reyes"]["pm_meetings_held"] == 2
    assert coaches["Sam Okafor"]["last_final_visit"] == "2026-11-04"


def test_overdue_counts_are_what_each_coach_sees_overdue_on_their_own_laptop(world):
    built, supervisor_dir, _imported = world
    schools = by_school(rollup_json(supervisor_dir))
    checked = 0
    for coach in built.coaches:
        profile = open_profile(coach.profile.directory)
        try:
            own = Counter(
                e.item.school_id
                for e in due_entries(profile, DAY)
                if e.item.state in LATE and e.item.target.kind in OVERDUE_KINDS
            )
        finally:
            profile.close()
        for name, school_id in {**coach.schools, **coach.districts}.items():
            if name in schools:
                assert schools[name]["overdue"] == own.get(school_id, 0), name
                checked += own.get(school_id, 0)
    assert checked >= 5  # reports, next steps and coaching logs really were overdue
    # Arbor Hill's next step due 1 Nov is one of them: the coach's list names it.
    assert schools["Arbor Hill Elementary School"]["overdue"] >= 1


def test_the_csv_has_the_same_numbers_as_the_json(world, tmp_path):
    _built, supervisor_dir, _imported = world
    data = rollup_json(supervisor_dir)
    out = tmp_path / "rollup.csv"
    said = run(supervisor_dir, "-o", str(out)).stdout
    assert f"Wrote {out}: 11 rows (3 coaches, 6 schools)." in said
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    lines = [r for r in rows if r["Line"] in ("School", "District")]
    assert len(lines) == len(data["schools"])
    for row, school in zip(lines, data["schools"], strict=True):
        assert row["School"] == school["school"] and row["Coach"] == school["coach"]
        assert row["Last final visit"] == (school["last_final_visit"] or "")
        assert int(row["Visits this month"]) == school["visits_this_month"]
        expected = school["visits_expected_this_month"]
        assert row["Expected this month"] == ("" if expected is None else str(expected))
        assert int(row["Overdue"]) == school["overdue"]
        counts = school["indicators"]
        assert [int(row[k]) for k in ("Met", "On track", "At risk", "No data", "Suppressed")] == [
            counts[k] for k in ("met", "on_track", "at_risk", "no_data", "suppressed")
        ]
        assert row["NNPS stage"] == (school["nnps_stage"] or "")
        pm = school["pm_meetings_held"]
        assert row["PM meetings held"] == ("" if pm is None else str(pm))
        assert (row["As of"], row["Prepared by"]) == ("2026-11-18", "Pat Supervisor")
    totals = {r["Coach"]: r for r in rows if r["Line"] == "Coach total"}
    for coach in data["coaches"]:
        assert int(totals[coach["coach"]]["Overdue"]) == coach["overdue"]
        assert int(totals[coach["coach"]]["Visits this month"]) == coach["visits_this_month"]


def test_filters_keep_one_program_one_region_or_one_coach(world):
    _built, supervisor_dir, _imported = world
    oh = rollup_json(supervisor_dir, "--program", "OH_NNPS")
    assert {s["program"] for s in oh["schools"]} == {"OH_NNPS"}
    region = rollup_json(supervisor_dir, "--region", "state support team region 6")
    assert [c["coach"] for c in region["coaches"]] == ["Sam Okafor"]
    dana = rollup_json(supervisor_dir, "--coach", "DANA WHITFIELD")
    assert [c["coach"] for c in dana["coaches"]] == ["Dana Whitfield"]
    assert len(dana["schools"]) == 2
    refused = coachdesk(supervisor_dir, "rollup", "--program", "TX_AEP", *ON, env=no_keyring_env())
    assert refused.returncode == 1
    assert refused.stderr.strip() == (
        "coachdesk: “TX_AEP” is not a program; choose one of: NY_RCV, MA_SSOS, OH_NNPS."
    )


def test_the_print_names_who_prepared_it_and_as_of_when_on_every_page(world, tmp_path):
    from pypdf import PdfReader

    _built, supervisor_dir, _imported = world
    out = tmp_path / "rollup.pdf"
    said = run(supervisor_dir, "--pdf", str(out)).stdout
    assert said.startswith(f"Wrote {out}: 3 coaches, 6 schools on ")
    reader = PdfReader(out)
    page = reader.pages[0]
    assert page.mediabox.width > page.mediabox.height  # landscape
    for page in reader.pages:
        words = " ".join(page.extract_text().split())
        assert "prepared by Pat Supervisor, as of November 18, 2026" in words
    everything = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    for school in ("Arbor Hill Elementary School", "Lima North Middle School", "Duggan Academy"):
        assert school in everything


def test_no_internal_answer_is_anywhere_the_supervisor_can_look(world, tmp_path):
    built, supervisor_dir, _imported = world
    markers = [m for coach in built.coaches for m in coach.markers]
    assert len(markers) == 13  # one per visit
    # The markers are really in the coaches' own profiles (so their absence below means
    # something): each coach's laptop keeps its internal notes.
    for coach in built.coaches:
        own = (coach.profile.directory / DB_NAME).read_bytes()
        assert all(m.encode() in own for m in coach.markers)
    copy = tmp_path / "supervisor-copy"
    shutil.copytree(supervisor_dir, copy)  # the database with its WAL, as it is on disk
    stored = b"".join(p.read_bytes() for p in copy.rglob("*") if p.is_file())
    pdf, csv_file = tmp_path / "r.pdf", tmp_path / "r.csv"
    run(supervisor_dir, "--pdf", str(pdf))
    run(supervisor_dir, "-o", str(csv_file))
    pdf_text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    shown = run(supervisor_dir).stdout + run(supervisor_dir, "--json").stdout
    shown += csv_file.read_text(encoding="utf-8-sig") + pdf_text
    for marker in markers:
        assert marker.encode() not in stored
        assert marker not in shown
    assert "ZQ-INTERNAL" not in shown and b"ZQ-INTERNAL" not in stored
    # ... while the same visits and their shared answers did arrive, and the roll-up read in
    # this process (as the window reads it) agrees.
    profile = open_profile(supervisor_dir)
    try:
        with profile.reading() as session:
            rollup = build_rollup(session, RollupFilter(), today=DAY)
            answers = session.scalar(select(func.count()).select_from(VisitAnswer))
    finally:
        profile.close()
    assert answers > 100
    assert sum(s.visits_this_month for s in rollup.schools) == 5  # 2 + 2 + 1


def test_the_terminal_table_reads_each_coachs_schools_in_words(world):
    _built, supervisor_dir, _imported = world
    lines = run(supervisor_dir).stdout.splitlines()
    assert lines[0] == f"Roll-up as of Nov 18, 2026, prepared by {SUPERVISOR}"
    assert "Dana Whitfield (Capital Region SSP Partners): 2 schools, 5 overdue" in lines
    assert (
        "  Arbor Hill Elementary School [NY_RCV]; last final visit Nov 10, 2026; "
        "visits this month 1 of 1; overdue 3; indicators 0 met, 1 on track, 1 at risk, "
        "0 no data, 1 suppressed"
    ) in lines
    assert "  Lima City Schools [OH_NNPS, district]; no final visit yet;" in "\n".join(lines)
