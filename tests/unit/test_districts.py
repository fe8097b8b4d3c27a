"""A district's page contents and its district-level visits (coachdesk/core/districts.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from coachdesk.core import districts, schools, visits
from coachdesk.core.assignments import list_assignments
from coachdesk.core.errors import NotFound, RefusedInput
from coachdesk.core.organizations import add_district, add_school, list_organizations


def _district(demo, state: str):
    return next(d for d in list_organizations(demo, kind="district") if d.state == state)


def test_an_ma_district_is_in_ssos_through_its_schools_and_lists_them(demo):
    district = _district(demo, "MA")
    detail = districts.get_district(demo, district.id)
    its_schools = [o for o in list_organizations(demo, kind="school") if o.parent_id == district.id]
    assert detail.name == district.name
    assert detail.state_id_label == "Org code"  # MA SSoS's own name for it
    assert sorted(s.name for s in detail.schools) == sorted(s.name for s in its_schools)
    assert all(s.program_names == ("MA SSoS",) for s in detail.schools)
    [ssos] = detail.programs
    assert ssos.program_code == "MA_SSOS" and ssos.assignment is None
    assert ssos.school_count == len(its_schools)
    assert ssos.text.startswith(f"MA SSoS {detail.school_year}, {len(its_schools)} schools")
    assert detail.contact_roles[0] == "Superintendent"


def test_a_district_with_no_program_offers_its_states_roles(profile):
    district = add_district(profile, name="Lakeview Public Schools", state="MA")
    detail = districts.get_district(profile, district.id)
    assert detail.programs == ()
    assert detail.schools == ()
    assert detail.state_id_label == "MA organization code"
    assert "DILT member" in detail.contact_roles
    assert "ATP chair" not in detail.contact_roles  # an Ohio role


def test_a_school_is_not_a_district(profile):
    district = add_district(profile, name="Lakeview Public Schools", state="MA")
    school = add_school(profile, name="Lakeview High School", district_id=district.id)
    with pytest.raises(NotFound, match="Lakeview High School is a school, not a district"):
        districts.get_district(profile, school.id)


def test_a_district_contact_is_on_the_district_and_on_each_school(demo):
    district = _district(demo, "OH")
    lead = schools.add_contact(demo, district.id, name="Amanda Greer", role="district nnps lead")
    assert lead.role == "District NNPS lead"
    assert [c.name for c in districts.get_district(demo, district.id).contacts] == ["Amanda Greer"]
    for school in districts.get_district(demo, district.id).schools:
        shown = [c for c in schools.get_school(demo, school.id).contacts if c.id == lead.id]
        assert len(shown) == 1 and shown[0].district_contact


def test_starting_a_check_in_assigns_a_district_in_nnps_through_its_schools(demo):
    district = _district(demo, "OH")
    when = dt.datetime.now().replace(second=0, microsecond=0)
    started = districts.start_district_visit(
        demo, district.id, program_code="OH_NNPS", visit_type="check_in", starts_at=when
    )
    assert started.assigned
    assert started.changes.touches("assignment") and started.changes.ids("visit") == {
        started.visit_id
    }
    [own] = list_assignments(demo, org_id=district.id)
    assert own.program_code == "OH_NNPS" and own.role == "lead"
    [row] = districts.district_visits(demo, district.id)
    assert row.id == started.visit_id and row.form_title == "NNPS check-in"

    again = districts.start_district_visit(
        demo, district.id, program_code="OH_NNPS", visit_type="virtual", starts_at=when
    )
    assert not again.assigned
    assert len(list_assignments(demo, org_id=district.id)) == 1
    assert len(districts.district_visits(demo, district.id)) == 2


def test_learning_walks_and_ny_visits_are_refused_at_a_district(demo):
    ma = _district(demo, "MA")
    ny = _district(demo, "NY")
    when = dt.datetime.now()
    with pytest.raises(RefusedInput, match="is held at a school; start it on one of"):
        districts.start_district_visit(
            demo, ma.id, program_code="MA_SSOS", visit_type="learning_walk", starts_at=when
        )
    with pytest.raises(RefusedInput, match="NY Receivership works with schools"):
        districts.start_district_visit(
            demo, ny.id, program_code="NY_RCV", visit_type="onsite", starts_at=when
        )
    assert districts.district_visits(demo, ma.id) == []
    assert districts.district_visits(demo, ny.id) == []


def test_a_district_in_no_program_cannot_start_a_visit(profile):
    district = add_district(profile, name="Lakeview Public Schools", state="MA")
    with pytest.raises(RefusedInput, match="is not in MA SSoS this school year"):
        districts.start_district_visit(
            profile,
            district.id,
            program_code="MA_SSOS",
            visit_type="pm_meeting",
            starts_at=dt.datetime.now(),
        )


def test_the_visits_at_its_schools_are_this_years_at_its_own_schools(demo):
    district = _district(demo, "MA")
    detail = districts.get_district(demo, district.id)
    listed = districts.school_visits(demo, detail)
    names = {s.name for s in detail.schools}
    start = dt.datetime(int(detail.school_year[:4]), 7, 1)
    assert listed and {v.school_name for v in listed} <= names
    assert all(v.starts_at >= start for v in listed)
    assert [v.starts_at for v in listed] == sorted((v.starts_at for v in listed), reverse=True)
    every_this_year = [
        v
        for s in detail.schools
        for v in visits.list_visits(demo, school_id=s.id)
        if v.starts_at >= start
    ]
    assert len(listed) == len(every_this_year)
