"""Golden bundles (THREATS.md, newer / older format): the committed bundles of every released
format import on a fresh profile and show the coach what was sent. This file holds format 1.0
(coachdesk 0.1-0.3, no signing counter, no segments); format 1.1 (0.4.0) is in
test_golden_bundles_1_1.py.

These read the files in tests/fixtures/bundles as they were committed; nothing here writes
them. If a change to the bundle format breaks them, that change breaks every coach's old files.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from coachdesk.core.store.profile import open_profile
from coachdesk.core.visits import get_visit, list_visits
from coachdesk.sync import rotation, trust
from coachdesk.sync.errors import BundleError
from coachdesk.sync.importer import import_bytes
from coachdesk.sync.keys import DeviceKeys

GOLDEN = Path(__file__).resolve().parents[2] / "fixtures" / "bundles"


def _read(name: str) -> bytes:
    path = GOLDEN / name
    if not path.exists():
        pytest.fail(f"{name} is missing: golden bundles of a released format are kept forever")
    return path.read_bytes()


def _facts() -> dict:
    """Ids and test keys of the golden files (format-1-facts.json, committed with them)."""
    return json.loads(_read("format-1-facts.json"))


def _recipient_keys() -> DeviceKeys:
    facts = _facts()
    return DeviceKeys(
        facts["recipient_device_id"],
        Ed25519PrivateKey.from_private_bytes(bytes.fromhex(facts["recipient_signing_private"])),
        X25519PrivateKey.from_private_bytes(bytes.fromhex(facts["recipient_encryption_private"])),
    )


@pytest.fixture
def fresh(tmp_path):
    """A new profile that trusts the golden laptop's key, from its golden public key file."""
    profile = open_profile(tmp_path / "fresh")
    offered = trust.read_public_key_file(_read("format-1-public-key.coachdesk-key"))
    assert offered.fingerprint == _facts()["author_fingerprint"]
    assert offered.device_name == "Golden laptop"
    trust.trust_key(profile, offered, name="Golden laptop")
    yield profile
    profile.close()


def _what_the_coach_sees(profile) -> None:
    visit = get_visit(profile, _facts()["visit_id"])
    assert visit.school_name == "Harbor View Elementary School"
    assert visit.definition is not None and visit.form_problem is None  # the form came along
    assert visit.response["coaching_notes"] == (
        "Modelled a number talk in grade 3; teachers will try one a week before December."
    )
    assert [i.text for i in visit.action_items] == ["Share the data wall with grade-level teams"]
    listed = list_visits(profile, school_id=_facts()["school_id"])
    assert [v.id for v in listed] == [_facts()["visit_id"]]


@pytest.mark.parametrize("name", ["format-1-sync.coachdesk", "format-1-sync-encrypted.coachdesk"])
def test_a_golden_sync_bundle_imports_on_a_fresh_profile(fresh, name):
    keys = _recipient_keys() if "encrypted" in name else None
    result = import_bytes(fresh, _read(name), source=name, keys=keys)
    assert not result.already_imported and result.signer_name == "Golden laptop"
    assert result.created == {
        "organization": 1,
        "stored_form": 1,
        "visit": 1,
        "visit_answer": 1,
        "action_item": 1,
    }
    assert "1 visit" in result.sentence() and "1 next step" in result.sentence()
    _what_the_coach_sees(fresh)
    again = import_bytes(fresh, _read(name), source=name, keys=keys)
    assert again.already_imported


def test_the_golden_encrypted_bundle_is_for_its_recipient_only(fresh):
    with pytest.raises(BundleError) as refused:
        import_bytes(fresh, _read("format-1-sync-encrypted.coachdesk"))  # this profile's own key
    assert refused.value.code == "not_for_you"


def test_the_golden_key_change_is_accepted_by_a_profile_that_trusts_the_old_key(fresh):
    change = rotation.read_key_file(_read("format-1-key-change.coachdesk-key"))
    assert isinstance(change, rotation.KeyRotation)
    accepted = rotation.accept_rotation(fresh, change)
    assert accepted.new_fingerprint == _facts()["author_next_fingerprint"]
    named = {k.fingerprint: k for k in trust.list_keys(fresh) if k.name == "Golden laptop"}
    assert set(named) == {_facts()["author_fingerprint"], accepted.new_fingerprint}
    assert named[_facts()["author_fingerprint"]].replaced
    # The bundle the old key signed before the change still imports.
    import_bytes(fresh, _read("format-1-sync.coachdesk"))
    _what_the_coach_sees(fresh)
