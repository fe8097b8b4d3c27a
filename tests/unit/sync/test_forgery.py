"""THREATS.md, forgery: only trusted, unrevoked keys are accepted, and the header must agree
with the key that signed it. Each case is refused with its own code; the profile is unchanged."""

from __future__ import annotations

import json

import pytest

from coachdesk.core.store.profile import open_profile
from coachdesk.sync import trust
from coachdesk.sync.envelope import PREFIX, SIGNATURE_SIZE
from coachdesk.sync.errors import BundleError
from coachdesk.sync.keys import device_keys
from tests.support.sync_world import (
    Device,
    add_school,
    change_line,
    database_bytes_digest,
    hand_made_bundle,
)


@pytest.fixture
def eve(tmp_path):
    profile = open_profile(tmp_path / "eve")
    yield Device("Eve", profile)
    profile.close()


def _refused_with(device, data: bytes, code: str) -> BundleError:
    before = database_bytes_digest(device.profile)
    with pytest.raises(BundleError) as caught:
        device.take(data)
    assert caught.value.code == code, str(caught.value)
    assert database_bytes_digest(device.profile) == before
    return caught.value


def _resign(body: bytes, keys) -> bytes:
    import hashlib

    from coachdesk.sync.envelope import DOMAIN

    return body + keys.signing.sign(DOMAIN + hashlib.sha256(body).digest())


def test_the_forgery_matrix(trio, eve):
    dana, lee, sam = trio
    add_school(dana.profile, "Harbor View Elementary")
    add_school(eve.profile, "Eve's Academy")
    good = dana.bundle()
    outcomes = {}

    # A device nobody trusted.
    error = _refused_with(lee, eve.bundle(), "unknown_signer")
    assert eve.keys.fingerprint in str(error)
    outcomes["unknown key"] = error.code

    # Dana's body re-signed by Eve with her own key in the key slot.
    body = bytearray(good[:-SIGNATURE_SIZE])
    body[28:60] = eve.keys.signing_public
    outcomes["re-signed by an unknown key"] = _refused_with(
        lee, _resign(bytes(body), eve.keys), "unknown_signer"
    ).code

    # Sam's (trusted) key put in the key slot of Dana's signed bundle.
    swapped = bytearray(good)
    swapped[28:60] = sam.keys.signing_public
    outcomes["swapped signer key"] = _refused_with(lee, bytes(swapped), "damaged").code

    # The header names Sam's key id, or Sam's device, but Dana signed it.
    line = json.dumps(change_line(device=dana.keys.device_id)).encode() + b"\n"
    outcomes["swapped key id"] = _refused_with(
        lee,
        hand_made_bundle(dana.keys, line, change_count=1, key_id=sam.keys.key_id),
        "signer_mismatch",
    ).code
    outcomes["claims another device"] = _refused_with(
        lee,
        hand_made_bundle(dana.keys, line, change_count=1, author_device=sam.keys.device_id),
        "signer_mismatch",
    ).code

    # The signature of another of Dana's bundles spliced onto this one.
    add_school(dana.profile, "Riverside Middle")
    other = dana.bundle()
    spliced = good[:-SIGNATURE_SIZE] + other[-SIGNATURE_SIZE:]
    outcomes["spliced signature"] = _refused_with(lee, spliced, "damaged").code

    # Encrypted to Sam only: Lee cannot open it, and says for whom it is.
    error = _refused_with(lee, dana.bundle(encrypt_to=["Sam"]), "not_for_you")
    assert "Sam" in str(error)
    outcomes["encrypted for someone else"] = error.code

    # A public key file is not a sync bundle.
    outcomes["key file imported as data"] = _refused_with(
        lee, trust.public_key_file(dana.profile, dana.keys), "wrong_kind"
    ).code

    # Revoked: Dana's genuine bundle is refused once Lee revokes her key.
    trust.revoke_key(lee.profile, dana.keys.fingerprint)
    outcomes["revoked key"] = _refused_with(lee, good, "revoked_signer").code

    print("\nforgery matrix:", json.dumps(outcomes, indent=1))
    assert len(outcomes) == 9
    # Sam, who trusts Dana and never revoked her, still takes the genuine bundle.
    assert sam.take(good).new_changes > 0


def test_a_revoked_key_cannot_be_trusted_again(pair):
    dana, lee = pair
    offered = trust.read_public_key_file(trust.public_key_file(dana.profile, dana.keys))
    trust.revoke_key(lee.profile, dana.keys.fingerprint.replace(" ", ""))
    with pytest.raises(Exception, match="revoked"):
        trust.trust_key(lee.profile, offered, name="Dana again")


def test_a_key_file_must_be_signed_by_the_key_it_offers(pair, eve):
    dana, lee = pair
    good = trust.public_key_file(dana.profile, dana.keys)
    forged = bytearray(good[:-SIGNATURE_SIZE])
    forged[28:60] = eve.keys.signing_public
    with pytest.raises(BundleError) as caught:
        trust.read_public_key_file(_resign(bytes(forged), eve.keys))
    # Eve's signature is valid, but the header and the payload still name Dana's key.
    assert caught.value.code == "signer_mismatch"
    assert PREFIX.size == 64
    assert device_keys(dana.profile).key_id == dana.keys.key_id
