from __future__ import annotations

import datetime as dt

from coachdesk.core.tracking_rules import DueState, ObligationFact, SchoolFact, shipped_rules
from coachdesk.core.tracking_rules.ma import phases_on

from .helpers import by_rule, items, one, visit

D = dt.date
DISTRICT = SchoolFact("d1", "Springfield", "MA_SSOS", kind="district")
SCHOOL = SchoolFact("s1", "Kennedy Middle", "MA_SSOS", kind="school")


def pm(found):
    return {i.key.rsplit(" ", 1)[1]: i for i in by_rule(found, "ma.pm_window")}


def meeting(day, *, minutes=120, status="final"):
    return visit("d1", day, type="pm_meeting", minutes=minutes, status=status)


def test_a_notice_when_the_mid_year_window_opens_then_quiet_until_mid_window():
    opened = pm(items(DISTRICT, D(2026, 12, 1)))["mid"]
    assert opened.state is DueState.NOTICE
    assert "Dec 1, 2026 to Feb 28, 2027" in opened.explanation
    assert pm(items(DISTRICT, D(2026, 12, 10))) == {}
    assert pm(items(DISTRICT, D(2027, 1, 13))) == {}


def test_a_warning_at_mid_window_when_no_long_enough_meeting_is_scheduled():
    warned = pm(items(DISTRICT, D(2027, 1, 14)))["mid"]
    assert (warned.state, warned.due) == (DueState.AT_RISK, D(2027, 2, 28))
    assert "none is scheduled" in warned.explanation
    short = (meeting(D(2027, 2, 10), minutes=60, status="planned"),)
    assert pm(items(DISTRICT, D(2027, 1, 20), visits=short))["mid"].state is DueState.AT_RISK
    long_enough = (meeting(D(2027, 2, 10), minutes=90, status="planned"),)
    assert pm(items(DISTRICT, D(2027, 1, 20), visits=long_enough)) == {}


def test_the_window_is_missed_when_it_closes_without_a_meeting_held():
    missed = pm(items(DISTRICT, D(2027, 3, 1)))["mid"]
    assert (missed.state, missed.due) == (DueState.MISSED, D(2027, 2, 28))
    assert "closed without one" in missed.explanation
    held = (meeting(D(2027, 2, 10)),)
    assert pm(items(DISTRICT, D(2027, 3, 1), visits=held)) == {}
    never_held = (meeting(D(2027, 2, 10), status="planned"),)
    assert pm(items(DISTRICT, D(2027, 3, 1), visits=never_held))["mid"].state is DueState.MISSED
    cancelled = (meeting(D(2027, 2, 10), status="cancelled"),)
    assert pm(items(DISTRICT, D(2027, 1, 20), visits=cancelled))["mid"].state is DueState.AT_RISK


def test_in_a_leap_year_the_mid_year_window_runs_to_29_february():
    assert pm(items(DISTRICT, D(2028, 2, 29)))["mid"].state is DueState.DUE_TODAY
    missed = pm(items(DISTRICT, D(2028, 3, 1)))["mid"]
    assert (missed.state, missed.due) == (DueState.MISSED, D(2028, 2, 29))
    assert pm(items(DISTRICT, D(2028, 1, 14))) == {}  # mid-window is 15 Jan in a 91-day window
    assert pm(items(DISTRICT, D(2028, 1, 15)))["mid"].state is DueState.AT_RISK


def test_the_end_of_year_window_closes_on_30_june_and_is_missed_in_july():
    assert pm(items(DISTRICT, D(2027, 5, 1)))["eoy"].state is DueState.NOTICE
    assert pm(items(DISTRICT, D(2027, 6, 30)))["eoy"].state is DueState.DUE_TODAY
    july = pm(items(DISTRICT, D(2027, 7, 1)))
    assert july["eoy"].state is DueState.MISSED
    assert july["eoy"].key == "ma.pm_window:d1:2026-27 eoy"


def test_pm_windows_are_the_districts_not_each_schools():
    assert not by_rule(items(SCHOOL, D(2027, 3, 1)), "ma.pm_window")


def test_phases_follow_the_date_and_overlap():
    rules = shipped_rules().ma
    names = lambda day: [p.id for p in phases_on(rules, day)]  # noqa: E731
    assert names(D(2026, 8, 15)) == ["1"]
    assert names(D(2026, 10, 15)) == ["2"]
    assert names(D(2026, 11, 15)) == ["2", "3"]
    assert names(D(2027, 6, 30)) == ["2", "3"]
    assert names(D(2027, 7, 15)) == []
    notice = one(items(DISTRICT, D(2026, 11, 2)), "ma.phase_notice")
    assert notice.state is DueState.NOTICE and "Track progress" in notice.what


def test_phase_1_checklist_is_due_30_september_and_names_the_open_steps():
    partly = SchoolFact(
        "d1",
        "Springfield",
        "MA_SSOS",
        kind="district",
        checklist_done=frozenset({"ip_affirmed", "primary_contact_named"}),
    )
    item = one(items(partly, D(2026, 9, 25)), "ma.phase1_checklist")
    assert (item.due, item.state) == (D(2026, 9, 30), DueState.DUE_THIS_WEEK)
    assert "benchmarks set; DILT self-assessment done" in item.explanation
    assert "Instructional Priority" not in item.explanation
    assert one(items(partly, D(2026, 10, 1)), "ma.phase1_checklist").state is DueState.OVERDUE
    complete = SchoolFact(
        "d1",
        "Springfield",
        "MA_SSOS",
        kind="district",
        checklist_done=frozenset(
            {"ip_affirmed", "benchmarks_set", "primary_contact_named", "dilt_self_assessment"}
        ),
    )
    assert not by_rule(items(complete, D(2026, 10, 1)), "ma.phase1_checklist")
    closed = ObligationFact("o", "d1", "Phase1Checklist", "2026-27", status="done")
    assert not by_rule(items(partly, D(2026, 10, 1), obligations=(closed,)), "ma.phase1_checklist")


def walks(found):
    return {i.key.rsplit(" ", 1)[1]: i for i in by_rule(found, "ma.learning_walk")}


def test_a_learning_walk_each_semester_at_risk_in_the_last_month_and_missed_after():
    assert walks(items(SCHOOL, D(2026, 12, 31))) == {}
    assert walks(items(SCHOOL, D(2027, 1, 1)))["fall"].state is DueState.AT_RISK
    planned = (visit("s1", D(2027, 1, 20), type="learning_walk", status="planned"),)
    assert walks(items(SCHOOL, D(2027, 1, 5), visits=planned)) == {}
    after = walks(items(SCHOOL, D(2027, 2, 1)))
    assert set(after) == {"fall"} and after["fall"].state is DueState.MISSED
    held = (visit("s1", D(2026, 10, 20), type="learning_walk"),)
    assert walks(items(SCHOOL, D(2027, 2, 1), visits=held)) == {}


def benchmark(code, group, *measured_on, origin=None):
    from coachdesk.core.tracking_rules import IndicatorFact
    from coachdesk.core.tracking_rules.indicators import (
        Direction,
        Indicator,
        Measurement,
        Origin,
        ValueType,
    )

    indicator = Indicator(
        f"{code}-{group}",
        code,
        f"{code} benchmark",
        origin or Origin.BENCHMARK,
        ValueType.PERCENT,
        Direction.HIGHER,
        subgroup=group,
    )
    return IndicatorFact("s1", indicator, None, tuple(Measurement(d, 40.0) for d in measured_on))


def gaps(on, *indicators):
    found = by_rule(items(SCHOOL, on, indicators=indicators), "ma.disaggregation_gap")
    return {i.key.rsplit(" ", 1)[1]: i for i in found}


def test_a_benchmark_without_ml_or_swd_data_in_the_open_window_is_flagged():
    in_window = D(2026, 12, 10)
    full = (
        benchmark("ELA", "All", in_window),
        benchmark("ELA", "ML", in_window),
        benchmark("ELA", "SWD", in_window),
    )
    assert gaps(D(2027, 2, 20), *full) == {}
    # SWD measured only before the window opened; no ML indicator at all for Math.
    partial = (
        benchmark("ELA", "All", in_window),
        benchmark("ELA", "ML", in_window),
        benchmark("ELA", "SWD", D(2026, 10, 1)),
        benchmark("MATH", "All", in_window),
        benchmark("MATH", "SWD", in_window),
    )
    found = gaps(D(2027, 2, 20), *partial)
    assert set(found) == {"ELA", "MATH"}
    assert found["ELA"].what == "Benchmark ELA: no SWD data this window"
    assert found["MATH"].what == "Benchmark MATH: no ML data this window"
    assert found["ELA"].due == D(2027, 2, 28)
    assert found["ELA"].state is DueState.AT_RISK  # within three weeks of the window's end
    assert "Dec 1, 2026 to Feb 28, 2027" in found["ELA"].explanation


def test_no_gap_is_raised_outside_a_window_or_for_indicators_that_are_not_benchmarks():
    from coachdesk.core.tracking_rules.indicators import Origin

    lonely = (benchmark("ELA", "All", D(2026, 12, 10)),)
    assert gaps(D(2027, 3, 15), *lonely) == {}  # between the windows
    assert gaps(D(2026, 11, 15), *lonely) == {}
    local = (benchmark("ELA", "All", D(2026, 12, 10), origin=Origin.LOCAL),)
    assert gaps(D(2027, 2, 20), *local) == {}
    # Early in the window there is time: nothing until the window's last 30 days, then
    # coming up, then at risk in its last three weeks.
    assert gaps(D(2027, 1, 5), *lonely) == {}
    coming = gaps(D(2027, 2, 1), *lonely)["ELA"]
    assert coming.state is DueState.UPCOMING and "ML and SWD" in coming.what


def test_the_student_groups_checked_are_configurable(tmp_path):
    import shutil

    from coachdesk.core.tracking_rules import due_items, load_rules
    from coachdesk.core.tracking_rules.facts import CaseloadFacts

    from .test_rules_loading import SHIPPED

    folder = tmp_path / "rules"
    shutil.copytree(SHIPPED, folder)
    path = folder / "ma_ssos.toml"
    path.write_text(path.read_text().replace('groups = ["ML", "SWD"]', 'groups = ["EL"]'))
    rules = load_rules(folder)
    facts = CaseloadFacts(schools=(SCHOOL,), indicators=(benchmark("ELA", "All", D(2027, 1, 5)),))
    found = by_rule(due_items(facts, D(2027, 2, 20), rules), "ma.disaggregation_gap")
    assert [i.what for i in found] == ["Benchmark ELA: no EL data this window"]
