"""Privacy is never taken from a peer: which answers are internal comes from the form definition
(issue 15), and a bundle for someone else never carries an internal note."""

from __future__ import annotations

import json
import time
import zlib

import pytest
from sqlalchemy import select, update

from coachdesk.core.forms import load_stored_definition
from coachdesk.core.forms.answer_privacy import (
    answer_id,
    internal_answers,
    shared_answers,
    without_internal,
)
from coachdesk.core.store.visit_tables import StoredForm, Visit, VisitAnswer
from coachdesk.sync.envelope import open_envelope
from coachdesk.sync.errors import BundleError
from coachdesk.sync.export import build_bundle
from coachdesk.sync.header import parse_header
from coachdesk.sync.payload import carried_columns
from tests.support.sync_world import (
    SECRET,
    change_line,
    coach_with_visit,
    hand_made_bundle,
    make_devices,
)


@pytest.fixture
def pair(tmp_path):
    devices = make_devices(tmp_path, ["Dana", "Lee"])
    yield devices
    for d in devices:
        d.profile.close()


def _bundle_text(data: bytes) -> str:
    envelope = open_envelope(data)
    parse_header(envelope.header, minor=envelope.minor)
    return zlib.decompress(bytes(envelope.payload)).decode("utf-8")


def _set_privacy_column(profile, record_id: str, value: str) -> None:
    """What a merge of a peer's change to the synced column leaves in the row."""
    with profile.writing(capture=False) as write:
        write.session.execute(
            update(VisitAnswer).where(VisitAnswer.id == record_id).values(privacy=value)
        )


def _ids(profile, visit_id: str) -> dict[str, str]:
    with profile.reading() as session:
        return dict(
            session.execute(
                select(VisitAnswer.field, VisitAnswer.id).where(VisitAnswer.visit_id == visit_id)
            ).all()
        )


def test_the_internal_note_is_internal_whatever_its_synced_privacy_says(pair):
    dana, _lee = pair
    visit_id, _school, internal = coach_with_visit(dana.profile)
    ids = _ids(dana.profile, visit_id)
    _set_privacy_column(dana.profile, ids[internal], "none")
    _set_privacy_column(dana.profile, ids["challenges"], "internal")

    with dana.profile.reading() as session:
        held = internal_answers(session)
        shared = shared_answers(session)
    assert ids[internal] in held and ids[internal] not in shared
    # The column does not make a shared answer internal either: the form says what it is.
    assert ids["challenges"] in shared and ids["challenges"] not in held


def test_an_answer_it_cannot_place_is_internal(pair):
    dana, _lee = pair
    visit_id, _school, _internal = coach_with_visit(dana.profile)
    ids = _ids(dana.profile, visit_id)
    # A peer renames the answer's field: its id no longer belongs to that field.
    with dana.profile.writing(capture=False) as write:
        write.session.execute(
            update(VisitAnswer)
            .where(VisitAnswer.id == ids["challenges"])
            .values(field="agreements")
        )
    with dana.profile.reading() as session:
        assert ids["challenges"] in internal_answers(session)
    # A visit whose form this profile cannot find: every answer of it is internal.
    with dana.profile.writing(capture=False) as write:
        write.session.execute(
            update(Visit).where(Visit.id == visit_id).values(form_sha256="0" * 64)
        )
    with dana.profile.reading() as session:
        assert set(ids.values()) <= internal_answers(session)
        assert not shared_answers(session) & set(ids.values())


def test_the_answer_ids_are_the_ones_save_answer_gives(pair):
    dana, _lee = pair
    visit_id, _school, internal = coach_with_visit(dana.profile)
    ids = _ids(dana.profile, visit_id)
    assert ids[internal] == answer_id(visit_id, internal)
    assert ids["challenges"] == answer_id(visit_id, "challenges")


def _old_version(profile, visit_id: str, *, unmark_internal: bool) -> None:
    """Point the visit at a form version this coachdesk does not ship, kept in the profile."""
    with profile.writing() as write:
        session = write.session
        visit = session.get(Visit, visit_id)
        stored = session.scalars(
            select(StoredForm).where(StoredForm.sha256 == visit.form_sha256)
        ).one()
        text = stored.text.replace("version: 1", "version: 99", 1)
        if unmark_internal:
            text = text.replace("privacy: internal", "privacy: none")
        old = load_stored_definition(text)
        session.add(StoredForm(form_id=old.form_id, version=99, sha256=old.sha256, text=text))
        session.execute(
            update(Visit)
            .where(Visit.id == visit_id)
            .values(form_version=99, form_sha256=old.sha256)
        )


def test_a_visit_on_a_stored_form_version_is_judged_by_that_version(pair):
    dana, _lee = pair
    visit_id, _school, internal = coach_with_visit(dana.profile)
    ids = _ids(dana.profile, visit_id)
    _old_version(dana.profile, visit_id, unmark_internal=False)
    with dana.profile.reading() as session:
        assert ids[internal] in internal_answers(session)
        assert ids["challenges"] in shared_answers(session)


def test_a_forged_form_that_unmarks_the_internal_field_does_not_free_the_note(pair):
    dana, _lee = pair
    visit_id, _school, internal = coach_with_visit(dana.profile)
    ids = _ids(dana.profile, visit_id)
    _old_version(dana.profile, visit_id, unmark_internal=True)
    with dana.profile.reading() as session:
        assert ids[internal] in internal_answers(session)
        assert ids["challenges"] in shared_answers(session)


def test_without_internal_drops_every_change_to_an_internal_or_unknown_answer(pair):
    dana, _lee = pair
    visit_id, _school, internal = coach_with_visit(dana.profile)
    ids = _ids(dana.profile, visit_id)
    _set_privacy_column(dana.profile, ids[internal], "none")
    with dana.profile.reading() as session:
        rows = session.execute(select(*carried_columns())).all()
        stray = ("c", VisitAnswer.record_type, "no-such-answer", "value", '"x"', "h", "d", "[]")
        kept = without_internal(session, [*rows, stray])
    records = {(r[1], r[2]) for r in kept}
    assert (VisitAnswer.record_type, ids[internal]) not in records
    assert (VisitAnswer.record_type, "no-such-answer") not in records
    assert (VisitAnswer.record_type, ids["challenges"]) in records
    assert (Visit.record_type, visit_id) in records
    assert all(SECRET not in r[4] for r in kept)


def test_a_peer_that_sets_an_internal_answers_privacy_to_none_never_receives_it(pair):
    dana, lee = pair
    visit_id, _school, internal = coach_with_visit(dana.profile)
    record = _ids(dana.profile, visit_id)[internal]
    # Lee, trusted, writes a change that says the note is not internal.
    device = lee.keys.device_id
    line = change_line(
        type="visit_answer",
        record=record,
        field="privacy",
        value=json.dumps("none"),
        hlc=f"{int(time.time() * 1000):015d}-00000-{device}",
        device=device,
    )
    plain = (json.dumps(line) + "\n").encode()
    try:
        dana.take(hand_made_bundle(lee.keys, plain, change_count=1))
    except BundleError as refused:  # refusing the change is one right answer
        assert refused.code == "invalid_change"
    # What `export --to Lee` builds, left plain here so that the test can read it.
    data, _header = build_bundle(dana.profile, dana.keys, [], include_internal=False)
    assert SECRET not in _bundle_text(data)


def test_a_bundle_for_someone_else_leaves_out_a_note_the_form_marks_internal(pair):
    dana, _lee = pair
    visit_id, _school, internal = coach_with_visit(dana.profile)
    record = _ids(dana.profile, visit_id)[internal]
    _set_privacy_column(dana.profile, record, "none")  # as a merged peer's change leaves it
    data, _header = build_bundle(dana.profile, dana.keys, [], include_internal=False)
    text = _bundle_text(data)
    assert "Substitute coverage kept teams apart." in text  # the shared answer travels
    assert SECRET not in text
