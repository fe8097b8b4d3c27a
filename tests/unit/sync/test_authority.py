"""Authority follows the author (issue 15): a change is accepted only under its own author's
signature, whoever relays it. Each test here failed before 0.4.0, when a bundle signed by any
trusted key could carry changes stamped with any device's id."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from coachdesk.core.store.schema import Change
from coachdesk.sync import trust
from coachdesk.sync.errors import BundleError
from coachdesk.sync.segments import segment_item, sign_segment
from tests.support.sync_world import (
    add_school,
    bundle_lines,
    change_line,
    database_bytes_digest,
    hand_made_bundle,
    make_devices,
    newcomer,
    rename,
    school_name,
)


@pytest.fixture
def team(tmp_path):
    """Dana, Carol and Lee, each trusting the others."""
    devices = make_devices(tmp_path, ["Dana", "Carol", "Lee"])
    yield devices
    for d in devices:
        d.profile.close()


def _author_of(profile, school_id: str) -> set[str]:
    with profile.reading() as session:
        return set(
            session.execute(
                select(Change.device_id).where(
                    Change.record_id == school_id, Change.field == "name"
                )
            ).scalars()
        )


def test_a_relayed_change_arrives_under_its_authors_signature(team):
    dana, carol, lee = team
    school = add_school(dana.profile, "Harbor View Elementary")
    carol.take(dana.bundle())
    result = lee.take(carol.bundle())  # Carol relays Dana's work
    assert school_name(lee.profile, school) == "Harbor View Elementary"
    assert _author_of(lee.profile, school) == {dana.keys.device_id}
    assert not result.left_out
    # And Lee can relay it onward to someone who never met Carol's copy of it.
    sam = newcomer(dana.profile.directory.parent, "Sam", [dana, lee])
    sam.take(lee.bundle())
    assert school_name(sam.profile, school) == "Harbor View Elementary"
    sam.profile.close()


def test_a_trusted_peer_cannot_write_as_another_device(team):
    dana, carol, lee = team
    forged = change_line(device=dana.keys.device_id, value=json.dumps("Forged by Carol"))
    before = database_bytes_digest(lee.profile)
    plain = json.dumps(forged).encode() + b"\n"
    with pytest.raises(BundleError) as caught:
        lee.take(hand_made_bundle(carol.keys, plain, change_count=1, seq=5))
    assert caught.value.code == "unsigned_change"
    assert database_bytes_digest(lee.profile) == before


def test_a_trusted_peer_cannot_write_as_the_receiver_itself(team):
    dana, carol, lee = team
    forged = change_line(device=lee.keys.device_id, value=json.dumps("Lee never wrote this"))
    with pytest.raises(BundleError) as caught:
        lee.take(
            hand_made_bundle(carol.keys, json.dumps(forged).encode() + b"\n", change_count=1, seq=2)
        )
    assert caught.value.code == "unsigned_change"


def test_an_old_style_bundle_brings_only_its_signers_own_changes(team):
    dana, carol, lee = team
    carols = add_school(carol.profile, "Carol's School")
    danas = add_school(dana.profile, "Dana's School")
    lines = bundle_lines(carol) + bundle_lines(dana)  # change lines alone: as before 0.4.0
    bundle = hand_made_bundle(carol.keys, b"".join(lines), change_count=len(lines))
    result = lee.take(bundle)
    assert school_name(lee.profile, carols) == "Carol's School"
    assert school_name(lee.profile, danas) is None
    assert "relayed by Carol from other laptops were left out" in result.sentence()
    assert "cannot prove who wrote them" in result.sentence()
    # Nothing about that can change, so a second import says it was imported.
    assert lee.take(bundle).already_imported


def test_changes_of_a_revoked_key_are_refused_also_when_relayed(team):
    dana, carol, lee = team
    school = add_school(dana.profile, "Revoked Work School")
    carols = add_school(carol.profile, "Carol's Own School")
    carol.take(dana.bundle())
    trust.revoke_key(lee.profile, dana.keys.fingerprint)
    result = lee.take(carol.bundle())
    assert school_name(lee.profile, school) is None
    assert school_name(lee.profile, carols) == "Carol's Own School"
    assert "by Dana were left out" in result.sentence()
    assert "revoked" in result.sentence()
    assert lee.take(carol.bundle()).new_changes == 0


def test_an_author_trusted_later_is_merged_when_the_bundle_is_imported_again(team, tmp_path):
    dana, carol, lee = team
    school = add_school(dana.profile, "Later Trusted School")
    carol.take(dana.bundle())
    zoe = newcomer(tmp_path, "Zoe", [carol])  # trusts Carol, not Dana
    bundle = carol.bundle()
    first = zoe.take(bundle)
    assert school_name(zoe.profile, school) is None
    assert "does not trust" in first.sentence()
    offer = trust.read_public_key_file(trust.public_key_file(dana.profile, dana.keys))
    trust.trust_key(zoe.profile, offer, name="Dana")
    again = zoe.take(bundle)
    assert not again.already_imported
    assert school_name(zoe.profile, school) == "Later Trusted School"
    assert zoe.take(bundle).already_imported  # now everything in it was decided
    zoe.profile.close()


def test_a_change_received_before_authors_signed_is_not_relayed_unsigned(team):
    dana, carol, lee = team
    school = add_school(dana.profile, "Old Relay School")
    carol.take(dana.bundle())
    with carol.profile.writing(capture=False) as write:  # as a 0.3 profile received it
        write.session.execute(
            Change.__table__.update()
            .where(Change.device_id == dana.keys.device_id)
            .values(segment_seq=None)
        )
    lee.take(carol.bundle())
    assert school_name(lee.profile, school) is None
    # Dana's own next bundle brings it, signed, and Carol learns the signature from it.
    rename(dana.profile, school, "Old Relay School (renamed)")
    carol.take(dana.bundle())
    lee.take(carol.bundle())
    assert school_name(lee.profile, school) == "Old Relay School (renamed)"


def _rotate(device, folder) -> bytes:
    from coachdesk.sync import rotation

    path = folder / f"{device.name}-key-change.coachdesk-key"
    rotation.rotate_keys(device.profile, path)
    return path.read_bytes()


def test_after_a_key_change_the_old_key_cannot_sign_new_bundles(team, tmp_path):
    from coachdesk.sync import rotation

    dana, carol, lee = team
    old_keys = dana.keys
    add_school(dana.profile, "Before The Change")
    before = dana.bundle()  # signed with the old key, before the change
    change_file = _rotate(dana, tmp_path)
    rotation.accept_rotation(lee.profile, rotation.read_key_file(change_file))
    lee.take(before)  # what the old key signed before the change still imports
    # A thief holding the old key signs a bundle now: with a later counter, or none at all.
    line = json.dumps(change_line(device=old_keys.device_id)).encode() + b"\n"
    state = database_bytes_digest(lee.profile)
    for seq in (10**6, None):
        with pytest.raises(BundleError) as caught:
            lee.take(hand_made_bundle(old_keys, line, change_count=1, seq=seq))
        assert caught.value.code == "retired_key"
    assert database_bytes_digest(lee.profile) == state
    # The owner's new key goes on working.
    school = add_school(dana.profile, "After The Change")
    lee.take(dana.bundle())
    assert school_name(lee.profile, school) == "After The Change"


def test_segments_the_old_key_signs_after_the_change_are_left_out_when_relayed(team, tmp_path):
    from coachdesk.sync import rotation

    dana, carol, lee = team
    old_keys = dana.keys
    change_file = _rotate(dana, tmp_path)
    for device in (carol, lee):
        rotation.accept_rotation(device.profile, rotation.read_key_file(change_file))
    forged = change_line(device=old_keys.device_id, value=json.dumps("Thief's school"))
    fields = [forged[k] for k in ("id", "type", "record", "field", "value", "hlc", "device")]
    signed = sign_segment(
        device_id=old_keys.device_id,
        key_id=old_keys.key_id,
        seq=10**6,
        changes=[[*fields, "[]"]],
        sign=old_keys.signing.sign,
    )
    plain = json.dumps(segment_item(signed)).encode() + b"\n" + json.dumps(forged).encode() + b"\n"
    result = lee.take(hand_made_bundle(carol.keys, plain, change_count=1, seq=7))
    assert school_name(lee.profile, forged["record"]) is None
    assert "signed with its old key after that key was replaced" in result.sentence()
