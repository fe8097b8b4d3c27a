"""Turning the text of a form file into a FormDefinition, with every problem found on the way.

The loader is forgiving so that it can report every problem at once: a field with a bad column
is still built (without that column) and the next field is read. `parse_form` returns the
definition (None only when the file cannot be read at all) and the list of problems; shipped
forms must have none, stored definitions of old responses are rendered even with some.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from coachdesk.core.forms import expressions as ex
from coachdesk.core.forms.checks import check_definition
from coachdesk.core.forms.model import (
    CHOICE_TYPES,
    FIELD_TYPES,
    PRIVACY_ALIASES,
    PRIVACY_LEVELS,
    REPEAT_KINDS,
    ROLLUPS,
    VISIT_TYPES,
    Choice,
    ChoiceList,
    Expression,
    FieldDef,
    FormDefinition,
    FormProblem,
)
from coachdesk.core.forms.rules import student_identifier_in
from coachdesk.core.forms.yaml_source import LocatedDict, YamlProblem, canonical_hash, read_yaml

PROGRAM_CODES = ("NY_RCV", "MA_SSOS", "OH_NNPS")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_SECTION = re.compile(r"^section:[a-z][a-z0-9_]*$")
_TOP_KEYS = ("settings", "choices", "fields")
_SETTINGS_KEYS = (
    "form_id",
    "version",
    "title",
    "program",
    "applies_to",
    "description",
    "acknowledgement",
)
_FIELD_KEYS = (
    "type name label hint required required_message relevant constraint constraint_message "
    "calculation read_only choices bind privacy pdf rollup kind evidence_for default fields"
).split()
_MAX_RATING_CHOICES = 10  # one key per rating in the walk capture


@dataclass(frozen=True)
class LoadResult:
    definition: FormDefinition | None
    problems: tuple[FormProblem, ...]


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[FormProblem] = []

    def problem(self, line: int, field: str, message: str) -> None:
        self.problems.append(FormProblem(self.source, line, field, message))

    def repeated_keys(self, mapping: LocatedDict, field: str) -> None:
        for key, line in mapping.repeated_keys:
            self.problem(line, field, f"'{key}' is given twice; keep one.")


def parse_form(text: str, source: str) -> LoadResult:
    """Read and check a form file's text; `source` names the file in problems."""
    reader = _Reader(source)
    try:
        document = read_yaml(text)
    except YamlProblem as exc:
        return LoadResult(None, (FormProblem(source, exc.line, "form", exc.message),))
    if not isinstance(document, LocatedDict):
        reader.problem(1, "form", "a form file must be a mapping with settings, choices, fields.")
        return LoadResult(None, tuple(reader.problems))
    reader.repeated_keys(document, "form")
    for key in document:
        if key not in _TOP_KEYS:
            reader.problem(document.line_of(key), "form", f"unknown section '{key}'.")
    settings = _settings(reader, document)
    if settings is None:
        return LoadResult(None, tuple(reader.problems))
    lists = _choice_lists(reader, document.get("choices"), document)
    raw_fields = document.get("fields")
    if not isinstance(raw_fields, list) or not raw_fields:
        reader.problem(document.line_of("fields"), "fields", "the form has no fields.")
        raw_fields = []
    fields = _fields(reader, raw_fields, lists, parent_privacy=None, in_repeat=False)
    definition = FormDefinition(
        form_id=settings["form_id"],
        version=settings["version"],
        title=settings["title"],
        program=settings["program"],
        applies_to=settings["applies_to"],
        description=settings["description"],
        acknowledgement=settings["acknowledgement"],
        fields=tuple(fields),
        choice_lists=tuple(lists.values()),
        sha256=canonical_hash(document),
        source=source,
        text=text,
    )
    for line, field, message in check_definition(definition):
        reader.problem(line, field, message)
    return LoadResult(definition, tuple(reader.problems))


def _settings(reader: _Reader, document: LocatedDict) -> dict[str, Any] | None:
    raw = document.get("settings")
    if not isinstance(raw, LocatedDict):
        reader.problem(document.line_of("settings"), "settings", "the settings section is missing.")
        return None
    reader.repeated_keys(raw, "settings")
    for key in raw:
        if key not in _SETTINGS_KEYS:
            reader.problem(raw.line_of(key), "settings", f"unknown setting '{key}'.")
    form_id = raw.get("form_id")
    if not isinstance(form_id, str) or not _NAME.match(form_id):
        reader.problem(
            raw.line_of("form_id"),
            "form_id",
            "form_id must be lower-case letters, digits and underscores, starting with a letter.",
        )
        return None
    version = raw.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        reader.problem(raw.line_of("version"), "version", "version must be a whole number from 1.")
        return None
    title = raw.get("title")
    if not isinstance(title, str) or not title.strip():
        reader.problem(raw.line_of("title"), "title", "the form needs a title.")
        title = form_id
    program = raw.get("program")
    if program not in PROGRAM_CODES:
        reader.problem(
            raw.line_of("program"), "program", f"program must be one of {', '.join(PROGRAM_CODES)}."
        )
        program = str(program)
    applies = raw.get("applies_to")
    if isinstance(applies, str):
        applies = [applies]
    if not isinstance(applies, list) or not applies:
        reader.problem(
            raw.line_of("applies_to"), "applies_to", "applies_to must list at least one visit type."
        )
        applies = []
    for value in applies:
        if value not in VISIT_TYPES:
            reader.problem(
                raw.line_of("applies_to"),
                "applies_to",
                f"'{value}' is not a visit type; use {', '.join(VISIT_TYPES)}.",
            )
    description = raw.get("description") or ""
    acknowledgement = raw.get("acknowledgement", False)
    if not isinstance(acknowledgement, bool):
        reader.problem(
            raw.line_of("acknowledgement"),
            "acknowledgement",
            "acknowledgement is true (the summary prints a block the school signs) or false.",
        )
        acknowledgement = False
    return {
        "form_id": form_id,
        "version": version,
        "title": str(title),
        "program": program,
        "applies_to": tuple(str(v) for v in applies if v in VISIT_TYPES),
        "description": str(description),
        "acknowledgement": acknowledgement,
    }


def _choice_lists(reader: _Reader, raw: Any, document: LocatedDict) -> dict[str, ChoiceList]:
    lists: dict[str, ChoiceList] = {}
    if raw is None:
        return lists
    if not isinstance(raw, LocatedDict):
        reader.problem(
            document.line_of("choices"), "choices", "choices must map list names to lists."
        )
        return lists
    reader.repeated_keys(raw, "choices")
    for list_name, entries in raw.items():
        line = raw.line_of(list_name)
        if not isinstance(list_name, str) or not _NAME.match(list_name):
            reader.problem(
                line,
                str(list_name),
                "a choice list name must be lower-case letters, digits and underscores.",
            )
            continue
        if not isinstance(entries, list) or not entries:
            reader.problem(line, list_name, "a choice list needs at least one choice.")
            continue
        choices: list[Choice] = []
        seen: set[str] = set()
        for entry in entries:
            choice = _choice(reader, list_name, entry, line)
            if choice is None:
                continue
            if choice.name in seen:
                reader.problem(
                    entry.line_of("name"), list_name, f"choice '{choice.name}' appears twice."
                )
                continue
            seen.add(choice.name)
            choices.append(choice)
        lists[list_name] = ChoiceList(list_name, tuple(choices))
    return lists


def _choice(reader: _Reader, list_name: str, entry: Any, line: int) -> Choice | None:
    if not isinstance(entry, LocatedDict):
        reader.problem(line, list_name, "each choice needs a name and a label.")
        return None
    reader.repeated_keys(entry, list_name)
    name, label, score = entry.get("name"), entry.get("label"), entry.get("score")
    if isinstance(name, bool) or not isinstance(name, str | int):
        reader.problem(
            entry.line_of("name"),
            list_name,
            "a choice name must be text (put yes, no, on or off in quotes).",
        )
        return None
    name = str(name)
    if not re.match(r"^[A-Za-z0-9_-]+$", name):
        reader.problem(
            entry.line_of("name"), list_name, f"choice name '{name}' may not contain spaces."
        )
    if not isinstance(label, str) or not label.strip():
        reader.problem(entry.line_of("label"), list_name, f"choice '{name}' needs a label.")
        label = name
    found = student_identifier_in(name) or student_identifier_in(label, allow_negated=True)
    if found:
        reader.problem(
            entry.line, list_name, f"choice '{name}' looks like a student identifier ('{found}')."
        )
    if score is not None and (isinstance(score, bool) or not isinstance(score, int | float)):
        reader.problem(entry.line_of("score"), list_name, "a choice score must be a number.")
        score = None
    for key in entry:
        if key not in ("name", "label", "score"):
            reader.problem(entry.line_of(key), list_name, f"unknown choice column '{key}'.")
    return Choice(name, label.strip(), float(score) if score is not None else None)


def _fields(
    reader: _Reader,
    raw_fields: list[Any],
    lists: dict[str, ChoiceList],
    *,
    parent_privacy: str | None,
    in_repeat: bool,
) -> list[FieldDef]:
    built = []
    for raw in raw_fields:
        if not isinstance(raw, LocatedDict):
            reader.problem(1, "fields", "each field must be a mapping (type, name, label, ...).")
            continue
        field = _field(reader, raw, lists, parent_privacy=parent_privacy, in_repeat=in_repeat)
        if field is not None:
            built.append(field)
    return built


def _text(raw: LocatedDict, key: str) -> str:
    value = raw.get(key)
    return "" if value is None else str(value).strip()


def _expression(reader: _Reader, raw: LocatedDict, key: str, name: str) -> Expression | None:
    value = raw.get(key)
    if value is None:
        return None
    text = str(value)
    try:
        return Expression(text, ex.parse(text))
    except ex.ExpressionError as exc:
        reader.problem(raw.line_of(key), name, f"the {key} expression does not parse: {exc}.")
        return None


def _field(
    reader: _Reader,
    raw: LocatedDict,
    lists: dict[str, ChoiceList],
    *,
    parent_privacy: str | None,
    in_repeat: bool,
) -> FieldDef | None:
    name = raw.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        shown = "(no name)" if name is None else str(name)
        reader.problem(
            raw.line_of("name"),
            shown,
            "a field name must be lower-case letters, digits and underscores, "
            "starting with a letter.",
        )
        return None
    reader.repeated_keys(raw, name)
    for key in raw:
        if key not in _FIELD_KEYS:
            reader.problem(raw.line_of(key), name, f"unknown column '{key}'.")
    kind = raw.get("type")
    if kind not in FIELD_TYPES:
        reader.problem(
            raw.line_of("type"),
            name,
            f"unknown type '{kind}'; use one of {', '.join(FIELD_TYPES)}.",
        )
        return None
    label = _text(raw, "label")
    if not label:
        reader.problem(raw.line, name, "the field needs a label.")
    found = student_identifier_in(name) or student_identifier_in(label, allow_negated=True)
    if found:
        reader.problem(
            raw.line,
            name,
            f"this looks like a student identifier ('{found}'); coachdesk never records "
            "student names, IDs or dates of birth.",
        )
    choices = None
    if kind in CHOICE_TYPES:
        list_name = raw.get("choices")
        if list_name is None:
            reader.problem(raw.line_of("type"), name, f"a {kind} field needs a choices list.")
        elif list_name not in lists:
            reader.problem(
                raw.line_of("choices"), name, f"the choice list '{list_name}' is not defined."
            )
        else:
            choices = lists[list_name]
            if kind == "rating" and not 2 <= len(choices.choices) <= _MAX_RATING_CHOICES:
                reader.problem(
                    raw.line_of("choices"), name, "a rating needs between 2 and 10 choices."
                )
    elif "choices" in raw:
        reader.problem(raw.line_of("choices"), name, f"a {kind} field does not take choices.")
    privacy = _privacy(reader, raw, name, kind, parent_privacy)
    children: list[FieldDef] = []
    if kind in ("group", "repeat"):
        raw_children = raw.get("fields")
        if not isinstance(raw_children, list) or not raw_children:
            reader.problem(raw.line, name, f"a {kind} needs fields inside it.")
        else:
            if kind == "repeat" and in_repeat:
                reader.problem(raw.line, name, "a repeat cannot sit inside another repeat.")
            children = _fields(
                reader,
                raw_children,
                lists,
                parent_privacy=privacy if privacy == "internal" else parent_privacy,
                in_repeat=in_repeat or kind == "repeat",
            )
    elif "fields" in raw:
        reader.problem(raw.line_of("fields"), name, f"a {kind} field cannot hold other fields.")
    pdf = _choice_of(reader, raw, "pdf", name, ("hide", "aggregate"), allow=_SECTION)
    rollup = _choice_of(reader, raw, "rollup", name, ROLLUPS)
    repeat_kind = _choice_of(reader, raw, "kind", name, REPEAT_KINDS)
    for flag in ("required", "read_only"):
        if flag in raw and not isinstance(raw[flag], bool):
            reader.problem(raw.line_of(flag), name, f"{flag} must be true or false.")
    calculation = _expression(reader, raw, "calculation", name)
    if "constraint_message" in raw and "constraint" not in raw:
        reader.problem(
            raw.line_of("constraint_message"),
            name,
            "constraint_message is given without a constraint.",
        )
    return FieldDef(
        name=name,
        type=kind,
        label=label or name,
        line=raw.line,
        hint=_text(raw, "hint"),
        required=raw.get("required") is True,
        required_message=_text(raw, "required_message"),
        relevant=_expression(reader, raw, "relevant", name),
        constraint=_expression(reader, raw, "constraint", name),
        constraint_message=_text(raw, "constraint_message"),
        calculation=calculation,
        read_only=raw.get("read_only") is True or calculation is not None,
        choices=choices,
        bind=_text(raw, "bind") or None,
        privacy=privacy,
        pdf=pdf,
        rollup=rollup,
        kind=repeat_kind,
        evidence_for=_text(raw, "evidence_for") or None,
        default=_text(raw, "default") or None,
        children=tuple(children),
        column_lines=tuple((str(k), raw.line_of(k)) for k in raw),
    )


def _privacy(
    reader: _Reader, raw: LocatedDict, name: str, kind: str, parent_privacy: str | None
) -> str:
    value = raw.get("privacy")
    if value is None:
        if parent_privacy == "internal":
            return "internal"
        # Free text is where a student's name slips in, so it is scanned unless a form says not.
        return "no-student" if kind in ("text", "long_text") else "none"
    value = PRIVACY_ALIASES.get(str(value), str(value))
    if value not in PRIVACY_LEVELS:
        reader.problem(
            raw.line_of("privacy"), name, f"privacy must be one of {', '.join(PRIVACY_LEVELS)}."
        )
        return "none"
    return value


def _choice_of(
    reader: _Reader,
    raw: LocatedDict,
    key: str,
    name: str,
    allowed: tuple[str, ...],
    *,
    allow: re.Pattern[str] | None = None,
) -> str | None:
    value = raw.get(key)
    if value is None:
        return None
    text = str(value)
    if text in allowed or (allow is not None and allow.match(text)):
        return text
    extra = ", or section:<name>" if allow is not None else ""
    reader.problem(raw.line_of(key), name, f"{key} must be {', '.join(allowed)}{extra}.")
    return None
