import datetime as dt

import pytest

from coachdesk.core.errors import RefusedInput
from coachdesk.core.school_quarters import SchoolQuarter, parse_quarter, quarter_of


@pytest.mark.parametrize("typed", ["2026-Q2", "2026q2", "2026-27 Q2", "Q2 2026-27", " 2026-Q2 "])
def test_a_quarter_is_read_however_a_coach_writes_it(typed):
    quarter = parse_quarter(typed)
    assert (quarter.school_year, quarter.number) == ("2026-27", 2)
    assert quarter.label == "Q2 2026-27"
    assert quarter.code == "2026-Q2"


@pytest.mark.parametrize("typed", ["", "2026", "2026-Q5", "Q0 2026-27", "2026-28 Q1", "spring"])
def test_a_quarter_that_is_not_one_is_refused_with_the_form_to_use(typed):
    with pytest.raises(RefusedInput, match="2026-Q2"):
        parse_quarter(typed)


def test_calendar_quarters_count_from_july():
    assert SchoolQuarter(2026, 1).calendar_window() == (dt.date(2026, 7, 1), dt.date(2026, 9, 30))
    assert SchoolQuarter(2026, 2).calendar_window() == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert SchoolQuarter(2026, 3).calendar_window() == (dt.date(2027, 1, 1), dt.date(2027, 3, 31))
    assert SchoolQuarter(2026, 4).calendar_window() == (dt.date(2027, 4, 1), dt.date(2027, 6, 30))


def test_the_quarter_a_day_falls_in():
    assert quarter_of(dt.date(2026, 12, 1)) == SchoolQuarter(2026, 2)
    assert quarter_of(dt.date(2027, 1, 1)) == SchoolQuarter(2026, 3)
    assert quarter_of(dt.date(2027, 6, 30)) == SchoolQuarter(2026, 4)
    assert quarter_of(dt.date(2026, 7, 1)) == SchoolQuarter(2026, 1)
