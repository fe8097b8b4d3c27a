"""Indicators and targets a coach sets up on an empty profile (issue 13): NY DIIs, MA benchmarks
by student group, local indicators; targets with checkpoints; next year's copied from this."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from coachdesk.core.assignments import AssignmentFields, add_assigned_school
from coachdesk.core.errors import NotFound, RefusedInput
from coachdesk.core.organizations import OrganizationFields, add_district
from coachdesk.core.tracking_records import indicator_setup as setup
from coachdesk.core.tracking_records.indicator_targets import (
    CheckpointInput,
    copy_targets,
    get_target,
    set_target,
)
from coachdesk.core.tracking_records.indicators import record_measurement, school_indicators

YEAR = "2026-27"
D = dt.date


def _school(profile, state: str, program: str, name: str = "School 9") -> str:
    district = add_district(profile, name=f"{state} City Schools", state=state).id
    return add_assigned_school(
        profile,
        OrganizationFields("school", name, state, parent_id=district),
        AssignmentFields(
            program, school_year=YEAR, receivership_year=2 if program == "NY_RCV" else None
        ),
        today=D(2026, 9, 1),
    ).id


@pytest.fixture
def ny(profile) -> str:
    return _school(profile, "NY", "NY_RCV")


@pytest.fixture
def ma(profile) -> str:
    return _school(profile, "MA", "MA_SSOS", "Hillview Middle")


def _early(goal=41):
    return {"early": CheckpointInput("2026-09-15", "2026-10-30", goal)}


def test_a_level_1_dii_is_assigned_and_a_level_2_selected_and_both_list(profile, ny):
    one = setup.add_indicator(profile, ny, name="3-8 ELA: Level 2 & above", kind="dii", level=1)
    two = setup.add_indicator(
        profile,
        ny,
        name="Chronic absenteeism",
        kind="dii",
        level="2",
        value_type="rate",
        direction="lower",
        code="chron",
    )
    rows = {r.id: r for r in setup.list_indicators(profile, org_id=ny)}
    assert rows[one.id].describe() == "Level 1 DII, percent, higher is better, All students"
    assert rows[two.id].describe() == "Level 2 DII, rate, lower is better, All students"
    assert (rows[two.id].code, rows[two.id].program_code) == ("CHRON", "NY_RCV")
    stored = profile.quick_connection().execute(
        "SELECT origin FROM indicator WHERE id IN (?, ?) ORDER BY sort_order", (one.id, two.id)
    )
    assert [r[0] for r in stored] == ["assigned", "selected"]


def test_an_ma_benchmark_for_several_groups_is_one_indicator_per_group_sharing_a_code(profile, ma):
    added = setup.add_indicator(
        profile,
        ma,
        name="Students meeting the math interim benchmark",
        kind="benchmark",
        groups=["All students", "ML", "SWD", "low income"],
        code="MCAP",
    )
    rows = setup.list_indicators(profile, org_id=ma)
    assert len(added.ids) == 4
    assert [(r.code, r.group, r.kind) for r in rows] == [
        ("MCAP", "All", "benchmark"),
        ("MCAP", "ML", "benchmark"),
        ("MCAP", "SWD", "benchmark"),
        ("MCAP", "Low income", "benchmark"),
    ]
    with pytest.raises(RefusedInput, match="already has an indicator MCAP for ML"):
        setup.add_indicator(profile, ma, name="Again", kind="benchmark", groups=["ML"], code="MCAP")


@pytest.mark.parametrize(
    ("fields", "sentence"),
    [
        ({"kind": "dii"}, "Level 1 .* or Level 2"),
        ({"kind": "dii", "level": 3}, "Level 1 .* or Level 2"),
        ({"kind": "benchmark"}, "Benchmarks are Massachusetts'"),
        ({"kind": "local", "level": 1}, "Only a NY DII has a level"),
        ({"kind": "goal"}, "not a kind of indicator"),
        ({"kind": "local", "value_type": "grade point"}, "not a value type"),
        ({"kind": "local", "direction": "up"}, "say higher or lower"),
        ({"kind": "local", "groups": ["Left-handed"]}, "not a student group"),
        ({"kind": "local", "name": "  "}, "name"),
        ({"kind": "local", "code": "two words"}, "is not a code"),
    ],
)
def test_an_indicator_that_cannot_be_is_refused_in_a_sentence(profile, ny, fields, sentence):
    before = setup.list_indicators(profile)
    with pytest.raises(RefusedInput, match=sentence):
        setup.add_indicator(profile, ny, **({"name": "Attendance"} | fields))
    assert setup.list_indicators(profile) == before


def test_yes_no_and_stage_indicators_are_met_by_a_set_that_the_target_sets(profile, ny):
    plc = setup.add_indicator(
        profile, ny, name="Weekly PLCs in place", kind="local", value_type="yes/no"
    ).id
    stage = setup.add_indicator(
        profile, ny, name="DTSDE Tenet 4 stage", kind="dii", level=2, value_type="stage"
    ).id
    assert setup.get_indicator(profile, plc).target_set == ("yes",)
    assert setup.get_indicator(profile, stage).target_set == ("3", "4")
    set_target(profile, stage, YEAR, baseline="2", annual_target="stage 4")
    assert setup.get_indicator(profile, stage).target_set == ("4",)
    with pytest.raises(RefusedInput, match="is not a stage"):
        set_target(profile, stage, YEAR, annual_target="5")


def test_a_target_with_checkpoints_is_what_the_school_page_judges(profile, ny):
    ind = setup.add_indicator(profile, ny, name="3-8 ELA", kind="dii", level=1).id
    saved = set_target(
        profile,
        ind,
        YEAR,
        baseline=38,
        annual_target="46",
        checkpoints=_early() | {"mid": CheckpointInput("Jan 2, 2027", "1/31/2027", 43)},
    )
    assert saved.notes == ()
    target = get_target(profile, ind, YEAR)
    assert (target.baseline, target.baseline_year, target.annual_target) == (38, "2025-26", 46)
    assert [c[0] for c in target.checkpoints] == ["early", "mid"]
    assert target.checkpoints[1][1:] == (D(2027, 1, 2), D(2027, 1, 31), 43)
    (view,) = school_indicators(profile, ny, D(2026, 10, 1))
    assert view.status == "no data"  # the early window opened on 15 Sep, nothing measured
    record_measurement(profile, ind, as_of=D(2026, 9, 30), value="42", checkpoint="early")
    (view,) = school_indicators(profile, ny, D(2026, 10, 1))
    assert (view.status, view.annual_target, view.target_text()) == ("on track", 46, "≥ 46")


def test_only_what_is_given_changes_on_an_existing_target(profile, ny):
    ind = setup.add_indicator(profile, ny, name="3-8 ELA", kind="dii", level=1).id
    set_target(profile, ind, YEAR, baseline=38, annual_target=46, checkpoints=_early())
    set_target(profile, ind, YEAR, checkpoints={"early": CheckpointInput(goal=40)})
    target = get_target(profile, ind, YEAR)
    assert (target.baseline, target.annual_target) == (38, 46)
    assert target.checkpoints == (("early", D(2026, 9, 15), D(2026, 10, 30), 40),)
    set_target(profile, ind, YEAR, clear=("early",))
    assert get_target(profile, ind, YEAR).checkpoints == ()
    rows = profile.quick_connection().execute(
        "SELECT count(*) FROM indicator_target WHERE indicator_id = ?", (ind,)
    )
    assert rows.fetchone()[0] == 1


@pytest.mark.parametrize(
    ("fields", "sentence"),
    [
        ({"annual_target": 140}, "between 0 and 100, not 140"),
        ({"annual_target": 46, "baseline": "-3"}, "The baseline: A percentage"),
        ({}, "Give the annual target for 2026-27"),
        ({"annual_target": 46, "baseline_year": "2027-28"}, "after 2026-27"),
        ({"annual_target": 46, "baseline_year": "2027"}, "not a school year"),
        (
            {"annual_target": 46, "checkpoints": {"mid": CheckpointInput(goal=40)}},
            "Give the mid-year checkpoint's window",
        ),
        (
            {
                "annual_target": 46,
                "checkpoints": {"mid": CheckpointInput("2027-08-01", "2027-08-30")},
            },
            "outside the 2026-27 school year",
        ),
        (
            {
                "annual_target": 46,
                "checkpoints": {"eoy": CheckpointInput("2027-06-01", "2027-11-30")},
            },
            "more than three months after",
        ),
        (
            {
                "annual_target": 46,
                "checkpoints": {"early": CheckpointInput("2026-10-30", "2026-09-15")},
            },
            "before it starts",
        ),
        (
            {
                "annual_target": 46,
                "checkpoints": _early() | {"mid": CheckpointInput("2026-09-01", "2026-09-30")},
            },
            "before the early one",
        ),
        ({"annual_target": 46, "checkpoints": {"late": CheckpointInput()}}, "not a checkpoint"),
        (
            {"annual_target": 46, "checkpoints": {"early": CheckpointInput("soon", "2026-10-30")}},
            "is not a date",
        ),
    ],
)
def test_a_target_that_cannot_be_is_refused_and_nothing_is_written(profile, ny, fields, sentence):
    ind = setup.add_indicator(profile, ny, name="3-8 ELA", kind="dii", level=1).id
    with pytest.raises(RefusedInput, match=sentence):
        set_target(profile, ind, YEAR, **fields)
    assert get_target(profile, ind, YEAR) is None


def test_a_goal_on_the_wrong_side_of_the_baseline_is_saved_and_said(profile, ny):
    absent = setup.add_indicator(
        profile,
        ny,
        name="Chronic absenteeism",
        kind="dii",
        level=1,
        value_type="rate",
        direction="lower",
    ).id
    saved = set_target(
        profile, absent, YEAR, baseline=34, annual_target=36, checkpoints=_early(goal=35)
    )
    assert saved.notes == (
        "The annual target 36 is above the baseline 34, though lower is better; saved as typed.",
        "The early goal 35 is above the baseline 34; saved as typed.",
    )
    assert get_target(profile, absent, YEAR).annual_target == 36


def test_next_years_targets_start_from_this_years_with_windows_a_year_on(profile, ny):
    ela = setup.add_indicator(profile, ny, name="3-8 ELA", kind="dii", level=1).id
    math = setup.add_indicator(profile, ny, name="3-8 Math", kind="dii", level=1).id
    bare = setup.add_indicator(profile, ny, name="Attendance", kind="local").id
    set_target(profile, ela, YEAR, baseline=38, annual_target=46, checkpoints=_early())
    set_target(profile, math, YEAR, baseline=41, annual_target=48)
    set_target(profile, math, "2027-28", baseline=41, annual_target=50)
    record_measurement(profile, ela, as_of=D(2026, 11, 20), value="47", final=True)
    done = copy_targets(profile, ny, YEAR, "2027-28")
    assert len(done.copied) == 1
    assert done.skipped == (
        f"{setup.get_indicator(profile, math).code} (All) already has a target for 2027-28; "
        "left as it is.",
        f"{setup.get_indicator(profile, bare).code} (All) has no target for 2026-27.",
    )
    copied = get_target(profile, ela, "2027-28")
    assert (copied.baseline, copied.baseline_year, copied.annual_target) == (47, YEAR, 46)
    assert copied.checkpoints == (("early", D(2027, 9, 15), D(2027, 10, 30), 41),)
    assert get_target(profile, math, "2027-28").annual_target == 50  # left as it was
    set_target(profile, ela, "2027-28", annual_target=52)  # then edit
    assert get_target(profile, ela, "2027-28").annual_target == 52
    assert get_target(profile, ela, YEAR).annual_target == 46
    with pytest.raises(RefusedInput, match="No target was copied"):
        copy_targets(profile, ny, YEAR, "2027-28")
    with pytest.raises(RefusedInput, match="is not after"):
        copy_targets(profile, ny, YEAR, "2025-26")


def test_editing_an_indicator_changes_only_what_is_given(profile, ny):
    ind = setup.add_indicator(profile, ny, name="3-8 ELA", kind="dii", level=1, code="ELA").id
    setup.edit_indicator(profile, ind, name="3-8 ELA (SWD)", group="swd", level=2)
    row = setup.get_indicator(profile, ind)
    assert (row.name, row.group, row.level, row.code, row.value_type) == (
        "3-8 ELA (SWD)",
        "SWD",
        2,
        "ELA",
        "percent",
    )
    assert not setup.edit_indicator(profile, ind, name="3-8 ELA (SWD)")


def test_a_measured_indicator_keeps_its_value_type(profile, ny):
    ind = setup.add_indicator(profile, ny, name="Attendance", kind="local").id
    setup.edit_indicator(profile, ind, value_type="rate")  # nothing measured yet: allowed
    record_measurement(profile, ind, as_of=D(2026, 10, 1), value="91")
    with pytest.raises(RefusedInput, match="already has 1 measurement recorded as rate"):
        setup.edit_indicator(profile, ind, value_type="yes/no")
    assert setup.get_indicator(profile, ind).value_type == "rate"


def test_a_retired_indicator_leaves_the_page_keeps_its_data_and_comes_back(profile, ny):
    ind = setup.add_indicator(profile, ny, name="3-8 ELA", kind="dii", level=1).id
    set_target(profile, ind, YEAR, baseline=38, annual_target=46)
    record_measurement(profile, ind, as_of=D(2026, 10, 1), value="40")
    setup.retire_indicator(profile, ind)
    assert school_indicators(profile, ny, D(2026, 10, 2)) == []
    assert setup.list_indicators(profile) == []
    assert [r.retired for r in setup.list_indicators(profile, retired=True)] == [True]
    with pytest.raises(NotFound):
        set_target(profile, ind, YEAR, annual_target=50)
    setup.restore_indicator(profile, ind)
    (view,) = school_indicators(profile, ny, D(2026, 10, 2))
    assert [m.value for m in view.measurements] == [40]


def test_an_indicator_is_found_by_its_code_and_a_shared_code_asks_which(profile, ny, ma):
    ela = setup.add_indicator(profile, ny, name="3-8 ELA", kind="dii", level=1, code="ELA").id
    setup.add_indicator(profile, ma, name="ELA", kind="benchmark", groups=["All", "ML"], code="ELA")
    assert setup.find_indicator(profile, "ela", org_id=ny).id == ela
    assert setup.find_indicator(profile, ela).id == ela
    assert setup.find_indicator(profile, "ELA", org_id=ma, group="ML").group == "ML"
    with pytest.raises(RefusedInput, match="Several indicators have the code ELA"):
        setup.find_indicator(profile, "ELA")
    with pytest.raises(NotFound, match="No indicator has the id or code"):
        setup.find_indicator(profile, "MATH")


def test_a_benchmark_belongs_to_the_districts_instructional_priority(profile, ma):
    from coachdesk.core.tracking_records.plans import create_priority, get_priority

    district = (
        profile.quick_connection()
        .execute("SELECT parent_id FROM organization WHERE id = ?", (ma,))
        .fetchone()[0]
    )
    create_priority(profile, district, YEAR)
    ind = setup.add_indicator(profile, ma, name="Discourse", kind="benchmark").id
    stored = (
        profile.quick_connection()
        .execute("SELECT priority_id, target_set FROM indicator WHERE id = ?", (ind,))
        .fetchone()
    )
    assert stored[0] == get_priority(profile, district, YEAR).id
    assert json.loads(stored[1]) == []


def test_the_csv_import_adds_to_indicators_the_coach_created_for_a_school_or_district(profile, ny):
    from coachdesk.core.tracking_records.csv_import import import_rows, preview_text

    district = (
        profile.quick_connection()
        .execute("SELECT parent_id FROM organization WHERE id = ?", (ny,))
        .fetchone()[0]
    )
    ela = setup.add_indicator(profile, ny, name="3-8 ELA", kind="dii", level=1, code="ELA38").id
    swd = setup.add_indicator(
        profile, ny, name="3-8 ELA", kind="dii", level=2, groups=["SWD"], code="ELA38"
    ).id
    # A NY district is not itself assigned; its local indicator imports all the same.
    wide = setup.add_indicator(profile, district, name="Teacher retention", kind="local").id
    code = setup.get_indicator(profile, wide).code
    text = (
        "school,indicator,subgroup,as_of,value,n,checkpoint\n"
        "School 9,ela38,All,2026-10-20,41.5,220,early\n"
        "School 9,ELA38,SWD,2026-10-20,12,31,early\n"
        f"NY City Schools,{code},,2026-10-01,88,,\n"
        "School 9,ELA38,ML,2026-10-20,20,,\n"
    )
    preview = preview_text(profile, text, source="fall.csv")
    assert [(r.indicator_id, r.value) for r in preview.rows] == [
        (ela, 41.5),
        (swd, 12),
        (wide, 88),
    ]
    assert [e.message for e in preview.errors] == [
        "School 9 has no indicator “ELA38” for group ML."
    ]
    import_rows(profile, preview)
    (all_students, disabilities) = school_indicators(profile, ny, D(2026, 10, 21))
    assert [m.value for m in all_students.measurements] == [41.5]
    assert [(m.value, m.n) for m in disabilities.measurements] == [(12, 31)]
    again = preview_text(profile, text, source="fall.csv")
    assert again.rows == ()
    assert "is already recorded" in again.errors[0].message
