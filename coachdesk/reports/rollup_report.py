"""The roll-up printed: landscape, an overview of each coach, then each coach's schools.

Drawn from `Rollup` (coachdesk/reports/rollup_data.py) with no database, in the house style of
the caseload report. Who prepared it and as of when are on every page: in the band at the top
of the first page, in the running title of later pages and in every page's footer.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import IO

from reportlab.platypus import Flowable, Paragraph, Spacer

from coachdesk.core.programs import programs
from coachdesk.reports.caseload_report import CONTENT_WIDTH, PAGE, fit_widths, keep_two_rows
from coachdesk.reports.pdf_layout import (
    RenderResult,
    ReportPages,
    SectionTracker,
    Styles,
    long_date,
    render_report,
    short_date,
    text,
)
from coachdesk.reports.rollup_data import IndicatorCounts, Rollup, SchoolLine
from coachdesk.reports.sections import section
from coachdesk.reports.tables import data_table, header_band, warning_cell

TITLE = "Coaching roll-up"


def render_rollup_report(
    rollup: Rollup,
    out: str | Path | IO[bytes],
    *,
    large_print: bool = False,
    generated_at: dt.datetime | None = None,
) -> RenderResult:
    """Write the roll-up PDF to a path or a binary file."""
    as_of = long_date(rollup.as_of)
    who = f"prepared by {rollup.prepared_by}, as of {as_of}"
    pages = ReportPages(
        what=f"{TITLE} {who}",
        running_title=f"{TITLE} · {_filter_words(rollup)} · {who}",
        title=f"{TITLE} as of {as_of}",
        author=rollup.prepared_by,
        subject=f"Per coach and school, as of {as_of}",
    )
    return render_report(
        lambda st, tracker: _story(rollup, st, tracker),
        pages,
        out,
        pagesize=PAGE,
        generated_at=generated_at or dt.datetime.now().astimezone(),
        large_print=large_print,
    )


def _filter_words(rollup: Rollup) -> str:
    f = rollup.filter
    parts = []
    if f.program:
        known = programs()
        parts.append(known[f.program].name if f.program in known else f.program)
    if f.region:
        parts.append(f.region)
    if f.coach_id:
        names = dict(rollup.coach_choices)
        parts.append(names.get(f.coach_id, "one coach"))
    return " · ".join(parts) if parts else "every coach"


def _story(rollup: Rollup, st: Styles, tracker: SectionTracker) -> list[Flowable]:
    schools = sum(1 for s in rollup.schools if s.kind == "school")
    line = (
        f"As of {long_date(rollup.as_of)} · prepared by {rollup.prepared_by} · "
        f"{len(rollup.coaches)} coach{'es' if len(rollup.coaches) != 1 else ''}, "
        f"{schools} school{'s' if schools != 1 else ''} · {_filter_words(rollup)}"
    )
    story: list[Flowable] = [
        header_band(TITLE, "Where each coach's schools stand", line, CONTENT_WIDTH, st),
        Spacer(1, st.size(6)),
    ]
    if not rollup.schools:
        story.append(
            Paragraph(
                "No coach's caseload is here for this school year: import the coaches' bundles"
                " first.",
                st.body,
            )
        )
        return story
    overview: list[Flowable] = [_coach_table(rollup, st)]
    overview.append(
        Paragraph(
            "Last final is the latest visit whose note is final. Visits count the notes held this"
            " month (draft or final) against the program's cadence; Overdue counts the"
            " obligations, plans and next steps past due, as the coach's Today view lists them."
            " An indicator whose latest result comes from fewer students than the program's"
            " minimum is counted as suppressed, not by its status. No notes' text is shown:"
            " internal notes never leave a coach's laptops.",
            st.small,
        )
    )
    if rollup.nnps_stages:
        stages = ", ".join(f"{text(k)}: {v}" for k, v in rollup.nnps_stages.items())
        overview.append(Paragraph(f"<b>OH NNPS stages</b> {stages}", st.body))
    story += section("Coaches", overview, st, tracker)
    for coach in rollup.coaches:
        mine = [s for s in rollup.schools if s.coach_id == coach.coach_id]
        title = coach.coach + (f" · {coach.region}" if coach.region else "")
        story += section(title, [_school_table(mine, st)], st, tracker, flow=True)
    return story


def _counts(c: IndicatorCounts) -> tuple[str, ...]:
    return (str(c.met), str(c.on_track), str(c.at_risk), str(c.no_data), str(c.suppressed))


def _visits(done: int, expected: int | None) -> str:
    return str(done) if expected is None else f"{done} of {expected}"


def _coach_table(rollup: Rollup, st: Styles) -> Flowable:
    rows = []
    for c in rollup.coaches:
        rows.append(
            (
                c.coach,
                c.region or "—",
                str(c.schools),
                short_date(c.last_final_visit, "None yet"),
                _visits(c.visits_this_month, c.visits_expected_this_month),
                warning_cell(str(c.overdue)) if c.overdue else "0",
                *_counts(c.indicators),
                "—" if c.pm_meetings_held is None else str(c.pm_meetings_held),
            )
        )
    headings = ["Coach", "Region", "Schools", "Last final", "Visits this month", "Overdue"]
    headings += ["Met", "On track", "At risk", "No data", "Suppressed", "PM meetings"]
    shares = (0.15, 0.2, 0.06, 0.1, 0.08, 0.06, 0.05, 0.06, 0.05, 0.06, 0.07, 0.06)
    widths = fit_widths(headings, shares, st, rows)
    return keep_two_rows(data_table(headings, rows, widths, st, numeric_from=2))


def _school_table(lines: list[SchoolLine], st: Styles) -> Flowable:
    rows = []
    for s in lines:
        where = s.school if s.kind == "school" else f"{s.school} (district)"
        status = s.nnps_stage or ""
        if s.ma_phase is not None:
            status = f"Phase {s.ma_phase}"
        if s.program == "OH_NNPS" and s.kind == "school" and not s.nnps_stage:
            status = "No stage recorded"
        rows.append(
            (
                where,
                s.district or "—",
                s.program,
                status or "—",
                short_date(s.last_final_visit, "None yet"),
                _visits(s.visits_this_month, s.visits_expected_this_month),
                s.cadence or "—",
                warning_cell(str(s.overdue)) if s.overdue else "0",
                *_counts(s.indicators),
                "—" if s.pm_meetings_held is None else str(s.pm_meetings_held),
            )
        )
    headings = ["School", "District", "Program", "Stage or phase", "Last final", "Visits"]
    headings += ["Cadence", "Overdue", "Met", "On track", "At risk", "No data", "Suppr."]
    headings += ["PM meetings"]
    shares = (0.16, 0.12, 0.07, 0.11, 0.09, 0.05, 0.1, 0.05, 0.04, 0.04, 0.04, 0.04, 0.04, 0.05)
    widths = fit_widths(headings, shares, st, rows)
    return keep_two_rows(data_table(headings, rows, widths, st, numeric_from=7))
