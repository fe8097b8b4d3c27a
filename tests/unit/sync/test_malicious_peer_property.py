"""Issue 15, as a property: one trusted peer is malicious. Three honest laptops and Mallory, whom
all of them trust, edit and exchange bundles in random order; Mallory also sends forged bundles:
changes stamped with an honest laptop's id (in bundles of every format, with segments Mallory
signed for itself or in another laptop's name) and honest work re-signed after altering it.
Every forgery is refused or left out; once the honest laptops have exchanged, they are equal,
nothing any of them wrote is lost, and no profile holds a change credited to an honest laptop
that the laptop did not write."""

from __future__ import annotations

import base64
import json
import zlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from coachdesk.core.ids import new_id
from coachdesk.core.store.schema import Change, Organization
from coachdesk.sync.envelope import open_envelope
from coachdesk.sync.errors import BundleError
from coachdesk.sync.segments import segment_item, sign_segment
from tests.support.sync_world import (
    Device,
    copy_device,
    hand_made_bundle,
    make_devices,
    school_ids,
    snapshot,
)

HONEST = 3
MALLORY = HONEST  # the index of the malicious peer
names = st.text(alphabet="abcé ", min_size=1, max_size=5)
forgery = st.sampled_from(["new format", "old format", "segment in their name", "altered relay"])
operation = st.one_of(
    st.tuples(st.just("create"), st.integers(0, HONEST), names),
    st.tuples(st.just("rename"), st.integers(0, HONEST), st.integers(0, 5), names),
    st.tuples(st.just("send"), st.integers(0, HONEST), st.integers(0, HONEST)),
    st.tuples(
        st.just("forge"), forgery, st.integers(0, HONEST - 1), st.integers(0, HONEST - 1), names
    ),
)


def _own_changes(device: Device) -> set[str]:
    device_id = device.keys.device_id
    with device.profile.reading() as session:
        return set(
            session.execute(select(Change.change_id).where(Change.device_id == device_id)).scalars()
        )


def _credited(device: Device, device_id: str) -> set[str]:
    with device.profile.reading() as session:
        return set(
            session.execute(select(Change.change_id).where(Change.device_id == device_id)).scalars()
        )


def _forged(mallory: Device, kind: str, victim: Device, target: str, name: str) -> bytes:
    """A bundle Mallory signs that claims `victim` renamed `target` to `name`."""
    victim_id = victim.keys.device_id
    line = {
        "kind": "change",
        "id": new_id(),
        "type": "organization",
        "record": target,
        "field": "name",
        "value": json.dumps(name),
        "hlc": f"{4_000_000_000_000:015d}-00000-{victim_id}",
        "device": victim_id,
        "supersedes": [],
    }
    fields = [line[k] for k in ("id", "type", "record", "field", "value", "hlc", "device")]
    fields.append("[]")
    keys = mallory.keys
    if kind == "old format":
        plain = json.dumps(line).encode() + b"\n"
        return hand_made_bundle(keys, plain, change_count=1)
    if kind == "altered relay":
        # Honest work as Mallory received it, one value altered, signed again by Mallory.
        lines = zlib.decompress(bytes(open_envelope(mallory.bundle()).payload)).splitlines()
        items = [json.loads(x) for x in lines]
        changes = [x for x in items if x["kind"] == "change" and x["device"] != keys.device_id]
        if not changes:
            return _forged(mallory, "new format", victim, target, name)
        changes[0]["value"] = json.dumps(name)
        plain = b"".join(json.dumps(x).encode() + b"\n" for x in items)
        count = sum(1 for x in items if x["kind"] == "change")
        return hand_made_bundle(keys, plain, change_count=count, seq=10**6)
    device = victim_id if kind == "segment in their name" else keys.device_id
    signed = sign_segment(
        device_id=device, key_id=keys.key_id, seq=10**6, changes=[fields], sign=keys.signing.sign
    )
    segment = json.dumps(segment_item(signed)).encode()
    plain = segment + b"\n" + json.dumps(line).encode() + b"\n"
    assert base64.b64decode(segment_item(signed)["signed"]) == signed
    return hand_made_bundle(keys, plain, change_count=1, seq=10**6)


def test_honest_laptops_converge_and_lose_nothing_beside_a_malicious_peer(tmp_path):
    templates = make_devices(tmp_path / "templates", ["Dana", "Lee", "Sam", "Mallory"])
    with templates[0].profile.writing() as write:
        write.session.add(Organization(kind="school", name="Harbor View Elementary", state="NY"))
    shared = templates[0].bundle()
    for t in templates[1:]:
        t.take(shared)
    for t in templates:
        t.profile.close()
    counter = iter(range(10**6))
    stats = {"examples": 0, "forgeries": 0, "refused": 0, "left out": 0}

    @settings(
        max_examples=20,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(ops=st.lists(operation, min_size=3, max_size=14))
    def run(ops):
        root = tmp_path / f"example{next(counter)}"
        devices = []
        for t in templates:
            devices.append(copy_device(t, root))
        mallory = devices[MALLORY]
        try:
            for op in ops:
                kind = op[0]
                if kind == "create":
                    with devices[op[1]].profile.writing() as write:
                        write.session.add(Organization(kind="school", name=op[2], state="NY"))
                elif kind == "rename":
                    who = devices[op[1]]
                    schools = school_ids(who)
                    with who.profile.writing() as write:
                        school = write.session.get(Organization, schools[op[2] % len(schools)])
                        school.name = op[3]
                elif kind == "send" and op[1] != op[2]:
                    devices[op[2]].take(devices[op[1]].bundle())
                elif kind == "forge":
                    victim, receiver = devices[op[2]], devices[op[3]]
                    target = school_ids(receiver)[0]
                    stats["forgeries"] += 1
                    try:
                        result = receiver.take(_forged(mallory, op[1], victim, target, op[4]))
                    except BundleError:
                        stats["refused"] += 1
                    else:
                        assert result.left_out or result.new_changes == 0, result.sentence()
                        stats["left out"] += 1
            honest = devices[:HONEST]
            # Mallory's own (genuine) work reaches everyone through the honest laptops.
            honest[0].take(mallory.bundle())
            for _round in range(2):
                finals = [d.bundle() for d in honest]
                for sender in range(HONEST):
                    for receiver in range(HONEST):
                        if sender != receiver:
                            honest[receiver].take(finals[sender])
            shots = [snapshot(d.profile) for d in honest]
            assert shots[1] == shots[0] and shots[2] == shots[0]
            for author in honest:
                written = _own_changes(author)
                for holder in honest:
                    credited = _credited(holder, author.keys.device_id)
                    assert written <= credited  # nothing lost
                    assert credited <= written  # nothing forged in the author's name
            stats["examples"] += 1
        finally:
            for d in devices:
                d.profile.close()

    run()
    print(f"\nmalicious peer property: {stats}")
    assert stats["examples"] >= 15
    assert stats["refused"] > 0 and stats["left out"] > 0  # both defences were exercised
