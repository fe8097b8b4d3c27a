"""The principal's visit summary (DOMAIN.md section 5), drawn with reportlab platypus.

    render_visit_summary(data, "summary.pdf")            -> RenderResult(pages=2, ...)
    render_visit_summary(data, handle, large_print=True)

Sections follow DOMAIN.md section 5 in order. Empty optional sections (learning walk, progress,
agreements, follow-up, upcoming dates) are left out; purpose, what we did, observations and next
steps always show, saying "None recorded." when empty.

The two-page rule: a typical visit must fit on two pages. If the full text does not, narrative
paragraphs (strengths, areas for growth, free form sections, learning-walk patterns and
wonderings) are shortened step by step (900, 600, 400, then 260 characters, cut at a word) and end
with "… (full note in coachdesk)", until the summary fits. Agreements, next steps, follow-up,
progress figures and dates are never shortened: they are commitments and facts. A visit whose
structured content alone passes two pages keeps the shortest narrative and runs on, each page
naming the section it continues. Large print uses the narrative length chosen for regular print,
so both carry the same content.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import IO, Any

from reportlab.lib.pagesizes import LETTER
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

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
from coachdesk.reports.sections import section
from coachdesk.reports.summary_data import (
    NarrativeSection,
    ProgressSnapshot,
    PurposeLink,
    VisitSummaryData,
)
from coachdesk.reports.tables import data_table, header_band, status_cell, wrapped

PAGE_LIMIT = 2
TRIM_LIMITS = (900, 600, 400, 260)
TRIM_SUFFIX = " … (full note in coachdesk)"
CONTENT_WIDTH = LETTER[0] - 2 * MARGIN


def render_visit_summary(
    data: VisitSummaryData, out: str | Path | IO[bytes], *, large_print: bool = False
) -> RenderResult:
    """Write the visit summary PDF to a path or binary file; see the module docstring."""
    refuse_internal(data)
    limit: int | None = None
    pdf, pages = _render(data, limit, 1.0)
    if pages > PAGE_LIMIT:
        longest = max((len(p) for p in _narrative(data)), default=0)
        for candidate in TRIM_LIMITS:
            if candidate >= longest:
                continue  # this limit would cut nothing
            limit = candidate
            pdf, pages = _render(data, limit, 1.0)
            if pages <= PAGE_LIMIT:
                break
    if large_print:
        pdf, pages = _render(data, limit, LARGE_PRINT_SCALE)
    write_pdf(pdf, out)
    return RenderResult(pages=pages, narrative_limit=limit)


def refuse_internal(data: Any) -> None:
    """Refuse data that carries anything named internal, however it got there.

    The input dataclasses have no such field; this catches a subclass or a patched object, so an
    internal coach note can never reach a principal's PDF.
    """
    seen: set[int] = set()

    def walk(value: Any) -> None:
        if id(value) in seen:
            return
        seen.add(id(value))
        if isinstance(value, (tuple, list)):
            for item in value:
                walk(item)
            return
        if not dataclasses.is_dataclass(value) or isinstance(value, type):
            return
        names = {f.name for f in dataclasses.fields(value)} | set(getattr(value, "__dict__", {}))
        if any("internal" in name.lower() for name in names):
            raise ValueError(
                "This summary carries an internal note. Internal notes never print; "
                "remove them from what is passed to the PDF."
            )
        for f in dataclasses.fields(value):
            walk(getattr(value, f.name))

    walk(data)


def _narrative(data: VisitSummaryData) -> list[str]:
    """Every paragraph the two-page rule may shorten."""
    obs = data.observations
    paragraphs = [*obs.strengths, *obs.areas_for_growth]
    for extra in (*data.what_we_did.sections, *obs.sections):
        paragraphs.extend(_paragraphs(extra.text))
    if data.learning_walk is not None:
        paragraphs.extend([*data.learning_walk.patterns, *data.learning_walk.wonderings])
    return paragraphs


def _paragraphs(value: str) -> list[str]:
    return [p.strip() for p in value.split("\n\n") if p.strip()]


def trim(value: str, limit: int | None) -> str:
    """A paragraph cut at a word before `limit` characters, ending with a pointer to the note."""
    if limit is None or len(value) <= limit:
        return value
    cut = value[:limit].rsplit(" ", 1)[0].rstrip(",;:.–— ")
    return cut + TRIM_SUFFIX


def _render(data: VisitSummaryData, limit: int | None, scale: float) -> tuple[bytes, int]:
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
    story = _story(data, styles, tracker, limit)
    return build_pdf(
        story,
        pagesize=LETTER,
        furniture=furniture,
        tracker=tracker,
        styles=styles,
        metadata=metadata,
    )


def _purpose_line(link: PurposeLink) -> str:
    """A purpose under its heading; the visit's own purpose needs no "Purpose:" label there."""
    if link.kind.strip().casefold() == "purpose":
        return text(link.text)
    return f"<b>{text(link.kind)}:</b> {text(link.text)}"


def _story(
    data: VisitSummaryData, st: Styles, tracker: SectionTracker, limit: int | None
) -> list[Flowable]:
    story: list[Flowable] = [*_header(data, st)]

    def add(title: str, body: list[Flowable]) -> None:
        story.extend(section(title, body or [Paragraph("None recorded.", st.body)], st, tracker))

    add("Purpose", [Paragraph(_purpose_line(link), st.body) for link in data.purpose])
    add("What we did", _what_we_did(data, st, limit))
    add("Observations", _observations(data, st, limit))
    if data.progress.rows:
        add("Progress snapshot", _progress(data.progress, st))
    if data.agreements:
        add("Agreements", _bullets(data.agreements, st))
    steps = [
        (step.action, step.owner, short_date(step.due, "No date set")) for step in data.next_steps
    ]
    add(
        "Next steps",
        [_table(["Action", "Owner", "Due"], steps, [0.56, 0.25, 0.19], st)] if steps else [],
    )
    if data.follow_up:
        rows = [(item.item, item.status) for item in data.follow_up]
        add(
            "Follow-up on the previous visit's items",
            [_table(["Item", "Status"], rows, [0.78, 0.22], st)],
        )
    if data.upcoming:
        rows = [(short_date(u.when), u.what) for u in sorted(data.upcoming, key=lambda u: u.when)]
        add("Upcoming dates", [_table(["When", "What"], rows, [0.2, 0.8], st)])
    return story


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
        ("Coach", head.coach),
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
    return [band, facts_table, Spacer(1, st.size(6)), attendees]


def _what_we_did(data: VisitSummaryData, st: Styles, limit: int | None) -> list[Flowable]:
    did = data.what_we_did
    body: list[Flowable] = []
    if did.agenda:
        body += [Paragraph("Agenda", st.subheading), *_bullets(did.agenda, st)]
    if did.artifacts_reviewed:
        body += [
            Paragraph("Artifacts reviewed", st.subheading),
            *_bullets(did.artifacts_reviewed, st),
        ]
    body += _narrative_sections(did.sections, st, limit)
    return body


def _narrative_sections(
    sections: tuple[NarrativeSection, ...], st: Styles, limit: int | None
) -> list[Flowable]:
    body: list[Flowable] = []
    for extra in sections:
        if extra.inline:
            line = f"<b>{text(extra.title.rstrip(':'))}:</b> {text(trim(extra.text, limit))}"
            body.append(Paragraph(line, st.body))
            continue
        body.append(Paragraph(text(extra.title), st.subheading))
        body += [Paragraph(text(trim(p, limit)), st.body) for p in _paragraphs(extra.text)]
    return body


def _observations(data: VisitSummaryData, st: Styles, limit: int | None) -> list[Flowable]:
    obs = data.observations
    body: list[Flowable] = []
    if obs.strengths:
        body += [Paragraph("Strengths", st.subheading), *_bullets(obs.strengths, st, limit)]
    if obs.areas_for_growth:
        body += [
            Paragraph("Areas for growth", st.subheading),
            *_bullets(obs.areas_for_growth, st, limit),
        ]
    body += _narrative_sections(obs.sections, st, limit)
    walk = data.learning_walk
    if walk is not None:
        body.append(Paragraph("Learning walk: look-fors across classrooms", st.subheading))
        if walk.focus_of_inquiry:
            body.append(
                Paragraph(f"<b>Focus of inquiry:</b> {text(walk.focus_of_inquiry)}", st.body)
            )
        if walk.look_fors:
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
                [0.58, 0.14, 0.14, 0.14],
                st,
                numeric_from=1,
            )
            table.keepWithNext = True  # with its note that classrooms are never named
            body.append(table)
            body.append(
                Paragraph(
                    "Shares of the classrooms visited. Classrooms are counted, never named; "
                    "this is not an evaluation of any teacher.",
                    st.small,
                )
            )
        if walk.patterns:
            body += [
                Paragraph("Patterns across classrooms", st.subheading),
                *_bullets(walk.patterns, st, limit),
            ]
        if walk.wonderings:
            body += [Paragraph("Wonderings", st.subheading), *_bullets(walk.wonderings, st, limit)]
    return body


def _progress(progress: ProgressSnapshot, st: Styles) -> list[Flowable]:
    threshold = progress.suppression_threshold
    rows = []
    for row in progress.rows:
        rows.append(
            (
                row.indicator,
                row.baseline.shown(threshold) if row.baseline else "—",
                row.target or "—",
                row.latest.shown(threshold) if row.latest else "—",
                status_cell(row.status),
            )
        )
    table = _table(
        ["Indicator", "Baseline", "Target", "Latest", "Status"],
        rows,
        [0.33, 0.18, 0.18, 0.18, 0.13],
        st,
    )
    table.keepWithNext = True  # with its note on suppression
    return [
        table,
        Paragraph(
            f"Aggregate results only. A result for fewer than {threshold} students "
            f"shows as n&lt;{threshold}.",
            st.small,
        ),
    ]


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}%"


def _bullets(items: tuple[str, ...], st: Styles, limit: int | None = None) -> list[Flowable]:
    return [Paragraph(text(trim(item, limit)), st.bullet, bulletText="•") for item in items]


def _table(
    headings: list[str],
    rows: list[tuple[Any, ...]],
    widths: list[float],
    st: Styles,
    *,
    numeric_from: int | None = None,
) -> Table:
    return data_table(
        headings, rows, [CONTENT_WIDTH * w for w in widths], st, numeric_from=numeric_from
    )
