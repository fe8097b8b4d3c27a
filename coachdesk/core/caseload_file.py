"""The caseload from a file: a preview of what a CSV of districts and schools would change,
writing it once the coach confirms, and exporting the caseload to a CSV that imports back
(`export`, written by coachdesk.core.caseload_export).

Reading the file (encodings, column names, rows) is coachdesk.core.caseload_csv; the checks on
each organization's fields are coachdesk.core.organizations, the same the window and the
`districts add` / `schools add` commands use. Here: matching each row to the profile (the same
state id is an update), finding each school's district (in the profile or in the file), the
preview, and one all-or-nothing transaction. Importing the same file twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from coachdesk.core.assignments import AssignmentFields, checked_assignment, write_assignment
from coachdesk.core.caseload_csv import (
    CaseloadTable,
    UnreadableFile,
    read_table,
)
from coachdesk.core.caseload_export import ExportResult, export
from coachdesk.core.caseload_held import read_snapshot, state_code
from coachdesk.core.caseload_match import Plan, PlannedRow, plan_rows
from coachdesk.core.changes import ChangeSummary
from coachdesk.core.errors import RefusedInput
from coachdesk.core.organizations import write_organization
from coachdesk.core.store.profile import Profile
from coachdesk.core.store.schema import Organization

__all__ = [
    "CaseloadPreview",
    "ExportResult",
    "PreviewRow",
    "RowAction",
    "apply",
    "export",
    "preview",
]


class RowAction(StrEnum):
    NEW_DISTRICT = "new district"
    NEW_SCHOOL = "new school"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    ERROR = "error"


@dataclass(frozen=True)
class FieldChange:
    """One field an update changes, as the preview shows it."""

    label: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class PreviewRow:
    """What one line of the file would do; `line` counts the header as row 1."""

    line: int
    action: RowAction
    name: str
    kind: str | None = None
    state: str | None = None
    state_id: str | None = None
    district: str | None = None  # the district's name, as the coach knows it
    changes: tuple[FieldChange, ...] = ()
    programs: tuple[str, ...] = ()  # program codes this row adds for the school year
    message: str | None = None  # why the row is refused


@dataclass(frozen=True)
class CaseloadPreview:
    """What importing a file would change; nothing has been written."""

    source: str
    encoding: str
    school_year: str
    headers: tuple[str, ...]
    matched: Mapping[str, str]  # header -> field
    unmatched: tuple[str, ...]  # headers not used
    missing: tuple[str, ...]  # fields no header matched: the mapping step is needed
    rows: tuple[PreviewRow, ...] = ()
    _plan: Plan | None = field(default=None, repr=False, compare=False)

    @property
    def needs_mapping(self) -> bool:
        return bool(self.missing)

    def count(self, action: RowAction) -> int:
        return sum(1 for r in self.rows if r.action is action)

    @property
    def errors(self) -> tuple[PreviewRow, ...]:
        return tuple(r for r in self.rows if r.action is RowAction.ERROR)

    @property
    def to_write(self) -> int:
        return sum(1 for r in self.rows if r.action not in (RowAction.UNCHANGED, RowAction.ERROR))

    @property
    def sentence(self) -> str:
        """The totals: "12 new schools, 2 new districts, 3 updates, 1 row refused"."""
        if self.needs_mapping:
            return f"{self.source}: the columns need matching before anything can be checked."
        parts = [
            _plural(self.count(RowAction.NEW_SCHOOL), "new school", "new schools"),
            _plural(self.count(RowAction.NEW_DISTRICT), "new district", "new districts"),
            _plural(self.count(RowAction.UPDATE), "update", "updates"),
            _plural(self.count(RowAction.UNCHANGED), "unchanged", "unchanged"),
            _plural(self.count(RowAction.ERROR), "row refused", "rows refused"),
        ]
        shown = [p for p in parts if p]
        return ", ".join(shown) if shown else "Nothing to import"

    @property
    def written_sentence(self) -> str:
        """What apply writes: "2 new districts, 12 new schools, 3 updates"."""
        parts = [
            _plural(self.count(RowAction.NEW_DISTRICT), "new district", "new districts"),
            _plural(self.count(RowAction.NEW_SCHOOL), "new school", "new schools"),
            _plural(self.count(RowAction.UPDATE), "update", "updates"),
        ]
        return ", ".join(p for p in parts if p) or "nothing"


def _plural(n: int, one: str, many: str) -> str:
    if n == 0:
        return ""
    return f"{n:,} {one if n == 1 else many}"


# --- preview and apply ----------------------------------------------------------------------


def preview(
    profile: Profile,
    path_or_bytes: str | os.PathLike[str] | bytes,
    *,
    state: str | None = None,
    mapping: Mapping[str, str] | None = None,
    today: dt.date | None = None,
) -> CaseloadPreview:
    """Read a CSV of districts and schools and say what importing it would do; writes nothing.

    `state` (NY, MA, OH) is the state of rows that do not say; `mapping` (header -> field)
    matches columns the file names in words coachdesk does not know.
    """
    data, source = _read_source(path_or_bytes)
    try:
        table = read_table(data, source=source, mapping=mapping)
    except UnreadableFile as exc:
        raise RefusedInput(str(exc)) from None
    year = _school_year(today)
    if table.missing:
        return _preview_of(table, year, None)
    with profile.reading() as session:
        snapshot = read_snapshot(session, year)
    plan = plan_rows(table, snapshot, state=_state_given(state), school_year=year)
    return _preview_of(table, year, plan)


def apply(profile: Profile, preview: CaseloadPreview) -> ChangeSummary:
    """Write every good row of a preview in one transaction; refused rows are skipped.

    The rows are checked again inside the transaction: if the caseload changed since the
    preview in a way that alters what a row would do, nothing is written and the sentence asks
    for a new preview.
    """
    if preview.needs_mapping or preview._plan is None:
        raise RefusedInput(
            "Match the file's columns first: "
            + ", ".join(preview.missing)
            + " has no column yet, so nothing can be imported."
        )
    if preview.to_write == 0:
        return ChangeSummary()
    planned = preview._plan
    with profile.writing() as write:
        now = read_snapshot(write.session, preview.school_year)
        fresh = planned
        if now != planned.snapshot:  # someone wrote since the preview: plan the rows again
            fresh = plan_rows(
                planned.table, now, state=planned.state, school_year=preview.school_year
            )
        if _rows_of(fresh) != preview.rows:
            changed = next(
                (a.line for a, b in zip(_rows_of(fresh), preview.rows, strict=True) if a != b),
                None,
            )
            raise RefusedInput(
                "The caseload changed since this file was previewed"
                + (f" (row {changed} would now do something else)" if changed else "")
                + "; preview the file again before importing it. Nothing was imported."
            )
        _write_plan(
            write.session,
            fresh,
            school_year=preview.school_year,
            today=dt.date.today(),
        )
    return write.changes


def _read_source(path_or_bytes: str | os.PathLike[str] | bytes) -> tuple[bytes, str]:
    if isinstance(path_or_bytes, bytes):
        return path_or_bytes, "The file"
    file = Path(path_or_bytes)
    try:
        return file.read_bytes(), file.name
    except IsADirectoryError:
        raise RefusedInput(f"{file} is a folder; choose the CSV file inside it.") from None
    except FileNotFoundError:
        raise RefusedInput(f"There is no file {file}; check its name and folder.") from None
    except OSError as exc:
        raise RefusedInput(f"{file.name} could not be read: {exc.strerror or exc}.") from None


def _state_given(state: str | None) -> str | None:
    if state is None or not state.strip():
        return None
    code = state_code(state)
    if code is None:
        raise RefusedInput(f"“{state}” is not a state coachdesk knows; choose NY, MA or OH.")
    return code


def _school_year(today: dt.date | None) -> str:
    from coachdesk.core.caseload import current_school_year

    return current_school_year(today)


def _preview_of(table: CaseloadTable, year: str, plan: Plan | None) -> CaseloadPreview:
    return CaseloadPreview(
        source=table.source,
        encoding=table.encoding,
        school_year=year,
        headers=table.headers,
        matched=table.matched,
        unmatched=table.unmatched,
        missing=table.missing,
        rows=_rows_of(plan) if plan else (),
        _plan=plan,
    )


def _rows_of(plan: Plan) -> tuple[PreviewRow, ...]:
    return tuple(
        PreviewRow(
            line=r.line,
            action=RowAction(r.action),
            name=r.name,
            kind=r.kind,
            state=r.state,
            state_id=r.state_id,
            district=r.district_name,
            changes=tuple(FieldChange(label, old, new) for label, old, new in r.changes),
            programs=r.new_programs,
            message=r.message,
        )
        for r in plan.rows
    )


def _write_plan(session: Session, plan: Plan, *, school_year: str, today: dt.date) -> None:
    """Write every planned new district, new school and update, districts first."""
    steps = [p for p in plan.rows if p.action not in ("error", "unchanged") or p.new_programs]
    ids_by_line: dict[int, str] = {}
    with _holding_organizations(session, steps) as held:
        for kind in ("district", "school"):
            # One flush per kind rather than one per row (each check would flush first). The
            # plan has already refused two rows with one state id; the checks that read the
            # profile see every district, flushed before the schools are written.
            with session.no_autoflush:
                for step in steps:
                    if step.kind != kind or step.action == "unchanged":
                        continue
                    assert step.fields is not None
                    fields = step.fields
                    if step.parent_line is not None:
                        fields = replace(fields, parent_id=ids_by_line[step.parent_line])
                    held.city_of_next = step.city
                    try:
                        org_id = write_organization(session, fields, existing_id=step.existing_id)
                    except RefusedInput as refused:
                        raise RefusedInput(
                            f"Row {step.line} ({step.name}): {refused} Nothing was imported."
                        ) from None
                    record = held.records.get(org_id)
                    if record is not None and record.city != step.city:
                        record.city = step.city
                    ids_by_line[step.line] = org_id
            session.flush()
    # Every organization is flushed; the plan holds no program twice for one of them.
    with session.no_autoflush:
        for step in steps:
            assigned = ids_by_line.get(step.line) or step.existing_id
            assert assigned is not None
            for code in step.new_programs:
                # The coach sets a Receivership year or a starting stage on the school's page.
                wanted = checked_assignment(AssignmentFields(code, school_year=school_year), today)
                write_assignment(session, assigned, wanted, today=today)


@dataclass
class _Held:
    records: dict[str, Organization]
    city_of_next: str | None = None


@contextmanager
def _holding_organizations(session: Session, steps: list[PlannedRow]) -> Iterator[_Held]:
    """Keep every organization the import touches at hand while it writes.

    The session holds loaded records weakly: without this, checking each school's district
    would load it again. The city is not among OrganizationFields, so it is set on each new
    record as it is added, before its first flush, and logged with its other fields.
    """
    held = _Held({})
    wanted = {s.existing_id for s in steps if s.existing_id}
    wanted |= {s.fields.parent_id for s in steps if s.fields and s.fields.parent_id}
    ids = sorted(i for i in wanted if i)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for record in session.scalars(select(Organization).where(Organization.id.in_(chunk))):
            held.records[record.id] = record

    def added(_session: Session, record: object) -> None:
        if isinstance(record, Organization):
            held.records[record.id] = record
            if record.city is None:
                record.city = held.city_of_next

    event.listen(session, "transient_to_pending", added)
    try:
        yield held
    finally:
        event.remove(session, "transient_to_pending", added)
