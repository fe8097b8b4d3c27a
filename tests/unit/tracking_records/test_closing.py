"""Closing what is due where it is listed (`close_due`, `reopen_due`), and sharing a note."""

from __future__ import annotations

import datetime as dt

import pytest

from coachdesk.core.errors import RefusedInput
from coachdesk.core.store.schema import Assignment, Change, Coach, Organization
from coachdesk.core.store.tracking_tables import Obligation
from coachdesk.core.store.visit_tables import ActionItem, Visit
from coachdesk.core.tracking_records.closing import close_due, reopen_due
from coachdesk.core.tracking_records.due import Group, due_entries, due_on
from coachdesk.core.visits import share_visit, unshare_visit

DAY = dt.date(2026, 11, 2)  # the Q1 report (due Oct 30) is overdue


@pytest.fixture
def caseload(profile):
    """One NY school and one OH school, assigned for 2026-27."""
    with profile.writing() as write:
        s = write.session
        coach = Coach(name="Dana")
        s.add(coach)
        s.flush()
        ny = Organization(kind="school", name="Lincoln Park ES", state="NY")
        oh = Organization(kind="school", name="Buckeye MS", state="OH")
        s.add_all([ny, oh])
        s.flush()
        for school, code in ((ny, "NY_RCV"), (oh, "OH_NNPS")):
            s.add(
                Assignment(
                    coach_id=coach.id, org_id=school.id, program_code=code, school_year="2026-27"
                )
            )
    return {"ny": ny.id, "oh": oh.id}


def _item(profile, rule_id, school_id, day=DAY, what=None):
    found = [
        i
        for i in due_on(profile, day)
        if i.rule_id == rule_id and i.school_id == school_id and (what is None or what in i.what)
    ]
    return found[0] if found else None


def test_a_quarterly_report_is_marked_submitted_with_its_day_and_note_and_reopened(
    profile, caseload
):
    report = _item(profile, "ny.quarterly_report", caseload["ny"], what="Q1")
    assert report is not None and report.closable and report.how == "Mark as submitted"
    assert report.key == f"ny.quarterly_report:{caseload['ny']}:2026-27 Q1"

    changes = close_due(
        profile, report.key, on=dt.date(2026, 10, 29), note="Sent through the portal.", today=DAY
    )
    assert changes.touches("obligation")
    assert _item(profile, "ny.quarterly_report", caseload["ny"], what="Q1") is None
    with profile.reading() as session:
        row = session.query(Obligation).one()
        assert (row.kind, row.period, row.status) == ("Q1", "2026-27", "submitted")
        assert row.submitted_on == dt.date(2026, 10, 29)
        assert row.note == "Sent through the portal."
        # Through the change log, so it syncs.
        logged = {c.field for c in session.query(Change).filter(Change.record_type == "obligation")}
    assert {"status", "submitted_on", "note"} <= logged

    reopen_due(profile, report.key)
    again = _item(profile, "ny.quarterly_report", caseload["ny"], what="Q1")
    assert again is not None and again.key == report.key
    # Closing again writes the same record, not a second one.
    close_due(profile, report.key, today=DAY)
    with profile.reading() as session:
        assert session.query(Obligation).count() == 1
        assert session.query(Obligation).one().submitted_on == DAY


def test_a_report_can_be_marked_submitted_before_it_is_listed(profile, caseload):
    key = f"ny.quarterly_report:{caseload['ny']}:2026-27 Q3"  # due Apr 30, 2027
    close_due(profile, key, today=DAY)
    assert not [i for i in due_on(profile, dt.date(2027, 4, 20)) if i.key == key]


def test_an_oh_roster_and_survey_reminder_are_closed_under_their_kinds(profile, caseload):
    day = dt.date(2027, 5, 20)
    roster = _item(profile, "oh.team_roster", caseload["oh"], day)
    assert roster is not None and roster.closes_as.kind == "Roster"
    close_due(profile, roster.key, today=day)
    assert _item(profile, "oh.team_roster", caseload["oh"], day) is None
    survey = _item(profile, "oh.update_survey", caseload["oh"], dt.date(2027, 4, 20))
    assert survey.how == "Mark the reminder sent" and survey.closes_as.kind == "UPDATE"


def test_a_missed_month_is_marked_excused_and_a_coming_month_is_not_closable(profile, caseload):
    october = _item(profile, "ny.monthly_visit", caseload["ny"], what="October")
    assert october.state.value == "overdue" and october.how == "Mark as excused"
    november = _item(profile, "ny.monthly_visit", caseload["ny"], what="November")
    assert not november.closable and november.how == "Plan a visit"
    with pytest.raises(RefusedInput, match="clears once an on-site visit in the month"):
        close_due(profile, november.key, today=DAY)
    close_due(profile, october.key, note="School closed for renovation.", today=DAY)
    assert _item(profile, "ny.monthly_visit", caseload["ny"], what="October") is None
    with profile.reading() as session:
        row = session.query(Obligation).one()
    assert (row.kind, row.period, row.status) == ("ny.monthly_visit", "2026-10", "waived")
    # The excuse is not listed again as a recorded obligation of its own.
    assert _item(profile, "all.obligation", caseload["ny"]) is None


def test_a_next_step_is_marked_done_and_reopened(profile, caseload):
    with profile.writing() as write:
        visit = Visit(
            org_id=caseload["ny"],
            visit_type="onsite",
            starts_at=dt.datetime(2026, 10, 5, 9),
            status="final",
            finalized_at="2026-10-05T12:00:00",
        )
        write.session.add(visit)
        write.session.flush()
        step = ActionItem(visit_id=visit.id, org_id=caseload["ny"], text="Send the survey", due=DAY)
        write.session.add(step)
    item = _item(profile, "all.action_item", caseload["ny"], dt.date(2026, 11, 5))
    assert item.closable and item.how == "Mark done"
    close_due(profile, item.key, on=dt.date(2026, 11, 4), today=dt.date(2026, 11, 5))
    with profile.reading() as session:
        done = session.get(ActionItem, step.id)
        assert (done.status, done.closed_on) == ("done", dt.date(2026, 11, 4))
    reopen_due(profile, item.key)
    assert _item(profile, "all.action_item", caseload["ny"], dt.date(2026, 11, 5)) is not None


def test_closing_refuses_a_bad_key_a_future_day_and_reopening_what_is_open(profile, caseload):
    with pytest.raises(RefusedInput, match="is not the key of a due item"):
        close_due(profile, "Q1 report", today=DAY)
    with pytest.raises(RefusedInput, match="is not the key of a due item"):
        close_due(profile, f"no.such_rule:{caseload['ny']}:2026-27", today=DAY)
    key = f"ny.quarterly_report:{caseload['ny']}:2026-27 Q1"
    with pytest.raises(RefusedInput, match="in the future"):
        close_due(profile, key, on=DAY + dt.timedelta(days=1), today=DAY)
    with pytest.raises(RefusedInput, match="nothing to reopen"):
        reopen_due(profile, key)
    draft = f"all.note_draft:{caseload['ny']}:some-visit"
    with pytest.raises(RefusedInput, match="clears once the note is finalized"):
        close_due(profile, draft, today=DAY)


def _held_visit(profile, school_id, day, status="final"):
    with profile.writing() as write:
        visit = Visit(
            org_id=school_id,
            visit_type="onsite",
            starts_at=dt.datetime.combine(day, dt.time(9)),
            status=status,
            finalized_at=None if status == "draft" else f"{day.isoformat()}T12:00:00",
        )
        write.session.add(visit)
    return visit.id


def test_sharing_a_final_note_clears_the_share_rule_and_undo_brings_it_back(profile, caseload):
    visit_id = _held_visit(profile, caseload["ny"], dt.date(2026, 10, 20))
    listed = _item(profile, "all.note_unshared", caseload["ny"])
    assert listed is not None and listed.how == "Mark the note shared" and listed.closable
    share_visit(profile, visit_id, on=dt.date(2026, 10, 21), today=DAY)
    assert _item(profile, "all.note_unshared", caseload["ny"]) is None
    with profile.reading() as session:
        shared = session.get(Visit, visit_id)
        assert (shared.status, shared.shared_on) == ("shared", dt.date(2026, 10, 21))
    unshare_visit(profile, visit_id)
    assert _item(profile, "all.note_unshared", caseload["ny"]) is not None
    # Closing the item by its key shares the note too.
    close_due(profile, listed.key, today=DAY)
    assert _item(profile, "all.note_unshared", caseload["ny"]) is None


def test_a_draft_note_cannot_be_shared_nor_shared_before_its_visit(profile, caseload):
    draft = _held_visit(profile, caseload["ny"], dt.date(2026, 10, 20), status="draft")
    with pytest.raises(RefusedInput, match="finalize it before sharing"):
        share_visit(profile, draft, today=DAY)
    final = _held_visit(profile, caseload["ny"], dt.date(2026, 10, 20))
    with pytest.raises(RefusedInput, match="cannot be shared before its visit"):
        share_visit(profile, final, on=dt.date(2026, 10, 19), today=DAY)
    with pytest.raises(RefusedInput, match="not marked shared"):
        unshare_visit(profile, final)


def test_every_item_on_the_demo_can_be_acted_on_or_closed(demo_on):
    day = dt.date(2026, 12, 1)
    demo = demo_on(day)  # loaded that day: what is due then does not depend on the real date
    entries = due_entries(demo, day)
    assert entries
    for entry in entries:
        item = entry.item
        assert item.how, item.key
        if entry.group is Group.OVERDUE:
            # Overdue: closed where listed, or one clear act that clears it.
            assert item.closable or item.act.value in (
                "finish_note",
                "plan_visit",
                "record_measurement",
            ), (item.key, item.act)
