"""The principal's visit summary (DOMAIN.md section 5), drawn with reportlab platypus.

    render_visit_summary(data, "summary.pdf")            -> RenderResult(pages=2, ...)
    render_visit_summary(data, handle, large_print=True)

Sections follow DOMAIN.md section 5 in order. Empty optional sections (learning walk, progress,
agreements, follow-up, upcoming dates) are left out; purpose, what we did, observations and next
steps always show, saying "None recorded." when empty. The header names the coach with their
organization, and a line under the attendees gives the coach's work contact. A form whose
settings say `acknowledgement: true` ends the summary with a "Received by" block (name, role,
date, signature line) the school signs.

Next steps are sorted by due date (those with no date last) and their table moves with its
heading. No table leaves a single row alone at the foot of a page or at the top of the next.

The two-page rule: a typical visit must fit on two pages. If the full text does not, narrative
(strengths, areas for growth, free form sections, learning-walk patterns and wonderings) is
shortened step by step (summary_blocks.TRIM_STEPS: fewer paragraphs per list, each cut shorter),
and a line under each shortened list says what was left out ("Two more paragraphs under
“Strengths” are in the coach's full note."), until the summary fits. Agreements, next steps,
follow-up, progress figures and dates are never shortened: they are commitments and facts. A
visit whose structured content alone passes two pages keeps the shortest narrative and runs on,
each page naming the section it continues. A last page that would hold only a heading and one
row is avoided: the narrative is shortened one step further when that brings the summary onto
fewer pages. Large print uses the narrative length chosen for regular print, so both carry the
same content.
"""

from __future__ import annotations

import dataclasses
import functools
from pathlib import Path
from typing import IO, Any

from reportlab.lib.pagesizes import LETTER
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from coachdesk.reports.pdf_layout import (
    FONT,
    FONT_BOLD,
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
    text,
    timestamp,
    write_pdf,
)
from coachdesk.reports.sections import LONG_TABLE_ROWS, section
from coachdesk.reports.summary_blocks import (
    NO_TRIM,
    TRIM_STEPS,
    PageMark,
    Trim,
    acknowledgement_block,
    column_widths,
    printed_table,
    trimmed,
)
from coachdesk.reports.summary_data import (
    LearningWalkFindings,
    NarrativeSection,
    NextStep,
    ProgressSnapshot,
    PurposeLink,
    VisitSummaryData,
)
from coachdesk.reports.tables import data_table, header_band, keep_rows, status_cell, wrapped

PAGE_LIMIT = 2
CONTENT_WIDTH = LETTER[0] - 2 * MARGIN
# A last page holding less than this (a heading and one row, at regular size) is a lonely page.
LONELY_POINTS = 72


def render_visit_summary(
    data: VisitSummaryData, out: str | Path | IO[bytes], *, large_print: bool = False
) -> RenderResult:
    """Write the visit summary PDF to a path or binary file; see the module docstring."""
    refuse_internal(data)
    layout = _Layout()
    rendered = _render(data, layout, 1.0)
    steps = [step for step in TRIM_STEPS if step.cuts(_narrative(data))]
    if rendered.pages > PAGE_LIMIT:
        for step in steps:
            layout = _Layout(trim=step)
            rendered = _render(data, layout, 1.0)
            if rendered.pages <= PAGE_LIMIT:
                break
    if rendered.steps_page > 1 and rendered.steps_fit_first and data.progress.rows:
        # Next steps on page 1 when there is room: ahead of the progress snapshot if need be.
        early = dataclasses.replace(layout, steps_early=True)
        moved = _render(data, early, 1.0)
        if moved.steps_page == 1 and moved.pages <= rendered.pages:
            layout, rendered = early, moved
    if rendered.lonely:
        layout, rendered = _save_lonely_page(data, layout, rendered, steps)
    if large_print:
        large = _render(data, layout, LARGE_PRINT_SCALE)
        if large.lonely and not layout.gather:
            # Same content at a larger size: only the layout may change.
            large = _render(data, dataclasses.replace(layout, gather=True), LARGE_PRINT_SCALE)
        rendered = large
    write_pdf(rendered.pdf, out)
    trim = layout.trim
    return RenderResult(
        pages=rendered.pages, narrative_limit=trim.chars if trim != NO_TRIM else None
    )


@dataclasses.dataclass(frozen=True)
class _Layout:
    """How a summary is fitted to its pages."""

    trim: Trim = NO_TRIM
    progress_rows: int | None = None  # fewer rows of the progress snapshot (at least three)
    gather: bool = False  # the last two sections move on together
    steps_early: bool = False  # agreements and next steps come before the progress snapshot


@dataclasses.dataclass(frozen=True)
class _Rendered:
    pdf: bytes
    pages: int
    lonely: bool  # the last page holds no more than a heading and a row
    steps_page: int = 1  # the page the next steps end on
    # Agreements and next steps would fit on page 1 under the observations.
    steps_fit_first: bool = False


def _save_lonely_page(
    data: VisitSummaryData, layout: _Layout, rendered: _Rendered, steps: list[Trim]
) -> tuple[_Layout, _Rendered]:
    """Avoid a last page holding a heading and a single row, in this order: shorten the
    narrative one step further, show fewer indicators (down to three, DOMAIN.md 5.5), or move
    the last two sections on together. Each is kept only if it does what it is for."""
    later = steps[steps.index(layout.trim) + 1 :] if layout.trim in steps else steps
    tries = [dataclasses.replace(layout, trim=step) for step in later[:1]]
    shown = len(data.progress.rows)
    tries += [dataclasses.replace(layout, progress_rows=n) for n in range(shown - 1, 2, -1)]
    for candidate in tries:
        tighter = _render(data, candidate, 1.0)
        if tighter.pages < rendered.pages:
            return candidate, tighter
    gathered = dataclasses.replace(layout, gather=True)
    moved = _render(data, gathered, 1.0)
    if not moved.lonely and moved.pages <= rendered.pages:
        return gathered, moved
    return layout, rendered


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def refuse_internal(data: Any) -> None:
    """Refuse data that carries anything named internal, however it got there.

    The input dataclasses have no such field; this catches a subclass or a patched object, so an
    internal coach note can never reach a principal's PDF.
    """
    seen: set[int] = set()

    def walk(value: Any) -> None:
        if value is None or isinstance(value, (str, int, float)):
            return  # the leaves: most of what a summary holds
        if id(value) in seen:
            return
        seen.add(id(value))
        if isinstance(value, (tuple, list)):
            for item in value:
                walk(item)
            return
        if not dataclasses.is_dataclass(value) or isinstance(value, type):
            return
        fields = _field_names(type(value))
        extra = getattr(value, "__dict__", {}).keys() - set(fields)
        if any("internal" in name.lower() for name in (*fields, *extra)):
            raise ValueError(
                "This summary carries an internal note. Internal notes never print; "
                "remove them from what is passed to the PDF."
            )
        for name in fields:
            walk(getattr(value, name))

    walk(data)


def _narrative(data: VisitSummaryData) -> list[list[str]]:
    """Every list of paragraphs the two-page rule may shorten."""
    obs = data.observations
    lists = [list(obs.strengths), list(obs.areas_for_growth)]
    for extra in (*data.what_we_did.sections, *obs.sections):
        if not extra.inline and extra.table is None:
            lists.append(_paragraphs(extra.text))
    if data.learning_walk is not None:
        lists += [list(data.learning_walk.patterns), list(data.learning_walk.wonderings)]
    return [items for items in lists if items]


def _paragraphs(value: str) -> list[str]:
    return [p.strip() for p in value.split("\n\n") if p.strip()]


def _render(data: VisitSummaryData, layout: _Layout, scale: float) -> _Rendered:
    styles = make_styles(scale)
    tracker = SectionTracker()
    head = data.header
    generated = f"Generated {timestamp(data.footer.generated_at)}"
    form = data.footer.form_id
    furniture = PageFurniture(
        # A visit at a school with no program yet has no form: then only when it was printed.
        footer_detail=(
            f"Form {form}, version {data.footer.form_version} · {generated}" if form else generated
        ),
        running_title=f"{head.school} · Visit summary · {long_date(head.visit_date)}",
        draft=head.is_draft,
        scale=scale,
    )
    metadata = {
        "title": f"Visit summary: {head.school}, {long_date(head.visit_date)}",
        "author": head.coach,
        # "On-site visit" is a visit type label too: say "visit" once.
        "subject": (
            f"{head.program_name} {head.visit_type.lower().removesuffix(' visit')} visit,"
            f" {head.district}"
        ),
    }
    marks: list[tuple[int, float]] = []
    probe = _Probe()
    story = [*_story(data, styles, tracker, layout, probe), PageMark(marks)]
    pdf, pages = build_pdf(
        story,
        pagesize=LETTER,
        furniture=furniture,
        tracker=tracker,
        styles=styles,
        metadata=metadata,
    )
    lonely = False
    if pages > 1 and marks:
        page, room = marks[-1]
        frame = _later_frame_height(scale)
        lonely = page == pages and frame - room < LONELY_POINTS * scale
    page, room = probe.observations_at[-1] if probe.observations_at else (0, 0.0)
    steps_page = probe.steps_at[-1][0] if probe.steps_at else 1
    return _Rendered(
        pdf,
        pages,
        lonely,
        steps_page=steps_page,
        # Measured only when it matters: next steps that went past page 1.
        steps_fit_first=steps_page > 1 and page == 1 and _height(probe.commitments) <= room,
    )


@dataclasses.dataclass
class _Probe:
    """Where parts of the summary landed while it was laid out."""

    observations_at: list[tuple[int, float]] = dataclasses.field(default_factory=list)
    steps_at: list[tuple[int, float]] = dataclasses.field(default_factory=list)
    commitments: list[Flowable] = dataclasses.field(default_factory=list)  # agreements, steps


def _height(flowables: list[Flowable]) -> float:
    """How tall flowables stand, one under the other, at the content's width."""
    total = 0.0
    for flowable in flowables:
        total += flowable.wrap(CONTENT_WIDTH, LETTER[1])[1]
        total += flowable.getSpaceBefore() + flowable.getSpaceAfter()
    return total


def _later_frame_height(scale: float) -> float:
    """The height of the frame on pages after the first (as pdf_layout.build_pdf lays it out)."""
    from coachdesk.reports.pdf_layout import FOOTER_HEIGHT

    bottom = MARGIN + FOOTER_HEIGHT * scale - 14
    return LETTER[1] - MARGIN - 34 * scale - bottom


def _purpose_line(link: PurposeLink) -> str:
    """A purpose under its heading; the visit's own purpose needs no "Purpose:" label there."""
    if link.kind.strip().casefold() == "purpose":
        return text(link.text)
    return f"<b>{text(link.kind)}:</b> {text(link.text)}"


def sorted_steps(steps: tuple[NextStep, ...]) -> list[NextStep]:
    """Next steps by due date, those without a date last (otherwise in the order given)."""
    return sorted(steps, key=lambda step: (step.due is None, step.due or 0))


def _story(
    data: VisitSummaryData,
    st: Styles,
    tracker: SectionTracker,
    layout: _Layout,
    probe: _Probe | None = None,
) -> list[Flowable]:
    story: list[Flowable] = [*_header(data, st)]
    trim = layout.trim
    sections: list[list[Flowable]] = []

    def add(title: str, body: list[Flowable], *, together: bool = False) -> None:
        flowables = section(title, body or [Paragraph("None recorded.", st.body)], st, tracker)
        sections.append([KeepTogether(flowables)] if together else flowables)
        if probe is not None and title in ("Agreements", "Next steps"):
            probe.commitments += flowables

    def commitments() -> None:
        if data.agreements:
            add("Agreements", _bullets(data.agreements, st))
        steps = [
            (step.action, step.owner, short_date(step.due, "No date set"))
            for step in sorted_steps(data.next_steps)
        ]
        add(
            "Next steps",
            [_table(["Action", "Owner", "Due"], steps, [0.56, 0.25, 0.19], st)] if steps else [],
            together=len(steps) <= LONG_TABLE_ROWS,  # the table moves with its heading
        )
        if probe is not None:
            sections[-1].append(PageMark(probe.steps_at))

    add("Purpose", [Paragraph(_purpose_line(link), st.body) for link in data.purpose])
    add("What we did", _what_we_did(data, st, trim))
    add("Observations", _observations(data, st, trim))
    if probe is not None:
        sections[-1].append(PageMark(probe.observations_at))
    if layout.steps_early:
        commitments()
    if data.progress.rows:
        add("Progress snapshot", _progress(_fewer(data.progress, layout.progress_rows), st))
    if not layout.steps_early:
        commitments()
    if data.follow_up:
        rows = [(item.item, item.status) for item in data.follow_up]
        add(
            "Follow-up on the previous visit's items",
            [_table(["Item", "Status"], rows, [0.78, 0.22], st)],
        )
    if data.upcoming:
        rows = [(short_date(u.when), u.what) for u in sorted(data.upcoming, key=lambda u: u.when)]
        add("Upcoming dates", [_table(["When", "What"], rows, [0.2, 0.8], st)])
    if data.acknowledgement:
        add("Received by", acknowledgement_block(CONTENT_WIDTH, st), together=True)
    if layout.gather and len(sections) > 1:
        sections[-2:] = [[KeepTogether([*sections[-2], *sections[-1]])]]
    for flowables in sections:
        story.extend(flowables)
    return story


def _fewer(progress: ProgressSnapshot, rows: int | None) -> ProgressSnapshot:
    """The snapshot cut to `rows` rows (the ones that matter most come first)."""
    if rows is None or rows >= len(progress.rows):
        return progress
    left_out = len(progress.rows) - rows
    return dataclasses.replace(progress, rows=progress.rows[:rows], more=progress.more + left_out)


def _header(data: VisitSummaryData, st: Styles) -> list[Flowable]:
    head = data.header
    pad = st.size(9)
    band = header_band(
        f"{head.program_name} · Visit summary", head.school, head.district, CONTENT_WIDTH, st
    )
    status = "Draft (not final)" if head.is_draft else "Final"
    if not head.is_draft and head.amended_on is not None:
        status = f"Final, amended {short_date(head.amended_on)}"
    facts = [
        ("Date", long_date(head.visit_date)),
        ("Visit type", head.visit_type),
        ("Coach", "\n".join(part for part in (head.coach, head.coach_organization) if part)),
        ("Status", status),
    ]
    widths = [CONTENT_WIDTH * w for w in (0.32, 0.22, 0.25, 0.21)]
    side = pad * 1.3
    facts_table = Table(
        [
            [label.upper() for label, _ in facts],
            [
                wrapped(value, FONT, st.body.fontSize, width - side - 6)
                for (_, value), width in zip(facts, widths, strict=True)
            ],
        ],
        colWidths=widths,
    )
    facts_table.setStyle(
        TableStyle(
            [
                ("LEFTPADDING", (0, 0), (-1, -1), side),
                ("TOPPADDING", (0, 0), (-1, 0), pad * 0.8),
                ("BOTTOMPADDING", (0, 0), (-1, 0), st.size(2)),
                ("BOTTOMPADDING", (0, 1), (-1, 1), pad * 0.6),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, -1), "#EEF3F7"),
                ("FONTNAME", (0, 0), (-1, 0), FONT_BOLD),
                ("FONTSIZE", (0, 0), (-1, 0), st.label.fontSize),
                ("LEADING", (0, 0), (-1, 0), st.label.leading),
                ("TEXTCOLOR", (0, 0), (-1, 0), st.label.textColor),
                ("FONTNAME", (0, 1), (-1, 1), FONT),
                ("FONTSIZE", (0, 1), (-1, 1), st.body.fontSize),
                ("LEADING", (0, 1), (-1, 1), st.body.leading),
                ("TEXTCOLOR", (0, 1), (-1, 1), st.body.textColor),
            ]
        )
    )
    people = "; ".join(f"{text(a.name)} ({text(a.role)})" for a in head.attendees)
    attendees = Paragraph(f"<b>Attendees:</b> {people or 'None recorded.'}", st.body)
    story: list[Flowable] = [band, facts_table, Spacer(1, st.size(6)), attendees]
    if head.coach_contact:
        who = ", ".join(text(p) for p in (head.coach, head.coach_organization) if p)
        line = f"<b>To reach the coach:</b> {who}{' · ' if who else ''}{text(head.coach_contact)}"
        story.append(Paragraph(line, st.body))
    return story


def _what_we_did(data: VisitSummaryData, st: Styles, trim: Trim) -> list[Flowable]:
    did = data.what_we_did
    body: list[Flowable] = []
    if did.agenda:
        body += [Paragraph("Agenda", st.subheading), *_bullets(did.agenda, st)]
    if did.artifacts_reviewed:
        body += [
            Paragraph("Artifacts reviewed", st.subheading),
            *_bullets(did.artifacts_reviewed, st),
        ]
    body += _narrative_sections(did.sections, st, trim)
    return body


def _narrative_sections(
    sections: tuple[NarrativeSection, ...], st: Styles, trim: Trim
) -> list[Flowable]:
    body: list[Flowable] = []
    for extra in sections:
        if extra.table is not None:
            body.append(Paragraph(text(extra.title), st.subheading))
            body += printed_table(extra.table, CONTENT_WIDTH, st)
            continue
        if extra.inline:
            # "Which conversation is this? End of year", not "...this?: End of year".
            title = extra.title.rstrip(":")
            label = title if title.endswith("?") else f"{title}:"
            line = f"<b>{text(label)}</b> {text(extra.text)}"
            body.append(Paragraph(line, st.body))
            continue
        body.append(Paragraph(text(extra.title), st.subheading))
        body += trimmed(extra.title, _paragraphs(extra.text), st, trim, bullets=False)
    return body


def _observations(data: VisitSummaryData, st: Styles, trim: Trim) -> list[Flowable]:
    obs = data.observations
    body: list[Flowable] = []
    if obs.strengths:
        body += [
            Paragraph("Strengths", st.subheading),
            *trimmed("Strengths", obs.strengths, st, trim, bullets=True),
        ]
    if obs.areas_for_growth:
        body += [
            Paragraph("Areas for growth", st.subheading),
            *trimmed("Areas for growth", obs.areas_for_growth, st, trim, bullets=True),
        ]
    body += _narrative_sections(obs.sections, st, trim)
    walk = data.learning_walk
    if walk is not None:
        body += _walk(walk, st, trim)
    return body


def _walk(walk: LearningWalkFindings, st: Styles, trim: Trim) -> list[Flowable]:
    body: list[Flowable] = [Paragraph("Learning walk: look-fors across classrooms", st.subheading)]
    if walk.focus_of_inquiry:
        body.append(Paragraph(f"<b>Focus of inquiry:</b> {text(walk.focus_of_inquiry)}", st.body))
    if walk.classrooms_visited:
        count = walk.classrooms_visited
        rooms = "1 classroom" if count == 1 else f"{count} classrooms"
        body.append(Paragraph(f"<b>Classrooms visited:</b> {rooms}", st.body))
    if walk.look_fors:
        if walk.shares_withheld:
            rows: list[tuple[Any, ...]] = [
                (row.look_for, str(row.classrooms_seen)) for row in walk.look_fors
            ]
            table = _table(["Look-for", "Classrooms"], rows, [0.82, 0.18], st, numeric_from=1)
            note = walk.shares_withheld
        else:
            rows = [
                (
                    row.look_for,
                    str(row.classrooms_seen),
                    _pct(row.pct_observed),
                    _pct(row.pct_partly),
                )
                for row in walk.look_fors
            ]
            table = _table(
                ["Look-for", "Classrooms", "Observed", "Partly"],
                rows,
                # Wide enough for "Classrooms" in large print, not hyphenated "Classr-ooms".
                [0.48, 0.19, 0.17, 0.16],
                st,
                numeric_from=1,
            )
            note = (
                "Shares of the classrooms visited. Classrooms are counted, never named; "
                "this is not an evaluation of any teacher."
            )
        table.keepWithNext = True  # with its note that classrooms are never named
        body += [table, Paragraph(text(note), st.small)]
    elif walk.shares_withheld:
        body.append(Paragraph(text(walk.shares_withheld), st.small))
    if walk.patterns:
        body += [
            Paragraph("Patterns across classrooms", st.subheading),
            *trimmed("Patterns across classrooms", walk.patterns, st, trim, bullets=True),
        ]
    if walk.wonderings:
        body += [
            Paragraph("Wonderings", st.subheading),
            *trimmed("Wonderings", walk.wonderings, st, trim, bullets=True),
        ]
    return body


def _progress(progress: ProgressSnapshot, st: Styles) -> list[Flowable]:
    threshold = progress.suppression_threshold
    rows = []
    for row in progress.rows:
        latest = "—"
        if row.latest is not None:
            latest = row.latest.shown(threshold)
            if row.latest.n is not None and row.latest.n >= threshold:
                latest = f"{latest} (n={row.latest.n})"
        rows.append(
            (
                row.indicator,
                row.baseline.shown(threshold) if row.baseline else "—",
                row.target or "—",
                latest,
                status_cell(row.status),
            )
        )
    headings = ["Indicator", "Baseline", "Target", "Latest", "Status"]
    widths = column_widths(headings, rows, CONTENT_WIDTH, st)
    table = keep_rows(data_table(headings, rows, widths, st))
    table.keepWithNext = True  # with its note on suppression
    note = (
        f"Status as of the visit's day. Aggregate results only: a result for fewer than "
        f"{threshold} students shows as n&lt;{threshold}."
    )
    if progress.more:
        more = (
            "1 more indicator is" if progress.more == 1 else f"{progress.more} more indicators are"
        )
        note += f" {more} in coachdesk."
    return [table, Paragraph(note, st.small)]


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}%"


def _bullets(items: tuple[str, ...], st: Styles) -> list[Flowable]:
    return [Paragraph(text(item), st.bullet, bulletText="•") for item in items]


def _table(
    headings: list[str],
    rows: list[tuple[Any, ...]],
    widths: list[float],
    st: Styles,
    *,
    numeric_from: int | None = None,
) -> Table:
    return keep_rows(
        data_table(
            headings, rows, [CONTENT_WIDTH * w for w in widths], st, numeric_from=numeric_from
        )
    )
