"""Visits: notes on the state's forms, next steps that carry over, and finding them again."""

from __future__ import annotations

import datetime as dt
import json
import random

import pytest
from sqlalchemy import func, select

from coachdesk.core import visits
from coachdesk.core.caseload import list_caseload
from coachdesk.core.demo.visits import _response
from coachdesk.core.errors import RefusedInput
from coachdesk.core.store.visit_tables import ActionItem, StoredForm, Visit, VisitAnswer

# Yesterday morning: a visit that has started wherever the school is (finalizing needs that).
WHEN = dt.datetime.combine(dt.date.today() - dt.timedelta(days=1), dt.time(9, 30))


def _school(profile, program):
    return next(r for r in list_caseload(profile) if r.program_code == program)


@pytest.fixture
def ny_visit(demo):
    school = _school(demo, "NY_RCV")
    return visits.start_visit(demo, school.school_id, visit_type="onsite", starts_at=WHEN)


def _fill_required(profile, visit_id):
    detail = visits.get_visit(profile, visit_id)
    answers = _response(detail.definition, WHEN.date(), random.Random(1))
    for name, value in answers.items():
        visits.save_answer(profile, visit_id, name, value)
    visits.save_answer(profile, visit_id, f"{detail.action_repeat}[0].step", "Share the data wall")
    visits.save_answer(profile, visit_id, f"{detail.action_repeat}[0].owner", "Principal")
    visits.save_answer(
        profile,
        visit_id,
        f"{detail.action_repeat}[0].due",
        (WHEN.date() + dt.timedelta(days=14)).isoformat(),
    )


def test_a_new_ny_visit_uses_the_monthly_form_and_keeps_its_text(demo, ny_visit):
    detail = visits.get_visit(demo, ny_visit)
    assert detail.definition.form_id == "ny_rcv_monthly_visit"
    assert detail.editable and detail.status == "draft"
    # Nothing typed yet: only the visit's own day and start time, and no next steps.
    assert detail.response == {
        "next_steps": [],
        "visit_date": WHEN.date().isoformat(),
        "start_time": "09:30",
    }
    with demo.reading() as session:
        stored = session.execute(select(StoredForm)).scalars().all()
    assert any(s.sha256 == detail.definition.sha256 and s.text for s in stored)


def test_each_answer_saves_as_typed_and_keeps_its_history(demo, ny_visit):
    visits.save_answer(demo, ny_visit, "challenges", "Substitute coverage")
    visits.save_answer(demo, ny_visit, "challenges", "Substitute coverage kept teams apart.")
    assert visits.get_visit(demo, ny_visit).response["challenges"] == (
        "Substitute coverage kept teams apart."
    )
    history = [value for _hlc, value in visits.answer_history(demo, ny_visit, "challenges")]
    assert history == ["Substitute coverage", "Substitute coverage kept teams apart."]


def test_next_steps_are_typed_records_and_removing_one_keeps_the_others(demo, ny_visit):
    repeat = visits.get_visit(demo, ny_visit).action_repeat
    rows = [
        {"step": "A", "owner": "Principal", "due": "2026-12-01", "step_status": "open"},
        {"step": "B", "owner": "Coach", "due": "2026-12-08", "step_status": "open"},
        {"step": "C", "owner": "Data Coordinator", "due": "2026-12-15", "step_status": "open"},
    ]
    visits.save_answer(demo, ny_visit, repeat, rows)
    before = {i.text: i.id for i in visits.get_visit(demo, ny_visit).action_items}
    visits.save_answer(demo, ny_visit, repeat, [rows[0], rows[2]])  # the coach removed "B"
    after = visits.get_visit(demo, ny_visit).action_items
    assert [(i.text, i.due) for i in after] == [
        ("A", dt.date(2026, 12, 1)),
        ("C", dt.date(2026, 12, 15)),
    ]
    assert {i.text: i.id for i in after} == {"A": before["A"], "C": before["C"]}
    with demo.reading() as session:
        removed = session.get(ActionItem, before["B"])
    assert removed.deleted_at is not None  # a tombstone, not a silent drop


def test_a_bad_due_date_is_refused(demo, ny_visit):
    repeat = visits.get_visit(demo, ny_visit).action_repeat
    with pytest.raises(RefusedInput, match="not a date"):
        visits.save_answer(demo, ny_visit, f"{repeat}[0].due", "next Tuesday")


def test_finalizing_needs_the_required_answers_then_locks_until_amended(demo, ny_visit):
    check = visits.check_before_finalizing(demo, ny_visit)
    assert check.blocked and check.missing
    with pytest.raises(RefusedInput, match="cannot be finalized yet"):
        visits.finalize_visit(demo, ny_visit)
    _fill_required(demo, ny_visit)
    assert not visits.check_before_finalizing(demo, ny_visit).blocked
    visits.finalize_visit(demo, ny_visit, accept_privacy_warnings=True)
    assert visits.get_visit(demo, ny_visit).status == "final"
    with pytest.raises(RefusedInput, match="Amend"):
        visits.save_answer(demo, ny_visit, "challenges", "A quiet overwrite")
    visits.amend_visit(demo, ny_visit)
    visits.save_answer(demo, ny_visit, "challenges", "Amended after the visit.")
    detail = visits.get_visit(demo, ny_visit)
    assert detail.amended_at is not None and detail.status == "final"
    assert len(visits.answer_history(demo, ny_visit, "challenges")) == 2


def test_a_note_amended_and_finalized_again_still_says_it_was_amended(demo, ny_visit):
    from coachdesk.reports.visit_source import build_visit_summary

    _fill_required(demo, ny_visit)
    visits.finalize_visit(demo, ny_visit, accept_privacy_warnings=True)
    assert visits.get_visit(demo, ny_visit).last_amended_at is None
    assert build_visit_summary(demo, ny_visit).header.amended_on is None
    visits.amend_visit(demo, ny_visit)
    visits.save_answer(demo, ny_visit, "challenges", "Corrected after the principal's call.")
    visits.finalize_visit(demo, ny_visit, accept_privacy_warnings=True)
    detail = visits.get_visit(demo, ny_visit)
    assert detail.amended_at is None  # the amendment is closed...
    assert detail.last_amended_at is not None  # ...and the note still shows it was amended
    header = build_visit_summary(demo, ny_visit).header
    assert not header.is_draft and header.amended_on is not None


def test_an_id_like_number_in_evidence_warns_before_finalizing(demo):
    school = _school(demo, "MA_SSOS")
    walk = visits.start_visit(demo, school.school_id, visit_type="learning_walk", starts_at=WHEN)
    detail = visits.get_visit(demo, walk)
    no_student = next(
        (f, r) for f, r in detail.definition.walk() if f.privacy == "no-student" and r is not None
    )
    field, repeat = no_student
    visits.save_answer(
        demo, walk, f"{repeat.name}[0].{field.name}", "Student 1234567890 explained the strategy."
    )
    check = visits.check_before_finalizing(demo, walk)
    [warning] = [w for w in check.privacy if "1234567890" in w]
    assert warning.startswith(f"{field.label}: this ") and warning.count(field.label) == 1


def test_earlier_open_next_steps_show_at_the_next_visit_and_can_be_closed(demo, ny_visit):
    repeat = visits.get_visit(demo, ny_visit).action_repeat
    visits.save_answer(demo, ny_visit, f"{repeat}[0].step", "Post the data wall")
    school_id = visits.get_visit(demo, ny_visit).school_id
    later = visits.start_visit(
        demo, school_id, visit_type="onsite", starts_at=WHEN + dt.timedelta(days=30)
    )
    earlier = visits.get_visit(demo, later).earlier_open_items
    item = next(i for i in earlier if i.text == "Post the data wall")
    visits.follow_up(demo, item.id, at_visit=later, outcome="done")
    reviewed = next(i for i in visits.get_visit(demo, later).earlier_open_items if i.id == item.id)
    assert reviewed.status == "done" and reviewed.reviewed_in_visit_id == later
    assert item.id not in {i.id for i in visits.open_action_items(demo, school_id=school_id)}


def test_search_finds_new_text_across_accents_and_as_you_type(demo, ny_visit):
    visits.save_answer(demo, ny_visit, "challenges", "Señora Øyelaran led the calibration")
    # Accents fold ("senora" finds "Señora"); letters such as Ø are letters of their own.
    for query in ("senora", "Øyelaran calib", "señora led"):
        hits = visits.search(demo, query)
        assert any(h.record_id == ny_visit for h in hits), query
    assert visits.search(demo, "   ") == []
    assert visits.search(demo, '"; DROP TABLE visit; --') == []


def test_a_tombstoned_visit_leaves_search(demo, ny_visit):
    visits.save_answer(demo, ny_visit, "challenges", "zebracorn budget gap")
    assert visits.search(demo, "zebracorn")
    with demo.writing() as write:
        write.session.get(Visit, ny_visit).deleted_at = "tombstone"
    assert visits.search(demo, "zebracorn") == []


def test_a_very_long_paste_is_kept_and_an_absurd_one_refused(demo, ny_visit):
    long_text = "evidence " * 200_000  # 1.8 million characters: it still fits in a bundle
    visits.save_answer(demo, ny_visit, "challenges", long_text)
    assert visits.get_visit(demo, ny_visit).response["challenges"] == long_text
    with pytest.raises(RefusedInput, match="one answer can hold"):
        visits.save_answer(demo, ny_visit, "challenges", "x" * 3_000_000)


def test_a_note_on_a_form_version_no_longer_shipped_reads_but_does_not_change(demo, ny_visit):
    with demo.writing() as write:
        visit = write.session.get(Visit, ny_visit)
        stored = write.session.execute(
            select(StoredForm).where(StoredForm.sha256 == visit.form_sha256)
        ).scalar_one()
        old_text = stored.text.replace("version: 1", "version: 99", 1)
        from coachdesk.core.forms import load_stored_definition

        old = load_stored_definition(old_text)
        write.session.add(
            StoredForm(form_id=old.form_id, version=99, sha256=old.sha256, text=old_text)
        )
        visit.form_version, visit.form_sha256 = 99, old.sha256
    detail = visits.get_visit(demo, ny_visit)
    assert detail.definition is not None and not detail.editable
    with pytest.raises(RefusedInput, match="no longer shipped"):
        visits.save_answer(demo, ny_visit, "challenges", "edit")


def test_the_demo_has_a_year_of_visits_in_every_program(demo):
    rows = visits.list_visits(demo)
    assert len(rows) >= 150
    assert {r.visit_type for r in rows} >= {"onsite", "check_in", "learning_walk"}
    assert {r.status for r in rows} == {"draft", "final", "shared"}
    assert min(r.starts_at for r in rows).date() < dt.date.today() - dt.timedelta(days=300)
    with demo.reading() as session:
        walks = (
            session.execute(
                select(VisitAnswer.value)
                .join(Visit, Visit.id == VisitAnswer.visit_id)
                .where(Visit.visit_type == "learning_walk")
            )
            .scalars()
            .all()
        )
        items = session.execute(select(func.count()).select_from(ActionItem)).scalar()
    assert any(isinstance(json.loads(v), list) and len(json.loads(v)) >= 5 for v in walks)
    assert items > 100


def test_the_notes_date_and_times_are_the_visits_own(demo, ny_visit):
    detail = visits.get_visit(demo, ny_visit)
    fields = {f.bind: f.name for f, r in detail.definition.walk() if r is None and f.bind}
    date_field, start_field, end_field = (
        fields["visit.date"],
        fields["visit.start_time"],
        fields["visit.end_time"],
    )
    # A new note shows the visit's day and start time without the coach typing them.
    assert detail.response[date_field] == WHEN.date().isoformat()
    assert detail.response[start_field] == "09:30"
    # Typing the end time sets the visit's end; moving the start keeps the length.
    visits.save_answer(demo, ny_visit, end_field, "11:15")
    assert visits.get_visit(demo, ny_visit).ends_at == WHEN.replace(hour=11, minute=15)
    visits.save_answer(demo, ny_visit, start_field, "10:00")
    moved = visits.get_visit(demo, ny_visit)
    assert (moved.starts_at, moved.ends_at) == (
        WHEN.replace(hour=10, minute=0),
        WHEN.replace(hour=11, minute=45),
    )
    # Changing the visit's details shows in the note.
    yesterday = WHEN - dt.timedelta(days=1)
    visits.update_visit(
        demo, ny_visit, starts_at=yesterday, ends_at=yesterday.replace(hour=12, minute=0)
    )
    shown = visits.get_visit(demo, ny_visit).response
    assert shown[date_field] == yesterday.date().isoformat()
    assert (shown[start_field], shown[end_field]) == ("09:30", "12:00")
    # A half-typed or impossible time moves nothing (the form's own check says why).
    visits.save_answer(demo, ny_visit, end_field, "9:")
    visits.save_answer(demo, ny_visit, end_field, "08:00")  # before the start
    after = visits.get_visit(demo, ny_visit)
    assert after.ends_at == yesterday.replace(hour=12, minute=0)
