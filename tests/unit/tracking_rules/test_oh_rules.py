from __future__ import annotations

import datetime as dt

from coachdesk.core.tracking_rules import DueState, FlagFact, ObligationFact, SchoolFact

from .helpers import by_rule, items, one, visit

D = dt.date


def school(stage, *flags, since=None):
    return SchoolFact("oh1", "Lincoln Elementary", "OH_NNPS", stage=stage, flags=flags, since=since)


def check_in(found):
    matching = by_rule(found, "oh.check_in")
    return matching[0] if matching else None


def last_check_in(day):
    return (visit("oh1", day, type="check_in"),)


def test_full_implementation_is_checked_in_quarterly():
    full = school("Full Implementation")
    visits = last_check_in(D(2026, 9, 20))
    assert check_in(items(full, D(2026, 11, 10), visits=visits)) is None  # more than 30 days off
    soon = check_in(items(full, D(2026, 12, 15), visits=visits))
    assert (soon.due, soon.state) == (D(2026, 12, 20), DueState.DUE_THIS_WEEK)
    assert soon.explanation == (
        "OH NNPS schools in Full Implementation get a check-in every 3 months:"
        " the last was Sep 20, 2026."
    )
    assert check_in(items(full, D(2026, 12, 21), visits=visits)).state is DueState.OVERDUE


def test_an_active_coaching_flag_caps_the_interval_at_monthly():
    flagged = school("Full Implementation", FlagFact("new_leader", D(2026, 9, 1)))
    item = check_in(items(flagged, D(2026, 10, 21), visits=last_check_in(D(2026, 9, 20))))
    assert (item.due, item.state) == (D(2026, 10, 20), DueState.OVERDUE)
    assert "while a coaching flag is active (New leader)" in item.explanation
    ended = school(
        "Full Implementation", FlagFact("new_leader", D(2026, 9, 1), ended_on=D(2026, 10, 1))
    )
    assert check_in(items(ended, D(2026, 10, 21), visits=last_check_in(D(2026, 9, 20)))) is None


def test_a_flag_never_lengthens_a_monthly_interval():
    flagged = school("Initial Implementation", FlagFact("reboot", D(2026, 9, 1)))
    item = check_in(items(flagged, D(2026, 10, 19), visits=last_check_in(D(2026, 9, 20))))
    assert item.due == D(2026, 10, 20)
    assert "in Initial Implementation get a check-in every month" in item.explanation


def test_initial_implementation_monthly_lands_on_29_february_in_a_leap_year():
    initial = school("Initial Implementation")
    item = check_in(items(initial, D(2028, 2, 25), visits=last_check_in(D(2028, 1, 31))))
    assert item.due == D(2028, 2, 29)
    item = check_in(items(initial, D(2027, 2, 25), visits=last_check_in(D(2027, 1, 31))))
    assert item.due == D(2027, 2, 28)


def test_installing_every_six_weeks_and_exploring_once_a_semester():
    visits = last_check_in(D(2026, 9, 1))
    assert check_in(items(school("Installing"), D(2026, 10, 10), visits=visits)).due == D(
        2026, 10, 13
    )
    assert check_in(items(school("Exploring"), D(2027, 2, 20), visits=visits)).due == D(2027, 3, 1)
    flagged = school("Exploring", FlagFact("new_to_nnps", D(2026, 8, 15)))
    assert check_in(items(flagged, D(2026, 9, 28), visits=visits)).due == D(2026, 10, 1)


def test_any_held_contact_counts_and_a_planned_check_in_clears_the_item():
    full = school("Initial Implementation")
    onsite = (visit("oh1", D(2026, 10, 5), type="onsite", status="draft"),)
    assert check_in(items(full, D(2026, 10, 30), visits=onsite)).due == D(2026, 11, 5)
    planned = last_check_in(D(2026, 9, 20)) + (
        visit("oh1", D(2026, 10, 19), type="check_in", status="planned"),
    )
    assert check_in(items(full, D(2026, 10, 15), visits=planned)) is None


def test_without_any_check_in_the_first_is_due_from_when_coaching_began():
    never = check_in(items(school("Installing"), D(2026, 10, 1)))
    assert (never.state, never.due) == (DueState.DUE_TODAY, D(2026, 10, 1))
    assert "no check-in is recorded yet" in never.explanation
    begun = check_in(items(school("Installing", since=D(2026, 9, 1)), D(2026, 10, 14)))
    assert (begun.state, begun.due) == (DueState.OVERDUE, D(2026, 10, 13))
    assert "coaching began Sep 1, 2026" in begun.explanation


DISTRICT = SchoolFact(
    "od", "Lakeview City", "OH_NNPS", kind="district", stage="Full Implementation"
)


def logs(found):
    return {i.key.split(":")[-1]: i for i in by_rule(found, "oh.coaching_log")}


def test_coaching_logs_are_due_15_october_january_april_july():
    assert logs(items(DISTRICT, D(2026, 10, 10)))["2026-27 Q1"].state is DueState.DUE_THIS_WEEK
    january = logs(items(DISTRICT, D(2027, 1, 2)))
    assert january["2026-27 Q2"].due == D(2027, 1, 15)
    assert january["2026-27 Q2"].state is DueState.UPCOMING
    july = logs(items(DISTRICT, D(2027, 7, 10)))  # the new school year has begun on 1 July
    assert july["2026-27 Q4"].due == D(2027, 7, 15)
    assert logs(items(DISTRICT, D(2027, 7, 16)))["2026-27 Q4"].state is DueState.OVERDUE
    sent = ObligationFact("o", "od", "CoachingLog", "2026-27 Q4", status="submitted")
    assert "2026-27 Q4" not in logs(items(DISTRICT, D(2027, 7, 16), obligations=(sent,)))


def test_the_one_year_action_plan_is_due_31_may_for_each_school():
    plan = one(items(school("Full Implementation"), D(2027, 5, 26)), "oh.action_plan")
    assert (plan.due, plan.state) == (D(2027, 5, 31), DueState.DUE_THIS_WEEK)
    assert plan.key == "oh.action_plan:oh1:2026-27"
    assert not by_rule(items(DISTRICT, D(2027, 5, 26)), "oh.action_plan")
    assert not by_rule(items(school("Full Implementation"), D(2027, 5, 26)), "oh.coaching_log")


def test_each_school_is_reminded_of_the_spring_update_survey_until_it_is_recorded_done():
    survey = one(items(school("Initial Implementation"), D(2027, 4, 20)), "oh.update_survey")
    assert (survey.due, survey.state) == (D(2027, 4, 30), DueState.UPCOMING)
    assert survey.what == "UPDATE survey 2026-27" and "remind the school" in survey.explanation
    late = one(items(school("Initial Implementation"), D(2027, 5, 3)), "oh.update_survey")
    assert late.state is DueState.OVERDUE
    taken = ObligationFact("u", "oh1", "UPDATE", "2026-27", status="done")
    after = items(school("Initial Implementation"), D(2027, 5, 3), obligations=(taken,))
    assert not by_rule(after, "oh.update_survey")
    assert not by_rule(after, "all.obligation")  # the survey rule claimed it
    assert not by_rule(items(DISTRICT, D(2027, 4, 20)), "oh.update_survey")
    assert not by_rule(items(school("Initial Implementation"), D(2027, 1, 20)), "oh.update_survey")
