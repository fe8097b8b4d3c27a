"""`coachdesk check`: is the profile intact, and is its data format one this version reads?"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from coachdesk import __version__
from coachdesk.core.store import backups, quickcheck
from coachdesk.core.store.database import BACKUPS_FOLDER, DB_NAME
from coachdesk.core.store.versions import HEAD, KNOWN_REVISIONS


@dataclass(frozen=True)
class CheckReport:
    path: Path
    exists: bool
    integrity: str  # "ok" or what SQLite found
    data_format: int | None
    readable_by_this_version: bool
    needs_upgrade: bool
    backups: int
    latest_good_backup: Path | None
    problems: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return self.exists and not self.problems

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "path": str(self.path),
            "integrity": self.integrity,
            "data_format": self.data_format,
            "newest_format_known": HEAD.number,
            "coachdesk_version": __version__,
            "needs_upgrade": self.needs_upgrade,
            "backups": self.backups,
            "latest_good_backup": str(self.latest_good_backup) if self.latest_good_backup else None,
            "problems": list(self.problems),
        }

    def lines(self) -> list[str]:
        if not self.exists:
            return [f"There is no profile at {self.path}."]
        out = [
            f"Profile:      {self.path}",
            f"Integrity:    {self.integrity}",
            f"Data format:  {self.data_format if self.data_format else 'unknown'}"
            f" (this coachdesk {__version__} reads up to {HEAD.number})",
            f"Backups:      {self.backups}"
            + (f", latest good: {self.latest_good_backup.name}" if self.latest_good_backup else ""),
        ]
        if self.needs_upgrade:
            out.append("The profile will be upgraded (after a backup) the next time it is opened.")
        out += [f"Problem: {p}" for p in self.problems]
        out.append("All good." if self.ok else "The profile needs attention (see above).")
        return out


def check_profile(directory: Path) -> CheckReport:
    """Run SQLite's full integrity check and read the data format, changing nothing."""
    db = directory / DB_NAME
    found = backups.list_backups(directory / BACKUPS_FOLDER)
    latest = backups.latest_good_backup(directory / BACKUPS_FOLDER)
    if not db.exists():
        return CheckReport(
            db,
            False,
            "missing",
            None,
            False,
            False,
            len(found),
            latest,
            ("the profile file is missing",),
        )
    problems: list[str] = []
    state = quickcheck.inspect_file(db, integrity=False)
    integrity = "not checked"
    if state.healthy or state.revision is not None:
        try:
            conn = quickcheck.open_readonly(db)
            try:
                result = [r[0] for r in conn.execute("PRAGMA integrity_check")]
            finally:
                conn.close()
            integrity = "ok" if result == ["ok"] else "; ".join(result[:5])
        except sqlite3.DatabaseError as exc:
            integrity = f"unreadable ({exc})"
    else:
        integrity = state.problem
    if integrity != "ok":
        problems.append(f"the file {integrity}" if not integrity.startswith("the") else integrity)
    fmt = KNOWN_REVISIONS[state.revision].number if state.revision in KNOWN_REVISIONS else None
    newer = quickcheck.is_newer(state)
    if newer:
        problems.append("it was written by a newer coachdesk; install that version to open it")
    if problems and latest is not None:
        problems.append(f"the latest good backup is {latest}; `coachdesk restore` it if needed")
    return CheckReport(
        path=db,
        exists=True,
        integrity=integrity,
        data_format=fmt,
        readable_by_this_version=not newer and integrity == "ok",
        needs_upgrade=state.revision in KNOWN_REVISIONS and state.revision != HEAD.revision,
        backups=len(found),
        latest_good_backup=latest,
        problems=tuple(problems),
    )
