"""The MA Instructional Priority and the OH action plan on the demo caseload."""

from __future__ import annotations

import datetime as dt

import pytest

from coachdesk.core.errors import RefusedInput
from coachdesk.core.tracking_records.facts_query import school_year_on
from coachdesk.core.tracking_records.plans import (
    get_action_plan,
    get_priority,
    set_element_status,
    update_activity,
    update_priority,
)

YEAR = school_year_on(dt.date.today())


def _org(demo, program: str, district: bool = False) -> str:
    column = "o.parent_id" if district else "o.id"
    return (
        demo.quick_connection()
        .execute(
            f"SELECT {column} FROM organization o JOIN assignment a ON a.org_id = o.id "
            "WHERE a.program_code = ? ORDER BY o.name LIMIT 1",
            (program,),
        )
        .fetchone()[0]
    )


def test_the_demo_ip_can_be_read_and_its_checklist_completed(demo):
    district = _org(demo, "MA_SSOS", district=True)
    ip = get_priority(demo, district, YEAR)
    assert ip is not None and "explains" in ip.statement
    update_priority(
        demo,
        district,
        YEAR,
        checklist_done={s for s, _l, _d in ip.checklist()},
        dilt_focus="Calibrate on the discourse look-fors.",
    )
    again = get_priority(demo, district, YEAR)
    assert all(done for _s, _l, done in again.checklist())
    assert again.dilt_focus == "Calibrate on the discourse look-fors."


def test_an_unknown_checklist_step_is_refused(demo):
    with pytest.raises(RefusedInput, match="not a phase 1 checklist step"):
        update_priority(demo, _org(demo, "MA_SSOS", district=True), YEAR, checklist_done={"x"})


def test_the_demo_action_plan_covers_all_six_types_and_can_be_updated(demo):
    school = _org(demo, "OH_NNPS")
    plan = get_action_plan(demo, school, YEAR)
    assert {kind for kind, _r, _m in plan.goals} == {"academic", "behavioral", "climate"}
    assert all(n >= 1 for n in plan.activities_by_type().values())
    assert plan.total_cost() > 0
    first = plan.activities[0]
    update_activity(demo, first.id, status="dropped")
    set_element_status(demo, school, YEAR, 5, "in place")
    again = get_action_plan(demo, school, YEAR)
    assert next(a for a in again.activities if a.id == first.id).status == "dropped"
    assert again.elements[5] == "in place"
    with pytest.raises(RefusedInput, match="1 to 6"):
        update_activity(demo, first.id, involvement_type=7)


def test_starting_an_ip_for_a_new_year_copies_the_texts_but_not_the_checklist(demo):
    from coachdesk.core.tracking_records.plans import create_priority

    district = _org(demo, "MA_SSOS", district=True)
    next_year = f"{int(YEAR[:4]) + 1}-{(int(YEAR[:4]) + 2) % 100:02d}"
    assert get_priority(demo, district, next_year) is None
    changes = create_priority(demo, district, next_year, copy_from=YEAR)
    assert changes.touches("instructional_priority")
    started = get_priority(demo, district, next_year)
    assert started.statement == get_priority(demo, district, YEAR).statement
    assert started.checklist_done == frozenset()
    assert started.changed_on == "this laptop"
    assert started.changed_at is not None
    assert abs((dt.datetime.now(dt.UTC) - started.changed_at).total_seconds()) < 120
    with pytest.raises(RefusedInput, match="already has an Instructional Priority"):
        create_priority(demo, district, next_year)


def test_an_empty_ip_can_be_started_and_a_school_cannot_hold_one(demo):
    from coachdesk.core.tracking_records.plans import create_priority

    district = _org(demo, "MA_SSOS", district=True)
    create_priority(demo, district, "2031-32")
    empty = get_priority(demo, district, "2031-32")
    assert empty.statement == "" and empty.primary_contact_id is None
    with pytest.raises(RefusedInput, match="no Instructional Priority for 2030-31"):
        create_priority(demo, district, "2032-33", copy_from="2030-31")
    assert get_priority(demo, district, "2032-33") is None
    with pytest.raises(RefusedInput, match="belongs to a district"):
        create_priority(demo, _org(demo, "MA_SSOS"), "2031-32")


def test_primary_contact_choices_list_the_district_first_then_its_schools(demo):
    from coachdesk.core import schools
    from coachdesk.core.tracking_records.plans import priority_contacts

    school = _org(demo, "MA_SSOS")
    district = _org(demo, "MA_SSOS", district=True)
    schools.add_contact(demo, district, name="Dana Ruiz", role="Assistant Superintendent")
    choices = priority_contacts(demo, district)
    assert choices[0].name == "Dana Ruiz" and choices[0].at_district
    school_names = {c.name for c in schools.get_school(demo, school).contacts}
    assert school_names <= {c.name for c in choices}
    update_priority(demo, district, YEAR, primary_contact_id=choices[0].id)
    assert get_priority(demo, district, YEAR).primary_contact_id == choices[0].id
