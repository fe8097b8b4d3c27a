"""A caseload set up on two laptops merges through bundles like every other record (issue 12).

Two profiles that trust each other exchange full bundles (tests/support/sync_world.py): each
adds a contact or edits a school and nothing is lost; archiving a school on one while the other
archives it on another day meets as a conflict the coach sees and resolves.
"""

from __future__ import annotations

import datetime as dt

import pytest

from coachdesk.core import organizations as orgs
from coachdesk.core import schools
from coachdesk.core.assignments import (
    AssignmentFields,
    assign,
    carry_over,
    list_assignments,
    propose_next_year,
)
from coachdesk.sync import conflicts
from tests.support.sync_world import make_devices, snapshot

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def laptops(tmp_path):
    """Dana's two laptops, trusting each other, with one district and school set up on the
    first and carried to the second by a bundle."""
    devices = make_devices(tmp_path, ["office", "home"])
    office, home = devices
    district = orgs.add_district(
        office.profile, name="Fairhaven City Schools", state="OH", state_id="043901"
    ).id
    school = orgs.add_school(
        office.profile, name="Garfield Elementary", district_id=district, state_id="009311"
    ).id
    assign(office.profile, school, AssignmentFields("OH_NNPS", stage="Exploring"), today=TODAY)
    home.take(office.bundle())
    yield office, home, district, school
    for d in devices:
        d.profile.close()


def test_the_caseload_set_up_on_one_laptop_arrives_whole_on_the_other(laptops):
    office, home, district, school = laptops
    view = orgs.get_organization(home.profile, school)
    assert (view.name, view.state_id, view.parent_name) == (
        "Garfield Elementary",
        "009311",
        "Fairhaven City Schools",
    )
    assert [r.program_code for r in list_assignments(home.profile, org_id=school)] == ["OH_NNPS"]
    assert schools.get_school(home.profile, school).current_stage == "Exploring"


def test_contacts_added_and_a_school_edited_on_each_laptop_merge_without_loss(laptops):
    office, home, district, school = laptops
    schools.add_contact(office.profile, district, name="Dana Ruiz", role="District NNPS lead")
    orgs.edit_organization(office.profile, school, grade_span="K-5")
    schools.add_contact(home.profile, school, name="Ana Ito", role="Principal")
    orgs.edit_organization(home.profile, school, address="12 Main Street, Fairhaven, OH")

    assert office.take(home.bundle()).new_conflicts == 0
    assert home.take(office.bundle()).new_conflicts == 0
    for laptop in (office, home):
        detail = schools.get_school(laptop.profile, school)
        assert (detail.grade_span, detail.address) == ("K-5", "12 Main Street, Fairhaven, OH")
        assert sorted((c.name, c.district_contact) for c in detail.contacts) == [
            ("Ana Ito", False),
            ("Dana Ruiz", True),
        ]
        assert conflicts.list_conflicts(laptop.profile) == []
    assert snapshot(office.profile) == snapshot(home.profile)


def test_archiving_meets_a_concurrent_edit_of_the_same_field_as_a_conflict(laptops):
    office, home, _district, school = laptops
    orgs.archive_organization(office.profile, school, today=TODAY)
    orgs.archive_organization(home.profile, school, today=TODAY + dt.timedelta(days=1))
    # A rename on one laptop while the other archives is no conflict: different fields.
    orgs.edit_organization(home.profile, school, name="Garfield Elementary School")

    assert office.take(home.bundle()).new_conflicts == 1
    (conflict,) = conflicts.list_conflicts(office.profile)
    assert (conflict.record_id, conflict.field, conflict.versions) == (school, "archived_on", 2)
    assert orgs.get_organization(office.profile, school).name == "Garfield Elementary School"

    conflicts.resolve_conflict(office.profile, "organization", school, "archived_on", TODAY)
    home.take(office.bundle())
    for laptop in (office, home):
        assert conflicts.list_conflicts(laptop.profile) == []
        assert orgs.get_organization(laptop.profile, school).archived_on == TODAY
    assert snapshot(office.profile) == snapshot(home.profile)


def test_the_same_assignment_carried_over_on_both_laptops_is_one_record(laptops):
    office, home, _district, school = laptops
    (proposal,) = propose_next_year(office.profile, "2026-27")
    carry_over(office.profile, [proposal.assignment_id], "2027-28")
    carry_over(home.profile, [proposal.assignment_id], "2027-28")
    office.take(home.bundle())
    home.take(office.bundle())
    for laptop in (office, home):
        assert len(list_assignments(laptop.profile, school_year="2027-28", org_id=school)) == 1
        assert conflicts.list_conflicts(laptop.profile) == []
    assert snapshot(office.profile) == snapshot(home.profile)
