from __future__ import annotations

import datetime as dt

import pytest

from coachdesk.core.tracking_rules.dates import (
    Interval,
    MonthDay,
    add_business_days,
    add_months,
    local_date_of,
    local_day,
    parse_school_year,
    school_year_of,
    span_in_school_year,
)

UTC = dt.UTC


def test_a_month_after_31_january_is_the_end_of_february_in_leap_and_common_years():
    assert add_months(dt.date(2028, 1, 31), 1) == dt.date(2028, 2, 29)
    assert add_months(dt.date(2027, 1, 31), 1) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2027, 1, 15), -2) == dt.date(2026, 11, 15)


def test_29_february_exists_only_in_leap_years():
    end_of_february = MonthDay.parse("02-29")
    assert end_of_february.in_year(2028) == dt.date(2028, 2, 29)
    assert end_of_february.in_year(2027) == dt.date(2027, 2, 28)
    with pytest.raises(ValueError):
        MonthDay.parse("02-30")
    with pytest.raises(ValueError):
        MonthDay.parse("13-01")


def test_a_window_over_the_new_year_ends_in_the_following_year():
    start, end = span_in_school_year(MonthDay(12, 1), MonthDay(2, 29), 2027)
    assert (start, end) == (dt.date(2027, 12, 1), dt.date(2028, 2, 29))
    start, end = span_in_school_year(MonthDay(6, 1), MonthDay(7, 22), 2026)
    assert (start, end) == (dt.date(2027, 6, 1), dt.date(2027, 7, 22))


def test_school_years_turn_on_1_july():
    assert school_year_of(dt.date(2027, 6, 30)) == 2026
    assert school_year_of(dt.date(2027, 7, 1)) == 2027
    assert parse_school_year("2026-27") == 2026
    with pytest.raises(ValueError):
        parse_school_year("2026-28")


def test_a_late_evening_in_new_york_is_still_that_day_there():
    moment = dt.datetime(2026, 11, 1, 3, 30, tzinfo=UTC)  # 23:30 on 31 Oct in New York
    assert local_day(moment, "America/New_York") == dt.date(2026, 10, 31)
    assert local_day(moment, "Europe/Berlin") == dt.date(2026, 11, 1)
    assert local_date_of(moment, "America/New_York") == dt.date(2026, 10, 31)
    # A naive recorded moment is school-local time already.
    assert local_date_of(dt.datetime(2026, 10, 31, 23, 30), "America/New_York") == dt.date(
        2026, 10, 31
    )


def test_a_naive_moment_is_refused_as_the_day_to_judge():
    with pytest.raises(ValueError, match="time zone"):
        local_day(dt.datetime(2026, 11, 1, 3, 30), "America/New_York")


def test_business_days_skip_the_weekend():
    friday = dt.date(2026, 11, 20)
    assert add_business_days(friday, 2) == dt.date(2026, 11, 24)  # Tuesday
    assert add_business_days(dt.date(2026, 11, 23), 2) == dt.date(2026, 11, 25)


def test_intervals_read_as_a_coach_writes_them():
    assert Interval.parse("6 weeks").after(dt.date(2026, 9, 1)) == dt.date(2026, 10, 13)
    assert Interval.parse("1 month").after(dt.date(2028, 1, 31)) == dt.date(2028, 2, 29)
    assert Interval.parse("3 months").after(dt.date(2026, 11, 30)) == dt.date(2027, 2, 28)
    with pytest.raises(ValueError):
        Interval.parse("fortnightly")
