"""The supervisor's caseload status report: per program, where each school stands.

Landscape, because a school's row carries a dozen short facts that read best on one line: its
stage or status, last and next visit, indicator status counts and overdue action items. Built
from its own frozen input dataclasses; `caseload_from_rows` fills them from the caseload service's
rows (what the profile holds today: no visits or indicators yet, shown as "none yet" and "—").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

from reportlab.lib.pagesizes import LETTER, landscape
from reportlab.platypus import Flowable, Paragraph, Spacer

from coachdesk import __version__
from coachdesk.reports.pdf_layout import (
    LARGE_PRINT_SCALE,
    MARGIN,
    PageFurniture,
    RenderResult,
    SectionTracker,
    Styles,
    build_pdf,
    long_date,
    make_styles,
    short_date,
    timestamp,
    write_pdf,
)
from coachdesk.reports.sections import section
from coachdesk.reports.tables import data_table, header_band, warning_cell

if TYPE_CHECKING:
    from coachdesk.core.caseload import CaseloadRow

PAGE = landscape(LETTER)
CONTENT_WIDTH = PAGE[0] - 2 * MARGIN


@dataclass(frozen=True)
class IndicatorCounts:
    """How many of a school's indicators stand at each status."""

    met: int = 0
    on_track: int = 0
    at_risk: int = 0
    not_met: int = 0
    no_data: int = 0

    @property
    def needing_attention(self) -> int:
        return self.at_risk + self.not_met


@dataclass(frozen=True)
class CaseloadSchool:
    school: str
    district: str
    status: str  # the program status in words: stage, Receivership year or MA phase
    last_visit: dt.date | None = None
    next_visit: dt.date | None = None
    indicators: IndicatorCounts | None = None  # None: no indicators recorded
    overdue_items: int | None = None  # None: action items are not recorded
    active_flags: int = 0  # OH coaching flags


@dataclass(frozen=True)
class CaseloadProgram:
    name: str
    schools: tuple[CaseloadSchool, ...]


@dataclass(frozen=True)
class CaseloadReportData:
    title: str
    school_year: str
    as_of: dt.date
    programs: tuple[CaseloadProgram, ...]
    generated_at: dt.datetime
    prepared_for: str | None = None
    prepared_by: str | None = None
    # False while the profile holds no visits, indicators or action items: those columns then
    # show "—" with a note, rather than a wall of alarming "Not scheduled".
    visits_recorded: bool = True


def caseload_from_rows(
    rows: Iterable[CaseloadRow],
    *,
    as_of: dt.date,
    generated_at: dt.datetime,
    school_year: str,
    prepared_by: str | None = None,
) -> CaseloadReportData:
    """Report data from the caseload service's rows, grouped by program (NY, MA, OH)."""
    from coachdesk.core.programs import programs

    order = {code: index for index, code in enumerate(programs())}
    grouped: dict[str, list[CaseloadSchool]] = {}
    for row in sorted(rows, key=lambda r: order.get(r.program_code, len(order))):
        grouped.setdefault(row.program_name, []).append(
            CaseloadSchool(
                school=row.school_name,
                district=row.district_name or "No district recorded",
                status=row.status,
                active_flags=row.active_flags,
            )
        )
    return CaseloadReportData(
        title="Caseload status",
        school_year=school_year,
        as_of=as_of,
        programs=tuple(CaseloadProgram(name, tuple(s)) for name, s in grouped.items()),
        generated_at=generated_at,
        prepared_by=prepared_by,
        visits_recorded=False,
    )


def render_caseload_report(
    data: CaseloadReportData, out: str | Path | IO[bytes], *, large_print: bool = False
) -> RenderResult:
    """Write the caseload status report PDF to a path or binary file."""
    scale = LARGE_PRINT_SCALE if large_print else 1.0
    st = make_styles(scale)
    tracker = SectionTracker()
    furniture = PageFurniture(
        footer_detail=(
            f"coachdesk {__version__} · Caseload status report"
            f" · Generated {timestamp(data.generated_at)}"
        ),
        running_title=f"{data.title} · {data.school_year} · as of {long_date(data.as_of)}",
        scale=scale,
    )
    metadata = {
        "title": f"{data.title}, {data.school_year}",
        "author": data.prepared_by or "coachdesk",
        "subject": f"Caseload status as of {long_date(data.as_of)}",
    }
    pdf, pages = build_pdf(
        _story(data, st, tracker),
        pagesize=PAGE,
        furniture=furniture,
        tracker=tracker,
        styles=st,
        metadata=metadata,
    )
    write_pdf(pdf, out)
    return RenderResult(pages=pages)


def _story(data: CaseloadReportData, st: Styles, tracker: SectionTracker) -> list[Flowable]:
    total = sum(len(p.schools) for p in data.programs)
    line = f"As of {long_date(data.as_of)} · {total} school{'s' if total != 1 else ''}"
    line += f" in {len(data.programs)} program{'s' if len(data.programs) != 1 else ''}"
    if data.prepared_for:
        line += f" · Prepared for {data.prepared_for}"
    story: list[Flowable] = [
        header_band(
            "Caseload status report", f"{data.title}, {data.school_year}", line, CONTENT_WIDTH, st
        ),
        Spacer(1, st.size(4)),
    ]
    if not data.programs:
        story.append(Paragraph("No schools are on the caseload for this school year.", st.body))
        return story
    overview: list[Flowable] = [_overview(data, st)]
    if not data.visits_recorded:
        overview.append(
            Paragraph(
                "Visits, indicators and action items are not recorded in this profile yet, so "
                "their columns show —.",
                st.small,
            )
        )
    story += section("Overview", overview, st, tracker)
    for prog in data.programs:
        table = _program_table(prog, st, data.visits_recorded)
        story += section(prog.name, [table], st, tracker, flow=True)
    return story


def _overview(data: CaseloadReportData, st: Styles) -> Flowable:
    rows = []
    for prog in data.programs:
        schools = prog.schools
        rows.append(
            (
                prog.name,
                str(len(schools)),
                _count_known(s.overdue_items for s in schools),
                _count_known(
                    s.indicators.needing_attention if s.indicators else None for s in schools
                ),
                str(sum(1 for s in schools if s.next_visit is None))
                if data.visits_recorded
                else "—",
            )
        )
    return data_table(
        [
            "Program",
            "Schools",
            "Schools with overdue items",
            "Schools with indicators at risk or not met",
            "No next visit scheduled",
        ],
        rows,
        [CONTENT_WIDTH * w for w in (0.28, 0.1, 0.2, 0.24, 0.18)],
        st,
        numeric_from=1,
    )


def _count_known(values: Iterable[int | None]) -> str:
    known = [v for v in values if v is not None]
    if not known:
        return "—"
    return str(sum(1 for v in known if v > 0))


def _program_table(prog: CaseloadProgram, st: Styles, visits_recorded: bool) -> Flowable:
    rows = []
    for s in prog.schools:
        status = s.status
        if s.active_flags:
            status += f" · {s.active_flags} coaching flag{'s' if s.active_flags > 1 else ''}"
        counts = s.indicators
        numbers = (
            (counts.met, counts.on_track, counts.at_risk, counts.not_met, counts.no_data)
            if counts
            else (None,) * 5
        )
        next_visit = short_date(s.next_visit, "Not scheduled" if visits_recorded else "—")
        overdue = "—" if s.overdue_items is None else str(s.overdue_items)
        rows.append(
            (
                s.school,
                s.district,
                status,
                short_date(s.last_visit, "None yet" if visits_recorded else "—"),
                warning_cell(next_visit)
                if s.next_visit is None and visits_recorded
                else next_visit,
                *("—" if n is None else str(n) for n in numbers),
                warning_cell(overdue) if s.overdue_items else overdue,
            )
        )
    widths = (0.18, 0.13, 0.155, 0.105, 0.105, 0.045, 0.06, 0.045, 0.05, 0.05, 0.075)
    return data_table(
        [
            "School",
            "District",
            "Stage or status",
            "Last visit",
            "Next visit",
            "Met",
            "On track",
            "At risk",
            "Not met",
            "No data",
            "Overdue items",
        ],
        rows,
        [CONTENT_WIDTH * w for w in widths],
        st,
        numeric_from=5,
    )
