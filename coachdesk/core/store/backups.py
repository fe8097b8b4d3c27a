"""Backups of the profile file, their retention, and restoring one.

A backup is a consistent copy made with SQLite's backup API (safe while the app is writing),
written under a temporary name and renamed only when complete. Names say when and why:
`coachdesk-20261123T091500Z-daily.sqlite`.

Retention, for automatic backups (manual ones are never removed automatically): keep the 7
newest, everything from the last 14 days, and the newest of each month for 6 months.

What a crash leaves behind (`backups/*.partial`, `coachdesk.sqlite.restoring`) is dealt with by
`clean_leftovers` when the profile is next opened.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from coachdesk.core.errors import RefusedInput
from coachdesk.core.store import quickcheck
from coachdesk.core.store.database import BACKUPS_FOLDER, DB_NAME, migrate
from coachdesk.core.store.versions import HEAD

if TYPE_CHECKING:
    from coachdesk.core.store.profile import Profile

logger = logging.getLogger(__name__)

REASONS = (
    "daily",
    "manual",
    "before-migration",
    "before-restore",
    "before-import",
    "before-demo-removal",
)
KEEP_NEWEST = 7
KEEP_DAYS = 14
KEEP_MONTHS = 6
_STAMP = "%Y%m%dT%H%M%SZ"
RESTORING = DB_NAME + ".restoring"
# A leftover younger than this may be another coachdesk's backup or restore still being written
# (the window and a `coachdesk` command can run at once on one profile): left for a later start.
# Writing one never pauses this long: a copy rewrites the file's time as it goes.
LEFTOVER_AGE = dt.timedelta(minutes=10)


@dataclass(frozen=True)
class Backup:
    path: Path
    taken_at: dt.datetime
    reason: str

    @property
    def size(self) -> int:
        return self.path.stat().st_size


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def take_backup(profile: Profile, *, reason: str, now: dt.datetime | None = None) -> Path:
    """Copy the profile into its backups folder and apply the retention rule."""
    return _back_up(profile.directory, reason=reason, now=now)


def _back_up(directory: Path, *, reason: str, now: dt.datetime | None = None) -> Path:
    """take_backup for the profile in a folder, with no connection to it open here."""
    if reason not in REASONS:
        raise ValueError(f"unknown backup reason {reason!r}")
    now = now or _utcnow()
    folder = directory / BACKUPS_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / f"coachdesk-{now.strftime(_STAMP)}-{reason}.sqlite"
    counter = 1
    while final.exists():  # two backups in one second (a restore right after a migration)
        counter += 1
        final = folder / f"coachdesk-{now.strftime(_STAMP)}-{reason}-{counter}.sqlite"
    partial = final.with_name(final.name + ".partial")
    source = sqlite3.connect(directory / DB_NAME)
    try:
        target = sqlite3.connect(partial)
        try:
            source.backup(target)
            # A backup is a single self-contained file: no WAL to carry alongside it.
            target.execute("PRAGMA journal_mode=DELETE")
        finally:
            target.close()
    finally:
        source.close()
    _fsync(partial)
    os.replace(partial, final)
    logger.info("backup taken: %s", final)
    prune(folder, now=now)
    return final


def list_backups(folder: Path) -> list[Backup]:
    """The backups in a folder, newest first; files with other names are ignored."""
    found: list[Backup] = []
    if not folder.is_dir():
        return found
    for path in folder.glob("coachdesk-*.sqlite"):
        parts = path.stem.split("-", 2)
        if len(parts) != 3:
            continue
        try:
            taken = dt.datetime.strptime(parts[1], _STAMP).replace(tzinfo=dt.UTC)
        except ValueError:
            continue
        reason = parts[2].rsplit("-", 1)[0] if parts[2][-1:].isdigit() else parts[2]
        found.append(Backup(path=path, taken_at=taken, reason=reason))
    return sorted(found, key=lambda b: (b.taken_at, b.path.name), reverse=True)


def daily_backup_due(folder: Path, *, now: dt.datetime | None = None) -> bool:
    """True when no backup of any kind was taken in the last 24 hours."""
    now = now or _utcnow()
    newest = next(iter(list_backups(folder)), None)
    return newest is None or now - newest.taken_at >= dt.timedelta(hours=24)


def prune(folder: Path, *, now: dt.datetime | None = None) -> list[Path]:
    """Delete automatic backups the retention rule no longer keeps; returns what was deleted."""
    now = now or _utcnow()
    automatic = [b for b in list_backups(folder) if b.reason != "manual"]
    keep: set[Path] = {b.path for b in automatic[:KEEP_NEWEST]}
    keep |= {b.path for b in automatic if now - b.taken_at <= dt.timedelta(days=KEEP_DAYS)}
    months_seen: set[tuple[int, int]] = set()
    oldest_month = (now.year * 12 + now.month - 1) - (KEEP_MONTHS - 1)
    for b in automatic:  # newest first, so the first of each month is its newest
        month = (b.taken_at.year, b.taken_at.month)
        if b.taken_at.year * 12 + b.taken_at.month - 1 >= oldest_month and month not in months_seen:
            months_seen.add(month)
            keep.add(b.path)
    removed = []
    for b in automatic:
        if b.path not in keep:
            b.path.unlink(missing_ok=True)
            removed.append(b.path)
    return removed


def latest_good_backup(folder: Path) -> Path | None:
    """The newest backup that passes the integrity check and that this coachdesk can open."""
    for b in list_backups(folder):
        state = quickcheck.inspect_file(b.path)
        if state.healthy and state.revision is not None and not quickcheck.is_newer(state):
            return b.path
    return None


def check_backup_file(path: Path) -> quickcheck.FileState:
    """Refuse a file that is not a readable coachdesk profile of a format this version knows."""
    if not path.is_file():
        raise RefusedInput(f"There is no file at {path}.")
    with path.open("rb") as handle:
        if handle.read(16) != b"SQLite format 3\x00":
            raise RefusedInput(f"{path.name} is not a coachdesk backup (it is not a database).")
    state = quickcheck.inspect_file(path)
    if quickcheck.is_newer(state):
        raise RefusedInput(
            f"{path.name} was saved by a newer coachdesk (this one reads data format "
            f"{HEAD.number} at most). Install a newer coachdesk to restore it."
        )
    if not state.healthy:
        raise RefusedInput(f"{path.name} {state.problem}; choose another backup.")
    if state.revision is None:
        raise RefusedInput(f"{path.name} is an empty database, not a coachdesk backup.")
    return state


def restore(directory: Path, source: Path) -> Path | None:
    """Replace the profile in `directory` with the backup `source`.

    The current profile is backed up first (or, if it is too damaged to copy, moved aside
    under a `damaged-...` name); returns where the previous profile went. The caller must have
    closed every connection to the profile.
    """
    check_backup_file(source)
    db_path = directory / DB_NAME
    directory.mkdir(parents=True, exist_ok=True)
    previous: Path | None = None
    if db_path.exists():
        state = quickcheck.inspect_file(db_path)
        if state.healthy and not quickcheck.is_newer(state) and state.revision is not None:
            previous = _back_up(directory, reason="before-restore")
        else:
            stamp = _utcnow().strftime(_STAMP)
            previous = directory / f"damaged-{stamp}.sqlite"
            os.replace(db_path, previous)
            for suffix in ("-wal", "-shm"):
                side = db_path.with_name(db_path.name + suffix)
                if side.exists():
                    os.replace(side, previous.with_name(previous.name + suffix))
    partial = directory / RESTORING
    shutil.copyfile(source, partial)
    _fsync(partial)
    # A WAL left by the old file would be replayed onto the restored one: remove it first.
    for suffix in ("-wal", "-shm"):
        db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
    os.replace(partial, db_path)
    if quickcheck.inspect_file(db_path, integrity=False).revision != HEAD.revision:
        migrate(db_path)
    logger.info("restored %s from %s (previous profile: %s)", db_path, source, previous)
    return previous


def clean_leftovers(directory: Path, *, now: dt.datetime | None = None) -> list[Path]:
    """Deal with what a crash left in a profile folder; returns the files removed.

    - `backups/*.partial`: a backup cut short. Never a backup (those are renamed only when
      complete), so it is deleted.
    - `coachdesk.sqlite.restoring`: a restore cut short, before its copy replaced the profile.
      When the profile file is there, the restore never took effect: that file is the profile
      as it was, the backup being restored is still where it was, and the copy is deleted (the
      coach can restore again). When the profile file is not there, restoring had moved a
      damaged profile aside and the copy is all that can take its place: a copy that passes the
      same checks as a backup becomes the profile (the restore is finished); any other is left
      untouched, for someone to look at.
    - `device-keys.enc.*.partial`: a key file cut short while being replaced; the key file itself
      was never touched, so it is deleted (it is sealed like the key file, never plaintext).

    Only files untouched for LEFTOVER_AGE count as leftovers.
    """
    now = now or _utcnow()
    removed: list[Path] = []

    def stale(path: Path) -> bool:
        try:
            touched = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
        except OSError:
            return False
        return now - touched >= LEFTOVER_AGE

    def remove(path: Path) -> None:
        try:
            path.unlink()
        except OSError:
            logger.warning("could not remove the leftover %s", path, exc_info=True)
            return
        logger.warning("removed %s, left by a backup, restore or key change cut short", path)
        removed.append(path)

    candidates = sorted((directory / BACKUPS_FOLDER).glob("*.partial"))
    candidates += sorted(directory.glob("device-keys.enc*.partial"))  # sync/key_file.py's
    for path in candidates:
        if path.is_file() and stale(path):
            remove(path)

    copy = directory / RESTORING
    db_path = directory / DB_NAME
    if not (copy.is_file() and stale(copy)):
        return removed
    if db_path.exists():
        remove(copy)
        return removed
    try:
        check_backup_file(copy)
    except RefusedInput as exc:
        logger.warning("an unfinished restore left %s, which is not usable (%s); kept", copy, exc)
        return removed
    for suffix in ("-wal", "-shm"):  # no WAL from another file may be replayed onto it
        db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
    os.replace(copy, db_path)
    logger.warning("finished a restore cut short: %s is now the profile", copy)
    return removed


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
