"""THREATS.md, convergence and nothing lost, as a property: three laptops make random edits and
deletes and exchange bundles in random order with duplicates; once all have exchanged, every
profile is equal, and every value anyone wrote is current, a conflict sibling, or history."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from coachdesk.core.store.changelog import SYNCABLE, decode_value
from coachdesk.core.store.schema import Change, FieldHead, Organization
from tests.support.sync_world import Device, copy_device, make_devices, school_ids, snapshot

DEVICES = 3
names = st.text(alphabet="abcdeé ", min_size=1, max_size=6)
operation = st.one_of(
    st.tuples(st.just("create"), st.integers(0, DEVICES - 1), names),
    st.tuples(st.just("rename"), st.integers(0, DEVICES - 1), st.integers(0, 5), names),
    st.tuples(st.just("city"), st.integers(0, DEVICES - 1), st.integers(0, 5), st.none() | names),
    st.tuples(st.just("delete"), st.integers(0, DEVICES - 1), st.integers(0, 5)),
    st.tuples(st.just("send"), st.integers(0, DEVICES - 1), st.integers(0, DEVICES - 1)),
    st.tuples(st.just("replay"), st.integers(0, DEVICES - 1), st.integers(0, 20)),
)


def test_every_order_of_exchange_converges_and_loses_nothing(tmp_path):
    templates = make_devices(tmp_path / "templates", ["Dana", "Lee", "Sam"])
    # Two schools every laptop already holds, so that random edits often collide.
    for name in ("Harbor View Elementary", "Riverside Middle"):
        with templates[0].profile.writing() as write:
            write.session.add(Organization(kind="school", name=name, state="NY"))
    shared = templates[0].bundle()
    for t in templates[1:]:
        t.take(shared)
    for t in templates:
        t.profile.close()
    counter = iter(range(10**6))
    stats = {"examples": 0, "operations": 0, "imports": 0, "conflicts": 0}

    @settings(
        max_examples=30,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(
        ops=st.lists(operation, min_size=3, max_size=16),
        final_order=st.permutations(
            [(a, b) for a in range(DEVICES) for b in range(DEVICES) if a != b]
        ),
        duplicates=st.lists(st.integers(0, 5), max_size=3),
    )
    # Random operations collide only now and then; this one always does: two laptops rename the
    # same school differently before they exchange, so the conflict path runs every time.
    @example(
        ops=[("rename", 0, 0, "aa"), ("rename", 1, 0, "bb"), ("city", 2, 0, "c")],
        final_order=[(a, b) for a in range(DEVICES) for b in range(DEVICES) if a != b],
        duplicates=[],
    )
    def run(ops, final_order, duplicates):
        root = tmp_path / f"example{next(counter)}"
        devices = []
        for t in templates:
            devices.append(copy_device(t, root))
        written: set[tuple[str, str, object]] = set()
        sent: list[bytes] = []
        try:
            for op in ops:
                stats["operations"] += 1
                kind, who = op[0], devices[op[1]]
                if kind == "create":
                    with who.profile.writing() as write:
                        school = Organization(kind="school", name=op[2], state="NY")
                        write.session.add(school)
                    written.add((school.id, "name", op[2]))
                elif kind in ("rename", "city", "delete"):
                    schools = school_ids(who)
                    if not schools:
                        continue
                    school_id = schools[op[2] % len(schools)]
                    field = {"rename": "name", "city": "city", "delete": "deleted_at"}[kind]
                    value = op[3] if kind != "delete" else "2026-11-23T10:00:00"
                    with who.profile.writing() as write:
                        setattr(write.session.get(Organization, school_id), field, value)
                    written.add((school_id, field, value))
                elif kind == "send":
                    sent.append(who.bundle())
                    if op[2] != op[1]:
                        devices[op[2]].take(sent[-1])
                        stats["imports"] += 1
                elif kind == "replay" and sent:
                    who.take(sent[op[2] % len(sent)])
                    stats["imports"] += 1
            finals = [d.bundle() for d in devices]
            for sender, receiver in final_order:
                devices[receiver].take(finals[sender])
                stats["imports"] += 1
            for i in duplicates:
                if sent:
                    devices[i % DEVICES].take(sent[i % len(sent)])
            shots = [snapshot(d.profile) for d in devices]
            assert shots[1] == shots[0] and shots[2] == shots[0]
            _nothing_lost(devices[0], written)
            stats["conflicts"] += _check_heads(devices[0])
            stats["examples"] += 1
        finally:
            for d in devices:
                d.profile.close()

    run()
    print(f"\nconvergence property: {stats}")
    assert stats["examples"] >= 20
    assert stats["conflicts"] > 0  # the property was exercised on real conflicts


def _nothing_lost(device: Device, written: set[tuple[str, str, object]]) -> None:
    with device.profile.reading() as session:
        logged = {
            (rid, f, json.loads(v))
            for rid, f, v in session.execute(select(Change.record_id, Change.field, Change.value))
        }
    assert written <= logged


def _check_heads(device: Device) -> int:
    """Each row shows its newest head; a conflict is exactly heads with different values."""
    conflicts = 0
    with device.profile.reading() as session:
        hlc = dict(session.execute(select(Change.change_id, Change.hlc)).all())
        value = dict(session.execute(select(Change.change_id, Change.value)).all())
        for head in session.execute(select(FieldHead)).scalars():
            ids = json.loads(head.head_ids)
            assert head.in_conflict == (len({value[i] for i in ids}) > 1)
            conflicts += head.in_conflict
            newest = max(ids, key=lambda i: (hlc[i], i))
            model = SYNCABLE[head.record_type]
            row = session.get(model, head.record_id)
            assert getattr(row, head.field) == decode_value(model, head.field, value[newest])
    return conflicts
