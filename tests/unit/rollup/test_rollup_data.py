"""The roll-up read straight from one coach's own profile: cadence by stage and coaching flag,
small cells, a visit the coach made without an assignment, filters refused in a sentence, and
the demo left out."""

from __future__ import annotations

import datetime as dt

import pytest

from coachdesk.core import visits
from coachdesk.core.errors import RefusedInput
from coachdesk.core.schools import add_flag
from coachdesk.core.store.visit_tables import Visit
from coachdesk.reports.rollup_data import (
    RollupFilter,
    build_rollup,
    checked_filter,
    coaches_held,
    rollup_of,
)
from tests.support.coach_world import DAY, ny_coach, oh_coach


def test_an_active_coaching_flag_makes_a_quarterly_school_monthly(tmp_path):
    coach = oh_coach(tmp_path)
    north = coach.schools["Lima North Middle School"]  # Full Implementation: quarterly
    before = {s.school: s for s in rollup_of(coach.profile, today=DAY).schools}
    assert before["Lima North Middle School"].visits_expected_this_month is None
    add_flag(coach.profile, north, reason="new_leader", start=dt.date(2026, 11, 2))
    after = {s.school: s for s in rollup_of(coach.profile, today=DAY).schools}
    line = after["Lima North Middle School"]
    assert (line.visits_expected_this_month, line.cadence) == (1, "a check-in every month")
    assert line.visits_this_month == 0 and line.nnps_stage == "Full Implementation"


def test_a_small_cell_is_counted_as_suppressed_and_a_visit_without_assignment_still_counts(
    tmp_path,
):
    coach = ny_coach(tmp_path)
    hackett = coach.schools["Hackett Middle School"]
    visit_id = visits.start_visit(
        coach.profile, hackett, visit_type="onsite", starts_at=dt.datetime(2026, 11, 16, 9)
    )
    with coach.profile.writing() as write:  # as a visit recorded before assignments existed
        write.session.get(Visit, visit_id).assignment_id = None
    lines = {s.school: s for s in rollup_of(coach.profile, today=DAY).schools}
    assert lines["Hackett Middle School"].visits_this_month == 2  # 12 Nov and 16 Nov, held
    arbor = lines["Arbor Hill Elementary School"].indicators
    assert (arbor.on_track, arbor.at_risk, arbor.suppressed, arbor.total) == (1, 1, 1, 3)


def test_filters_are_checked_against_what_the_profile_holds(tmp_path):
    coach = oh_coach(tmp_path)
    with coach.profile.reading() as session:
        chosen = checked_filter(
            session, today=DAY, program="oh nnps", region="STATE SUPPORT TEAM REGION 6"
        )
        assert chosen.program == "OH_NNPS"
        kept = build_rollup(session, chosen, today=DAY)
        assert {s.region for s in kept.schools} == {"State Support Team Region 6"}
        with pytest.raises(RefusedInput) as refused:
            checked_filter(session, today=DAY, region="Region 9")
        assert str(refused.value) == (
            "No coach works for “Region 9”; the regions are: State Support Team Region 6."
        )
        with pytest.raises(RefusedInput) as refused:
            checked_filter(session, today=DAY, coach="Dana")
        assert str(refused.value) == (
            "No coach named “Dana” has schools here; the coaches are: Sam Okafor."
        )
        nobody = build_rollup(session, RollupFilter(coach_id="someone else"), today=DAY)
    assert nobody.schools == [] and nobody.coaches == []
    assert nobody.coach_choices == [(kept.schools[0].coach_id, "Sam Okafor")]


def test_the_demo_caseload_is_not_rolled_up(demo):
    assert rollup_of(demo, today=DAY).schools == []
    assert coaches_held(demo, today=DAY) == 0
