"""Issue 15, authority follows the author (THREATS.md, key compromise and rotation): whether what
a trusted key signs is accepted (`trust.key_standing`), after revocation, a key change, and two
key changes from one key (a dispute the coach settles by fingerprint, never first-wins)."""

from __future__ import annotations

import json
import zlib
from pathlib import Path

import pytest
from sqlalchemy import event

from coachdesk.core.errors import RefusedInput
from coachdesk.core.ids import new_id
from coachdesk.core.store.profile import open_profile
from coachdesk.sync import rotation, signing_counter, strict_json, trust
from coachdesk.sync.envelope import open_envelope
from coachdesk.sync.errors import BundleError
from tests.support.sync_world import add_school, database_bytes_digest, school_name

GOLDEN = Path(__file__).resolve().parents[2] / "fixtures" / "bundles"


def _sign_times(device, count: int) -> None:
    """As if the laptop had signed `count` bundles or segments (its counter moves on)."""
    with device.profile.writing() as write:
        for _ in range(count):
            signing_counter.take_next(write.session, device.profile.device_id)


def _standing(profile, key_id: str) -> trust.KeyStanding | None:
    with profile.reading() as session:
        return trust.key_standing(session, key_id)


def _accept(profile, data: bytes) -> rotation.RotationAccepted:
    change = rotation.read_key_file(data)
    assert isinstance(change, rotation.KeyRotation)
    return rotation.accept_rotation(profile, change)


def _fork(old_keys, device, *, signed_up_to: int | None = 1_000_000):
    """A key change from `old_keys` to keys nobody else has: what a thief of the old key makes."""
    thief = old_keys.successor()
    data = rotation.rotation_file_bytes(
        old_keys,
        thief,
        device_name="Dana's laptop",
        bundle_id=new_id(),
        created_hlc=str(device.profile.clock.now()),
        signed_up_to=signed_up_to,
    )
    return thief, data


def test_a_trusted_key_stands_and_a_stranger_has_no_standing(pair):
    dana, lee = pair
    standing = _standing(lee.profile, dana.keys.key_id)
    assert standing == trust.KeyStanding(
        key_id=dana.keys.key_id,
        name="Dana",
        device_id=dana.profile.device_id,
        signing_key=dana.keys.signing_public,
        refusal=None,
        signed_up_to=None,
    )
    assert _standing(lee.profile, "0" * 64) is None


def test_standing_is_read_in_a_few_queries_however_often_it_is_asked(pair):
    dana, lee = pair
    statements = []
    with lee.profile.reading() as session:
        connection = session.connection()
        event.listen(connection, "before_cursor_execute", lambda *a: statements.append(a[2]))
        for _ in range(500):
            assert trust.key_standing(session, dana.keys.key_id).refusal is None
    assert len(statements) <= 3, statements


def test_a_key_change_names_the_old_keys_last_counter_and_bounds_it(pair, tmp_path):
    dana, lee = pair
    old = dana.keys
    _sign_times(dana, 7)
    path = tmp_path / "dana.coachdesk-key"
    rotation.rotate_keys(dana.profile, path)
    body = json.loads(zlib.decompress(bytes(open_envelope(path.read_bytes()).payload)))
    assert body["signed_up_to"] == 7

    _accept(lee.profile, path.read_bytes())
    for profile in (lee.profile, dana.profile):  # the receiver, and the laptop that rotated
        retired = _standing(profile, old.key_id)
        assert retired.refusal is None and retired.signed_up_to == 7
        current = _standing(profile, dana.keys.key_id)
        assert current.refusal is None and current.signed_up_to is None


def test_a_format_1_key_change_still_applies_with_no_bound(tmp_path):
    facts = json.loads((GOLDEN / "format-1-facts.json").read_text())
    profile = open_profile(tmp_path / "fresh")
    try:
        offered = trust.read_public_key_file(
            (GOLDEN / "format-1-public-key.coachdesk-key").read_bytes()
        )
        trust.trust_key(profile, offered, name="Golden laptop")
        change = rotation.read_key_file((GOLDEN / "format-1-key-change.coachdesk-key").read_bytes())
        assert isinstance(change, rotation.KeyRotation) and change.signed_up_to is None
        accepted = rotation.accept_rotation(profile, change)
        assert accepted.new_fingerprint == facts["author_next_fingerprint"]
        old = _standing(profile, offered.key_id)
        assert old.refusal is None and old.signed_up_to is None
        assert trust.find_key(profile, offered.key_id).replaced
    finally:
        profile.close()


@pytest.mark.parametrize("bound", [-1, True, "7", 2**63, 1.5])
def test_a_key_change_with_a_malformed_counter_is_refused(pair, bound):
    dana, lee = pair
    old, new = dana.keys, dana.keys.successor()
    offered = trust.OfferedKey(
        old.device_id, "Dana's laptop", new.signing_public, new.encryption_public
    )
    proof = new.signing.sign(rotation._proof_message(old.device_id, old.signing_public, offered))
    plain = strict_json.dumps(
        {
            "kind": "key_rotation",
            "device_id": old.device_id,
            "device_name": "Dana's laptop",
            "signing_key": new.signing_public.hex(),
            "encryption_key": new.encryption_public.hex(),
            "replaces": old.signing_public.hex(),
            "proof": proof.hex(),
            "signed_up_to": bound,
        }
    ).encode()
    data = trust.seal_keys_bundle(
        old,
        plain,
        device_name="Dana's laptop",
        bundle_id=new_id(),
        created_hlc=str(dana.profile.clock.now()),
    )
    before = database_bytes_digest(lee.profile)
    with pytest.raises(BundleError) as refused:
        rotation.read_key_file(data)
    assert refused.value.code == "bad_payload"
    assert database_bytes_digest(lee.profile) == before


def test_revoking_a_key_revokes_the_keys_it_introduced(pair, tmp_path):
    dana, lee = pair
    first = dana.keys
    rotation.rotate_keys(dana.profile, tmp_path / "one.coachdesk-key")
    second = dana.keys
    rotation.rotate_keys(dana.profile, tmp_path / "two.coachdesk-key")
    third = dana.keys
    for name in ("one", "two"):
        _accept(lee.profile, (tmp_path / f"{name}.coachdesk-key").read_bytes())
    add_school(dana.profile, "Harbor View Elementary")
    fresh = dana.bundle()  # signed by the newest key
    assert open_envelope(fresh).signer_key == third.signing_public

    done = trust.revoke(lee.profile, first.fingerprint)
    day = trust.shown_day(done.key.revoked_at)
    assert done.sentence() == (
        f"Revoked Dana ({first.fingerprint}) and the 2 keys it introduced by key changes: "
        f"{day} ({second.fingerprint}), {day} ({third.fingerprint}); bundles signed by them "
        "are now refused."
    )
    for key in (second, third):
        standing = _standing(lee.profile, key.key_id)
        assert standing.refusal == (
            f"its key was revoked on {day}, because the key that introduced it by a key change "
            "was revoked"
        )
        assert trust.find_key(lee.profile, key.key_id).revoked
    assert _standing(lee.profile, first.key_id).refusal == f"its key was revoked on {day}"
    with pytest.raises(BundleError) as refused:
        lee.take(fresh)
    assert refused.value.code == "revoked_signer"
    assert trust.recipient_names(lee.profile) == []
    assert trust.revoke(lee.profile, first.key_id).already


def test_revoking_one_new_key_says_its_day(pair, tmp_path):
    dana, lee = pair
    rotation.rotate_keys(dana.profile, tmp_path / "one.coachdesk-key")
    _accept(lee.profile, (tmp_path / "one.coachdesk-key").read_bytes())
    done = trust.revoke(lee.profile, dana.keys.fingerprint)
    assert done.sentence() == (
        f"Revoked Dana ({dana.keys.fingerprint}); bundles signed by it are now refused."
    )


def test_the_rotating_laptop_cannot_revoke_the_key_its_own_key_came_from(pair, tmp_path):
    dana, _lee = pair
    old = dana.keys
    rotation.rotate_keys(dana.profile, tmp_path / "one.coachdesk-key")
    before = database_bytes_digest(dana.profile)
    with pytest.raises(RefusedInput, match="introduced this laptop's current key"):
        trust.revoke(dana.profile, old.fingerprint)
    assert database_bytes_digest(dana.profile) == before


@pytest.mark.parametrize("owner_first", [True, False], ids=["owner first", "thief first"])
def test_two_key_changes_from_one_key_are_a_dispute_never_first_wins(pair, tmp_path, owner_first):
    dana, lee = pair
    old = dana.keys
    _sign_times(dana, 4)
    thief, forged = _fork(old, dana, signed_up_to=1_000_000)
    owners = tmp_path / "dana.coachdesk-key"
    rotation.rotate_keys(dana.profile, owners)
    owner = dana.keys
    files = [owners.read_bytes(), forged] if owner_first else [forged, owners.read_bytes()]

    first = _accept(lee.profile, files[0])
    assert not first.disputed and "now trusted" in first.sentence()
    second = _accept(lee.profile, files[1])
    assert second.disputed
    assert second.sentence().startswith("Two different new keys now claim to replace Dana's key")

    for claimant in (owner, thief):
        standing = _standing(lee.profile, claimant.key_id)
        assert standing.refusal == (
            "its key is disputed: two different key changes from one key name different new "
            "keys; settle it by fingerprint on the Trust page"
        )
        assert trust.find_key(lee.profile, claimant.key_id).status().startswith("disputed")
    assert _standing(lee.profile, old.key_id).signed_up_to == 4  # the lowest counter named
    with pytest.raises(RefusedInput, match="Two different new keys claim to replace Dana's key"):
        trust.recipients_named(lee.profile, ["Dana"])
    assert trust.recipient_names(lee.profile) == []

    [dispute] = rotation.key_disputes(lee.profile)
    assert dispute.old.key_id == old.key_id
    assert {k.fingerprint for k in dispute.claims} == {owner.fingerprint, thief.fingerprint}
    assert dispute.sentence() == (
        "Two different new keys claim to replace Dana's key. Call Dana and compare the "
        "fingerprint on their Trust page; keep the one that matches."
    )

    settled = rotation.settle_dispute(lee.profile, old.key_id, owner.key_id)
    assert settled.sentence() == (
        f"Kept {owner.fingerprint} as Dana's new key; the other new key ({thief.fingerprint}) "
        "is revoked, and bundles signed by it are refused."
    )
    assert rotation.key_disputes(lee.profile) == []
    assert _standing(lee.profile, owner.key_id).refusal is None
    assert _standing(lee.profile, thief.key_id).refusal.startswith("its key was revoked on")
    assert _standing(lee.profile, old.key_id).signed_up_to == 4  # the kept key change's bound
    assert trust.find_key(lee.profile, old.key_id).replaced_by == owner.key_id
    assert [r.key_id for r in trust.recipients_named(lee.profile, ["Dana"])] == [owner.key_id]

    # After the coach chose, another key change from the old key is refused.
    _again, third = _fork(old, dana)
    before = database_bytes_digest(lee.profile)
    with pytest.raises(BundleError) as refused:
        _accept(lee.profile, third)
    assert refused.value.code == "already_replaced"
    assert database_bytes_digest(lee.profile) == before


def test_the_thiefs_low_bound_binds_the_old_key_only_until_the_coach_settles(pair, tmp_path):
    """A thief may name 0 to shut out the owner's last bundles; keeping the owner's key lifts it."""
    dana, lee = pair
    old = dana.keys
    _sign_times(dana, 9)
    _thief, forged = _fork(old, dana, signed_up_to=0)
    rotation.rotate_keys(dana.profile, tmp_path / "dana.coachdesk-key")
    _accept(lee.profile, forged)
    _accept(lee.profile, (tmp_path / "dana.coachdesk-key").read_bytes())
    assert _standing(lee.profile, old.key_id).signed_up_to == 0
    rotation.settle_dispute(lee.profile, old.key_id, dana.keys.key_id)
    assert _standing(lee.profile, old.key_id).signed_up_to == 9


def test_settling_refuses_a_key_outside_the_dispute_and_a_settled_dispute(pair, tmp_path):
    dana, lee = pair
    old = dana.keys
    thief, forged = _fork(old, dana)
    rotation.rotate_keys(dana.profile, tmp_path / "dana.coachdesk-key")
    _accept(lee.profile, (tmp_path / "dana.coachdesk-key").read_bytes())
    with pytest.raises(RefusedInput, match="No two new keys are in dispute"):
        rotation.settle_dispute(lee.profile, old.key_id, dana.keys.key_id)
    _accept(lee.profile, forged)
    before = database_bytes_digest(lee.profile)
    with pytest.raises(RefusedInput, match="not one of the new keys"):
        rotation.settle_dispute(lee.profile, old.key_id, lee.keys.key_id)
    assert database_bytes_digest(lee.profile) == before
    rotation.settle_dispute(lee.profile, old.key_id, thief.key_id)  # the coach's choice holds
    assert _standing(lee.profile, thief.key_id).refusal is None
    assert trust.find_key(lee.profile, dana.keys.key_id).revoked


def test_a_disputed_key_cannot_introduce_another(pair, tmp_path):
    dana, lee = pair
    old = dana.keys
    thief, forged = _fork(old, dana)
    rotation.rotate_keys(dana.profile, tmp_path / "dana.coachdesk-key")
    _accept(lee.profile, (tmp_path / "dana.coachdesk-key").read_bytes())
    _accept(lee.profile, forged)
    _next, onward = _fork(thief, dana)
    before = database_bytes_digest(lee.profile)
    with pytest.raises(RefusedInput, match="in dispute for Dana"):
        _accept(lee.profile, onward)
    assert database_bytes_digest(lee.profile) == before


def test_the_rotating_laptop_refuses_a_different_key_change_from_its_old_key(pair, tmp_path):
    dana, _lee = pair
    old = dana.keys
    _thief, forged = _fork(old, dana)
    rotation.rotate_keys(dana.profile, tmp_path / "dana.coachdesk-key")
    before = database_bytes_digest(dana.profile)
    with pytest.raises(BundleError) as refused:
        _accept(dana.profile, forged)
    assert refused.value.code == "already_replaced"
    assert database_bytes_digest(dana.profile) == before
    assert rotation.key_disputes(dana.profile) == []


def test_keys_settle_keeps_the_key_with_the_fingerprint_read_out(pair, tmp_path, capsys):
    """`coachdesk keys settle NAME --keep FINGERPRINT` (commands/key_disputes.py)."""
    import argparse

    from coachdesk.commands import key_disputes
    from coachdesk.commands.context import CommandContext

    dana, lee = pair
    old = dana.keys
    thief, forged = _fork(old, dana)
    rotation.rotate_keys(dana.profile, tmp_path / "dana.coachdesk-key")
    _accept(lee.profile, (tmp_path / "dana.coachdesk-key").read_bytes())
    _accept(lee.profile, forged)
    parser = argparse.ArgumentParser(prog="coachdesk keys")
    key_disputes.register_keys(parser.add_subparsers())
    ctx = CommandContext(data_dir=str(lee.profile.directory))
    ctx._profile = lee.profile  # the profile the test holds open

    def run(*words: str) -> tuple[int, str, str]:
        args = parser.parse_args(["settle", *words])
        code = ctx.run(args.run, args)
        out, err = capsys.readouterr()
        return code, out, err

    before = database_bytes_digest(lee.profile)
    code, out, err = run("Dana", "--keep", lee.keys.fingerprint)
    assert code == 1 and out == "" and len(err.strip().splitlines()) == 1
    assert "None of the new keys claiming to replace Dana's key" in err
    assert dana.keys.fingerprint in err and thief.fingerprint in err
    code, _out, err = run("Kim", "--keep", dana.keys.fingerprint)
    assert code == 1 and "No two new keys are in dispute for 'Kim'" in err
    assert database_bytes_digest(lee.profile) == before

    code, out, err = run("dana", "--keep", dana.keys.fingerprint.replace(" ", ""))
    assert (code, err) == (0, "")
    assert out.startswith(f"Kept {dana.keys.fingerprint} as Dana's new key")
    assert _standing(lee.profile, dana.keys.key_id).refusal is None
    assert trust.find_key(lee.profile, thief.key_id).revoked


def test_a_bundle_from_a_disputed_key_is_refused_until_the_coach_keeps_it(pair, tmp_path):
    dana, lee = pair
    old = dana.keys
    _thief, forged = _fork(old, dana)
    rotation.rotate_keys(dana.profile, tmp_path / "dana.coachdesk-key")
    _accept(lee.profile, (tmp_path / "dana.coachdesk-key").read_bytes())
    _accept(lee.profile, forged)
    school = add_school(dana.profile, "Harbor View Elementary")
    data = dana.bundle()  # signed by Dana's new key
    before = database_bytes_digest(lee.profile)
    with pytest.raises(BundleError) as refused:
        lee.take(data)
    assert refused.value.code == "signer_not_accepted"
    assert "disputed" in str(refused.value) and "Trust page" in str(refused.value)
    assert database_bytes_digest(lee.profile) == before

    rotation.settle_dispute(lee.profile, old.key_id, dana.keys.key_id)
    assert not lee.take(data).already_imported
    assert school_name(lee.profile, school) == "Harbor View Elementary"
