"""The MA progress-monitoring report for the DILT, as a PDF (and, from ma_dilt_csv.py, a CSV).

Portrait, like the visit summary, because the DILT reads it as a document: the Instructional
Priority first, then the district's benchmark table by school and student group, learning-walk
trends, action steps and the window's PM meetings. Drawn from `DiltReportData`
(coachdesk/reports/ma_dilt_data.py), with no database; the data arrives already suppressed.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from coachdesk.reports.ma_dilt_csv import write_dilt_csv
from coachdesk.reports.ma_dilt_data import DiltReportData, ResultCell, WalkTrends, percent
from coachdesk.reports.pdf_layout import (
    FONT,
    MARGIN,
    RenderResult,
    ReportPages,
    SectionTracker,
    Styles,
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
    keep_rows,
    warning_cell,
)

PAGE = LETTER
CONTENT_WIDTH = PAGE[0] - 2 * MARGIN
# Look-for columns per walk table: more would squeeze the percentages below a readable width.
LOOK_FORS_PER_TABLE = 5
# Characters printed of a long text before it is shortened, so that a row or a block never
# outgrows a page (a table row cannot break across pages).
STEP_LIMIT = 400
OWNER_LIMIT = 120
FOCUS_LIMIT = 800
STATEMENT_LIMIT = 3000
_STATUS_WORDS = {
    "met": "Met",
    "on track": "On track",
    "at risk": "At risk",
    "no data": "No data",
    "suppressed": "Suppressed",
    "not set": "Not set",
}
_MUTED = "#52606D"

__all__ = ["render_dilt_report", "write_dilt_csv"]


def render_dilt_report(
    data: DiltReportData, out: str | Path | IO[bytes], *, large_print: bool = False
) -> RenderResult:
    """Write the DILT's progress-monitoring report PDF to a path or binary file."""
    pages = ReportPages(
        what=f"DILT progress monitoring, {data.period_label}",
        running_title=f"{data.org_name} · {data.period_label} · Progress monitoring for the DILT",
        title=f"{data.title}: {data.org_name}, {data.period_label}",
        author=data.prepared_by,
        subject=f"MA SSoS progress monitoring, {data.window_name} window of {data.school_year}",
    )
    return render_report(
        lambda st, tracker: _story(data, st, tracker),
        pages,
        out,
        pagesize=PAGE,
        generated_at=data.generated_at,
        large_print=large_print,
    )


def _story(data: DiltReportData, st: Styles, tracker: SectionTracker) -> list[Flowable]:
    window = (
        f"{data.window_name.capitalize()} window {short_date(data.window_start)} to "
        f"{short_date(data.window_end)}"
    )
    story: list[Flowable] = [
        header_band(
            f"MA SSoS · District Instructional Leadership Team · {data.school_year}",
            f"{data.org_name}: {data.period_label} progress monitoring",
            f"{window} · {_as_of(data)}",
            CONTENT_WIDTH,
            st,
        ),
        Spacer(1, st.size(5)),
        _facts(
            [
                ("Prepared by", data.prepared_line or "—"),
                ("Schools", ", ".join(data.schools) or "None assigned"),
                ("Generated", timestamp(data.generated_at)),
            ],
            st,
        ),
    ]
    story += section("Instructional Priority", _priority(data, st), st, tracker)
    # Not `flow`: each heading, its introduction and its first table stay together.
    story += section("Benchmark results", _benchmarks(data, st), st, tracker)
    story += section("Learning-walk trends", _walks(data, st), st, tracker)
    story += section("Action steps", _action_steps(data, st), st, tracker, flow=True)
    story += section("Progress-monitoring meetings", _meetings(data, st), st, tracker)
    return story


def _table(
    headings: list[str],
    rows: list[tuple],
    widths: list[float],
    st: Styles,
    *,
    numeric_from: int | None = None,
) -> Table:
    """The house table, split across pages only where two rows or more stay on each side:
    never a page holding one lonely row."""
    return keep_rows(data_table(headings, rows, widths, st, numeric_from=numeric_from))


def shortened(value: str, limit: int, where: str) -> str:
    """A long text cut at a word before `limit` characters, saying where the rest is."""
    value = value.strip()
    if len(value) <= limit:
        return value
    cut = value[:limit].rsplit(" ", 1)[0].rstrip(" ,;:.")
    return f"{cut}… (shortened here; the full text is in {where})"


def _as_of(data: DiltReportData) -> str:
    if data.as_of < data.window_start:
        return f"Prepared before the window opens: data as of {short_date(data.as_of)}"
    return f"Data as of {short_date(data.as_of)}"


def _kept(style: ParagraphStyle) -> ParagraphStyle:
    """The style of a line that introduces a table: never left alone at the foot of a page."""
    return ParagraphStyle(f"{style.name}_kept", parent=style, keepWithNext=1)


def _facts(pairs: list[tuple[str, str]], st: Styles) -> Flowable:
    """Label and value lines, as a borderless two-column table that wraps long values."""
    from reportlab.platypus import TableStyle

    label_width = st.size(82)
    rows = [
        [Paragraph(text(label), st.label), Paragraph(text(value), st.body)]
        for label, value in pairs
    ]
    table = Table(rows, colWidths=[label_width, CONTENT_WIDTH - label_width])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), st.size(4)),
                ("TOPPADDING", (0, 0), (-1, -1), st.size(1.5)),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (0, -1), st.size(3)),
            ]
        )
    )
    table.hAlign = "LEFT"
    return table


def _priority(data: DiltReportData, st: Styles) -> list[Flowable]:
    ip = data.priority
    if not ip.recorded:
        body: list[Flowable] = [
            Paragraph(
                f"No Instructional Priority is recorded for {data.school_year}: record it on the"
                " district's page so the DILT can monitor progress against it.",
                st.body,
            )
        ]
    else:
        statement = shortened(
            ip.statement, STATEMENT_LIMIT, "the district's Instructional Priority"
        )
        body = [Paragraph(text(statement or "The statement is not written yet."), st.body)]
    done = [label for label, ok in ip.checklist if ok]
    open_steps = [label for label, ok in ip.checklist if not ok]
    checklist = (
        "Complete: " + "; ".join(done)
        if not open_steps
        else ("Done: " + "; ".join(done) + ". " if done else "")
        + "Not yet done: "
        + "; ".join(open_steps)
        + "."
    )
    pairs = [("Phase", ip.phase), ("Phase 1 checklist", checklist)]
    if ip.focus_groups:
        pairs.append(("Focus groups", ", ".join(_group_words(g) for g in ip.focus_groups)))
    if ip.dilt_focus:
        pairs.append(("DILT focus", shortened(ip.dilt_focus, FOCUS_LIMIT, "the priority's record")))
    body.append(_facts(pairs, st))
    return body


def _group_words(group: str) -> str:
    return {
        "All": "All students",
        "ML": "Multilingual learners (ML)",
        "SWD": "Students with disabilities (SWD)",
    }.get(group, group)


def _benchmarks(data: DiltReportData, st: Styles) -> list[Flowable]:
    table = data.benchmarks
    if not table.benchmarks:
        return [
            Paragraph(
                f"No benchmarks are recorded for {data.org_name} in {data.school_year}: set them"
                " on the schools' pages (Indicators, origin benchmark) to see results here.",
                st.body,
            )
        ]
    checkpoints = " and ".join(c.lower() for c in table.checkpoints)
    intro = (
        f"By school and student group: each school's latest result at the {checkpoints}"
        f" checkpoints, as of {short_date(data.as_of)}, with its status against the checkpoint's"
        f" goal. A result from fewer than {table.min_n} students is suppressed: neither its value"
        " nor its number of students is shown."
    )
    if any(line.is_district for b in table.benchmarks for line in b.lines):
        intro += (
            " Beside the district's own result, the next-smallest school is suppressed too, so"
            " that a suppressed one cannot be worked out from the total."
        )
    body: list[Flowable] = [Paragraph(text(intro), _kept(st.small))]
    fixed = [CONTENT_WIDTH * 0.25, CONTENT_WIDTH * 0.18]
    # As many group columns per table as fit "Suppressed" unbroken; the rest in a second table.
    room = CONTENT_WIDTH - sum(fixed)
    needed = stringWidth("Suppressed", FONT, st.cell.fontSize) + st.size(4) * 2.4 + 2
    per_table = max(1, min(len(table.groups), int(room // needed)))
    for benchmark in table.benchmarks:
        title = f"{benchmark.code} · {benchmark.name}"
        for first in range(0, len(table.groups), per_table):
            columns = range(first, min(first + per_table, len(table.groups)))
            rows = []
            previous = None
            for line in benchmark.lines:
                name = line.org_name + (" (district)" if line.is_district else "")
                rows.append(
                    (
                        name if name != previous else "",
                        line.checkpoint,
                        *(_result(line.cells[c]) for c in columns),
                    )
                )
                previous = name
            more = " (more student groups)" if first else ""
            body.append(Paragraph(text(title + more), st.subheading))
            headings = ["School", "Checkpoint", *(table.groups[c] for c in columns)]
            widths = fixed + [room / len(columns)] * len(columns)
            body.append(_table(headings, rows, widths, st, numeric_from=2))
    return body


def _result(cell: ResultCell) -> Cell:
    words = _STATUS_WORDS.get(cell.status, cell.status)
    if cell.suppressed:
        return Cell("Suppressed", _MUTED)
    if cell.result in ("no data", "—"):
        return Cell("No data" if cell.result == "no data" else "—", _MUTED)
    shown = cell.result + (f" (n={cell.n})" if cell.n is not None else "")
    if cell.status == "no data":  # measured, with no goal or target to judge it by
        return Cell(f"{shown}\nNo goal set", _MUTED)
    return Cell(f"{shown}\n{words}", STATUS_COLOURS.get(cell.status.replace(" ", "-")))


def _walks(data: DiltReportData, st: Styles) -> list[Flowable]:
    walks = data.walks
    drafts = ""
    if walks.drafts_left_out:
        many = walks.drafts_left_out != 1
        drafts = (
            f" {walks.drafts_left_out} walk{'s' if many else ''} whose note is still a draft"
            f" {'are' if many else 'is'} not counted."
        )
    if not walks.walks:
        return [
            Paragraph(
                f"No learning walk is finalized at {data.org_name}'s schools this school year up"
                f" to {short_date(data.as_of)}.{drafts}",
                st.body,
            )
        ]
    intro = (
        f"The share of classrooms where each look-for was observed, from the finalized walks of"
        f" {data.school_year} up to {short_date(data.as_of)}. Aggregates only: no classroom or"
        f" teacher is shown. A walk with fewer than {walks.minimum} classrooms, or a look-for"
        f" rated in fewer, shows no percentage (—).{drafts}"
    )
    body: list[Flowable] = [Paragraph(text(intro), _kept(st.small))]
    body.append(Paragraph("The year so far", st.subheading))
    body.append(_look_for_key(walks, st))
    body.append(
        Paragraph(
            "By walk: the share of classrooms where each look-for (LF) was observed", st.subheading
        )
    )
    body += _walk_tables(walks, st)
    return body


def _look_for_key(walks: WalkTrends, st: Styles) -> Flowable:
    rows = [
        (
            str(lf.number),
            lf.label,
            str(lf.walks),
            str(lf.classrooms),
            percent(lf.observed),
            percent(lf.partly),
        )
        for lf in walks.look_fors
    ]
    # Wide enough for the headings at large print (a word never breaks inside a heading).
    widths = [0.06, 0.34, 0.11, 0.19, 0.17, 0.13]
    return _table(
        ["LF", "Look-for", "Walks", "Classrooms", "Observed", "Partly"],
        rows,
        [CONTENT_WIDTH * w for w in widths],
        st,
        numeric_from=2,
    )


def _walk_tables(walks: WalkTrends, st: Styles) -> list[Flowable]:
    tables: list[Flowable] = []
    numbers = [lf.number for lf in walks.look_fors]
    for first in range(0, max(1, len(numbers)), LOOK_FORS_PER_TABLE):
        chunk = list(range(first, min(first + LOOK_FORS_PER_TABLE, len(numbers))))
        fixed = [CONTENT_WIDTH * 0.14, CONTENT_WIDTH * 0.25, CONTENT_WIDTH * 0.19]
        rest = (CONTENT_WIDTH - sum(fixed)) / max(1, LOOK_FORS_PER_TABLE)
        rows = []
        for walk in walks.walks:
            if walk.counted:
                classrooms = str(walk.classrooms)
                shares: list[object] = [percent(walk.observed[i]) for i in chunk]
            else:
                classrooms = f"{walk.classrooms} (too few)"
                shares = [Cell("—", _MUTED) for _ in chunk]
            rows.append((short_date(walk.day), walk.school, classrooms, *shares))
        tables.append(
            _table(
                ["Date", "School", "Classrooms", *(f"LF {numbers[i]}" for i in chunk)],
                rows,
                fixed + [rest] * len(chunk),
                st,
                numeric_from=2,
            )
        )
    return tables


def _action_steps(data: DiltReportData, st: Styles) -> list[Flowable]:
    steps = data.action_steps
    if not steps:
        return [
            Paragraph(
                f"No next step is open at {data.org_name} or its schools as of"
                f" {short_date(data.as_of)}.",
                st.body,
            )
        ]
    overdue = sum(1 for s in steps if s.overdue)
    line = f"{len(steps)} open next step{'s' if len(steps) != 1 else ''} from the district's and"
    line += f" its schools' visits, by due date, as of {short_date(data.as_of)}"
    line += f"; {overdue} past due." if overdue else "."
    rows = []
    for step in steps:
        due = short_date(step.due, "No date")
        where = f"the note of the visit on {short_date(step.agreed_on)}"
        rows.append(
            (
                # Paragraphs, so a long web address breaks inside its column.
                Paragraph(text(shortened(step.text, STEP_LIMIT, where)), st.cell),
                step.org_name,
                Paragraph(text(shortened(step.owner, OWNER_LIMIT, where) or "—"), st.cell),
                warning_cell(f"{due}\npast due") if step.overdue else due,
                short_date(step.agreed_on),
            )
        )
    widths = [0.29, 0.19, 0.22, 0.16, 0.14]
    return [
        Paragraph(text(line), st.small),
        _table(
            ["Next step", "School", "Owner", "Due", "Agreed"],
            rows,
            [CONTENT_WIDTH * w for w in widths],
            st,
        ),
    ]


def _meetings(data: DiltReportData, st: Styles) -> list[Flowable]:
    window = f"{short_date(data.window_start)} to {short_date(data.window_end)}"
    rule = (
        f"SSoS joins a progress-monitoring meeting of at least {data.pm_minimum} minutes in each"
        f" window ({data.window_name}: {window})."
    )
    met = [m for m in data.pm_meetings if m.held and m.long_enough]
    if met:
        verdict = f" Met: held on {short_date(met[0].day)} ({met[0].minutes} minutes)."
    elif data.as_of >= data.window_end:
        verdict = f" Not met: the window closed without a meeting of {data.pm_minimum} minutes."
    else:
        verdict = f" Not met yet: no meeting of {data.pm_minimum} minutes has been held."
    if not data.pm_meetings:
        missing = "No PM meeting is on the calendar in the window: schedule one with the DILT."
        return [Paragraph(text(rule + verdict), st.body), Paragraph(missing, st.body)]
    # The rule stays with the table: never a page holding the table's one row alone.
    body: list[Flowable] = [Paragraph(text(rule + verdict), _kept(st.body))]
    rows = []
    for m in data.pm_meetings:
        minutes = "—" if m.minutes is None else str(m.minutes)
        if not m.held:
            status: object = "Planned"
        elif m.long_enough:
            status = Cell("Held, long enough", STATUS_COLOURS["met"], bold=True)
        else:
            status = warning_cell(f"Held, under {data.pm_minimum} minutes")
        rows.append((short_date(m.day), m.org_name, minutes, status))
    widths = [0.2, 0.38, 0.14, 0.28]
    body.append(
        _table(
            ["Date", "With", "Minutes", "Status"],
            rows,
            [CONTENT_WIDTH * w for w in widths],
            st,
        )
    )
    return body
