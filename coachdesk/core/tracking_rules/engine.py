"""What every rule module shares: display settings, the state of an item on a day, and a view
of one school's facts on its local day."""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from coachdesk.core.tracking_rules.dates import MonthDay, school_year_of, zone
from coachdesk.core.tracking_rules.facts import (
    Act,
    Closing,
    DueItem,
    DueState,
    ObligationFact,
    OpenTarget,
    SchoolFact,
    TargetKind,
    VisitFact,
)
from coachdesk.core.tracking_rules.rulefile import Reader


@dataclass(frozen=True)
class Display:
    """How far ahead and behind the Today view looks (common.toml [display])."""

    upcoming_days: int = 30
    this_week_days: int = 7
    notice_days: int = 7
    overdue_shown_days: int = 60

    @classmethod
    def read(cls, reader: Reader) -> Display:
        display = cls(
            upcoming_days=reader.integer("upcoming_days", minimum=0),
            this_week_days=reader.integer("this_week_days", minimum=1),
            notice_days=reader.integer("notice_days", minimum=1),
            overdue_shown_days=reader.integer("overdue_shown_days", minimum=0),
        )
        reader.done()
        return display


@dataclass(frozen=True)
class VisitVocabulary:
    """Which visit statuses mean held, final, ignored (common.toml [visits])."""

    held: frozenset[str] = frozenset({"draft", "final", "shared"})
    final: frozenset[str] = frozenset({"final", "shared"})
    ignored: frozenset[str] = frozenset({"cancelled"})

    @classmethod
    def read(cls, reader: Reader) -> VisitVocabulary:
        vocabulary = cls(
            held=frozenset(reader.texts("held_statuses")),
            final=frozenset(reader.texts("final_statuses")),
            ignored=frozenset(reader.texts("ignored_statuses")),
        )
        reader.done()
        if not vocabulary.final <= vocabulary.held:
            raise reader.fail("final_statuses", "every final status must also be a held status.")
        return vocabulary


def classify(
    due: dt.date,
    today: dt.date,
    display: Display,
    *,
    at_risk_from: dt.date | None = None,
    keep_overdue: bool = False,
    overdue_shown_days: int | None = None,
) -> DueState | None:
    """The state of something due on `due`, seen on `today`; None when it is not worth listing
    (too far ahead, or overdue for longer than the view keeps calendar items)."""
    if today > due:
        limit = display.overdue_shown_days if overdue_shown_days is None else overdue_shown_days
        return DueState.OVERDUE if keep_overdue or (today - due).days <= limit else None
    if today == due:
        return DueState.DUE_TODAY
    if at_risk_from is not None and today >= at_risk_from:
        return DueState.AT_RISK
    ahead = (due - today).days
    if ahead < display.this_week_days:
        return DueState.DUE_THIS_WEEK
    if ahead <= display.upcoming_days:
        return DueState.UPCOMING
    return None


class SchoolDay:
    """One school's facts seen on its local day. Built once per school by the engine."""

    def __init__(
        self,
        school: SchoolFact,
        today: dt.date,
        visits: Iterable[VisitFact],
        obligations: Iterable[ObligationFact],
        display: Display,
        vocabulary: VisitVocabulary,
        year_start: MonthDay,
        closed_statuses: frozenset[str] = frozenset({"done", "submitted", "waived"}),
        closing: Callable[[str, str, DueState], Closing | None] | None = None,
    ) -> None:
        self.school = school
        self.today = today
        self.display = display
        self.vocabulary = vocabulary
        self.year_start = year_start
        self.school_year = school_year_of(today, year_start)
        # The hot path for large caseloads: one time-zone conversion per visit, done inline.
        tz = zone(school.tz)
        ignored = vocabulary.ignored
        kept = [v for v in visits if v.status not in ignored]
        days = [
            v.start.astimezone(tz).date() if v.start.tzinfo is not None else v.start.date()
            for v in kept
        ]
        order = sorted(range(len(kept)), key=days.__getitem__)
        self.visit_days = [days[i] for i in order]
        self.visits = [kept[i] for i in order]
        # How many visits fall on or before today (the ones that may have been held).
        self.held_count = bisect.bisect_right(self.visit_days, today)
        self.obligations = {(o.kind, o.period): o for o in obligations}
        self.closed_statuses = closed_statuses
        self.claimed: set[str] = set()
        # From an item's rule and period to the obligation that closes it (closings.py).
        self.closing = closing

    # --- visits ----------------------------------------------------------------------------

    def visits_between(self, first: dt.date, last: dt.date) -> list[tuple[dt.date, VisitFact]]:
        """Visits (not cancelled) whose local day falls in [first, last]."""
        lo = bisect.bisect_left(self.visit_days, first)
        hi = bisect.bisect_right(self.visit_days, last)
        return list(zip(self.visit_days[lo:hi], self.visits[lo:hi], strict=True))

    def held(self, visit: VisitFact, day: dt.date) -> bool:
        """Whether a visit took place by today (its note exists in some state)."""
        return day <= self.today and visit.status in self.vocabulary.held

    def finalized(self, visit: VisitFact, day: dt.date) -> bool:
        return day <= self.today and visit.status in self.vocabulary.final

    def last_held(self, types: frozenset[str]) -> dt.date | None:
        """The local day of the latest held visit of one of `types`, up to today."""
        for index in range(self.held_count - 1, -1, -1):
            visit = self.visits[index]
            if visit.type in types and visit.status in self.vocabulary.held:
                return self.visit_days[index]
        return None

    # --- obligations -----------------------------------------------------------------------

    def obligation(self, kind: str, period: str) -> ObligationFact | None:
        """The recorded obligation for (kind, period), marked as used by a calendar rule."""
        found = self.obligations.get((kind, period))
        if found is not None:
            self.claimed.add(found.id)
        return found

    def is_closed(self, obligation: ObligationFact | None) -> bool:
        return obligation is not None and obligation.status in self.closed_statuses

    # --- making items ----------------------------------------------------------------------

    def too_early(self, due: dt.date) -> bool:
        """Whether `due` falls before coaching began, so it is not the coach's to report."""
        return self.school.since is not None and due < self.school.since

    def item(
        self,
        *,
        rule_id: str,
        what: str,
        due: dt.date,
        state: DueState,
        explanation: str,
        kind: TargetKind,
        period: str,
        record_id: str | None = None,
        act: Act | None = None,
        how: str | None = None,
    ) -> DueItem:
        closing = self.closing
        closes_as = closing(rule_id, period, state) if closing and rule_id in CLOSED_BY else None
        if act is None and closes_as is not None:
            act, how = Act.RECORD, closes_as.verb  # recording the obligation closes it
        elif act is None:
            act, default_how = _DEFAULT_ACTS[kind]
            how = how or default_how
        return DueItem(
            school_id=self.school.id,
            what=what,
            due=due,
            state=state,
            rule_id=rule_id,
            explanation=explanation,
            target=OpenTarget(self.school.id, kind, record_id),
            key=f"{rule_id}:{self.school.id}:{period}",
            act=act,
            how=how or "",
            closes_as=closes_as,
        )


# The rules whose items an obligation can close (tracking_rules/closings.py says how).
CLOSED_BY = frozenset(
    {
        "ny.quarterly_report",
        "ny.public_hearing",
        "ny.monthly_visit",
        "ma.phase1_checklist",
        "ma.pm_window",
        "ma.learning_walk",
        "oh.coaching_log",
        "oh.update_survey",
        "oh.action_plan",
        "oh.team_roster",
    }
)

_DEFAULT_ACTS = {
    TargetKind.VISIT: (Act.PLAN_VISIT, "Plan a visit"),
    TargetKind.ACTION_ITEM: (Act.MARK_DONE, "Mark done"),
    TargetKind.INDICATOR: (Act.RECORD_MEASUREMENT, "Record a measurement"),
    TargetKind.PLAN: (Act.OPEN, "Open the plan"),
    TargetKind.OBLIGATION: (Act.OPEN, "Open"),
}


@dataclass(frozen=True)
class Scope:
    """Every rule's first two settings: whether it runs, and for which kinds of organisation."""

    enabled: bool = True
    applies_to: frozenset[str] = frozenset({"school"})

    @classmethod
    def read(cls, reader: Reader, default: tuple[str, ...] = ("school",)) -> Scope:
        kinds = reader.texts("applies_to", default)
        unknown = set(kinds) - {"school", "district"}
        if unknown:
            raise reader.fail("applies_to", f"lists {sorted(unknown)[0]!r}; use school, district.")
        return cls(reader.flag("enabled", True), frozenset(kinds))

    def covers(self, school: SchoolFact) -> bool:
        return self.enabled and school.kind in self.applies_to
