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
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import IntegrityError

from coachdesk.core.changes import ChangeSummary
from coachdesk.core.record_types import noun
from coachdesk.core.store import changelog
from coachdesk.core.store.database import defer_foreign_keys
from coachdesk.core.store.sync_tables import ImportedBundle
from coachdesk.sync.authority import Authority, authorize
from coachdesk.sync.errors import BundleError
from coachdesk.sync.held_changes import HeldMerge, HeldSummary, held_summary, merge_holding_back
from coachdesk.sync.incoming_values import check_incoming
from coachdesk.sync.merge import MergeOutcome, keep_segments
from coachdesk.sync.payload import collector_paused
from coachdesk.sync.reader import Carried, OpenedBundle, open_bundle, read_bundle_file, read_carried

if TYPE_CHECKING:
    from coachdesk.core.store.profile import Profile
    from coachdesk.sync.keys import DeviceKeys, Passphrase

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
# Progress of one bundle, in steps: its signature checked by 50, its contents read and checked
# by 350 (about a third of an import's time), its changes merged by 980, then committed.
STEPS, _VERIFIED, _READ, _MERGED = 1000, 50, 350, 980


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
    left_out: str = ""  # changes not accepted, and why (sync/authority.py)
    held: str = ""  # changes stamped too far ahead, held back (sync/held_changes.py)
    released: int = 0  # changes held back earlier that merged with this import
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
        if self.left_out:
            sentence += " " + self.left_out
        if self.held:
            sentence += " " + self.held
        if self.released:
            sentence += (
                f" {self.released} change{'s' if self.released != 1 else ''} held back earlier "
                "merged now that this laptop's clock has reached them."
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
    A backup is taken once, before the first bundle that would change anything.
    """
    imported: list[ImportResult] = []
    rejected: list[Rejected] = []
    summary = ChangeSummary()
    session = _ImportSession(profile, passphrase=passphrase, backup=backup)
    for index, path in enumerate(paths):
        step = _stepper(progress, index, len(paths))
        try:
            result = _import_one(session, read_bundle_file(path), path.name, step)
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

    The same path as import_files (without its backup): `progress(done, STEPS)`.
    """
    step = _stepper(progress, 0, 1)
    result = _import_one(_ImportSession(profile, keys=keys, backup=False), data, source, step)
    step(STEPS)
    return result


class _ImportSession:
    """What several imports in a row share: this laptop's keys, read once when first needed,
    and the one backup taken before the first bundle that changes anything."""

    def __init__(
        self,
        profile: Profile,
        *,
        keys: DeviceKeys | None = None,
        passphrase: Passphrase | None = None,
        backup: bool,
    ) -> None:
        self.profile = profile
        self._keys = keys
        self._passphrase = passphrase
        self._backup_due = backup

    def keys(self) -> DeviceKeys:
        if self._keys is None:
            from coachdesk.sync.keys import device_keys

            self._keys = device_keys(self.profile, passphrase=self._passphrase)
        return self._keys

    def before_writing(self) -> None:
        if self._backup_due:
            from coachdesk.core.store.backups import take_backup

            take_backup(self.profile, reason="before-import")
            self._backup_due = False


def _import_one(
    run: _ImportSession, data: bytes, source: str, step: Callable[[int], None]
) -> ImportResult:
    """The one import pipeline: verify, read, decide whose changes to accept, merge.

    Python's cycle collector waits for the whole of it (payload.collector_paused), and comes
    back on only once what it read has been freed: it would otherwise pass over every change
    read, still held, as soon as reading or merging ended, a tenth of a large import's time."""
    with collector_paused():
        return _import_pipeline(run, data, source, step)


def _import_pipeline(
    run: _ImportSession, data: bytes, source: str, step: Callable[[int], None]
) -> ImportResult:
    profile = run.profile
    opened = open_bundle(profile, data)
    step(_VERIFIED)
    if _in_ledger(profile, opened.header.bundle_id):
        return _already(source, opened)
    keys = run.keys() if opened.header.encrypted else None
    carried = read_carried(profile, opened, keys=keys)
    step(_READ)
    run.before_writing()
    return _merge(profile, opened, carried, source=source, progress=_merging(step))


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
        return _merged_before(session.get(ImportedBundle, bundle_id))


def _merged_before(row: ImportedBundle | None) -> bool:
    """Whether the ledger's row says everything the bundle carried was decided here. A bundle
    that had changes left out that may be accepted later (an author this profile did not trust
    yet, a disputed key) may be imported again: what it carries merges as a union, so nothing
    merges twice."""
    if row is None:
        return False
    try:
        return not json.loads(row.summary or "{}").get("may_change")
    except (ValueError, AttributeError):
        return True


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
    carried: Carried,
    *,
    source: str,
    progress: Progress | None = None,
) -> ImportResult:
    header = opened.header
    outcome: MergeOutcome | None = None
    authority: Authority | None = None
    merged: HeldMerge | None = None
    held: HeldSummary | None = None
    try:
        with profile.writing(capture=False) as write:
            session = write.session
            # A record may arrive before its parent in the same bundle, so foreign keys are
            # checked at commit instead of row by row (SQLite or PostgreSQL: database.py).
            defer_foreign_keys(session)
            # The ledger is checked inside the writing transaction (BEGIN IMMEDIATE, or on
            # PostgreSQL the write lock: database.py): two imports of one bundle racing each
            # other cannot both merge it.
            earlier = session.get(ImportedBundle, header.bundle_id)
            if _merged_before(earlier):
                write.session.rollback()
                return _already(source, opened)
            authority = authorize(
                session,
                carried.changes,
                carried.segments,
                signer_device=header.author_device,
                signer_name=opened.signer.name,
                legacy=header.seq is None,
            )
            # Every value must fit its record and field (an answer its form field), also one
            # that arrives held back, before anything is written.
            check_incoming(session, authority.accepted)
            keep_segments(session, authority.segments)
            merged = merge_holding_back(
                session,
                authority.accepted,
                bundle_id=header.bundle_id,
                segment_of=authority.segment_of,
                progress=progress,
            )
            outcome = merged.outcome
            held = held_summary(session, bundle_ids=[header.bundle_id]) if merged.held else None
            _record(session, earlier, opened, outcome, authority)
            touched = session.info.setdefault(changelog.CHANGED, {})
            for kind, ids in list(outcome.created.items()) + list(outcome.updated.items()):
                touched.setdefault(kind, set()).update(ids)
    except IntegrityError as exc:
        logger.info("bundle %s does not fit: %s", header.bundle_id, exc)
        raise BundleError(
            "incomplete", "Import the bundles it builds on first, then this one again."
        ) from None
    assert outcome is not None and authority is not None and merged is not None
    # Never further than a day past this laptop's own clock: a peer cannot move it.
    if merged.observe is not None:
        profile.clock.observe(merged.observe)
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
        left_out=authority.left_out_sentence(),
        held=held.sentence() if held else "",
        released=merged.released,
        changes=write.changes,
    )
    logger.info("imported bundle %s: %s", header.bundle_id, result.sentence())
    return result


def _record(
    session: Any,
    earlier: ImportedBundle | None,
    opened: OpenedBundle,
    outcome: MergeOutcome,
    authority: Authority,
) -> None:
    """The bundle's row in the ledger (replacing the row of an earlier import of it that had
    changes left out)."""
    header = opened.header
    summary = json.dumps(
        {
            "created": {t: len(i) for t, i in outcome.created.items()},
            "updated": {t: len(i) for t, i in outcome.updated.items()},
            "conflicts": outcome.new_conflicts,
            "left_out": sum(authority.left_out.values()),
            # Imported again when some may be accepted later (see _merged_before).
            "may_change": authority.may_change,
        }
    )
    if earlier is not None:
        earlier.new_changes += outcome.new_changes
        earlier.summary = summary
        earlier.imported_at = _now()
        return
    session.add(
        ImportedBundle(
            bundle_id=header.bundle_id,
            kind=header.kind,
            author_device=header.author_device,
            key_id=header.key_id,
            signer_name=opened.signer.name,
            created_hlc=header.created_hlc,
            imported_at=_now(),
            file_sha256=opened.envelope.signed_sha256,
            changes=header.change_count,
            new_changes=outcome.new_changes,
            summary=summary,
        )
    )


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
