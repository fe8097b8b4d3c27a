"""Ids sort by creation time and never collide; the clock never runs backwards."""

from __future__ import annotations

import uuid

from hypothesis import given
from hypothesis import strategies as st

from coachdesk.core.clock import HLC, HybridClock
from coachdesk.core.ids import is_uuid, new_id, stable_id


def test_new_ids_are_version_7_and_sort_by_creation_time():
    ids = [new_id() for _ in range(200)]
    assert all(uuid.UUID(i).version == 7 and is_uuid(i) for i in ids)
    assert len(set(ids)) == 200
    # The 48-bit millisecond prefix never decreases.
    prefixes = [i[:13] for i in ids]
    assert prefixes == sorted(prefixes)


def test_stable_ids_depend_only_on_the_key():
    assert stable_id("demo:school:a") == stable_id("demo:school:a")
    assert stable_id("demo:school:a") != stable_id("demo:school:b")
    assert uuid.UUID(stable_id("x")).version == 7


def test_the_clock_keeps_going_forward_when_the_wall_clock_is_set_back():
    walls = iter([1_000, 2_000, 500, 500, 3_000])
    clock = HybridClock("dev-a", wall=lambda: next(walls))
    readings = [clock.now() for _ in range(5)]
    assert readings == sorted(readings)
    assert len(set(readings)) == 5
    assert readings[2] == HLC(2_000, 1, "dev-a")  # stayed at 2000 and counted on


def test_the_clock_moves_past_a_reading_from_another_device():
    clock = HybridClock("dev-a", wall=lambda: 1_000)
    clock.observe(HLC(9_000_000, 7, "dev-b"))
    after = clock.now()
    assert (after.wall_ms, after.counter) > (9_000_000, 7)


def test_a_burst_larger_than_the_counter_borrows_the_next_millisecond():
    clock = HybridClock("dev-a", wall=lambda: 1_000)
    readings = [clock.now() for _ in range(100_050)]
    assert readings[-1].wall_ms == 1_001
    assert str(readings[-1]) > str(readings[99_999])


@given(
    st.lists(
        st.tuples(st.integers(0, 10**14), st.integers(0, 99_999), st.sampled_from(["a", "b-c"])),
        min_size=2,
        max_size=20,
    )
)
def test_text_form_sorts_like_the_reading_and_parses_back(triples):
    readings = [HLC(*t) for t in triples]
    assert sorted(readings) == sorted(readings, key=str)
    assert all(HLC.parse(str(r)) == r for r in readings)


def test_an_id_with_a_trailing_line_break_is_not_an_id():
    from coachdesk.core.ids import UUID_TEXT, new_id

    made = new_id()
    assert UUID_TEXT.match(made)
    for forged in (made + "\n", made + " ", made.upper(), "\n" + made):
        assert not UUID_TEXT.match(forged), repr(forged)
