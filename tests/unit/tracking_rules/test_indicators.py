from __future__ import annotations

import datetime as dt

import pytest

from coachdesk.core.tracking_rules import (
    Checkpoint,
    CheckpointName,
    Direction,
    Indicator,
    Measurement,
    Origin,
    Status,
    Target,
    ValueType,
    Window,
    indicator_status,
)
from coachdesk.core.tracking_rules.indicators import expected_value

D = dt.date
EARLY = Checkpoint(CheckpointName.EARLY, Window(D(2026, 9, 15), D(2026, 10, 30)))
MID = Checkpoint(CheckpointName.MID, Window(D(2027, 1, 2), D(2027, 1, 31)))
EOY = Checkpoint(CheckpointName.EOY, Window(D(2027, 6, 1), D(2027, 6, 30)))

ELA = Indicator(
    "i1", "ELA38", "3-8 ELA Level 2 & above", Origin.ASSIGNED, ValueType.PERCENT, Direction.HIGHER
)
ABSENCE = Indicator(
    "i2",
    "CHRON",
    "Chronic absenteeism",
    Origin.SELECTED,
    ValueType.RATE,
    Direction.LOWER,
    subgroup="SWD",
)
TEAM = Indicator(
    "i3",
    "SIPT",
    "School Improvement Team meets monthly",
    Origin.LOCAL,
    ValueType.BOOLEAN,
    Direction.IN_SET,
    target_set=frozenset({"yes"}),
)
DTSDE = Indicator(
    "i4",
    "DTSDE4",
    "DTSDE Tenet 4 stage",
    Origin.SELECTED,
    ValueType.STAGE,
    Direction.IN_SET,
    target_set=frozenset({"2", "3", "4"}),
)


def target(annual, baseline=None, checkpoints=(EARLY, MID, EOY)) -> Target:
    return Target("2026-27", annual, baseline, "2025-26", checkpoints)


def test_the_straight_line_runs_from_baseline_on_1_july_to_target_at_the_end_of_the_eoy_window():
    line = target(50.0, 30.0)
    assert expected_value(line, D(2026, 7, 1)) == pytest.approx(30.0)
    assert expected_value(line, D(2027, 6, 30)) == pytest.approx(50.0)
    middle = D(2026, 7, 1) + (D(2027, 6, 30) - D(2026, 7, 1)) / 2
    assert expected_value(line, middle) == pytest.approx(40.0, abs=0.1)


def test_percent_higher_is_better_on_track_and_at_risk_against_the_straight_line():
    line = target(50.0, 30.0)  # 30 + 20 * 106/364 = about 35.8 expected by 15 Oct
    ahead = [Measurement(D(2026, 10, 15), 38.0, CheckpointName.EARLY, n=120)]
    behind = [Measurement(D(2026, 10, 15), 31.0, CheckpointName.EARLY, n=120)]
    assert indicator_status(ELA, line, ahead, D(2026, 11, 1)).status is Status.ON_TRACK
    report = indicator_status(ELA, line, behind, D(2026, 11, 1))
    assert report.status is Status.AT_RISK
    assert report.expected == pytest.approx(35.82, abs=0.01)
    assert "lags" in report.reason


def test_rate_lower_is_better_is_on_track_when_below_the_line():
    line = target(15.0, 25.0)  # 25 - 10 * 198/364 = about 19.6 expected by 15 January
    falling = [Measurement(D(2027, 1, 15), 19.0, CheckpointName.MID, n=80)]
    stuck = [Measurement(D(2027, 1, 15), 24.0, CheckpointName.MID, n=80)]
    on = D(2027, 1, 20)
    assert indicator_status(ABSENCE, line, falling, on).status is Status.ON_TRACK
    assert indicator_status(ABSENCE, line, stuck, on).status is Status.AT_RISK


def test_a_checkpoint_goal_wins_over_the_straight_line():
    early_goal = Checkpoint(CheckpointName.EARLY, EARLY.window, goal=40.0)
    line = target(50.0, 30.0, (early_goal, MID, EOY))
    reading = [Measurement(D(2026, 10, 15), 38.0, CheckpointName.EARLY, n=120)]
    report = indicator_status(ELA, line, reading, D(2026, 11, 1))
    assert report.status is Status.AT_RISK  # 38 beats the line (35.8) but not the goal (40)
    assert report.expected == 40.0
    assert "early goal" in report.reason


def test_yes_no_indicator_uses_set_membership():
    goal = target(None)
    yes = [Measurement(D(2026, 10, 1), True, CheckpointName.EARLY)]
    no = [Measurement(D(2026, 10, 1), "No", CheckpointName.EARLY)]
    assert indicator_status(TEAM, goal, yes, D(2026, 10, 20)).status is Status.ON_TRACK
    assert indicator_status(TEAM, goal, no, D(2026, 10, 20)).status is Status.AT_RISK


def test_stage_indicator_in_set_and_final_met_or_not_met():
    goal = target(None)
    stage_one = [Measurement(D(2026, 10, 1), 1, CheckpointName.EARLY)]
    assert indicator_status(DTSDE, goal, stage_one, D(2026, 10, 20)).status is Status.AT_RISK
    final_three = stage_one + [Measurement(D(2027, 6, 20), 3, CheckpointName.EOY, final=True)]
    assert indicator_status(DTSDE, goal, final_three, D(2027, 7, 1)).status is Status.MET
    final_one = stage_one + [Measurement(D(2027, 6, 20), "1", CheckpointName.EOY, final=True)]
    assert indicator_status(DTSDE, goal, final_one, D(2027, 7, 1)).status is Status.NOT_MET


def test_final_result_is_met_or_not_met_in_the_indicators_direction():
    line = target(15.0, 25.0)
    met = [Measurement(D(2027, 6, 20), 14.5, CheckpointName.EOY, n=80, final=True)]
    missed = [Measurement(D(2027, 6, 20), 15.5, CheckpointName.EOY, n=80, final=True)]
    assert indicator_status(ABSENCE, line, met, D(2027, 7, 1)).status is Status.MET
    report = indicator_status(ABSENCE, line, missed, D(2027, 7, 1))
    assert report.status is Status.NOT_MET
    assert "at most 15" in report.reason
    # The same final result, seen before it was recorded, is not yet a final status.
    assert indicator_status(ABSENCE, line, missed, D(2027, 6, 10)).status is Status.NO_DATA


def test_no_data_once_a_window_opens_without_a_measurement_and_pending_before():
    line = target(50.0, 30.0)
    assert indicator_status(ELA, line, [], D(2026, 9, 1)).status is Status.PENDING
    report = indicator_status(ELA, line, [], D(2026, 9, 15))
    assert report.status is Status.NO_DATA
    assert report.open_checkpoint is CheckpointName.EARLY
    # Early data does not answer the mid-year window once it has opened.
    early = [Measurement(D(2026, 10, 15), 36.0, CheckpointName.EARLY, n=120)]
    assert indicator_status(ELA, line, early, D(2027, 1, 5)).status is Status.NO_DATA
    # A measurement without a checkpoint name counts for the window it falls in.
    unnamed = early + [Measurement(D(2027, 1, 10), 41.0, n=118)]
    assert indicator_status(ELA, line, unnamed, D(2027, 1, 12)).status is Status.ON_TRACK


def test_missing_baseline_tracks_against_the_annual_target():
    line = target(50.0, None)
    reading = [Measurement(D(2026, 10, 15), 45.0, CheckpointName.EARLY, n=120)]
    report = indicator_status(ELA, line, reading, D(2026, 11, 1))
    assert report.status is Status.AT_RISK
    assert "no baseline" in report.reason


def test_indicators_refuse_a_direction_that_does_not_fit_their_values():
    with pytest.raises(ValueError, match="in_set"):
        Indicator("x", "YN", "Yes/no", Origin.LOCAL, ValueType.BOOLEAN, Direction.HIGHER)
    with pytest.raises(ValueError, match="higher or lower"):
        Indicator(
            "x",
            "P",
            "Percent",
            Origin.LOCAL,
            ValueType.PERCENT,
            Direction.IN_SET,
            target_set=frozenset({"1"}),
        )
    with pytest.raises(ValueError, match="list the values"):
        Indicator("x", "S", "Stage", Origin.LOCAL, ValueType.STAGE, Direction.IN_SET)
