"""Setting up a caseload from the keyboard, as a new coach would (issue 12), in real processes."""

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
def set_up(tmp_path):
    """An empty profile with one NY district and one school in NY Receivership."""
    folder = tmp_path / "profile"
    district = _json(
        coachdesk(
            folder,
            "districts",
            "add",
            "--name",
            "Port Hadley City School District",
            "--state",
            "NY",
            "--state-id",
            "4218-0001-0000",
            "--json",
        )
    )["id"]
    school = _json(
        coachdesk(
            folder,
            "schools",
            "add",
            "--name",
            "Nguyễn Thị Minh Elementary",
            "--district",
            "port hadley city school district",
            "--state-id",
            "421800010012",
            "--grades",
            "k-5",
            "--program",
            "NY_RCV",
            "--receivership-year",
            "2",
            "--year",
            "2026-27",
            "--json",
        )
    )["id"]
    return folder, district, school


def test_a_new_coach_sets_up_districts_and_schools_and_lists_them(set_up):
    folder, district, school = set_up
    (listed,) = _json(coachdesk(folder, "districts", "list", "--json"))
    assert (listed["id"], listed["state_id"], listed["schools"]) == (district, "421800010000", 1)

    rows = _json(coachdesk(folder, "schools", "list", "--year", "2026-27", "--json"))
    assert [(r["id"], r["name"], r["grade_span"], r["district"]) for r in rows] == [
        (school, "Nguyễn Thị Minh Elementary", "K-5", "Port Hadley City School District")
    ]
    assert [(p["program"], p["role"], p["receivership_year"]) for p in rows[0]["programs"]] == [
        ("NY_RCV", "lead", 2)
    ]
    assert _json(coachdesk(folder, "schools", "list", "--program", "OH_NNPS", "--json")) == []

    text = ok(coachdesk(folder, "schools", "list", "--year", "2026-27")).stdout
    assert "Nguyễn Thị Minh Elementary" in text and "NY_RCV (lead)" in text


def test_a_school_is_named_by_id_state_id_or_name_for_edit_archive_and_visits(set_up):
    folder, _district, school = set_up
    edited = coachdesk(
        folder, "schools", "edit", "4218-0001-0012", "--grades", "K-6", "--tz", "America/Chicago"
    )
    assert "Saved Nguyễn Thị Minh Elementary: grades, time zone." in ok(edited).stdout
    (row,) = _json(coachdesk(folder, "schools", "list", "--json"))
    assert (row["grade_span"], row["tz"]) == ("K-6", "America/Chicago")

    assert "No visits yet." in ok(coachdesk(folder, "visits", "--school", "421800010012")).stdout
    assert ok(coachdesk(folder, "visits", "--school", "nguyễn thị minh elementary"))
    assert ok(coachdesk(folder, "visits", "--school", school, "--json")).stdout.strip() == "[]"

    ok(coachdesk(folder, "schools", "archive", "Nguyễn Thị Minh Elementary"))
    assert _json(coachdesk(folder, "schools", "list", "--json")) == []
    (archived,) = _json(coachdesk(folder, "schools", "list", "--archived", "--json"))
    assert archived["archived_on"] is not None
    ok(coachdesk(folder, "schools", "unarchive", school))
    assert len(_json(coachdesk(folder, "schools", "list", "--json"))) == 1


def test_assign_and_the_next_year_write_only_what_the_coach_confirms(set_up):
    folder, _district, school = set_up
    ma = _json(
        coachdesk(folder, "districts", "add", "--name", "Ashgrove", "--state", "MA", "--json")
    )
    brookside = _json(
        coachdesk(folder, "schools", "add", "--name", "Brookside", "--district", ma["id"], "--json")
    )
    assigned = _json(
        coachdesk(
            folder,
            "assign",
            "Ashgrove",
            "--program",
            "MA_SSOS",
            "--year",
            "2026-27",
            "--identified",
            "Brookside",
            "--json",
        )
    )
    (brookside_row,) = [
        r
        for r in _json(coachdesk(folder, "schools", "list", "--year", "2026-27", "--json"))
        if r["id"] == brookside["id"]
    ]
    assert [p["program"] for p in brookside_row["programs"]] == ["MA_SSOS"]

    proposed = _json(coachdesk(folder, "year", "next", "--from", "2026-27", "--json"))
    assert proposed["to_year"] == "2027-28"
    by_name = {p["name"]: p for p in proposed["proposals"]}
    assert set(by_name) == {"Ashgrove", "Brookside", "Nguyễn Thị Minh Elementary"}
    assert by_name["Ashgrove"]["id"] == assigned["id"]
    assert by_name["Nguyễn Thị Minh Elementary"]["next_receivership_year"] == 3
    # Listing wrote nothing: nothing is in 2027-28 yet.
    assert all(
        not r["programs"]
        for r in _json(coachdesk(folder, "schools", "list", "--year", "2027-28", "--json"))
    )

    rcv = by_name["Nguyễn Thị Minh Elementary"]["id"]
    carried = _json(
        coachdesk(folder, "year", "next", "--from", "2026-27", "--confirm", rcv, "--json")
    )
    assert len(carried["carried"]) == 1
    next_year = _json(coachdesk(folder, "schools", "list", "--year", "2027-28", "--json"))
    assigned_next = {r["id"]: r["programs"] for r in next_year if r["programs"]}
    assert list(assigned_next) == [school]
    assert assigned_next[school][0]["receivership_year"] == 3


@pytest.mark.parametrize(
    "args, sentence",
    [
        (
            (
                "schools",
                "add",
                "--name",
                "X",
                "--district",
                "Port Hadley City School District",
                "--state-id",
                "12345",
            ),
            "coachdesk: A NY BEDS code is 12 digits; “12345” has 5.",
        ),
        (
            ("schools", "add", "--name", "X", "--district", "Nowhere"),
            "coachdesk: No district is called or numbered “Nowhere”",
        ),
        (
            ("districts", "add", "--name", "x" * 50_000, "--state", "OH"),
            "coachdesk: The district's name is 50,000 characters long; the limit is 200.",
        ),
        (("visits", "--school", "Nowhere"), "coachdesk: No school or district is called"),
        (("assign", "421800010012", "--program", "OH_NNPS"), "coachdesk: OH NNPS works with OH"),
        (("schools", "edit", "421800010012"), "coachdesk: Say what to change"),
    ],
)
def test_a_refused_input_exits_1_with_one_line(set_up, args, sentence):
    folder, _district, _school = set_up
    assert _refused(coachdesk(folder, *args)).startswith(sentence)


def test_a_usage_error_exits_2(set_up):
    folder, _district, _school = set_up
    assert coachdesk(folder, "districts", "add", "--name", "X", "--state", "TX").returncode == 2
    assert coachdesk(folder, "schools", "add", "--name", "X").returncode == 2
    assert coachdesk(folder, "year", "next", "--from").returncode == 2
