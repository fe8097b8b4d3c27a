"""Districts and schools a coach adds, edits, archives and names (issue 12)."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from coachdesk.core import organizations as orgs
from coachdesk.core import schools, visits
from coachdesk.core.assignments import AssignmentFields, assign
from coachdesk.core.caseload import list_caseload
from coachdesk.core.errors import NotFound, RefusedInput
from coachdesk.core.store.schema import Change, Organization

TODAY = dt.date(2026, 11, 23)


def _changes(profile) -> int:
    with profile.reading() as session:
        return session.execute(select(func.count()).select_from(Change)).scalar()


def _district(profile, name="Port Hadley City School District", state="NY", state_id=None):
    return orgs.add_district(profile, name=name, state=state, state_id=state_id).id


# --- state ids ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "state, typed, sentence",
    [
        ("NY", "12345", "A NY BEDS code is 12 digits; “12345” has 5."),
        ("MA", "0017000", "An MA organization code is 8 digits; “0017000” has 7."),
        ("OH", "0439011", "An OH IRN is 6 digits; “0439011” has 7."),
        ("NY", "4218-0001-00AB", "“4218-0001-00AB” has characters other than digits"),
    ],
)
def test_a_state_id_in_the_wrong_format_is_refused_with_the_states_rule(state, typed, sentence):
    with pytest.raises(orgs.ValidationError) as refused:
        orgs.check_state_id(state, "school", typed)
    assert sentence in str(refused.value)


@given(
    state=st.sampled_from(["NY", "MA", "OH"]),
    data=st.data(),
)
def test_the_spaces_and_dashes_a_coach_types_in_a_state_id_are_dropped(state, data):
    length = orgs.STATES[state].digits
    digits = data.draw(st.text("0123456789", min_size=length, max_size=length))
    separators = data.draw(st.lists(st.sampled_from([" ", "-", "–", "  "]), max_size=length))
    typed = "".join(
        d + (separators[i] if i < len(separators) else "") for i, d in enumerate(digits)
    )
    assert orgs.check_state_id(state, "district", f" {typed} ") == digits


@given(state=st.sampled_from(["NY", "MA", "OH"]), digits=st.text("0123456789", min_size=1))
def test_a_state_id_of_any_other_length_is_refused_naming_both_lengths(state, digits):
    rules = orgs.STATES[state]
    if len(digits) == rules.digits:
        assert orgs.check_state_id(state, "school", digits) == digits
        return
    with pytest.raises(orgs.ValidationError) as refused:
        orgs.check_state_id(state, "school", digits)
    assert f"is {rules.digits} digits" in str(refused.value)
    assert f"has {len(digits)}." in str(refused.value)


def test_two_organizations_may_not_share_a_state_id_and_the_sentence_names_the_other(profile):
    district = _district(profile, state_id="421800010000")
    orgs.add_school(
        profile, name="Lincoln Park Elementary", district_id=district, state_id="421800010012"
    )
    before = _changes(profile)
    with pytest.raises(orgs.ValidationError, match="already belongs to Lincoln Park Elementary"):
        orgs.add_school(
            profile, name="Harbor Street High", district_id=district, state_id="4218 0001 0012"
        )
    assert _changes(profile) == before
    # The same number in another state is another organization's number there.
    assert orgs.check_state_id("OH", "school", "000012") == "000012"


# --- names ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Øyelaran Academy", "Nguyễn Thị Minh", "محمد", "王小明"])
def test_names_in_any_script_are_kept_exactly(profile, name):
    district = _district(profile)
    school = orgs.add_school(profile, name=name, district_id=district).id
    assert orgs.get_organization(profile, school).name == name
    assert orgs.find_organization(profile, name).id == school


_NAME_CHARS = st.characters(
    blacklist_categories=("Cc", "Cs", "Zs", "Zl", "Zp"), blacklist_characters="\u00ad"
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=st.text(_NAME_CHARS, min_size=1, max_size=200))
def test_any_name_of_up_to_200_characters_reads_back_as_typed(profile, name):
    name = unicodedata.normalize("NFC", name)
    assume(name.strip() == name and 0 < len(name) <= 200)
    added = orgs.add_district(profile, name=name, state="OH").id
    assert orgs.get_organization(profile, added).name == name


def test_a_50000_character_paste_is_refused_with_the_limit_and_nothing_is_written(profile):
    before = _changes(profile)
    with pytest.raises(orgs.ValidationError) as refused:
        orgs.add_district(profile, name="x" * 50_000, state="MA")
    assert str(refused.value) == (
        "The district's name is 50,000 characters long; the limit is 200. Shorten it."
    )
    assert _changes(profile) == before


# --- the other fields -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("K-5", "K-5"),
        ("k - 5", "K-5"),
        ("6–8", "6-8"),
        ("9-12", "9-12"),
        ("pk-8", "PK-8"),
        ("K", "K"),
    ],
)
def test_grade_spans_are_read_loosely_and_written_one_way(typed, stored):
    assert orgs.check_grade_span(typed) == stored


@pytest.mark.parametrize("typed", ["5-K", "K-13", "grades K through 5", "0-4"])
def test_a_grade_span_that_is_not_one_is_refused(typed):
    with pytest.raises(orgs.ValidationError, match="is not a grade span; write the lowest"):
        orgs.check_grade_span(typed)


def test_a_school_takes_its_districts_state_and_time_zone_and_the_zone_can_be_edited(profile):
    district = _district(profile, name="Fairhaven City Schools", state="OH", state_id="043901")
    school = orgs.add_school(
        profile,
        name="Garfield Elementary",
        district_id=district,
        grade_span="K-5",
        address="12 Main Street\nFairhaven, OH 44101",
    ).id
    view = orgs.get_organization(profile, school)
    assert (view.state, view.tz, view.parent_name) == (
        "OH",
        "America/New_York",
        "Fairhaven City Schools",
    )
    assert view.address == "12 Main Street\nFairhaven, OH 44101"
    summary = orgs.edit_organization(profile, school, tz="America/Chicago")
    assert summary.ids("organization") == {school}
    assert orgs.get_organization(profile, school).tz == "America/Chicago"
    with pytest.raises(orgs.ValidationError, match="“Mars/Olympus” is not a time zone"):
        orgs.edit_organization(profile, school, tz="Mars/Olympus")


def test_a_schools_district_must_be_a_district_of_the_same_state(profile):
    ny = _district(profile)
    ma = _district(profile, name="Ashgrove Public Schools", state="MA")
    school = orgs.add_school(profile, name="Maple Avenue School", district_id=ny).id
    with pytest.raises(orgs.ValidationError, match="is a school, not a district"):
        orgs.add_school(profile, name="Annex", district_id=school)
    with pytest.raises(
        orgs.ValidationError, match="is a district in MA; a school in NY needs a district in NY"
    ):
        orgs.add_school(profile, name="Annex", district_id=ma, state="NY")
    with pytest.raises(orgs.ValidationError, match="is a district in MA"):
        orgs.edit_organization(profile, school, parent_id=ma)


def test_problems_lists_every_sentence_for_a_row_and_none_for_a_good_one():
    bad = orgs.OrganizationFields(
        "school", "  ", "NY", state_id="12345", grade_span="K-13", tz="Nowhere"
    )
    found = orgs.problems(bad)
    assert found == [
        "The school's name cannot be empty.",
        "“K-13” is not a grade span; write the lowest and highest grade, like K-5, 6-8, 9-12 "
        "or PK-8.",
        "A NY BEDS code is 12 digits; “12345” has 5.",
        "“Nowhere” is not a time zone; use a name such as America/New_York or America/Chicago.",
    ]
    assert (
        orgs.problems(orgs.OrganizationFields("district", "Willow Creek Local", "oh", "046722"))
        == []
    )
    assert orgs.problems(orgs.OrganizationFields("district", "X", "TX")) == [
        "“TX” is not a state coachdesk serves; choose NY, MA or OH."
    ]


def test_many_rows_are_written_in_one_transaction_and_a_bad_one_leaves_none(profile):
    rows = [
        orgs.OrganizationFields("district", f"District {n}", "OH", f"{n:06d}") for n in range(1, 6)
    ]
    with profile.writing() as write:
        ids = [orgs.write_organization(write.session, row) for row in rows]
    assert write.changes.ids("organization") == set(ids)
    before = _changes(profile)
    again = [orgs.OrganizationFields("district", "District 9", "OH", "000009"), rows[2]]
    with pytest.raises(orgs.ValidationError, match="already belongs to District 3"):
        with profile.writing() as write:
            for row in again:
                orgs.write_organization(write.session, row)
    assert _changes(profile) == before
    assert len(orgs.list_organizations(profile)) == 5


def test_an_edit_is_not_blocked_by_a_stored_value_written_elsewhere(profile):
    district = _district(profile)
    with profile.writing() as write:  # as an older version or a bundle might have written it
        write.session.get(Organization, district).state_id = "42-18"
    orgs.edit_organization(profile, district, name="Port Hadley CSD")
    view = orgs.get_organization(profile, district)
    assert (view.name, view.state_id) == ("Port Hadley CSD", "42-18")


# --- archiving ------------------------------------------------------------------------------------


def test_an_archived_school_leaves_the_caseload_and_keeps_its_visits(profile):
    district = _district(profile)
    school = orgs.add_school(profile, name="Kennedy Memorial Middle", district_id=district).id
    assign(profile, school, AssignmentFields("NY_RCV", receivership_year=1), today=TODAY)
    visit = visits.start_visit(
        profile, school, visit_type="onsite", starts_at=dt.datetime(2026, 11, 18, 9)
    )
    assert [r.school_id for r in list_caseload(profile, today=TODAY)] == [school]

    summary = orgs.archive_organization(profile, school, today=TODAY)
    assert summary.ids("organization") == {school}
    assert list_caseload(profile, today=TODAY) == []
    assert orgs.list_organizations(profile, kind="school") == []
    assert [o.id for o in orgs.list_organizations(profile, kind="school", archived=True)] == [
        school
    ]
    assert schools.get_school(profile, school).archived_on == TODAY
    assert [v.id for v in visits.list_visits(profile, school_id=school)] == [visit]
    assert not orgs.archive_organization(profile, school, today=TODAY)  # already archived

    orgs.unarchive_organization(profile, school)
    assert [r.school_id for r in list_caseload(profile, today=TODAY)] == [school]


# --- finding --------------------------------------------------------------------------------------


def test_a_school_is_found_by_its_id_its_state_id_or_its_exact_name(profile):
    district = _district(profile, state_id="280215030000")
    school = orgs.add_school(
        profile, name="École Sainte-Anne", district_id=district, state_id="280215030004"
    ).id
    assert orgs.find_organization(profile, school).id == school
    assert orgs.find_organization(profile, "2802-1503-0004").id == school
    assert orgs.find_organization(profile, "  ÉCOLE SAINTE-ANNE ").id == school
    assert orgs.find_organization(profile, "280215030000").kind == "district"
    with pytest.raises(NotFound, match="No school is called or numbered “École”"):
        orgs.find_organization(profile, "École", kind="school")
    with pytest.raises(NotFound):
        orgs.find_organization(profile, "280215030000", kind="school")


def test_a_name_two_schools_share_is_refused_listing_each_with_its_state_id(profile):
    ny = _district(profile)
    oh = _district(profile, name="Fairhaven City Schools", state="OH")
    orgs.add_school(profile, name="Lincoln Elementary", district_id=ny, state_id="421800010012")
    orgs.add_school(profile, name="Lincoln Elementary", district_id=oh, state_id="009311")
    with pytest.raises(RefusedInput) as refused:
        orgs.find_organization(profile, "lincoln elementary")
    sentence = str(refused.value)
    assert sentence.startswith("2 organizations are called “lincoln elementary”:")
    assert "OH IRN 009311" in sentence and "NY BEDS code 421800010012" in sentence
    assert sentence.endswith("Name one by its state id or id.")
    assert orgs.find_organization(profile, "009311").state == "OH"
