"""The sync world: devices that trust each other, snapshots, hand-made bundles, a coach with a
visit to send."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zlib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from coachdesk.core import visits
from coachdesk.core.caseload import list_caseload
from coachdesk.core.demo import caseload as demo_caseload
from coachdesk.core.ids import new_id
from coachdesk.core.store.changelog import SYNCABLE, logged_fields
from coachdesk.core.store.profile import Profile, open_profile
from coachdesk.core.store.schema import Change, FieldHead, Organization
from coachdesk.sync import trust
from coachdesk.sync.envelope import seal
from coachdesk.sync.export import build_bundle
from coachdesk.sync.header import BundleHeader
from coachdesk.sync.importer import import_bytes
from coachdesk.sync.keys import DeviceKeys, device_keys


@dataclass
class Device:
    name: str
    profile: Profile

    @property
    def keys(self) -> DeviceKeys:
        return device_keys(self.profile)

    def bundle(self, *, encrypt_to: list[str] | None = None) -> bytes:
        """A full sync bundle: plain, or encrypted to the named keys."""
        recipients = trust.recipients_named(self.profile, encrypt_to) if encrypt_to else []
        data, _header = build_bundle(self.profile, self.keys, recipients)
        return data

    def take(self, data: bytes):
        return import_bytes(self.profile, data, source="test bundle")


def make_devices(root: Path, names: list[str]) -> list[Device]:
    """Profiles that all trust one another under these names."""
    devices = [Device(n, open_profile(root / n)) for n in names]
    offers = {
        d.name: trust.read_public_key_file(trust.public_key_file(d.profile, d.keys))
        for d in devices
    }
    for d in devices:
        for other in devices:
            if other is not d:
                trust.trust_key(d.profile, offers[other.name], name=other.name)
    return devices


def add_school(profile: Profile, name: str) -> str:
    with profile.writing() as write:
        school = Organization(kind="school", name=name, state="NY")
        write.session.add(school)
    return school.id


def rename(profile: Profile, school_id: str, name: str) -> None:
    with profile.writing() as write:
        write.session.get(Organization, school_id).name = name


def school_name(profile: Profile, school_id: str) -> str | None:
    with profile.reading() as session:
        school = session.get(Organization, school_id)
        return school.name if school else None


def snapshot(profile: Profile, *, leave_out_device: str | None = None) -> dict:
    """Everything sync must make equal: the log, the heads and every synced row.

    `leave_out_device` drops what that device made itself (a fresh profile's own coach record),
    to compare receivers that started as different empty profiles.
    """
    with profile.reading() as session:
        changes = {
            tuple(r)
            for r in session.execute(
                select(
                    Change.change_id,
                    Change.record_type,
                    Change.record_id,
                    Change.field,
                    Change.value,
                    Change.hlc,
                    Change.device_id,
                    Change.supersedes,
                )
            )
        }
        heads = {
            (h.record_type, h.record_id, h.field): (tuple(json.loads(h.head_ids)), h.in_conflict)
            for h in session.execute(select(FieldHead)).scalars()
        }
        rows = {}
        for record_type, model in SYNCABLE.items():
            columns = ["id", "created_by", "created_hlc", "updated_hlc", *logged_fields(model)]
            for obj in session.execute(select(model)).scalars():
                rows[(record_type, obj.id)] = tuple(str(getattr(obj, c)) for c in columns)
    if leave_out_device:
        own = {(c[1], c[2]) for c in changes if c[6] == leave_out_device}
        changes = {c for c in changes if (c[1], c[2]) not in own}
        heads = {k: v for k, v in heads.items() if (k[0], k[1]) not in own}
        rows = {k: v for k, v in rows.items() if k not in own}
    return {"changes": changes, "heads": heads, "rows": rows}


def copy_device(template: Device, root: Path) -> Device:
    """A fresh copy of a template device's profile under `root` (one example of a property)."""
    import sqlite3

    from coachdesk.core.store.profile import DB_NAME

    target = root / template.name
    target.mkdir(parents=True)
    with (
        sqlite3.connect(template.profile.directory / DB_NAME) as src,
        sqlite3.connect(target / DB_NAME) as dst,
    ):
        src.backup(dst)
    return Device(template.name, open_profile(target))


def school_ids(device: Device) -> list[str]:
    """The ids of every school and district on the device, in id order."""
    with device.profile.reading() as session:
        return list(session.execute(select(Organization.id).order_by(Organization.id)).scalars())


def newcomer(root: Path, name: str, trusting: list[Device]) -> Device:
    """A fresh profile that trusts these devices."""
    device = Device(name, open_profile(root / name))
    for other in trusting:
        offer = trust.read_public_key_file(trust.public_key_file(other.profile, other.keys))
        trust.trust_key(device.profile, offer, name=other.name)
    return device


def bundle_lines(device: Device) -> list[bytes]:
    """The change lines of a fresh plain bundle from this device (without its segment lines:
    a bundle made of them is one from before 0.4.0, whose signer's own changes are accepted)."""
    from coachdesk.sync.envelope import open_envelope
    from coachdesk.sync.header import parse_header

    envelope = open_envelope(device.bundle())
    parse_header(envelope.header, minor=envelope.minor)
    lines = zlib.decompress(bytes(envelope.payload)).splitlines(keepends=True)
    return [line for line in lines if json.loads(line)["kind"] == "change"]


def database_bytes_digest(profile: Profile) -> str:
    """A digest of every row of every table (the profile is unchanged iff this is)."""
    conn = profile.engine.raw_connection()
    try:
        cursor = conn.cursor()
        tables = [
            r[0]
            for r in cursor.execute(
                "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"
            )
        ]
        digest = hashlib.sha256()
        for table in tables:
            for row in cursor.execute(f'SELECT * FROM "{table}" ORDER BY 1'):
                digest.update(repr(row).encode())
        return digest.hexdigest()
    finally:
        conn.close()


def hand_made_bundle(
    keys: DeviceKeys,
    plain: bytes,
    *,
    change_count: int,
    author_device: str | None = None,
    key_id: str | None = None,
    kind: str = "sync",
    compressed: bytes | None = None,
    schema: int = 1,
    app_version: str = "0.1.0",
    seq: int | None = None,
) -> bytes:
    """A correctly signed bundle with whatever payload a test needs (a trusted device gone bad).

    Without `seq` it is a bundle as coachdesk wrote them before 0.4.0 (no signing counter)."""
    payload = zlib.compress(plain) if compressed is None else compressed
    header = BundleHeader(
        bundle_id=new_id(),
        kind=kind,
        created_hlc=f"{1:015d}-00000-{keys.device_id}",
        author_device=author_device or keys.device_id,
        author_name="hand made",
        key_id=key_id or keys.key_id,
        schema=schema,
        app_version=app_version,
        change_count=change_count,
        record_counts={},
        coverage={},
        payload_sha256=hashlib.sha256(payload).hexdigest(),
        plain_size=len(plain),
        seq=seq,
    )
    return seal(header.encode(), payload, keys.signing)


def change_line(**fields) -> dict:
    """A well-formed change line for a school name, with fields overridden."""
    device = fields.pop("device", None) or new_id()
    line = {
        "kind": "change",
        "id": new_id(),
        "type": "organization",
        "record": new_id(),
        "field": "name",
        "value": json.dumps("Hand Made School"),
        "hlc": f"{1_700_000_000_000:015d}-00000-{device}",
        "device": device,
        "supersedes": [],
    }
    line.update(fields)
    return line


SECRET = "Principal seemed overwhelmed; check in privately (zq-packet-4412)"
WHEN = dt.datetime(2026, 11, 18, 9, 30)


def coach_with_visit(profile) -> tuple[str, str, str]:
    """A demo caseload and one draft NY visit with a shared answer, an internal one and a next
    step; returns (visit id, school id, the internal field's name)."""
    with profile.writing() as write:
        demo_caseload.load(write.session, today=WHEN.date())
    school = next(
        r for r in list_caseload(profile, today=WHEN.date()) if r.program_code == "NY_RCV"
    )
    visit = visits.start_visit(profile, school.school_id, visit_type="onsite", starts_at=WHEN)
    detail = visits.get_visit(profile, visit)
    internal = next(f for f, r in detail.definition.walk() if f.privacy == "internal" and r is None)
    visits.save_answer(profile, visit, internal.name, SECRET)
    visits.save_answer(profile, visit, "challenges", "Substitute coverage kept teams apart.")
    visits.save_answer(profile, visit, f"{detail.action_repeat}[0].step", "Share the data wall")
    visits.save_answer(profile, visit, f"{detail.action_repeat}[0].owner", "Principal")
    return visit, school.school_id, internal.name
