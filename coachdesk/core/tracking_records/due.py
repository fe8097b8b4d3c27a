"""What is due across the caseload on a day, grouped the way the Today view and `coachdesk due`
show it: overdue, today, this week, coming up."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from coachdesk.core.dates_text import month_day
from coachdesk.core.programs import programs
from coachdesk.core.store.profile import Profile
from coachdesk.core.tracking_records.facts_query import read_facts
from coachdesk.core.tracking_rules import DueItem, DueState, Rules, due_items, shipped_rules


class Group(StrEnum):
    OVERDUE = "Overdue"
    TODAY = "Today"
    THIS_WEEK = "This week"
    COMING_UP = "Coming up"
    # Due before this school year began (a draft note or a next step from last spring): kept,
    # folded at the end, so they do not crowd this year's list.
    LAST_YEAR = "Last school year"


GROUP_ORDER = {group: rank for rank, group in enumerate(Group)}


@dataclass(frozen=True)
class DueEntry:
    """A due item with what a list needs to show it: the school's name, program and group."""

    item: DueItem
    school_name: str
    program_code: str
    group: Group
    # The district the school is in (a district's own item: the district), for Today's filter.
    district_id: str | None = None
    district_name: str | None = None

    @property
    def program_name(self) -> str:
        found = programs().get(self.program_code)
        return found.name if found else self.program_code

    def as_json(self) -> dict:
        """The entry as plain JSON values (for `coachdesk due --json`)."""
        item = self.item
        return {
            "group": self.group.value,
            "school_id": item.school_id,
            "school": self.school_name,
            "program": self.program_code,
            "district_id": self.district_id,
            "what": item.what,
            "due": item.due.isoformat(),
            "state": item.state.value,
            "rule": item.rule_id,
            "why": item.explanation,
            "open": {
                "kind": item.target.kind.value,
                "school_id": item.target.school_id,
                "record_id": item.target.record_id,
            },
            "key": item.key,
            "closable": item.closable,
            "how": item.how,
            "act": item.act.value,
            "close": None
            if item.closes_as is None
            else {
                "kind": item.closes_as.kind,
                "period": item.closes_as.period,
                "status": item.closes_as.status,
                "verb": item.closes_as.verb,
            },
        }


def group_of(
    item: DueItem, day: dt.date, this_week_days: int = 7, year_began: dt.date | None = None
) -> Group:
    """Which list an item goes in on `day`; `year_began` is the first day of the school year
    `day` is in (items due before it go in the last school year's group)."""
    if year_began is not None and item.due < year_began:
        return Group.LAST_YEAR
    if item.state in (DueState.OVERDUE, DueState.MISSED) or item.due < day:
        return Group.OVERDUE
    if item.state in (DueState.DUE_TODAY, DueState.NOTICE) or item.due == day:
        return Group.TODAY
    if (item.due - day).days < this_week_days or item.state is DueState.AT_RISK:
        return Group.THIS_WEEK
    return Group.COMING_UP


def due_on(profile: Profile, day: dt.date, rules: Rules | None = None) -> list[DueItem]:
    """Every item due across the caseload on `day`, most pressing first."""
    rules = rules or shipped_rules()
    facts, _names = read_facts(profile, day, rules)
    return due_items(facts, day, rules)


def due_entries(profile: Profile, day: dt.date, rules: Rules | None = None) -> list[DueEntry]:
    """The due items of `day` with school names and groups, sorted by group then urgency."""
    return today_data(profile, day, rules).entries


@dataclass(frozen=True)
class TodayData:
    """What the Today view shows, read in one pass: the due entries and the program summaries."""

    entries: list[DueEntry]
    summaries: list  # indicators.ProgramSummary
    day: dt.date | None = None  # the day the rules were judged on
    on_caseload: int = 0  # schools and districts on the caseload that day, judged or not


def today_data(profile: Profile, day: dt.date, rules: Rules | None = None) -> TodayData:
    """Read the caseload once and return its due entries and program summaries for `day`."""
    from coachdesk.core.tracking_records.indicators import summaries_from_facts

    rules = rules or shipped_rules()
    facts, names = read_facts(profile, day, rules)
    program_of = {s.id: s.program for s in facts.schools}
    week = rules.common.display.this_week_days
    began = {code: _year_began(code, day) for code in set(program_of.values())}
    districts = _districts(profile)
    kinds = {s.id: s.kind for s in facts.schools}
    entries = []
    for item in due_items(facts, day, rules):
        sid = item.school_id
        code = program_of.get(sid, "")
        group = group_of(item, day, week, began.get(code))
        district = (sid, names.get(sid)) if kinds.get(sid) == "district" else districts.get(sid)
        entries.append(
            DueEntry(
                item,
                names.get(sid, "Unknown school"),
                code,
                group,
                district[0] if district else None,
                district[1] if district else None,
            )
        )
    entries.sort(key=lambda e: (GROUP_ORDER[e.group], *e.item.sort_key()))
    return TodayData(entries, summaries_from_facts(facts, day), day, len(facts.schools))


def filter_entries(
    entries: list[DueEntry], *, program: str | None = None, organization: str | None = None
) -> list[DueEntry]:
    """The entries of one program and/or one school or district (a district's id keeps its
    own items and its schools')."""
    return [
        e
        for e in entries
        if (program is None or e.program_code == program)
        and (organization is None or organization in (e.item.school_id, e.district_id))
    ]


def _districts(profile: Profile) -> dict[str, tuple[str, str]]:
    """Each school's district, by the school's id: (district id, its name)."""
    rows = profile.quick_connection().execute(
        "SELECT s.id, d.id, d.name FROM organization s JOIN organization d ON d.id = s.parent_id"
        " WHERE s.deleted_at IS NULL AND d.deleted_at IS NULL"
    )
    return {r[0]: (r[1], r[2]) for r in rows}


def _year_began(program_code: str, day: dt.date) -> dt.date:
    """The first day of the program's school year holding `day`."""
    from coachdesk.core.school_year import start_year_of

    found = programs().get(program_code)
    month, first = found.school_year_start if found else (7, 1)
    return dt.date(start_year_of(day, (month, first)), month, first)


@dataclass(frozen=True)
class Badge:
    """A school's most pressing item, for the caseload table's "Next due" column."""

    text: str
    group: Group
    count: int  # items listed for the school
    due: dt.date
    first_what: str = ""  # the most pressing item, in words

    @property
    def rank(self) -> int:
        return GROUP_ORDER[self.group]


def next_due_badges(entries: list[DueEntry]) -> dict[str, Badge]:
    """Per school id: a short badge ("3 overdue", "today", "30 Nov") for its most pressing
    group, with the first item's words for the tooltip and how many items it has in all."""
    counts: dict[str, int] = {}
    in_group: dict[tuple[str, Group], int] = {}
    first: dict[str, DueEntry] = {}
    for entry in entries:
        sid = entry.item.school_id
        counts[sid] = counts.get(sid, 0) + 1
        in_group[(sid, entry.group)] = in_group.get((sid, entry.group), 0) + 1
        first.setdefault(sid, entry)
    badges = {}
    for sid, entry in first.items():
        n = in_group[(sid, entry.group)]
        if entry.group is Group.COMING_UP:
            label = month_day(entry.item.due)
        else:
            label = f"{n} {entry.group.value.lower()}" if n > 1 else entry.group.value.lower()
        badges[sid] = Badge(label, entry.group, counts[sid], entry.item.due, entry.item.what)
    return badges
