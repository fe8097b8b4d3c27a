"""Closing what is due where it is listed, and undoing it.

A due item's key (`coachdesk due --json`) names its rule, its school and its period. Closing it
records what the coach did:

- a calendar obligation (a quarterly report, a coaching log, a roster, an annual plan, a month
  or window marked excused) writes the Obligation row its rule looks up by (kind, period), with
  the status, the day and an optional note; the row is created on first use, with an id made
  from the school, kind and period, so two laptops closing the same report write one record;
- a recorded obligation (`all.obligation`) is marked done;
- an unshared note is marked shared (visits/sharing.py);
- an open next step is marked done.

Every write goes through `Profile.writing()`, so it is logged and syncs; `reopen_due` undoes it.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from coachdesk.core.changes import ChangeSummary
from coachdesk.core.errors import NotFound, RefusedInput
from coachdesk.core.ids import stable_id
from coachdesk.core.records import live_record
from coachdesk.core.store.profile import Profile
from coachdesk.core.store.schema import Organization
from coachdesk.core.store.tracking_tables import Obligation
from coachdesk.core.store.visit_tables import ActionItem
from coachdesk.core.tracking_rules import RULE_IDS, DueItem, Rules, shipped_rules
from coachdesk.core.tracking_rules.closings import EXCUSABLE, closing_of, split_key
from coachdesk.core.tracking_rules.facts import Closing
from coachdesk.core.validation import LONG_TEXT_LIMIT, clean_text, not_in_future

OPEN = "open"
DONE = "done"

# How the items that are not closed by marking them clear, for the sentence that refuses.
CLEARS_WHEN = {
    "ny.monthly_visit": "an on-site visit in the month is finalized (once the month is over,"
    " it can be marked excused)",
    "ny.pre_report_visit": "a visit is on the calendar before the report",
    "ny.dii_checkpoint": "each DII has a measurement in the window",
    "ny.dii_at_risk": "the DII's measurements are back on track",
    "ny.quarterly_dates_missing": "the year's dates are in resources/rules/ny_rcv.toml",
    "ma.phase_notice": "its first week has passed",
    "ma.pm_window": "a meeting of the required length is held in the window (once the window"
    " has closed, it can be marked excused)",
    "ma.disaggregation_gap": "the benchmark has results for each student group in the window",
    "ma.learning_walk": "a learning walk is held or planned (once the semester is over, it can"
    " be marked excused)",
    "oh.check_in": "a check-in is held or planned",
    "all.note_draft": "the note is finalized",
    "all.event": "its day has passed",
}


def close_due(
    profile: Profile,
    key: str,
    *,
    on: dt.date | None = None,
    note: str | None = None,
    today: dt.date | None = None,
    rules: Rules | None = None,
) -> ChangeSummary:
    """Close the due item `key` as done on `on` (default today), with an optional note."""
    rules = rules or shipped_rules()
    today = today or dt.date.today()
    rule_id, school_id, period = _parts(key)
    day = not_in_future(on or today, what="The day it was done", today=today)
    text = clean_text(note, what="The note", limit=LONG_TEXT_LIMIT, multiline=True)
    if rule_id == "all.note_unshared":
        from coachdesk.core.visits.sharing import share_visit

        if text:
            raise RefusedInput("A shared note keeps no comment of its own; leave the note out.")
        return share_visit(profile, period, on=day, today=today)
    if rule_id == "all.action_item":
        return _set_next_step(profile, period, school_id, done_on=day)
    if rule_id == "all.obligation":
        return _set_recorded(profile, period, school_id, status=DONE, on=day, note=text)
    closing = _closing_for(profile, rules, key, rule_id, period, today)
    with profile.writing() as write:
        session = write.session
        live_record(session, Organization, school_id, "school or district")
        row = _obligation(session, school_id, closing) or _new_obligation(
            session, school_id, closing
        )
        row.status = closing.status
        row.submitted_on = day
        row.note = text
    return write.changes


def reopen_due(profile: Profile, key: str, *, rules: Rules | None = None) -> ChangeSummary:
    """Undo `close_due`: the item is open again and listed as its rule says."""
    rules = rules or shipped_rules()
    rule_id, school_id, period = _parts(key)
    if rule_id == "all.note_unshared":
        from coachdesk.core.visits.sharing import unshare_visit

        return unshare_visit(profile, period)
    if rule_id == "all.action_item":
        return _set_next_step(profile, period, school_id, done_on=None)
    if rule_id == "all.obligation":
        return _set_recorded(profile, period, school_id, status=OPEN, on=None, note=None)
    closing = closing_of(rules, rule_id, period)
    with profile.writing() as write:
        row = _obligation(write.session, school_id, closing) if closing else None
        if row is None or row.status == OPEN:
            raise RefusedInput(f"“{key}” is not marked done; there is nothing to reopen.")
        row.status = OPEN
        row.submitted_on = None
        row.note = None
    return write.changes


def _parts(key: str) -> tuple[str, str, str]:
    parts = split_key(key)
    if parts is None or parts[0] not in RULE_IDS:
        raise RefusedInput(
            f"“{key}” is not the key of a due item; `coachdesk due --json` lists each item's key."
        )
    return parts


def _closing_for(
    profile: Profile, rules: Rules, key: str, rule_id: str, period: str, today: dt.date
) -> Closing:
    """The obligation closing `key`: as listed today, else as its rule records it (a report
    can be marked submitted before it is listed)."""
    listed = _listed(profile, key, today, rules)
    if listed is not None and listed.closes_as is not None:
        return listed.closes_as
    closing = None if rule_id in EXCUSABLE else closing_of(rules, rule_id, period)
    if closing is None:
        clears = CLEARS_WHEN.get(rule_id, "what it asks for is done")
        raise RefusedInput(f"This item is not closed by marking it done: it clears once {clears}.")
    return closing


def _listed(profile: Profile, key: str, today: dt.date, rules: Rules) -> DueItem | None:
    from coachdesk.core.tracking_records.due import due_on

    return next((i for i in due_on(profile, today, rules) if i.key == key), None)


def _obligation(session: Session, org_id: str, closing: Closing) -> Obligation | None:
    return session.scalars(
        select(Obligation)
        .where(
            Obligation.org_id == org_id,
            Obligation.kind == closing.kind,
            Obligation.period == closing.period,
            Obligation.deleted_at.is_(None),
        )
        .order_by(Obligation.created_hlc)
    ).first()


def _new_obligation(session: Session, org_id: str, closing: Closing) -> Obligation:
    record_id = stable_id(f"obligation:{org_id}:{closing.kind}:{closing.period}")
    row = session.get(Obligation, record_id)
    if row is not None:  # closed, reopened and deleted once already: bring it back
        row.deleted_at = None
        return row
    row = Obligation(id=record_id, org_id=org_id, kind=closing.kind, period=closing.period)
    session.add(row)
    return row


def _set_recorded(
    profile: Profile,
    record_id: str,
    school_id: str,
    *,
    status: str,
    on: dt.date | None,
    note: str | None,
) -> ChangeSummary:
    with profile.writing() as write:
        row = live_record(write.session, Obligation, record_id, "recorded obligation")
        if row.org_id != school_id:
            raise NotFound(f"There is no recorded obligation with id {record_id} at that school.")
        if status == OPEN and row.status == OPEN:
            raise RefusedInput("This obligation is not marked done; there is nothing to reopen.")
        row.status = status
        row.submitted_on = on
        row.note = note
    return write.changes


def _set_next_step(
    profile: Profile, item_id: str, school_id: str, *, done_on: dt.date | None
) -> ChangeSummary:
    with profile.writing() as write:
        item = live_record(write.session, ActionItem, item_id, "next step")
        if item.org_id != school_id:
            raise NotFound(f"There is no next step with id {item_id} at that school.")
        if done_on is None and item.status != DONE:
            raise RefusedInput("This next step is not marked done; there is nothing to reopen.")
        item.status = DONE if done_on is not None else OPEN
        item.closed_on = done_on
    return write.changes
