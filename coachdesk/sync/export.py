"""Writing a sync bundle: every change in the log, signed, usually encrypted, written whole.

The file appears under its final name only when complete: it is written to a temporary file in
the same folder, flushed to disk, then renamed (THREATS.md, crash mid-export).
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coachdesk import __version__
from coachdesk.core.errors import RefusedInput
from coachdesk.core.forms.answer_privacy import without_internal
from coachdesk.core.ids import new_id
from coachdesk.core.store.schema import Change
from coachdesk.core.store.versions import HEAD
from coachdesk.sync import trust
from coachdesk.sync.encryption import RecipientKey, encrypt_payload
from coachdesk.sync.envelope import seal
from coachdesk.sync.header import BundleHeader
from coachdesk.sync.keys import Passphrase, device_keys
from coachdesk.sync.payload import encode_changes
from coachdesk.sync.relay import sign_for_bundle, signed_rows_query, with_segments

if TYPE_CHECKING:
    from coachdesk.core.store.profile import Profile
    from coachdesk.sync.keys import DeviceKeys

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
SUFFIX = ".coachdesk"


@dataclass(frozen=True)
class ExportResult:
    """What `export` wrote (a packet says the same and more: coachdesk/sync/packet.py)."""

    path: Path
    bundle_id: str
    change_count: int
    recipients: tuple[str, ...]  # names; empty when not encrypted
    size: int
    # Changes to the demo caseload that stayed on this laptop (keyword-only, so that a
    # subclass such as PacketResult can add fields without defaults).
    demo_left_out: int = field(default=0, kw_only=True)
    # Changes received from other laptops before 0.4.0: no segment of their authors signs them,
    # so they are not relayed (their authors' own bundles carry them, signed).
    unsigned_left_out: int = field(default=0, kw_only=True)

    @property
    def encrypted(self) -> bool:
        return bool(self.recipients)

    def for_whom(self) -> str:
        """'encrypted for Kim, Lee' or the warning that anyone can read the file."""
        if self.recipients:
            return "encrypted for " + ", ".join(self.recipients)
        return "NOT encrypted: anyone with the file can read it"

    def sentence(self) -> str:
        wrote = (
            f"Wrote {self.change_count} changes to {self.path} ({self.size:,} bytes), "
            f"{self.for_whom()}."
        )
        if self.demo_left_out:
            wrote += (
                f" The demo caseload ({self.demo_left_out:,} changes) was left out: "
                "it stays on this laptop."
            )
        if self.unsigned_left_out:
            wrote += (
                f" {self.unsigned_left_out:,} changes other laptops sent before coachdesk 0.4 "
                "were not passed on: they carry no signature of their own authors, whose own "
                "bundles bring them."
            )
        return wrote


def export_bundle(
    profile: Profile,
    path: Path,
    *,
    to: list[str] | None = None,
    encrypt: bool = True,
    passphrase: Passphrase | None = None,
    progress: Progress | None = None,
    include_demo: bool = False,
) -> ExportResult:
    """Write every change to `path`: for the coach's own laptops, or for the named people.

    `to=None` (`--all`) encrypts to this laptop and the coach's other laptops; `to=[names]`
    encrypts to those people and to this laptop. `encrypt=False` writes a readable bundle.
    The demo caseload stays on this laptop unless `include_demo` (core/demo/records.py).
    """
    keys = device_keys(profile, passphrase=passphrase)
    if not encrypt:
        recipients: list[RecipientKey] = []
    elif to:
        recipients = trust.recipients_named(profile, to)
        recipients += [r for r in trust.own_devices(profile) if r.key_id == keys.key_id]
    else:
        recipients = trust.own_devices(profile)
    # Notes marked `internal` travel only between the coach's own laptops (DESIGN.md 4).
    data, header, left_out, unsigned = _build(
        profile,
        keys,
        recipients,
        progress=progress,
        include_internal=not to,
        include_demo=include_demo,
    )
    write_atomically(path, data)
    if include_demo:
        _note_demo_shared(profile, header)
    if progress:
        progress(100, 100)
    logger.info(
        "exported bundle %s (%d changes) to %s", header.bundle_id, header.change_count, path
    )
    return ExportResult(
        path=path,
        bundle_id=header.bundle_id,
        change_count=header.change_count,
        recipients=tuple(dict.fromkeys(r.name for r in recipients)),
        size=len(data),
        demo_left_out=left_out,
        unsigned_left_out=unsigned,
    )


def build_bundle(
    profile: Profile,
    keys: DeviceKeys,
    recipients: list[RecipientKey],
    *,
    progress: Progress | None = None,
    include_internal: bool = True,
    include_demo: bool = False,
) -> tuple[bytes, BundleHeader]:
    """The signed bundle of every change in the log, and its header.

    `include_internal=False` (a bundle for someone else) leaves out every change to an answer
    whose form field is marked `internal`: the coach's private notes never leave their devices.
    Changes to the demo caseload are left out unless `include_demo`, except the demo records
    the coach's own records point at (core/demo/records.py::held_back).
    """
    data, header, _left_out, _unsigned = _build(
        profile,
        keys,
        recipients,
        progress=progress,
        include_internal=include_internal,
        include_demo=include_demo,
    )
    return data, header


def _build(
    profile: Profile,
    keys: DeviceKeys,
    recipients: list[RecipientKey],
    *,
    progress: Progress | None,
    include_internal: bool,
    include_demo: bool,
) -> tuple[bytes, BundleHeader, int, int]:
    """build_bundle, and how many changes to the demo, and how many without their author's
    signature, were left out."""
    from coachdesk.core.demo import records as demo_records

    if not include_demo:
        demo_records.ensure_listed(profile)
    seq = sign_for_bundle(profile, keys)
    with profile.reading() as session:
        t = Change.__table__
        query = signed_rows_query().order_by(t.c.hlc, t.c.change_id)
        every: Sequence[Sequence[Any]] = session.execute(query).all()
        if not include_internal:
            # Decided from the visits' form definitions, never from a synced value: a peer
            # cannot make an internal note travel (core/forms/answer_privacy.py).
            every = without_internal(session, every)
        rows, items, unsigned = with_segments(session, every)
        held, removed = (set(), frozenset()) if include_demo else demo_records.held_back(session)
    left_out = 0  # changes to the demo as it is now (a removed demo is not mentioned)
    if held:
        kept = []
        for row in rows:
            key = (row[1], row[2])
            if key not in held:
                kept.append(row)
            elif key not in removed:
                left_out += 1
        rows = kept
    if progress:
        progress(30, 100)
    payload, plain_size, count = encode_changes(rows, items=items)
    if progress:
        progress(70, 100)
    data, header = seal_bundle(
        profile,
        keys,
        kind="sync",
        payload=payload,
        plain_size=plain_size,
        change_count=count,
        rows=rows,
        recipients=recipients,
        seq=seq,
    )
    if progress:
        progress(90, 100)
    return data, header, left_out, unsigned


def _note_demo_shared(profile: Profile, header: BundleHeader) -> None:
    """Remember that the demo left this laptop, so that its removal reaches the receivers."""
    from coachdesk.core.demo.records import DEMO_SHARED, listed
    from coachdesk.core.store.schema import ProfileFact

    with profile.writing() as write:
        session = write.session
        if session.get(ProfileFact, DEMO_SHARED) is None and listed(session):
            session.add(ProfileFact(key=DEMO_SHARED, value=header.bundle_id))


def seal_bundle(
    profile: Profile,
    keys: DeviceKeys,
    *,
    kind: str,
    payload: bytes,
    plain_size: int,
    change_count: int,
    rows: Sequence[Sequence[Any]],
    recipients: list[RecipientKey],
    seq: int | None,
) -> tuple[bytes, BundleHeader]:
    """Encrypt (for `recipients`, if any) and sign a compressed payload under a header that
    binds what it covers. `rows` are the change-log rows it carries, in HLC order; `seq` is
    this laptop's signing counter for the bundle (relay.sign_for_bundle)."""
    coverage: dict[str, dict[str, Any]] = {}
    records: Counter[str] = Counter()
    for row in rows:
        covered = coverage.setdefault(row[6], {"changes": 0, "newest": row[5]})
        covered["changes"] += 1
        covered["newest"] = row[5]  # rows are in HLC order
        records[row[1]] += 1
    device_name = trust.device_name_of(profile, keys.device_id)
    bundle_id = new_id()
    sealed = None
    if recipients:
        sealed = encrypt_payload(payload, recipients, bundle_id=bundle_id)
        payload = sealed.ciphertext
    header = BundleHeader(
        bundle_id=bundle_id,
        kind=kind,
        created_hlc=str(profile.clock.now()),
        author_device=keys.device_id,
        author_name=device_name,
        key_id=keys.key_id,
        schema=HEAD.number,
        app_version=__version__,
        change_count=change_count,
        record_counts=dict(records),
        coverage=coverage,
        payload_sha256=hashlib.sha256(payload).hexdigest(),
        plain_size=plain_size,
        recipients=sealed.recipients if sealed else (),
        ephemeral_key=sealed.ephemeral_key if sealed else None,
        payload_nonce=sealed.nonce if sealed else None,
        seq=seq,
    )
    return seal(header.encode(), payload, keys.signing), header


def write_atomically(path: Path, data: bytes) -> None:
    """Write data so that `path` holds either nothing new or the whole file, even after a crash."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise RefusedInput(f"The folder {folder} does not exist.")
    partial = folder / f".{path.name}.{os.getpid()}.partial"
    try:
        with partial.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    try:  # make the rename itself durable (POSIX; Windows has no directory handles)
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
