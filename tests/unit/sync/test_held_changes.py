"""Issue 15, a peer cannot move this laptop's clock: changes stamped more than a day ahead are
held back (coachdesk/sync/held_changes.py), merge once the clock reaches them, and never move the
local hybrid clock."""

from __future__ import annotations

import datetime as dt
import json
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from coachdesk.core.clock import HLC, HybridClock
from coachdesk.core.dates_text import medium_date
from coachdesk.core.ids import new_id
from coachdesk.core.store.schema import Change, FieldHead
from coachdesk.core.store.sync_tables import HeldChange, ImportedBundle, SignedSegment
from coachdesk.sync import held_changes, trust
from coachdesk.sync.errors import BundleError
from coachdesk.sync.held_changes import (
    FUTURE_LIMIT_MS,
    Released,
    clock_reading_to_observe,
    held_summary,
    hold,
    merge_due,
    merge_holding_back,
    release_due,
    release_due_by_bundle,
    split_future,
)
from coachdesk.sync.merge import merge_changes
from coachdesk.sync.payload import IncomingChange, carried_columns
from tests.support.sync_world import add_school, school_name

TODAY = medium_date(dt.date.today())  # the held-changes sentence says this laptop's date

NOW = 1_796_000_000_000  # Nov 30, 2026, in wall milliseconds
DAY = 24 * 60 * 60 * 1000
YEAR_30490 = 900_010_000_000_000  # the change: stamped in the year 30,490
DEVICE = new_id()


def _change(
    wall: int, *, device: str = DEVICE, record: str | None = None, **fields
) -> IncomingChange:
    values = {
        "change_id": new_id(),
        "record_type": "organization",
        "record_id": record or new_id(),
        "field": "name",
        "value": json.dumps("Far Ahead School"),
        "hlc": str(HLC(wall, 0, device)),
        "device_id": device,
        "supersedes": "[]",
    }
    values.update(fields)
    return IncomingChange(**values)


def _held_ids(profile) -> set[str]:
    with profile.reading() as session:
        return set(session.execute(select(HeldChange.change_id)).scalars())


def _log_changes(profile, record_id: str) -> list[IncomingChange]:
    with profile.reading() as session:
        rows = session.execute(select(*carried_columns()).where(Change.record_id == record_id))
        return [IncomingChange(*row) for row in rows]


def _restamped(change: IncomingChange, wall: int) -> IncomingChange:
    return change._replace(hlc=str(HLC(wall, 0, change.device_id)))


# --- split_future ------------------------------------------------------------------------------


def test_a_change_up_to_a_day_ahead_is_ready_and_one_beyond_is_ahead():
    at_limit = _change(NOW + FUTURE_LIMIT_MS)
    beyond = _change(NOW + FUTURE_LIMIT_MS + 1)
    behind = _change(NOW - 5 * DAY)
    far = _change(YEAR_30490)
    ready, ahead = split_future([far, at_limit, behind, beyond], NOW)
    assert ready == [at_limit, behind]
    assert ahead == [far, beyond]
    assert FUTURE_LIMIT_MS == DAY and held_changes.FUTURE_LIMIT == dt.timedelta(days=1)


walls = st.integers(min_value=0, max_value=999_999_999_999_999)


@given(st.lists(walls, max_size=30), st.integers(min_value=0, max_value=10**14))
def test_split_future_keeps_every_change_once_in_order_on_the_right_side(readings, now):
    changes = [_change(w) for w in readings]
    ready, ahead = split_future(changes, now)
    assert [c for c in changes if c in ready] == ready
    assert [c for c in changes if c in ahead] == ahead
    assert sorted(ready + ahead) == sorted(changes)
    assert all(HLC.parse(c.hlc).wall_ms <= now + DAY for c in ready)
    assert all(HLC.parse(c.hlc).wall_ms > now + DAY for c in ahead)


# --- the clock ---------------------------------------------------------------------------------


def test_a_far_future_reading_leaves_the_next_local_stamp_near_now():
    clock = HybridClock("me", wall=lambda: NOW)
    merged = [str(HLC(YEAR_30490, 0, DEVICE)), str(HLC(NOW + 60_000, 3, DEVICE))]
    reading = clock_reading_to_observe(merged, NOW)
    assert reading == HLC(NOW + 60_000, 3, DEVICE)
    clock.observe(reading)
    stamp = clock.now()
    assert stamp.wall_ms == NOW + 60_000 and stamp.counter == 4  # past what it saw, near now

    only_far = clock_reading_to_observe([str(HLC(YEAR_30490, 0, DEVICE)), None], NOW)
    assert only_far is None
    fresh = HybridClock("me", wall=lambda: NOW)
    assert fresh.now() == HLC(NOW, 0, "me")


def test_observing_everything_unbounded_is_what_moved_the_clock_to_the_year_30490():
    # The failure this guards against: the clock adopts every reading it is shown.
    clock = HybridClock("me", wall=lambda: NOW)
    clock.observe(HLC(YEAR_30490, 0, DEVICE))
    assert clock.now().wall_ms == YEAR_30490
    assert held_changes.shown_moment(clock.now().wall_ms) == "the year 30,490"


@given(st.lists(walls, max_size=20), st.integers(min_value=1, max_value=10**14))
def test_no_merged_reading_moves_the_next_stamp_past_a_day_ahead(readings, now):
    clock = HybridClock("me", wall=lambda: now)
    reading = clock_reading_to_observe([str(HLC(w, 7, DEVICE)) for w in readings], now)
    if reading is not None:
        clock.observe(reading)
    stamp = clock.now()
    admissible = [w for w in readings if w <= now + DAY]
    assert now <= stamp.wall_ms <= now + DAY
    assert stamp.wall_ms >= max(admissible, default=now)  # still past every admissible reading
    if admissible:
        assert reading == HLC(max(admissible), 7, DEVICE)
    else:
        assert reading is None and stamp == HLC(now, 0, "me")


# --- hold and release ----------------------------------------------------------------------------


def test_held_changes_are_stored_once_and_released_when_the_clock_reaches_them(pair):
    _dana, lee = pair
    soon = _change(NOW + 3 * DAY)
    later = _change(NOW + 30 * DAY)
    with lee.profile.writing(capture=False) as write:
        assert hold(write.session, [soon, later], "bundle-1") == 2
    with lee.profile.writing(capture=False) as write:  # the same changes in a second bundle
        assert hold(write.session.connection(), [later, soon, soon], "bundle-2") == 0
    assert _held_ids(lee.profile) == {soon.change_id, later.change_id}

    with lee.profile.writing(capture=False) as write:
        assert release_due(write.session, NOW) == []
        released = release_due_by_bundle(write.session, NOW + 2 * DAY)
        assert released == [Released("bundle-1", [soon], {})]
    assert _held_ids(lee.profile) == {later.change_id}
    with lee.profile.writing(capture=False) as write:
        assert release_due(write.session, NOW + 29 * DAY) == [later]
    assert _held_ids(lee.profile) == set()


def test_a_change_already_in_the_log_is_not_held_and_a_rewrite_is_refused(pair):
    dana, lee = pair
    school = add_school(lee.profile, "Harbor View Elementary")
    logged = _log_changes(lee.profile, school)[0]
    with lee.profile.writing(capture=False) as write:
        assert hold(write.session, [logged], "bundle-1") == 0
    assert _held_ids(lee.profile) == set()

    ahead = _change(NOW + 9 * DAY)
    with lee.profile.writing(capture=False) as write:
        hold(write.session, [ahead], "bundle-1")
    rewritten = ahead._replace(value=json.dumps("Another name"))
    with pytest.raises(BundleError) as refused, lee.profile.writing(capture=False) as write:
        hold(write.session, [rewritten], "bundle-2")
    assert refused.value.code == "rewrites_history"
    with pytest.raises(BundleError), lee.profile.writing(capture=False) as write:
        hold(write.session, [logged._replace(value=json.dumps("Renamed"))], "bundle-2")
    assert _held_ids(lee.profile) == {ahead.change_id}


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(st.integers(min_value=-3 * DAY, max_value=400 * DAY), min_size=1, max_size=12),
    st.integers(min_value=0, max_value=400 * DAY),
)
def test_release_returns_exactly_the_held_changes_now_within_a_day(pair, offsets, later):
    _dana, lee = pair
    changes = [_change(NOW + offset) for offset in offsets]
    with lee.profile.writing(capture=False) as write:
        hold(write.session, changes, "bundle-1")
        released = release_due(write.session, NOW + later)
        left = set(write.session.execute(select(HeldChange.change_id)).scalars())
        release_due(write.session, 10**14)  # empty the table for the next example
    due = [c for c in changes if HLC.parse(c.hlc).wall_ms <= NOW + later + DAY]
    assert released == sorted(due, key=lambda c: (c.hlc, c.change_id))
    assert left == {c.change_id for c in changes} - {c.change_id for c in due}


def test_released_changes_merge_and_a_newer_edit_that_supersedes_one_wins(pair):
    dana, lee = pair
    school = add_school(dana.profile, "Harbor View Elementary")
    created = _log_changes(dana.profile, school)
    far = NOW + 40 * DAY
    held = [_restamped(c, far) for c in created]
    ready, ahead = split_future(held, NOW)
    assert ready == [] and len(ahead) == len(created)
    with lee.profile.writing(capture=False) as write:
        hold(write.session, ahead, "bundle-far")
    assert school_name(lee.profile, school) is None  # nothing merged early

    name_change = next(c for c in held if c.field == "name")
    correction = _change(
        NOW,
        device=name_change.device_id,
        record=school,
        value=json.dumps("Harbor View School"),
        supersedes=json.dumps([name_change.change_id]),
    )
    with lee.profile.writing(capture=False) as write:
        released = release_due_by_bundle(write.session, far - DAY)
        assert [r.bundle_id for r in released] == ["bundle-far"]
        for r in released:
            merge_changes(write.session, r.changes, bundle_id=r.bundle_id, segment_of=r.segment_of)
        merge_changes(write.session, [correction], bundle_id="bundle-now")
    assert school_name(lee.profile, school) == "Harbor View School"
    with lee.profile.reading() as session:
        carried = session.execute(
            select(Change.bundle_id, func.count()).group_by(Change.bundle_id)
        ).all()
    assert ("bundle-far", len(created)) in carried


def test_an_edit_that_supersedes_a_held_change_merges_now_and_stays_current(pair):
    dana, lee = pair
    school = add_school(dana.profile, "Harbor View Elementary")
    lee.take(dana.bundle())
    now = held_changes.wall_now_ms()
    original = next(c for c in _log_changes(dana.profile, school) if c.field == "name")
    device = dana.keys.device_id
    far_rename = _change(
        now + 50 * DAY,
        device=device,
        record=school,
        value=json.dumps("Year 2100"),
        supersedes=json.dumps([original.change_id]),
    )
    fix = _change(
        now + 1000,
        device=device,
        record=school,
        value=json.dumps("Harbor View School"),
        supersedes=json.dumps([far_rename.change_id]),
    )
    ready, ahead = split_future([far_rename, fix], now)
    assert (ready, ahead) == ([fix], [far_rename])
    with lee.profile.writing(capture=False) as write:
        hold(write.session, ahead, "bundle-1")
        merge_changes(write.session, ready, bundle_id="bundle-1")
    assert school_name(lee.profile, school) == "Harbor View School"
    with lee.profile.writing(capture=False) as write:
        for r in release_due_by_bundle(write.session, now + 50 * DAY):
            merge_changes(write.session, r.changes, bundle_id=r.bundle_id)
    assert school_name(lee.profile, school) == "Harbor View School"  # the held one is history
    with lee.profile.reading() as session:
        head = session.get(FieldHead, ("organization", school, "name"))
        assert json.loads(head.head_ids) == [fix.change_id] and not head.in_conflict


def test_a_held_change_keeps_its_segment_and_one_a_revoked_key_signed_never_merges(pair):
    dana, lee = pair
    device = dana.keys.device_id
    imported = lee.take(dana.bundle())  # the ledger names the key that signed this bundle
    signed, unsigned, other = (_change(NOW + 5 * DAY, device=device) for _ in range(3))
    with lee.profile.writing(capture=False) as write:
        write.session.add(
            SignedSegment(device_id=device, seq=7, key_id=dana.keys.key_id, signed=b"x")
        )
        hold(write.session, [signed], "bundle-2", segment_of={signed.change_id: 7})
        hold(write.session, [unsigned], imported.bundle_id)
        hold(write.session, [other], "bundle-3")
    with lee.profile.writing(capture=False) as write:
        due = release_due_by_bundle(write.session, NOW + 5 * DAY)
        write.session.rollback()  # look, then keep them held
    assert Released("bundle-2", [signed], {signed.change_id: 7}) in due
    with lee.profile.reading() as session:
        assert session.get(ImportedBundle, imported.bundle_id).key_id == dana.keys.key_id

    trust.revoke_key(lee.profile, dana.keys.key_id)
    with lee.profile.writing(capture=False) as write:
        due = release_due_by_bundle(write.session, NOW + 5 * DAY)
    by_bundle = {r.bundle_id: r for r in due}
    assert by_bundle["bundle-2"] == Released("bundle-2", [], {}, refused=1)
    assert by_bundle[imported.bundle_id] == Released(imported.bundle_id, [], {}, refused=1)
    assert by_bundle["bundle-3"].changes == [other]  # no ledger row, no segment: nothing revoked
    assert _held_ids(lee.profile) == set()


# --- what the coach reads ----------------------------------------------------------------------


def _noon_utc(year: int, month: int, day: int) -> int:
    return int(dt.datetime(year, month, day, 12, tzinfo=dt.UTC).timestamp() * 1000)


def test_the_summary_names_the_trusted_device_counts_and_says_up_to_when(pair):
    dana, lee = pair
    device = dana.keys.device_id
    stamps = [_noon_utc(2031, 1, 5), _noon_utc(2031, 3, 3), _noon_utc(2030, 7, 1)]
    with lee.profile.writing(capture=False) as write:
        hold(write.session, [_change(w, device=device) for w in stamps], "bundle-1")
    with lee.profile.reading() as session:
        summary = held_summary(session)
        only_other = held_summary(session, bundle_ids=["another-bundle"])
    assert summary.count == 3
    assert [(d.name, d.count) for d in summary.devices] == [("Dana", 3)]
    assert summary.sentence() == (
        "3 changes from Dana are stamped more than a day ahead of this laptop's clock "
        "(up to Mar 3, 2031); they are held back and merge when the clock reaches them. "
        f"Check the other laptop's date (this laptop's is {TODAY})."
    )
    assert summary.as_dict()["devices"][0]["up_to"] == "Mar 3, 2031"
    assert only_other.count == 0 and only_other.sentence() == ""


def test_one_change_from_an_untrusted_device_in_the_year_30490_reads_as_such(pair):
    _dana, lee = pair
    with lee.profile.writing(capture=False) as write:
        hold(write.session, [_change(YEAR_30490)], "bundle-1")
    with lee.profile.reading() as session:
        sentence = held_summary(session, bundle_ids=["bundle-1"]).sentence()
    assert sentence == (
        "1 change from a device this profile does not trust is stamped more than a day ahead "
        "of this laptop's clock (up to the year 30,490); it is held back and merges when the "
        f"clock reaches it. Check the other laptop's date (this laptop's is {TODAY})."
    )


# --- the import's merge, holding back ------------------------------------------------------------


def _far_school(dana, wall: int) -> tuple[str, list[IncomingChange]]:
    """A school Dana made, its changes stamped at `wall` (a laptop whose date is wrong)."""
    school = add_school(dana.profile, "Harbor View Elementary")
    return school, [_restamped(c, wall) for c in _log_changes(dana.profile, school)]


def test_an_import_holds_the_far_ahead_part_and_the_next_local_edit_is_stamped_near_now(pair):
    dana, lee = pair
    now = held_changes.wall_now_ms()
    far_school, far = _far_school(dana, YEAR_30490)
    near_school = add_school(dana.profile, "Lakeside Middle")
    near = _log_changes(dana.profile, near_school)
    with lee.profile.writing(capture=False) as write:
        merged = merge_holding_back(write.session, far + near, bundle_id="b-1", now_ms=now)
    assert (merged.held, merged.released) == (len(far), 0)
    assert merged.outcome.created["organization"] == {near_school}
    assert school_name(lee.profile, far_school) is None
    assert merged.observe is not None and merged.observe.wall_ms <= now + DAY
    lee.profile.clock.observe(merged.observe)
    mine = add_school(lee.profile, "Lee's own school")
    stamp = HLC.parse(_log_changes(lee.profile, mine)[0].hlc)
    assert stamp.wall_ms <= held_changes.wall_now_ms() + DAY  # not the year 30,490


def test_held_changes_merge_with_a_later_import_once_the_clock_reaches_them(pair):
    dana, lee = pair
    school, far = _far_school(dana, NOW + 10 * DAY)
    with lee.profile.writing(capture=False) as write:
        first = merge_holding_back(write.session, far, bundle_id="b-1", now_ms=NOW)
    assert first.held == len(far) and first.observe is None
    with lee.profile.writing(capture=False) as write:
        later = merge_holding_back(write.session, [], bundle_id="b-2", now_ms=NOW + 9 * DAY)
    assert later.released == len(far) and later.outcome.created["organization"] == {school}
    assert later.observe == max(HLC.parse(c.hlc) for c in far)
    assert school_name(lee.profile, school) == "Harbor View Elementary"
    with lee.profile.reading() as session:
        bundles = set(session.execute(select(Change.bundle_id).where(Change.record_id == school)))
    assert bundles == {("b-1",)}  # recorded under the bundle that carried them


def test_an_edit_of_a_held_change_is_not_reported_as_missing_an_earlier_change(pair):
    dana, lee = pair
    school = add_school(dana.profile, "Harbor View Elementary")
    lee.take(dana.bundle())
    device = dana.keys.device_id
    far_rename = _change(NOW + 50 * DAY, device=device, record=school)
    fix = _change(
        held_changes.wall_now_ms(),
        device=device,
        record=school,
        supersedes=json.dumps([far_rename.change_id]),
    )
    with lee.profile.writing(capture=False) as write:
        merged = merge_holding_back(write.session, [far_rename, fix], bundle_id="b-1")
    assert merged.held == 1 and merged.outcome.new_changes == 1
    assert merged.outcome.missing_earlier == 0


def test_merge_due_merges_what_the_clock_reached_and_says_what_changed(pair):
    dana, lee = pair
    assert merge_due(lee.profile, NOW).ids("organization") == set()
    school, far = _far_school(dana, NOW + 10 * DAY)
    with lee.profile.writing(capture=False) as write:
        merge_holding_back(write.session, far, bundle_id="b-1", now_ms=NOW)
    assert merge_due(lee.profile, NOW).ids("organization") == set()  # not yet
    assert school_name(lee.profile, school) is None
    changed = merge_due(lee.profile, NOW + 9 * DAY)
    assert changed.ids("organization") == {school}
    assert school_name(lee.profile, school) == "Harbor View Elementary"
    assert _held_ids(lee.profile) == set()


def test_after_an_import_the_sentence_is_said_once(pair):
    dana, lee = pair
    with lee.profile.writing(capture=False) as write:
        hold(write.session, [_change(NOW + 9 * DAY, device=dana.keys.device_id)], "bundle-1")
    held = held_changes.held_in(lee.profile)
    quiet, telling = SimpleNamespace(held=""), SimpleNamespace(held="1 change from Dana is ...")
    assert held_changes.after_import([quiet], held) == held.sentence()
    assert held.sentence().startswith("1 change from Dana is stamped more than a day ahead")
    assert held_changes.after_import([quiet, telling], held) == ""  # its own sentence says it
    assert held_changes.after_import([quiet], held_changes.HeldSummary()) == ""


def test_the_sentence_names_every_device_and_says_this_laptops_own_date():
    sentence = held_changes.held_sentence(
        4, _noon_utc(2031, 3, 3), ["Dana", "Lee", "Sam"], today=dt.date(2026, 12, 1)
    )
    assert sentence == (
        "4 changes from Dana, Lee and Sam are stamped more than a day ahead of this laptop's "
        "clock (up to Mar 3, 2031); they are held back and merge when the clock reaches them. "
        "Check those laptops' dates (this laptop's is Dec 1, 2026)."
    )
