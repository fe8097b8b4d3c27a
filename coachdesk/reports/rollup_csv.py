"""The roll-up as a CSV table: one row per school (or district) line, then one total row per
coach, with a Line column saying which is which. Written from `Rollup`, which shows no answer
text and counts no students; as of and prepared by are on every row, so a row copied elsewhere
still says when it was true and who prepared it.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import IO

from coachdesk.reports.rollup_data import CoachLine, IndicatorCounts, Rollup, SchoolLine

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_HEADER = (
    "Line",
    "Coach",
    "Region",
    "Program",
    "District",
    "School",
    "Last final visit",
    "Visits this month",
    "Expected this month",
    "Cadence",
    "Overdue",
    "Met",
    "On track",
    "At risk",
    "No data",
    "Suppressed",
    "NNPS stage",
    "MA phase",
    "PM meetings held",
    "As of",
    "Prepared by",
)
LINE_WORDS = {"school": "School", "district": "District"}
COACH_TOTAL = "Coach total"


def write_rollup_csv(rollup: Rollup, out: str | Path | IO[str]) -> int:
    """Write the roll-up as CSV; returns the rows written (not counting the header).

    A path gets UTF-8 with a byte-order mark (so Excel reads the accents); a text stream gets
    the text as is. Cells that a spreadsheet would run as a formula start with an apostrophe.
    """
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    rows = rollup_rows(rollup)
    for row in rows:
        writer.writerow([_guarded(_cell(v)) for v in row])
    content = buffer.getvalue()
    if isinstance(out, (str, Path)):
        Path(out).write_bytes(("\ufeff" + content).encode("utf-8"))
    else:
        out.write(content)
    return len(rows)


def rollup_rows(rollup: Rollup) -> list[tuple]:
    """The CSV's rows as values (None for an empty cell), school lines first, then coaches."""
    tail = (rollup.as_of.isoformat(), rollup.prepared_by)
    rows: list[tuple] = [_school_row(s) + tail for s in rollup.schools]
    rows += [_coach_row(c) + tail for c in rollup.coaches]
    return rows


def _counts(c: IndicatorCounts) -> tuple:
    return (c.met, c.on_track, c.at_risk, c.no_data, c.suppressed)


def _school_row(s: SchoolLine) -> tuple:
    return (
        LINE_WORDS.get(s.kind, s.kind),
        s.coach,
        s.region,
        s.program,
        s.district,
        s.school,
        s.last_final_visit,
        s.visits_this_month,
        s.visits_expected_this_month,
        s.cadence,
        s.overdue,
        *_counts(s.indicators),
        s.nnps_stage,
        s.ma_phase,
        s.pm_meetings_held,
    )


def _coach_row(c: CoachLine) -> tuple:
    return (
        COACH_TOTAL,
        c.coach,
        c.region,
        None,
        None,
        f"{c.schools} school{'' if c.schools == 1 else 's'}",
        c.last_final_visit,
        c.visits_this_month,
        c.visits_expected_this_month,
        None,
        c.overdue,
        *_counts(c.indicators),
        None,
        None,
        c.pm_meetings_held,
    )


def _cell(value: object) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def _guarded(value: str) -> str:
    # A spreadsheet runs a cell that starts like a formula; a leading apostrophe shows it as text.
    if value.startswith(_FORMULA_START) and not _is_number(value):
        return "'" + value
    return value


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True
