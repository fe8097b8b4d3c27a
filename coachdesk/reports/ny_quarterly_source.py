"""The NY quarterly progress report for OISR, built from the profile (the only part that reads it).

    data = build_quarterly_report(profile, org_id=school_id, period="2026-Q2")
    render_quarterly_report(data, "q2.pdf")        # ny_quarterly_report.py

What goes in, and from where:

- the DII table: each indicator of the school with this school year's target, the goal of the
  quarter's checkpoint (early in Q1, mid-year in Q2, end-of-year in Q4: DOMAIN.md section 4,
  rule 3), the latest value as of the quarter's end and its status, from
  `core/tracking_records/indicators.py::school_indicators`. A value from fewer students than the
  small-cell threshold is suppressed with its status (the status tells which side of the goal it
  fell), and so is the next-smallest subgroup of the same measure shown beside its total;
- the visits held in the quarter: final notes give their purposes, lead-strategy notes and next
  steps; a draft is listed and counted as a draft and nothing of its note is used;
- lead-strategy progress: the profile has no Continuation Plan or lead-strategy records, so this
  is what the final notes say in their lead-strategy fields, whether the visit's purpose was the
  lead strategies, and the overall progress rating; the report says so in words;
- the days a quarter covers: the NY rules file's `quarterly_reports.covers` (DOMAIN.md: Q1
  July to October, Q2 "Mid-Year" November to January, Q3 February to April, Q4 May to June),
  and the report says so.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import replace
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from coachdesk.core.errors import NotFound, RefusedInput
from coachdesk.core.school_quarters import SchoolQuarter, parse_quarter, quarter_of
from coachdesk.core.store.profile import Profile
from coachdesk.core.tracking_records.indicators import IndicatorView, school_indicators, show_value
from coachdesk.core.tracking_rules import must_suppress, shipped_rules, suppress_rows
from coachdesk.reports.ny_quarterly_report import (
    DiiRow,
    QuarterlyReportData,
    QuarterNextStep,
    QuarterVisit,
    StrategyNote,
    Submitted,
)
from coachdesk.reports.pdf_layout import short_date

PROGRAM = "NY_RCV"
RULE_ID = "ny.quarterly_report"
# DOMAIN.md section 4, rule 3: early goals in Q1, mid-year in Q2, end-of-year in Q4; Q3 has none.
CHECKPOINT_OF_QUARTER = {1: "early", 2: "mid", 4: "eoy"}
CHECKPOINT_WORDS = {"early": "Early goal", "mid": "Mid-year goal", "eoy": "End-of-year goal"}
QUARTER_NAMES = {1: "Q1", 2: "Q2 (Mid-Year)", 3: "Q3", 4: "Q4 (Final/Continuation)"}
ORIGIN_WORDS = {"assigned": "Assigned", "selected": "Selected", "local": "Local"}
_SUBGROUP_TAIL = re.compile(r"\s*\([^()]*\)\s*$")
_VISITS = """
SELECT id FROM visit
 WHERE org_id = ? AND deleted_at IS NULL AND starts_at >= ? AND starts_at < ?
 ORDER BY starts_at, id
"""
_ASSIGNMENTS = """
SELECT school_year, program_code, receivership_year FROM assignment
 WHERE org_id = ? AND deleted_at IS NULL
 ORDER BY school_year DESC, status = 'active' DESC
"""
_OBLIGATION = """
SELECT due, status, submitted_on FROM obligation
 WHERE org_id = ? AND kind = ? AND period = ? AND deleted_at IS NULL
 ORDER BY created_hlc LIMIT 1
"""
_NY_SCHOOLS = """
SELECT DISTINCT o.id, o.name FROM assignment a JOIN organization o ON o.id = a.org_id
 WHERE a.program_code = 'NY_RCV' AND a.school_year = ? AND a.status = 'active'
   AND a.deleted_at IS NULL AND o.deleted_at IS NULL AND o.archived_on IS NULL
   AND o.kind = 'school'
 ORDER BY o.name
"""


def quarterly_periods(today: dt.date | None = None) -> list[str]:
    """The quarters a coach would pick, most recent first: this one and the four before it."""
    current = _quarter_on(today or dt.date.today())
    found = []
    year, number = current.start_year, current.number
    for _ in range(5):
        found.append(SchoolQuarter(year, number).code)
        year, number = (year, number - 1) if number > 1 else (year - 1, 4)
    return found


def _quarter_on(day: dt.date) -> SchoolQuarter:
    """The OISR quarter whose days hold `day` (the calendar quarter if the rules leave a gap)."""
    reports = shipped_rules().ny.quarterly_reports
    guess = quarter_of(day)
    for start_year in (guess.start_year, guess.start_year - 1):
        for number in range(1, 5):
            first, last = reports.covered(f"Q{number}", start_year)
            if first <= day <= last:
                return SchoolQuarter(start_year, number)
    return guess


def quarterly_orgs(profile: Profile, *, today: dt.date | None = None) -> list[tuple[str, str]]:
    """(id, name) of the schools on this school year's NY Receivership caseload, by name."""
    from coachdesk.core.tracking_records.facts_query import school_year_on

    year = school_year_on(today or dt.date.today())
    return [(r[0], r[1]) for r in profile.quick_connection().execute(_NY_SCHOOLS, (year,))]


def build_quarterly_report(
    profile: Profile, *, org_id: str, period: str, today: dt.date | None = None
) -> QuarterlyReportData:
    """One school's quarterly report to OISR; NotFound or RefusedInput say what is wrong."""
    from coachdesk.core.coach import get_coach
    from coachdesk.core.organizations import get_organization
    from coachdesk.core.programs import program

    today = today or dt.date.today()
    quarter = parse_quarter(period)
    rules = shipped_rules()
    starts, ends = rules.ny.quarterly_reports.covered(f"Q{quarter.number}", quarter.start_year)
    if starts > today:
        raise RefusedInput(
            f"{quarter.label} begins {short_date(starts)}; its report can be written once the"
            " quarter has begun."
        )
    school = get_organization(profile, org_id)
    if school.kind != "school":
        raise RefusedInput(
            f"{school.name} is a district; the quarterly report to OISR is written for each"
            " school in NY Receivership."
        )
    conn = profile.quick_connection()
    receivership_year = _receivership_year(conn, school.id, school.name, quarter.school_year)
    as_of = min(ends, today)
    threshold = max(rules.common.small_cell_threshold, program(PROGRAM).min_n)
    checkpoint = CHECKPOINT_OF_QUARTER.get(quarter.number)
    shown_checkpoint = checkpoint or "eoy"
    visits, notes, steps, drafts = _visits(profile, school.id, starts, ends, today)
    visits, notes, steps, masked = _masked(visits, notes, steps, today)
    due, due_note, submitted = _report_due(profile, school.id, quarter)
    coach = get_coach(profile)
    return QuarterlyReportData(
        title="Quarterly progress report",
        org_id=school.id,
        org_name=school.name,
        beds_code=school.state_id,
        district=school.parent_name or "",
        program_name=program(PROGRAM).long_name,
        receivership_year=receivership_year,
        period=quarter.code,
        period_label=quarter.label,
        quarter_name=f"{QUARTER_NAMES[quarter.number]} {quarter.school_year}",
        starts=starts,
        ends=ends,
        as_of=as_of,
        window_note=_window_note(quarter, starts, ends),
        report_due=due,
        due_note=due_note,
        submitted=submitted,
        due_key=f"{RULE_ID}:{school.id}:{quarter.school_year} Q{quarter.number}",
        prepared_by=coach.name,
        organization=coach.employer or "",
        contact=coach.contact_line,
        generated_at=dt.datetime.now(_zone(school.tz)),
        checkpoint_heading=CHECKPOINT_WORDS[shown_checkpoint],
        checkpoint_note=""
        if checkpoint
        else "Q3 has no DII checkpoint of its own (early goals come in Q1, mid-year in Q2,"
        " end-of-year in Q4), so the end-of-year goal is shown.",
        threshold=threshold,
        diis=tuple(
            _dii_rows(school_indicators(profile, school.id, as_of), shown_checkpoint, threshold)
        ),
        visits=visits,
        strategies=notes,
        next_steps=steps,
        draft_notes=drafts,
        masked=masked,
    )


def _receivership_year(conn, school_id: str, name: str, year: str) -> int | None:
    """The school's Receivership year in `year`; refused unless it is a NY Receivership school.

    A school on the caseload in another year only (last year's visits typed in, this year's
    assignment made) is still a NY Receivership school: its report is written, without a year.
    """
    from coachdesk.core.programs import program

    rows = conn.execute(_ASSIGNMENTS, (school_id,)).fetchall()
    that_year = [r for r in rows if r[0] == year]
    ny = next((r for r in that_year if r[1] == PROGRAM), None)
    if ny is not None:
        return ny[2]
    if that_year:
        raise RefusedInput(
            f"{name} is in {program(that_year[0][1]).name} in {year}, not NY Receivership; the"
            " quarterly report to OISR is for NY Receivership schools."
        )
    if not any(r[1] == PROGRAM for r in rows):
        where = f"it is in {program(rows[0][1]).name}" if rows else "it is not on the caseload"
        raise RefusedInput(
            f"{name} is not in NY Receivership ({where}); the quarterly report to OISR is for NY"
            " Receivership schools."
        )
    return None


# --- the DII table --------------------------------------------------------------------------------


def _dii_rows(views: list[IndicatorView], checkpoint: str, threshold: int) -> list[DiiRow]:
    hidden = _suppressed(views, threshold)
    rows = []
    for view in views:
        latest = view.latest()
        why = hidden.get(view.id)
        if latest is None:
            value, on, n = "No measurement", None, ""
        elif why is not None:
            value, on = "Suppressed", latest.as_of
            n = f"fewer than {threshold} students" if why == "small" else "not shown"
        else:
            value, on = _value(view, latest.value), latest.as_of
            n = "" if latest.n is None else f"n = {latest.n:,}"
        rows.append(
            DiiRow(
                code=view.code,
                name=view.name,
                subgroup=view.subgroup,
                kind=ORIGIN_WORDS.get(view.origin, view.origin.capitalize()),
                baseline="—" if view.baseline is None else _value(view, view.baseline),
                target=_target(view),
                goal=_goal(view, checkpoint),
                latest=value,
                latest_on=on,
                n=n,
                status="suppressed" if why else view.status,
                # The reason names the value it judged: never printed for a suppressed one.
                reason="" if why else view.reason,
                suppressed=why,
            )
        )
    return rows


def _suppressed(views: list[IndicatorView], threshold: int) -> dict[str, str]:
    """Indicator id -> "small" or "complementary" for each latest value that must not print.

    Subgroups of one measure ("3-8 ELA ... (SWD)" beside "3-8 ELA ... (All Students)") are a set
    shown with their total: hiding one of them alone is not enough (suppression.py).
    """
    hidden: dict[str, str] = {}
    measures: dict[str, list[IndicatorView]] = defaultdict(list)
    for view in views:
        latest = view.latest()
        if latest is not None and must_suppress(latest.n, threshold):
            hidden[view.id] = "small"
        if latest is not None:
            measures[_SUBGROUP_TAIL.sub("", view.name).casefold()].append(view)
    for group in measures.values():
        has_total = any(v.subgroup.casefold() in ("all", "all students") for v in group)
        parts = [v for v in group if v.subgroup.casefold() not in ("all", "all students")]
        if not has_total or len(parts) < 2:
            continue
        decisions = suppress_rows(
            [(v.id, _latest_n(v)) for v in parts], threshold=threshold, total_shown=True
        )
        for decision in decisions:
            if decision.suppressed and decision.label not in hidden:
                hidden[decision.label] = "complementary"
    return hidden


def _latest_n(view: IndicatorView) -> int | None:
    latest = view.latest()
    return latest.n if latest is not None else None


def _value(view: IndicatorView, value: object) -> str:
    shown = show_value(value)
    if view.value_type == "percent" and isinstance(value, (int, float)):
        return f"{shown}%"
    if view.value_type == "stage":
        return f"Stage {shown}"
    return shown.capitalize() if view.value_type == "boolean" else shown


def _target(view: IndicatorView) -> str:
    if view.direction == "in_set":
        return " or ".join(_value(view, v) for v in view.target_set) or "No target"
    if view.annual_target is None:
        return "No target"
    word = "≥" if view.direction == "higher" else "≤"
    return f"{word} {_value(view, view.annual_target)}"


def _goal(view: IndicatorView, checkpoint: str) -> str:
    found = next((c for c in view.checkpoints if c.name == checkpoint), None)
    if found is not None and found.goal is not None:
        word = {"higher": "≥ ", "lower": "≤ "}.get(view.direction, "")
        return f"{word}{_value(view, found.goal)}"
    if checkpoint == "eoy" and view.checkpoints:
        return _target(view)  # the end-of-year goal is the annual target
    return "—"


# --- visits, lead strategies, next steps ----------------------------------------------------------


def _visits(
    profile: Profile, school_id: str, starts: dt.date, ends: dt.date, today: dt.date
) -> tuple[tuple[QuarterVisit, ...], tuple[StrategyNote, ...], tuple[QuarterNextStep, ...], int]:
    from coachdesk.core.visits import get_visit
    from coachdesk.reports.printed_answers import printed_answers

    after = (ends + dt.timedelta(days=1)).isoformat()
    ids = [
        r[0]
        for r in profile.quick_connection().execute(_VISITS, (school_id, starts.isoformat(), after))
    ]
    visits, notes, steps = [], [], []
    drafts = 0
    for visit_id in ids:
        visit = get_visit(profile, visit_id)
        day = visit.starts_at.date()
        final = visit.status in ("final", "shared") and not visit.amended_at
        if not final:
            planned = day > today
            drafts += 0 if planned else 1
            visits.append(
                QuarterVisit(day, visit.type_label, "", "planned" if planned else "draft")
            )
            continue
        printed = (
            printed_answers(visit.definition, visit.response, on=day)
            if visit.definition is not None
            else None
        )
        purposes = _purposes(visit, printed)
        visits.append(QuarterVisit(day, visit.type_label, "; ".join(purposes), "final"))
        if printed is not None and visit.definition is not None:
            notes += _strategy_notes(visit.definition, printed, day, "; ".join(purposes))
        columns = _step_columns(visit)
        if "text" in columns:
            for item in visit.action_items:
                if item.status == "open" and item.text:
                    steps.append(
                        QuarterNextStep(
                            action=item.text,
                            owner=(item.owner or "") if "owner" in columns else "",
                            due=item.due if "due" in columns else None,
                            agreed_on=day,
                            overdue="due" in columns and item.overdue_on(today),
                        )
                    )
    steps.sort(key=lambda s: (s.due is None, s.due or s.agreed_on, s.agreed_on))
    return tuple(visits), tuple(notes), tuple(steps), drafts


def _purposes(visit, printed) -> list[str]:
    """The purposes a final note gives, each once: its chosen purposes, then its own words.

    "Something else" (a purpose choice named `other`) is left out beside the words saying what.
    """
    others = set()
    if visit.definition is not None:
        for item, _repeat in visit.definition.walk():
            if item.bind == "visit.purpose_codes" and item.choices is not None:
                others |= {c.label for c in item.choices.choices if c.name == "other"}
    parts = []
    for section in printed.purpose if printed else ():
        parts += [part.strip() for part in section.text.split(";")]
    parts.append(visit.purpose.strip() if visit.purpose else "")
    # Joined with semicolons, so a sentence's own full stop goes.
    found = list(dict.fromkeys(p.rstrip(".") for p in parts if p.rstrip(".")))
    return [p for p in found if p not in others] if len(found) > 1 else found


def _masked(
    visits: tuple[QuarterVisit, ...],
    notes: tuple[StrategyNote, ...],
    steps: tuple[QuarterNextStep, ...],
    today: dt.date,
) -> tuple[
    tuple[QuarterVisit, ...], tuple[StrategyNote, ...], tuple[QuarterNextStep, ...], tuple[str, ...]
]:
    """What the coach typed, with every possible student identifier masked (masking.py), and
    the report's headings under which something was."""
    from coachdesk.reports.masking import mask_text

    places: list[str] = []

    def masked(value: str, place: str) -> str:
        shown = mask_text(value, today=today)
        if shown != value and place not in places:
            places.append(place)
        return shown

    visits = tuple(replace(v, purpose=masked(v.purpose, "Visits this quarter")) for v in visits)
    notes = tuple(replace(n, text=masked(n.text, "Lead-strategy progress")) for n in notes)
    steps = tuple(
        replace(
            s, action=masked(s.action, "Open next steps"), owner=masked(s.owner, "Open next steps")
        )
        for s in steps
    )
    return visits, notes, steps, tuple(places)


def _strategy_notes(definition, printed, day: dt.date, purpose: str) -> list[StrategyNote]:
    """What a final note says about the lead strategies, from the fields that may print."""
    labels = set()
    strategy_purposes = set()
    progress_labels = set()
    for item, _repeat in definition.walk():
        words = f"{item.name} {item.label}".casefold().replace("_", " ")
        if item.is_input and "strateg" in words and item.type in ("text", "long_text"):
            labels.add(item.label)
        if item.bind == "visit.purpose_codes" and item.choices is not None:
            strategy_purposes |= {
                c.label for c in item.choices.choices if "strateg" in c.name.casefold()
            }
        if item.is_input and item.type == "select_one" and "progress" in item.name.casefold():
            progress_labels.add(item.label)
    sections = (*printed.purpose, *printed.what_we_did, *printed.observations)
    progress = next((s.text for s in sections if s.title in progress_labels), "")
    tied = any(label in purpose for label in strategy_purposes)
    found = [
        StrategyNote(day, s.title, s.text, tied, progress) for s in sections if s.title in labels
    ]
    if not found and tied:
        found.append(StrategyNote(day, "Purpose of the visit", purpose, tied, progress))
    return found


def _step_columns(visit) -> frozenset[str]:
    """The next-step columns (text, owner, due) the visit's form lets print."""
    from coachdesk.reports.printed_answers import hidden_in, printable_inputs

    if visit.definition is None:
        return frozenset({"text", "owner", "due"})
    repeat = visit.definition.field(visit.action_repeat) if visit.action_repeat else None
    if repeat is None or hidden_in(visit.definition, repeat):
        return frozenset()
    return frozenset(
        c.bind.removeprefix("action_items.")
        for c in printable_inputs(repeat.children)
        if c.bind and c.bind.startswith("action_items.")
    )


# --- dates ----------------------------------------------------------------------------------------


def _window_note(quarter: SchoolQuarter, starts: dt.date, ends: dt.date) -> str:
    return (
        f"This report covers {short_date(starts)} to {short_date(ends)}, the days OISR's"
        f" {QUARTER_NAMES[quarter.number]} report covers (Q1 July to October, Q2 November to"
        " January, Q3 February to April, Q4 May to June)."
    )


def _report_due(
    profile: Profile, school_id: str, quarter: SchoolQuarter
) -> tuple[dt.date | None, str, Submitted | None]:
    """The report's due date, what to say about it, and whether it was marked submitted."""
    kind = f"Q{quarter.number}"
    rules = shipped_rules()
    row = (
        profile.quick_connection()
        .execute(_OBLIGATION, (school_id, kind, quarter.school_year))
        .fetchone()
    )
    year = rules.ny.quarterly_reports.years.get(quarter.school_year)
    submitted = None
    if row is not None and row[1] in rules.common.obligations.closed_statuses:
        submitted = Submitted(dt.date.fromisoformat(str(row[2])[:10]) if row[2] else None)
    if row is not None and row[0]:
        return dt.date.fromisoformat(str(row[0])[:10]), "", submitted
    if year is None:
        return None, "The rules hold no OISR report dates for this school year yet.", submitted
    due = year.dates[kind]
    note = (
        f"The due date, {short_date(due)}, is assumed from the 2023-24 pattern until this"
        " year's OISR memo gives it."
        if year.assumed
        else ""
    )
    return due, note, submitted


def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


__all__ = [
    "NotFound",
    "RefusedInput",
    "build_quarterly_report",
    "quarterly_orgs",
    "quarterly_periods",
]
