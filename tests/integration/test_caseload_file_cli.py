"""`coachdesk caseload import` and `caseload export` as a new coach runs them: a preview with
totals, row errors by spreadsheet row, nothing written on --dry-run, a mapping for columns it
does not know, JSON for scripts, and an export that another profile imports back."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.cli import coachdesk, ok

DIRECTORY = (
    "\ufeffSchool Name,BEDS Code,District Name,Street Address,Grade Span,Zip\r\n"
    "Albany City SD,010100010000,,1 Academy Park,,12207\r\n"
    '"Arbor Hill Elementary, ""The Hill""",010100010034,Albany City SD,1 Arbor Dr,PK-5,12210\r\n'
    "Nguyễn Thị Minh Academy,010100010035,010100010000,,6-8,12210\r\n"
    "Short Code School,12345,Albany City SD,,K-5,12210\r\n"
)


def _file(tmp_path: Path, text: str = DIRECTORY, name: str = "directory.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def _export(profile_dir: Path, target: Path) -> str:
    ok(coachdesk(profile_dir, "caseload", "export", "-o", str(target)))
    return target.read_text(encoding="utf-8-sig")


def test_a_dry_run_shows_totals_and_refused_rows_and_writes_nothing(tmp_path):
    profile_dir = tmp_path / "profile"
    out = ok(coachdesk(profile_dir, "caseload", "import", str(_file(tmp_path)), "--dry-run"))
    assert "2 new schools, 1 new district, 1 row refused" in out.stdout
    assert "row 5 (Short Code School): A NY BEDS code is 12 digits; “12345” has 5." in out.stdout
    assert "Columns not used: Zip." in out.stdout
    assert "Nothing was written (--dry-run)." in out.stdout
    exported = _export(profile_dir, tmp_path / "after.csv")
    assert exported.splitlines()[1:] == []


def test_an_import_writes_the_good_rows_and_a_second_run_changes_nothing(tmp_path):
    profile_dir = tmp_path / "profile"
    path = _file(tmp_path)
    first = ok(coachdesk(profile_dir, "caseload", "import", str(path)))
    assert "Imported from directory.csv: 1 new district, 2 new schools." in first.stdout
    second = ok(coachdesk(profile_dir, "caseload", "import", str(path)))
    assert "3 unchanged, 1 row refused" in second.stdout
    assert "Imported" not in second.stdout
    exported = _export(profile_dir, tmp_path / "caseload.csv")
    assert '"Arbor Hill Elementary, ""The Hill""",NY,010100010034,Albany City SD,PK-5' in exported
    assert "Nguyễn Thị Minh Academy,NY,010100010035,Albany City SD,6-8" in exported


def test_json_lists_every_row_with_its_action_and_changes(tmp_path):
    profile_dir = tmp_path / "profile"
    ok(coachdesk(profile_dir, "caseload", "import", str(_file(tmp_path))))
    changed = DIRECTORY.replace(",6-8,", ",6-9,")
    out = ok(coachdesk(profile_dir, "caseload", "import", str(_file(tmp_path, changed)), "--json"))
    data = json.loads(out.stdout)
    assert data["encoding"] == "UTF-8 with BOM" and data["written"] is True
    assert data["totals"]["update"] == 1 and data["totals"]["error"] == 1
    rows = {row["row"]: row for row in data["rows"]}
    assert rows[4]["action"] == "update"
    assert rows[4]["changes"] == [{"field": "grades", "old": "6-8", "new": "6-9"}]
    assert rows[5]["action"] == "error" and "12 digits" in rows[5]["message"]


def test_columns_it_does_not_know_are_refused_with_how_to_map_them_and_map_then_works(tmp_path):
    profile_dir = tmp_path / "profile"
    path = _file(tmp_path, "Bldg,Bldg No,Sup Dist\nAkron City,043489,\nFirestone,012345,043489\n")
    refused = coachdesk(profile_dir, "caseload", "import", str(path))
    assert refused.returncode == 1 and refused.stdout == ""
    assert len(refused.stderr.strip().splitlines()) == 1
    assert "--map" in refused.stderr and "“Bldg”" in refused.stderr
    mapped = coachdesk(
        profile_dir,
        "caseload",
        "import",
        str(path),
        "--state",
        "OH",
        "--map",
        "Bldg=name",
        "--map",
        "Bldg No=state id",
        "--map",
        "Sup Dist=district",
    )
    assert "1 new school, 1 new district" in ok(mapped).stdout


def test_a_file_that_is_not_csv_is_refused_in_one_line(tmp_path):
    pdf = tmp_path / "directory.csv"
    pdf.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    out = coachdesk(tmp_path / "profile", "caseload", "import", str(pdf))
    assert out.returncode == 1
    assert out.stderr.strip().splitlines() == [
        "coachdesk: directory.csv is a PDF, not a CSV file; export the directory as CSV and "
        "import that."
    ]


def test_an_export_imports_into_another_profile_as_the_same_caseload(tmp_path):
    first_dir, second_dir = tmp_path / "first", tmp_path / "second"
    ok(coachdesk(first_dir, "caseload", "import", str(_file(tmp_path))))
    exported = tmp_path / "caseload.csv"
    first_text = _export(first_dir, exported)
    assert exported.read_bytes().startswith(b"\xef\xbb\xbf")
    out = ok(coachdesk(second_dir, "caseload", "import", str(exported)))
    assert "2 new schools, 1 new district" in out.stdout and "refused" not in out.stdout
    assert _export(second_dir, tmp_path / "again.csv") == first_text


def test_an_export_to_a_folder_that_does_not_exist_is_refused_and_writes_nothing(tmp_path):
    profile_dir = tmp_path / "profile"
    ok(coachdesk(profile_dir, "caseload", "import", str(_file(tmp_path))))
    target = tmp_path / "nowhere" / "caseload.csv"
    out = coachdesk(profile_dir, "caseload", "export", "-o", str(target))
    assert out.returncode == 1
    assert len(out.stderr.strip().splitlines()) == 1 and "does not exist" in out.stderr
    assert not target.parent.exists()
