"""The school year: which one a day falls in, and how it is written ("2026-27").

The one place for this arithmetic: the programs, the cadence rules, the visit service and the
screens call it. A school year is named by the calendar year it begins in; every shipped
program begins its year on 1 July, and a program's rules may name another first day.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

JULY_FIRST = (7, 1)  # (month, day)


def start_year_of(day: dt.date, first: tuple[int, int] = JULY_FIRST) -> int:
    """The calendar year in which the school year holding `day` began.

    `first` is the (month, day) the school year begins on.
    """
    return day.year if (day.month, day.day) >= first else day.year - 1


def label(start_year: int) -> str:
    """A school year as written in state memos: 2026 -> "2026-27"."""
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def label_of(day: dt.date, first: tuple[int, int] = JULY_FIRST) -> str:
    """The school year `day` falls in, as "2026-27"."""
    return label(start_year_of(day, first))


@cache
def parse(text: str) -> int:
    """The start year of a school year written "2026-27"; ValueError otherwise."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", text.strip())
    if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        raise ValueError(f"{text!r} is not a school year written like 2026-27")
    return int(match.group(1))


def previous(text: str) -> str:
    """The school year before one written "2026-27" (read by its first year): "2025-26"."""
    return label(int(text[:4]) - 1)
