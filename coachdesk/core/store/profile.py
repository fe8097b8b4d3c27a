"""A coach's profile: one folder holding the SQLite file, its backups and the log.

`open_profile` checks the file before anything can write to it (a newer data format is refused,
a damaged file is reported with the latest good backup), takes a backup before migrating, and
returns a Profile. Services read in `profile.reading()` and write in `profile.writing()`; writes
are serialised, start with BEGIN IMMEDIATE and are logged by the change-log listener.

The file's engine and its migration are in coachdesk/core/store/database.py, the backups and
restoring one in coachdesk/core/store/backups.py; this module uses both, neither uses it.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import sqlite3
import stat
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from coachdesk import __version__
from coachdesk.core.changes import ChangeSummary
from coachdesk.core.errors import DamagedProfileError, NewerProfileError, RefusedInput
from coachdesk.core.store import backups, quickcheck
from coachdesk.core.store.database import BACKUPS_FOLDER, DB_NAME, make_engine, migrate
from coachdesk.core.store.versions import HEAD

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import Session, sessionmaker

    from coachdesk.core.clock import HybridClock

logger = logging.getLogger(__name__)

ENV_DATA_DIR = "COACHDESK_DATA_DIR"


def resolve_profile_dir(data_dir: str | os.PathLike[str] | None = None) -> Path:
    """The profile folder: --data-dir, else COACHDESK_DATA_DIR, else the platform's data dir."""
    if data_dir:
        return Path(data_dir).expanduser()
    if os.environ.get(ENV_DATA_DIR):
        return Path(os.environ[ENV_DATA_DIR]).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("coachdesk", appauthor=False))


@dataclass
class WriteScope:
    """One write transaction: the ORM session, and after commit what it changed."""

    session: Session
    changes: ChangeSummary = field(default_factory=ChangeSummary)


class Profile:
    """An open profile. Cheap to create; the SQLAlchemy engine is built on first use."""

    # The database's SQL dialect; the state hub's profile (core/store/hub.py) is "postgresql".
    dialect = "sqlite"

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.db_path = directory / DB_NAME
        self.backups_dir = directory / BACKUPS_FOLDER
        self.log_path = directory / "coachdesk.log"
        self._engine: Engine | None = None
        self._sessions: sessionmaker[Session] | None = None
        self._clock: HybridClock | None = None
        self._write_lock = threading.RLock()
        self._engine_lock = threading.Lock()
        self._quick: sqlite3.Connection | None = None

    # --- plain sqlite3, for the start-up path --------------------------------------------------

    def quick_connection(self) -> sqlite3.Connection:
        """A read-only sqlite3 connection for the few queries on the start-up path.

        SQLite-only spot: used where importing SQLAlchemy would delay the first window.
        """
        if self._quick is None:
            conn = sqlite3.connect(
                f"file:{self.db_path}?mode=ro", uri=True, check_same_thread=False
            )
            conn.row_factory = sqlite3.Row
            self._quick = conn
        return self._quick

    # --- SQLAlchemy ------------------------------------------------------------------------------

    @property
    def engine(self) -> Engine:
        with self._engine_lock:
            if self._engine is None:
                self._engine = make_engine(self.db_path)
            return self._engine

    def _session_factory(self) -> sessionmaker[Session]:
        if self._sessions is None:
            from sqlalchemy.orm import sessionmaker

            from coachdesk.core.store import changelog

            factory = sessionmaker(self.engine, expire_on_commit=False)
            changelog.install(factory)
            self._sessions = factory
        return self._sessions

    @property
    def device_id(self) -> str:
        return self.clock.device

    @property
    def clock(self) -> HybridClock:
        if self._clock is None:
            self._clock = _load_clock(self)
        return self._clock

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only session; nothing it does is committed."""
        session = self._session_factory()()
        try:
            yield session
        finally:
            # close() ends the transaction without expiring what was read, so plain values
            # taken from loaded objects stay usable after the block.
            session.close()

    @contextmanager
    def writing(self, *, capture: bool = True) -> Iterator[WriteScope]:
        """One write transaction, committed at the end of the block or rolled back on error.

        `capture=False` is for sync applying changes that are already in the log.
        """
        from coachdesk.core.store import changelog

        with self._write_lock:
            session = self._session_factory()()
            session.info[changelog.CLOCK] = self.clock
            session.info[changelog.CAPTURE] = capture
            scope = WriteScope(session)
            try:
                session.connection(execution_options={"coachdesk_immediate": True})
                yield scope
                session.flush()
                touched = session.info.get(changelog.CHANGED, {})
                session.commit()
                scope.changes = ChangeSummary.of(touched)
            except BaseException:
                session.rollback()
                raise
            finally:
                session.close()

    def fact(self, key: str) -> str | None:
        row = (
            self.quick_connection()
            .execute("SELECT value FROM profile_fact WHERE key = ?", (key,))
            .fetchone()
        )
        return row[0] if row else None

    def close(self) -> None:
        """Release every connection; the file can then be copied or replaced."""
        if self._quick is not None:
            self._quick.close()
            self._quick = None
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
            self._sessions = None


def _load_clock(profile: Profile) -> HybridClock:
    from sqlalchemy import func, select

    from coachdesk.core.clock import HLC, HybridClock
    from coachdesk.core.store.schema import Change, ThisDevice

    with profile.reading() as session:
        device = session.execute(select(ThisDevice.device_id)).scalar_one()
        newest = session.execute(select(func.max(Change.hlc))).scalar()
    # Start past every reading in the log, ours or another device's, so the clock never
    # issues a reading older than one already seen, even after the wall clock was set back.
    return HybridClock(device, last=HLC.parse(newest) if newest else None)


# --- opening ------------------------------------------------------------------------------------


def open_profile(directory: Path, *, create: bool = True, full_check: bool = True) -> Profile:
    """Check, migrate if needed, and open the profile in this folder.

    Raises NewerProfileError (file untouched), DamagedProfileError (with the latest good backup)
    or RefusedInput for a folder that holds something other than a coachdesk profile. What a
    crash left (a backup or restore cut short) is dealt with first (`backups.clean_leftovers`).
    `full_check=False` skips SQLite's quick_check (a read of the whole file); the window does
    that after a clean shutdown and runs the check in the background instead.
    """
    db_path = directory / DB_NAME
    if directory.is_dir():
        backups.clean_leftovers(directory)  # before anything is judged: a restore may finish
    if db_path.exists():
        make_owner_only(directory)
        state = quickcheck.inspect_file(db_path, integrity=full_check)
        if quickcheck.is_newer(state):
            raise NewerProfileError(newer_profile_message(state))
        if not state.healthy:
            latest = backups.latest_good_backup(directory / BACKUPS_FOLDER)
            raise DamagedProfileError(
                f"The profile {db_path} {state.problem}.",
                path=db_path,
                latest_backup=latest,
            )
        if state.revision is None:
            _create(directory)
        elif state.revision != HEAD.revision:
            backups.take_backup(Profile(directory), reason="before-migration")
            migrate(db_path)
    else:
        if not create:
            raise RefusedInput(f"There is no coachdesk profile in {directory}.")
        directory.mkdir(parents=True, exist_ok=True)
        make_owner_only(directory)
        _create(directory)
    return Profile(directory)


# --- who may read the folder ----------------------------------------------------------------------

OWNER_ONLY_STAMP = ".owner-only"  # Windows: the folder this ACL was set for (icacls costs ~50 ms)


def make_owner_only(directory: Path) -> None:
    """Let only this user read the profile folder: mode 0700 on POSIX, an owner-only ACL on Windows.

    Notes and names of children are in this folder, and state laptops are often shared. Fails
    soft: a folder whose permissions cannot be changed (a network share, FAT) is logged and used.
    """
    if sys.platform == "win32":
        _make_owner_only_on_windows(directory)
        return
    try:
        mode = stat.S_IMODE(directory.stat().st_mode)
        if mode != 0o700:
            os.chmod(directory, 0o700)
    except OSError as exc:
        logger.warning("could not make %s readable by its owner only: %s", directory, exc)


def windows_owner_only_commands(directory: Path, user: str) -> list[list[str]]:
    """The icacls calls that leave `directory` to `user` alone, files and folders inside too.

    The grant comes first and the inherited entries are removed only once it worked, so a
    refused grant (an unknown account name) never leaves a folder nobody can open.
    """
    return [
        ["icacls", str(directory), "/grant:r", f"{user}:(OI)(CI)F"],
        ["icacls", str(directory), "/inheritance:r"],
    ]


def _windows_user() -> str:
    import getpass

    user = os.environ.get("USERNAME") or getpass.getuser()
    domain = os.environ.get("USERDOMAIN")
    return f"{domain}\\{user}" if domain else user


def _make_owner_only_on_windows(directory: Path) -> None:
    stamp = directory / OWNER_ONLY_STAMP
    where = str(directory.resolve())
    try:
        if stamp.read_text(encoding="utf-8") == where:
            return
    except OSError:
        pass
    import subprocess  # Windows only: kept off everyone's start-up

    no_window = getattr(subprocess, "CREATE_NO_WINDOW", 0)  # no console flashing up
    for command in windows_owner_only_commands(directory, _windows_user()):
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=30, creationflags=no_window
            )
        except (OSError, subprocess.SubprocessError) as exc:
            logger.warning("could not restrict %s to its owner (%s): %s", directory, command, exc)
            return
        if done.returncode != 0:
            logger.warning(
                "could not restrict %s to its owner: %s said %s",
                directory,
                " ".join(command[:1] + command[2:]),
                (done.stdout + done.stderr).strip(),
            )
            return
    try:
        stamp.write_text(where, encoding="utf-8")
    except OSError:
        pass  # the ACL is set; it is simply set again next time


def newer_profile_message(state: quickcheck.FileState) -> str:
    """Why a newer profile is refused, naming the release to install when the file says it."""
    writer = state.written_by if _is_newer_release(state.written_by) else None
    install = f"coachdesk {writer} or newer" if writer else "the newest coachdesk"
    by = f"coachdesk {writer}" if writer else "a newer coachdesk"
    return (
        f"This profile was saved by {by}, in a data format this coachdesk {__version__} does "
        f"not know (it reads format {HEAD.number} at most). Install {install} to open it. "
        "The profile has not been changed."
    )


def _is_newer_release(version: str | None) -> bool:
    def parts(text: str) -> tuple[int, ...]:
        return tuple(int(p) for p in text.split(".") if p.isdigit())

    try:
        return version is not None and parts(version) > parts(__version__)
    except ValueError:
        return False


def _create(directory: Path) -> None:
    from coachdesk.core.ids import new_id
    from coachdesk.core.store.schema import Coach, ProfileFact, ThisDevice

    db_path = directory / DB_NAME
    migrate(db_path)
    profile = Profile(directory)
    try:
        device = new_id()
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        with profile.reading() as session:
            # The device row must exist before the clock can be read, so it goes in first,
            # outside the change log: it is this laptop's identity, not a synced record.
            session.add(ThisDevice(device_id=device, name=_device_name(), created_at=now))
            session.commit()
        with profile.writing() as write:
            coach = Coach(id=new_id(), name=_coach_name(), employer=None)
            write.session.add(coach)
            write.session.flush()
            write.session.add(ProfileFact(key="coach_id", value=coach.id))
    finally:
        profile.close()
    logger.info("created a new profile in %s", directory)


def _device_name() -> str:
    import platform

    return platform.node() or "this laptop"


def _coach_name() -> str:
    import getpass

    try:
        return getpass.getuser().replace(".", " ").replace("_", " ").title() or "Coach"
    except (KeyError, OSError):
        return "Coach"
