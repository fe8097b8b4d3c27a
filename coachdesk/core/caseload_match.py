"""Matching a caseload file's rows to the profile (for caseload_file.py).

Each row becomes one planned step: a new district, a new school, an update of the organization
that has the same state id (or, without one, the same kind, state, name and district), nothing
(unchanged), or a refusal with a sentence. The checks on the fields themselves are
coachdesk.core.organizations'; this module decides which organization a row is and which
district a school belongs to, in the profile or in the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from coachdesk.core.caseload_csv import CaseloadTable, FileRow, city_of, one_line, program_codes
from coachdesk.core.caseload_held import Existing, Snapshot, id_key, state_code
from coachdesk.core.errors import RefusedInput
from coachdesk.core.organizations import (
    STATES,
    OrganizationFields,
    ValidationError,
    check_state_id,
    cleaned,
)

_ID_DIGITS = {rules.digits: state for state, rules in STATES.items()}
# A NY BEDS code's or an MA organization code's last four digits number the school in its
# district; 0000 is the district itself (an OH IRN says nothing of the kind).
_DISTRICT_ENDS_0000 = ("NY", "MA")


# --- the plan -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedRow:
    line: int
    action: str  # the values of caseload_file.RowAction
    name: str
    kind: str | None = None
    state: str | None = None
    state_id: str | None = None
    district_name: str | None = None
    changes: tuple[tuple[str, str | None, str | None], ...] = ()
    new_programs: tuple[str, ...] = ()
    message: str | None = None
    fields: OrganizationFields | None = None  # what is written (parent_id may wait on a row)
    city: str | None = None
    existing_id: str | None = None
    parent_line: int | None = None  # a school's district is a new district on this line


@dataclass(frozen=True)
class Plan:
    table: CaseloadTable
    state: str | None
    rows: tuple[PlannedRow, ...] = field(default=())
    snapshot: Snapshot | None = None  # what the profile held when the rows were planned


class _Refused(Exception):
    """A row is refused; the message is its sentence."""


@dataclass
class _Draft:
    """A row on its way through the checks."""

    row: FileRow
    name: str
    state: str | None
    kind: str | None
    state_id: str | None = None
    refusal: str | None = None


def plan_rows(
    table: CaseloadTable, snapshot: Snapshot, *, state: str | None, school_year: str
) -> Plan:
    """What each row of the file would do to the profile described by `snapshot`."""
    drafts = [_draft(row, snapshot, state) for row in table.rows]
    referenced = _referenced_districts(drafts)
    for draft in drafts:
        if draft.refusal is None and draft.kind is None:
            draft.kind = _guess_kind(
                draft, snapshot, referenced, has_district_column="district" in table.columns
            )
        if draft.refusal is None:
            try:
                draft.state_id = _state_id(draft)
            except ValidationError as refused:
                draft.refusal = str(refused)
    districts_in_file = _file_districts(drafts)
    planned: list[PlannedRow] = []
    seen: dict[tuple[str | None, str], int] = {}
    matched: dict[str, int] = {}  # an organization held -> the row it was matched to
    for draft in drafts:
        if draft.refusal is not None:
            planned.append(_refusal(draft, draft.refusal))
            continue
        key = (draft.state, draft.state_id) if draft.state_id else None
        if key is not None and key in seen:
            planned.append(
                _refusal(draft, f"This row repeats row {seen[key]} (the same state id).")
            )
            continue
        try:
            step = _plan_one(draft, snapshot, districts_in_file, planned, school_year)
        except (_Refused, RefusedInput) as refused:
            planned.append(_refusal(draft, str(refused)))
            continue
        if step.existing_id in matched:
            planned.append(
                _refusal(
                    draft, f"This row is {step.name} again, as on row {matched[step.existing_id]}."
                )
            )
            continue
        if key is not None:
            seen[key] = draft.row.line
        if step.existing_id:
            matched[step.existing_id] = draft.row.line
        planned.append(step)
    # A school whose new district was refused cannot be written either.
    refused_lines = {p.line for p in planned if p.action == "error"}
    planned = [
        _refusal_of(p, f"Its district, on row {p.parent_line}, was refused.")
        if p.parent_line in refused_lines
        else p
        for p in planned
    ]
    return Plan(table, state, tuple(planned), snapshot)


def _draft(row: FileRow, snapshot: Snapshot, given_state: str | None) -> _Draft:
    values = row.values
    name = one_line(values.get("name", ""))
    draft = _Draft(row, name, None, None)
    if row.problem:
        draft.refusal = row.problem
        return draft
    if not name:
        draft.refusal = "This row has no name; every district and school needs one."
        return draft
    if "state" in values:
        draft.state = state_code(values["state"])
        if draft.state is None:
            draft.refusal = (
                f"“{values['state']}” is not a state coachdesk serves; write NY, MA or OH."
            )
            return draft
    else:
        draft.state = given_state or _state_from_id(values.get("state_id"), snapshot)
    if "kind" in values:
        draft.kind = _kind(values["kind"])
        if draft.kind is None:
            draft.refusal = (
                f"The kind “{values['kind']}” is neither district nor school; write one of them."
            )
    return draft


def _state_from_id(text: str | None, snapshot: Snapshot) -> str | None:
    """A state told by the id: an organization already holding it, else its length."""
    key = id_key(text)
    if not key:
        return None
    held = {o.state for o in snapshot.with_state_id(None, key)}
    if len(held) == 1:
        return held.pop()
    return _ID_DIGITS.get(len(key)) if key.isdigit() else None


def _kind(text: str) -> str | None:
    folded = text.casefold()
    if "district" in folded or folded in ("lea", "d"):
        return "district"
    if any(word in folded for word in ("school", "building", "academy", "charter")):
        return "school"
    return "school" if folded == "s" else None


def _referenced_districts(drafts: list[_Draft]) -> set[str]:
    found: set[str] = set()
    for d in drafts:
        for cell in d.row.districts:
            found.add(id_key(cell))
            found.add(cell.casefold())
    return found


def _guess_kind(
    draft: _Draft, snapshot: Snapshot, referenced: set[str], *, has_district_column: bool
) -> str:
    """District or school when the file does not say.

    The organization already holding the state id says; a row naming another organization as
    its district is a school; a row naming itself (some exports fill a district's own row so),
    or named by others as their district, is a district, and so is a NY or MA id ending 0000
    (the district's own number); a row with a grade span is a school; in a file with a
    district column, a row with none is a district; anything else is a school.
    """
    key = id_key(draft.row.values.get("state_id"))
    held = {o.kind for o in snapshot.with_state_id(draft.state, key)} if key else set()
    if len(held) == 1:
        return held.pop()
    own = {draft.name.casefold()} | ({key} if key else set())
    others = [c for c in draft.row.districts if c.casefold() not in own and id_key(c) not in own]
    if others:
        return "school"
    if draft.row.districts or (key and key in referenced) or draft.name.casefold() in referenced:
        return "district"
    state = draft.state or _ID_DIGITS.get(len(key))
    if state in _DISTRICT_ENDS_0000 and len(key) == STATES[state].digits and key.endswith("0000"):
        return "district"
    if draft.row.values.get("grades"):
        return "school"
    return "district" if has_district_column else "school"


def _state_id(draft: _Draft) -> str | None:
    text = draft.row.values.get("state_id")
    if not text:
        return None
    if draft.state is None:
        return id_key(text)  # checked once the state is known (from its district)
    assert draft.kind is not None
    return check_state_id(draft.state, draft.kind, text)


def _file_districts(drafts: list[_Draft]) -> dict[str, list[_Draft]]:
    found: dict[str, list[_Draft]] = {}
    for d in drafts:
        if d.refusal is None and d.kind == "district":
            if d.state_id:
                found.setdefault(d.state_id, []).append(d)
            found.setdefault(d.name.casefold(), []).append(d)
    return found


def _refusal(draft: _Draft, message: str) -> PlannedRow:
    return PlannedRow(
        draft.row.line,
        "error",
        draft.name or "(no name)",
        kind=draft.kind,
        state=draft.state,
        state_id=draft.row.values.get("state_id") or None,
        message=_sentence(message),
    )


def _refusal_of(step: PlannedRow, message: str) -> PlannedRow:
    return PlannedRow(
        step.line,
        "error",
        step.name,
        kind=step.kind,
        state=step.state,
        state_id=step.state_id,
        district_name=step.district_name,
        message=_sentence(message),
    )


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else text + "."


def _plan_one(
    draft: _Draft,
    snapshot: Snapshot,
    districts_in_file: dict[str, list[_Draft]],
    planned: list[PlannedRow],
    school_year: str,
) -> PlannedRow:
    values = draft.row.values
    kind = draft.kind
    assert kind is not None
    parent: Existing | None = None
    parent_line: int | None = None
    parent_name: str | None = None
    if kind == "school":
        parent, parent_line, parent_name, parent_state = _district_of(
            draft, snapshot, districts_in_file
        )
        if draft.state is None:
            draft.state = parent_state
            if draft.state_id:
                draft.state_id = check_state_id(draft.state or "", kind, draft.state_id)
    if draft.state is None and snapshot.only_state is not None:
        draft.state = snapshot.only_state  # a coach whose caseload is all in one state
        if draft.state_id:
            draft.state_id = check_state_id(draft.state, kind, draft.state_id)
    if draft.state is None:
        raise _Refused(
            "This row does not say which state it is in; add a State column, or choose "
            "the state of the whole file when importing."
        )
    state = draft.state
    existing = _existing(draft, snapshot, parent, new_parent=parent_line is not None)
    if existing is not None and existing.kind != kind:
        raise _Refused(
            f"The {STATES[state].id_label} is that of {existing.name}, which is a {existing.kind} "
            f"in your caseload, not a {kind}."
        )
    if existing is not None and not draft.row.districts:
        # The file names no district: the school stays in the one it is in.
        parent = snapshot.by_id.get(existing.parent_id or "")
        parent_line, parent_name = None, parent.name if parent else None
    city = city_of(values.get("city"))
    base = existing.fields() if existing else OrganizationFields(kind, draft.name, state)
    given = {
        "name": draft.name,
        "state_id": draft.state_id,
        "grade_span": one_line(values.get("grades", "")),
        "address": values.get("address", ""),
        "tz": one_line(values.get("tz", "")),
    }
    wanted = replace(base, **{k: v for k, v in given.items() if v})
    if parent is not None:
        wanted = replace(wanted, parent_id=parent.id)
    elif parent_line is not None:
        wanted = replace(wanted, parent_id=None)
    stored = cleaned(wanted)  # the first problem with the row's fields refuses it
    new_programs = program_codes(values.get("program", ""), state, draft.name)
    held = snapshot.programs.get(existing.id, ()) if existing else ()
    new_programs = tuple(code for code in new_programs if code not in held)
    common = {
        "name": stored.name,
        "kind": kind,
        "state": state,
        "state_id": stored.state_id,
        "district_name": parent_name,
        "new_programs": new_programs,
        "fields": stored,
        "city": city if city is not None else (existing.city if existing else None),
        "existing_id": existing.id if existing else None,
        "parent_line": parent_line,
    }
    if existing is None:
        for step in planned:
            if step.action == "error" or step.state != state:
                continue
            if stored.state_id and step.state_id == stored.state_id:
                raise _Refused(f"This row repeats row {step.line} (the same state id).")
            if (
                not stored.state_id
                and step.kind == kind
                and step.name.casefold() == stored.name.casefold()
                and (step.fields and step.fields.parent_id, step.parent_line)
                == (stored.parent_id, parent_line)
            ):
                raise _Refused(f"This row repeats row {step.line} (the same name and district).")
        action = "new district" if kind == "district" else "new school"
        return PlannedRow(draft.row.line, action, **common)  # type: ignore[arg-type]
    changes = _changes(
        existing, stored, city, snapshot, parent_name, parent_line, held, new_programs
    )
    action = "update" if changes else "unchanged"
    return PlannedRow(draft.row.line, action, changes=changes, **common)  # type: ignore[arg-type]


def _district_of(
    draft: _Draft, snapshot: Snapshot, districts_in_file: dict[str, list[_Draft]]
) -> tuple[Existing | None, int | None, str | None, str | None]:
    """A school's district: (in the profile, or its row in the file, its name, its state)."""
    cells = list(draft.row.districts)
    named = bool(cells)
    if not named:
        derived = _district_id_from(draft)
        if derived is None:
            return None, None, None, draft.state
        cells = [derived]
    for cell in cells:
        in_file = [
            d
            for d in districts_in_file.get(id_key(cell), [])
            + districts_in_file.get(cell.casefold(), [])
            if draft.state is None or d.state is None or d.state == draft.state
        ]
        lines = {d.row.line: d for d in in_file}
        if len(lines) == 1:
            d = next(iter(lines.values()))
            held = _held(d, snapshot)
            if held is not None:
                return held, None, held.name, held.state
            return None, d.row.line, d.name, d.state
        if len(lines) > 1:
            raise _Refused(
                f"The district “{cell}” is on rows {', '.join(map(str, sorted(lines)))}"
                "; give the district's state id instead."
            )
        key = id_key(cell)
        matches = [o for o in snapshot.with_state_id(draft.state, key) if key]
        if not matches:
            states = [draft.state] if draft.state else list(STATES)
            matches = [o for s in states for o in snapshot.districts_named(s, cell)]
        matches = [o for o in matches if o.kind == "district"] or matches
        if len(matches) == 1:
            if matches[0].kind != "district":
                raise _Refused(f"“{cell}” is a school, not a district; name the school's district.")
            return matches[0], None, matches[0].name, matches[0].state
        if len(matches) > 1:
            listed = "; ".join(
                f"{o.name} ({o.state} {o.state_id or 'no state id'})" for o in matches
            )
            raise _Refused(
                f"Several districts are called “{cell}”: {listed}; "
                "give the district's state id instead."
            )
    if not named:
        return None, None, None, draft.state  # no district of that number: none is set
    raise _Refused(
        f"The district “{cells[0]}” is neither in your caseload nor in this file; "
        "add a row for the district, or add the district first."
    )


def _held(draft: _Draft, snapshot: Snapshot) -> Existing | None:
    """The profile's record for a district row of the file, if it has one already."""
    return _existing(draft, snapshot, None)


def _district_id_from(draft: _Draft) -> str | None:
    """A NY or MA school's district's state id, told by its own, when the file names none.

    A NY BEDS code shares its first 8 digits with its district's, an MA organization code its
    first 4, and the district's ends 0000.
    """
    key = id_key(draft.row.values.get("state_id"))
    state = draft.state or _ID_DIGITS.get(len(key))
    if state not in _DISTRICT_ENDS_0000 or not key.isdigit():
        return None
    digits = STATES[state].digits
    if len(key) != digits or key.endswith("0000"):
        return None
    return key[: digits - 4] + "0000"


def _existing(
    draft: _Draft, snapshot: Snapshot, parent: Existing | None, *, new_parent: bool = False
) -> Existing | None:
    """The organization a row is: the one with its state id, else the one of its kind, state
    and name (in the district the row names, when it names one)."""
    if draft.state_id:
        found = snapshot.with_state_id(draft.state, draft.state_id)
        return found[0] if found else None
    if draft.state is None or draft.kind is None or new_parent:
        return None  # a school of a district new in this file is new too
    same = [
        o
        for o in snapshot.named(draft.kind, draft.state, draft.name)
        if draft.kind == "district" or parent is None or o.parent_id == parent.id
    ]
    return same[0] if len(same) == 1 else None


def _changes(
    existing: Existing,
    stored: OrganizationFields,
    city: str | None,
    snapshot: Snapshot,
    parent_name: str | None,
    parent_line: int | None,
    held: tuple[str, ...],
    new_programs: tuple[str, ...],
) -> tuple[tuple[str, str | None, str | None], ...]:
    found: list[tuple[str, str | None, str | None]] = []
    for label, old, new in (
        ("name", existing.name, stored.name),
        ("state id", existing.state_id, stored.state_id),
        ("grades", existing.grade_span, stored.grade_span),
        ("address", existing.address, stored.address),
        ("time zone", existing.tz, stored.tz),
    ):
        if old != new:
            found.append((label, old, new))
    if city is not None and city != existing.city:
        found.append(("city", existing.city, city))
    if existing.parent_id != stored.parent_id or parent_line is not None:
        old_parent = snapshot.by_id.get(existing.parent_id or "")
        found.append(("district", old_parent.name if old_parent else None, parent_name))
    if new_programs:
        found.append(("programs", "; ".join(held) or None, "; ".join(held + new_programs)))
    return tuple(found)
