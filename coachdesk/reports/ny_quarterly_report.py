"""The NY quarterly progress report a School Support Partner sends OISR for one school.

Portrait, in the house style: a header band and the report's facts (school, BEDS code, district,
quarter and its days, who prepared it), then the DII table, the quarter's visits, what the notes
say about the lead strategies, the open next steps, and a few lines on how the report was made.
Built from frozen data (ny_quarterly_source.py fills it); nothing here reads the profile.

The CSV is one table for a spreadsheet: a `section` column (Report, DII, Visit, Lead strategy,
Next step, Note) and the same columns on every row, each used by the sections it fits.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from coachdesk.reports.pdf_layout import (
    FONT,
    FONT_BOLD,
    MARGIN,
    RenderResult,
    ReportPages,
    SectionTracker,
    Styles,
    long_date,
    render_report,
    short_date,
    text,
    timestamp,
)
from coachdesk.reports.sections import section
from coachdesk.reports.tables import (
    STATUS_COLOURS,
    Cell,
    data_table,
    header_band,
    status_cell,
    warning_cell,
)

PAGE = LETTER
CONTENT_WIDTH = PAGE[0] - 2 * MARGIN
STATUS_KEYS = {"on track": "on-track", "at risk": "at-risk", "no data": "no-data"}
STATUS_WORDS = {"pending": "No window yet", "no target": "No target", "suppressed": "Suppressed"}
NOTE_WORDS = {"final": "Final", "draft": "Draft: not final, not reported", "planned": "Planned"}
# A spreadsheet runs a cell that starts like a formula; a leading apostrophe shows it as text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_COLUMNS = (
    "section",
    "date",
    "item",
    "detail",
    "status",
    "owner",
    "due",
    "baseline",
    "target",
    "goal",
    "latest",
    "n",
)


@dataclass(frozen=True)
class DiiRow:
    """One Demonstrable Improvement Indicator as the quarter ends."""

    code: str
    name: str
    subgroup: str
    kind: str  # Assigned | Selected | Local
    baseline: str
    target: str
    goal: str  # the goal of the quarter's checkpoint
    latest: str  # the value, "Suppressed" or "No measurement"
    latest_on: dt.date | None
    n: str  # "n = 319", "fewer than 10 students", "not shown" or ""
    status: str  # met | not met | on track | at risk | no data | pending | no target | suppressed
    reason: str  # why that status ("" when suppressed: the reason names the value)
    suppressed: str | None = None  # None | "small" | "complementary"


@dataclass(frozen=True)
class QuarterVisit:
    day: dt.date
    type_label: str
    purpose: str  # from a final note only
    status: str  # final | draft | planned


@dataclass(frozen=True)
class StrategyNote:
    """What a final note says about the lead strategies."""

    day: dt.date
    title: str  # the form field's label, e.g. "Lead strategies discussed"
    text: str
    purpose_tied: bool  # the visit's purpose included the lead strategies
    progress: str  # the note's overall progress rating, or ""


@dataclass(frozen=True)
class QuarterNextStep:
    action: str
    owner: str
    due: dt.date | None
    agreed_on: dt.date
    overdue: bool


@dataclass(frozen=True)
class Submitted:
    """The report was marked submitted (on that day, when the coach gave one)."""

    on: dt.date | None = None


@dataclass(frozen=True)
class QuarterlyReportData:
    title: str
    org_id: str
    org_name: str
    beds_code: str | None
    district: str
    program_name: str
    receivership_year: int | None
    period: str  # "2026-Q2"
    period_label: str  # "Q2 2026-27"
    quarter_name: str  # "Q2 (Mid-Year) 2026-27"
    starts: dt.date
    ends: dt.date
    as_of: dt.date  # the quarter's end, or today while it is under way
    window_note: str  # which days the quarter covers, and why those
    report_due: dt.date | None
    due_note: str
    submitted: Submitted | None
    due_key: str | None  # the due item "Mark as submitted" closes
    prepared_by: str
    organization: str
    contact: str
    generated_at: dt.datetime
    checkpoint_heading: str  # "Mid-year goal"
    checkpoint_note: str
    threshold: int
    diis: tuple[DiiRow, ...]
    visits: tuple[QuarterVisit, ...]
    strategies: tuple[StrategyNote, ...]
    next_steps: tuple[QuarterNextStep, ...]
    draft_notes: int
    # The report's headings under which a possible student identifier was masked (masking.py).
    masked: tuple[str, ...] = ()

    def facts(self) -> list[tuple[str, str]]:
        """The report's header facts as (label, value), in print order."""
        due = short_date(self.report_due, "No date in the rules")
        if self.submitted is not None:
            on = f" on {short_date(self.submitted.on)}" if self.submitted.on else ""
            due += f" (marked submitted{on})"
        found = [
            ("School", self.org_name),
            ("BEDS code", self.beds_code or "Not recorded"),
            ("District", self.district or "No district recorded"),
        ]
        if self.receivership_year:
            found.append(("Receivership year", f"Year {self.receivership_year}"))
        found += [
            ("Quarter", self.quarter_name),
            ("Covers", f"{short_date(self.starts)} to {short_date(self.ends)}"),
            ("Values as of", short_date(self.as_of)),
            ("Report due to OISR", due),
            ("Prepared by", self.prepared_by or "Not recorded"),
            ("Organization", self.organization or "Not recorded"),
            ("Contact", self.contact or "Not recorded"),
            ("Generated", timestamp(self.generated_at)),
        ]
        return found

    def visit_count_sentence(self) -> str:
        """ "3 visits held: 2 with final notes, 1 draft (...); 1 more planned."."""
        if not self.visits:
            return "No visit is recorded at this school in the quarter."
        held = [v for v in self.visits if v.status != "planned"]
        finals = sum(1 for v in held if v.status == "final")
        sentence = f"{_count(len(held), 'visit held', 'visits held')}: "
        sentence += _count(finals, "with a final note", "with final notes")
        if self.draft_notes:
            whose = "its note" if self.draft_notes == 1 else "their notes"
            sentence += (
                f", {_count(self.draft_notes, 'draft', 'drafts')} (not final, so nothing of"
                f" {whose} is reported)"
            )
        planned = len(self.visits) - len(held)
        if planned:
            sentence += f"; {planned} more planned"
        return sentence + "."

    def strategy_sentence(self) -> str:
        said = (
            "Below is what this quarter's final visit notes say about the lead strategies."
            if self.strategies
            else "No final visit note this quarter records progress on the lead strategies."
        )
        return (
            "coachdesk holds no Continuation Plan or lead-strategy records for this school. " + said
        )

    def notes(self) -> list[str]:
        """How the report was made, for its last lines."""
        found = [self.window_note]
        if self.due_note:
            found.append(self.due_note)
        if self.as_of < self.ends:
            found.append(
                f"The quarter is still under way: values are as of {long_date(self.as_of)}."
            )
        found.append(
            f"A value from fewer than {self.threshold} students is suppressed, with its status;"
            " where one subgroup of a measure is suppressed, the next-smallest is too, so it"
            " cannot be worked out from the rest."
        )
        if self.checkpoint_note:
            found.append(self.checkpoint_note)
        return found


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


# --- PDF ------------------------------------------------------------------------------------------


def render_quarterly_report(
    data: QuarterlyReportData, out: str | Path | IO[bytes], *, large_print: bool = False
) -> RenderResult:
    """Write the quarterly progress report PDF to a path or binary file."""
    pages = ReportPages(
        what="NY quarterly progress report",
        running_title=f"{data.org_name} · {data.quarter_name} progress report",
        title=f"{data.org_name}: {data.quarter_name} progress report",
        author=data.prepared_by,
        subject=f"NY Receivership quarterly progress report for OISR, {data.period_label}",
    )
    return render_report(
        lambda st, tracker: _story(data, st, tracker),
        pages,
        out,
        pagesize=PAGE,
        generated_at=data.generated_at,
        large_print=large_print,
    )


def _story(data: QuarterlyReportData, st: Styles, tracker: SectionTracker) -> list[Flowable]:
    line = f"{long_date(data.starts)} to {long_date(data.ends)}"
    if data.report_due is not None:
        line += f" · Due to OISR {long_date(data.report_due)}"
    story: list[Flowable] = [
        header_band(
            f"{data.program_name} · Report to OISR",
            f"{data.quarter_name} progress report: {data.org_name}",
            line,
            CONTENT_WIDTH,
            st,
        ),
        Spacer(1, st.size(6)),
        _facts_grid(data, st),
    ]
    story += section("Demonstrable Improvement Indicators", _dii_body(data, st), st, tracker)
    story += section("Visits this quarter", _visits_body(data, st), st, tracker)
    story += section("Lead-strategy progress", _strategy_body(data, st), st, tracker)
    story += section("Open next steps", _steps_body(data, st), st, tracker)
    notes: list[Flowable] = []
    for note in data.notes():
        notes += [Paragraph(text(note), st.small), Spacer(1, st.size(3))]
    story += section("About this report", notes, st, tracker)
    return story


def _facts_grid(data: QuarterlyReportData, st: Styles) -> Flowable:
    """The facts in two label-value pairs a row; in large print, one pair a row."""
    facts = data.facts()
    pairs = 1 if st.scale > 1 else 2
    per_column = (len(facts) + pairs - 1) // pairs
    columns = [facts[i * per_column : (i + 1) * per_column] for i in range(pairs)]
    rows = []
    for index in range(per_column):
        cells: list[Flowable | str] = []
        for column in columns:
            if index < len(column):
                label, value = column[index]
                cells += [Paragraph(text(label), st.label), Paragraph(text(value), st.cell)]
            else:
                cells += ["", ""]
        rows.append(cells)
    shares = (0.27, 0.73) if pairs == 1 else (0.15, 0.35, 0.15, 0.35)
    widths = [CONTENT_WIDTH * w for w in shares]
    grid = Table(rows, colWidths=widths)
    grid.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), st.size(6)),
                ("TOPPADDING", (0, 0), (-1, -1), st.size(1.5)),
                ("BOTTOMPADDING", (0, 0), (-1, -1), st.size(1.5)),
            ]
        )
    )
    grid.hAlign = "LEFT"
    return grid


def _dii_body(data: QuarterlyReportData, st: Styles) -> list[Flowable]:
    if not data.diis:
        return [Paragraph("No DIIs are recorded for this school yet.", st.body)]
    # In large print the three goals share a column, so that six columns do not crush the words.
    large = st.scale > 1
    rows: list[tuple[str | Cell, ...]] = []
    for row in data.diis:
        about = f"{row.name}\n{row.code} · {row.kind} · {row.subgroup}"
        latest = row.latest
        for detail in (short_date(row.latest_on, ""), row.n):
            if detail:
                latest += "\n" + detail
        if large:
            goals = f"Baseline {row.baseline}\nTarget {row.target}"
            goals += f"\n{data.checkpoint_heading.removesuffix(' goal')} {row.goal}"
            rows.append((about, goals, latest, _status(row)))
        else:
            rows.append((about, row.baseline, row.target, row.goal, latest, _status(row)))
    if large:
        headings = ["DII", "Baseline, target and goal", "Latest", "Status"]
        shares: tuple[float, ...] = (0.34, 0.28, 0.22, 0.16)
    else:
        headings = ["DII", "Baseline", "Annual target", data.checkpoint_heading, "Latest", "Status"]
        shares = (0.32, 0.1, 0.12, 0.12, 0.19, 0.15)
    widths = fitted(headings, rows, [CONTENT_WIDTH * w for w in shares], st)
    intro = Paragraph(
        text(
            f"Latest values as of {long_date(data.as_of)}; a value from fewer than"
            f" {data.threshold} students is suppressed."
        ),
        st.small,
    )
    return [data_table(headings, rows, widths, st), intro]


def fitted(
    headings: list[str],
    rows: Sequence[Sequence[object]],
    widths: list[float],
    st: Styles,
    *,
    flexible: int = 0,
) -> list[float]:
    """Column widths in which no word is broken: a column too narrow for its longest word
    takes the room from the `flexible` one (the column of running text)."""
    side = 2 * st.size(4) * 1.2 + 1
    needed = []
    for column, heading in enumerate(headings):
        longest = max(
            (stringWidth(w, FONT_BOLD, st.cell_head.fontSize) for w in heading.split()), default=0
        )
        for row in rows:
            cell = row[column]
            value, font = (
                (cell.text, FONT_BOLD if cell.bold else FONT)
                if isinstance(cell, Cell)
                else (str(cell), FONT)
            )
            for word in value.split():
                longest = max(longest, stringWidth(word, font, st.cell.fontSize))
        needed.append(longest + side)
    found = list(widths)
    for column in range(len(found)):
        extra = needed[column] - found[column]
        if column != flexible and extra > 0:
            found[column] += extra
            found[flexible] -= extra
    return found


def _status(row: DiiRow) -> Cell:
    if row.status == "suppressed":
        return Cell("Suppressed", STATUS_COLOURS["no-data"], bold=True)
    words = STATUS_WORDS.get(row.status)
    return Cell(words, bold=True) if words else status_cell(STATUS_KEYS.get(row.status, row.status))


def _visits_body(data: QuarterlyReportData, st: Styles) -> list[Flowable]:
    lead_in = ParagraphStyle("lead_in", parent=st.body, keepWithNext=1)
    body: list[Flowable] = [Paragraph(text(data.visit_count_sentence()), lead_in)]
    if not data.visits:
        return body
    rows = [
        (
            short_date(v.day),
            v.type_label,
            v.purpose or ("—" if v.status == "final" else ""),
            Cell(NOTE_WORDS[v.status], bold=v.status == "draft"),
        )
        for v in data.visits
    ]
    headings = ["Date", "Visit", "Purpose", "Note"]
    shares = (0.15, 0.2, 0.45, 0.2)
    widths = fitted(headings, rows, [CONTENT_WIDTH * w for w in shares], st, flexible=2)
    body.append(data_table(headings, rows, widths, st))
    return body


def _strategy_body(data: QuarterlyReportData, st: Styles) -> list[Flowable]:
    body: list[Flowable] = [Paragraph(text(data.strategy_sentence()), st.body)]
    for note in data.strategies:
        heading = f"{short_date(note.day)} · {note.title}"
        # One note stays whole: its date, its words and what the visit said of progress.
        parts: list[Flowable] = [
            Paragraph(text(heading), st.subheading),
            Paragraph(text(note.text), st.body),
        ]
        details = []
        if note.purpose_tied:
            details.append("The visit's purpose included the lead strategies.")
        if note.progress:
            details.append(f"Overall progress toward the year's goals: {note.progress}.")
        if details:
            parts.append(Paragraph(text(" ".join(details)), st.small))
        body.append(KeepTogether(parts))
    return body


def _steps_body(data: QuarterlyReportData, st: Styles) -> list[Flowable]:
    if not data.next_steps:
        return [Paragraph("No next step agreed at this quarter's visits is still open.", st.body)]
    rows = []
    for step in data.next_steps:
        if step.overdue:
            status: Cell | str = warning_cell("Overdue")
        else:
            status = "Open"
        rows.append(
            (
                step.action,
                step.owner or "—",
                short_date(step.agreed_on),
                short_date(step.due),
                status,
            )
        )
    headings = ["Next step", "Owner", "Agreed", "Due", "Status"]
    widths = fitted(headings, rows, [CONTENT_WIDTH * w for w in (0.4, 0.18, 0.14, 0.14, 0.14)], st)
    return [data_table(headings, rows, widths, st)]


# --- CSV ------------------------------------------------------------------------------------------


def write_quarterly_csv(data: QuarterlyReportData, out: str | Path | IO[str]) -> None:
    """Write the report as one CSV table; a path gets UTF-8 with a BOM (for Excel)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in csv_rows(data):
        writer.writerow([_guard(value) for value in row])
    if isinstance(out, (str, Path)):
        Path(out).write_bytes(("\ufeff" + buffer.getvalue()).encode("utf-8"))
    else:
        out.write(buffer.getvalue())


def csv_rows(data: QuarterlyReportData) -> list[tuple[str, ...]]:
    """Every row of the CSV after its heading, each as long as CSV_COLUMNS."""

    def row(section_name: str, **cells: str) -> tuple[str, ...]:
        return (section_name, *(cells.get(c, "") for c in CSV_COLUMNS[1:]))

    rows = [row("Report", item=label, detail=value) for label, value in data.facts()]
    for dii in data.diis:
        rows.append(
            row(
                "DII",
                date=_iso(dii.latest_on),
                item=f"{dii.code}: {dii.name}",
                detail=f"{dii.kind} · {dii.subgroup}",
                status=STATUS_WORDS.get(dii.status, dii.status.capitalize()),
                baseline=dii.baseline,
                target=dii.target,
                goal=f"{data.checkpoint_heading}: {dii.goal}",
                latest=dii.latest,
                n=dii.n,
            )
        )
    for visit in data.visits:
        rows.append(
            row(
                "Visit",
                date=_iso(visit.day),
                item=visit.type_label,
                detail=visit.purpose,
                status=NOTE_WORDS[visit.status],
            )
        )
    if not data.strategies:
        rows.append(row("Lead strategy", detail=data.strategy_sentence()))
    for note in data.strategies:
        rows.append(
            row(
                "Lead strategy",
                date=_iso(note.day),
                item=note.title,
                detail=note.text,
                status=note.progress,
            )
        )
    for step in data.next_steps:
        rows.append(
            row(
                "Next step",
                date=_iso(step.agreed_on),
                item=step.action,
                owner=step.owner,
                due=_iso(step.due),
                status="Overdue" if step.overdue else "Open",
            )
        )
    rows += [row("Note", detail=note) for note in data.notes()]
    return rows


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def _guard(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value
