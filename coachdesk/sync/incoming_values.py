"""Every imported value checked against its record type and field, beyond its column's type.

The payload reader (coachdesk/sync/payload.py) checks each change's shape and that its value
decodes for its column. `check_incoming` goes further, before anything is merged:

- an answer in a visit note must be an answer its form field can hold (the shapes the form's
  inputs save: coachdesk/core/forms/answer_values.py), its field one of its form's fields, its
  id the one its visit and field give, and its privacy the one the form gives that field;
- a field with a fixed set of values (a visit's status or type, a next step's status, ...) must
  hold one of them;
- a visit note form's text must read as a form and have the hash it is stored under.

A record the bundle itself creates is looked up among the incoming changes first (the newest
change of each field), then in the profile. An answer whose visit or form neither holds is
checked only for being readable: it cannot be shown until its form arrives, and export treats
it as internal (coachdesk/core/forms/answer_privacy.py).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coachdesk.core.assignments import ROLES
from coachdesk.core.dates_text import medium_date
from coachdesk.core.forms.answer_privacy import FormRef, FormsOfVisits, answer_id, stored_definition
from coachdesk.core.forms.answer_values import answer_text_problem, top_level_fields
from coachdesk.core.forms.model import (
    ACTION_STATUSES,
    PRIVACY_LEVELS,
    VISIT_TYPES,
    FieldDef,
    FormDefinition,
)
from coachdesk.core.forms.stored import StoredFormError, load_stored_definition
from coachdesk.core.record_types import singular
from coachdesk.core.store.schema import Organization
from coachdesk.core.store.visit_tables import StoredForm, Visit, VisitAnswer
from coachdesk.core.tracking_records.plans import ACTIVITY_STATUSES, ELEMENT_STATUSES
from coachdesk.sync.errors import BundleError
from coachdesk.sync.payload import IncomingChange

_CHUNK = 500  # ids per IN (...) list

# (record type, field) -> (the field in words, the values it may hold)
FIXED_VALUES: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {
    ("visit", "status"): ("status", ("draft", "final", "shared")),
    ("visit", "visit_type"): ("type", VISIT_TYPES),
    ("action_item", "status"): ("status", ACTION_STATUSES),
    ("organization", "kind"): ("kind", ("district", "school")),
    ("assignment", "role"): ("role", ROLES),
    ("assignment", "status"): ("status", ("active", "ended")),
    ("plan_activity", "status"): ("status", ACTIVITY_STATUSES),
    ("element_status", "status"): ("status", ELEMENT_STATUSES),
    ("visit_answer", "privacy"): ("privacy", PRIVACY_LEVELS),
}
_ANSWER = VisitAnswer.record_type
_VISIT = Visit.record_type
_FORM = StoredForm.record_type
# The fields whose newest incoming value places an answer, its visit and its form.
_PLACING = {
    (_ANSWER, "visit_id"),
    (_ANSWER, "field"),
    (_VISIT, "form_id"),
    (_VISIT, "form_version"),
    (_VISIT, "form_sha256"),
    (_VISIT, "starts_at"),
    (_VISIT, "org_id"),
    (_FORM, "form_id"),
    (_FORM, "version"),
    (_FORM, "sha256"),
    (_FORM, "text"),
    (Organization.record_type, "name"),
}
_ANSWER_FIELDS = {"value", "field", "privacy"}


def check_incoming(session: Session, changes: Sequence[IncomingChange]) -> None:
    """Refuse a bundle holding a value its record type and field cannot hold: BundleError
    ("invalid_change") with a sentence naming the record and the field in words.

    Call it inside the import transaction, after decoding and before merging.
    """
    newest: dict[tuple[str, str, str], tuple[str, str]] = {}
    to_check: list[IncomingChange] = []
    for change in changes:
        key = (change.record_type, change.field)
        if key in _PLACING:
            place = (change.record_type, change.record_id, change.field)
            held = newest.get(place)
            if held is None or change.hlc > held[0]:
                newest[place] = (change.hlc, change.value)  # decoded when asked for
        if (
            key in FIXED_VALUES
            or key == (_FORM, "text")
            or (change.record_type == _ANSWER and change.field in _ANSWER_FIELDS)
        ):
            to_check.append(change)
    if not to_check:
        return
    places = _Places(session, newest, to_check)
    for change in to_check:
        _check_one(change, places)


def _check_one(change: IncomingChange, places: _Places) -> None:
    value = json.loads(change.value)
    key = (change.record_type, change.field)
    fixed = FIXED_VALUES.get(key)
    if fixed is not None and value is not None and value not in fixed[1]:
        words, allowed = fixed
        raise BundleError(
            "invalid_change",
            f"{places.record_words(change.record_type, change.record_id)} has the {words} "
            f"“{str(value)[:40]}”, which coachdesk does not know (it may be "
            f"{_or_list(allowed)}).",
        )
    if change.record_type == _ANSWER:
        _check_answer(change, value, places)
    elif key == (_FORM, "text"):
        _check_form_text(change, value, places)


def _check_answer(change: IncomingChange, value: Any, places: _Places) -> None:
    if change.field == "value" and not isinstance(value, str):
        raise BundleError(
            "invalid_change", f"{places.answer_words(change.record_id)} holds no answer text."
        )
    field = places.answer_field(change.record_id)
    if field is None:  # its visit or form is in neither the bundle nor the profile
        if change.field == "value":
            _readable(change, value, places)
        return
    if change.field == "value":
        problem = answer_text_problem(field, value)
        if problem is not None:
            raise BundleError(
                "invalid_change",
                f"{places.answer_words(change.record_id)} is not valid: {problem}.",
            )
    elif change.field == "privacy" and value != field.privacy:
        raise BundleError(
            "invalid_change",
            f"{places.answer_words(change.record_id)} is marked “{value}”, but its form marks "
            f"that field “{field.privacy}”; privacy comes from the form.",
        )


def _readable(change: IncomingChange, value: Any, places: _Places) -> None:
    try:
        json.loads(value)
    except (ValueError, RecursionError):
        raise BundleError(
            "invalid_change",
            f"{places.answer_words(change.record_id)} cannot be read (the text is not JSON).",
        ) from None


def _check_form_text(change: IncomingChange, value: Any, places: _Places) -> None:
    sha256 = places.value(_FORM, change.record_id, "sha256")
    form_id = places.value(_FORM, change.record_id, "form_id") or "a form"
    problem = _form_text_problem(str(value), sha256 if isinstance(sha256, str) else None)
    if problem is not None:
        raise BundleError(
            "invalid_change", f"The visit note form {str(form_id)[:80]} cannot be used: {problem}"
        )


@lru_cache(maxsize=64)
def _form_text_problem(text: str, sha256: str | None) -> str | None:
    """Why a stored form's text cannot be used under this hash (parsed once per text)."""
    try:
        load_stored_definition(text, expected_sha256=sha256)
    except StoredFormError as exc:
        return str(exc)
    return None


def _or_list(items: Iterable[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


class _Places:
    """Where the records the checked changes belong to stand: the bundle's newest values first,
    then the profile's rows (read in a few bulk queries, only for what the bundle lacks)."""

    def __init__(
        self,
        session: Session,
        newest: dict[tuple[str, str, str], tuple[str, str]],
        to_check: list[IncomingChange],
    ) -> None:
        self.session = session
        self.newest = newest
        self.rows: dict[tuple[str, str], dict[str, Any]] = {}
        self._decoded: dict[tuple[str, str, str], Any] = {}
        self._fields: dict[str, dict[str, FieldDef] | None] = {}
        self._answers: dict[str, FieldDef | None] = {}
        answers = {c.record_id for c in to_check if c.record_type == _ANSWER}
        self._load(VisitAnswer, answers, ("visit_id", "field"))
        visits = {self.value(_ANSWER, a, "visit_id") for a in answers}
        visits = {v for v in visits if isinstance(v, str)}
        visits |= {c.record_id for c in to_check if c.record_type == _VISIT}
        self._load(Visit, visits, ("form_id", "form_version", "form_sha256", "starts_at", "org_id"))
        forms = {c.record_id for c in to_check if c.record_type == _FORM}
        self._load(StoredForm, forms, ("form_id", "sha256"))
        self._forms: FormsOfVisits | None = None
        self._incoming_forms: dict[str, FormDefinition | None] | None = None
        self._definitions: dict[str, FormDefinition | None] = {}

    def _load(self, model: Any, ids: set[str], columns: tuple[str, ...]) -> None:
        """The profile's values of these columns for records the bundle does not place."""
        wanted = [
            i for i in ids if any((model.record_type, i, c) not in self.newest for c in columns)
        ]
        table = model.__table__
        for start in range(0, len(wanted), _CHUNK):
            query = select(table.c.id, *(table.c[c] for c in columns)).where(
                table.c.id.in_(wanted[start : start + _CHUNK])
            )
            for row in self.session.execute(query):
                self.rows[(model.record_type, row[0])] = dict(zip(columns, row[1:], strict=True))

    def value(self, record_type: str, record_id: str, field: str) -> Any:
        """The newest value of a field: the bundle's, else the profile's, else None."""
        place = (record_type, record_id, field)
        if place in self._decoded:
            return self._decoded[place]
        held = self.newest.get(place)
        if held is not None:
            self._decoded[place] = json.loads(held[1])
            return self._decoded[place]
        return self.rows.get((record_type, record_id), {}).get(field)

    def answer_field(self, record_id: str) -> FieldDef | None:
        """The form field an answer holds (None if its visit or form cannot be found); raises
        BundleError when the answer's id, visit and field do not agree with its form."""
        if record_id in self._answers:
            return self._answers[record_id]
        visit_id = self.value(_ANSWER, record_id, "visit_id")
        name = self.value(_ANSWER, record_id, "field")
        found = None
        if isinstance(visit_id, str) and isinstance(name, str):
            if record_id != answer_id(visit_id, name):
                raise BundleError(
                    "invalid_change",
                    f"{self.answer_words(record_id)} is stored under an id that belongs to "
                    "another field or visit.",
                )
            fields = self.fields_of(visit_id)
            if fields is not None:
                found = fields.get(name)
                if found is None:
                    raise BundleError(
                        "invalid_change",
                        f"{self.answer_words(record_id)} names “{name[:40]}”, which is not a "
                        "field of its visit's form.",
                    )
        self._answers[record_id] = found
        return found

    def fields_of(self, visit_id: str) -> dict[str, FieldDef] | None:
        """The top-level fields of the form a visit names, by name."""
        if visit_id not in self._fields:
            definition = self.definition_of(visit_id)
            self._fields[visit_id] = (
                top_level_fields(definition) if definition is not None else None
            )
        return self._fields[visit_id]

    def definition_of(self, visit_id: str) -> FormDefinition | None:
        """The form a visit names, from the published forms, the profile or the bundle."""
        if visit_id in self._definitions:
            return self._definitions[visit_id]
        form_id = self.value(_VISIT, visit_id, "form_id")
        version = self.value(_VISIT, visit_id, "form_version")
        sha256 = self.value(_VISIT, visit_id, "form_sha256")
        found = None
        if isinstance(form_id, str) and isinstance(version, int) and isinstance(sha256, str):
            ref: FormRef = (form_id, version, sha256)
            if self._forms is None:
                self._forms = FormsOfVisits(self.session)
            found = self._forms.definition(ref) or self._incoming_form(ref)
        self._definitions[visit_id] = found
        return found

    def _incoming_form(self, ref: FormRef) -> FormDefinition | None:
        if self._incoming_forms is None:
            texts: dict[str, tuple[Any, Any, Any, Any]] = {}
            for (record_type, record_id, _field), _held in self.newest.items():
                if record_type == _FORM and record_id not in texts:
                    texts[record_id] = tuple(
                        self.value(_FORM, record_id, f)
                        for f in ("form_id", "version", "sha256", "text")
                    )
            self._incoming_forms = {}
            for form_id, version, sha256, text in texts.values():
                if isinstance(text, str) and isinstance(sha256, str):
                    self._incoming_forms[f"{form_id}@{version}:{sha256}"] = stored_definition(
                        text, sha256
                    )
        return self._incoming_forms.get(f"{ref[0]}@{ref[1]}:{ref[2]}")

    def visit_words(self, visit_id: str | None) -> str:
        """'the visit of Nov 3, 2026 at Harbor View Elementary', as far as it is known."""
        if not isinstance(visit_id, str):
            return "a visit"
        words = "the visit"
        starts = self.value(_VISIT, visit_id, "starts_at")
        day = _day(starts)
        if day is not None:
            words += f" of {medium_date(day)}"
        school = self._school_name(self.value(_VISIT, visit_id, "org_id"))
        if school:
            words += f" at {school}"
        return words

    def _school_name(self, org_id: Any) -> str | None:
        if not isinstance(org_id, str):
            return None
        name = self.value(Organization.record_type, org_id, "name")
        if name is None:
            school = self.session.get(Organization, org_id)
            name = school.name if school is not None else None
        return name if isinstance(name, str) else None

    def answer_words(self, record_id: str) -> str:
        """'The answer to “Strengths” in the visit of Nov 3, 2026 at Harbor View Elementary'."""
        visit_id = self.value(_ANSWER, record_id, "visit_id")
        field_name = self.value(_ANSWER, record_id, "field")
        label = field_name if isinstance(field_name, str) else None
        definition = self.definition_of(visit_id) if isinstance(visit_id, str) else None
        if definition is not None and label is not None:
            field = top_level_fields(definition).get(label)
            label = field.label if field is not None else label
        what = f"The answer to “{label[:80]}”" if label else "An answer"
        return f"{what} in {self.visit_words(visit_id)}"

    def record_words(self, record_type: str, record_id: str) -> str:
        """'The visit of Nov 3, 2026 at ...', or 'A next step' for other records."""
        if record_type == _VISIT:
            words = self.visit_words(record_id)
            return words[0].upper() + words[1:]
        if record_type == _ANSWER:
            return self.answer_words(record_id)
        noun = singular(record_type)
        article = "An" if noun[0].lower() in "aeiou" else "A"
        return f"{article} {noun}"


def _day(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value).date()
        except ValueError:
            return None
    return None
