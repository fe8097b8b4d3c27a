"""What the MA progress-monitoring report for the DILT holds: frozen plain data, no database.

Built by `coachdesk/reports/ma_dilt_source.py`, drawn by `coachdesk/reports/ma_dilt_report.py`.
Small cells arrive already suppressed (a suppressed benchmark result carries neither its value
nor its n) and a learning walk with too few classrooms arrives without percentages, so nothing
that draws or exports this data can print what must not be printed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# The report's two windows as a coach names them, and the rules file's id for each
# (resources/rules/ma_ssos.toml [pm_windows]).
WINDOWS = {"mid": "mid", "end": "eoy"}
WINDOW_WORDS = {"mid": "Mid-year", "end": "End of year"}


def percent(share: float | None) -> str:
    """A share as a whole percentage ("40%"), or "—" when there is none."""
    return "—" if share is None else f"{round(share * 100)}%"


@dataclass(frozen=True)
class PriorityStatus:
    """The district's Instructional Priority for the year, as the DILT checks it."""

    recorded: bool  # False: no Instructional Priority is recorded for the year
    statement: str
    phase: str  # the partnership phase(s) on the report's day, e.g. "Phases 2 & 3: ..."
    checklist: tuple[tuple[str, bool], ...]  # phase 1 steps: (label, done)
    focus_groups: tuple[str, ...]  # student groups the priority centers: All, ML, SWD
    dilt_focus: str = ""


@dataclass(frozen=True)
class ResultCell:
    """One student group's benchmark result at one checkpoint, already suppressed if small."""

    result: str  # "62%", "suppressed", "no data", "—"
    n: int | None
    status: str  # met, on track, at risk, no data, suppressed, not set

    @property
    def suppressed(self) -> bool:
        return self.status == "suppressed"


@dataclass(frozen=True)
class BenchmarkLine:
    """One school (or the district itself) at one checkpoint of one benchmark."""

    org_name: str
    is_district: bool
    checkpoint: str  # "Early", "Mid-year", "End of year"
    cells: tuple[ResultCell, ...]  # one per group, in the table's group order


@dataclass(frozen=True)
class Benchmark:
    code: str
    name: str
    lines: tuple[BenchmarkLine, ...]


@dataclass(frozen=True)
class BenchmarkTable:
    groups: tuple[str, ...]  # the columns, All first
    checkpoints: tuple[str, ...]  # the checkpoints shown, in words
    min_n: int  # results from fewer students are suppressed
    benchmarks: tuple[Benchmark, ...]

    @property
    def suppressed(self) -> int:
        return sum(
            1 for b in self.benchmarks for line in b.lines for c in line.cells if c.suppressed
        )


@dataclass(frozen=True)
class LookFor:
    """One look-for across the walks counted so far this year (aggregates only)."""

    number: int  # its column in the walk table
    label: str
    walks: int  # counted walks that rated it
    classrooms: int  # classrooms where it applied, across those walks
    observed: float | None  # share observed, 0..1; None when no classroom was rated
    partly: float | None


@dataclass(frozen=True)
class WalkRow:
    """One learning walk: its date, school, classrooms and a share observed per look-for."""

    day: dt.date
    school: str
    classrooms: int
    counted: bool  # False: fewer classrooms than the minimum, so no percentage is shown
    # Per look-for, in LookFor order; None when not counted, or rated in too few classrooms.
    observed: tuple[float | None, ...]
    rated: tuple[int, ...] = ()  # classrooms where each look-for applied (a count, no rating)


@dataclass(frozen=True)
class WalkTrends:
    minimum: int  # a walk with fewer classrooms contributes no percentage
    look_fors: tuple[LookFor, ...]
    walks: tuple[WalkRow, ...]  # by date
    drafts_left_out: int  # walks whose note is still a draft


@dataclass(frozen=True)
class ActionStep:
    text: str
    owner: str
    due: dt.date | None
    org_name: str
    agreed_on: dt.date  # the day of the visit that agreed it
    overdue: bool


@dataclass(frozen=True)
class PmMeeting:
    day: dt.date
    org_name: str
    minutes: int | None
    held: bool  # its note exists and its day has come
    long_enough: bool  # at least the rule's minimum


@dataclass(frozen=True)
class DiltReportData:
    title: str
    org_id: str
    org_name: str  # the district
    school_year: str  # "2026-27"
    window: str  # "mid" or "end"
    period: str  # "2026-27 mid"
    period_label: str  # "Mid-year 2026-27"
    window_name: str  # the rules' name: "mid-year", "end-of-year"
    window_start: dt.date
    window_end: dt.date
    as_of: dt.date  # the window's end, or today while the window runs
    prepared_by: str
    prepared_organization: str
    prepared_contact: str
    generated_at: dt.datetime
    due_key: str | None  # the ma.pm_window item listed for the district and window
    priority: PriorityStatus
    benchmarks: BenchmarkTable
    walks: WalkTrends
    action_steps: tuple[ActionStep, ...]
    pm_meetings: tuple[PmMeeting, ...]
    pm_minimum: int  # minutes a PM meeting lasts at least (the rule)
    schools: tuple[str, ...] = ()  # the district's schools in the program

    @property
    def pm_met(self) -> bool:
        """Whether a PM meeting of the required length was held in the window."""
        return any(m.held and m.long_enough for m in self.pm_meetings)

    @property
    def prepared_line(self) -> str:
        """ "Jordan Ellery, Northeast Coaching Partners · jordan@... · 617-555-0100"."""
        who = ", ".join(p for p in (self.prepared_by, self.prepared_organization) if p)
        return " · ".join(p for p in (who, self.prepared_contact) if p)
