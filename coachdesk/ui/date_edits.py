"""Qt's date and time editors showing what dates_text writes: "Dec 1, 2026", "9:30 AM", and
reading what a coach types into the window's date and time inputs (date_input.py).

A QDateTimeEdit needs a Qt display format rather than a Babel one; these are the Qt spellings of
coachdesk.core.dates_text's US forms, so an editor and the text beside it agree.
"""

from __future__ import annotations

import datetime as dt
import re

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QDateTimeEdit

from coachdesk.core import dates_text

# Month names and AM/PM in US English whatever the laptop's own locale, as dates_text does.
US_ENGLISH = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)

DATE = "MMM d, yyyy"  # Dec 1, 2026
DATE_AND_TIME = "ddd, MMM d, yyyy  h:mm AP"  # Tue, Dec 1, 2026  9:30 AM
TIME = "h:mm AP"  # 9:30 AM


def show_as(edit: QDateTimeEdit, display_format: str) -> QDateTimeEdit:
    """Make a date, time or date-and-time editor show US forms; returns the editor."""
    edit.setLocale(US_ENGLISH)
    edit.setDisplayFormat(display_format)
    return edit


# --- reading what a coach types ----------------------------------------------------------------

_WEEKDAY = re.compile(
    r"^(mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?\s+", re.IGNORECASE
)
_RELATIVE = {"today": 0, "t": 0, "tomorrow": 1, "tmrw": 1, "yesterday": -1}


def read_typed_date(text: str, today: dt.date) -> dt.date | None:
    """The date a US coach typed, None if it is not one.

    Reads 11/3/2026, 11/3/26 (20xx), 11-3-2026, 2026-11-03, Nov 3 2026, Nov 3, 2026, November 3,
    3 Nov 2026, Nov 3 (this year), with or without a weekday in front ("Tue, Nov 3, 2026"), and
    the words today, tomorrow and yesterday.
    """
    typed = " ".join(text.strip().split())
    if not typed:
        return None
    word = typed.casefold()
    if word in _RELATIVE:
        return today + dt.timedelta(days=_RELATIVE[word])
    typed = _WEEKDAY.sub("", typed)
    if match := re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{2})", typed):
        month, day, year = (int(g) for g in match.groups())
        return _date(2000 + year, month, day)
    if match := re.fullmatch(r"(\d{1,2})/(\d{1,2})", typed):
        month, day = (int(g) for g in match.groups())
        return _date(today.year, month, day)
    if re.fullmatch(r"[A-Za-z]+\.? \d{1,2}|\d{1,2} [A-Za-z]+\.?", typed.replace(",", "")):
        typed = f"{typed.replace(',', '')} {today.year}"
    return dates_text.read_date(typed)


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:  # Feb 31, month 13
        return None


def read_typed_time(text: str) -> dt.time | None:
    """The time a coach typed, None if it is not one: 9:30, 9:30 AM, 9:30am, 930a, 2 pm, 14:05,
    noon."""
    typed = text.strip().casefold().replace(".", "")
    if typed == "noon":
        return dt.time(12, 0)
    match = re.fullmatch(r"(\d{1,2})(?::?(\d{2}))?\s*(a|p|am|pm)?", typed)
    if match is None:
        return None
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half.startswith("p") else 0)
    elif match.group(2) is None and hour > 23:
        return None
    if hour > 23 or minute > 59:
        return None
    return dt.time(hour, minute)
