"""Issue 15, the import's speed: its shortcuts give exactly the profile the ordinary way gives.

A large first sync takes its changes as new without looking each id up (sync/merge.py); an id
the log holds after all falls back to the ordinary way from a savepoint.
"""

from __future__ import annotations

import json
import zlib

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from sqlalchemy import select

from coachdesk.core.clock import HLC
from coachdesk.core.ids import new_id
from coachdesk.core.store.changelog import log_explicit_edit
from coachdesk.core.store.heads import HeadFact, field_state, needs_row
from coachdesk.core.store.schema import Change, FieldHead, Organization
from coachdesk.core.store.sync_tables import AwaitedChange
from coachdesk.sync import merge, strict_json
from coachdesk.sync.errors import BundleError
from coachdesk.sync.merge import merge_changes
from coachdesk.sync.payload import IncomingChange, carried_columns, decode_changes
from coachdesk.sync.segments import change_digest, change_digests
from tests.support.sync_world import add_school, copy_device, rename, school_name, snapshot

WALL = 1_796_000_000_000  # Nov 30, 2026


def _change(device: str, *, n: int, record: str | None = None, **fields) -> IncomingChange:
    values = {
        "change_id": new_id(),
        "record_type": "organization",
        "record_id": record or new_id(),
        "field": "city",
        "value": json.dumps(f"Town {n}"),
        "hlc": str(HLC(WALL + n, 0, device)),
        "device_id": device,
        "supersedes": "[]",
    }
    values.update(fields)
    return IncomingChange(**values)


def _log(profile) -> set[tuple[str, ...]]:
    with profile.reading() as session:
        return {tuple(r) for r in session.execute(select(*carried_columns()))}


@pytest.fixture
def counted_lookups(monkeypatch):
    """How many times the merge looked incoming ids up in the log."""
    calls = []
    real = merge._unseen

    def counting(conn, incoming):
        calls.append(len(incoming))
        return real(conn, incoming)

    monkeypatch.setattr(merge, "_unseen", counting)
    return calls


def _taken_both_ways(dana, lee, tmp_path, monkeypatch, counted_lookups):
    """Lee's profile after Dana's bundle, taken as a first sync and the ordinary way."""
    data = dana.bundle()
    monkeypatch.setattr(merge, "_UNSEEN_AT_LEAST", 1)
    first = copy_device(lee, tmp_path / "first")
    first.take(data)
    assert counted_lookups == []  # taken as new: no id looked up
    monkeypatch.setattr(merge, "_UNSEEN_AT_LEAST", 10**9)
    ordinary = copy_device(lee, tmp_path / "ordinary")
    ordinary.take(data)
    assert counted_lookups  # looked up, one by one
    try:
        return snapshot(first.profile), snapshot(ordinary.profile)
    finally:
        first.profile.close()
        ordinary.profile.close()


def test_a_first_sync_taken_as_new_gives_the_profile_the_ordinary_way_gives(
    pair, tmp_path, monkeypatch, counted_lookups
):
    dana, lee = pair
    schools = [add_school(dana.profile, f"School {n}") for n in range(5)]
    rename(dana.profile, schools[0], "Harbor View Elementary")  # a second version of a field
    first, ordinary = _taken_both_ways(dana, lee, tmp_path, monkeypatch, counted_lookups)
    assert first == ordinary
    assert ("organization", schools[0], "name") in first["heads"]


def test_a_forged_id_in_a_first_sync_is_refused_as_rewriting_history(pair, monkeypatch):
    dana, lee = pair
    monkeypatch.setattr(merge, "_UNSEEN_AT_LEAST", 1)
    school = add_school(lee.profile, "Harbor View Elementary")
    own = next(c for c in _log(lee.profile) if c[2] == school and c[3] == "name")
    stranger = new_id()  # a device this profile holds nothing from
    forged = _change(stranger, n=0, record=school, field="name", change_id=own[0])
    incoming = [_change(stranger, n=n, record=school) for n in range(1, 6)] + [forged]
    before = _log(lee.profile)
    with pytest.raises(BundleError) as refused:
        with lee.profile.writing(capture=False) as write:
            merge_changes(write.session, incoming, bundle_id="b-forged")
    assert refused.value.code == "rewrites_history"
    assert _log(lee.profile) == before


def test_an_id_the_log_holds_after_all_falls_back_without_a_trace(
    pair, monkeypatch, counted_lookups
):
    """The shortcut's guess was wrong (a change the log holds, sent again): the savepoint undoes
    everything the first try wrote, the gap it recorded included, and the ordinary way merges."""
    dana, lee = pair
    school = add_school(lee.profile, "Harbor View Elementary")
    device = new_id()
    known = _change(device, n=0, record=school)
    with lee.profile.writing(capture=False) as write:
        merge_changes(write.session, [known], bundle_id="b-1")
    missing = new_id()  # superseded, never received: recorded as awaited, once
    later = _change(device, n=1, record=school, supersedes=json.dumps([missing]))
    fresh = [_change(device, n=n, record=school, field="state_id") for n in range(2, 6)]
    monkeypatch.setattr(merge, "_likely_all_unseen", lambda conn, incoming: True)
    with lee.profile.writing(capture=False) as write:
        outcome = merge_changes(write.session, [*fresh, later, known], bundle_id="b-2")
    assert counted_lookups  # the ordinary way ran after the first try failed
    assert outcome.new_changes == 5 and outcome.missing_earlier == 1
    log = _log(lee.profile)
    assert {tuple(c) for c in [known, later, *fresh]} <= log
    with lee.profile.reading() as session:
        assert list(session.execute(select(AwaitedChange.change_id)).scalars()) == [missing]
        bundles = dict(session.execute(select(Change.change_id, Change.bundle_id)).all())
    assert bundles[known.change_id] == "b-1" and bundles[later.change_id] == "b-2"


def _decoded_as_before(text: str):
    """strict_json.loads as it was written before it called the scanner directly."""
    try:
        return strict_json._no_lone_surrogate(text, strict_json._decoder.decode(text))
    except RecursionError:
        raise ValueError("nested too deeply") from None


def _outcome(call, *args):
    try:
        return ("value", call(*args))
    except (ValueError, TypeError) as exc:
        return ("refused", type(exc), str(exc))


@given(
    st.one_of(
        st.text(max_size=40),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=10),
            lambda inner: (
                st.lists(inner, max_size=3)
                | st.dictionaries(st.text(max_size=3), inner, max_size=3)
            ),
            max_leaves=8,
        ).map(json.dumps),
    )
)
@example('{"a":1,"a":2}')
@example(" [1] ")
@example("[1] x")
@example("[NaN]")
@example('"\\ud800"')
@example("[" * 5000 + "]" * 5000)
@example("")
def test_a_line_reads_as_the_strict_parser_always_read_it(text):
    assert _outcome(strict_json.loads, text) == _outcome(_decoded_as_before, text)


def test_a_segment_lists_the_digests_of_the_changes_it_signs():
    changes = [_change(new_id(), n=n) for n in range(3)]
    assert change_digests(changes) == [change_digest(c) for c in changes]
    assert change_digests([]) == []


def _line(change: IncomingChange, **replaced) -> bytes:
    item = {
        "kind": "change",
        "id": change.change_id,
        "type": change.record_type,
        "record": change.record_id,
        "field": change.field,
        "value": change.value,
        "hlc": change.hlc,
        "device": change.device_id,
        "supersedes": json.loads(change.supersedes),
    }
    item.update(replaced)
    return json.dumps(item).encode() + b"\n"


@pytest.mark.parametrize(
    "replaced",
    [{"record": ["not", "an", "id"]}, {"device": {"a": 1}}, {"record": "0" * 36}, {"id": 7}],
)
def test_an_id_is_checked_on_every_line_after_the_same_ids_passed(replaced):
    device, record = new_id(), new_id()
    good = [_change(device, n=n, record=record) for n in range(3)]
    bad = _change(device, n=9, record=record)
    plain = b"".join(_line(c) for c in good) + _line(bad, **replaced)
    read = {"plain_size": len(plain), "change_count": 4}
    with pytest.raises(BundleError) as refused:
        decode_changes(zlib.compress(plain), **read)
    assert refused.value.code == "invalid_change" and "malformed id" in str(refused.value)
    fine = b"".join(_line(c) for c in [*good, bad])
    changes = decode_changes(zlib.compress(fine), plain_size=len(fine), change_count=4)
    assert changes == [*good, bad]
    assert all(type(c) is IncomingChange for c in changes)


# --- a field's first version keeps no FieldHead row (core/store/heads.py) ----------------------


def _head_rows(profile, record_id: str) -> dict[str, tuple[list[str], bool]]:
    with profile.reading() as session:
        rows = session.execute(select(FieldHead).where(FieldHead.record_id == record_id))
        return {h.field: (json.loads(h.head_ids), h.in_conflict) for h in rows.scalars()}


def _ids_of(profile, record_id: str, field: str) -> list[str]:
    with profile.reading() as session:
        return list(
            session.execute(
                select(Change.change_id)
                .where(Change.record_id == record_id, Change.field == field)
                .order_by(Change.hlc)
            ).scalars()
        )


def test_a_record_s_first_values_keep_no_head_rows_and_an_edit_writes_one_everywhere(pair):
    dana, lee = pair
    school = add_school(dana.profile, "Harbor View Elementary")
    assert _head_rows(dana.profile, school) == {}
    lee.take(dana.bundle())
    assert _head_rows(lee.profile, school) == {}
    rename(lee.profile, school, "Harbor View ES")  # its one version was its head, from the log
    first, edit = _ids_of(lee.profile, school, "name")
    assert _head_rows(lee.profile, school) == {"name": ([edit], False)}
    dana.take(lee.bundle())
    assert _head_rows(dana.profile, school) == {"name": ([edit], False)}
    assert school_name(dana.profile, school) == "Harbor View ES"
    assert snapshot(dana.profile) == snapshot(lee.profile)


def test_concurrent_edits_of_a_first_version_conflict_on_both_laptops(pair):
    dana, lee = pair
    school = add_school(dana.profile, "Harbor View Elementary")
    lee.take(dana.bundle())
    rename(dana.profile, school, "Dana's name")
    rename(lee.profile, school, "Lee's name")
    lee.take(dana.bundle())
    dana.take(lee.bundle())
    heads = _head_rows(dana.profile, school)["name"]
    assert heads[1] is True and len(heads[0]) == 2
    assert _head_rows(lee.profile, school) == _head_rows(dana.profile, school)
    assert snapshot(dana.profile) == snapshot(lee.profile)


def test_a_resolved_conflict_names_the_resolving_change(pair):
    dana, lee = pair
    school = add_school(dana.profile, "Harbor View Elementary")
    lee.take(dana.bundle())
    rename(dana.profile, school, "Dana's name")
    rename(lee.profile, school, "Lee's name")
    dana.take(lee.bundle())
    with dana.profile.writing() as write:
        record = write.session.get(Organization, school)
        change_id = log_explicit_edit(write.session, record, "name", record.name)
    assert _head_rows(dana.profile, school)["name"] == ([change_id], False)
    assert _ids_of(dana.profile, school, "name")[-1] == change_id


def _fact(n: int, *supersedes: str) -> HeadFact:
    return HeadFact(f"{n:015d}-00000-dev", '"x"', supersedes)


def test_a_row_is_needed_unless_the_one_version_is_the_one_head():
    facts = {"a": _fact(1), "b": _fact(2, "a"), "c": _fact(3, "elsewhere")}
    first = field_state([], ["a"], facts)
    assert not needs_row(first, ["a"])
    assert needs_row(field_state(["a"], ["b"], facts), ["a", "b"])  # a second version
    assert needs_row(field_state([], ["a"], facts, superseded={"a"}), ["a"])  # no head at all
    assert needs_row(field_state(["a"], ["c"], facts), ["a", "c"])  # two heads
