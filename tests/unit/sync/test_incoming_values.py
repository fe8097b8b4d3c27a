"""Every imported value is validated against its record type and field (issue 15): an answer
must be one its form field can hold, a status one of its statuses, a form its own text."""

from __future__ import annotations

import json
import time
import zlib
from pathlib import Path

import pytest
from sqlalchemy import select

from coachdesk.core import visits
from coachdesk.core.forms.answer_privacy import answer_id
from coachdesk.core.forms.answer_values import top_level_fields
from coachdesk.core.ids import new_id
from coachdesk.core.store.profile import open_profile
from coachdesk.core.store.schema import Change
from coachdesk.core.store.visit_tables import StoredForm, VisitAnswer
from coachdesk.sync.envelope import open_envelope
from coachdesk.sync.errors import BundleError
from coachdesk.sync.incoming_values import check_incoming
from coachdesk.sync.payload import IncomingChange, carried_columns
from tests.support.sync_world import change_line, coach_with_visit, hand_made_bundle

GOLDEN = Path(__file__).resolve().parents[2] / "fixtures" / "bundles"


def _log(profile) -> list[IncomingChange]:
    with profile.reading() as session:
        t = Change.__table__
        rows = session.execute(select(*carried_columns()).order_by(t.c.hlc)).all()
    return [IncomingChange(*row) for row in rows]


def _check(profile, changes) -> None:
    with profile.reading() as session:
        check_incoming(session, changes)


def _edit(change: IncomingChange, value) -> IncomingChange:
    """A later change of the same field by the same device, carrying `value` (a column value)."""
    later = change.hlc[:15] + "-99999" + change.hlc[21:]
    return change._replace(change_id=new_id(), value=json.dumps(value), hlc=later)


def _answer_change(changes, record_id: str, field: str = "value") -> IncomingChange:
    return next(c for c in changes if c.record_id == record_id and c.field == field)


def _answer_ids(profile, visit_id: str) -> dict[str, str]:
    with profile.reading() as session:
        return dict(
            session.execute(
                select(VisitAnswer.field, VisitAnswer.id).where(VisitAnswer.visit_id == visit_id)
            ).all()
        )


@pytest.fixture
def coach(pair):
    dana, lee = pair
    visit_id, school_id, internal = coach_with_visit(dana.profile)
    return dana, lee, visit_id, internal


def test_everything_the_app_writes_passes_on_its_own_laptop_and_on_a_fresh_one(coach, tmp_path):
    dana, lee, _visit, _internal = coach
    changes = _log(dana.profile)
    assert {c.record_type for c in changes} >= {"visit", "visit_answer", "stored_form"}
    _check(dana.profile, changes)  # every record already known
    _check(lee.profile, changes)  # every visit and form arrives in the same bundle


def test_the_demo_caseloads_whole_log_passes(demo, tmp_path):
    changes = _log(demo)
    fresh = open_profile(tmp_path / "fresh")
    try:
        _check(fresh, changes)
    finally:
        fresh.close()
    _check(demo, changes)


def test_a_golden_bundles_changes_pass(tmp_path):
    envelope = open_envelope((GOLDEN / "format-1-sync.coachdesk").read_bytes())
    lines = zlib.decompress(bytes(envelope.payload)).splitlines()
    changes = []
    for line in lines:
        obj = json.loads(line)
        if obj.get("kind") == "change":
            changes.append(
                IncomingChange(
                    obj["id"],
                    obj["type"],
                    obj["record"],
                    obj["field"],
                    obj["value"],
                    obj["hlc"],
                    obj["device"],
                    json.dumps(obj["supersedes"]),
                )
            )
    assert any(c.record_type == "visit_answer" for c in changes)
    fresh = open_profile(tmp_path / "fresh")
    try:
        _check(fresh, changes)
    finally:
        fresh.close()


def test_an_answer_that_is_not_json_is_refused_naming_the_answer_and_visit(coach):
    dana, lee, visit_id, _internal = coach
    changes = _log(dana.profile)
    record = _answer_ids(dana.profile, visit_id)["challenges"]
    # What "Keep the merged text" could store: the text, not the JSON of the text.
    bad = _edit(_answer_change(changes, record), "Substitute coverage <<< kept teams apart.")
    for receiver in (dana.profile, lee.profile):  # visit known, or arriving in the same bundle
        with pytest.raises(BundleError) as refused:
            _check(receiver, [*changes, bad])
        assert refused.value.code == "invalid_change"
        said = str(refused.value)
        assert "The answer to “Implementation challenges” in the visit of Nov 18, 2026 at " in said
        assert "not JSON" in said


def test_an_answer_no_input_could_save_and_a_broken_repeat_row_are_refused(coach):
    dana, _lee, visit_id, _internal = coach
    changes = _log(dana.profile)
    template = _answer_change(changes, _answer_ids(dana.profile, visit_id)["challenges"])
    for name, value, words in [
        ("dii_reviewed", ["yes"], "it must be one choice"),
        ("purpose", "observation", "it must be a list of choices"),
        ("next_steps", [{"no_such_field": 1}], "“no_such_field”, which is not a field of"),
    ]:
        record = answer_id(visit_id, name)
        placed = [
            template._replace(change_id=new_id(), record_id=record, field=field, value=value)
            for field, value in (
                ("visit_id", json.dumps(visit_id)),
                ("field", json.dumps(name)),
                ("value", json.dumps(json.dumps(value))),
            )
        ]
        with pytest.raises(BundleError, match=words) as refused:
            _check(dana.profile, [*changes, *placed])
        label = top_level_fields(visits.get_visit(dana.profile, visit_id).definition)[name].label
        assert f"The answer to “{label}” in the visit of Nov 18, 2026" in str(refused.value)


def test_a_peer_cannot_mark_an_internal_answer_as_not_internal(coach):
    dana, _lee, visit_id, internal = coach
    changes = _log(dana.profile)
    record = _answer_ids(dana.profile, visit_id)[internal]
    bad = _edit(_answer_change(changes, record, "privacy"), "none")
    with pytest.raises(BundleError, match="privacy comes from the form") as refused:
        _check(dana.profile, [bad])
    assert refused.value.code == "invalid_change"


def test_an_answer_moved_to_another_field_is_refused(coach):
    dana, _lee, visit_id, internal = coach
    changes = _log(dana.profile)
    record = _answer_ids(dana.profile, visit_id)[internal]
    bad = _edit(_answer_change(changes, record, "field"), "challenges")
    with pytest.raises(BundleError, match="id that belongs to another field"):
        _check(dana.profile, [bad])


def test_a_visit_status_coachdesk_does_not_know_is_refused(coach):
    dana, _lee, visit_id, _internal = coach
    changes = _log(dana.profile)
    status = next(c for c in changes if c.record_id == visit_id and c.field == "status")
    with pytest.raises(BundleError) as refused:
        _check(dana.profile, [_edit(status, "published")])
    said = str(refused.value)
    assert "The visit of Nov 18, 2026 at " in said
    assert "has the status “published”, which coachdesk does not know" in said
    assert "draft, final or shared" in said


def test_a_form_whose_text_does_not_match_its_hash_is_refused(coach):
    dana, lee, _visit, _internal = coach
    changes = _log(dana.profile)
    with dana.profile.reading() as session:
        form = session.scalars(
            select(StoredForm).where(StoredForm.form_id == "ny_rcv_monthly_visit")
        ).one()
    text = next(c for c in changes if c.record_id == form.id and c.field == "text")
    forged_text = json.loads(text.value).replace("label: ", "label: Forged ", 1)
    forged = text._replace(value=json.dumps(forged_text))
    others = [c for c in changes if c.change_id != text.change_id]
    with pytest.raises(BundleError, match="visit note form ny_rcv_monthly_visit cannot be used"):
        _check(lee.profile, [*others, forged])


def test_an_import_refuses_an_answer_its_field_cannot_hold(coach):
    dana, lee, visit_id, _internal = coach
    record = _answer_ids(dana.profile, visit_id)["challenges"]
    device = lee.keys.device_id
    line = change_line(
        type="visit_answer",
        record=record,
        field="value",
        value=json.dumps("not JSON <<<"),
        hlc=f"{int(time.time() * 1000):015d}-00000-{device}",
        device=device,
    )
    bundle = hand_made_bundle(lee.keys, (json.dumps(line) + "\n").encode(), change_count=1)
    with pytest.raises(BundleError) as refused:
        dana.take(bundle)
    assert refused.value.code == "invalid_change"


def test_a_hundred_thousand_mixed_changes_are_checked_quickly(demo, tmp_path, capsys):
    log = _log(demo)
    changes = (log * (100_000 // len(log) + 1))[:100_000]
    kinds = {c.record_type for c in changes}
    assert len(kinds) >= 8 and sum(c.record_type == "visit_answer" for c in changes) > 1000
    fresh = open_profile(tmp_path / "fresh")
    try:
        _check(fresh, log[:10])  # reads the shipped forms once per process
        for name, profile in (("known", demo), ("all new", fresh)):
            start = time.perf_counter()
            _check(profile, changes)
            took = time.perf_counter() - start
            with capsys.disabled():
                print(f"\ncheck_incoming, 100,000 changes ({name}): {took * 1000:.0f} ms")
    finally:
        fresh.close()
