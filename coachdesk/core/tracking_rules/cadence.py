"""The rules engine: what is due, at risk or overdue across a caseload on a day.

`due_items` is a pure function over plain facts: the same facts, day and rules always give the
same list. Each organisation is judged on its own local day (its time zone), so an aware `on`
can fall on different days for schools in different zones.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from functools import partial

from coachdesk.core.programs import programs
from coachdesk.core.tracking_rules import common, ma, ny, oh
from coachdesk.core.tracking_rules.closings import closing_of
from coachdesk.core.tracking_rules.dates import JULY_FIRST, MonthDay, local_day
from coachdesk.core.tracking_rules.engine import SchoolDay
from coachdesk.core.tracking_rules.facts import CaseloadFacts, DueItem, SchoolFact
from coachdesk.core.tracking_rules.rules import Rules, shipped_rules


def due_items(
    caseload_facts: CaseloadFacts,
    on: dt.date | dt.datetime,
    rules: Rules | None = None,
) -> list[DueItem]:
    """Every item due across the caseload on `on`, most pressing first.

    `on` is a date (taken as every school's local day) or an aware datetime (converted to each
    school's time zone). `rules` defaults to the shipped resources/rules.
    """
    rules = rules or shipped_rules()
    visits = defaultdict(list)
    for visit in caseload_facts.visits:
        visits[visit.school_id].append(visit)
    action_items = defaultdict(list)
    for action in caseload_facts.action_items:
        action_items[action.school_id].append(action)
    obligations = defaultdict(list)
    for obligation in caseload_facts.obligations:
        obligations[obligation.school_id].append(obligation)
    indicators = defaultdict(list)
    for indicator in caseload_facts.indicators:
        indicators[indicator.school_id].append(indicator)

    found: list[DueItem] = []
    closing = partial(closing_of, rules)
    for school in caseload_facts.schools:
        day = SchoolDay(
            school,
            local_day(on, school.tz),
            visits.get(school.id, ()),
            obligations.get(school.id, ()),
            rules.common.display,
            rules.common.visits,
            _year_start(school.program),
            rules.common.obligations.closed_statuses,
            closing,
        )
        found.extend(_open_items(day, rules, action_items, obligations, indicators))
    found.sort(key=DueItem.sort_key)
    return found


def _open_items(
    day: SchoolDay, rules: Rules, action_items, obligations, indicators
) -> Iterator[DueItem]:
    """The school's items less those the coach closed by recording their obligation (a month
    marked excused); looking the obligation up claims it, so it is not listed again below."""
    for item in _school_items(day, rules, action_items, obligations, indicators):
        closes_as = item.closes_as
        if closes_as is not None and day.is_closed(
            day.obligation(closes_as.kind, closes_as.period)
        ):
            continue
        yield item


def _school_items(
    day: SchoolDay, rules: Rules, action_items, obligations, indicators
) -> Iterator[DueItem]:
    school: SchoolFact = day.school
    # Program rules run first: they claim the obligations they track, so the generic obligation
    # rule below does not list those twice.
    if school.program == ny.PROGRAM:
        yield from ny.evaluate(day, rules.ny, indicators.get(school.id, []))
    elif school.program == ma.PROGRAM:
        yield from ma.evaluate(day, rules.ma, indicators.get(school.id, []))
    elif school.program == oh.PROGRAM:
        yield from oh.evaluate(day, rules.oh, _flag_names())
    shared = rules.common
    yield from common.action_items(day, shared.action_items, action_items.get(school.id, ()))
    yield from common.notes(day, shared.note_draft, shared.note_unshared)
    yield from common.obligations(day, shared.obligations, obligations.get(school.id, ()))


def _year_start(program_code: str) -> MonthDay:
    found = programs().get(program_code)
    if found is None:
        return JULY_FIRST
    return MonthDay(*found.school_year_start)


def _flag_names() -> dict[str, str]:
    found = programs().get(oh.PROGRAM)
    return dict(found.flag_reasons) if found else {}
