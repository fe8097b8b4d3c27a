"""The caseload: which schools a coach works with, and where each stands in its program.

Reads return frozen dataclasses. `list_caseload` is on the start-up path and reads through the
profile's plain sqlite3 connection (see quickcheck.py for why); everything else uses the ORM.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from coachdesk.core.programs import Program, programs
from coachdesk.core.store.profile import Profile


@dataclass(frozen=True)
class CaseloadRow:
    """One school in one program, as the caseload table shows it."""

    school_id: str
    school_name: str
    state_id: str | None
    city: str | None
    district_id: str | None
    district_name: str
    assignment_id: str
    program_code: str
    program_name: str
    school_year: str
    status: str  # the program status in words: stage, Receivership year or MA phase
    stage: str | None
    receivership_year: int | None
    active_flags: int
    last_visit: dt.date | None = None


def current_school_year(today: dt.date | None = None) -> str:
    """The school year the caseload shows by default (all programs start theirs on 1 July)."""
    today = today or dt.date.today()
    return next(iter(programs().values())).school_year(today)


def status_text(
    prog: Program, *, stage: str | None, receivership_year: int | None, today: dt.date
) -> str:
    """A school's program status in words, the same wherever it is shown."""
    if prog.status_kind == "stage":
        return stage or "Stage not recorded"
    if prog.status_kind == "receivership_year":
        return f"Receivership year {receivership_year}" if receivership_year else "Year not set"
    if prog.status_kind == "phase":
        return phase_text(prog, today)
    return ""


def phase_text(prog: Program, today: dt.date) -> str:
    """The MA partnership phase(s) on a date, e.g. "Phases 2 & 3: Implement, Track"."""
    phases = prog.phases_on(today)
    if not phases:
        return "Between cycles (summer)"
    if len(phases) == 1:
        return f"Phase {phases[0].number}: {phases[0].short_name}"
    numbers = " & ".join(str(p.number) for p in phases)
    return f"Phases {numbers}: " + ", ".join(p.short_name for p in phases)


_CASELOAD_SQL = """
SELECT s.id AS school_id, s.name AS school_name, s.state_id, s.city,
       d.id AS district_id, COALESCE(d.name, '') AS district_name,
       a.id AS assignment_id, a.program_code, a.school_year, a.receivership_year,
       (SELECT r.stage FROM stage_record r
         WHERE r.org_id = s.id AND r.program_code = a.program_code AND r.deleted_at IS NULL
         ORDER BY r.effective DESC, r.created_hlc DESC LIMIT 1) AS stage,
       (SELECT count(*) FROM coaching_flag f
         WHERE f.org_id = s.id AND f.deleted_at IS NULL AND f.ended_on IS NULL) AS active_flags,
       (SELECT max(v.starts_at) FROM visit v
         WHERE v.org_id = s.id AND v.deleted_at IS NULL AND v.starts_at <= :now) AS last_visit
  FROM assignment a
  JOIN organization s ON s.id = a.org_id
  LEFT JOIN organization d ON d.id = s.parent_id
 WHERE a.deleted_at IS NULL AND s.deleted_at IS NULL AND s.archived_on IS NULL
   AND a.status = 'active'
   AND a.school_year = :year
 ORDER BY district_name, s.name, a.program_code
"""


def list_caseload(
    profile: Profile, *, school_year: str | None = None, today: dt.date | None = None
) -> list[CaseloadRow]:
    """Every active assignment of the school year (default: the current one), by district."""
    today = today or dt.date.today()
    year = school_year or current_school_year(today)
    known = programs()
    # A planned visit (dated ahead) is not the last visit. starts_at is stored as
    # "YYYY-MM-DD HH:MM:SS", so the comparison is on text.
    now = dt.datetime.combine(today, dt.datetime.now().time()).isoformat(
        sep=" ", timespec="seconds"
    )
    rows = profile.quick_connection().execute(_CASELOAD_SQL, {"year": year, "now": now}).fetchall()
    result = []
    for r in rows:
        prog = known.get(r["program_code"])
        if prog is None:  # a program this version does not ship (from a newer colleague)
            continue
        result.append(
            CaseloadRow(
                school_id=r["school_id"],
                school_name=r["school_name"],
                state_id=r["state_id"],
                city=r["city"],
                district_id=r["district_id"],
                district_name=r["district_name"],
                assignment_id=r["assignment_id"],
                program_code=prog.code,
                program_name=prog.name,
                school_year=r["school_year"],
                status=status_text(
                    prog, stage=r["stage"], receivership_year=r["receivership_year"], today=today
                ),
                stage=r["stage"],
                receivership_year=r["receivership_year"],
                active_flags=r["active_flags"],
                last_visit=dt.date.fromisoformat(r["last_visit"][:10]) if r["last_visit"] else None,
            )
        )
    return result
