"""What each due item says the coach can do, closing by a recorded obligation, back-filled notes,
and the OH team roster reminder."""

from __future__ import annotations

import dataclasses
import datetime as dt

from coachdesk.core.tracking_rules import DueState, ObligationFact, SchoolFact, shipped_rules
from coachdesk.core.tracking_rules.closings import closing_of, split_key
from coachdesk.core.tracking_rules.facts import Act

from .helpers import by_rule, items, one, visit

D = dt.date
NY = SchoolFact("ny1", "Lincoln Park ES", "NY_RCV", since=D(2026, 7, 1))
OH = SchoolFact("oh1", "Buckeye MS", "OH_NNPS", stage="Full Implementation")
MA_DISTRICT = SchoolFact("d1", "Springfield", "MA_SSOS", kind="district")


def test_a_report_says_how_to_close_it_and_its_key_names_the_obligation():
    report = one(items(NY, D(2026, 10, 20)), "ny.quarterly_report")
    assert (report.act, report.how, report.closable) == (Act.RECORD, "Mark as submitted", True)
    assert (report.closes_as.kind, report.closes_as.period) == ("Q1", "2026-27")
    assert split_key(report.key) == ("ny.quarterly_report", "ny1", "2026-27 Q1")
    # The rule and closings.py agree on the record that closes it, whatever its state.
    assert closing_of(shipped_rules(), "ny.quarterly_report", report.period) == report.closes_as


def test_a_missed_pm_window_is_marked_excused_by_a_waived_obligation():
    day = D(2027, 3, 1)
    missed = one(items(MA_DISTRICT, day), "ma.pm_window")
    assert missed.state is DueState.MISSED and missed.how == "Mark as excused"
    excused = ObligationFact("o1", "d1", "ma.pm_window", missed.period, status="waived")
    assert by_rule(items(MA_DISTRICT, day, obligations=(excused,)), "ma.pm_window") == []
    # Neither listed again as a recorded obligation.
    assert by_rule(items(MA_DISTRICT, day, obligations=(excused,)), "all.obligation") == []
    still_open = dataclasses.replace(excused, status="open")
    assert by_rule(items(MA_DISTRICT, day, obligations=(still_open,)), "ma.pm_window")


def test_an_open_pm_window_asks_for_a_meeting_and_cannot_be_closed():
    warned = one(items(MA_DISTRICT, D(2027, 1, 14)), "ma.pm_window")
    assert warned.act is Act.PLAN_VISIT and not warned.closable
    assert warned.how == "Plan a progress-monitoring meeting"


def test_a_month_whose_note_is_a_draft_asks_to_finish_that_note():
    draft = visit("ny1", D(2026, 10, 6), status="draft")
    month = [
        i
        for i in items(NY, D(2026, 10, 26), visits=(draft,))
        if i.rule_id == "ny.monthly_visit" and "October" in i.what
    ][0]
    assert month.act is Act.FINISH_NOTE and month.target.record_id == draft.id


def test_notes_and_next_steps_are_finished_shared_or_marked_done():
    final = visit("ny1", D(2026, 10, 1), shared=False)
    draft = visit("ny1", D(2026, 10, 2), status="draft")
    found = items(NY, D(2026, 10, 20), visits=(final, draft))
    unshared, unfinished = one(found, "all.note_unshared"), one(found, "all.note_draft")
    assert (unshared.act, unshared.closable) == (Act.SHARE_NOTE, True)
    assert (unfinished.act, unfinished.closable) == (Act.FINISH_NOTE, False)


def test_a_back_filled_note_starts_its_clocks_when_it_was_entered():
    """A note for a visit of Sep 14 entered on Nov 2: not overdue the moment it exists."""
    entered = D(2026, 11, 2)
    draft = dataclasses.replace(visit("ny1", D(2026, 9, 14), status="draft"), entered=entered)
    item = one(items(NY, entered, visits=(draft,)), "all.note_draft")
    assert item.due == D(2026, 11, 4) and item.state is not DueState.OVERDUE
    assert one(items(NY, D(2026, 11, 5), visits=(draft,)), "all.note_draft").state is (
        DueState.OVERDUE
    )
    final = dataclasses.replace(visit("ny1", D(2026, 9, 14), shared=False), entered=entered)
    assert by_rule(items(NY, D(2026, 11, 6), visits=(final,)), "all.note_unshared") == []
    late = one(items(NY, D(2026, 11, 8), visits=(final,)), "all.note_unshared")
    assert late.due == D(2026, 11, 7)
    # Without the entry day the same note was overdue long ago.
    old = one(
        items(NY, entered, visits=(visit("ny1", D(2026, 9, 14), status="draft"),)), "all.note_draft"
    )
    assert old.state is DueState.OVERDUE and old.due == D(2026, 9, 16)


def test_oh_schools_are_reminded_of_the_team_roster_in_spring_until_it_is_recorded():
    roster = one(items(OH, D(2027, 5, 20)), "oh.team_roster")
    assert roster.what == "Team roster 2026-27" and roster.due == D(2027, 5, 31)
    assert roster.closes_as.kind == "Roster" and roster.how == "Mark as submitted"
    assert "Action Team roster" in roster.explanation
    sent = ObligationFact("r1", "oh1", "Roster", "2026-27", status="submitted")
    assert by_rule(items(OH, D(2027, 5, 20), obligations=(sent,)), "oh.team_roster") == []
    # Not in the fall, and not for a district.
    assert by_rule(items(OH, D(2026, 12, 1)), "oh.team_roster") == []
    district = SchoolFact("d2", "Columbus", "OH_NNPS", kind="district")
    assert by_rule(items(district, D(2027, 5, 20)), "oh.team_roster") == []


def test_the_engine_asks_for_a_closing_exactly_for_the_rules_closings_knows():
    from coachdesk.core.tracking_rules import RULE_IDS
    from coachdesk.core.tracking_rules.engine import CLOSED_BY

    rules = shipped_rules()
    closed = {r for r in RULE_IDS if closing_of(rules, r, "2026-27 Q1", DueState.OVERDUE)}
    assert closed == CLOSED_BY
