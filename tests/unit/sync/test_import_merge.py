"""Import and merge: replay, double import, order, conflicts, all-or-nothing (THREATS.md)."""

from __future__ import annotations

import itertools
import json
import time

import pytest
from sqlalchemy import select

from coachdesk.core.clock import HLC, HybridClock
from coachdesk.core.store.schema import Change, Contact, FieldHead, Organization
from coachdesk.sync import conflicts
from coachdesk.sync.errors import BundleError
from coachdesk.sync.held_changes import merge_due
from tests.support.sync_world import (
    add_school,
    bundle_lines,
    change_line,
    database_bytes_digest,
    hand_made_bundle,
    newcomer,
    rename,
    school_name,
    snapshot,
)


def test_a_bundle_brings_the_records_and_says_what_changed(pair):
    dana, lee = pair
    school = add_school(dana.profile, "Harbor View Elementary")
    with dana.profile.writing() as write:
        write.session.add(Contact(org_id=school, name="Ana Ruiz", role="principal"))
    result = lee.take(dana.bundle(encrypt_to=["Lee"]))
    assert school_name(lee.profile, school) == "Harbor View Elementary"
    assert result.created == {"organization": 1, "contact": 1, "coach": 1}
    assert "1 school or district" in result.sentence() and "1 contact" in result.sentence()
    assert result.changes.ids("organization") == {school}
    assert snapshot(lee.profile, leave_out_device=lee.keys.device_id) == snapshot(dana.profile)


def test_importing_twice_says_already_imported_and_changes_nothing(pair):
    dana, lee = pair
    add_school(dana.profile, "Harbor View Elementary")
    bundle = dana.bundle()
    lee.take(bundle)
    before = database_bytes_digest(lee.profile)
    again = lee.take(bundle)
    assert again.already_imported
    assert "already imported" in again.sentence()
    assert database_bytes_digest(lee.profile) == before


def test_replay_of_an_older_bundle_changes_nothing(pair, tmp_path):
    dana, lee = pair
    school = add_school(dana.profile, "Old name")
    b1 = dana.bundle()
    rename(dana.profile, school, "New name")
    b2 = dana.bundle()
    lee.take(b2)
    after_b2 = snapshot(lee.profile)
    assert lee.take(b1).new_changes == 0
    assert lee.take(b1).already_imported
    assert snapshot(lee.profile) == after_b2
    assert school_name(lee.profile, school) == "New name"


def test_any_order_of_bundles_gives_the_same_profile(trio, tmp_path):
    dana, lee, sam = trio
    school = add_school(dana.profile, "Harbor View Elementary")
    b1 = dana.bundle()
    lee.take(b1)
    rename(lee.profile, school, "Harbor View ES")  # supersedes Dana's name
    b2 = lee.bundle()
    sam.take(b1)
    rename(sam.profile, school, "Harbor View Elem.")  # concurrent with Lee's
    add_school(sam.profile, "Riverside Middle")
    b3 = sam.bundle()
    rename(dana.profile, school, "HVES")  # concurrent with both
    b4 = dana.bundle()
    bundles = [b1, b2, b3, b4]
    results = []
    for n, order in enumerate(itertools.permutations(range(4))):
        kim = newcomer(tmp_path, f"kim{n}", [dana, lee, sam])
        for i in order:
            kim.take(bundles[i])
        kim.take(bundles[order[0]])  # a duplicate on top
        results.append(snapshot(kim.profile, leave_out_device=kim.keys.device_id))
        kim.profile.close()
    differing = sum(r != results[0] for r in results)
    print(
        f"\npermutations: {len(results)} orders of 4 bundles (+1 duplicate each), "
        f"{differing} differ from the first"
    )
    assert all(r == results[0] for r in results)
    heads = results[0]["heads"][("organization", school, "name")]
    assert heads[1] is True and len(heads[0]) == 3  # three concurrent renames, one conflict


def test_concurrent_edits_become_a_conflict_showing_the_newest(pair):
    dana, lee = pair
    school = add_school(dana.profile, "Harbor View Elementary")
    lee.take(dana.bundle())
    rename(dana.profile, school, "Dana's name")
    rename(lee.profile, school, "Lee's name")  # later on the clock
    result = dana.take(lee.bundle())
    lee.take(dana.bundle())
    assert result.new_conflicts == 1 and "1 conflict" in result.sentence()
    for device in (dana, lee):
        assert school_name(device.profile, school) == "Lee's name"
        with device.profile.reading() as session:
            head = session.get(FieldHead, ("organization", school, "name"))
            assert head.in_conflict and len(json.loads(head.head_ids)) == 2
    assert snapshot(dana.profile) == snapshot(lee.profile)
    # Choosing under Conflicts supersedes both versions; the resolution travels. (An ordinary
    # edit keeps the other version: tests/unit/test_changelog.py.)
    conflicts.resolve_conflict(dana.profile, "organization", school, "name", "Harbor View ES")
    lee.take(dana.bundle())
    with lee.profile.reading() as session:
        assert not session.get(FieldHead, ("organization", school, "name")).in_conflict
    assert school_name(lee.profile, school) == "Harbor View ES"


def test_a_delete_travels_like_any_edit(pair):
    dana, lee = pair
    school = add_school(dana.profile, "Closing School")
    lee.take(dana.bundle())
    with dana.profile.writing() as write:
        write.session.get(Organization, school).deleted_at = "2026-11-23"
    lee.take(dana.bundle())
    with lee.profile.reading() as session:
        assert session.get(Organization, school).deleted_at == "2026-11-23"


def test_a_record_may_come_before_its_parent(pair):
    dana, lee = pair
    school = add_school(dana.profile, "Harbor View Elementary")
    with dana.profile.writing() as write:
        write.session.add(Contact(org_id=school, name="Ana Ruiz", role="principal"))
    lines = bundle_lines(dana)
    lines.sort(key=lambda line: json.loads(line)["type"] != "contact")  # contacts first
    assert json.loads(lines[0])["type"] == "contact"
    lee.take(hand_made_bundle(dana.keys, b"".join(lines), change_count=len(lines)))
    with lee.profile.reading() as session:
        contact = session.execute(select(Contact)).scalar_one()
        assert contact.org_id == school


def test_a_bundle_that_does_not_fit_changes_nothing(pair):
    dana, lee = pair
    school = add_school(dana.profile, "Harbor View Elementary")
    with dana.profile.writing() as write:
        write.session.add(Contact(org_id=school, name="Ana Ruiz", role="principal"))
    contacts_only = [line for line in bundle_lines(dana) if b'"type":"contact"' in line]
    before = database_bytes_digest(lee.profile)
    with pytest.raises(BundleError) as caught:
        lee.take(
            hand_made_bundle(dana.keys, b"".join(contacts_only), change_count=len(contacts_only))
        )
    assert caught.value.code == "incomplete"
    assert database_bytes_digest(lee.profile) == before


def test_a_bundle_may_not_rewrite_a_change_already_held(pair):
    dana, lee = pair
    add_school(dana.profile, "Harbor View Elementary")
    lines = bundle_lines(dana)
    lee.take(hand_made_bundle(dana.keys, b"".join(lines), change_count=len(lines)))
    name_line = next(json.loads(x) for x in lines if b'"field":"name"' in x)
    name_line["value"] = json.dumps("Rewritten")
    before = database_bytes_digest(lee.profile)
    with pytest.raises(BundleError) as caught:
        lee.take(
            hand_made_bundle(dana.keys, json.dumps(name_line).encode() + b"\n", change_count=1)
        )
    assert caught.value.code == "rewrites_history"
    assert database_bytes_digest(lee.profile) == before


def test_a_change_that_arrives_after_its_successor_is_history(pair):
    dana, lee = pair
    school = add_school(dana.profile, "Harbor View Elementary")
    with dana.profile.writing() as write:
        write.session.get(Organization, school).city = "First"
    lines_first = bundle_lines(dana)
    with dana.profile.writing() as write:
        write.session.get(Organization, school).city = "Second"
    later = [x for x in bundle_lines(dana) if x not in lines_first]
    # Lee gets the record without its first city, then the second city, then the first one.
    name_first = [x for x in lines_first if b'"field":"city"' in x and b"First" in x]
    rest = [x for x in lines_first if x not in name_first]
    results = [
        lee.take(hand_made_bundle(dana.keys, b"".join(part), change_count=len(part)))
        for part in (rest, later, name_first)
    ]
    assert results[1].missing_earlier == 1 and "not received yet" in results[1].sentence()
    assert results[2].missing_earlier == 0
    with lee.profile.reading() as session:
        assert session.get(Organization, school).city == "Second"
        assert not session.get(FieldHead, ("organization", school, "city")).in_conflict


def test_clocks_hours_apart_or_running_backwards_still_converge(pair):
    dana, lee = pair
    now = int(time.time() * 1000)
    ticks = iter(range(now, 0, -1000))
    # Dana's laptop is twenty hours fast; Lee's clock runs backwards on every reading.
    dana.profile._clock = HybridClock(dana.keys.device_id, wall=lambda: now + 20 * 3600 * 1000)
    lee.profile._clock = HybridClock(lee.keys.device_id, wall=lambda: next(ticks))
    school = add_school(dana.profile, "Harbor View Elementary")
    lee.take(dana.bundle())
    rename(lee.profile, school, "Lee's edit, seen after Dana's")
    dana.take(lee.bundle())
    assert school_name(dana.profile, school) == "Lee's edit, seen after Dana's"
    with dana.profile.reading() as session:
        assert not session.get(FieldHead, ("organization", school, "name")).in_conflict
    rename(dana.profile, school, "Dana again")
    rename(lee.profile, school, "Lee again")
    dana.take(lee.bundle())
    lee.take(dana.bundle())
    assert snapshot(dana.profile) == snapshot(lee.profile)
    values = {json.loads(c[4]) for c in snapshot(dana.profile)["changes"] if c[3] == "name"}
    assert {"Dana again", "Lee again", "Harbor View Elementary"} <= values


def test_a_laptop_years_fast_is_held_back_and_cannot_move_the_receivers_clock(pair):
    dana, lee = pair
    ten_years = 10 * 365 * 24 * 3600 * 1000
    now = int(time.time() * 1000)
    dana.profile._clock = HybridClock(dana.keys.device_id, wall=lambda: now + ten_years)
    school = add_school(dana.profile, "Harbor View Elementary")
    result = lee.take(dana.bundle())
    assert school_name(lee.profile, school) is None
    assert "ahead of this laptop's clock" in result.sentence()
    assert "Check the other laptop's date" in result.sentence()
    # Lee's next edit is stamped by Lee's own clock, not ten years ahead.
    lee_school = add_school(lee.profile, "Riverside Middle")
    with lee.profile.reading() as session:
        stamps = session.execute(select(Change.hlc).where(Change.record_id == lee_school)).scalars()
        assert all(HLC.parse(s).wall_ms < now + 3600 * 1000 for s in stamps)
    # Nothing is lost: once Lee's clock reaches them, the held changes merge.
    merge_due(lee.profile, now_ms=now + ten_years + 1000)
    assert school_name(lee.profile, school) == "Harbor View Elementary"


def test_an_unknown_change_of_a_known_record_is_refused_whole(pair):
    dana, lee = pair
    lines = [
        json.dumps(change_line(device=dana.keys.device_id)).encode() + b"\n",
        json.dumps(change_line(device=dana.keys.device_id, type="time_machine")).encode() + b"\n",
    ]
    with pytest.raises(BundleError) as caught:
        lee.take(hand_made_bundle(dana.keys, b"".join(lines), change_count=2))
    assert caught.value.code == "unknown_record"
    assert "newest coachdesk" in str(caught.value)
