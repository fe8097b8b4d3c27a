"""Checks across fields: names, references, binds, rollups and repeat kinds."""

from __future__ import annotations

from collections.abc import Iterator

from coachdesk.core.forms.expressions import references
from coachdesk.core.forms.model import (
    NOT_OBSERVED,
    OBSERVATION_SCALE,
    OBSERVED,
    FieldDef,
    FormDefinition,
)
from coachdesk.core.forms.rules import (
    ACTION_ITEM_BINDS_REQUIRED,
    BIND_TARGETS,
    CLASSROOM_BINDS_REQUIRED,
)

Finding = tuple[int, str, str]  # line, field, sentence


def check_definition(definition: FormDefinition) -> list[Finding]:
    """Every cross-field problem of a built definition, in document order."""
    found: list[Finding] = []
    placed: dict[str, FieldDef | None] = {}
    for field, repeat in definition.walk():
        if field.name in placed:
            found.append((field.line, field.name, "this name is used twice; names must be unique."))
        else:
            placed[field.name] = repeat
    by_name = {f.name: f for f, _r in definition.walk()}
    used_binds: dict[str, str] = {}
    for field, repeat in definition.walk():
        found.extend(_references(field, repeat, placed, by_name))
        found.extend(_columns(field, repeat))
        found.extend(_bind(field, repeat, used_binds))
        found.extend(_rollup(field, repeat))
        found.extend(_evidence(field, repeat, by_name, placed))
        if field.type == "repeat":
            found.extend(_repeat_kind(field))
    return found


def _references(
    field: FieldDef,
    repeat: FieldDef | None,
    placed: dict[str, FieldDef | None],
    by_name: dict[str, FieldDef],
) -> Iterator[Finding]:
    for column in ("relevant", "constraint", "calculation"):
        expression = getattr(field, column)
        if expression is None:
            continue
        line = field.line_of(column)
        for name in sorted(references(expression.tree)):
            if name not in placed:
                yield (
                    line,
                    field.name,
                    f"the {column} expression refers to ${{{name}}}, which is not a field.",
                )
                continue
            home = placed[name]
            if home is not None and home is not repeat:
                yield (
                    line,
                    field.name,
                    f"the {column} expression refers to ${{{name}}}, which is inside the repeat "
                    f"'{home.name}' and can only be used there.",
                )
            elif by_name[name].type in ("note", "group"):
                yield (
                    line,
                    field.name,
                    f"${{{name}}} is a {by_name[name].type} and has no answer.",
                )


def _columns(field: FieldDef, repeat: FieldDef | None) -> Iterator[Finding]:
    if field.constraint is not None and not field.constraint_message:
        yield (
            field.line_of("constraint"),
            field.name,
            "add a constraint_message: the sentence a coach sees when the answer is refused.",
        )
    if field.type in ("note", "group") and field.required:
        yield field.line_of("required"), field.name, f"a {field.type} cannot be required."
    if field.type in ("note", "group", "repeat") and field.calculation is not None:
        yield field.line_of("calculation"), field.name, f"a {field.type} cannot have a calculation."
    if field.type == "note" and field.constraint is not None:
        yield field.line_of("constraint"), field.name, "a note cannot have a constraint."
    if field.is_internal and field.pdf not in (None, "hide"):
        yield (
            field.line_of("pdf"),
            field.name,
            "an internal field is never printed; remove its pdf column or set pdf: hide.",
        )
    if field.pdf == "aggregate" and field.rollup is None and field.kind != "classrooms":
        yield (
            field.line_of("pdf"),
            field.name,
            "pdf: aggregate needs a rollup (or a classrooms repeat).",
        )
    if field.kind is not None and field.type != "repeat":
        yield field.line_of("kind"), field.name, "kind only applies to a repeat."
    if field.privacy == "no-student" and field.type not in ("text", "long_text"):
        yield (
            field.line_of("privacy"),
            field.name,
            "privacy: no-student applies to text fields, which are scanned.",
        )
    if field.calculation is not None and field.required:
        yield (
            field.line_of("required"),
            field.name,
            "a calculated field is filled in by the form; it cannot be required.",
        )


def _bind(field: FieldDef, repeat: FieldDef | None, used: dict[str, str]) -> Iterator[Finding]:
    if field.bind is None:
        return
    target = BIND_TARGETS.get(field.bind)
    if target is None:
        yield (
            field.line_of("bind"),
            field.name,
            f"bind '{field.bind}' is not a column coachdesk knows.",
        )
        return
    if field.bind in used:
        yield (
            field.line_of("bind"),
            field.name,
            f"bind '{field.bind}' is already filled by '{used[field.bind]}'.",
        )
    used[field.bind] = field.name
    if field.type not in target.types:
        yield (
            field.line_of("bind"),
            field.name,
            f"bind '{field.bind}' ({target.meaning}) needs a {' or '.join(target.types)} field, "
            f"not {field.type}.",
        )
    where = "form" if repeat is None else (repeat.kind or "repeat")
    if target.scope != where:
        place = (
            "outside any repeat" if target.scope == "form" else f"inside a {target.scope} repeat"
        )
        yield field.line_of("bind"), field.name, f"bind '{field.bind}' must sit {place}."


def _rollup(field: FieldDef, repeat: FieldDef | None) -> Iterator[Finding]:
    if field.rollup is None:
        return
    if repeat is None:
        yield (
            field.line_of("rollup"),
            field.name,
            "a rollup aggregates a repeat; this field is not in one.",
        )
    names = {c.name for c in field.choices.choices} if field.choices else set()
    if field.rollup == "pct_observed":
        if field.type not in ("select_one", "rating"):
            yield (
                field.line_of("rollup"),
                field.name,
                "pct_observed needs a select_one or rating field.",
            )
        elif field.choices is not None and (
            not {OBSERVED, NOT_OBSERVED} <= names or not names <= set(OBSERVATION_SCALE)
        ):
            yield (
                field.line_of("rollup"),
                field.name,
                "pct_observed needs the choices observed, not_observed and optionally partly "
                "and not_applicable.",
            )
    elif field.rollup == "mean":
        numeric = field.type in ("integer", "decimal")
        scored = field.choices is not None and all(
            c.score is not None for c in field.choices.choices
        )
        if not numeric and not scored:
            yield (
                field.line_of("rollup"),
                field.name,
                "mean needs a number field or choices that all have a score.",
            )
    elif field.type not in ("select_one", "select_multiple", "rating"):
        yield (
            field.line_of("rollup"),
            field.name,
            "count needs a select_one, select_multiple or rating field.",
        )


def _evidence(
    field: FieldDef,
    repeat: FieldDef | None,
    by_name: dict[str, FieldDef],
    placed: dict[str, FieldDef | None],
) -> Iterator[Finding]:
    if field.evidence_for is None:
        return
    target = by_name.get(field.evidence_for)
    if field.type not in ("text", "long_text"):
        yield field.line_of("evidence_for"), field.name, "evidence_for belongs on a text field."
    if target is None:
        yield (
            field.line_of("evidence_for"),
            field.name,
            f"evidence_for names '{field.evidence_for}', which is not a field.",
        )
    elif target.rollup != "pct_observed" or placed.get(target.name) is not repeat:
        yield (
            field.line_of("evidence_for"),
            field.name,
            "evidence_for must name a look-for (pct_observed) in the same repeat.",
        )


def _repeat_kind(field: FieldDef) -> Iterator[Finding]:
    binds = {child.bind for child, _r in _walk_children(field)}
    if field.kind == "action_items":
        missing = [b for b in ACTION_ITEM_BINDS_REQUIRED if b not in binds]
    elif field.kind == "classrooms":
        missing = [b for b in CLASSROOM_BINDS_REQUIRED if b not in binds]
    else:
        return
    if missing:
        yield (
            field.line_of("kind"),
            field.name,
            f"this {field.kind} repeat needs fields bound to {', '.join(missing)}.",
        )


def _walk_children(field: FieldDef) -> Iterator[tuple[FieldDef, FieldDef]]:
    for child in field.children:
        yield child, field
        if child.type == "group":
            yield from _walk_children(child)
