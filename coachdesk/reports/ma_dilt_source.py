"""The MA progress-monitoring report for the DILT, built from the profile.

    data = build_dilt_report(profile, org_id=district_id, period="2026-27 mid")
    render_dilt_report(data, "dilt.pdf")

The DILT meets twice a year, mid-year (Dec. to Feb.) and at the end of the year (May to June),
90 to 120 minutes at least, to review benchmark data disaggregated by school and student
group, "particularly centering Multilingual Learners and Students with Disabilities", and to
leave with clear action steps (shared/sources/ma-ssos-district-partnership-overview.txt,
phase 3). This report is what the coach brings to that meeting:

- the Instructional Priority, the phase and the phase 1 checklist;
- the district benchmark table (core/tracking_records/district_benchmarks.py, as of the
  window's end), the window's checkpoint and the one before it, small cells suppressed;
- learning-walk look-for shares per walk up to the window's end, aggregates only; a walk with
  fewer classrooms than the minimum shows no percentage (one classroom's 100% rates a teacher);
- open next steps from the district's and its schools' visits;
- the PM meetings of the window against the rule (at least `minimum_minutes`).

The window's dates and the meeting rule come from resources/rules/ma_ssos.toml [pm_windows].
Nothing is "submitted" for MA: the report is presented at the PM meeting, and the window's due
item (`ma.pm_window`) clears once a meeting of the required length is recorded in the window.
`due_key` is that item's key while it is listed (a missed window can then be marked excused).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from typing import Any

from coachdesk.core.errors import NotFound, RefusedInput
from coachdesk.core.store.profile import Profile
from coachdesk.reports.ma_dilt_data import (
    WINDOW_WORDS,
    WINDOWS,
    ActionStep,
    Benchmark,
    BenchmarkLine,
    BenchmarkTable,
    DiltReportData,
    PmMeeting,
    PriorityStatus,
    ResultCell,
)
from coachdesk.reports.ma_dilt_walks import walk_trends

PROGRAM = "MA_SSOS"
# Assumption: a coach prepares the report up to a month before its window opens.
PREPARE_DAYS = 31
# "eoy" is the rules file's id for the end-of-year window (a due item's period says it).
_PERIOD = re.compile(r"^\s*(\d{4}-\d{2})\s+(mid|end|eoy)\s*$", re.IGNORECASE)
# How a cell hidden only so that a smaller one cannot be worked out is written in the CSV.
COMPLEMENTARY = "suppressed (complementary)"
# The checkpoints shown for each window: the window's own and the one before it.
_CHECKPOINTS = {"mid": ("early", "mid"), "end": ("mid", "eoy")}

_SCHOOLS = """
SELECT o.id, o.name, o.kind, o.parent_id, o.tz FROM organization o
 WHERE o.deleted_at IS NULL AND (o.id = :district OR o.parent_id = :district)
"""
# Every year the district or a school of it was in the program; the report's year first.
_IN_PROGRAM = """
SELECT a.org_id, a.school_year = :year FROM assignment a
  JOIN organization o ON o.id = a.org_id AND o.deleted_at IS NULL
 WHERE a.deleted_at IS NULL AND a.program_code = :program
   AND (o.id = :district OR o.parent_id = :district)
"""
_PRIORITY = """
SELECT statement, dilt_focus, focus_groups, checklist_done FROM instructional_priority
 WHERE org_id = :district AND school_year = :year AND deleted_at IS NULL
 ORDER BY created_hlc LIMIT 1
"""
_VISITS = """
SELECT v.id, v.org_id, v.visit_type, v.starts_at, v.ends_at, v.status,
       v.form_id, v.form_version, v.form_sha256
  FROM visit v JOIN organization o ON o.id = v.org_id AND o.deleted_at IS NULL
 WHERE v.deleted_at IS NULL AND (o.id = :district OR o.parent_id = :district)
   AND v.starts_at >= :start AND v.starts_at < :after
 ORDER BY v.starts_at, v.id
"""
_ACTION_STEPS = """
SELECT a.text, a.owner, a.due, a.status, a.closed_on, a.org_id, v.starts_at
  FROM action_item a
  JOIN visit v ON v.id = a.visit_id AND v.deleted_at IS NULL
  JOIN organization o ON o.id = a.org_id AND o.deleted_at IS NULL
 WHERE a.deleted_at IS NULL AND (o.id = :district OR o.parent_id = :district)
   AND v.starts_at < :after
   AND (a.status = 'open' OR (a.closed_on IS NOT NULL AND a.closed_on > :as_of))
 ORDER BY a.due IS NULL, a.due, v.starts_at, a.created_hlc
"""


# --- periods and districts ----------------------------------------------------------------------


def dilt_periods(today: dt.date) -> list[str]:
    """The windows a coach would report on, most recent first: those of this school year and
    last that have opened, and the next one when it opens within PREPARE_DAYS (a report is
    prepared before the meeting)."""
    from coachdesk.core.tracking_rules.dates import school_year_label, school_year_of

    year = school_year_of(today)
    found: list[tuple[dt.date, str]] = []
    upcoming: list[tuple[dt.date, str]] = []
    for start_year in (year - 1, year):
        for window in WINDOWS:
            start, _end = window_dates(start_year, window)
            period = f"{school_year_label(start_year)} {window}"
            (found if start <= today else upcoming).append((start, period))
    if upcoming and min(upcoming)[0] <= today + dt.timedelta(days=PREPARE_DAYS):
        found.append(min(upcoming))
    return [period for _start, period in sorted(found, reverse=True)]


def dilt_orgs(profile: Profile, *, today: dt.date | None = None) -> list[tuple[str, str]]:
    """(id, name) of the districts with a school (or themselves) in MA SSoS this school year."""
    from coachdesk.core.caseload import current_school_year

    year = current_school_year(today or dt.date.today())
    rows = profile.quick_connection().execute(
        "SELECT DISTINCT d.id, d.name FROM assignment a "
        "JOIN organization o ON o.id = a.org_id AND o.deleted_at IS NULL "
        "JOIN organization d ON d.id = CASE WHEN o.kind = 'district' THEN o.id ELSE o.parent_id END"
        " AND d.deleted_at IS NULL AND d.kind = 'district' "
        "WHERE a.deleted_at IS NULL AND a.program_code = ? AND a.school_year = ? "
        "AND a.status = 'active'",
        (PROGRAM, year),
    )
    return sorted(((r[0], r[1]) for r in rows), key=lambda r: r[1].casefold())


def parse_period(text: str) -> tuple[str, str]:
    """("2026-27", "mid") from "2026-27 mid" ("2026-27 eoy" is "end"); RefusedInput with a
    sentence otherwise."""
    from coachdesk.core.tracking_rules.dates import parse_school_year

    found = _PERIOD.match(text or "")
    if found is None:
        raise RefusedInput(
            f"Name the report's window as a school year and mid or end, e.g. “2026-27 mid”, "
            f"not “{text}”."
        )
    year, window = found.group(1), found.group(2).lower().replace("eoy", "end")
    try:
        parse_school_year(year)
    except ValueError:
        raise RefusedInput(f"Write the school year as 2026-27, not {year!r}.") from None
    return year, window


def window_dates(start_year: int, window: str) -> tuple[dt.date, dt.date]:
    """The first and last day of a PM window in a school year, from the rules file."""
    span = _window_rule(window)
    return span.in_school_year(start_year, _year_start())


def _window_rule(window: str):
    from coachdesk.core.tracking_rules import shipped_rules

    wanted = WINDOWS[window]
    for span in shipped_rules().ma.pm_windows.windows:
        if span.id == wanted:
            return span
    raise RefusedInput(
        f"The MA rules file lists no “{wanted}” progress-monitoring window; "
        "check resources/rules/ma_ssos.toml."
    )


def _year_start():
    from coachdesk.core.programs import program
    from coachdesk.core.tracking_rules.dates import MonthDay

    return MonthDay(*program(PROGRAM).school_year_start)


# --- the report ---------------------------------------------------------------------------------


def build_dilt_report(
    profile: Profile,
    *,
    org_id: str,
    period: str,
    today: dt.date | None = None,
) -> DiltReportData:
    """The DILT's progress-monitoring report for a district and window ("2026-27 mid")."""
    from coachdesk.core.coach import get_coach
    from coachdesk.core.tracking_rules import shipped_rules
    from coachdesk.core.tracking_rules.dates import parse_school_year, school_year_of

    today = today or dt.date.today()
    year, window = parse_period(period)
    start_year = parse_school_year(year)
    if start_year > school_year_of(today):
        raise RefusedInput(
            f"The {year} school year has not begun; choose this year or an earlier one."
        )
    rules = shipped_rules()
    span = _window_rule(window)
    start, end = window_dates(start_year, window)
    conn = profile.quick_connection()
    params: dict[str, Any] = {"district": org_id, "program": PROGRAM, "year": year}
    orgs = {r["id"]: r for r in conn.execute(_SCHOOLS, params)}
    district = orgs.get(org_id)
    if district is None:
        raise NotFound("There is no such district; `coachdesk districts` lists them.")
    if district["kind"] != "district":
        raise RefusedInput(f"{district['name']} is a school; the DILT report is for its district.")
    assigned = conn.execute(_IN_PROGRAM, params).fetchall()
    if not assigned:
        raise RefusedInput(
            f"{district['name']} has no school in MA SSoS; the DILT report is for the districts"
            " the SSoS partners with (assign one of its schools to MA_SSOS first)."
        )
    # The schools assigned that year; for an earlier year not recorded, those assigned since.
    in_program = {r[0] for r in assigned if r[1]} or {r[0] for r in assigned}
    as_of = min(today, end)
    year_first = _year_start().in_school_year(start_year, _year_start())
    names = {i: r["name"] for i, r in orgs.items()}
    visits = [
        dict(r)
        for r in conn.execute(
            _VISITS,
            {
                **params,
                "start": year_first.isoformat(),
                "after": (max(as_of, end) + dt.timedelta(days=1)).isoformat(),
            },
        )
    ]
    coach = get_coach(profile)
    vocabulary = rules.common.visits
    pm = rules.ma.pm_windows
    return DiltReportData(
        title="Progress monitoring for the DILT",
        org_id=org_id,
        org_name=district["name"],
        school_year=year,
        window=window,
        period=f"{year} {window}",
        period_label=f"{WINDOW_WORDS[window]} {year}",
        window_name=span.name,
        window_start=start,
        window_end=end,
        as_of=as_of,
        prepared_by=coach.name,
        prepared_organization=coach.employer or "",
        prepared_contact=_contact_line(coach),
        generated_at=_now_at(district["tz"]),
        due_key=_due_key(profile, org_id, f"{year} {WINDOWS[window]}", today),
        priority=_priority(conn, params, as_of),
        benchmarks=_benchmarks(profile, org_id, year, as_of, window),
        walks=walk_trends(
            profile,
            [v for v in visits if v["visit_type"] in rules.ma.learning_walks.visit_types],
            names,
            as_of,
            vocabulary.final,
            vocabulary.held,
        ),
        action_steps=_action_steps(conn, params, names, as_of, today),
        pm_meetings=_pm_meetings(
            [v for v in visits if v["visit_type"] in pm.visit_types],
            names,
            start,
            end,
            today,
            pm.minimum_minutes,
            vocabulary.held,
        ),
        pm_minimum=pm.minimum_minutes,
        schools=tuple(
            sorted(
                (names[i] for i in in_program if i != org_id),
                key=str.casefold,
            )
        ),
    )


def _now_at(tz: str | None) -> dt.datetime:
    """Now in the district's time zone (the program's when it has none), so the PDF names it."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from coachdesk.core.programs import program

    try:
        return dt.datetime.now(ZoneInfo(tz or program(PROGRAM).tz))
    except (ZoneInfoNotFoundError, ValueError):
        return dt.datetime.now().astimezone()


def _contact_line(coach: Any) -> str:
    # work_email and work_phone are being added to the coach record (data format 4).
    from coachdesk.core.coach import contact_line

    return contact_line(getattr(coach, "work_email", None), getattr(coach, "work_phone", None))


def _due_key(profile: Profile, org_id: str, period: str, today: dt.date) -> str | None:
    from coachdesk.core.tracking_records.due import due_on

    for item in due_on(profile, today):
        if item.rule_id == "ma.pm_window" and item.school_id == org_id and item.period == period:
            return item.key
    return None


def _priority(conn: Any, params: dict[str, Any], as_of: dt.date) -> PriorityStatus:
    from coachdesk.core.caseload import phase_text
    from coachdesk.core.programs import program
    from coachdesk.core.tracking_records.plans import CHECKLIST_STEPS

    row = conn.execute(_PRIORITY, params).fetchone()
    phase = phase_text(program(PROGRAM), as_of)
    if row is None:
        return PriorityStatus(
            False, "", phase, tuple((label, False) for label in CHECKLIST_STEPS.values()), ()
        )
    done = set(_json_list(row["checklist_done"]))
    return PriorityStatus(
        recorded=True,
        statement=(row["statement"] or "").strip(),
        phase=phase,
        checklist=tuple((label, key in done) for key, label in CHECKLIST_STEPS.items()),
        focus_groups=tuple(str(g) for g in _json_list(row["focus_groups"])),
        dilt_focus=(row["dilt_focus"] or "").strip(),
    )


def _json_list(text: str | None) -> list:
    try:
        value = json.loads(text or "[]")
    except ValueError:
        return []
    return value if isinstance(value, list) else []


def _benchmarks(
    profile: Profile, org_id: str, year: str, as_of: dt.date, window: str
) -> BenchmarkTable:
    from coachdesk.core.tracking_records import district_benchmarks as bench

    table = bench.district_benchmarks(profile, org_id, year, today=as_of)
    shown = _CHECKPOINTS[window]
    by_code: dict[str, list[BenchmarkLine]] = {}
    titles: dict[str, str] = {}
    for row in table.rows:
        titles.setdefault(row.code, row.name)
        for checkpoint in shown:
            cells = []
            for group in table.groups:
                cell = row.cell(group, checkpoint)
                if cell.status == "suppressed":
                    result, n = "suppressed", None
                elif cell.value is None:
                    result, n = ("—" if cell.status == "not set" else "no data"), None
                else:
                    result, n = bench.show(cell.value, row.value_type), cell.n
                cells.append(ResultCell(result, n, cell.status))
            by_code.setdefault(row.code, []).append(
                BenchmarkLine(
                    row.org_name,
                    row.org_id == org_id,
                    bench.CHECKPOINT_WORDS[checkpoint],
                    tuple(cells),
                )
            )
    return BenchmarkTable(
        groups=table.groups,
        checkpoints=tuple(bench.CHECKPOINT_WORDS[c] for c in shown),
        min_n=table.min_n,
        benchmarks=tuple(
            Benchmark(code, titles[code], _complementary(lines, len(table.groups), table.min_n))
            for code, lines in by_code.items()
        ),
    )


def _complementary(
    lines: list[BenchmarkLine], groups: int, min_n: int
) -> tuple[BenchmarkLine, ...]:
    """Lines with complementary suppression across schools: when the district's own result is
    shown beside its schools', one suppressed school would be given back by the district's
    total less the others, so the next-smallest school of that group and checkpoint is
    suppressed too (core/tracking_rules/suppression.py)."""
    from coachdesk.core.tracking_rules.suppression import Hidden, suppress_rows

    cells = {id(line): list(line.cells) for line in lines}
    for checkpoint in dict.fromkeys(line.checkpoint for line in lines):
        same = [line for line in lines if line.checkpoint == checkpoint]
        total = [line for line in same if line.is_district]
        schools = [line for line in same if not line.is_district]
        for g in range(groups):
            if not total or total[0].cells[g].suppressed or total[0].cells[g].n is None:
                continue
            # A suppressed cell has lost its n: 0 stands for "below the minimum".
            rows = [
                (str(i), 0 if line.cells[g].suppressed else line.cells[g].n)
                for i, line in enumerate(schools)
            ]
            for line, decision in zip(schools, suppress_rows(rows, threshold=min_n), strict=True):
                if decision.why is Hidden.COMPLEMENTARY:
                    cells[id(line)][g] = ResultCell(COMPLEMENTARY, None, "suppressed")
    return tuple(
        BenchmarkLine(line.org_name, line.is_district, line.checkpoint, tuple(cells[id(line)]))
        for line in lines
    )


def _action_steps(
    conn: Any, params: dict[str, Any], names: dict[str, str], as_of: dt.date, today: dt.date
) -> tuple[ActionStep, ...]:
    rows = conn.execute(
        _ACTION_STEPS,
        {
            **params,
            "after": (as_of + dt.timedelta(days=1)).isoformat(),
            "as_of": as_of.isoformat(),
        },
    )
    steps = []
    for r in rows:
        due = dt.date.fromisoformat(r["due"][:10]) if r["due"] else None
        steps.append(
            ActionStep(
                text=(r["text"] or "").strip(),
                owner=(r["owner"] or "").strip(),
                due=due,
                org_name=names.get(r["org_id"], ""),
                agreed_on=_day(r["starts_at"]),
                overdue=due is not None and due < as_of,
            )
        )
    return tuple(s for s in steps if s.text)


def _pm_meetings(
    visits: list[dict[str, Any]],
    names: dict[str, str],
    start: dt.date,
    end: dt.date,
    today: dt.date,
    minimum: int,
    held: Iterable[str],
) -> tuple[PmMeeting, ...]:
    held = frozenset(held)
    meetings = []
    for v in visits:
        day = _day(v["starts_at"])
        if not start <= day <= end or v["status"] == "cancelled":
            continue
        minutes = _minutes(v["starts_at"], v["ends_at"])
        meetings.append(
            PmMeeting(
                day=day,
                org_name=names.get(v["org_id"], ""),
                minutes=minutes,
                held=day <= today and v["status"] in held,
                long_enough=minutes is not None and minutes >= minimum,
            )
        )
    return tuple(meetings)


def _day(stamp: str) -> dt.date:
    return dt.date.fromisoformat(str(stamp)[:10])


def _minutes(starts: str, ends: str | None) -> int | None:
    if not ends:
        return None
    try:
        delta = dt.datetime.fromisoformat(str(ends)) - dt.datetime.fromisoformat(str(starts))
    except ValueError:
        return None
    return max(0, int(delta.total_seconds() // 60))
