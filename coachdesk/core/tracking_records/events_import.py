"""Importing dated events (OISR sessions, the spring needs-assessment window, trainings) from an
iCalendar file or a CSV file (DOMAIN.md section 4, rule 5).

Each event becomes an obligation of an event kind for each school it concerns, so it syncs,
shows on the Today calendar and in the list when it comes near, and drops off once its day has
passed (events are attended, not overdue). As with measurements: every row is checked first and
nothing is written until the coach confirms the preview. Importing the same file again adds
nothing.

- iCalendar (.ics, as exported by Outlook or Google Calendar): every VEVENT's start day and
  summary, for the schools chosen on import (one school, or every school of a program).
- CSV: a header row with `date` (YYYY-MM-DD) and `title`, and `school` (state id or exact name)
  or `program` (every school of that program, e.g. NY_RCV) on each row; optional `kind`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from coachdesk.core.changes import ChangeSummary
from coachdesk.core.dates_text import medium_date
from coachdesk.core.errors import RefusedInput
from coachdesk.core.store.profile import Profile

MAX_BYTES = 5_000_000
MAX_TITLE = 200  # the obligation's label column
DEFAULT_KIND = "Event"
KINDS = ("Event", "OISRSession", "NeedsAssessment")  # resources/rules/common.toml event_kinds
CSV_COLUMNS = ("date", "title", "school", "program", "kind")


@dataclass(frozen=True)
class EventRow:
    """One event, checked, for the schools it concerns."""

    line: int  # the CSV line, or the event's position in an iCalendar file
    day: dt.date
    title: str
    kind: str
    school_ids: tuple[str, ...]
    schools_label: str  # "Kennedy Middle School" or "every NY Receivership school (8)"


@dataclass(frozen=True)
class RowError:
    line: int
    message: str


@dataclass(frozen=True)
class EventsPreview:
    source: str
    rows: tuple[EventRow, ...]
    errors: tuple[RowError, ...]
    already: int = 0  # events the profile holds already (nothing to add for them)

    @property
    def new_records(self) -> int:
        return sum(len(r.school_ids) for r in self.rows)

    @property
    def sentence(self) -> str:
        text = f"{len(self.rows)} event(s) ready to import"
        if self.rows:
            text += f" ({self.new_records} calendar entries across the schools)"
        if self.already:
            text += f"; {self.already} already on the calendar"
        if self.errors:
            text += f"; {len(self.errors)} refused"
        return text + "."


@dataclass(frozen=True)
class _Caseload:
    schools: dict[str, tuple[str, str]]  # id, state id or folded name -> (id, name)
    programs: dict[str, tuple[str, list[str]]]  # code -> (program name, school ids)
    stored: set[tuple[str, str, dt.date, str]]  # (school id, kind, day, title)


def preview_events(
    profile: Profile,
    path: str | Path,
    *,
    school: str | None = None,
    program: str | None = None,
) -> EventsPreview:
    """Read an .ics or .csv file and check every event; nothing is written.

    `school` (state id or name) or `program` (code) says whom the events of an iCalendar file
    concern; a CSV file names them on each row."""
    file = Path(path)
    try:
        if file.stat().st_size > MAX_BYTES:
            raise RefusedInput(f"{file.name} is larger than 5 MB; split it into smaller files.")
        data = file.read_bytes()
    except OSError as exc:
        raise RefusedInput(f"{file.name} could not be read: {exc.strerror or exc}.") from None
    caseload = _caseload(profile)
    if data.lstrip(b"\xef\xbb\xbf \r\n\t").startswith(b"BEGIN:VCALENDAR"):
        if not (school or program):
            raise RefusedInput(
                f"{file.name} is a calendar file: choose the school or the program its events"
                " are for."
            )
        whom = _whom(caseload, school=school, program=program)
        return _preview_ics(data, file.name, whom, caseload)
    if file.suffix.lower() == ".ics":
        raise RefusedInput(f"{file.name} is not an iCalendar file (it does not begin a VCALENDAR).")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RefusedInput(f"{file.name} is not UTF-8 text; save it as “CSV UTF-8”.") from None
    return _preview_csv(text, file.name, caseload)


def import_events(profile: Profile, preview: EventsPreview) -> ChangeSummary:
    """Write the preview's events in one transaction (after the coach confirmed)."""
    from coachdesk.core.store.tracking_tables import Obligation

    if not preview.rows:
        raise RefusedInput("There is nothing to import: no new event was found.")
    with profile.writing() as write:
        for row in preview.rows:
            for school_id in row.school_ids:
                write.session.add(
                    Obligation(
                        org_id=school_id,
                        kind=row.kind,
                        period=row.day.isoformat(),
                        due=row.day,
                        status="open",
                        label=row.title,
                    )
                )
    return write.changes


@dataclass(frozen=True)
class Audience:
    """Whom the events of a calendar file can be for: a program's schools, or one school."""

    label: str
    school: str | None = None  # the school's id
    program: str | None = None


def audiences(profile: Profile) -> list[Audience]:
    """Each program of the caseload (every school in it), then each school by name."""
    caseload = _caseload(profile)
    found = [
        Audience(f"Every {name} school ({len(ids)})", program=code)
        for code, (name, ids) in sorted(caseload.programs.items())
    ]
    schools = {org_id: name for org_id, name in caseload.schools.values()}
    found += [
        Audience(name, school=org_id)
        for org_id, name in sorted(schools.items(), key=lambda kv: kv[1].casefold())
    ]
    return found


# --- the two formats ------------------------------------------------------------------------


def _preview_ics(
    data: bytes, source: str, whom: tuple[tuple[str, ...], str], caseload: _Caseload
) -> EventsPreview:
    import icalendar

    try:
        calendar = icalendar.Calendar.from_ical(data)
    except ValueError as exc:
        raise RefusedInput(f"{source} is not a calendar coachdesk can read ({exc}).") from None
    rows: list[EventRow] = []
    errors: list[RowError] = []
    already = 0
    school_ids, label = whom
    for position, event in enumerate(calendar.walk("VEVENT"), start=1):
        title = _clean_title(str(event.get("SUMMARY", "")))
        start = event.get("DTSTART")
        value = getattr(start, "dt", None)
        if isinstance(value, dt.datetime):
            value = value.date()  # the school's own day: calendar files give local times
        if not isinstance(value, dt.date):
            errors.append(RowError(position, f"“{title or 'An event'}” has no start date."))
            continue
        if not title:
            errors.append(RowError(position, f"The event on {medium_date(value)} has no title."))
            continue
        new, held = _split_new(caseload, school_ids, DEFAULT_KIND, value, title)
        if not new:
            already += 1
            continue
        rows.append(EventRow(position, value, title, DEFAULT_KIND, new, label))
    return _finish(source, rows, errors, already)


def _preview_csv(text: str, source: str, caseload: _Caseload) -> EventsPreview:
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header:
        raise RefusedInput(f"{source} is empty; it needs a header row: date, title, school.")
    names = [h.strip().lower() for h in header]
    if "date" not in names or "title" not in names or not {"school", "program"} & set(names):
        raise RefusedInput(
            f"{source} needs the columns date, title and school (or program); it has "
            f"{', '.join(n for n in names if n) or 'none'}."
        )
    rows: list[EventRow] = []
    errors: list[RowError] = []
    unknown = [n for n in names if n and n not in CSV_COLUMNS]
    if unknown:
        errors.append(RowError(1, f"Column(s) {', '.join(unknown)} are not used and were ignored."))
    already = 0
    for line, cells in _rows(reader):
        if len(cells) != len(names):
            errors.append(RowError(line, f"has {len(cells)} cells; the header has {len(names)}."))
            continue
        record = {n: c.strip() for n, c in zip(names, cells, strict=True)}
        try:
            day = _date(record["date"])
            title = _clean_title(record["title"])
            if not title:
                raise RefusedInput("has no title.")
            kind = _kind(record.get("kind", ""))
            school_ids, label = _whom(
                caseload, school=record.get("school") or None, program=record.get("program") or None
            )
        except RefusedInput as exc:
            errors.append(RowError(line, str(exc)))
            continue
        new, _held = _split_new(caseload, school_ids, kind, day, title)
        if not new:
            already += 1
            continue
        rows.append(EventRow(line, day, title, kind, new, label))
    return _finish(source, rows, errors, already)


def _rows(reader) -> Iterator[tuple[int, list[str]]]:
    for line, cells in enumerate(reader, start=2):
        if any(c.strip() for c in cells):
            yield line, cells


def _finish(
    source: str, rows: list[EventRow], errors: list[RowError], already: int
) -> EventsPreview:
    # The same event twice in one file is imported once.
    seen: dict[tuple[dt.date, str, str, tuple[str, ...]], int] = {}
    kept = []
    for row in rows:
        key = (row.day, row.title.casefold(), row.kind, row.school_ids)
        if key in seen:
            errors.append(RowError(row.line, f"repeats line {seen[key]} (same event)."))
            continue
        seen[key] = row.line
        kept.append(row)
    return EventsPreview(source, tuple(kept), tuple(errors), already)


# --- checking -------------------------------------------------------------------------------


def _caseload(profile: Profile) -> _Caseload:
    from coachdesk.core.programs import programs

    conn = profile.quick_connection()
    schools: dict[str, tuple[str, str]] = {}
    by_program: dict[str, list[str]] = {}
    for org_id, name, state_id, code in conn.execute(
        "SELECT DISTINCT o.id, o.name, o.state_id, a.program_code FROM organization o "
        "JOIN assignment a ON a.org_id = o.id "
        "WHERE o.deleted_at IS NULL AND a.deleted_at IS NULL AND a.status = 'active'"
    ):
        schools[name.casefold()] = (org_id, name)
        schools[org_id] = (org_id, name)
        if state_id:
            schools[state_id.casefold()] = (org_id, name)
        by_program.setdefault(code, [])
        if org_id not in by_program[code]:
            by_program[code].append(org_id)
    known = programs()
    named = {
        code: (known[code].name if code in known else code, ids) for code, ids in by_program.items()
    }
    stored = {
        (r[0], r[1], dt.date.fromisoformat(r[2]), (r[3] or "").casefold())
        for r in conn.execute(
            "SELECT org_id, kind, due, label FROM obligation "
            "WHERE deleted_at IS NULL AND due IS NOT NULL"
        )
    }
    return _Caseload(schools, named, stored)


def _whom(
    caseload: _Caseload, *, school: str | None, program: str | None
) -> tuple[tuple[str, ...], str]:
    if school and program:
        raise RefusedInput("names both a school and a program; give one of them.")
    if school:
        found = caseload.schools.get(school.strip()) or caseload.schools.get(
            school.strip().casefold()
        )
        if found is None:
            raise RefusedInput(f"names a school not in the caseload: “{school}”.")
        return (found[0],), found[1]
    if program:
        entry = caseload.programs.get(program.strip().upper())
        if entry is None:
            codes = ", ".join(sorted(caseload.programs)) or "none in the caseload yet"
            raise RefusedInput(f"names a program with no schools here: “{program}” ({codes}).")
        name, ids = entry
        return tuple(ids), f"every {name} school ({len(ids)})"
    raise RefusedInput("names no school or program.")


def _split_new(
    caseload: _Caseload, school_ids: tuple[str, ...], kind: str, day: dt.date, title: str
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The schools that do not have this event yet, and those that do."""
    folded = title.casefold()
    new = tuple(s for s in school_ids if (s, kind, day, folded) not in caseload.stored)
    held = tuple(s for s in school_ids if s not in new)
    return new, held


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise RefusedInput(f"has “{text}” as its date; write dates as YYYY-MM-DD.") from None


def _kind(text: str) -> str:
    if not text:
        return DEFAULT_KIND
    for kind in KINDS:
        if kind.casefold() == text.casefold():
            return kind
    raise RefusedInput(f"has the kind “{text}”; use one of {', '.join(KINDS)}, or leave it empty.")


def _clean_title(text: str) -> str:
    """One line, trimmed to what the calendar stores."""
    title = " ".join(text.split())
    return title if len(title) <= MAX_TITLE else title[: MAX_TITLE - 1] + "…"
