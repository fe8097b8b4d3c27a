from __future__ import annotations

import datetime as dt

import pytest

from coachdesk.core.tracking_rules import (
    ActionItemFact,
    DueState,
    ObligationFact,
    SchoolFact,
    TargetKind,
)

from .helpers import by_rule, items, one, visit

D = dt.date
# An OH school at Full Implementation with a recent check-in keeps other rules quiet.
SCHOOL = SchoolFact("s", "Lincoln", "OH_NNPS", stage="Full Implementation", since=D(2026, 9, 1))


def action(due, status="open", text="Share the walkthrough schedule with grade-level leads"):
    return ActionItemFact("a1", "s", text, due, status, source_visit_id="v0")


def test_open_action_items_become_overdue_once_their_due_date_passes():
    on_the_day = one(
        items(SCHOOL, D(2026, 11, 10), action_items=(action(D(2026, 11, 10)),)), "all.action_item"
    )
    assert on_the_day.state is DueState.DUE_TODAY
    late = one(
        items(SCHOOL, D(2026, 11, 11), action_items=(action(D(2026, 11, 10)),)), "all.action_item"
    )
    assert late.state is DueState.OVERDUE
    assert late.what == "Share the walkthrough schedule with grade-level leads"
    assert late.explanation == (
        "Open action items become overdue once their due date passes: "
        "this one was due Nov 10, 2026."
    )
    assert (late.target.kind, late.target.record_id) == (TargetKind.ACTION_ITEM, "a1")
    # Action items stay listed until closed, however old.
    year_later = items(SCHOOL, D(2027, 11, 11), action_items=(action(D(2026, 11, 10)),))
    assert one(year_later, "all.action_item").state is DueState.OVERDUE


def test_closed_or_undated_action_items_are_not_listed():
    for closed in (
        action(D(2026, 11, 10), "done"),
        action(D(2026, 11, 10), "dropped"),
        action(None),
    ):
        assert not by_rule(
            items(SCHOOL, D(2026, 11, 11), action_items=(closed,)), "all.action_item"
        )


def test_a_draft_note_is_flagged_two_business_days_after_the_visit():
    friday = visit("s", D(2026, 11, 20), type="check_in", status="draft")
    fresh = one(items(SCHOOL, D(2026, 11, 20), visits=(friday,)), "all.note_draft")
    assert (fresh.due, fresh.state) == (D(2026, 11, 24), DueState.DUE_THIS_WEEK)
    late = one(items(SCHOOL, D(2026, 11, 25), visits=(friday,)), "all.note_draft")
    assert late.state is DueState.OVERDUE and late.target.record_id == friday.id
    final = visit("s", D(2026, 11, 20), type="check_in", status="final")
    assert not by_rule(items(SCHOOL, D(2026, 11, 25), visits=(final,)), "all.note_draft")


def test_a_final_note_not_shared_is_flagged_after_five_days():
    unshared = visit("s", D(2026, 11, 2), type="check_in", status="final", shared=False)
    assert not by_rule(items(SCHOOL, D(2026, 11, 7), visits=(unshared,)), "all.note_unshared")
    flagged = one(items(SCHOOL, D(2026, 11, 8), visits=(unshared,)), "all.note_unshared")
    assert flagged.state is DueState.OVERDUE
    assert "final but not shared" in flagged.explanation
    shared = visit("s", D(2026, 11, 2), type="check_in", status="shared", shared=False)
    assert not by_rule(items(SCHOOL, D(2026, 11, 8), visits=(shared,)), "all.note_unshared")


def test_recorded_obligations_no_rule_tracks_are_listed_until_done():
    roster = ObligationFact(
        "r", "s", "roster", "2026-27", due=D(2026, 10, 1), label="ATP roster to OSU"
    )
    found = one(items(SCHOOL, D(2027, 3, 1), obligations=(roster,)), "all.obligation")
    assert (found.what, found.state) == ("ATP roster to OSU", DueState.OVERDUE)
    done = ObligationFact("r", "s", "roster", "2026-27", due=D(2026, 10, 1), status="done")
    assert not by_rule(items(SCHOOL, D(2027, 3, 1), obligations=(done,)), "all.obligation")


def test_a_school_with_an_unknown_time_zone_is_refused_by_name():
    with pytest.raises(ValueError, match="Lincoln: 'Mars/Olympus' is not a time zone"):
        SchoolFact("s", "Lincoln", "OH_NNPS", tz="Mars/Olympus")
