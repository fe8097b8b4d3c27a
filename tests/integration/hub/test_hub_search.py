"""Search on SQLite (FTS5) and on the hub's PostgreSQL (its own full-text search): the same
tests, the same answers (core/visits/search.py picks the query by dialect)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from coachdesk.core import visits
from coachdesk.core.store.schema import Assignment
from coachdesk.core.store.visit_tables import Visit
from coachdesk.core.visits import list_visits, search

WHEN = dt.datetime.combine(dt.date.today() - dt.timedelta(days=1), dt.time(9, 30))
TEACHER = "Quintanilla"


def _new_visit(store) -> str:
    with store.reading() as session:
        school = session.execute(
            select(Assignment.org_id).where(Assignment.program_code == "NY_RCV").limit(1)
        ).scalar_one()
    return visits.start_visit(store, school, visit_type="onsite", starts_at=WHEN)


def test_search_finds_new_text_across_accents_and_as_you_type(demo_store):
    visit = _new_visit(demo_store)
    visits.save_answer(demo_store, visit, "challenges", "Señora Øyelaran led the calibration")
    for query in ("senora", "Øyelaran calib", "señora led"):
        hits = search(demo_store, query)
        assert any(h.record_id == visit for h in hits), query
    [hit] = [h for h in search(demo_store, "calibration") if h.record_id == visit]
    assert hit.kind == "note" and "[calibration]" in hit.snippet
    assert hit.date == WHEN.date().isoformat()
    assert search(demo_store, "   ") == []
    assert search(demo_store, '"; DROP TABLE visit; --') == []
    assert search(demo_store, "' & ! :* ( calibration") != []  # query syntax is only words


def test_a_tombstoned_visit_leaves_search(demo_store):
    visit = _new_visit(demo_store)
    visits.save_answer(demo_store, visit, "challenges", "zebracorn budget gap")
    assert [h.record_id for h in search(demo_store, "zebracorn")] == [visit]
    with demo_store.writing() as write:
        write.session.get(Visit, visit).deleted_at = "tombstone"
    assert search(demo_store, "zebracorn") == []


def test_next_steps_and_contacts_are_found(demo_store):
    visit = _new_visit(demo_store)
    repeat = visits.get_visit(demo_store, visit).action_repeat
    visits.save_answer(demo_store, visit, f"{repeat}[0].step", "Laminate the quokka charts")
    hits = search(demo_store, "quokka")
    assert [(h.kind, h.record_id, h.title) for h in hits] == [("next_step", visit, "Next step")]
    contacts = [h for h in search(demo_store, "principal") if h.kind == "contact"]
    assert contacts and all(h.title.startswith("Contact · ") for h in contacts)
    assert any(h.title == "Contact · Principal" for h in contacts)


def test_a_teachers_name_typed_in_a_walks_evidence_finds_no_classroom(demo_store):
    walk = next(
        r.id
        for r in list_visits(demo_store)
        if r.visit_type == "learning_walk" and r.status == "draft"
    )
    visits.save_answer(demo_store, walk, "classrooms[1].ev_discourse", f"Ms. {TEACHER} asked.")
    assert search(demo_store, TEACHER) == []
    visits.save_answer(demo_store, walk, "wonderings", "I wonder how pairs could explain more.")
    assert [(h.kind, h.record_id) for h in search(demo_store, "pairs could explain")] == [
        ("note", walk)
    ]


def test_the_same_words_find_the_same_records_on_both(demo, demo_hub):
    """The demo is the same caseload on both (its ids differ): the same hits, every one of them
    (each kind's first 50 may differ where visits share a day)."""
    for query in ("data", "principal", "walk", "math", "students", "sch"):
        found = [
            sorted(
                (h.kind, h.school_name, h.title, h.date) for h in search(s, query, per_kind=10**6)
            )
            for s in (demo, demo_hub)
        ]
        assert found[0] == found[1], query
        assert found[0], query
