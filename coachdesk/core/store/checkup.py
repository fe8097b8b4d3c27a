"""`coachdesk check`: is the profile intact, is its data format one this version reads, and can
every answer in a visit note be read by its form field?"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from coachdesk import __version__
from coachdesk.core.store import backups, quickcheck
from coachdesk.core.store.database import BACKUPS_FOLDER, DB_NAME
from coachdesk.core.store.versions import HEAD, KNOWN_REVISIONS

if TYPE_CHECKING:
    from coachdesk.core.forms.model import FieldDef, FormDefinition


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
    # One sentence per answer its form field cannot read (also listed among the problems).
    unreadable_answers: tuple[str, ...] = field(default=())

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
            "unreadable_answers": list(self.unreadable_answers),
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
    unreadable: list[str] = []
    if integrity == "ok" and not newer and state.revision is not None:
        unreadable = unreadable_answers(db)
        problems += unreadable
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
        unreadable_answers=tuple(unreadable),
    )


def unreadable_answers(db: Path) -> list[str]:
    """A sentence for every live answer its form field cannot read, reading the file only.

    "The answer to “Strengths” in the visit of Nov 3, 2026 at Harbor View Elementary cannot be
    read: it is not readable data (the text is not JSON)." The form is the visit's version, by
    its hash (a published form this coachdesk ships, else the profile's stored copy); without
    one, an answer is only checked for being readable data.
    """
    from coachdesk.core.forms.answer_privacy import published_forms, stored_definition
    from coachdesk.core.forms.answer_values import answer_text_problem, top_level_fields

    published = published_forms()
    conn = quickcheck.open_readonly(db)
    try:
        stored = {
            (form_id, version, sha): text
            for form_id, version, sha, text in conn.execute(
                "SELECT form_id, version, sha256, text FROM stored_form WHERE deleted_at IS NULL"
            )
        }
        schools = dict(conn.execute("SELECT id, name FROM organization"))
        visits = {
            row[0]: row[1:]
            for row in conn.execute(
                "SELECT id, org_id, starts_at, form_id, form_version, form_sha256 FROM visit"
            )
        }
        answers = conn.execute(
            "SELECT visit_id, field, value FROM visit_answer WHERE deleted_at IS NULL"
            " ORDER BY visit_id, field"
        ).fetchall()
    finally:
        conn.close()
    fields_of: dict[tuple, dict[str, FieldDef] | None] = {}

    def fields(ref: tuple) -> dict[str, FieldDef] | None:
        if ref not in fields_of:
            definition: FormDefinition | None = published.get(ref[2])
            if definition is not None and (definition.form_id, definition.version) != ref[:2]:
                definition = None
            if definition is None and ref in stored:
                definition = stored_definition(stored[ref], ref[2])
            fields_of[ref] = top_level_fields(definition) if definition is not None else None
        return fields_of[ref]

    found = []
    for visit_id, name, value in answers:
        org_id, starts_at, *ref = visits.get(visit_id, (None, None, None, None, None))
        known = fields(tuple(ref)) if None not in ref else None
        field_def = known.get(name) if known is not None else None
        if field_def is not None:
            problem = answer_text_problem(field_def, value)
            label = field_def.label
        else:
            problem = _readable(value)
            label = name
        if problem is not None:
            where = _visit_words(starts_at, schools.get(org_id))
            found.append(f"The answer to “{label}” in {where} cannot be read: {problem}.")
    return found


def _readable(value: object) -> str | None:
    try:
        json.loads(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, RecursionError):
        return "it is not readable data (the text is not JSON)"
    return None


def _visit_words(starts_at: object, school: str | None) -> str:
    from coachdesk.core.dates_text import medium_date

    try:
        day: dt.date | None = dt.datetime.fromisoformat(str(starts_at)).date()
    except ValueError:
        day = None
    words = "the visit" + (f" of {medium_date(day)}" if day is not None else "")
    return words + (f" at {school}" if school else "")
