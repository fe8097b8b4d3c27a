"""Dates and times as a US coach reads them, whatever the laptop's own locale and time zone."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from zoneinfo import ZoneInfo

import pytest

from coachdesk.core import dates_text
from coachdesk.core.dates_text import (
    clock_time,
    date_and_time,
    day_heading,
    local_date,
    long_date,
    medium_date,
    month_day,
    time_span,
    weekday_date,
)

UTC = dt.UTC
NEW_YORK = "America/New_York"
DEC_1 = dt.date(2026, 12, 1)  # a Tuesday


def test_dates_in_us_forms():
    assert medium_date(DEC_1) == "Dec 1, 2026"
    assert long_date(DEC_1) == "December 1, 2026"
    assert month_day(DEC_1) == "Dec 1"
    assert weekday_date(DEC_1) == "Tue, Dec 1"
    assert weekday_date(DEC_1, year=True) == "Tue, Dec 1, 2026"
    assert day_heading(DEC_1) == "Tuesday, December 1"
    assert day_heading(dt.date(2027, 1, 15), year=True) == "Friday, January 15, 2027"


def test_two_digit_days_and_a_datetime_given_for_a_date():
    assert medium_date(dt.date(2026, 11, 23)) == "Nov 23, 2026"
    assert long_date(dt.datetime(2026, 9, 30, 23, 59)) == "September 30, 2026"


def test_a_utc_instant_reads_as_new_york_wall_time():
    instant = dt.datetime(2026, 12, 1, 14, 30, tzinfo=UTC)
    assert clock_time(instant, NEW_YORK) == "9:30 AM"
    assert clock_time(instant, ZoneInfo("America/Los_Angeles")) == "6:30 AM"
    assert date_and_time(instant, NEW_YORK) == "Dec 1, 2026, 9:30 AM"


def test_midnight_and_noon():
    assert clock_time(dt.datetime(2026, 12, 1, 0, 0)) == "12:00 AM"
    assert clock_time(dt.datetime(2026, 12, 1, 12, 0)) == "12:00 PM"
    assert clock_time(dt.time(12, 5)) == "12:05 PM"
    assert clock_time(dt.time(23, 59)) == "11:59 PM"


def test_a_naive_time_is_already_the_school_wall_clock():
    # A visit's starts_at is stored as school-local wall time: it is never shifted.
    assert clock_time(dt.datetime(2026, 12, 1, 9, 30), NEW_YORK) == "9:30 AM"


def test_times_around_the_fall_back_change():
    # New York falls back at 2:00 EDT on Nov 1, 2026: 05:30 and 06:30 UTC both read 1:30 AM.
    assert clock_time(dt.datetime(2026, 11, 1, 5, 30, tzinfo=UTC), NEW_YORK) == "1:30 AM"
    assert clock_time(dt.datetime(2026, 11, 1, 6, 30, tzinfo=UTC), NEW_YORK) == "1:30 AM"
    assert clock_time(dt.datetime(2026, 11, 1, 7, 30, tzinfo=UTC), NEW_YORK) == "2:30 AM"
    # 03:30 UTC on Nov 1 is still Oct 31 in New York (EDT, UTC-4).
    late = dt.datetime(2026, 11, 1, 3, 30, tzinfo=UTC)
    assert date_and_time(late, NEW_YORK) == "Oct 31, 2026, 11:30 PM"
    assert local_date(late, NEW_YORK) == dt.date(2026, 10, 31)


def test_times_around_the_spring_forward_change():
    # Mar 14, 2027 at 2:00 EST becomes 3:00 EDT: 06:59 UTC is 1:59 AM, 07:00 UTC is 3:00 AM.
    assert clock_time(dt.datetime(2027, 3, 14, 6, 59, tzinfo=UTC), NEW_YORK) == "1:59 AM"
    assert clock_time(dt.datetime(2027, 3, 14, 7, 0, tzinfo=UTC), NEW_YORK) == "3:00 AM"


def test_time_spans():
    day = dt.date(2026, 12, 1)
    at = lambda h, m: dt.datetime.combine(day, dt.time(h, m))  # noqa: E731
    assert time_span(at(9, 30), at(11, 0)) == "9:30 – 11:00 AM"
    assert time_span(at(11, 30), at(13, 0)) == "11:30 AM – 1:00 PM"
    assert time_span(at(9, 30), None) == "9:30 AM"
    overnight = time_span(at(23, 30), dt.datetime(2026, 12, 2, 1, 0))
    assert overnight == "11:30 PM – Dec 2, 2026, 1:00 AM"


def test_only_plain_spaces_reach_the_coach():
    # CLDR's narrow no-break and thin spaces would not print on a Windows console.
    shown = [
        clock_time(dt.time(9, 30)),
        time_span(dt.datetime(2026, 12, 1, 9), dt.datetime(2026, 12, 1, 10)),
        date_and_time(dt.datetime(2026, 12, 1, 14, tzinfo=UTC), NEW_YORK),
        day_heading(DEC_1, year=True),
    ]
    for text in shown:
        assert all(ch.isascii() or ch == "–" for ch in text), repr(text)


def test_an_unknown_school_zone_falls_back_to_the_laptop_zone():
    instant = dt.datetime(2026, 12, 1, 14, 30, tzinfo=UTC)
    assert clock_time(instant, "Nowhere/Atlantis") == clock_time(instant)


def test_text_never_names_utc():
    instant = dt.datetime(2026, 12, 1, 14, 30, tzinfo=UTC)
    for text in (clock_time(instant), date_and_time(instant), date_and_time(instant, NEW_YORK)):
        assert "UTC" not in text and "GMT" not in text


@pytest.mark.skipif(not hasattr(time, "tzset"), reason="setting TZ needs tzset (not on Windows)")
def test_without_a_school_zone_times_follow_the_laptop_zone_and_not_its_locale():
    # A laptop in Chicago with a French locale still reads US forms in its own zone.
    probe = (
        "import datetime as dt; from coachdesk.core.dates_text import date_and_time;"
        "print(date_and_time(dt.datetime(2026, 12, 1, 14, 30, tzinfo=dt.UTC)))"
    )
    env = dict(os.environ, TZ="America/Chicago", LANG="fr_FR.UTF-8", LC_ALL="fr_FR.UTF-8")
    shown = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert shown == "Dec 1, 2026, 8:30 AM"


def test_the_locale_is_one_constant():
    assert dates_text.LOCALE == "en_US"


def test_month_names_are_us_english():
    from coachdesk.core.tracking_rules.dates import month_name

    assert dates_text.month_name(DEC_1) == "December"
    assert month_name(dt.date(2026, 9, 30)) == "September"


@pytest.mark.parametrize(
    "typed",
    [
        "Oct 14, 2026",
        "october 14 2026",
        "14 Oct 2026",
        "Sept. 14, 2026",
        "10/14/2026",
        "2026-10-14",
    ],
)
def test_reading_typed_dates(typed):
    expected = dt.date(2026, 9 if "Sept" in typed else 10, 14)
    assert dates_text.read_date(typed) == expected


def test_what_this_module_writes_reads_back():
    for day in (DEC_1, dt.date(2027, 2, 28), dt.date(2026, 9, 30)):
        assert dates_text.read_date(medium_date(day)) == day
        assert dates_text.read_date(long_date(day)) == day


@pytest.mark.parametrize("typed", ["", "next week", "Feb 31, 2026", "13/1/2026", "Okt 14, 2026"])
def test_text_that_is_no_date_reads_as_none(typed):
    assert dates_text.read_date(typed) is None


def test_a_key_revoked_at_a_utc_moment_reads_as_a_day():
    from coachdesk.sync.trust import shown_day

    # Noon UTC is Nov 23 on every laptop between UTC-11 and UTC+11.
    assert shown_day("2026-11-23T12:00:00+00:00") == "Nov 23, 2026"
    assert shown_day("not a time") == "not a time"


def test_the_written_out_dates_are_the_ones_babel_writes():
    # Tables format dates from en_US's patterns and names copied into dates_text (no Babel on
    # the path to the first paint); every day of two years reads as Babel would write it.
    from babel.dates import format_date

    assert set(dates_text._EN_US) >= {"yMMMd", "yMMMMd", "MMMd", "MMMM", "MMMEd", "MMMMEEEEd"}
    day = dt.date(2026, 1, 1)
    while day < dt.date(2028, 1, 1):
        for skeleton, pattern in dates_text._EN_US.items():
            assert pattern == dates_text._pattern(skeleton), skeleton
            babel_text = format_date(day, pattern, locale=dates_text.LOCALE)
            assert dates_text._written_out(day, pattern) == dates_text._clean(babel_text)
        day += dt.timedelta(days=1)
    assert dates_text.medium_date(dt.date(2026, 9, 8)) == "Sep 8, 2026"
    assert dates_text.day_heading(dt.date(2026, 12, 1), year=True) == "Tuesday, December 1, 2026"
