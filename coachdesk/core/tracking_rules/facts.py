"""The plain data the cadence rules read (a caseload's facts) and what they return (due items).

These are frozen dataclasses with no database behind them: the store builds them from its tables
and the Today view shows the DueItems. Vocabulary (visit types and statuses) is the rules' own and
is listed in resources/rules/common.toml, so a store that spells them differently maps them once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from coachdesk.core.tracking_rules.dates import zone
from coachdesk.core.tracking_rules.indicators import Indicator, Measurement, Target

# Visit types the shipped rules name (resources/rules/*.toml may list others).
VISIT_TYPES = ("onsite", "virtual", "check_in", "pm_meeting", "learning_walk", "ta_session")
# Visit statuses: planned (on the calendar), draft/final/shared (held, note in that state),
# cancelled (ignored by every rule).
VISIT_STATUSES = ("planned", "draft", "final", "shared", "cancelled")


@dataclass(frozen=True)
class FlagFact:
    """An OH coaching flag: a reason for more frequent coaching, active from `start`."""

    reason: str
    start: dt.date
    ended_on: dt.date | None = None

    def active_on(self, day: dt.date) -> bool:
        return self.start <= day and (self.ended_on is None or day < self.ended_on)


@dataclass(frozen=True)
class SchoolFact:
    """One organisation on the caseload, in one program. A district is an entry too (MA PM
    meetings and OH coaching logs are district-level); `school_id` in the output is its id."""

    id: str
    name: str
    program: str  # NY_RCV | MA_SSOS | OH_NNPS
    kind: str = "school"  # school | district
    tz: str = "America/New_York"
    stage: str | None = None  # OH implementation stage, current
    flags: tuple[FlagFact, ...] = ()  # OH coaching flags (active and ended)
    since: dt.date | None = None  # when coaching began; nothing earlier is reported as due
    first_student_day: dt.date | None = None  # NY: first day of student attendance this year
    checklist_done: frozenset[str] = field(default_factory=frozenset)  # MA Phase 1 step ids

    def __post_init__(self) -> None:
        try:
            zone(self.tz)
        except ValueError as exc:
            raise ValueError(f"{self.name}: {exc}") from None


@dataclass(frozen=True)
class VisitFact:
    """A visit on the calendar or held. `start` is aware, or naive meaning school-local time."""

    id: str
    school_id: str
    type: str
    start: dt.datetime
    status: str
    minutes: int | None = None
    shared_at: dt.datetime | None = None
    # The day the visit was entered, when it was entered after it took place (a back-filled
    # note): the note rules start their clocks from it, not from the visit's day.
    entered: dt.date | None = None


@dataclass(frozen=True)
class ActionItemFact:
    """A next step agreed in a visit."""

    id: str
    school_id: str
    text: str
    due: dt.date | None
    status: str = "open"  # open | done | dropped
    source_visit_id: str | None = None


@dataclass(frozen=True)
class ObligationFact:
    """A dated duty: a report, a hearing, a plan. Calendar rules look theirs up by (kind, period)
    to learn whether it is done and whether its due date was moved; the rest are listed as is.

    Kinds the rules use: NY Q1..Q4 and PublicHearing (period "2026-27"); OH CoachingLog (period
    "2026-27 Q1".."Q4") and OYAP (period: the school year whose spring it is due in)."""

    id: str
    school_id: str
    kind: str
    period: str
    due: dt.date | None = None
    status: str = "open"  # open | done | submitted | waived
    label: str | None = None


@dataclass(frozen=True)
class IndicatorFact:
    """An indicator with this year's target and its measurements."""

    school_id: str
    indicator: Indicator
    target: Target | None
    measurements: tuple[Measurement, ...] = ()


@dataclass(frozen=True)
class CaseloadFacts:
    """Everything the rules look at for one coach's caseload."""

    schools: tuple[SchoolFact, ...]
    visits: tuple[VisitFact, ...] = ()
    action_items: tuple[ActionItemFact, ...] = ()
    obligations: tuple[ObligationFact, ...] = ()
    indicators: tuple[IndicatorFact, ...] = ()


class DueState(StrEnum):
    OVERDUE = "overdue"
    MISSED = "missed"  # a window closed without the thing happening; it can no longer be done
    DUE_TODAY = "due today"
    AT_RISK = "at risk"
    DUE_THIS_WEEK = "due this week"
    NOTICE = "notice"
    UPCOMING = "upcoming"


# The order the Today view lists states in: what needs action first.
STATE_ORDER = {state: rank for rank, state in enumerate(DueState)}


class TargetKind(StrEnum):
    VISIT = "visit"
    ACTION_ITEM = "action_item"
    INDICATOR = "indicator"
    PLAN = "plan"
    OBLIGATION = "obligation"


@dataclass(frozen=True)
class OpenTarget:
    """What the UI opens for an item: a school and a kind of record, with its id if one exists
    (no id for a visit means "plan a new visit")."""

    school_id: str
    kind: TargetKind
    record_id: str | None = None


class Act(StrEnum):
    """What the one button on a due item does."""

    RECORD = "record"  # closes it: records the obligation (kind, period) as done
    SHARE_NOTE = "share_note"  # closes it: marks the visit note shared with the school
    MARK_DONE = "mark_done"  # closes it: marks the next step done
    FINISH_NOTE = "finish_note"  # opens the note, to finish and finalize it
    PLAN_VISIT = "plan_visit"  # opens a new visit (or the one planned) at the school
    RECORD_MEASUREMENT = "record_measurement"  # opens the school's indicators
    OPEN = "open"  # opens the record (a plan, an indicator, a checklist)
    NONE = "none"  # a notice or an event: nothing to do but read it; it passes on its own


# The acts that close an item where it is listed (`coachdesk due close KEY`).
CLOSING_ACTS = frozenset({Act.RECORD, Act.SHARE_NOTE, Act.MARK_DONE})


@dataclass(frozen=True)
class Closing:
    """The obligation a coach records to close a calendar item: the (kind, period) the rule
    looks up, the status it gets, and the button's words."""

    kind: str
    period: str
    status: str = "submitted"
    verb: str = "Mark as submitted"


@dataclass(frozen=True)
class DueItem:
    """One thing due, with the rule behind it in a sentence, and what the coach can do."""

    school_id: str
    what: str
    due: dt.date
    state: DueState
    rule_id: str
    explanation: str
    target: OpenTarget
    key: str  # stable identity across days: rule, school and period
    act: Act = Act.OPEN
    how: str = ""  # the one button's words: "Mark as submitted", "Plan a visit", ...
    closes_as: Closing | None = None  # the obligation `due close KEY` records, if any

    @property
    def closable(self) -> bool:
        """Whether the coach can close it where it is listed (rather than act elsewhere)."""
        return self.act in CLOSING_ACTS or self.closes_as is not None

    @property
    def period(self) -> str:
        """The part of the key after the rule and the school (a quarter, a month, a record id)."""
        return self.key.split(":", 2)[2]

    def sort_key(self) -> tuple[int, dt.date, str, str]:
        return (STATE_ORDER[self.state], self.due, self.school_id, self.key)
