"""School-year arithmetic lives in one place; the programs and the cadence rules agree with it."""

from __future__ import annotations

import datetime as dt

import pytest

from coachdesk.core import school_year
from coachdesk.core.programs import programs
from coachdesk.core.tracking_rules.dates import MonthDay, parse_school_year, school_year_of


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 6, 30), "2025-26"),
        (dt.date(2026, 7, 1), "2026-27"),
        (dt.date(2026, 12, 31), "2026-27"),
        (dt.date(2027, 1, 1), "2026-27"),
        (dt.date(1999, 9, 1), "1999-00"),
    ],
)
def test_a_day_falls_in_the_school_year_that_began_the_july_before(day, expected):
    assert school_year.label_of(day) == expected
    # Every program (each begins its year on 1 July) and the cadence rules say the same.
    assert {p.school_year(day) for p in programs().values()} == {expected}
    assert school_year.label(school_year_of(day)) == expected
    assert parse_school_year(expected) == school_year.start_year_of(day)


def test_a_year_that_begins_on_another_day_moves_the_boundary():
    first = MonthDay(9, 1)
    assert school_year_of(dt.date(2026, 8, 31), first) == 2025
    assert school_year_of(dt.date(2026, 9, 1), first) == 2026
    assert school_year.start_year_of(dt.date(2026, 8, 31), (9, 1)) == 2025


def test_the_year_before_and_a_badly_written_year():
    assert school_year.previous("2026-27") == "2025-26"
    assert school_year.previous("2000-01") == "1999-00"
    with pytest.raises(ValueError, match="not a school year written like 2026-27"):
        school_year.parse("2026-28")
