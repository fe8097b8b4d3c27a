"""Rules for every program (DOMAIN.md section 4, rules 13 and 14): open action items, unfinished
and unshared visit notes, and recorded obligations no calendar rule has already listed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from coachdesk.core.tracking_rules.dates import add_business_days, short_day
from coachdesk.core.tracking_rules.engine import (
    Display,
    SchoolDay,
    Scope,
    VisitVocabulary,
    classify,
)
from coachdesk.core.tracking_rules.facts import (
    Act,
    ActionItemFact,
    DueItem,
    DueState,
    ObligationFact,
    TargetKind,
    VisitFact,
)
from coachdesk.core.tracking_rules.rulefile import Reader


@dataclass(frozen=True)
class ActionItems:
    scope: Scope
    open_statuses: frozenset[str]


@dataclass(frozen=True)
class NoteDraft:
    scope: Scope
    business_days: int
    keep_overdue: bool


@dataclass(frozen=True)
class NoteUnshared:
    scope: Scope
    days: int
    keep_overdue: bool


@dataclass(frozen=True)
class Obligations:
    scope: Scope
    closed_statuses: frozenset[str]
    event_kinds: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Config:
    display: Display
    visits: VisitVocabulary
    small_cell_threshold: int
    action_items: ActionItems
    note_draft: NoteDraft
    note_unshared: NoteUnshared
    obligations: Obligations
    # A learning walk of fewer classrooms (or a look-for rated in fewer) prints no shares.
    min_walk_classrooms: int = 3


ALL_KINDS = ("school", "district")


def read(reader: Reader) -> Config:
    """The rules for every program from common.toml."""
    display = Display.read(reader.table("display"))
    visits = VisitVocabulary.read(reader.table("visits"))
    privacy = reader.table("privacy")
    threshold = privacy.integer("small_cell_threshold", minimum=1)
    min_walk_classrooms = privacy.integer("min_walk_classrooms", minimum=1)
    privacy.done()

    table = reader.table("action_items")
    action_items = ActionItems(
        Scope.read(table, ALL_KINDS), frozenset(table.texts("open_statuses"))
    )
    table.done()
    table = reader.table("note_draft")
    note_draft = NoteDraft(
        Scope.read(table, ALL_KINDS),
        table.integer("business_days", minimum=0),
        table.flag("keep_overdue"),
    )
    table.done()
    table = reader.table("note_unshared")
    note_unshared = NoteUnshared(
        Scope.read(table, ALL_KINDS), table.integer("days", minimum=0), table.flag("keep_overdue")
    )
    table.done()
    table = reader.table("obligations")
    obligations = Obligations(
        Scope.read(table, ALL_KINDS),
        frozenset(table.texts("closed_statuses")),
        frozenset(table.texts("event_kinds", ())),
    )
    table.done()
    return Config(
        display,
        visits,
        threshold,
        action_items,
        note_draft,
        note_unshared,
        obligations,
        min_walk_classrooms,
    )


def action_items(
    day: SchoolDay, rule: ActionItems, items: Iterable[ActionItemFact]
) -> Iterator[DueItem]:
    """Open action items by due date; overdue ones stay listed until closed."""
    if not rule.scope.covers(day.school):
        return
    for action in items:
        if action.due is None or action.status not in rule.open_statuses:
            continue
        state = classify(action.due, day.today, day.display, keep_overdue=True)
        if state is None:
            continue
        text = action.text if len(action.text) <= 80 else action.text[:79] + "…"
        verb = "was" if state is DueState.OVERDUE else "is"
        yield day.item(
            rule_id="all.action_item",
            what=text,
            due=action.due,
            state=state,
            explanation=f"Open action items become overdue once their due date passes: this one"
            f" {verb} due {short_day(action.due)}.",
            kind=TargetKind.ACTION_ITEM,
            period=action.id,
            record_id=action.id,
        )


def _event(day: SchoolDay, event: ObligationFact) -> Iterator[DueItem]:
    """An imported event: listed as its day comes near, gone once the day has passed."""
    assert event.due is not None
    state = classify(event.due, day.today, day.display, overdue_shown_days=0)
    if state is None:
        return
    name = event.label or event.kind
    yield day.item(
        rule_id="all.event",
        what=name,
        due=event.due,
        state=state,
        explanation=f"An event from an imported calendar: {name}, {short_day(event.due)}.",
        kind=TargetKind.OBLIGATION,
        period=event.id,
        record_id=event.id,
        act=Act.NONE,
        how="Attend; it drops off once its day has passed",
    )


def notes(day: SchoolDay, draft: NoteDraft, unshared: NoteUnshared) -> Iterator[DueItem]:
    """Visit notes still in draft, or final and not shared, some days after the visit."""
    check_drafts = draft.scope.covers(day.school)
    check_sharing = unshared.scope.covers(day.school)
    final = day.vocabulary.final
    # Unshared notes older than this are no longer listed (unless kept): skip them cheaply.
    oldest_unshared = (
        dt.date.min
        if unshared.keep_overdue
        else day.today - dt.timedelta(days=unshared.days + day.display.overdue_shown_days)
    )
    # Held visits only (up to today); the loop runs over every visit, so it stays lean.
    for visit_day, visit in zip(day.visit_days[: day.held_count], day.visits, strict=False):
        status = visit.status
        if status == "draft":
            if check_drafts:
                yield from _draft_note(day, draft, visit_day, visit)
        elif (
            check_sharing
            and status != "shared"
            and status in final
            and visit.shared_at is None
            and (visit_day >= oldest_unshared or _clock_start(visit_day, visit) >= oldest_unshared)
        ):
            yield from _unshared_note(day, unshared, visit_day, visit)


def _draft_note(
    day: SchoolDay, rule: NoteDraft, visit_day: dt.date, visit: VisitFact
) -> Iterator[DueItem]:
    # A note entered after the visit (back-filled) gets its days from when it was entered.
    due = add_business_days(_clock_start(visit_day, visit), rule.business_days)
    state = classify(due, day.today, day.display, keep_overdue=rule.keep_overdue)
    if state is None:
        return
    yield day.item(
        rule_id="all.note_draft",
        what=f"Finish the note of the {short_day(visit_day)} visit",
        due=due,
        state=state,
        explanation=f"A visit note should be final within {rule.business_days} business"
        f" days: the {short_day(visit_day)} note is still a draft.",
        kind=TargetKind.VISIT,
        period=visit.id,
        record_id=visit.id,
        act=Act.FINISH_NOTE,
        how="Finish and finalize the note",
    )


def _clock_start(visit_day: dt.date, visit: VisitFact) -> dt.date:
    """The day a note's clock starts: the visit's day, or the day it was entered if later."""
    entered = visit.entered
    return entered if entered is not None and entered > visit_day else visit_day


def _unshared_note(
    day: SchoolDay, rule: NoteUnshared, visit_day: dt.date, visit: VisitFact
) -> Iterator[DueItem]:
    due = _clock_start(visit_day, visit) + dt.timedelta(days=rule.days)
    state = classify(due, day.today, day.display, keep_overdue=rule.keep_overdue)
    if state is not DueState.OVERDUE:
        return  # only flagged once the days have passed
    yield day.item(
        rule_id="all.note_unshared",
        what=f"Share the note of the {short_day(visit_day)} visit",
        due=due,
        state=state,
        explanation=f"A final visit note is shared with the school within {rule.days}"
        f" days: the {short_day(visit_day)} note is final but not shared.",
        kind=TargetKind.VISIT,
        period=visit.id,
        record_id=visit.id,
        act=Act.SHARE_NOTE,
        how="Mark the note shared",
    )


def obligations(
    day: SchoolDay, rule: Obligations, recorded: Iterable[ObligationFact]
) -> Iterator[DueItem]:
    """Open recorded obligations that no calendar rule has listed already."""
    if not rule.scope.covers(day.school):
        return
    for obligation in recorded:
        if obligation.id in day.claimed or obligation.due is None:
            continue
        if obligation.status in rule.closed_statuses:
            continue
        if obligation.kind in rule.event_kinds:
            yield from _event(day, obligation)
            continue
        state = classify(obligation.due, day.today, day.display, keep_overdue=True)
        if state is None:
            continue
        name = obligation.label or f"{obligation.kind} {obligation.period}"
        verb = "was" if state is DueState.OVERDUE else "is"
        yield day.item(
            rule_id="all.obligation",
            what=name,
            due=obligation.due,
            state=state,
            explanation=f"A recorded obligation stays listed until it is marked done: {name}"
            f" {verb} due {short_day(obligation.due)}.",
            kind=TargetKind.OBLIGATION,
            period=obligation.id,
            record_id=obligation.id,
            act=Act.RECORD,
            how="Mark as done",
        )
