"""Calendar arithmetic the cadence rules share: local days, months, school years, business days.

Every rule is evaluated on a *local* day: the calendar day at the school, in its time zone. A visit
at 23:30 on 31 October in New York is an October visit even though it is 1 November in UTC.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from coachdesk.core import dates_text, school_year


@cache
def zone(name: str) -> ZoneInfo:
    """The time zone called `name`; ValueError in a sentence when there is no such zone."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"{name!r} is not a time zone name such as America/New_York.") from exc


def local_day(on: dt.date | dt.datetime, tz: str) -> dt.date:
    """The calendar day at a school in time zone `tz` for a date or an aware datetime.

    A plain date is taken as already local. A naive datetime is refused, because it could mean
    any of the coach's, the school's or UTC's clock.
    """
    if isinstance(on, dt.datetime):
        if on.tzinfo is None or on.utcoffset() is None:
            raise ValueError("Give the moment with its time zone (an aware datetime) or a date.")
        return on.astimezone(zone(tz)).date()
    return on


def local_date_of(moment: dt.datetime | dt.date, tz: str) -> dt.date:
    """The school-local day of a recorded moment; a naive moment is taken as school-local time."""
    if isinstance(moment, dt.datetime):
        if moment.tzinfo is None or moment.utcoffset() is None:
            return moment.date()
        return moment.astimezone(zone(tz)).date()
    return moment


def month_end(day: dt.date) -> dt.date:
    """The last day of the month `day` falls in."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def add_business_days(day: dt.date, count: int) -> dt.date:
    """The day `count` business days (Monday to Friday) after `day`; holidays are not known."""
    current = day
    remaining = count
    while remaining > 0:
        current += dt.timedelta(days=1)
        if current.weekday() < 5:
            remaining -= 1
    return current


def weekday_on_or_before(day: dt.date) -> dt.date:
    """`day`, or the Friday before it when it falls on a weekend (schools are closed)."""
    return day - dt.timedelta(days=max(0, day.weekday() - 4))


def short_day(day: dt.date) -> str:
    """A date as a coach reads it in the rules' explanations: "Nov 3, 2026"."""
    return dates_text.medium_date(day)


def month_name(day: dt.date) -> str:
    """The month's full name in US English, whatever the machine's locale: "November"."""
    return dates_text.month_name(day)


@dataclass(frozen=True, order=True)
class MonthDay:
    """A day of the year without a year, such as 30 Sep. 29 Feb is 28 Feb outside leap years."""

    month: int
    day: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"month {self.month} is not between 1 and 12")
        # Checked against a leap year, so "02-29" is allowed and clamped in other years.
        if not 1 <= self.day <= calendar.monthrange(2024, self.month)[1]:
            raise ValueError(f"day {self.day} does not exist in month {self.month}")

    @classmethod
    def parse(cls, text: str) -> MonthDay:
        """Read "MM-DD" (for example "09-30"); ValueError otherwise."""
        match = re.fullmatch(r"(\d{1,2})-(\d{1,2})", text.strip())
        if not match:
            raise ValueError(f"{text!r} is not a month and day written as MM-DD")
        return cls(int(match.group(1)), int(match.group(2)))

    def in_year(self, year: int) -> dt.date:
        """This day in a given calendar year."""
        return _day_in_year(self.month, self.day, year)

    def in_school_year(self, start_year: int, year_start: MonthDay) -> dt.date:
        """This day in the school year that begins on `year_start` of `start_year`."""
        year = start_year if self >= year_start else start_year + 1
        return self.in_year(year)

    def __str__(self) -> str:
        return f"{self.month:02d}-{self.day:02d}"


@cache
def _day_in_year(month: int, day: int, year: int) -> dt.date:
    # Cached: rules place the same few month-days in the same few years for every school.
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day, last))


JULY_FIRST = MonthDay(7, 1)


def school_year_of(day: dt.date, year_start: MonthDay = JULY_FIRST) -> int:
    """The calendar year in which the school year holding `day` began."""
    return school_year.start_year_of(day, (year_start.month, year_start.day))


def school_year_label(start_year: int) -> str:
    """A school year as written in NYSED memos: 2026 -> "2026-27"."""
    return school_year.label(start_year)


def parse_school_year(label: str) -> int:
    """The start year of a school year written "2026-27"; ValueError otherwise."""
    return school_year.parse(label)


@cache
def school_year_bounds(
    start_year: int, year_start: MonthDay = JULY_FIRST
) -> tuple[dt.date, dt.date]:
    """The first and last day of a school year."""
    first = year_start.in_year(start_year)
    return first, year_start.in_year(start_year + 1) - dt.timedelta(days=1)


@dataclass(frozen=True)
class Interval:
    """A cadence interval: a number of days, weeks or months."""

    count: int
    unit: str  # day | week | month

    @classmethod
    def parse(cls, text: str) -> Interval:
        """Read "6 weeks", "1 month", "10 days"; ValueError otherwise."""
        match = re.fullmatch(r"(\d+)\s*(day|week|month)s?", text.strip())
        if not match or int(match.group(1)) == 0:
            raise ValueError(f"{text!r} is not an interval such as '6 weeks' or '1 month'")
        return cls(int(match.group(1)), match.group(2))

    def after(self, day: dt.date) -> dt.date:
        """The day one interval after `day`."""
        if self.unit == "month":
            return add_months(day, self.count)
        days = self.count * (7 if self.unit == "week" else 1)
        return day + dt.timedelta(days=days)

    def nominal_days(self) -> float:
        """A length for comparing intervals (a month counts as 30.4 days)."""
        return self.count * {"day": 1.0, "week": 7.0, "month": 30.44}[self.unit]

    def __str__(self) -> str:
        if self.count == 1:
            return {"day": "day", "week": "week", "month": "month"}[self.unit]
        return f"{self.count} {self.unit}s"


def span_in_school_year(
    first: MonthDay, last: MonthDay, start_year: int, year_start: MonthDay = JULY_FIRST
) -> tuple[dt.date, dt.date]:
    """A window written as two month-days, placed in a school year.

    The window starts in the school year; it ends on the first `last` on or after its start, so
    "12-01".."02-29" runs to the end of February and "06-01".."07-22" runs into July.
    """
    start = first.in_school_year(start_year, year_start)
    end = last.in_year(start.year)
    if end < start:
        end = last.in_year(start.year + 1)
    return start, end
