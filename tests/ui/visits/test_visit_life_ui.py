"""The visit page shows what core allows: a final note read-only until Amend, a visit not yet
started refused with when it can be finalized, and opening a draft writes nothing."""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from coachdesk.core import schools, visits
from coachdesk.core.caseload import list_caseload
from coachdesk.core.demo.visits import _response
from coachdesk.core.store.schema import Change
from coachdesk.core.visits.times import TIME_BINDS
from tests.support.ui import open_visit_page
from tests.ui.visits.helpers import type_text


def _changes(profile) -> int:
    with profile.reading() as session:
        return session.scalar(select(func.count()).select_from(Change))


def _school(profile, program: str) -> str:
    return next(r.school_id for r in list_caseload(profile) if r.program_code == program)


def _school_now(profile, school_id: str) -> dt.datetime:
    zone = ZoneInfo(schools.get_school(profile, school_id).tz)
    return dt.datetime.now(zone).replace(tzinfo=None, second=0, microsecond=0)


def _fill(profile, visit_id: str, day: dt.date) -> None:
    detail = visits.get_visit(profile, visit_id)
    for name, value in _response(detail.definition, day, random.Random(1)).items():
        if detail.definition.field(name).bind not in TIME_BINDS:
            visits.save_answer(profile, visit_id, name, value)


@pytest.mark.parametrize(
    ("program", "visit_type"),
    [("NY_RCV", "onsite"), ("MA_SSOS", "learning_walk"), ("OH_NNPS", "check_in")],
)
def test_opening_a_draft_writes_nothing_until_the_coach_types(qtbot, demo, program, visit_type):
    school_id = _school(demo, program)
    visit_id = visits.start_visit(
        demo, school_id, visit_type=visit_type, starts_at=_school_now(demo, school_id)
    )
    before = _changes(demo)
    page = open_visit_page(qtbot, demo, visit_id)
    date_field = next(f.name for f, _r in page.form.definition.walk() if f.bind == "visit.date")
    # The date shows without the coach typing it...
    assert page.form.response()[date_field] == _school_now(demo, school_id).date().isoformat()
    page.flush()
    page.hide()
    qtbot.wait(400)  # past the autosave pause: nothing was waiting to be written
    assert _changes(demo) == before  # ...and is not written by opening the note

    page.show()
    first_text = next(
        f.name
        for f in page.form.definition.fields
        if f.type in ("text", "long_text") and f.bind is None
    )
    type_text(qtbot, page.form, first_text, "Met the ILT")
    page.flush()
    assert _changes(demo) > before
    assert visits.get_visit(demo, visit_id).response[first_text] == "Met the ILT"


def test_a_final_note_shows_its_details_read_only_until_amend(qtbot, demo):
    school_id = _school(demo, "NY_RCV")
    started = _school_now(demo, school_id) - dt.timedelta(hours=1)
    earlier = visits.start_visit(
        demo, school_id, visit_type="onsite", starts_at=started - dt.timedelta(days=14)
    )
    repeat = visits.get_visit(demo, earlier).action_repeat
    visits.save_answer(demo, earlier, f"{repeat}[0].step", "Post the attendance data wall")
    visit_id = visits.start_visit(demo, school_id, visit_type="onsite", starts_at=started)
    _fill(demo, visit_id, started.date())
    visits.finalize_visit(demo, visit_id, accept_privacy_warnings=True)

    page = open_visit_page(qtbot, demo, visit_id)
    details = page.details
    editors = {
        "type": details.type_box,
        "start": details.start_edit,
        "end": details.end_edit,
        "purpose": details.purpose_edit,
        "add a contact": details.contact_box,
        "add by role": details.role_box,
        "remove an attendee": details.remove_button,
    }
    assert {name for name, w in editors.items() if w.isEnabled()} == set()
    assert page.form.read_only
    follow = [b for (_item, _outcome), b in page.follow_up.buttons.items()]
    assert follow and not any(b.isEnabled() for b in follow)
    assert page.amend_button.isVisible() and not page.finalize_button.isVisible()

    page.amend_button.click()
    assert {name for name, w in editors.items() if not w.isEnabled()} == set()
    assert not page.form.read_only and all(b.isEnabled() for b in page.follow_up.buttons.values())
    details.purpose_edit.setText("Review the walk with the ILT")
    details.purpose_edit.editingFinished.emit()
    assert visits.get_visit(demo, visit_id).purpose == "Review the walk with the ILT"


def test_a_visit_not_yet_started_is_refused_with_when_it_can_be_finalized(
    qtbot, demo, scripted_dialogs
):
    school_id = _school(demo, "NY_RCV")
    tomorrow = _school_now(demo, school_id).replace(hour=9, minute=30) + dt.timedelta(days=1)
    visit_id = visits.start_visit(demo, school_id, visit_type="onsite", starts_at=tomorrow)
    _fill(demo, visit_id, tomorrow.date())
    page = open_visit_page(qtbot, demo, visit_id)
    assert page.finalize_button.isVisible()
    assert page.finalize() is False
    kind, title, text = scripted_dialogs.shown[-1]
    assert (kind, title) == ("error", "Not finalized")
    assert f"starts {tomorrow:%b} {tomorrow.day}, {tomorrow.year}, 9:30 AM" in text
    assert "can be finalized once it has started" in text
    assert visits.get_visit(demo, visit_id).status == "draft"
