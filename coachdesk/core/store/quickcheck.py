"""Checks on a profile file made with the standard library's sqlite3, before anything writes.

SQLite-only spot. These run on every start-up, before SQLAlchemy is imported (its import alone
costs more than a bare Qt window takes to show, see benchmarks/startup.py), and they must never
change the file they look at: a profile from a newer coachdesk has to stay byte-for-byte as it was.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from coachdesk.core.store.versions import KNOWN_REVISIONS


@dataclass(frozen=True)
class FileState:
    """What a look at a profile file found."""

    revision: str | None  # None: an empty database, to be created
    healthy: bool
    problem: str = ""
    written_by: str | None = None


def open_readonly(path: Path) -> sqlite3.Connection:
    """A connection that cannot change the file, its journal or its directory."""
    wal = path.with_name(path.name + "-wal")
    # With no WAL file the database is fully in the main file and `immutable` guarantees that
    # SQLite writes nothing at all; with one, the WAL must be read to see the latest commits.
    mode = "ro" if wal.exists() else "ro&immutable=1"
    return sqlite3.connect(f"file:{quote(str(path))}?mode={mode}", uri=True)


def inspect_file(path: Path, *, integrity: bool = True) -> FileState:
    """Read the data-format revision and (optionally) run SQLite's quick integrity check."""
    try:
        conn = open_readonly(path)
    except sqlite3.Error as exc:
        return FileState(revision=None, healthy=False, problem=f"cannot be opened ({exc})")
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not tables:
            return FileState(revision=None, healthy=True)
        if "alembic_version" not in tables:
            return FileState(revision=None, healthy=False, problem="is not a coachdesk profile")
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        revision = row[0] if row else None
        written_by = None
        if "profile_fact" in tables:
            fact = conn.execute(
                "SELECT value FROM profile_fact WHERE key = 'written_by'"
            ).fetchone()
            written_by = fact[0] if fact else None
        if integrity:
            result = [r[0] for r in conn.execute("PRAGMA quick_check")]
            if result != ["ok"]:
                return FileState(
                    revision=revision,
                    healthy=False,
                    problem="fails its integrity check (" + "; ".join(result[:3]) + ")",
                    written_by=written_by,
                )
        return FileState(revision=revision, healthy=True, written_by=written_by)
    except sqlite3.DatabaseError as exc:
        return FileState(revision=None, healthy=False, problem=f"is damaged ({exc})")
    finally:
        conn.close()


def is_newer(state: FileState) -> bool:
    """True when the file was written by a data format this coachdesk does not know."""
    return state.revision is not None and state.revision not in KNOWN_REVISIONS
