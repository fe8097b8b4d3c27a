"""Small builders for caseload facts, so each test reads as the situation it checks."""

from __future__ import annotations

import datetime as dt
import itertools

from coachdesk.core.tracking_rules import (
    CaseloadFacts,
    DueItem,
    SchoolFact,
    VisitFact,
    due_items,
)

_ids = itertools.count(1)


def visit(
    school: str,
    when: dt.datetime | dt.date,
    *,
    type: str = "onsite",
    status: str = "final",
    minutes: int | None = 60,
    shared: bool = True,
) -> VisitFact:
    """A visit; a plain date means 10:00 school-local time."""
    if not isinstance(when, dt.datetime):
        when = dt.datetime.combine(when, dt.time(10, 0))
    return VisitFact(
        id=f"v{next(_ids)}",
        school_id=school,
        type=type,
        start=when,
        status=status,
        minutes=minutes,
        shared_at=when if shared and status in ("final", "shared") else None,
    )


def items(
    schools: SchoolFact | tuple[SchoolFact, ...],
    on: dt.date | dt.datetime,
    **facts,
) -> list[DueItem]:
    if isinstance(schools, SchoolFact):
        schools = (schools,)
    return due_items(CaseloadFacts(schools=schools, **facts), on)


def by_rule(found: list[DueItem], rule_id: str) -> list[DueItem]:
    return [item for item in found if item.rule_id == rule_id]


def one(found: list[DueItem], rule_id: str) -> DueItem:
    matching = by_rule(found, rule_id)
    assert len(matching) == 1, [(i.rule_id, i.key, i.state) for i in found]
    return matching[0]
