"""Correcting and deleting a measurement (issue 13): the earlier value stays in the history with
who and when, a deletion is a tombstone, the status follows the corrected value, and both reach
the coach's other laptop in a bundle."""

from __future__ import annotations

import datetime as dt

import pytest

from coachdesk.core.assignments import AssignmentFields, add_assigned_school
from coachdesk.core.coach import set_coach
from coachdesk.core.errors import NotFound, RefusedInput
from coachdesk.core.organizations import OrganizationFields, add_district
from coachdesk.core.store.changelog import HardDeleteError
from coachdesk.core.tracking_records.indicator_setup import add_indicator
from coachdesk.core.tracking_records.indicator_targets import CheckpointInput, set_target
from coachdesk.core.tracking_records.indicators import record_measurement, school_indicators
from coachdesk.core.tracking_records.measurement_corrections import (
    delete_measurement,
    edit_measurement,
    get_measurement,
    list_measurements,
    measurement_history,
    restore_measurement,
)
from tests.support.sync_world import make_devices, snapshot

YEAR = "2026-27"
D = dt.date
ON = D(2026, 11, 1)


def _dii_with_checkpoint(profile) -> tuple[str, str]:
    """A NY school with a Level 1 DII: baseline 38, target 46, early goal 41 (15 Sep-30 Oct)."""
    district = add_district(profile, name="Rochester City SD", state="NY").id
    school = add_assigned_school(
        profile,
        OrganizationFields("school", "School 9", "NY", parent_id=district),
        AssignmentFields("NY_RCV", school_year=YEAR, receivership_year=2),
        today=D(2026, 9, 1),
    ).id
    ind = add_indicator(profile, school, name="3-8 ELA", kind="dii", level=1, code="ELA").id
    set_target(
        profile,
        ind,
        YEAR,
        baseline=38,
        annual_target=46,
        checkpoints={"early": CheckpointInput("2026-09-15", "2026-10-30", 41)},
    )
    return school, ind


def _measure(profile, ind: str, value: str = "35") -> str:
    changes = record_measurement(
        profile, ind, as_of=D(2026, 10, 20), value=value, checkpoint="early", n=220
    )
    (measurement,) = changes.ids("measurement")
    return measurement


def test_a_corrected_value_keeps_the_earlier_one_in_the_history_with_who_and_when(profile):
    set_coach(profile, name="Dana Ruiz", employer=None)
    school, ind = _dii_with_checkpoint(profile)
    measurement = _measure(profile, ind)
    before = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=5)
    edit_measurement(profile, measurement, value="42")
    edit_measurement(profile, measurement, n=None)
    assert get_measurement(profile, measurement).value == 42
    history = measurement_history(profile, measurement)
    assert [(v.value, v.n) for v in history] == [(35, 220), (42, 220), (42, None)]
    assert {v.who for v in history} == {"Dana Ruiz (this laptop)"}
    assert all(v.when is not None and v.when >= before for v in history)
    assert history[1].changed == ("value",)
    assert history[0].sentence().startswith("Recorded on ")
    assert history[1].sentence().endswith("by Dana Ruiz (this laptop): 42 as of Oct 20, 2026.")


def test_the_status_and_the_due_list_follow_the_corrected_value(profile):
    from coachdesk.core.tracking_records.due import due_on

    school, ind = _dii_with_checkpoint(profile)
    measurement = _measure(profile, ind)  # 35, below the early goal of 41
    (view,) = school_indicators(profile, school, ON)
    assert view.status == "at risk"
    assert "DII ELA is at risk" in [i.what for i in due_on(profile, ON)]
    edit_measurement(profile, measurement, value="42")
    (view,) = school_indicators(profile, school, ON)
    assert (view.status, [m.value for m in view.measurements]) == ("on track", [42])
    assert "DII ELA is at risk" not in [i.what for i in due_on(profile, ON)]


def test_a_deleted_measurement_is_a_tombstone_the_status_no_longer_reads(profile):
    school, ind = _dii_with_checkpoint(profile)
    measurement = _measure(profile, ind)
    delete_measurement(profile, measurement)
    (view,) = school_indicators(profile, school, ON)
    assert (view.status, view.measurements) == ("no data", ())
    assert list_measurements(profile, ind) == []
    assert [m.deleted for m in list_measurements(profile, ind, deleted=True)] == [True]
    assert [v.deleted for v in measurement_history(profile, measurement)] == [False, True]
    assert measurement_history(profile, measurement)[-1].sentence().startswith("Deleted on ")
    with pytest.raises(NotFound, match="may have been deleted"):
        edit_measurement(profile, measurement, value="40")
    assert not delete_measurement(profile, measurement)  # twice changes nothing
    restore_measurement(profile, measurement)
    (view,) = school_indicators(profile, school, ON)
    assert [m.value for m in view.measurements] == [35]


def test_the_store_refuses_a_hard_delete_of_a_measurement(profile):
    from coachdesk.core.store.tracking_tables import Measurement

    _school, ind = _dii_with_checkpoint(profile)
    measurement = _measure(profile, ind)
    with pytest.raises(HardDeleteError), profile.writing() as write:
        write.session.delete(write.session.get(Measurement, measurement))
    assert get_measurement(profile, measurement).deleted is False


@pytest.mark.parametrize(
    ("fields", "sentence"),
    [
        ({"value": "140"}, "between 0 and 100, not 140"),
        ({"value": "lots"}, "is not a number"),
        ({"checkpoint": "spring"}, "not a checkpoint"),
        ({"n": -1}, "whole number, 0 or more"),
        ({"as_of": D(2027, 3, 1)}, "cannot be dated in the future"),
        ({}, "Say what to correct"),
    ],
)
def test_a_correction_that_cannot_be_is_refused_and_the_value_stays(profile, fields, sentence):
    _school, ind = _dii_with_checkpoint(profile)
    measurement = _measure(profile, ind)
    with pytest.raises(RefusedInput, match=sentence):
        edit_measurement(profile, measurement, today=D(2026, 12, 1), **fields)
    assert get_measurement(profile, measurement).value == 35
    assert len(measurement_history(profile, measurement)) == 1


def test_an_unknown_measurement_is_not_found(profile):
    with pytest.raises(NotFound):
        measurement_history(profile, "01a23199-0000-7000-8000-000000000000")
    with pytest.raises(NotFound):
        delete_measurement(profile, "01a23199-0000-7000-8000-000000000000")


def test_a_correction_and_a_deletion_reach_the_other_laptop_with_who_made_them(tmp_path):
    office, home = make_devices(tmp_path, ["office", "home"])
    try:
        school, ind = _dii_with_checkpoint(office.profile)
        kept = _measure(office.profile, ind, "35")
        dropped = record_measurement(
            office.profile, ind, as_of=D(2026, 10, 25), value="30", checkpoint="early"
        ).ids("measurement")
        (dropped_id,) = dropped
        home.take(office.bundle())
        assert get_measurement(home.profile, kept).value == 35

        # Corrected on the home laptop, deleted on the office one; each takes the other's.
        edit_measurement(home.profile, kept, value="43")
        delete_measurement(office.profile, dropped_id)
        assert office.take(home.bundle()).new_conflicts == 0
        assert home.take(office.bundle()).new_conflicts == 0

        for laptop in (office, home):
            (view,) = school_indicators(laptop.profile, school, ON)
            assert [m.value for m in view.measurements] == [43]
            assert view.status == "on track"
            assert get_measurement(laptop.profile, dropped_id).deleted
        history = measurement_history(office.profile, kept)
        assert [v.value for v in history] == [35, 43]
        assert history[1].who == "home"  # the name the office laptop trusts it under
        assert measurement_history(home.profile, dropped_id)[-1].who == "office"
        assert snapshot(office.profile) == snapshot(home.profile)
    finally:
        office.profile.close()
        home.profile.close()
