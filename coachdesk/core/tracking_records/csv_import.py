"""Importing measurements from a CSV file: read and check every row first, write nothing until
the coach confirms the preview, then write only the rows that passed.

Columns (a header row is required; order does not matter, names are case-insensitive):
school (state id or exact name), indicator (code), as_of (YYYY-MM-DD), value; optional subgroup
(default All), checkpoint (early, mid, eoy) and n (students behind the value).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from pathlib import Path

from coachdesk.core.changes import ChangeSummary
from coachdesk.core.dates_text import medium_date
from coachdesk.core.errors import RefusedInput
from coachdesk.core.store.profile import Profile
from coachdesk.core.tracking_records.indicators import parse_value

REQUIRED = ("school", "indicator", "as_of", "value")
OPTIONAL = ("subgroup", "checkpoint", "n")
MAX_BYTES = 5_000_000


@dataclass(frozen=True)
class ImportRow:
    """A row that passed every check and will be written on confirmation."""

    line: int
    school_name: str
    indicator_id: str
    indicator_code: str
    subgroup: str
    as_of: dt.date
    value: float | str
    checkpoint: str | None
    n: int | None


@dataclass(frozen=True)
class RowError:
    line: int
    message: str


@dataclass(frozen=True)
class ImportPreview:
    """What an import would do: the good rows, and a sentence per refused row."""

    source: str
    rows: tuple[ImportRow, ...]
    errors: tuple[RowError, ...]

    @property
    def sentence(self) -> str:
        good = f"{len(self.rows)} measurement(s) ready to import"
        return f"{good}; {len(self.errors)} row(s) refused." if self.errors else f"{good}."


def preview_csv(profile: Profile, path: str | Path) -> ImportPreview:
    """Read a CSV file and check every row; nothing is written."""
    file = Path(path)
    try:
        if file.stat().st_size > MAX_BYTES:
            raise RefusedInput(f"{file.name} is larger than 5 MB; split it into smaller files.")
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise RefusedInput(f"{file.name} is not UTF-8 text; save it as “CSV UTF-8”.") from None
    except OSError as exc:
        raise RefusedInput(f"{file.name} could not be read: {exc.strerror or exc}.") from None
    return preview_text(profile, text, source=file.name)


def preview_text(profile: Profile, text: str, *, source: str = "the file") -> ImportPreview:
    """Check CSV text row by row against the caseload's schools and indicators."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header:
        raise RefusedInput(f"{source} is empty; it needs a header row: {', '.join(REQUIRED)}.")
    names = [h.strip().lower().replace(" ", "_") for h in header]
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise RefusedInput(
            f"{source} has no column {', '.join(missing)}; the header must name "
            f"{', '.join(REQUIRED)} (and may add {', '.join(OPTIONAL)})."
        )
    unknown = [h for h in names if h and h not in REQUIRED + OPTIONAL]
    schools, indicators, stored = _lookups(profile)
    rows: list[ImportRow] = []
    errors: list[RowError] = []
    if unknown:
        errors.append(RowError(1, f"Column(s) {', '.join(unknown)} are not used and were ignored."))
    seen: dict[tuple[str, dt.date], int] = {}
    for line, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(names):
            errors.append(RowError(line, f"has {len(cells)} cells; the header has {len(names)}."))
            continue
        record = {n: c.strip() for n, c in zip(names, cells, strict=True)}
        try:
            row = _check(record, line, schools, indicators)
        except RefusedInput as exc:
            errors.append(RowError(line, str(exc)))
            continue
        key = (row.indicator_id, row.as_of)
        if key in seen:
            errors.append(RowError(line, f"repeats line {seen[key]} (same indicator and date)."))
            continue
        if key in stored:
            errors.append(RowError(line, "is already recorded (same indicator and date)."))
            continue
        seen[key] = line
        rows.append(row)
    return ImportPreview(source, tuple(rows), tuple(errors))


def _check(record: dict[str, str], line: int, schools, indicators) -> ImportRow:
    school_key = record["school"]
    school = schools.get(school_key) or schools.get(school_key.casefold())
    if school is None:
        raise RefusedInput(f"school “{school_key}” is not on the caseload.")
    school_id, school_name = school
    code = record["indicator"]
    subgroup = record.get("subgroup") or "All"
    found = indicators.get((school_id, code.casefold(), subgroup.casefold()))
    if found is None:
        raise RefusedInput(f"{school_name} has no indicator “{code}” for group {subgroup}.")
    ind_id, ind_code, value_type, target_set = found
    try:
        as_of = dt.date.fromisoformat(record["as_of"])
    except ValueError:
        raise RefusedInput(f"“{record['as_of']}” is not a date (write YYYY-MM-DD).") from None
    if as_of > dt.date.today():
        raise RefusedInput(f"{medium_date(as_of)} is in the future; give the day it was measured.")
    value = parse_value(value_type, record["value"], target_set)
    checkpoint = (record.get("checkpoint") or "").lower() or None
    if checkpoint not in (None, "early", "mid", "eoy"):
        raise RefusedInput(f"“{checkpoint}” is not a checkpoint (early, mid or eoy).")
    n = None
    if record.get("n"):
        try:
            n = int(record["n"])
        except ValueError:
            raise RefusedInput(f"n “{record['n']}” is not a whole number of students.") from None
        if n < 0:
            raise RefusedInput("n cannot be negative.")
    return ImportRow(line, school_name, ind_id, ind_code, subgroup, as_of, value, checkpoint, n)


def _lookups(profile: Profile):
    conn = profile.quick_connection()
    schools: dict[str, tuple[str, str]] = {}
    # A school or district on the caseload, or one the coach gave an indicator (a NY
    # district's local indicator, say, though the district itself is not assigned).
    for org_id, name, state_id in conn.execute(
        "SELECT o.id, o.name, o.state_id FROM organization o "
        "WHERE o.deleted_at IS NULL AND ("
        " EXISTS (SELECT 1 FROM assignment a WHERE a.org_id = o.id AND a.deleted_at IS NULL)"
        " OR EXISTS (SELECT 1 FROM indicator i WHERE i.org_id = o.id AND i.deleted_at IS NULL))"
    ):
        schools[name.casefold()] = (org_id, name)
        if state_id:
            schools[state_id] = (org_id, name)
    indicators = {}
    for ind_id, org_id, code, subgroup, value_type, target_set in conn.execute(
        "SELECT id, org_id, code, subgroup, value_type, target_set FROM indicator "
        "WHERE deleted_at IS NULL"
    ):
        indicators[(org_id, code.casefold(), subgroup.casefold())] = (
            ind_id,
            code,
            value_type,
            tuple(json.loads(target_set or "[]")),
        )
    stored = {
        (r[0], dt.date.fromisoformat(r[1][:10]))
        for r in conn.execute(
            "SELECT indicator_id, as_of FROM measurement WHERE deleted_at IS NULL"
        )
    }
    return schools, indicators, stored


def import_rows(profile: Profile, preview: ImportPreview) -> ChangeSummary:
    """Write the preview's good rows in one transaction (after the coach confirmed)."""
    from coachdesk.core.store.tracking_tables import Measurement

    if not preview.rows:
        raise RefusedInput("There is nothing to import: every row was refused.")
    with profile.writing() as write:
        for row in preview.rows:
            write.session.add(
                Measurement(
                    indicator_id=row.indicator_id,
                    as_of=row.as_of,
                    value=json.dumps(row.value),
                    checkpoint=row.checkpoint,
                    n=row.n,
                    source=f"import: {preview.source}",
                )
            )
    return write.changes
