"""The supervisor's caseload status report: per program, where each school stands.

Landscape, because a school's row carries a dozen short facts that read best on one line: its
stage or status, last and next visit, indicator status counts and overdue action items. Built
from its own frozen input dataclasses; `caseload_from_rows` fills them from the caseload service's
rows (what the profile holds today: no visits or indicators yet, shown as "none yet" and "—").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

from reportlab.lib.pagesizes import LETTER, landscape
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Spacer, Table

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
)
from coachdesk.reports.sections import section
from coachdesk.reports.tables import WARNING, Cell, data_table, header_band, warning_cell

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
class PreparedBy:
    """Who prepared a report: the coach's name, organization and work contact line."""

    name: str
    organization: str = ""  # an SSP vendor, an SSoS region, SST 11
    contact: str = ""  # work e-mail and phone, as one line

    @property
    def line(self) -> str:
        return " · ".join(p for p in (self.name, self.organization, self.contact) if p)


@dataclass(frozen=True)
class DueLine:
    """Something due for a school or district, as the Today view lists it."""

    what: str
    due: dt.date
    group: str  # the Today view's group: Overdue, Today, This week, Coming up
    school: str = ""  # the school's or district's name

    @property
    def overdue(self) -> bool:
        return self.group == "Overdue"


@dataclass(frozen=True)
class CaseloadSchool:
    school: str
    district: str
    status: str  # the program status in words: stage, Receivership year or MA phase
    last_visit: dt.date | None = None  # the last visit whose note is final (not a draft)
    next_visit: dt.date | None = None
    indicators: IndicatorCounts | None = None  # None: no indicators recorded
    overdue_items: int | None = None  # None: action items are not recorded
    active_flags: int = 0  # OH coaching flags
    obligations: tuple[DueLine, ...] = ()  # overdue and coming, most pressing first


@dataclass(frozen=True)
class CaseloadProgram:
    name: str
    schools: tuple[CaseloadSchool, ...]
    # Due items of the program's districts that are not rows of their own (a district whose
    # schools are on the caseload: its progress-monitoring window, its coaching log).
    district_obligations: tuple[DueLine, ...] = ()

    @property
    def obligations(self) -> tuple[DueLine, ...]:
        """Every due line of the program, school by school in the table's order."""
        lines = [
            DueLine(o.what, o.due, o.group, s.school) for s in self.schools for o in s.obligations
        ]
        return tuple(lines) + self.district_obligations


@dataclass(frozen=True)
class CaseloadReportData:
    title: str
    school_year: str
    as_of: dt.date
    programs: tuple[CaseloadProgram, ...]
    generated_at: dt.datetime
    prepared_for: str | None = None
    prepared_by: str | None = None
    prepared_by_organization: str = ""
    prepared_by_contact: str = ""
    program_filter: str | None = None  # the one program shown (its name), None for all
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
    pages = ReportPages(
        what="Caseload status report",
        running_title=f"{data.title} · {data.school_year} · as of {long_date(data.as_of)}",
        title=f"{data.title}, {data.school_year}",
        author=data.prepared_by or "",
        subject=f"Caseload status as of {long_date(data.as_of)}",
    )
    return render_report(
        lambda st, tracker: _story(data, st, tracker),
        pages,
        out,
        pagesize=PAGE,
        generated_at=data.generated_at,
        large_print=large_print,
    )


def _story(data: CaseloadReportData, st: Styles, tracker: SectionTracker) -> list[Flowable]:
    total = sum(len(p.schools) for p in data.programs)
    line = f"As of {long_date(data.as_of)} · {total} school{'s' if total != 1 else ''}"
    line += f" in {len(data.programs)} program{'s' if len(data.programs) != 1 else ''}"
    if data.program_filter:
        line += f" · {data.program_filter} only"
    if data.prepared_for:
        line += f" · Prepared for {data.prepared_for}"
    story: list[Flowable] = [
        header_band(
            "Caseload status report", f"{data.title}, {data.school_year}", line, CONTENT_WIDTH, st
        ),
        Spacer(1, st.size(6)),
    ]
    who = PreparedBy(
        data.prepared_by or "", data.prepared_by_organization, data.prepared_by_contact
    ).line
    if who:
        story.append(Paragraph(f"<b>Prepared by</b> {text(who)}", st.body))
    if not data.programs:
        where = f" in {data.program_filter}" if data.program_filter else ""
        story.append(
            Paragraph(f"No schools are on the caseload{where} for this school year.", st.body)
        )
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
    else:
        overview.append(
            Paragraph(
                "Last visit is the last visit whose note is final; a visit still in draft is not"
                " counted. What is due is listed under each program, as the Today view shows it.",
                st.small,
            )
        )
    story += section("Overview", overview, st, tracker)
    for prog in data.programs:
        table = _program_table(prog, st, data.visits_recorded)
        story += section(prog.name, [table], st, tracker, flow=True)
        if data.visits_recorded:
            story += _obligations(prog, st, tracker)
    return story


def _obligations(prog: CaseloadProgram, st: Styles, tracker: SectionTracker) -> list[Flowable]:
    """What is due at the program's schools, a row per school: what is overdue, and what is
    due today, this week or coming up, each with its date."""
    title = f"{prog.name}: what is due"
    by_school: dict[str, list[DueLine]] = {}
    for line in prog.obligations:
        by_school.setdefault(line.school, []).append(line)
    if not by_school:
        return section(title, [Paragraph("Nothing is overdue or coming up.", st.body)], st, tracker)
    whole = []
    for school, lines in by_school.items():
        late = [f"• {short_date(x.due)}: {x.what}" for x in lines if x.overdue]
        # Today first, then by date, as a reader scans a list (the Today view ranks an at-risk
        # item due in January into This week; here it reads in its place).
        coming = [
            f"• {'Today' if x.group == 'Today' else short_date(x.due)}: {x.what}"
            for x in sorted(
                (x for x in lines if not x.overdue), key=lambda x: (x.group != "Today", x.due)
            )
        ]
        whole.append((school, "\n".join(late) or "None", "\n".join(coming) or "None"))
    headings = ["School or district", "Overdue", "Due today, this week and coming up"]
    widths = fit_widths(headings, (0.24, 0.38, 0.38), st, whole)
    rows: list[tuple[str | Cell, ...]] = []
    for school, late_text, coming_text in whole:
        # A school with a long list goes on in more rows, each short enough for a page.
        late_parts = packed_lines(late_text, widths[1], st)
        coming_parts = packed_lines(coming_text, widths[2], st)
        for k in range(max(len(late_parts), len(coming_parts))):
            late_part = late_parts[k] if k < len(late_parts) else ""
            rows.append(
                (
                    school if k == 0 else f"{school} (continued)",
                    Cell(late_part, WARNING) if late_part not in ("", "None") else late_part,
                    coming_parts[k] if k < len(coming_parts) else "",
                )
            )
    table = keep_two_rows(data_table(headings, rows, widths, st))
    return section(title, [table], st, tracker, flow=True)


class KeepTwoRows(Table):
    """A table that does not leave one body row alone on the next page where it can help it
    (reportlab has no widow control for tables): with three rows or more on this page, the
    last goes over with it; with one, both go over. Two here and one there stay: moving one
    would leave this page as bare (in large print a row can be a third of a page)."""

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        parts = super().split(available_width, available_height)
        if len(parts) != 2:
            return parts
        kept, rest = (len(p._cellvalues) - self.repeatRows for p in parts)
        frame = self._doctemplateAttr("frame")
        if rest != 1 or (frame is not None and getattr(frame, "_atTop", False)):
            return parts  # on a fresh page there is no better place to split
        if kept < 2:
            return []  # two rows, one each side of a page: both go on to the next
        if kept == 2:
            return parts
        # Room for one row fewer on this page: the last of them goes on with the lonely one.
        shorter = sum(self._rowHeights[: len(parts[0]._cellvalues) - 1]) + 0.01
        again = super().split(available_width, shorter)
        return again if len(again) == 2 else parts


TALL_ROW = 300.0  # points: a row goes on in another row past this (a page holds about 430)


def packed_lines(value: str, width: float, st: Styles, height: float = TALL_ROW) -> list[str]:
    """The lines of a table cell in groups that each wrap to no taller than `height` in a
    column `width` wide, one group per row: a row taller than a page cannot print (reportlab
    stops), and one of half a page leaves pages half empty. A single line longer than that
    is cut short with "…"."""
    budget = max(1, int(height // st.cell.leading))
    inner = width - 2 * st.size(4) * 1.2 - 2
    groups: list[list[str]] = [[]]
    used = 0
    for line in value.split("\n"):
        wrapped = simpleSplit(line, FONT, st.cell.fontSize, inner)
        if len(wrapped) > budget:
            wrapped = wrapped[:budget]
            wrapped[-1] = wrapped[-1][: max(0, len(wrapped[-1]) - 2)].rstrip() + " …"
            line = " ".join(wrapped)
        if used + len(wrapped) > budget and groups[-1]:
            groups.append([])
            used = 0
        groups[-1].append(line)
        used += len(wrapped)
    return ["\n".join(group) for group in groups]


def keep_two_rows(table: Table) -> Table:
    """The table (from tables.data_table), splitting across pages without a lonely last row."""
    table.__class__ = KeepTwoRows
    return table


def fit_widths(
    headings: list[str],
    shares: tuple[float, ...],
    st: Styles,
    rows: Sequence[tuple[object, ...]] = (),
    width: float = CONTENT_WIDTH,
) -> list[float]:
    """Column widths from shares of the page, each wide enough for the longest word of its
    heading and its cells (in large print "Overdue" and "Receivership" are wider than shares
    made for 9 points, and a word wider than its column prints over the next one); what the
    narrow columns gain is taken from those with room to spare."""
    pad = 2 * st.size(4) * 1.2 + 2
    widths = [width * share for share in shares]

    def widest(value: object, font: str, size: float) -> float:
        words = (value.text if isinstance(value, Cell) else str(value)).split()
        bold = isinstance(value, Cell) and value.bold
        face = FONT_BOLD if bold else font
        return max((stringWidth(w, face, size) for w in words), default=0.0)

    need = [widest(h, FONT_BOLD, st.cell_head.fontSize) + pad for h in headings]
    for row in rows:
        for c, value in enumerate(row):
            need[c] = max(need[c], widest(value, FONT, st.cell.fontSize) + pad)
    if sum(need) > width:  # the cells' words cannot all fit: the headings' at least
        need = [widest(h, FONT_BOLD, st.cell_head.fontSize) + pad for h in headings]
    short = sum(max(0.0, n - w) for n, w in zip(need, widths, strict=True))
    if short <= 0 or sum(need) > width:
        return widths  # nothing to fix, or no fix possible: the shares as they are
    widths = [max(n, w) for n, w in zip(need, widths, strict=True)]
    spare = {i: w - need[i] for i, w in enumerate(widths) if w - need[i] > 0}
    room = sum(spare.values())
    for i, extra in spare.items():
        widths[i] -= short * extra / room
    return widths


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
    # In large print the five indicator counts share one column, in words ("10 on track"):
    # eleven columns at 14 points leave no column wide enough for its words.
    large = st.scale > 1
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
        if large:
            said = [f"{n} {word}" for n, word in zip(numbers, _COUNT_WORDS, strict=True) if n]
            indicators: tuple[str, ...] = ("\n".join(said) or "—",)
        else:
            indicators = tuple("—" if n is None else str(n) for n in numbers)
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
                *indicators,
                warning_cell(overdue) if s.overdue_items else overdue,
            )
        )
    headings = ["School", "District", "Stage or status", "Last visit", "Next visit"]
    if large:
        headings += ["Indicators", "Overdue items"]
        shares: tuple[float, ...] = (0.2, 0.16, 0.16, 0.11, 0.12, 0.15, 0.10)
        widths = fit_widths(headings, shares, st, rows)
        return keep_two_rows(data_table(headings, rows, widths, st, numeric_from=6))
    headings += ["Met", "On track", "At risk", "Not met", "No data", "Overdue items"]
    shares = (0.18, 0.13, 0.155, 0.105, 0.105, 0.045, 0.06, 0.045, 0.05, 0.05, 0.075)
    widths = fit_widths(headings, shares, st, rows)
    return keep_two_rows(data_table(headings, rows, widths, st, numeric_from=5))


_COUNT_WORDS = ("met", "on track", "at risk", "not met", "no data")
