"""The fields of a district or school and their checks: pure functions, no profile.

coachdesk.core.organizations writes them; the CSV import (coachdesk/core/caseload_file.py)
checks every row with them before anything is written. coachdesk.core.organizations offers
the same names, so callers import them from there.
"""

from __future__ import annotations

import re
import unicodedata
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any, NamedTuple

from coachdesk.core.errors import RefusedInput
from coachdesk.core.validation import NAME_LIMIT, clean_text

ADDRESS_LIMIT = 500
KINDS = ("district", "school")


class ValidationError(RefusedInput):
    """A district's or school's field was refused; the sentence says what to fix."""


class StateRules(NamedTuple):
    """How a state writes its organization ids, and the time zone its schools default to."""

    id_label: str  # "NY BEDS code"
    article: str  # "A" or "An", as read aloud before id_label
    digits: int
    tz: str


STATES: dict[str, StateRules] = {
    "NY": StateRules("NY BEDS code", "A", 12, "America/New_York"),
    "MA": StateRules("MA organization code", "An", 8, "America/New_York"),
    "OH": StateRules("OH IRN", "An", 6, "America/New_York"),
}

# A grade: PK, K or 1 to 12; a span is one grade or two joined by a dash ("K-5", "9-12").
_GRADE = r"(PK|TK|K|1[0-2]|[1-9])"
_GRADE_SPAN = re.compile(rf"^{_GRADE}(?:\s*[-‐‑‒–—]\s*{_GRADE})?$", re.IGNORECASE)
_GRADE_ORDER = {"PK": -2, "TK": -1, "K": 0} | {str(n): n for n in range(1, 13)}
TYPED_SEPARATORS = re.compile(r"[\s\-‐‑‒–—]+")


@dataclass(frozen=True)
class OrganizationFields:
    """What a coach gives for a district or a school; `tz` None means the state's default."""

    kind: str  # district | school
    name: str
    state: str  # NY | MA | OH
    state_id: str | None = None
    parent_id: str | None = None  # a school's district
    grade_span: str | None = None
    address: str | None = None
    tz: str | None = None


def state_rules(state: str | None) -> StateRules:
    """The rules of a state coachdesk serves; ValidationError for any other."""
    code = (state or "").strip().upper()
    if code not in STATES:
        shown = (state or "").strip()
        raise ValidationError(
            f"“{shown}” is not a state coachdesk serves; choose NY, MA or OH."
            if shown
            else "Choose the state: NY, MA or OH."
        )
    return STATES[code]


def check_state_id(state: str, kind: str, text: str | None) -> str | None:
    """The state id written as the state keeps it (digits only), or None when none is given.

    Spaces and dashes a coach types are tolerated and dropped. A wrong one raises
    ValidationError: "A NY BEDS code is 12 digits; “12345” has 5." The format is the same for
    districts and schools in all three states; `kind` names the organization in the sentence.
    """
    rules = state_rules(state)
    typed = unicodedata.normalize("NFC", text or "").strip()
    if not typed:
        return None
    digits = TYPED_SEPARATORS.sub("", typed)
    shown = typed if len(typed) <= 40 else typed[:40] + "…"
    if not digits.isascii() or not digits.isdigit():
        raise ValidationError(
            f"{rules.article} {rules.id_label} is {rules.digits} digits; “{shown}” has "
            f"characters other than digits. Check the {kind}'s {rules.id_label}."
        )
    if len(digits) != rules.digits:
        raise ValidationError(
            f"{rules.article} {rules.id_label} is {rules.digits} digits; “{shown}” has "
            f"{len(digits)}."
        )
    return digits


def check_name(kind: str, text: str | None) -> str:
    """A trimmed name in any script (NFC), at most 200 characters."""
    what = f"The {kind}'s name" if kind in KINDS else "The name"
    if text is not None and any(unicodedata.category(ch) == "Cs" for ch in text):
        raise ValidationError(f"{what} holds characters that are not text; retype it.")
    try:
        name = clean_text(text, what=what, limit=NAME_LIMIT, required=True)
    except RefusedInput as refused:
        raise ValidationError(str(refused)) from None
    assert name is not None
    return name


def check_grade_span(text: str | None) -> str | None:
    """A grade span written the usual way ("K-5", "6-8", "9-12", "PK-8"), or None."""
    typed = (text or "").strip()
    if not typed:
        return None
    match = _GRADE_SPAN.match(typed)
    low, high = (match.group(1).upper(), (match.group(2) or "").upper()) if match else ("", "")
    if not match or (high and _GRADE_ORDER[low] > _GRADE_ORDER[high]):
        shown = typed if len(typed) <= 20 else typed[:20] + "…"
        raise ValidationError(
            f"“{shown}” is not a grade span; write the lowest and highest grade, like K-5, "
            "6-8, 9-12 or PK-8."
        )
    return f"{low}-{high}" if high and high != low else low


def check_address(text: str | None) -> str | None:
    """A postal address of up to 500 characters (lines allowed), or None."""
    try:
        return clean_text(text, what="The address", limit=ADDRESS_LIMIT, multiline=True)
    except RefusedInput as refused:
        raise ValidationError(str(refused)) from None


@cache
def _time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def check_tz(state: str, text: str | None) -> str:
    """A time zone name known to zoneinfo; None or "" give the state's default."""
    typed = (text or "").strip()
    if not typed:
        return state_rules(state).tz
    if typed not in _time_zones():
        shown = typed if len(typed) <= 64 else typed[:64] + "…"
        raise ValidationError(
            f"“{shown}” is not a time zone; use a name such as America/New_York or America/Chicago."
        )
    return typed


def check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise ValidationError(f"“{kind}” is neither a district nor a school.")
    return kind


def cleaned(
    fields: OrganizationFields, *, unchanged: frozenset[str] = frozenset()
) -> OrganizationFields:
    """The fields as they are stored (trimmed, normalized, tz filled in); the first problem
    raises ValidationError. Checks nothing that needs the profile (see write_organization).

    Fields named in `unchanged` are an existing record's stored values and pass as they are
    (a value an older version or a colleague's laptop wrote does not block other edits).
    """
    kind = check_kind(fields.kind)
    state = fields.state.strip().upper() if fields.state else ""
    state_rules(state)
    if kind == "district" and fields.parent_id:
        raise ValidationError("A district belongs to no other district; leave the parent empty.")

    def check(name: str, checker: Callable[[], Any]) -> Any:
        return getattr(fields, name) if name in unchanged else checker()

    return OrganizationFields(
        kind=kind,
        name=check("name", lambda: check_name(kind, fields.name)),
        state=state,
        state_id=check("state_id", lambda: check_state_id(state, kind, fields.state_id)),
        parent_id=fields.parent_id or None,
        grade_span=check("grade_span", lambda: check_grade_span(fields.grade_span)),
        address=check("address", lambda: check_address(fields.address)),
        tz=check("tz", lambda: check_tz(state, fields.tz)),
    )


def problems(fields: OrganizationFields) -> list[str]:
    """Every sentence refusing these fields (empty when they can be written).

    Checks what needs no profile; `write_organization` also checks the parent district and
    that no other organization holds the state id.
    """
    found: list[str] = []
    try:
        kind = check_kind(fields.kind)
    except ValidationError as refused:
        return [str(refused)]
    state = fields.state.strip().upper() if fields.state else ""
    checks = [
        lambda: check_name(kind, fields.name),
        lambda: state_rules(state),
        lambda: check_grade_span(fields.grade_span),
        lambda: check_address(fields.address),
    ]
    if state in STATES:
        checks += [
            lambda: check_state_id(state, kind, fields.state_id),
            lambda: check_tz(state, fields.tz),
        ]
    if kind == "district" and fields.parent_id:
        found.append("A district belongs to no other district; leave the parent empty.")
    for check in checks:
        try:
            check()
        except ValidationError as refused:
            found.append(str(refused))
    return found
