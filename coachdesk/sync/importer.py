"""Importing bundles: verify, read, then merge in one transaction and record it in the ledger.

All or nothing: any failure is one BundleError and the profile is as it was. The ledger is
checked inside the same transaction that writes, so a bundle is never merged twice.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from coachdesk.core.changes import ChangeSummary
from coachdesk.core.clock import HLC
from coachdesk.core.record_types import noun
from coachdesk.core.store import changelog
from coachdesk.core.store.sync_tables import ImportedBundle
from coachdesk.sync.errors import BundleError
from coachdesk.sync.merge import MergeOutcome, merge_changes
from coachdesk.sync.reader import OpenedBundle, open_bundle, read_bundle_file, read_changes

if TYPE_CHECKING:
    from coachdesk.core.store.profile import Profile
    from coachdesk.sync.keys import DeviceKeys, Passphrase

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
# Progress of one bundle, in steps: its signature checked by 50, its contents read and checked
# by 350 (about a third of an import's time), its changes merged by 980, then committed.
STEPS, _VERIFIED, _READ, _MERGED = 1000, 50, 350, 980

# The clock adopts every reading it sees, however far ahead (that keeps "edited after seeing"
# true across laptops whose clocks disagree by years), except near the end of the fixed-width
# text form, where counting on would overflow it.
_CLOCK_LIMIT_MS = 900_000_000_000_000


@dataclass(frozen=True)
class ImportResult:
    """What importing one bundle did."""

    source: str
    bundle_id: str
    signer_name: str
    already_imported: bool
    changes_in_bundle: int
    new_changes: int = 0
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    new_conflicts: int = 0
    missing_earlier: int = 0
    changes: ChangeSummary = field(default_factory=ChangeSummary)

    def sentence(self) -> str:
        """'From Dana's laptop: 12 contacts, 3 schools and districts updated, 1 conflict.'"""
        if self.already_imported:
            return f"{self.source}: already imported; nothing changed."
        parts = [noun(t, n) for t, n in sorted(self.created.items())]
        parts += [noun(t, n) + " updated" for t, n in sorted(self.updated.items())]
        if self.new_conflicts:
            parts.append(f"{self.new_conflicts} conflict{'s' if self.new_conflicts != 1 else ''}")
        if not parts:
            parts = ["nothing new"]
        sentence = f"{self.source} (from {self.signer_name}): " + ", ".join(parts) + "."
        if self.missing_earlier:
            sentence += (
                f" {self.missing_earlier} of its edits replace earlier changes this profile has "
                "not received yet; import the bundles that carry them too."
            )
        return sentence


@dataclass(frozen=True)
class Rejected:
    source: str
    error: BundleError

    def sentence(self) -> str:
        return f"{self.source}: not imported. {self.error}"


@dataclass(frozen=True)
class ImportReport:
    """Importing several files: what merged, what was refused, and every record touched."""

    imported: tuple[ImportResult, ...]
    rejected: tuple[Rejected, ...]
    changes: ChangeSummary


def import_files(
    profile: Profile,
    paths: list[Path],
    *,
    passphrase: Passphrase | None = None,
    progress: Progress | None = None,
    backup: bool = True,
) -> ImportReport:
    """Import each file on its own (one bad file does not stop the others).

    `progress(done, total)` moves in STEPS per file, through verification, then merging rows.
    """
    from coachdesk.sync.keys import device_keys

    imported: list[ImportResult] = []
    rejected: list[Rejected] = []
    summary = ChangeSummary()
    backed_up = not backup
    keys: DeviceKeys | None = None
    for index, path in enumerate(paths):
        step = _stepper(progress, index, len(paths))
        try:
            opened = open_bundle(profile, read_bundle_file(path))
            step(_VERIFIED)
            if _in_ledger(profile, opened.header.bundle_id):
                result = _already(path.name, opened)
            else:
                if keys is None and opened.header.encrypted:
                    keys = device_keys(profile, passphrase=passphrase)
                changes = read_changes(profile, opened, keys=keys)
                step(_READ)
                if not backed_up:
                    from coachdesk.core.store.backups import take_backup

                    take_backup(profile, reason="before-import")
                    backed_up = True
                result = _merge(profile, opened, changes, source=path.name, progress=_merging(step))
        except BundleError as exc:
            logger.info("bundle %s refused: %s (%s)", path, exc.code, exc)
            rejected.append(Rejected(path.name, exc))
        else:
            imported.append(result)
            summary = summary.merged(result.changes)
        step(STEPS)
    return ImportReport(tuple(imported), tuple(rejected), summary)


def import_bytes(
    profile: Profile,
    data: bytes,
    *,
    source: str = "bundle",
    keys: DeviceKeys | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Verify, read and merge one bundle held in memory; raises BundleError.

    `progress(done, STEPS)` moves through verification, then merging rows.
    """
    step = _stepper(progress, 0, 1)
    opened = open_bundle(profile, data)
    step(_VERIFIED)
    if _in_ledger(profile, opened.header.bundle_id):
        result = _already(source, opened)
    else:
        changes = read_changes(profile, opened, keys=keys)
        step(_READ)
        result = _merge(profile, opened, changes, source=source, progress=_merging(step))
    step(STEPS)
    return result


def _stepper(progress: Progress | None, index: int, files: int) -> Callable[[int], None]:
    """Report `done` steps of file `index` as overall progress; never moves backwards."""
    reached = 0

    def step(done: int) -> None:
        nonlocal reached
        if progress is None or done <= reached:
            return
        reached = done
        progress(index * STEPS + done, files * STEPS)

    return step


def _merging(step: Callable[[int], None]) -> Progress:
    """Merge progress (rows done, rows in all) mapped onto the steps after reading."""
    return lambda done, total: step(_READ + (_MERGED - _READ) * done // max(total, 1))


def _in_ledger(profile: Profile, bundle_id: str) -> bool:
    with profile.reading() as session:
        return session.get(ImportedBundle, bundle_id) is not None


def _already(source: str, opened: OpenedBundle) -> ImportResult:
    return ImportResult(
        source=source,
        bundle_id=opened.header.bundle_id,
        signer_name=opened.signer.name,
        already_imported=True,
        changes_in_bundle=opened.header.change_count,
    )


def _merge(
    profile: Profile,
    opened: OpenedBundle,
    changes: list,
    *,
    source: str,
    progress: Progress | None = None,
) -> ImportResult:
    header = opened.header
    outcome: MergeOutcome | None = None
    try:
        with profile.writing(capture=False) as write:
            session = write.session
            # SQLite-only spot: a record may arrive before its parent in the same bundle, so
            # foreign keys are checked at commit instead of row by row.
            session.execute(text("PRAGMA defer_foreign_keys=ON"))
            # The ledger is checked inside the writing transaction (BEGIN IMMEDIATE): two
            # imports of one bundle racing each other cannot both merge it.
            if session.get(ImportedBundle, header.bundle_id) is not None:
                write.session.rollback()
                return _already(source, opened)
            outcome = merge_changes(session, changes, bundle_id=header.bundle_id, progress=progress)
            session.add(
                ImportedBundle(
                    bundle_id=header.bundle_id,
                    kind=header.kind,
                    author_device=header.author_device,
                    key_id=header.key_id,
                    signer_name=opened.signer.name,
                    created_hlc=header.created_hlc,
                    imported_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                    file_sha256=opened.envelope.signed_sha256,
                    changes=header.change_count,
                    new_changes=outcome.new_changes,
                    summary=json.dumps(
                        {
                            "created": {t: len(i) for t, i in outcome.created.items()},
                            "updated": {t: len(i) for t, i in outcome.updated.items()},
                            "conflicts": outcome.new_conflicts,
                        }
                    ),
                )
            )
            touched = session.info.setdefault(changelog.CHANGED, {})
            for kind, ids in list(outcome.created.items()) + list(outcome.updated.items()):
                touched.setdefault(kind, set()).update(ids)
    except IntegrityError as exc:
        logger.info("bundle %s does not fit: %s", header.bundle_id, exc)
        raise BundleError(
            "incomplete", "Import the bundles it builds on first, then this one again."
        ) from None
    assert outcome is not None
    if outcome.newest_hlc:
        _observe(profile, outcome.newest_hlc)
    result = ImportResult(
        source=source,
        bundle_id=header.bundle_id,
        signer_name=opened.signer.name,
        already_imported=False,
        changes_in_bundle=header.change_count,
        new_changes=outcome.new_changes,
        created={t: len(i) for t, i in outcome.created.items()},
        updated={t: len(i) for t, i in outcome.updated.items()},
        new_conflicts=outcome.new_conflicts,
        missing_earlier=outcome.missing_earlier,
        changes=write.changes,
    )
    logger.info("imported bundle %s: %s", header.bundle_id, result.sentence())
    return result


def _observe(profile: Profile, newest: str) -> None:
    reading = HLC.parse(newest)
    if reading.wall_ms < _CLOCK_LIMIT_MS:
        profile.clock.observe(reading)
