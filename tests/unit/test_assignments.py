"""Assignments, the next school year, and contacts on a coach's own caseload (issue 12)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from coachdesk.core import organizations as orgs
from coachdesk.core import schools
from coachdesk.core.assignments import (
    AssignmentFields,
    add_assigned_school,
    assign,
    carry_over,
    end_assignment,
    list_assignments,
    propose_next_year,
)
from coachdesk.core.caseload import list_caseload
from coachdesk.core.errors import RefusedInput
from coachdesk.core.store.schema import Change, StageRecord

TODAY = dt.date(2026, 11, 23)  # in the 2026-27 school year


def _changes(profile) -> int:
    with profile.reading() as session:
        return session.execute(select(func.count()).select_from(Change)).scalar()


@pytest.fixture
def caseload(profile):
    """A NY, an MA and an OH district with two schools each, none assigned yet."""
    ids = {}
    for state, district, state_id, names in (
        ("NY", "Port Hadley CSD", "421800010000", ["Lincoln Park ES", "Harbor Street HS"]),
        ("MA", "Ashgrove Public Schools", "00170000", ["Brookside ES", "Walsh MS"]),
        ("OH", "Fairhaven City Schools", "043901", ["Garfield ES", "Roosevelt IS"]),
    ):
        ids[district] = orgs.add_district(profile, name=district, state=state, state_id=state_id).id
        for name in names:
            ids[name] = orgs.add_school(profile, name=name, district_id=ids[district]).id
    return profile, ids


def _status(profile, name):
    return {r.school_name: r.status for r in list_caseload(profile, today=TODAY)}.get(name)


def test_each_program_is_assigned_with_its_own_program_year_state(caseload):
    profile, ids = caseload
    assign(
        profile,
        ids["Lincoln Park ES"],
        AssignmentFields("NY_RCV", receivership_year=2),
        today=TODAY,
    )
    written = assign(
        profile,
        ids["Ashgrove Public Schools"],
        AssignmentFields("MA_SSOS", identified_schools=[ids["Brookside ES"], ids["Walsh MS"]]),
        today=TODAY,
    )
    assign(
        profile,
        ids["Garfield ES"],
        AssignmentFields("OH_NNPS", role="support", stage="installing"),
        today=TODAY,
    )
    assert _status(profile, "Lincoln Park ES") == "Receivership year 2"
    assert _status(profile, "Garfield ES") == "Installing"
    # The MA partnership is the district's, with a school assignment for each identified school.
    ma = list_assignments(profile, school_year="2026-27", program_code="MA_SSOS")
    assert [(r.org_name, r.org_kind) for r in ma] == [
        ("Ashgrove Public Schools", "district"),
        ("Brookside ES", "school"),
        ("Walsh MS", "school"),
    ]
    assert written.id == ma[0].id and len(written.changes.ids("assignment")) == 3
    oh = list_assignments(profile, org_id=ids["Garfield ES"])
    assert [(r.role, r.school_year) for r in oh] == [("support", "2026-27")]
    with profile.reading() as session:
        stages = session.scalars(select(StageRecord)).all()
        assert [(s.org_id, s.stage, s.effective) for s in stages] == [
            (ids["Garfield ES"], "Installing", TODAY)
        ]


@pytest.mark.parametrize(
    "org, fields, sentence",
    [
        ("Lincoln Park ES", AssignmentFields("MA_SSOS"), "MA SSoS works with MA schools and"),
        ("Port Hadley CSD", AssignmentFields("NY_RCV"), "NY Receivership assigns schools"),
        ("Lincoln Park ES", AssignmentFields("NY_RCV", receivership_year=11), "between 1 and 10"),
        ("Garfield ES", AssignmentFields("OH_NNPS", receivership_year=1), "for NY Receivership"),
        ("Lincoln Park ES", AssignmentFields("NY_RCV", stage="Installing"), "is for OH NNPS"),
        ("Garfield ES", AssignmentFields("OH_NNPS", stage="Thriving"), "not an implementation"),
        ("Garfield ES", AssignmentFields("TX_TEA"), "“TX_TEA” is not a program"),
        ("Garfield ES", AssignmentFields("OH_NNPS", school_year="2026"), "write it like 2026-27"),
        ("Garfield ES", AssignmentFields("OH_NNPS", role="boss"), "choose lead or support"),
    ],
)
def test_an_assignment_that_does_not_fit_is_refused_and_nothing_is_written(
    caseload, org, fields, sentence
):
    profile, ids = caseload
    before = _changes(profile)
    with pytest.raises(RefusedInput, match=sentence):
        assign(profile, ids[org], fields, today=TODAY)
    assert _changes(profile) == before


def test_identified_schools_must_be_the_districts_and_an_assignment_is_made_once(caseload):
    profile, ids = caseload
    with pytest.raises(RefusedInput, match="Garfield ES is not a school of Ashgrove"):
        assign(
            profile,
            ids["Ashgrove Public Schools"],
            AssignmentFields("MA_SSOS", identified_schools=[ids["Garfield ES"]]),
            today=TODAY,
        )
    assign(profile, ids["Garfield ES"], AssignmentFields("OH_NNPS"), today=TODAY)
    with pytest.raises(RefusedInput, match="already assigned to OH NNPS for 2026-27"):
        assign(profile, ids["Garfield ES"], AssignmentFields("OH_NNPS"), today=TODAY)
    orgs.archive_organization(profile, ids["Roosevelt IS"], today=TODAY)
    with pytest.raises(RefusedInput, match="Roosevelt IS is archived; unarchive it"):
        assign(profile, ids["Roosevelt IS"], AssignmentFields("OH_NNPS"), today=TODAY)


def test_a_school_added_with_its_program_is_both_or_neither(caseload):
    profile, ids = caseload
    fields = orgs.OrganizationFields(
        "school", "Kennedy MS", "NY", state_id="421800010033", parent_id=ids["Port Hadley CSD"]
    )
    before = _changes(profile)
    with pytest.raises(RefusedInput, match="between 1 and 10"):
        add_assigned_school(profile, fields, AssignmentFields("NY_RCV", receivership_year=0))
    assert _changes(profile) == before
    added = add_assigned_school(
        profile, fields, AssignmentFields("NY_RCV", receivership_year=3), today=TODAY
    )
    assert _status(profile, "Kennedy MS") == "Receivership year 3"
    assert added.changes.touches("organization", "assignment")


def test_an_ended_assignment_leaves_the_caseload(caseload):
    profile, ids = caseload
    written = assign(profile, ids["Garfield ES"], AssignmentFields("OH_NNPS"), today=TODAY)
    assert end_assignment(profile, written.id).ids("assignment") == {written.id}
    assert _status(profile, "Garfield ES") is None
    ended = list_assignments(profile, org_id=ids["Garfield ES"], include_ended=True)
    assert [r.status for r in ended] == ["ended"]


# --- the next school year -------------------------------------------------------------------------


def test_the_next_year_is_proposed_and_only_what_the_coach_confirms_is_carried(caseload):
    profile, ids = caseload
    lincoln = assign(
        profile,
        ids["Lincoln Park ES"],
        AssignmentFields("NY_RCV", receivership_year=2),
        today=TODAY,
    ).id
    garfield = assign(profile, ids["Garfield ES"], AssignmentFields("OH_NNPS"), today=TODAY).id
    before = _changes(profile)
    proposals = {p.assignment_id: p for p in propose_next_year(profile, "2026-27")}
    assert _changes(profile) == before  # proposing writes nothing
    assert set(proposals) == {lincoln, garfield}
    assert (proposals[lincoln].to_year, proposals[lincoln].next_receivership_year) == ("2027-28", 3)

    summary = carry_over(profile, [lincoln], "2027-28")
    next_year = list_assignments(profile, school_year="2027-28")
    assert [(r.org_name, r.receivership_year) for r in next_year] == [("Lincoln Park ES", 3)]
    assert summary.ids("assignment") == {next_year[0].id}
    # Last year's stay as they were, readable.
    this_year = list_assignments(profile, school_year="2026-27")
    assert {(r.org_name, r.status, r.receivership_year) for r in this_year} == {
        ("Lincoln Park ES", "active", 2),
        ("Garfield ES", "active", None),
    }
    again = {p.assignment_id: p.already_carried for p in propose_next_year(profile, "2026-27")}
    assert again == {lincoln: True, garfield: False}
    assert not carry_over(profile, [lincoln], "2027-28")  # carried once only
    with pytest.raises(RefusedInput, match="not an active 2026-27 assignment to carry over"):
        carry_over(profile, ["no-such-assignment"], "2027-28")


def test_a_receivership_year_past_the_last_one_known_is_left_for_the_coach_to_set(caseload):
    profile, ids = caseload
    assign(
        profile,
        ids["Lincoln Park ES"],
        AssignmentFields("NY_RCV", receivership_year=10),
        today=TODAY,
    )
    (proposal,) = propose_next_year(profile, "2026-27")
    assert proposal.next_receivership_year is None
    assert "Receivership year 11 is past the 10 coachdesk knows" in proposal.note


# --- contacts -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role",
    [
        "Student",
        "students",
        "Parent of Maya (grade 3)",
        "Guardian of J. Smith",
        "Child",
        "Mother of a 5th grader",
        "ATP member (parent)",
        "Student council member",
        "Grade 4 student",
        "Parent/Guardian",
    ],
)
def test_a_contact_who_is_a_student_or_a_family_member_is_refused(caseload, role):
    profile, ids = caseload
    before = _changes(profile)
    with pytest.raises(RefusedInput) as refused:
        schools.add_contact(profile, ids["Garfield ES"], name="Jordan Lee", role=role)
    assert "Contacts are adults acting in a school role" in str(refused.value)
    assert "NNPS plan" in str(refused.value)
    assert _changes(profile) == before


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("Parent liaison", "Parent liaison"),
        ("pta/pto representative", "PTA/PTO representative"),
        ("  principal ", "Principal"),
        ("Student support specialist", "Student support specialist"),
        ("Teacher leader", "Teacher leader"),
    ],
)
def test_adult_school_roles_are_kept_in_the_programs_spelling(caseload, typed, stored):
    profile, ids = caseload
    contact = schools.add_contact(profile, ids["Garfield ES"], name="Jordan Lee", role=typed)
    assert contact.role == stored
    with pytest.raises(RefusedInput, match="is not a school role"):
        schools.update_contact(profile, contact.id, role="Parent of Sam")


def test_a_district_contact_is_entered_once_and_shown_on_each_of_its_schools(caseload):
    profile, ids = caseload
    district = ids["Ashgrove Public Schools"]
    lead = schools.add_contact(
        profile, district, name="Dana Ruiz", role="Superintendent", today=TODAY
    )
    left = schools.add_contact(profile, district, name="Pat Moe", role="Data Lead", today=TODAY)
    schools.set_contact_active(profile, left.id, active=False, today=TODAY)
    own = schools.add_contact(profile, ids["Brookside ES"], name="Ana Ito", role="Principal")
    for school in ("Brookside ES", "Walsh MS"):
        contacts = schools.get_school(profile, ids[school]).contacts
        shown = [(c.name, c.district_contact) for c in contacts]
        assert ("Dana Ruiz", True) in shown
        assert ("Pat Moe", True) not in shown  # a district contact who left is not offered
    brookside = schools.get_school(profile, ids["Brookside ES"]).contacts
    assert [(c.id, c.district_contact) for c in brookside] == [(own.id, False), (lead.id, True)]
    assert all(
        c.name != "Dana Ruiz" for c in schools.get_school(profile, ids["Garfield ES"]).contacts
    )
