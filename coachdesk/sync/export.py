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
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from coachdesk import __version__
from coachdesk.core.errors import RefusedInput
from coachdesk.core.ids import new_id
from coachdesk.core.store.schema import Change
from coachdesk.core.store.versions import HEAD
from coachdesk.core.store.visit_tables import VisitAnswer
from coachdesk.sync import trust
from coachdesk.sync.encryption import RecipientKey, encrypt_payload
from coachdesk.sync.envelope import seal
from coachdesk.sync.header import BundleHeader
from coachdesk.sync.keys import Passphrase, device_keys
from coachdesk.sync.payload import carried_columns, encode_changes

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

    @property
    def encrypted(self) -> bool:
        return bool(self.recipients)

    def for_whom(self) -> str:
        """'encrypted for Kim, Lee' or the warning that anyone can read the file."""
        if self.recipients:
            return "encrypted for " + ", ".join(self.recipients)
        return "NOT encrypted: anyone with the file can read it"

    def sentence(self) -> str:
        return (
            f"Wrote {self.change_count} changes to {self.path} ({self.size:,} bytes), "
            f"{self.for_whom()}."
        )


def export_bundle(
    profile: Profile,
    path: Path,
    *,
    to: list[str] | None = None,
    encrypt: bool = True,
    passphrase: Passphrase | None = None,
    progress: Progress | None = None,
) -> ExportResult:
    """Write every change to `path`: for the coach's own laptops, or for the named people.

    `to=None` (`--all`) encrypts to this laptop and the coach's other laptops; `to=[names]`
    encrypts to those people and to this laptop. `encrypt=False` writes a readable bundle.
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
    data, header = build_bundle(
        profile, keys, recipients, progress=progress, include_internal=not to
    )
    write_atomically(path, data)
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
    )


def build_bundle(
    profile: Profile,
    keys: DeviceKeys,
    recipients: list[RecipientKey],
    *,
    progress: Progress | None = None,
    include_internal: bool = True,
) -> tuple[bytes, BundleHeader]:
    """The signed bundle of every change in the log, and its header.

    `include_internal=False` (a bundle for someone else) leaves out every change to an answer
    whose form field is marked `internal`: the coach's private notes never leave their devices.
    """
    with profile.reading() as session:
        t = Change.__table__
        query = select(*carried_columns()).order_by(t.c.hlc, t.c.change_id)
        if not include_internal:
            internal = select(VisitAnswer.id).where(VisitAnswer.privacy == "internal")
            query = query.where(
                ~((t.c.record_type == VisitAnswer.record_type) & t.c.record_id.in_(internal))
            )
        rows = session.execute(query).all()
    if progress:
        progress(30, 100)
    payload, plain_size, count = encode_changes(rows)
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
    )
    if progress:
        progress(90, 100)
    return data, header


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
) -> tuple[bytes, BundleHeader]:
    """Encrypt (for `recipients`, if any) and sign a compressed payload under a header that
    binds what it covers. `rows` are the change-log rows it carries, in HLC order."""
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
