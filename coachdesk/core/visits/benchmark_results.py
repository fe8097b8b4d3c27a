"""A progress-monitoring meeting's benchmark results, bound to the district's benchmarks.

From version 2 of the MA progress-monitoring form, each result row names a benchmark by its
code, the school (when the district has several with that benchmark) and the student group,
with a number and how many students it counts (fields bound to `benchmark_results.*`). A row
that names no benchmark of the district keeps the note from being final, with a sentence; when
the note is finalized, each row is recorded as that benchmark's measurement on the meeting's
day, so the district's results are data, and the "no ML and SWD data" rule reads them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coachdesk.core import forms
from coachdesk.core.ids import stable_id
from coachdesk.core.records import stamp_now
from coachdesk.core.store.schema import Organization
from coachdesk.core.store.tracking_tables import Indicator, Measurement
from coachdesk.core.store.visit_tables import Visit

PREFIX = "benchmark_results."
# The form's student groups as the benchmarks name them (indicator.subgroup).
GROUPS = {"all": "All", "ml": "ML", "swd": "SWD", "low_income": "Low income"}
SOURCE = "progress-monitoring meeting"


@dataclass(frozen=True)
class BoundResult:
    row: int
    indicator_id: str
    value: float
    n: int | None


def result_repeat(definition: forms.FormDefinition | None) -> forms.FieldDef | None:
    """The form's repeat of bound benchmark results, if it has one."""
    if definition is None:
        return None
    for field, _repeat in definition.walk():
        if field.type == "repeat" and any(
            (c.bind or "").startswith(PREFIX) for c in field.children
        ):
            return field
    return None


def bind_results(
    session: Session, visit: Visit, definition: forms.FormDefinition | None, response: dict
) -> tuple[list[BoundResult], list[str]]:
    """Each result row matched to one benchmark of the district, and a sentence per row that
    matches none (or more than one)."""
    repeat = result_repeat(definition)
    if repeat is None:
        return [], []
    names = {(c.bind or "")[len(PREFIX) :]: c.name for c in repeat.children}
    rows = response.get(repeat.name) or []
    orgs = _organizations(session, visit.org_id)
    bound, problems = [], []
    for index, row in enumerate(rows if isinstance(rows, list) else []):
        if not isinstance(row, dict):
            continue
        code = str(row.get(names.get("code", "")) or "").strip()
        if not code:
            continue
        where = f"Benchmark result {index + 1} ({code})"
        group = GROUPS.get(str(row.get(names.get("group", "")) or ""))
        if group is None:
            problems.append(f"{where}: pick All students, ML, SWD or Low income")
            continue
        school = str(row.get(names.get("school", "")) or "").strip().casefold()
        candidates = {
            oid: name for oid, name in orgs.items() if not school or school in name.casefold()
        }
        matching = session.execute(
            select(Indicator.id, Indicator.org_id).where(
                Indicator.org_id.in_(sorted(candidates)),
                Indicator.origin == "benchmark",
                Indicator.subgroup == group,
                Indicator.code.ilike(code),
                Indicator.deleted_at.is_(None),
            )
        ).all()
        if not matching:
            problems.append(
                f"{where}: no benchmark {code} for {group} at "
                + ("that school" if school else "the district's schools")
                + "; use a code from the schools' pages"
            )
            continue
        if len(matching) > 1:
            problems.append(f"{where}: several schools have {code}; name the school")
            continue
        value = _number(row.get(names.get("value", "")))
        if value is None:
            problems.append(f"{where}: enter the result as a number")
            continue
        n = row.get(names.get("n", ""))
        bound.append(BoundResult(index, matching[0][0], value, n if isinstance(n, int) else None))
    return bound, problems


def record_results(session: Session, visit: Visit, bound: list[BoundResult]) -> None:
    """Write each bound result as its benchmark's measurement on the meeting's day (the same
    record again when the note is amended and finalized again; removed rows are tombstoned)."""
    day = visit.starts_at.date()
    kept = set()
    for result in bound:
        record_id = stable_id(f"pm-result:{visit.id}:{result.row}")
        kept.add(record_id)
        row = session.get(Measurement, record_id)
        if row is None:
            row = Measurement(id=record_id, indicator_id=result.indicator_id, as_of=day)
            session.add(row)
        row.indicator_id, row.as_of, row.deleted_at = result.indicator_id, day, None
        row.value = json.dumps(result.value)
        row.n = result.n
        row.source = SOURCE
    # Rows removed since the note was last final: their measurements go (tombstones).
    removed = stamp_now()
    for index in range(len(bound), len(bound) + 50):
        earlier = session.get(Measurement, stable_id(f"pm-result:{visit.id}:{index}"))
        if earlier is not None and earlier.deleted_at is None:
            earlier.deleted_at = removed


def _organizations(session: Session, org_id: str) -> dict[str, str]:
    """The meeting's organization and, for a district, its schools, by id with their names."""
    found = {
        r.id: r.name
        for r in session.execute(
            select(Organization.id, Organization.name).where(
                (Organization.id == org_id) | (Organization.parent_id == org_id),
                Organization.deleted_at.is_(None),
            )
        )
    }
    return found


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value).strip().rstrip("%"))
    except ValueError:
        return None
