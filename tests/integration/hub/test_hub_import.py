"""The desktop's import guarantees, on the hub's PostgreSQL: a bundle merges as on a laptop, all
or nothing, idempotent, in any order to the same database, and two processes at once."""

from __future__ import annotations

import hashlib
import itertools
import json
import subprocess
import sys
import time

import pytest
from sqlalchemy import inspect, select, text

from coachdesk.core.store.hub import HubProfile
from coachdesk.core.store.schema import Contact
from coachdesk.core.store.sync_tables import ImportedBundle
from coachdesk.sync import trust
from coachdesk.sync.errors import BundleError
from coachdesk.sync.importer import import_bytes
from tests.support.cli import cli_env
from tests.support.sync_world import (
    add_school,
    bundle_lines,
    change_line,
    hand_made_bundle,
    make_devices,
    newcomer,
    rename,
    school_name,
    snapshot,
)


def take(hub: HubProfile, data: bytes):
    return import_bytes(hub, data, source="test bundle")


def trust_all(hub: HubProfile, devices) -> None:
    for device in devices:
        offer = trust.read_public_key_file(trust.public_key_file(device.profile, device.keys))
        trust.trust_key(hub, offer, name=device.name)


def hub_digest(hub: HubProfile) -> str:
    """A digest of every row of every table of the hub (unchanged iff this is)."""
    digest = hashlib.sha256()
    with hub.engine.connect() as conn:
        for table in sorted(inspect(conn).get_table_names()):
            for row in conn.execute(text(f'SELECT * FROM "{table}" ORDER BY 1')):
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


@pytest.fixture
def coaches(tmp_path, hub):
    """Dana, Lee and Sam's laptops (trusting one another), and a hub that trusts all three."""
    devices = make_devices(tmp_path, ["Dana", "Lee", "Sam"])
    trust_all(hub, devices)
    yield devices
    for device in devices:
        device.profile.close()


def test_a_bundle_merges_into_the_hub_as_into_a_laptop(coaches, hub, tmp_path):
    dana, lee, sam = coaches
    school = add_school(dana.profile, "Harbor View Elementary")
    with dana.profile.writing() as write:
        write.session.add(Contact(org_id=school, name="Ana Ruiz", role="principal"))
    bundle = dana.bundle()
    result = take(hub, bundle)
    assert result.created == {"organization": 1, "contact": 1, "coach": 1}
    assert school_name(hub, school) == "Harbor View Elementary"
    laptop = newcomer(tmp_path, "Kim", [dana])
    laptop.take(bundle)
    assert snapshot(hub) == snapshot(laptop.profile, leave_out_device=laptop.keys.device_id)
    assert snapshot(hub) == snapshot(dana.profile)
    laptop.profile.close()


def test_the_same_bundle_twice_changes_nothing(coaches, hub):
    dana = coaches[0]
    add_school(dana.profile, "Harbor View Elementary")
    bundle = dana.bundle()
    take(hub, bundle)
    before = hub_digest(hub)
    again = take(hub, bundle)
    assert again.already_imported and "already imported" in again.sentence()
    assert hub_digest(hub) == before


def test_a_bundle_failing_midway_leaves_nothing(coaches, hub):
    dana, lee = coaches[:2]
    take(hub, lee.bundle())
    school = add_school(dana.profile, "Harbor View Elementary")
    with dana.profile.writing() as write:
        write.session.add(Contact(org_id=school, name="Ana Ruiz", role="principal"))
    before = hub_digest(hub)
    # Contacts whose school never came: every row is written, then the deferred foreign keys
    # fail at commit, and the whole bundle is rolled back.
    contacts_only = [line for line in bundle_lines(dana) if b'"type":"contact"' in line]
    with pytest.raises(BundleError) as caught:
        take(
            hub,
            hand_made_bundle(dana.keys, b"".join(contacts_only), change_count=len(contacts_only)),
        )
    assert caught.value.code == "incomplete"
    assert hub_digest(hub) == before
    # A good change followed by one of an unknown record type: refused whole.
    lines = [
        json.dumps(change_line(device=dana.keys.device_id)).encode() + b"\n",
        json.dumps(change_line(device=dana.keys.device_id, type="time_machine")).encode() + b"\n",
    ]
    with pytest.raises(BundleError) as caught:
        take(hub, hand_made_bundle(dana.keys, b"".join(lines), change_count=2))
    assert caught.value.code == "unknown_record"
    assert hub_digest(hub) == before
    # The whole bundle, parent first or not, then goes in.
    lines = bundle_lines(dana)
    lines.sort(key=lambda line: json.loads(line)["type"] != "contact")  # contacts first
    take(hub, hand_made_bundle(dana.keys, b"".join(lines), change_count=len(lines)))
    with hub.reading() as session:
        assert session.execute(select(Contact.org_id)).scalar_one() == school


def test_any_order_of_bundles_gives_the_same_hub(coaches, hub, postgres_server):
    dana, lee, sam = coaches
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
    hub.close()  # the empty, trusting hub is the template of one hub per order
    results = []
    for order in itertools.permutations(range(4)):
        copy = HubProfile(postgres_server.new_database(template=hub.url))
        for i in order:
            take(copy, bundles[i])
        take(copy, bundles[order[0]])  # a duplicate on top
        results.append(snapshot(copy))
        copy.close()
        postgres_server.drop_database(copy.url)
    assert len(results) == 24
    assert all(r == results[0] for r in results)
    heads = results[0]["heads"][("organization", school, "name")]
    assert heads[1] is True and len(heads[0]) == 3  # three concurrent renames, one conflict
    # And the same as a laptop that took them all.
    for data in (b2, b3):
        dana.take(data)
    assert snapshot(dana.profile) == results[0]


def test_two_processes_importing_different_bundles_at_once_both_merge(coaches, hub, tmp_path):
    dana, lee = coaches[:2]
    files = []
    for device, prefix in ((dana, "Dana"), (lee, "Lee")):
        for n in range(150):  # big enough that the two imports overlap
            add_school(device.profile, f"{prefix} School {n:03d}")
        path = tmp_path / f"{prefix}.coachdesk"
        path.write_bytes(device.bundle())
        files.append(path)
    hub.close()
    command = [sys.executable, "-m", "coachdesk", "--data-dir"]
    runs = [
        subprocess.Popen(
            [*command, str(tmp_path / f"log{n}"), "hub", "import", "--db", hub.url, str(path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=cli_env(PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring"),
            stdin=subprocess.DEVNULL,
        )
        for n, path in enumerate(files)
    ]
    outputs = [run.communicate(timeout=300) for run in runs]
    for run, (out, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, err
        assert "150 schools and districts" in out
    with hub.reading() as session:
        ledger = session.execute(select(ImportedBundle.signer_name)).scalars().all()
    assert sorted(ledger) == ["Dana", "Lee"]
    expected = snapshot(dana.profile)
    lee_snapshot = snapshot(lee.profile)
    merged = snapshot(hub)
    assert merged["changes"] == expected["changes"] | lee_snapshot["changes"]
    assert merged["rows"] == expected["rows"] | lee_snapshot["rows"]


def test_an_import_waits_for_the_writer_before_it_then_merges(coaches, hub, tmp_path):
    """The hub's write lock (an advisory lock, as BEGIN IMMEDIATE on SQLite): an import started
    while another transaction writes waits for it, then sees what it committed."""
    dana = coaches[0]
    add_school(dana.profile, "Harbor View Elementary")
    path = tmp_path / "Dana.coachdesk"
    path.write_bytes(dana.bundle())
    command = [sys.executable, "-m", "coachdesk", "--data-dir", str(tmp_path / "log")]
    with hub.writing() as write:
        write.session.execute(text("SELECT 1"))  # the transaction holds the lock from here
        run = subprocess.Popen(
            [*command, "hub", "import", "--db", hub.url, str(path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=cli_env(PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring"),
            stdin=subprocess.DEVNULL,
        )
        with pytest.raises(subprocess.TimeoutExpired):
            run.wait(timeout=8)  # it started, verified the bundle, and waits for the lock
    out, err = run.communicate(timeout=120)
    assert run.returncode == 0, err
    assert out.startswith("Dana.coachdesk (from Dana): 1 coach, 1 school or district.")


def test_a_laptop_years_fast_is_held_back_on_the_hub_until_its_clock_reaches_it(coaches, hub):
    from coachdesk.core.clock import HybridClock
    from coachdesk.sync.held_changes import held_in, merge_due

    dana = coaches[0]
    ten_years = 10 * 365 * 24 * 3600 * 1000
    now = int(time.time() * 1000)
    dana.profile._clock = HybridClock(dana.keys.device_id, wall=lambda: now + ten_years)
    school = add_school(dana.profile, "Harbor View Elementary")
    result = take(hub, dana.bundle())
    assert school_name(hub, school) is None
    assert "ahead of this laptop's clock" in result.sentence()
    assert held_in(hub).count > 0
    merge_due(hub, now_ms=now + ten_years + 1000)
    assert school_name(hub, school) == "Harbor View Elementary"
    assert held_in(hub).count == 0
