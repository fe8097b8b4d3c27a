"""What the indicator, target and measurement commands read from the command line and print
as JSON: dates, windows, whole numbers and the records' JSON shapes."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from coachdesk.core.tracking_records.indicator_setup import IndicatorRow
    from coachdesk.core.tracking_records.indicator_targets import TargetView


def date(text: str, option: str) -> dt.date:
    from coachdesk.core.dates_text import read_date
    from coachdesk.core.errors import RefusedInput

    day = read_date(text or "")
    if day is None:
        raise RefusedInput(f"{option} “{text}” is not a date; write it like 2026-10-14.")
    return day


def whole(text: str) -> int | None:
    from coachdesk.core.errors import RefusedInput

    if not text.strip():
        return None
    try:
        return int(text)
    except ValueError:
        raise RefusedInput(f"--n “{text}” is not a whole number of students.") from None


def window(text: str, name: str) -> tuple[str, str]:
    from coachdesk.core.errors import RefusedInput

    parts = text.split(":") if ":" in text else text.split("..")
    if len(parts) != 2 or not all(p.strip() for p in parts):
        raise RefusedInput(
            f"--{name}-window “{text}” is not a window; write FROM:TO, such as "
            "2026-09-15:2026-10-30."
        )
    return parts[0].strip(), parts[1].strip()


def this_year() -> str:
    from coachdesk.core.caseload import current_school_year

    return current_school_year()


def indicator_json(r: IndicatorRow) -> dict[str, Any]:
    return {
        "id": r.id,
        "org_id": r.org_id,
        "school": r.org_name,
        "program": r.program_code,
        "kind": r.kind,
        "level": r.level,
        "code": r.code,
        "name": r.name,
        "group": r.group,
        "value_type": r.value_type,
        "direction": r.direction,
        "target_set": list(r.target_set),
        "source": r.source,
        "retired": r.retired,
    }


def target_json(target: TargetView | None) -> dict[str, Any] | None:
    if target is None:
        return None
    return {
        "id": target.id,
        "school_year": target.school_year,
        "baseline": target.baseline,
        "baseline_year": target.baseline_year,
        "annual_target": target.annual_target,
        "checkpoints": [
            {"name": n, "from": s.isoformat(), "to": e.isoformat(), "goal": g}
            for n, s, e, g in target.checkpoints
        ],
    }
