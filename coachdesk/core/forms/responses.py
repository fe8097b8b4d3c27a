"""Answers against a form: relevance, constraints, required fields and calculations.

A response is a plain dict: `{field_name: answer}` for fields outside repeats (groups do not nest
answers) and `{repeat_name: [{child_name: answer}, ...]}` for repeats. Answers are text (text,
long_text, select_one, rating, date as YYYY-MM-DD, time as HH:MM), int (integer), float
(decimal) or a list of choice names (select_multiple). A field path names one answer:
`purpose_codes` or `classroom[2].lf_discourse` (rows count from 0).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from coachdesk.core.forms import evaluation as ex
from coachdesk.core.forms.model import FieldDef, FormDefinition

REQUIRED_MESSAGE = "This needs an answer before the note can be finalized."
_PATH = re.compile(r"^([a-z][a-z0-9_]*)(?:\[(\d+)\]\.([a-z][a-z0-9_]*))?$")


@dataclass(frozen=True)
class FieldInstance:
    """One field as it appears in a response: in a repeat row or not, shown or hidden."""

    path: str
    field: FieldDef
    relevant: bool
    row: int | None = None  # 0-based row for fields inside a repeat


@dataclass(frozen=True)
class AnswerProblem:
    """An answer that stops a note being finalized: missing (required) or refused (constraint)."""

    path: str
    label: str
    kind: str  # required | constraint
    message: str


def row_path(repeat: str, row: int, child: str) -> str:
    """The path of a field inside a repeat row."""
    return f"{repeat}[{row}].{child}"


def split_path(path: str) -> tuple[str, int | None, str | None]:
    """("classroom", 2, "lf_discourse") for "classroom[2].lf_discourse"; ValueError otherwise."""
    match = _PATH.match(path)
    if match is None:
        raise ValueError(f"not a field path: {path!r}")
    repeat, row, child = match.groups()
    return repeat, (int(row) if row is not None else None), child


def answer_at(response: Mapping[str, Any], path: str) -> Any:
    """The answer a path names, or None."""
    name, row, child = split_path(path)
    if row is None:
        return response.get(name)
    rows = response.get(name)
    if not isinstance(rows, list) or row >= len(rows) or not isinstance(rows[row], Mapping):
        return None
    return rows[row].get(child or "")


def _rows(response: Mapping[str, Any], name: str) -> list[Mapping[str, Any]]:
    rows = response.get(name)
    return [r for r in rows if isinstance(r, Mapping)] if isinstance(rows, list) else []


def instances(
    definition: FormDefinition, response: Mapping[str, Any], *, today: dt.date | None = None
) -> list[FieldInstance]:
    """Every field instance in document order, with its relevance (hidden parents hide)."""
    return list(_instances(definition.fields, response, None, None, True, today))


def _instances(
    fields: tuple[FieldDef, ...],
    response: Mapping[str, Any],
    repeat: str | None,
    row: int | None,
    shown: bool,
    today: dt.date | None,
) -> Iterator[FieldInstance]:
    row_answers = _rows(response, repeat)[row] if repeat is not None and row is not None else None
    for field in fields:
        path = field.name if repeat is None or row is None else row_path(repeat, row, field.name)
        relevant = shown and _relevant(field, response, row_answers, row, today)
        yield FieldInstance(path, field, relevant, row)
        if field.type == "group":
            yield from _instances(field.children, response, repeat, row, relevant, today)
        elif field.type == "repeat":
            for index in range(len(_rows(response, field.name))):
                yield from _instances(field.children, response, field.name, index, relevant, today)


def _scope(
    response: Mapping[str, Any],
    row_answers: Mapping[str, Any] | None,
    row: int | None,
    current: Any,
    today: dt.date | None,
) -> ex.Scope:
    position = row + 1 if row is not None else 0
    return ex.scope_for(response, row=row_answers, position=position, current=current, today=today)


def _relevant(
    field: FieldDef,
    response: Mapping[str, Any],
    row_answers: Mapping[str, Any] | None,
    row: int | None,
    today: dt.date | None,
) -> bool:
    if field.relevant is None:
        return True
    scope = _scope(response, row_answers, row, None, today)
    return ex.truthy(ex.evaluate(field.relevant.tree, scope))


def relevance(
    definition: FormDefinition, response: Mapping[str, Any], *, today: dt.date | None = None
) -> dict[str, bool]:
    """Path -> shown, for every field instance (the renderer hides the False ones)."""
    return {i.path: i.relevant for i in instances(definition, response, today=today)}


def is_relevant(
    definition: FormDefinition,
    response: Mapping[str, Any],
    path: str,
    *,
    today: dt.date | None = None,
) -> bool:
    """Whether the field a path names is shown, given the other answers."""
    return relevance(definition, response, today=today).get(path, False)


def constraint_problem(
    definition: FormDefinition,
    response: Mapping[str, Any],
    path: str,
    *,
    today: dt.date | None = None,
) -> str | None:
    """The constraint message if the answer at path is refused, else None (empty is not refused)."""
    name, row, child = split_path(path)
    field = definition.field(child or name)
    value = answer_at(response, path)
    if field.constraint is None or ex.is_empty(value):
        return None
    row_answers = _rows(response, name)[row] if row is not None else None
    scope = _scope(response, row_answers, row, value, today)
    if ex.truthy(ex.evaluate(field.constraint.tree, scope)):
        return None
    return field.constraint_message


def check_response(
    definition: FormDefinition,
    response: Mapping[str, Any],
    *,
    today: dt.date | None = None,
    require: bool = True,
) -> list[AnswerProblem]:
    """Refused answers and (with require) missing required ones, among shown fields only."""
    problems = []
    for instance in instances(definition, response, today=today):
        field = instance.field
        if not instance.relevant:
            continue
        if field.type == "repeat":
            if require and field.required and not _rows(response, field.name):
                message = field.required_message or f"Add at least one {field.label.lower()}."
                problems.append(AnswerProblem(instance.path, field.label, "required", message))
            continue
        if not field.is_input:
            continue
        value = answer_at(response, instance.path)
        if require and field.required and ex.is_empty(value):
            message = field.required_message or REQUIRED_MESSAGE
            problems.append(AnswerProblem(instance.path, field.label, "required", message))
            continue
        refusal = constraint_problem(definition, response, instance.path, today=today)
        if refusal is not None:
            problems.append(AnswerProblem(instance.path, field.label, "constraint", refusal))
    return problems


def missing_required(
    definition: FormDefinition, response: Mapping[str, Any], *, today: dt.date | None = None
) -> list[str]:
    """The paths of shown required fields still unanswered."""
    return [
        p.path for p in check_response(definition, response, today=today) if p.kind == "required"
    ]


def apply_calculations(
    definition: FormDefinition, response: Mapping[str, Any], *, today: dt.date | None = None
) -> dict[str, Any]:
    """A copy of the response with every calculated field filled in (e.g. classroom numbers)."""
    result: dict[str, Any] = {
        k: ([dict(r) for r in v] if isinstance(v, list) and k in _repeat_names(definition) else v)
        for k, v in response.items()
    }
    for field, repeat in definition.walk():
        if field.calculation is None:
            continue
        if repeat is None:
            scope = _scope(result, None, None, result.get(field.name), today)
            result[field.name] = _typed(field, ex.evaluate(field.calculation.tree, scope))
            continue
        for index, row in enumerate(result.get(repeat.name) or []):
            scope = _scope(result, row, index, row.get(field.name), today)
            row[field.name] = _typed(field, ex.evaluate(field.calculation.tree, scope))
    return result


def _repeat_names(definition: FormDefinition) -> set[str]:
    return {f.name for f in definition.repeats()}


def _typed(field: FieldDef, value: Any) -> Any:
    if field.type in ("integer", "decimal"):
        number = ex.as_number(value)
        if math.isnan(number) or math.isinf(number):
            return None
        return int(number) if field.type == "integer" else float(number)
    if isinstance(value, bool):
        return "true" if value else ""
    return ex.as_text(value)


def shown_answers(
    definition: FormDefinition, response: Mapping[str, Any], *, today: dt.date | None = None
) -> dict[str, Any]:
    """Only the answers of fields that are shown: what a summary or PDF should print."""
    shown = relevance(definition, response, today=today)
    result: dict[str, Any] = {}
    for field, repeat in definition.walk():
        if repeat is not None or not shown.get(field.name):
            continue
        if field.type == "repeat":
            rows = []
            for index, row in enumerate(_rows(response, field.name)):
                rows.append(
                    {k: v for k, v in row.items() if shown.get(row_path(field.name, index, k))}
                )
            result[field.name] = rows
        elif field.is_input and field.name in response:
            result[field.name] = response[field.name]
    return result
