"""A visit's life: a final note changes only after Amend; a visit is finalized once it started.

"Started" is judged by the school's clock: the laptop may be in another time zone.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from coachdesk.core import visits
from coachdesk.core.caseload import list_caseload
from coachdesk.core.demo.visits import _response
from coachdesk.core.errors import RefusedInput
from coachdesk.core.store.schema import Change, Organization
from coachdesk.core.store.visit_tables import VisitAnswer
from coachdesk.core.visits.times import TIME_BINDS

WHEN = dt.datetime(2026, 11, 20, 9, 0)  # a Friday morning, school time


def _ny_school(profile) -> str:
    return next(r.school_id for r in list_caseload(profile) if r.program_code == "NY_RCV")


def _set_zone(profile, school_id: str, tz: str) -> None:
    with profile.writing() as write:
        write.session.get(Organization, school_id).tz = tz


def _fill_required(profile, visit_id: str, day: dt.date) -> None:
    """Answer the note as the demo does, leaving its date and times the visit's own."""
    detail = visits.get_visit(profile, visit_id)
    for name, value in _response(detail.definition, day, random.Random(1)).items():
        if detail.definition.field(name).bind not in TIME_BINDS:
            visits.save_answer(profile, visit_id, name, value)


def _changes(profile) -> int:
    with profile.reading() as session:
        return session.scalar(select(func.count()).select_from(Change))


@pytest.fixture
def final_visit(demo) -> str:
    """A final NY note of a past visit, with an earlier next step still open at its school."""
    school_id = _ny_school(demo)
    earlier = visits.start_visit(
        demo, school_id, visit_type="onsite", starts_at=WHEN - dt.timedelta(days=28)
    )
    repeat = visits.get_visit(demo, earlier).action_repeat
    visits.save_answer(demo, earlier, f"{repeat}[0].step", "Post the attendance data wall")
    visit_id = visits.start_visit(demo, school_id, visit_type="onsite", starts_at=WHEN)
    _fill_required(demo, visit_id, WHEN.date())
    visits.finalize_visit(demo, visit_id, accept_privacy_warnings=True)
    return visit_id


def _earlier_item(profile, visit_id: str) -> str:
    detail = visits.get_visit(profile, visit_id)
    return next(
        i.id for i in detail.earlier_open_items if i.text == "Post the attendance data wall"
    )


# Every write a final note refuses, as (what, write); each must work again after Amend.
FORBIDDEN = [
    ("an answer", lambda p, v: visits.save_answer(p, v, "challenges", "A quiet overwrite")),
    ("the type", lambda p, v: visits.update_visit(p, v, visit_type="virtual")),
    ("the start", lambda p, v: visits.update_visit(p, v, starts_at=WHEN.replace(hour=8))),
    ("the end", lambda p, v: visits.update_visit(p, v, ends_at=WHEN.replace(hour=11))),
    ("the purpose", lambda p, v: visits.update_visit(p, v, purpose="Something else")),
    (
        "the attendees",
        lambda p, v: visits.update_visit(p, v, attendees=[visits.Attendee("", "Principal")]),
    ),
    (
        "a follow-up",
        lambda p, v: visits.follow_up(p, _earlier_item(p, v), at_visit=v, outcome="done"),
    ),
]


@pytest.mark.parametrize("write", [w for _what, w in FORBIDDEN], ids=[w for w, _ in FORBIDDEN])
def test_a_final_note_refuses_each_change_until_amended(demo, final_visit, write):
    before = visits.get_visit(demo, final_visit)
    assert not before.permissions.edit and before.permissions.amend
    logged = _changes(demo)
    with pytest.raises(RefusedInput, match="This note is final. Choose “Amend” to change it"):
        write(demo, final_visit)
    after = visits.get_visit(demo, final_visit)
    assert _changes(demo) == logged  # nothing written, not even partly
    assert (after.visit_type, after.starts_at, after.ends_at, after.purpose, after.attendees) == (
        before.visit_type,
        before.starts_at,
        before.ends_at,
        before.purpose,
        before.attendees,
    )
    assert after.response == before.response
    assert [(i.id, i.status) for i in after.earlier_open_items] == [
        (i.id, i.status) for i in before.earlier_open_items
    ]

    visits.amend_visit(demo, final_visit)
    assert visits.get_visit(demo, final_visit).permissions.edit
    changes = write(demo, final_visit)
    assert changes and _changes(demo) > logged


def test_amended_details_are_kept_and_the_note_can_be_finalized_again(demo, final_visit):
    visits.amend_visit(demo, final_visit)
    visits.update_visit(demo, final_visit, purpose="Review the walk with the ILT")
    visits.finalize_visit(demo, final_visit, accept_privacy_warnings=True)
    detail = visits.get_visit(demo, final_visit)
    assert detail.status == "final" and detail.purpose == "Review the walk with the ILT"
    with pytest.raises(RefusedInput, match="Amend"):
        visits.update_visit(demo, final_visit, purpose="A quiet overwrite")


def test_a_visit_is_finalized_once_it_has_started_by_the_schools_clock(demo):
    # The school is in Los Angeles (UTC-8 in November); 9:00 there is 17:00 UTC, 12:00 in NY.
    school_id = _ny_school(demo)
    _set_zone(demo, school_id, "America/Los_Angeles")
    visit_id = visits.start_visit(demo, school_id, visit_type="onsite", starts_at=WHEN)
    _fill_required(demo, visit_id, WHEN.date())
    just_before = dt.datetime(2026, 11, 20, 16, 59, tzinfo=dt.UTC)

    check = visits.check_before_finalizing(demo, visit_id, now=just_before)
    assert check.blocked and not check.missing
    assert check.refusal == (
        "This visit starts Nov 20, 2026, 9:00 AM, school time. "
        "It can be finalized once it has started; until then it stays a draft."
    )
    with pytest.raises(RefusedInput, match="starts Nov 20, 2026, 9:00 AM"):
        visits.finalize_visit(demo, visit_id, accept_privacy_warnings=True, now=just_before)
    assert visits.get_visit(demo, visit_id).status == "draft"

    at_start = dt.datetime(2026, 11, 20, 17, 0, tzinfo=dt.UTC)
    assert visits.check_before_finalizing(demo, visit_id, now=at_start).refusal is None
    visits.finalize_visit(demo, visit_id, accept_privacy_warnings=True, now=at_start)
    assert visits.get_visit(demo, visit_id).status == "final"


@pytest.fixture
def laptop_in_kiribati(monkeypatch):
    """The laptop's clock in UTC+14 (the earliest zone), for as long as the test runs."""
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_a_visit_later_today_on_the_laptop_is_still_ahead_at_the_school(demo, laptop_in_kiribati):
    # The school is in Honolulu (UTC-10), a day behind the laptop: the laptop's "an hour ago"
    # is 23 hours ahead at the school, so that visit cannot be finalized yet.
    assert dt.datetime.now().astimezone().utcoffset() == dt.timedelta(hours=14)
    # The demo was loaded as of the laptop's day before it moved to UTC+14, or that day: on
    # 30 June the laptop's day is already 1 July, a school year whose caseload the demo lacks.
    laptop_day = dt.date.today()
    days = (laptop_day, laptop_day - dt.timedelta(days=1))
    school_id = next(
        r.school_id
        for day in days
        for r in list_caseload(demo, today=day)
        if r.program_code == "NY_RCV"
    )
    _set_zone(demo, school_id, "Pacific/Honolulu")
    laptop_hour_ago = dt.datetime.now().replace(second=0, microsecond=0) - dt.timedelta(hours=1)
    ahead = visits.start_visit(demo, school_id, visit_type="onsite", starts_at=laptop_hour_ago)
    _fill_required(demo, ahead, laptop_hour_ago.date())
    with pytest.raises(RefusedInput, match="can be finalized once it has started"):
        visits.finalize_visit(demo, ahead, accept_privacy_warnings=True)
    assert visits.get_visit(demo, ahead).status == "draft"

    school_now = dt.datetime.now(ZoneInfo("Pacific/Honolulu")).replace(tzinfo=None)
    started = school_now.replace(second=0, microsecond=0) - dt.timedelta(hours=1)
    begun = visits.start_visit(demo, school_id, visit_type="onsite", starts_at=started)
    _fill_required(demo, begun, started.date())
    visits.finalize_visit(demo, begun, accept_privacy_warnings=True)
    assert visits.get_visit(demo, begun).status == "final"


def test_finalizing_keeps_the_date_the_note_only_showed(demo):
    school_id = _ny_school(demo)
    visit_id = visits.start_visit(demo, school_id, visit_type="onsite", starts_at=WHEN)
    detail = visits.get_visit(demo, visit_id)
    date_field = next(f.name for f, _r in detail.definition.walk() if f.bind == "visit.date")
    _fill_required(demo, visit_id, WHEN.date())
    with demo.writing() as write:  # as if the coach never touched the date: only shown
        answer = write.session.scalars(
            select(VisitAnswer).where(
                VisitAnswer.visit_id == visit_id, VisitAnswer.field == date_field
            )
        ).first()
        if answer is not None:
            answer.deleted_at = "2026-11-20T17:00:00+00:00"
    visits.finalize_visit(demo, visit_id, accept_privacy_warnings=True)
    with demo.reading() as session:
        stored = session.scalars(
            select(VisitAnswer.value).where(
                VisitAnswer.visit_id == visit_id,
                VisitAnswer.field == date_field,
                VisitAnswer.deleted_at.is_(None),
            )
        ).all()
    assert stored == ['"2026-11-20"']
    assert visits.get_visit(demo, visit_id).response[date_field] == "2026-11-20"


def test_a_note_on_a_form_no_longer_shipped_cannot_be_amended_into_changes():
    life = visits.what_can_change(
        status="final",
        amending=False,
        form_problem="The form ny_rcv_monthly_visit v99 is not in this profile.",
        starts_at=WHEN,
        school_tz="America/New_York",
        now=dt.datetime(2026, 12, 1, tzinfo=dt.UTC),
    )
    assert not (life.edit or life.finalize or life.amend)
    assert (
        life.why_not_edit
        == life.why_not_amend
        == ("The form ny_rcv_monthly_visit v99 is not in this profile.")
    )
