"""The SST quarterly coaching log an OH coach sends OSU for one district: PDF and CSV.

Built from its own frozen dataclasses (oh_coaching_log_source.build_coaching_log_report fills
them from the profile); nothing here reads the database.

Landscape, like the caseload report: a check-in's row carries its date, type, the school's NNPS
stage that day, the topics and the next steps agreed, which read best across one line. Each
school of the district on the caseload has its own section; a school with no check-in in the
quarter says so in words rather than being left out.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from reportlab.lib.pagesizes import LETTER, landscape
from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from coachdesk.reports.caseload_report import TALL_ROW, fit_widths, keep_two_rows, packed_lines
from coachdesk.reports.pdf_layout import (
    MARGIN,
    RenderResult,
    ReportPages,
    SectionTracker,
    Styles,
    long_date,
    render_report,
    short_date,
    text,
)
from coachdesk.reports.sections import section
from coachdesk.reports.tables import Cell, data_table, header_band, warning_cell

PAGE = landscape(LETTER)
CONTENT_WIDTH = PAGE[0] - 2 * MARGIN
NO_CHECK_IN = "No check-in this quarter"
NO_STAGE = "Stage not recorded"
DRAFT_TOPICS = "The note of this check-in is still a draft: finalize it to list its topics."
MUTED_HEX = "#52606D"

# Cells that a spreadsheet would run as a formula (core/caseload_export.py guards the same way).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class CheckIn:
    """One check-in or visit held in the quarter, as the log lists it."""

    day: dt.date
    visit_type: str  # in words: "Check-in", "On-site visit"
    stage: str  # the school's NNPS stage on that day, or "Stage not recorded"
    topics: tuple[str, ...] = ()  # the visit's purpose, then the form's topic fields
    next_steps: tuple[str, ...] = ()  # "Send the roster to ONPS (ATP chair, by Jan 15, 2027)"
    draft: bool = False  # the note of the visit is not finalized yet
    visit_id: str = ""


@dataclass(frozen=True)
class LoggedSchool:
    """A school of the district on the OH NNPS caseload (or the district itself)."""

    name: str
    state_id: str | None  # the IRN
    stage: str  # at the end of the quarter (or today, in a quarter still running)
    check_ins: tuple[CheckIn, ...] = ()
    is_district: bool = False  # check-ins with the district's own partnership lead


@dataclass(frozen=True)
class LoggedFlag:
    """A coaching flag active at some time in the quarter."""

    school: str
    reason: str  # in words: "New leader"
    start: dt.date
    review_by: dt.date | None = None
    ended_on: dt.date | None = None


@dataclass(frozen=True)
class CoachingLogReportData:
    title: str
    org_id: str
    org_name: str
    period: str  # as typed: "2026-Q2"
    period_label: str  # as printed: "Q2 2026-27"
    first_day: dt.date
    last_day: dt.date
    as_of: dt.date  # check-ins after this day (planned ones) are not listed
    schools: tuple[LoggedSchool, ...]
    flags: tuple[LoggedFlag, ...]
    generated_at: dt.datetime
    prepared_by: str
    prepared_by_organization: str = ""
    prepared_by_contact: str = ""  # the coach's work e-mail and phone, as one line
    org_state_id: str | None = None
    due_on: dt.date | None = None  # the day the log is due at OSU
    due_key: str | None = None  # the oh.coaching_log due item that "Mark as submitted" closes
    submitted: bool = False  # the coach recorded the log as sent to OSU
    submitted_on: dt.date | None = None  # the day they said it was sent, when they gave one

    @property
    def check_in_count(self) -> int:
        return sum(len(s.check_ins) for s in self.schools)

    @property
    def draft_count(self) -> int:
        return sum(1 for s in self.schools for c in s.check_ins if c.draft)

    @property
    def prepared_by_line(self) -> str:
        """Name · organization · contact, leaving out what is not recorded."""
        parts = (self.prepared_by, self.prepared_by_organization, self.prepared_by_contact)
        return " · ".join(p for p in parts if p)


def _counted(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


# --- PDF -----------------------------------------------------------------------------------------


def render_coaching_log_report(
    data: CoachingLogReportData, out: str | Path | IO[bytes], *, large_print: bool = False
) -> RenderResult:
    """Write the quarterly coaching log PDF to a path or binary file."""
    pages = ReportPages(
        what="SST quarterly coaching log",
        running_title=f"{data.title} · {data.org_name} · {data.period_label}",
        title=f"{data.title}: {data.org_name}, {data.period_label}",
        author=data.prepared_by,
        subject=f"Check-ins from {long_date(data.first_day)} to {long_date(data.last_day)}",
    )
    return render_report(
        lambda st, tracker: _story(data, st, tracker),
        pages,
        out,
        pagesize=PAGE,
        generated_at=data.generated_at,
        large_print=large_print,
    )


def _story(data: CoachingLogReportData, st: Styles, tracker: SectionTracker) -> list[Flowable]:
    line = f"{long_date(data.first_day)} to {long_date(data.last_day)}"
    if data.due_on:
        line += f" · due at OSU {long_date(data.due_on)}"
    line += (
        f" · {_counted(len(data.schools), 'school')}, {_counted(data.check_in_count, 'check-in')}"
    )
    story: list[Flowable] = [
        header_band(
            "SST quarterly coaching log · OH NNPS",
            f"{data.org_name}: {data.period_label}",
            line,
            CONTENT_WIDTH,
            st,
        ),
        Spacer(1, st.size(6)),
        Paragraph(f"<b>Prepared by</b> {text(data.prepared_by_line)}", st.body),
        Paragraph(
            "For the Ohio Statewide Family Engagement Center at The Ohio State University (OSU)"
            + (f" · District IRN {text(data.org_state_id)}" if data.org_state_id else ""),
            st.small,
        ),
    ]
    notes = []
    if data.submitted:
        on = f" on {long_date(data.submitted_on)}" if data.submitted_on else ""
        notes.append(f"Recorded as sent to OSU{on}.")
    if data.as_of < data.last_day:
        notes.append(
            f"The quarter is still running: check-ins to {long_date(data.as_of)} are listed."
        )
    if data.draft_count:
        notes.append(
            f"{_counted(data.draft_count, 'check-in')} still "
            f"{'has its note' if data.draft_count == 1 else 'have their notes'} in draft, "
            "listed without topics or next steps: finalize before sending."
        )
    if notes:
        story.append(Spacer(1, st.size(4)))
    story += [Paragraph(text(note), st.body) for note in notes]
    if not data.schools:
        story.append(Spacer(1, st.size(6)))
        story.append(
            Paragraph(
                f"No school of {text(data.org_name)} is on the OH NNPS caseload for "
                f"{text(data.period_label.split(' ', 1)[-1])}.",
                st.body,
            )
        )
        return story
    # The overview starts on the first page and runs on: a district of many schools (or large
    # print) would otherwise leave the first page empty under its band.
    story += section("Overview", [keep_two_rows(_overview(data, st))], st, tracker, flow=True)
    for school in data.schools:
        title = school.name + (f" (IRN {school.state_id})" if school.state_id else "")
        if school.check_ins:
            # Two check-ins or more start under their heading wherever it and the first rows
            # fit, and run on, "(continued)" (sections.section): kept whole, a district of 30
            # schools took a page per school. A single check-in moves on with its heading.
            table = _check_in_table(school, st)
            flow = len(table._cellvalues) > 2  # the heading row and two check-ins or more
            story += section(title, [table], st, tracker, flow=flow)
        else:
            story += section(
                title,
                [Paragraph(text(_none_held(school)), st.body)],
                st,
                tracker,
            )
    return story


def _none_held(school: LoggedSchool) -> str:
    if school.stage == NO_STAGE:
        return f"{NO_CHECK_IN}; no NNPS stage is recorded."
    return f"{NO_CHECK_IN} (NNPS stage: {school.stage})."


def _overview(data: CoachingLogReportData, st: Styles) -> Table:
    """A row per school: its stage, how many check-ins, the last one, and its coaching flags
    active in the quarter (the reasons for more frequent coaching, with their dates)."""
    flags: dict[str, list[str]] = {}
    for f in data.flags:
        flags.setdefault(f.school, []).append(_flag_words(f))
    rows = []
    for school in data.schools:
        held = school.check_ins
        rows.append(
            (
                school.name,
                school.stage,
                str(len(held)) if held else warning_cell("None"),
                short_date(held[-1].day) if held else "—",
                _listed(tuple(flags.get(school.name, ()))) or "None",
            )
        )
    stage = (
        f"NNPS stage on {short_date(data.as_of)}"
        if data.as_of < data.last_day
        else "NNPS stage at the end of the quarter"
    )
    headings = ["School", stage, "Check-ins", "Last check-in", "Coaching flags in the quarter"]
    widths = fit_widths(headings, (0.27, 0.18, 0.1, 0.13, 0.32), st, rows, CONTENT_WIDTH)
    return data_table(headings, rows, widths, st)


def _flag_words(flag: LoggedFlag) -> str:
    """ "New leader, since Aug 1, 2026 (review by Jan 31, 2027)" or "..., Sep 1 to Oct 20, 2026"."""
    if flag.ended_on is not None:
        return f"{flag.reason}, {short_date(flag.start)} to {short_date(flag.ended_on)}"
    review = f" (review by {short_date(flag.review_by)})" if flag.review_by else ""
    return f"{flag.reason}, since {short_date(flag.start)}{review}"


def _check_in_table(school: LoggedSchool, st: Styles) -> Table:
    """A row per check-in; one whose topics or next steps would make a row taller than
    TALL_ROW goes on over more rows ("(continued)"), so that every row fits on a page."""
    whole: list[tuple[str | Cell, ...]] = []
    for c in school.check_ins:
        if c.draft:
            topics: str | Cell = Cell(DRAFT_TOPICS, MUTED_HEX)
            steps: str | Cell = Cell("Listed once the note is final", MUTED_HEX)
        else:
            topics = _listed(c.topics) or "—"
            steps = _listed(c.next_steps) or "None agreed"
        whole.append((short_date(c.day), c.visit_type, c.stage, topics, steps))
    headings = ["Date", "Type", "NNPS stage", "Topics", "Next steps"]
    sized = [*whole, ("(continued)", "", "", "", "")]
    widths = fit_widths(headings, (0.11, 0.11, 0.14, 0.34, 0.30), st, sized, CONTENT_WIDTH)
    rows: list[tuple[str | Cell, ...]] = []
    for row in whole:
        day, kind, stage, topics, steps = row
        if isinstance(topics, Cell) or isinstance(steps, Cell):
            rows.append(row)
            continue
        parts_topics = packed_lines(topics, widths[3], st, TALL_ROW)
        parts_steps = packed_lines(steps, widths[4], st, TALL_ROW)
        for k in range(max(len(parts_topics), len(parts_steps))):
            rows.append(
                (
                    day if k == 0 else "(continued)",
                    kind if k == 0 else "",
                    stage if k == 0 else "",
                    parts_topics[k] if k < len(parts_topics) else "",
                    parts_steps[k] if k < len(parts_steps) else "",
                )
            )
    return keep_two_rows(data_table(headings, rows, widths, st))


def _listed(lines: tuple[str, ...]) -> str:
    """Several lines as a list a reader can tell apart when they wrap; one line as it is."""
    if len(lines) < 2:
        return "".join(lines)
    return "\n".join(f"• {line}" for line in lines)


# --- CSV -----------------------------------------------------------------------------------------

CSV_COLUMNS = (
    "District",
    "District IRN",
    "Quarter",
    "School",
    "School IRN",
    "Date",
    "Type",
    "NNPS stage",
    "Topics",
    "Next steps",
    "Note",
)


def csv_rows(data: CoachingLogReportData) -> list[tuple[str, ...]]:
    """One row per check-in, and one per school with none (Type: "No check-in this quarter")."""
    rows: list[tuple[str, ...]] = []
    head = (data.org_name, data.org_state_id or "", data.period_label)
    for school in data.schools:
        where = (school.name, school.state_id or "")
        if not school.check_ins:
            rows.append((*head, *where, "", NO_CHECK_IN, school.stage, "", "", ""))
        for c in school.check_ins:
            rows.append(
                (
                    *head,
                    *where,
                    c.day.isoformat(),
                    c.visit_type,
                    c.stage,
                    "\n".join(c.topics),
                    "\n".join(c.next_steps),
                    "Draft: topics and next steps not listed" if c.draft else "Final",
                )
            )
    return rows


def write_coaching_log_csv(data: CoachingLogReportData, out: str | Path | IO[str]) -> None:
    """Write the log as CSV to a path (UTF-8 with BOM, for Excel; via a temporary file) or to
    an open text stream."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in csv_rows(data):
        writer.writerow([_cell(value) for value in row])
    if not isinstance(out, (str, Path)):
        out.write(buffer.getvalue())
        return
    target = Path(out)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        temporary.write_bytes(buffer.getvalue().encode("utf-8-sig"))
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _cell(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value
