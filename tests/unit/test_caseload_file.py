"""The caseload from a CSV file: what a coach sees in the preview, what the import writes, and
the export that imports back (coachdesk/core/caseload_file.py)."""

from __future__ import annotations

import csv
import errno
import io
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from coachdesk.core import caseload_export, caseload_file, organizations
from coachdesk.core.caseload_file import RowAction
from coachdesk.core.errors import RefusedInput
from coachdesk.core.store.profile import open_profile
from coachdesk.core.store.schema import Assignment, Change, Organization

HEADER = "School Name,BEDS Code,District Name,Street Address,Grade Span\n"
ALBANY = "Albany City SD,010100010000,,1 Academy Park,\n"


def _csv(*lines: str, header: str = HEADER) -> bytes:
    return (header + "".join(lines)).encode("utf-8")


def _count(profile, model=Change) -> int:
    with profile.reading() as session:
        return session.execute(select(func.count()).select_from(model)).scalar()


def _names(profile) -> dict[str, str]:
    with profile.reading() as session:
        rows = session.execute(
            select(Organization.state_id, Organization.name).where(
                Organization.deleted_at.is_(None)
            )
        )
        return {state_id: name for state_id, name in rows}


def _by_line(found) -> dict[int, caseload_file.PreviewRow]:
    return {r.line: r for r in found.rows}


# --- reading the file -----------------------------------------------------------------------


def test_a_directory_export_with_a_bom_is_read_and_its_columns_matched_by_their_usual_names(
    profile,
):
    data = "\ufeff" + HEADER + ALBANY + "École Saint-Éloi,010100010034,Albany City SD,,K-5\n"
    found = caseload_file.preview(profile, data.encode("utf-8"))
    assert found.encoding == "UTF-8 with BOM"
    assert found.matched == {
        "School Name": "name",
        "BEDS Code": "state_id",
        "District Name": "district",
        "Street Address": "address",
        "Grade Span": "grades",
    }
    rows = _by_line(found)
    assert rows[2].action is RowAction.NEW_DISTRICT and rows[2].name == "Albany City SD"
    assert rows[3].action is RowAction.NEW_SCHOOL and rows[3].name == "École Saint-Éloi"
    assert rows[3].district == "Albany City SD" and rows[3].state == "NY"


def test_windows_1252_bytes_are_read_as_windows_1252_and_said_so(profile):
    # "Ã" is 0xC3 and "é" 0xE9 in Windows-1252; neither byte sequence is valid UTF-8 here.
    data = (HEADER + ALBANY + "São Tomé Ãcademy,010100010034,Albany City SD,,\n").encode("cp1252")
    found = caseload_file.preview(profile, data)
    assert found.encoding == "Windows-1252"
    assert _by_line(found)[3].name == "São Tomé Ãcademy"


def test_utf8_text_that_looks_like_mojibake_is_kept_as_utf8(profile):
    # A name really spelled with "Ã©" stays so: UTF-8 is tried strictly first.
    found = caseload_file.preview(
        profile, _csv(ALBANY, "CafÃ© Prep,010100010034,Albany City SD,,\n")
    )
    assert found.encoding == "UTF-8"
    assert _by_line(found)[3].name == "CafÃ© Prep"


def test_commas_quotes_and_newlines_inside_quoted_names_are_read_and_rows_counted_as_a_sheet_does(
    profile,
):
    data = _csv(
        ALBANY,
        '"Smith, ""The Academy"" School",010100010034,Albany City SD,"1 Main St\nAlbany",K-5\n',
        "Bad Code School,12345,Albany City SD,,\n",
    )
    rows = _by_line(caseload_file.preview(profile, data))
    assert rows[3].name == 'Smith, "The Academy" School'
    # The quoted address spans two lines of the file; the spreadsheet still calls it row 3.
    assert rows[4].action is RowAction.ERROR
    assert rows[4].message == "A NY BEDS code is 12 digits; “12345” has 5."


def test_a_file_saved_by_a_european_excel_with_semicolons_is_read_the_same(profile):
    data = "Name;IRN;District\r\nAkron City;043489;\r\nFirestone, High;012345;Akron City\r\n"
    rows = _by_line(caseload_file.preview(profile, data.encode("cp1252")))
    assert (rows[3].name, rows[3].district) == ("Firestone, High", "Akron City")


def test_a_pasted_name_of_50000_characters_is_refused_on_its_row_with_the_limit(profile):
    found = caseload_file.preview(
        profile, _csv(ALBANY, f"{'A' * 50_000},010100010034,Albany City SD,,\n")
    )
    assert _by_line(found)[3].message == (
        "The school's name is 50,000 characters long; the limit is 200. Shorten it."
    )


@pytest.mark.parametrize(
    ("data", "sentence"),
    [
        (b"", "is empty"),
        (b"\xef\xbb\xbf\r\n", "is empty"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "is a PDF, not a CSV file"),
        (b"PK\x03\x04\x14\x00\x06\x00", "is a spreadsheet workbook, not a CSV file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "holds binary data, not text"),
        (HEADER.encode(), "has a header row but no district or school below it"),
    ],
)
def test_a_file_that_cannot_be_a_caseload_is_refused_in_one_sentence(profile, data, sentence):
    with pytest.raises(RefusedInput) as refused:
        caseload_file.preview(profile, data)
    assert sentence in str(refused.value)
    assert str(refused.value).count(". ") <= 1 and "\n" not in str(refused.value)


def test_a_path_that_is_not_there_is_refused_with_its_name(profile, tmp_path):
    with pytest.raises(RefusedInput, match="There is no file .*missing.csv"):
        caseload_file.preview(profile, tmp_path / "missing.csv")


def test_columns_it_cannot_match_are_named_and_a_mapping_from_the_caller_is_used(profile):
    data = b"Bldg,Bldg No,Sup Dist,Zip\nAkron City,043489,,44308\nFirestone High,012345,043489,\n"
    unmatched = caseload_file.preview(profile, data, state="OH")
    assert unmatched.needs_mapping and unmatched.missing == ("name",)
    assert set(unmatched.unmatched) == {"Bldg", "Bldg No", "Sup Dist", "Zip"}
    assert unmatched.rows == ()
    mapped = caseload_file.preview(
        profile,
        data,
        state="OH",
        mapping={"Bldg": "name", "bldg no": "State ID", "Sup Dist": "district", "Zip": "ignore"},
    )
    assert not mapped.needs_mapping and mapped.unmatched == ()
    assert [(r.action, r.name) for r in mapped.rows] == [
        (RowAction.NEW_DISTRICT, "Akron City"),
        (RowAction.NEW_SCHOOL, "Firestone High"),
    ]
    with pytest.raises(RefusedInput, match="“colour” is not a field coachdesk imports"):
        caseload_file.preview(profile, data, mapping={"Bldg": "colour"})
    with pytest.raises(RefusedInput, match="has no column “Building”"):
        caseload_file.preview(profile, data, mapping={"Building": "name"})


def test_a_list_of_districts_alone_is_read_as_districts(profile):
    data = b"District Name,District IRN\nAkron City,043489\nCanton City,043711\n"
    found = caseload_file.preview(profile, data)
    assert [(r.action, r.name, r.state_id, r.state) for r in found.rows] == [
        (RowAction.NEW_DISTRICT, "Akron City", "043489", "OH"),
        (RowAction.NEW_DISTRICT, "Canton City", "043711", "OH"),
    ]


def test_a_ten_thousand_row_file_is_previewed_row_by_row(profile):
    lines = [ALBANY] + [
        f"School {n},{10100010000 + n + 1:012d},Albany City SD,,K-5\n" for n in range(9_999)
    ]
    found = caseload_file.preview(profile, _csv(*lines))
    assert len(found.rows) == 10_000
    assert found.count(RowAction.NEW_SCHOOL) == 9_999
    assert found.rows[-1].line == 10_001


# --- the preview ----------------------------------------------------------------------------


def test_the_preview_writes_nothing(profile):
    before = _count(profile)
    found = caseload_file.preview(
        profile, _csv(ALBANY, "Arbor Hill,010100010034,Albany City SD,,\n")
    )
    assert found.to_write == 2
    assert _count(profile) == before and _names(profile) == {}


def test_bad_rows_are_refused_with_their_row_and_a_sentence_and_the_rest_are_kept(profile):
    found = caseload_file.preview(
        profile,
        _csv(
            ALBANY,
            ",010100010034,Albany City SD,,\n",
            "Lost School,010100010035,Nowhere SD,,\n",
            "Wide School,010100010036,Albany City SD,,K-5,extra\n",
            "Odd Grades,010100010037,Albany City SD,,banana\n",
            "Good School,010100010038,Albany City SD,,9-12\n",
        ),
    )
    rows = _by_line(found)
    assert rows[3].message == "This row has no name; every district and school needs one."
    assert rows[4].message.startswith("The district “Nowhere SD” is neither in your caseload")
    assert "needs quotes around it" in rows[5].message
    assert "is not a grade span" in rows[6].message
    assert rows[7].action is RowAction.NEW_SCHOOL
    assert found.sentence == "1 new school, 1 new district, 4 rows refused"


def test_a_state_id_already_in_the_profile_is_an_update_that_shows_what_changes(profile):
    district = organizations.add_district(
        profile, name="Albany City SD", state="NY", state_id="010100010000"
    )
    organizations.add_school(
        profile,
        name="Arbor Hill Elementary",
        district_id=district.id,
        state_id="010100010034",
        grade_span="K-5",
    )
    found = caseload_file.preview(
        profile,
        _csv(ALBANY, "Arbor Hill Elementary School,010100010034,Albany City SD,,PK-5\n"),
    )
    rows = _by_line(found)
    assert rows[2].action is RowAction.UPDATE  # the address is new
    assert rows[3].action is RowAction.UPDATE
    assert {(c.label, c.old, c.new) for c in rows[3].changes} == {
        ("name", "Arbor Hill Elementary", "Arbor Hill Elementary School"),
        ("grades", "K-5", "PK-5"),
    }
    caseload_file.apply(profile, found)
    assert _names(profile)["010100010034"] == "Arbor Hill Elementary School"
    assert len(_names(profile)) == 2


def test_the_same_state_id_twice_in_one_file_is_refused_on_its_second_row(profile):
    found = caseload_file.preview(
        profile,
        _csv(
            ALBANY,
            "Arbor Hill,010100010034,Albany City SD,,\n",
            "Arbor Hill Again,0101-0001-0034,Albany City SD,,\n",
        ),
    )
    assert _by_line(found)[4].message == "This row repeats row 3 (the same state id)."


def test_a_schools_district_may_be_named_by_its_state_id_and_the_state_follows_from_the_id(
    profile,
):
    organizations.add_district(profile, name="Boston", state="MA", state_id="00350000")
    found = caseload_file.preview(
        profile, b"Name,Org Code,District\nBoston Latin School,00350560,0035-0000\n"
    )
    (row,) = found.rows
    assert (row.action, row.state, row.district) == (RowAction.NEW_SCHOOL, "MA", "Boston")


def test_a_program_named_in_the_file_is_assigned_for_this_school_year_once(profile):
    data = (
        b"Name,IRN,District,Program\n"
        b"Akron City,043489,,\n"
        b"Firestone High,012345,Akron City,OH NNPS\n"
    )
    caseload_file.apply(profile, caseload_file.preview(profile, data))
    with profile.reading() as session:
        codes = session.execute(select(Assignment.program_code)).scalars().all()
    assert codes == ["OH_NNPS"]
    again = caseload_file.preview(profile, data)
    assert [r.action for r in again.rows] == [RowAction.UNCHANGED, RowAction.UNCHANGED]
    wrong = caseload_file.preview(profile, data.replace(b"OH NNPS", b"NY_RCV"))
    assert (
        _by_line(wrong)[3].message
        == "NY Receivership is a NY program, and Firestone High is in OH."
    )


def test_without_a_district_column_a_ny_schools_district_is_told_by_its_beds_code(profile):
    data = (
        b"Name,BEDS Code,Grades\n"
        b"Albany City SD,010100010000,\n"
        b"Arbor Hill Elementary,010100010034,PK-5\n"
        b"Lone School,020200020034,K-5\n"
    )
    rows = _by_line(caseload_file.preview(profile, data))
    assert (rows[2].action, rows[2].kind) == (RowAction.NEW_DISTRICT, "district")
    assert (rows[3].action, rows[3].district) == (RowAction.NEW_SCHOOL, "Albany City SD")
    assert (rows[4].action, rows[4].district) == (RowAction.NEW_SCHOOL, None)


def test_a_district_row_that_names_itself_as_its_district_is_a_district(profile):
    data = (
        b"Name,IRN,District\n"
        b"Akron City,043489,Akron City\n"
        b"Akron City,012345,043489\n"  # a school named as its district is still a school
    )
    rows = _by_line(caseload_file.preview(profile, data))
    assert (rows[2].action, rows[2].district) == (RowAction.NEW_DISTRICT, None)
    assert (rows[3].action, rows[3].district) == (RowAction.NEW_SCHOOL, "Akron City")


def test_without_state_ids_a_school_is_matched_by_its_name_within_its_district_only(profile):
    district = organizations.add_district(profile, name="Akron City", state="OH")
    organizations.add_school(profile, name="Lincoln Elementary", district_id=district.id)
    data = (
        b"Name,District,State,Grades\n"
        b"Canton City,,OH,\n"
        b"Lincoln Elementary,Akron City,OH,K-5\n"
        b"Lincoln Elementary,Canton City,OH,K-5\n"
    )
    rows = _by_line(caseload_file.preview(profile, data))
    assert rows[3].action is RowAction.UPDATE and rows[3].district == "Akron City"
    assert rows[4].action is RowAction.NEW_SCHOOL and rows[4].district == "Canton City"
    twice = caseload_file.preview(profile, data + b"Lincoln Elementary,Akron City,OH,K-6\n")
    assert twice.rows[-1].message == "This row is Lincoln Elementary again, as on row 3."


def test_a_file_without_districts_leaves_each_known_school_in_its_district(profile):
    district = organizations.add_district(profile, name="Akron City", state="OH", state_id="043489")
    organizations.add_school(profile, name="Firestone", district_id=district.id, state_id="012345")
    found = caseload_file.preview(profile, b"Name,IRN,Grades\nFirestone High,012345,9-12\n")
    (row,) = found.rows
    assert row.action is RowAction.UPDATE and row.district == "Akron City"
    assert {c.label for c in row.changes} == {"name", "grades"}


def test_rows_that_do_not_say_their_state_take_the_caseloads_one_state_or_are_refused(profile):
    data = b"Name,District\nFirestone High,Akron City\n"
    assert caseload_file.preview(profile, b"Name\nAkron City\n").rows[0].message == (
        "This row does not say which state it is in; add a State column, or choose the state "
        "of the whole file when importing."
    )
    organizations.add_district(profile, name="Akron City", state="OH")
    (row,) = caseload_file.preview(profile, data).rows
    assert (row.action, row.state, row.district) == (RowAction.NEW_SCHOOL, "OH", "Akron City")


# --- writing --------------------------------------------------------------------------------


def test_importing_the_same_file_again_changes_nothing(profile):
    data = _csv(ALBANY, "Arbor Hill,010100010034,Albany City SD,,K-5\n")
    caseload_file.apply(profile, caseload_file.preview(profile, data))
    changes = _count(profile)
    again = caseload_file.preview(profile, data)
    assert [r.action for r in again.rows] == [RowAction.UNCHANGED, RowAction.UNCHANGED]
    assert not caseload_file.apply(profile, again)
    assert _count(profile) == changes


def test_refused_rows_are_skipped_and_the_good_ones_written(profile):
    found = caseload_file.preview(
        profile,
        _csv(ALBANY, "Arbor Hill,010100010034,Albany City SD,,\n", "Bad,1,Albany City SD,,\n"),
    )
    summary = caseload_file.apply(profile, found)
    assert len(summary.ids("organization")) == 2
    assert _names(profile) == {"010100010000": "Albany City SD", "010100010034": "Arbor Hill"}


def test_a_failure_halfway_through_the_import_writes_nothing_at_all(profile, monkeypatch):
    found = caseload_file.preview(
        profile,
        _csv(ALBANY, *(f"School {n},0101000100{n + 10},Albany City SD,,\n" for n in range(5))),
    )
    real = caseload_file.write_organization
    calls = []

    def failing(session, fields, **kwargs):
        calls.append(fields.name)
        if len(calls) == 4:
            raise organizations.ValidationError("The disk said no.")
        return real(session, fields, **kwargs)

    monkeypatch.setattr(caseload_file, "write_organization", failing)
    before = _count(profile)
    with pytest.raises(RefusedInput, match=r"Row \d+ \(School \d\): The disk said no\. Nothing"):
        caseload_file.apply(profile, found)
    assert len(calls) == 4
    assert _count(profile) == before and _names(profile) == {}


def test_a_caseload_changed_after_the_preview_is_checked_again_and_nothing_is_written(profile):
    found = caseload_file.preview(
        profile, _csv(ALBANY, "Arbor Hill,010100010034,Albany City SD,,\n")
    )
    organizations.add_district(profile, name="Albany City SD", state="NY", state_id="010100010000")
    before = _count(profile)
    with pytest.raises(RefusedInput, match="changed since this file was previewed.*row 2"):
        caseload_file.apply(profile, found)
    assert _count(profile) == before
    assert len(_names(profile)) == 1


# --- export ---------------------------------------------------------------------------------


def test_the_demo_exports_to_a_file_that_imports_back_to_the_same_caseload(demo, tmp_path):
    first = tmp_path / "caseload.csv"
    exported = caseload_file.export(demo, first)
    assert first.read_bytes().startswith(b"\xef\xbb\xbfKind,Name,State,State ID,District,")
    assert exported.districts == 8 and exported.schools >= 20
    fresh = open_profile(tmp_path / "fresh")
    try:
        found = caseload_file.preview(fresh, first)
        assert found.errors == ()
        assert found.count(RowAction.NEW_DISTRICT) == 8
        caseload_file.apply(fresh, found)
        second = tmp_path / "again.csv"
        caseload_file.export(fresh, second)
        assert second.read_bytes() == first.read_bytes()
        assert caseload_file.preview(demo, second).to_write == 0
    finally:
        fresh.close()


def test_a_cell_that_starts_like_a_formula_is_exported_as_text_and_imported_as_typed(
    profile, tmp_path
):
    data = b"Name,IRN,District\nAkron City,043489,\n=1+2 Academy,012345,Akron City\n"
    caseload_file.apply(profile, caseload_file.preview(profile, data))
    out = tmp_path / "out.csv"
    caseload_file.export(profile, out)
    assert ",'=1+2 Academy," in out.read_text(encoding="utf-8-sig")
    assert caseload_file.preview(profile, out).to_write == 0


def test_an_export_that_cannot_be_written_leaves_no_file_and_says_why(
    profile, tmp_path, monkeypatch
):
    caseload_file.apply(profile, caseload_file.preview(profile, _csv(ALBANY)))
    with pytest.raises(RefusedInput, match="The folder .* does not exist"):
        caseload_file.export(profile, tmp_path / "nowhere" / "out.csv")

    def disk_full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(caseload_export.os, "fsync", disk_full)
    target = tmp_path / "out.csv"
    with pytest.raises(RefusedInput, match="could not be written .*No space left on device"):
        caseload_file.export(profile, target)
    assert list(tmp_path.iterdir()) == [tmp_path / "profile"]


# --- names in any script --------------------------------------------------------------------

_NAME = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=60
).filter(lambda t: t.strip() == t and t.strip() != "")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(names=st.lists(_NAME, min_size=1, max_size=4, unique_by=str.casefold))
def test_names_in_any_script_survive_an_import_an_export_and_an_import_back(names):
    import unicodedata

    names = [unicodedata.normalize("NFC", n) for n in names]
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(["Kind", "Name", "State", "State ID", "District"])
    writer.writerow(["district", "Øyelaran محمد 王小明 District", "OH", "043489", ""])
    for n, name in enumerate(names):
        writer.writerow(["school", name, "OH", f"{100000 + n}", "043489"])
    with tempfile.TemporaryDirectory() as tmp:
        profile = open_profile(Path(tmp) / "profile")
        try:
            caseload_file.apply(profile, caseload_file.preview(profile, out.getvalue().encode()))
            caseload_file.export(profile, Path(tmp) / "out.csv")
            back = caseload_file.preview(profile, Path(tmp) / "out.csv")
            stored = _names(profile)
        finally:
            profile.close()
    assert [stored[f"{100000 + n}"] for n in range(len(names))] == names
    assert back.to_write == 0 and back.errors == ()
