"""The MA Instructional Priority and the OH action plan on the demo caseload."""

from __future__ import annotations

import datetime as dt

import pytest

from coachdesk.core.errors import RefusedInput
from coachdesk.core.tracking_store.facts_query import school_year_on
from coachdesk.core.tracking_store.plans import (
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
