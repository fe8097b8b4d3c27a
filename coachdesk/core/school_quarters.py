"""A quarter of a school year, as a coach names it on the command line and in the window.

    quarter = parse_quarter("2026-Q2")     # the second quarter of the 2026-27 school year
    quarter.school_year, quarter.number    # "2026-27", 2
    quarter.label                          # "Q2 2026-27"

State reports are quarterly by school year, not by calendar year: NY's OISR quarterly reports
(Q1 due in late October) and OH's SST coaching logs (Q1 due 15 October) both count from the
start of the school year in July. So "2026-Q2" is read as the second quarter of the year that
begins in 2026. "2026-27 Q2" and "Q2 2026-27" are read the same way. Which days a quarter
covers is each program's business (its rules file); the calendar quarters of the school year
(Jul-Sep, Oct-Dec, Jan-Mar, Apr-Jun) are given here for the programs that use them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from coachdesk.core import school_year
from coachdesk.core.errors import RefusedInput

_FORMS = (
    re.compile(r"(?P<year>\d{4})-?Q(?P<n>[1-4])", re.IGNORECASE),
    re.compile(r"(?P<year>\d{4})-(?P<next>\d{2})\s*Q(?P<n>[1-4])", re.IGNORECASE),
    re.compile(r"Q(?P<n>[1-4])\s*(?P<year>\d{4})-(?P<next>\d{2})", re.IGNORECASE),
)


@dataclass(frozen=True, order=True)
class SchoolQuarter:
    """Quarter `number` (1-4) of the school year beginning in July of `start_year`."""

    start_year: int
    number: int

    @property
    def school_year(self) -> str:
        return school_year.label(self.start_year)

    @property
    def label(self) -> str:
        """As printed on a report: "Q2 2026-27"."""
        return f"Q{self.number} {self.school_year}"

    @property
    def code(self) -> str:
        """As typed on the command line: "2026-Q2"."""
        return f"{self.start_year}-Q{self.number}"

    def calendar_window(self) -> tuple[dt.date, dt.date]:
        """The first and last day of the quarter counted from 1 July (Q1 is July to September)."""
        month = 7 + 3 * (self.number - 1)
        year = self.start_year + (month - 1) // 12
        month = (month - 1) % 12 + 1
        first = dt.date(year, month, 1)
        after = dt.date(year + (month + 2) // 12, (month + 2) % 12 + 1, 1)
        return first, after - dt.timedelta(days=1)


def parse_quarter(text: str) -> SchoolQuarter:
    """The quarter named by "2026-Q2", "2026-27 Q2" or "Q2 2026-27"; refused with a sentence."""
    value = (text or "").strip()
    for pattern in _FORMS:
        match = pattern.fullmatch(value)
        if match is None:
            continue
        start = int(match.group("year"))
        following = match.groupdict().get("next")
        if following is not None and (start + 1) % 100 != int(following):
            break
        return SchoolQuarter(start, int(match.group("n")))
    raise RefusedInput(
        f"Name the quarter as 2026-Q2 (the second quarter of the 2026-27 school year), "
        f"not {value!r}."
    )


def quarter_of(day: dt.date) -> SchoolQuarter:
    """The calendar quarter of the school year (from 1 July) that `day` falls in."""
    start = school_year.start_year_of(day)
    months_in = (day.month - 7) % 12
    return SchoolQuarter(start, months_in // 3 + 1)
