"""Golden bundles of bundle format 1.1 (coachdesk 0.4.0, THREATS.md: newer / older format and
authority): the committed format-1.1 files import on a fresh profile and show the coach what
was sent, credited to the laptop that wrote it.

These read the files in tests/fixtures/bundles as they were committed (make_golden.py wrote
them); nothing here writes them. If a change to the bundle format breaks them, that change
breaks every file coachdesk 0.4.0 wrote.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sqlalchemy import select

from coachdesk.core.errors import NotFound
from coachdesk.core.store.profile import open_profile
from coachdesk.core.store.schema import Change, Coach
from coachdesk.core.store.sync_tables import SignedSegment
from coachdesk.core.visits import get_visit, list_visits
from coachdesk.sync import rotation, trust
from coachdesk.sync.envelope import open_envelope
from coachdesk.sync.errors import BundleError
from coachdesk.sync.header import parse_header
from coachdesk.sync.importer import import_bytes
from coachdesk.sync.keys import DeviceKeys
from tests.support.sync_world import change_line, database_bytes_digest, hand_made_bundle

GOLDEN = Path(__file__).resolve().parents[2] / "fixtures" / "bundles"
SYNC = "format-1.1-sync.coachdesk"
ENCRYPTED = "format-1.1-sync-encrypted.coachdesk"
RELAYED = "format-1.1-relayed.coachdesk"
AUTHOR_KEY = "format-1.1-public-key.coachdesk-key"
RELAY_KEY = "format-1.1-relay-public-key.coachdesk-key"
KEY_CHANGE = "format-1.1-key-change.coachdesk-key"
AUTHOR_RECORDS = {
    "organization": 1,
    "stored_form": 1,
    "visit": 1,
    "visit_answer": 1,
    "action_item": 1,
}


def _read(name: str) -> bytes:
    path = GOLDEN / name
    if not path.exists():
        pytest.fail(f"{name} is missing: golden bundles of a released format are kept forever")
    return path.read_bytes()


def _facts() -> dict:
    """Ids, counters and test keys of the format 1.1 files (format-1.1-facts.json)."""
    return json.loads(_read("format-1.1-facts.json"))


def _keys(prefix: str) -> DeviceKeys:
    facts = _facts()
    return DeviceKeys(
        facts[f"{prefix}_device_id"],
        Ed25519PrivateKey.from_private_bytes(bytes.fromhex(facts[f"{prefix}_signing_private"])),
        X25519PrivateKey.from_private_bytes(bytes.fromhex(facts[f"{prefix}_encryption_private"])),
    )


def _trust(profile, key_file: str, name: str, fingerprint: str) -> None:
    offered = trust.read_public_key_file(_read(key_file))
    assert offered.fingerprint == fingerprint
    assert offered.device_name == name
    trust.trust_key(profile, offered, name=name)


def _profile(tmp_path, name: str, *, author: bool, relay: bool):
    profile = open_profile(tmp_path / name)
    if author:
        _trust(profile, AUTHOR_KEY, "Golden laptop", _facts()["author_fingerprint"])
    if relay:
        _trust(profile, RELAY_KEY, "Golden relay", _facts()["relay_fingerprint"])
    return profile


@pytest.fixture
def fresh(tmp_path):
    """A new profile that trusts the golden laptop's key, from its format 1.1 public key file."""
    profile = _profile(tmp_path, "fresh", author=True, relay=False)
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


def _written_by(profile) -> dict[str, set[str]]:
    """Record type -> the trusted names of the laptops its changes are credited to."""
    names = {k.device_id: k.name for k in trust.list_keys(profile)}
    with profile.reading() as session:
        rows = session.execute(select(Change.record_type, Change.device_id)).all()
    credited: dict[str, set[str]] = {}
    for record_type, device in rows:
        credited.setdefault(record_type, set()).add(names.get(device, device))
    return credited


def _relay_coach(profile) -> str | None:
    with profile.reading() as session:
        coach = session.get(Coach, _facts()["relay_coach_id"])
        return coach.name if coach else None


@pytest.mark.parametrize(("name", "seq"), [(SYNC, "sync_seq"), (ENCRYPTED, "encrypted_seq")])
def test_a_golden_1_1_sync_bundle_imports_on_a_fresh_profile(fresh, name, seq):
    envelope = open_envelope(_read(name))
    assert (envelope.major, envelope.minor) == (1, 1)
    header = parse_header(envelope.header, minor=envelope.minor)
    assert header.seq == _facts()[seq] and header.app_version == "0.4.0"
    keys = _keys("recipient") if name == ENCRYPTED else None
    result = import_bytes(fresh, _read(name), source=name, keys=keys)
    assert not result.already_imported and result.signer_name == "Golden laptop"
    assert result.created == AUTHOR_RECORDS
    assert not result.left_out
    assert "1 visit" in result.sentence() and "1 next step" in result.sentence()
    _what_the_coach_sees(fresh)
    assert set(_written_by(fresh)) >= set(AUTHOR_RECORDS)
    assert all(_written_by(fresh)[t] == {"Golden laptop"} for t in AUTHOR_RECORDS)
    again = import_bytes(fresh, _read(name), source=name, keys=keys)
    assert again.already_imported


def test_the_golden_1_1_encrypted_bundle_is_for_its_recipient_only(fresh):
    with pytest.raises(BundleError) as refused:
        import_bytes(fresh, _read(ENCRYPTED))  # this profile's own key
    assert refused.value.code == "not_for_you"


def test_the_golden_relayed_bundle_credits_each_change_to_its_author(tmp_path):
    profile = _profile(tmp_path, "both", author=True, relay=True)
    result = import_bytes(profile, _read(RELAYED), source=RELAYED)
    assert result.signer_name == "Golden relay"  # it relayed the bundle, and wrote one change
    assert result.created == {**AUTHOR_RECORDS, "coach": 1}
    assert not result.left_out
    _what_the_coach_sees(profile)
    assert _relay_coach(profile) == _facts()["relay_coach_name"]
    credited = _written_by(profile)
    assert all(credited[t] == {"Golden laptop"} for t in AUTHOR_RECORDS)
    assert credited["coach"] >= {"Golden relay"}
    # Both authors' segments are kept, unchanged, to relay onward.
    with profile.reading() as session:
        kept = set(session.execute(select(SignedSegment.device_id, SignedSegment.seq)).all())
    assert kept == {(_facts()["author_device_id"], 1), (_facts()["relay_device_id"], 1)}
    # The author's own bundle brings nothing new after the relay brought it all.
    assert import_bytes(profile, _read(SYNC), source=SYNC).new_changes == 0
    profile.close()


def test_a_profile_that_trusts_only_the_relay_gets_only_the_relays_change(tmp_path):
    profile = _profile(tmp_path, "relay-only", author=False, relay=True)
    result = import_bytes(profile, _read(RELAYED), source=RELAYED)
    assert result.created == {"coach": 1}
    assert _relay_coach(profile) == _facts()["relay_coach_name"]
    count = _facts()["author_change_count"]
    sentence = (
        f"{count} changes by a laptop this profile does not trust were left out "
        "(trust its key, then import this again)."
    )
    assert result.left_out == sentence and sentence in result.sentence()
    with pytest.raises(NotFound):
        get_visit(profile, _facts()["visit_id"])
    # Once the coach trusts the author, the same file brings the author's work.
    _trust(profile, AUTHOR_KEY, "Golden laptop", _facts()["author_fingerprint"])
    again = import_bytes(profile, _read(RELAYED), source=RELAYED)
    assert not again.already_imported and not again.left_out
    _what_the_coach_sees(profile)
    assert all(_written_by(profile)[t] == {"Golden laptop"} for t in AUTHOR_RECORDS)
    profile.close()


def test_the_golden_1_1_key_change_retires_the_old_key_after_its_named_counter(fresh):
    change = rotation.read_key_file(_read(KEY_CHANGE))
    assert isinstance(change, rotation.KeyRotation)
    assert change.signed_up_to == _facts()["key_change_signed_up_to"]
    accepted = rotation.accept_rotation(fresh, change)
    assert accepted.new_fingerprint == _facts()["author_next_fingerprint"]
    named = {k.fingerprint: k for k in trust.list_keys(fresh) if k.name == "Golden laptop"}
    assert set(named) == {_facts()["author_fingerprint"], accepted.new_fingerprint}
    assert named[_facts()["author_fingerprint"]].replaced
    # What the old key signed up to the named counter still imports: the sync bundle (2) and
    # the encrypted one, signed with the named counter itself (3).
    import_bytes(fresh, _read(SYNC))
    import_bytes(fresh, _read(ENCRYPTED), keys=_keys("recipient"))
    _what_the_coach_sees(fresh)
    # A thief holding the old key signs a bundle with the next counter: refused, nothing written.
    old = _keys("author")
    assert old.fingerprint == _facts()["author_fingerprint"]
    line = json.dumps(change_line(device=old.device_id)).encode() + b"\n"
    thief = hand_made_bundle(old, line, change_count=1, seq=_facts()["key_change_signed_up_to"] + 1)
    before = database_bytes_digest(fresh)
    with pytest.raises(BundleError) as refused:
        import_bytes(fresh, thief)
    assert refused.value.code == "retired_key"
    assert "Golden laptop" in str(refused.value)
    assert database_bytes_digest(fresh) == before
