from __future__ import annotations

import datetime as dt

from coachdesk.core.tracking_rules import (
    Checkpoint,
    CheckpointName,
    Direction,
    DueState,
    Indicator,
    IndicatorFact,
    Measurement,
    ObligationFact,
    Origin,
    SchoolFact,
    Target,
    TargetKind,
    ValueType,
    Window,
)

from .helpers import by_rule, items, one, visit

D = dt.date
UTC = dt.UTC
PS1 = SchoolFact("ps1", "PS 1", "NY_RCV", tz="America/New_York")


def monthly(found):
    return {i.key.rsplit(":", 1)[1]: i for i in by_rule(found, "ny.monthly_visit")}


def test_a_finalized_on_site_visit_meets_the_month_and_a_draft_or_virtual_one_does_not():
    on = D(2026, 11, 23)
    assert "2026-11" not in monthly(items(PS1, on, visits=(visit("ps1", D(2026, 11, 9)),)))
    draft = monthly(items(PS1, on, visits=(visit("ps1", D(2026, 11, 9), status="draft"),)))
    assert draft["2026-11"].state is DueState.AT_RISK
    assert "note of the Nov 9, 2026 visit is not final" in draft["2026-11"].explanation
    virtual = monthly(items(PS1, on, visits=(visit("ps1", D(2026, 11, 9), type="virtual"),)))
    assert "2026-11" in virtual


def test_the_month_is_at_risk_after_the_20th_and_overdue_when_it_ends():
    states = {
        day: monthly(items(PS1, D(2026, 11, day)))["2026-11"].state for day in (3, 20, 21, 30)
    }
    assert states == {
        3: DueState.UPCOMING,
        20: DueState.UPCOMING,
        21: DueState.AT_RISK,
        30: DueState.DUE_TODAY,
    }
    november = monthly(items(PS1, D(2026, 12, 1)))["2026-11"]
    assert november.state is DueState.OVERDUE
    assert november.due == D(2026, 11, 30)
    assert november.explanation == (
        "NY SSPs visit monthly: no on-site visit was finalized in November 2026."
    )
    assert november.target.kind is TargetKind.VISIT and november.target.record_id is None


def test_a_planned_visit_is_mentioned_but_does_not_meet_the_month():
    planned = visit("ps1", D(2026, 11, 25), status="planned")
    item = monthly(items(PS1, D(2026, 11, 22), visits=(planned,)))["2026-11"]
    assert item.state is DueState.AT_RISK
    assert "one is planned for Nov 25, 2026" in item.explanation


def test_the_rule_runs_september_to_june_across_the_summer():
    assert set(monthly(items(PS1, D(2027, 7, 5)))) == {"2027-06"}
    assert monthly(items(PS1, D(2027, 7, 5)))["2027-06"].state is DueState.OVERDUE
    assert monthly(items(PS1, D(2027, 8, 5))) == {}  # June has aged out; no July or August rule
    september = monthly(items(PS1, D(2027, 9, 21)))
    assert set(september) == {"2027-09"} and september["2027-09"].state is DueState.AT_RISK


def test_december_is_overdue_in_january_and_november_has_aged_out():
    found = monthly(items(PS1, D(2027, 1, 4), visits=(visit("ps1", D(2026, 11, 3)),)))
    assert set(found) == {"2026-12", "2027-01"}
    assert found["2026-12"].state is DueState.OVERDUE
    assert found["2027-01"].state is DueState.UPCOMING


def test_february_of_a_leap_year_ends_on_the_29th():
    assert monthly(items(PS1, D(2028, 2, 28)))["2028-02"].state is DueState.AT_RISK
    assert monthly(items(PS1, D(2028, 2, 29)))["2028-02"].state is DueState.DUE_TODAY
    assert monthly(items(PS1, D(2028, 3, 1)))["2028-02"].state is DueState.OVERDUE
    assert monthly(items(PS1, D(2028, 3, 1)))["2028-02"].due == D(2028, 2, 29)
    assert monthly(items(PS1, D(2027, 3, 1)))["2027-02"].due == D(2027, 2, 28)


def test_a_visit_at_23_30_on_the_31st_counts_for_that_month_not_the_next():
    late = visit("ps1", dt.datetime(2026, 11, 1, 3, 30, tzinfo=UTC))  # 23:30 31 Oct in New York
    found = monthly(items(PS1, D(2026, 11, 2), visits=(late,)))
    assert "2026-10" not in found  # October is met
    assert "2026-11" in found  # and November is not
    # The same moment in a school in Berlin is a November visit.
    berlin = SchoolFact("b1", "Berlin", "NY_RCV", tz="Europe/Berlin")
    late_b = visit("b1", dt.datetime(2026, 11, 1, 3, 30, tzinfo=UTC))
    found_b = monthly(items(berlin, D(2026, 11, 2), visits=(late_b,)))
    assert "2026-10" in found_b and "2026-11" not in found_b


def test_an_aware_on_is_judged_on_each_schools_own_day():
    # 03:00 UTC on 1 Dec is still 30 Nov in New York and Los Angeles, 1 Dec in Berlin.
    on = dt.datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
    la = SchoolFact("la", "LA", "NY_RCV", tz="America/Los_Angeles")
    berlin = SchoolFact("b1", "Berlin", "NY_RCV", tz="Europe/Berlin")
    found = by_rule(items((PS1, la, berlin), on), "ny.monthly_visit")
    states = {(i.school_id, i.key.rsplit(":", 1)[1]): i.state for i in found}
    assert states[("ps1", "2026-11")] is DueState.DUE_TODAY
    assert states[("la", "2026-11")] is DueState.DUE_TODAY
    assert states[("b1", "2026-11")] is DueState.OVERDUE


def test_quarterly_reports_follow_the_memo_dates_and_mark_assumed_years():
    q2 = one(items(PS1, D(2024, 1, 29)), "ny.quarterly_report")
    assert (q2.due, q2.state) == (D(2024, 1, 31), DueState.DUE_THIS_WEEK)
    assert "Q2 (Mid-Year) report for 2023-24" in q2.explanation
    assert "assumed" not in q2.explanation
    later = one(items(PS1, D(2027, 1, 20)), "ny.quarterly_report")
    assert later.due == D(2027, 1, 31)
    assert "assumed from the 2023-24 pattern until the OISR memo" in later.explanation
    # Over the summer the Q4 report of the year just ended is still due in July.
    q4 = one(items(PS1, D(2027, 7, 2)), "ny.quarterly_report")
    assert (q4.due, q4.key) == (D(2027, 7, 22), "ny.quarterly_report:ps1:2026-27 Q4")


def test_a_recorded_report_closes_the_item_or_moves_its_date():
    done = ObligationFact("o1", "ps1", "Q2", "2026-27", status="submitted")
    assert not by_rule(items(PS1, D(2027, 1, 20), obligations=(done,)), "ny.quarterly_report")
    moved = ObligationFact("o2", "ps1", "Q2", "2026-27", due=D(2027, 2, 1))
    item = one(items(PS1, D(2027, 1, 20), obligations=(moved,)), "ny.quarterly_report")
    assert item.due == D(2027, 2, 1) and "assumed" not in item.explanation
    assert item.target.record_id == "o2"
    # The generic obligation rule does not list it a second time.
    assert not by_rule(items(PS1, D(2027, 1, 20), obligations=(moved,)), "all.obligation")


def test_a_visit_is_suggested_14_days_before_each_report_unless_one_is_on_the_calendar():
    suggestion = one(items(PS1, D(2027, 1, 12)), "ny.pre_report_visit")
    # 14 days before Monday 31 January is a Sunday: the school day before it, Friday.
    assert (suggestion.due, suggestion.state) == (D(2027, 1, 15), DueState.DUE_THIS_WEEK)
    assert suggestion.due.weekday() == 4
    planned = visit("ps1", D(2027, 1, 14), status="planned", type="virtual")
    assert not by_rule(items(PS1, D(2027, 1, 12), visits=(planned,)), "ny.pre_report_visit")
    assert not by_rule(items(PS1, D(2027, 1, 18)), "ny.pre_report_visit")  # the day has passed


def test_a_school_year_without_report_dates_gives_a_notice():
    notice = one(items(PS1, D(2027, 9, 10)), "ny.quarterly_dates_missing")
    assert notice.state is DueState.NOTICE
    assert "2027-28" in notice.explanation and "ny_rcv.toml" in notice.explanation


def test_public_hearing_within_30_days_of_the_first_day_of_attendance():
    school = SchoolFact("ps1", "PS 1", "NY_RCV", first_student_day=D(2026, 9, 9))
    hearing = one(items(school, D(2026, 10, 5)), "ny.public_hearing")
    assert (hearing.due, hearing.state) == (D(2026, 10, 9), DueState.DUE_THIS_WEEK)
    assert "assumed" not in hearing.explanation
    assert one(items(school, D(2026, 10, 10)), "ny.public_hearing").state is DueState.OVERDUE
    held = ObligationFact("h", "ps1", "PublicHearing", "2026-27", status="done")
    assert not by_rule(items(school, D(2026, 10, 10), obligations=(held,)), "ny.public_hearing")
    assumed = one(items(PS1, D(2026, 9, 20)), "ny.public_hearing")
    assert assumed.due == D(2026, 10, 5) and "first day assumed" in assumed.explanation


ELA = Indicator("ela", "ELA38", "ELA L2+", Origin.ASSIGNED, ValueType.PERCENT, Direction.HIGHER)
MATH = Indicator("math", "MATH38", "Math L2+", Origin.ASSIGNED, ValueType.PERCENT, Direction.HIGHER)


def dii(indicator, measurements=(), checkpoints=()):
    return IndicatorFact(
        "ps1", indicator, Target("2026-27", 50.0, 30.0, "2025-26", checkpoints), measurements
    )


def test_dii_checkpoint_window_lists_diis_without_a_measurement():
    measured = dii(ELA, (Measurement(D(2026, 9, 15), 40.0, CheckpointName.EARLY, n=100),))
    facts = (measured, dii(MATH))
    assert not by_rule(items(PS1, D(2026, 9, 14), indicators=facts), "ny.dii_checkpoint")
    opened = one(items(PS1, D(2026, 9, 16), indicators=facts), "ny.dii_checkpoint")
    assert opened.state is DueState.NOTICE
    assert "1 of 2 DIIs have no measurement (MATH38)" in opened.explanation
    assert opened.target.kind is TargetKind.INDICATOR
    assert one(items(PS1, D(2026, 10, 1), indicators=facts), "ny.dii_checkpoint").state is (
        DueState.UPCOMING
    )
    closed = one(items(PS1, D(2026, 10, 31), indicators=facts), "ny.dii_checkpoint")
    assert (closed.state, closed.due) == (DueState.OVERDUE, D(2026, 10, 30))


def test_a_targets_own_window_wins_over_the_default():
    own = (Checkpoint(CheckpointName.EARLY, Window(D(2026, 10, 1), D(2026, 10, 20))),)
    assert not by_rule(
        items(PS1, D(2026, 9, 20), indicators=(dii(MATH, (), own),)), "ny.dii_checkpoint"
    )
    item = one(items(PS1, D(2026, 10, 2), indicators=(dii(MATH, (), own),)), "ny.dii_checkpoint")
    assert item.due == D(2026, 10, 20)


def test_a_dii_lagging_its_straight_line_is_listed_as_at_risk():
    lagging = dii(MATH, (Measurement(D(2026, 10, 15), 31.0, CheckpointName.EARLY, n=100),))
    ahead = dii(ELA, (Measurement(D(2026, 10, 15), 45.0, CheckpointName.EARLY, n=100),))
    found = by_rule(items(PS1, D(2026, 11, 2), indicators=(lagging, ahead)), "ny.dii_at_risk")
    assert [i.target.record_id for i in found] == ["math"]
    assert found[0].state is DueState.AT_RISK and "lags" in found[0].explanation
