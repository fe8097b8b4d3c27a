"""Dates and times as a coach reads them: "Dec 1, 2026", "Tuesday, December 1", "9:30 AM".

The one place that turns dates and times into words for screens, PDFs and the command line, so a
coach sees one style everywhere. Built on Babel's copy of the Unicode CLDR data rather than
`strftime`, whose codes differ between platforms (glibc's dash flag for "no padding" raises
ValueError on Windows) and whose month names follow the laptop's locale. Qt-free: reports/ and
the CLI use it too.

Machine formats (ISO dates in --json, file names, ids, stored answers) stay ISO and are not this
module's business.

Times: a naive datetime is already a wall-clock time where it happened (a visit's `starts_at` is
school-local time) and is shown as it is. An aware datetime (a UTC timestamp such as
`finalized_at`) is shown in the school's time zone when the caller knows it, otherwise in the
laptop's. No text from here names UTC.

Speed: the dates that tables show by the hundred (the caseload's first paint among them) are
written out from en_US's patterns and month and day names as CLDR has them, copied below
(`_EN_US`); a test holds them equal to Babel's for every day of two years. Babel is imported on
the first use of anything else (times, ranges, reading a typed date), off the first paint.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache, lru_cache

#: The locale of every date and time a coach reads. Coaches are US state staff.
LOCALE = "en_US"

Zone = str | dt.tzinfo | None

# CLDR (since v42) puts a narrow no-break space (U+202F) before AM/PM and thin spaces (U+2009)
# around the dash of a range. They are normalised to a plain space: the Windows console's code
# page has no U+202F (printing "9:30 AM" from the CLI would raise UnicodeEncodeError there), a
# coach who copies a time into an email or searches for "9:30 AM" expects a plain space, and the
# PDF font would draw the narrow space but nothing else in our text uses it.
_UNUSUAL_SPACES = str.maketrans({"\u202f": " ", "\u2009": " ", "\u00a0": " "})


def medium_date(day: dt.date) -> str:
    """Dec 1, 2026."""
    return _date_text(_as_date(day), "yMMMd")


def long_date(day: dt.date) -> str:
    """December 1, 2026."""
    return _date_text(_as_date(day), "yMMMMd")


def month_day(day: dt.date) -> str:
    """Dec 1: for lists within one school year, where the year goes without saying."""
    return _date_text(_as_date(day), "MMMd")


def month_name(day: dt.date) -> str:
    """December: the month's full name."""
    return _date_text(_as_date(day), "MMMM")


def weekday_date(day: dt.date, *, year: bool = False) -> str:
    """Tue, Dec 1 (or Tue, Dec 1, 2026 with `year`)."""
    return _date_text(_as_date(day), "yMMMEd" if year else "MMMEd")


def day_heading(day: dt.date, *, year: bool = False) -> str:
    """Tuesday, December 1 (or Tuesday, December 1, 2026 with `year`): a day as a heading."""
    return _date_text(_as_date(day), "yMMMMEEEEd" if year else "MMMMEEEEd")


def clock_time(moment: dt.datetime | dt.time, zone: Zone = None) -> str:
    """9:30 AM, in the school's time zone `zone` (or the laptop's) when `moment` is aware."""
    from babel.dates import format_datetime

    return _clean(format_datetime(_wall(moment, zone), _pattern("hm"), locale=LOCALE))


def date_and_time(moment: dt.datetime, zone: Zone = None) -> str:
    """Dec 1, 2026, 9:30 AM, in the school's time zone `zone` (or the laptop's)."""
    wall = _wall(moment, zone)
    return f"{medium_date(wall.date())}, {clock_time(wall)}"


def time_span(start: dt.datetime, end: dt.datetime | None, zone: Zone = None) -> str:
    """9:30 – 11:00 AM (or 11:30 AM – 1:00 PM); only the start when there is no end."""
    first = _wall(start, zone)
    if end is None:
        return clock_time(first)
    last = _wall(end, zone)
    if last.date() != first.date():
        return f"{clock_time(first)} – {date_and_time(last)}"
    from babel.dates import format_interval

    return _clean(format_interval(first.time(), last.time(), "hm", locale=LOCALE))


def read_date(text: str) -> dt.date | None:
    """The date in what a coach typed, None if there is none.

    Reads the forms this module writes and the usual US ways of typing a date: "Oct 14, 2026",
    "October 14 2026", "14 Oct 2026", "10/14/2026", "2026-10-14". Month names are read in US
    English from the locale data, not by strptime's %b, which follows the laptop's locale (Qt sets
    it from the system on start, so a German laptop would want "Okt").
    """
    typed = text.strip()
    words = " ".join(typed.replace(",", " ").replace(".", " ").split()).casefold()
    try:
        if match := re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", typed):
            month, day, year = (int(g) for g in match.groups())
            return dt.date(year, month, day)
        if match := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", typed):
            year, month, day = (int(g) for g in match.groups())
            return dt.date(year, month, day)
        if match := re.fullmatch(r"([a-z]+) (\d{1,2}) (\d{4})", words):
            name, day_digits, year_digits = match.groups()
        elif match := re.fullmatch(r"(\d{1,2}) ([a-z]+) (\d{4})", words):
            day_digits, name, year_digits = match.groups()
        else:
            return None
        named_month = _month_numbers().get(name)
        if named_month is None:
            return None
        return dt.date(int(year_digits), named_month, int(day_digits))
    except ValueError:  # 31 Feb, month 13
        return None


@cache
def _month_numbers() -> dict[str, int]:
    from babel import Locale

    months = Locale.parse(LOCALE).months["format"]
    names = {
        str(months[width][n]).casefold(): n
        for width in ("abbreviated", "wide")
        for n in months[width]
    }
    names["sept"] = 9  # a common US spelling CLDR's "Sep" does not cover
    return names


def local_date(moment: dt.datetime, zone: Zone = None) -> dt.date:
    """The calendar day of `moment` in the school's time zone `zone` (or the laptop's)."""
    return _wall(moment, zone).date()


def local_moment(moment: dt.datetime, zone: Zone = None) -> dt.datetime:
    """`moment` as the wall-clock time in the school's time zone `zone` (or the laptop's)."""
    return _wall(moment, zone)


def _as_date(day: dt.date) -> dt.date:
    # A datetime is a date too; cache keys and formatting want the plain day.
    return day.date() if isinstance(day, dt.datetime) else day


@lru_cache(maxsize=4096)
def _date_text(day: dt.date, skeleton: str) -> str:
    # Cached: tables repaint the same few hundred dates many times a second while scrolling.
    written = _EN_US.get(skeleton) if LOCALE == "en_US" else None
    if written is not None:
        return _written_out(day, written)
    from babel.dates import format_date

    return _clean(format_date(day, _pattern(skeleton), locale=LOCALE))


# en_US's patterns for the skeletons above and its month and day names, as CLDR (through Babel)
# has them; tests/unit/test_dates_text.py checks them against Babel.
_EN_US = {
    "yMMMd": "MMM d, y",
    "yMMMMd": "MMMM d, y",
    "MMMd": "MMM d",
    "MMMM": "LLLL",
    "MMMEd": "E, MMM d",
    "yMMMEd": "E, MMM d, y",
    "MMMMEEEEd": "EEEE, MMMM d",
    "yMMMMEEEEd": "EEEE, MMMM d, y",
}
_MONTHS = (
    "January February March April May June July August September October November December"
).split()
_MONTHS_SHORT = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
_WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()  # date.weekday()
_WEEKDAYS_SHORT = "Mon Tue Wed Thu Fri Sat Sun".split()
_FIELDS = re.compile(r"MMMM|LLLL|MMM|EEEE|E|d|y")


def _written_out(day: dt.date, pattern: str) -> str:
    """`day` in one of the _EN_US patterns (only the fields they use)."""
    fields = {
        "MMMM": _MONTHS[day.month - 1],
        "LLLL": _MONTHS[day.month - 1],
        "MMM": _MONTHS_SHORT[day.month - 1],
        "EEEE": _WEEKDAYS[day.weekday()],
        "E": _WEEKDAYS_SHORT[day.weekday()],
        "d": str(day.day),
        "y": str(day.year),
    }
    return _FIELDS.sub(lambda field: fields[field.group()], pattern)


@cache
def _pattern(skeleton: str) -> str:
    """The locale's pattern for a CLDR skeleton, its text fields as wide as the skeleton asks.

    Babel picks the nearest pattern CLDR has ("MMMMEEEEd" finds "EEE, MMMM d") but, unlike ICU's
    pattern generator, keeps that pattern's field widths; a heading wants "Tuesday", not "Tue".
    """
    from babel import Locale
    from babel.dates import match_skeleton

    locale = Locale.parse(LOCALE)
    found = match_skeleton(skeleton, locale.datetime_skeletons, allow_different_fields=True)
    if found is None:
        raise ValueError(f"The locale {LOCALE} has no date pattern like {skeleton!r}.")
    pattern = locale.datetime_skeletons[found].pattern
    # A weekday is E (E to EEE all mean "Tue") or a stand-alone c/e; a month is M or a stand-alone
    # L, where one or two letters are a number and three or more a name.
    for asked, fields in (("E", (("E", 1), ("c", 3), ("e", 3))), ("M", (("M", 3), ("L", 3)))):
        wanted = skeleton.count(asked)
        for letter, name_width in fields:
            if wanted >= name_width:
                pattern = _widen(pattern, letter, name_width, wanted)
    return pattern


def _widen(pattern: str, letter: str, name_width: int, width: int) -> str:
    # Only outside quoted literals ('at'), and only fields the pattern already shows as names.
    parts = re.split(r"('[^']*')", pattern)
    field = re.compile(f"{letter}{{{name_width},}}")
    return "".join(p if p.startswith("'") else field.sub(letter * width, p) for p in parts)


def _wall(moment: dt.datetime | dt.time, zone: Zone) -> dt.datetime:
    """The wall-clock reading of `moment`, naive: converted to `zone` (or the laptop's) if aware."""
    if isinstance(moment, dt.time):
        return dt.datetime.combine(dt.date(2000, 1, 1), moment.replace(tzinfo=None))
    if moment.tzinfo is None or moment.utcoffset() is None:
        return moment
    return moment.astimezone(_zone(zone)).replace(tzinfo=None)


def _zone(zone: Zone) -> dt.tzinfo | None:
    """A tzinfo for `zone`; None (the laptop's zone for astimezone) when it is unknown."""
    if zone is None or isinstance(zone, dt.tzinfo):
        return zone
    return _named_zone(zone)


@cache
def _named_zone(name: str) -> dt.tzinfo | None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None  # a school with a misspelt zone still shows times, in the laptop's zone


def _clean(text: str) -> str:
    return text.translate(_UNUSUAL_SPACES)
