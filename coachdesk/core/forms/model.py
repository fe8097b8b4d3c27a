"""The frozen shape of a loaded form definition, and the vocabulary its files may use."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from coachdesk.core.forms.expressions import Node

# Field types, in XLSForm's words where XLSForm has one.
INPUT_TYPES = (
    "text",
    "long_text",
    "integer",
    "decimal",
    "date",
    "time",
    "select_one",
    "select_multiple",
    "rating",
    "note",
)
CONTAINER_TYPES = ("group", "repeat")
FIELD_TYPES = INPUT_TYPES + CONTAINER_TYPES
CHOICE_TYPES = ("select_one", "select_multiple", "rating")

# The visit types a form may apply to (DOMAIN.md section 2, Visit.type).
VISIT_TYPES = ("onsite", "virtual", "check_in", "pm_meeting", "learning_walk", "ta_session")

PRIVACY_LEVELS = ("none", "adult", "internal", "no-student")
# The spellings DOMAIN.md uses are accepted and mean the same.
PRIVACY_ALIASES = {"adult_pii": "adult", "forbid_student": "no-student", "no_student": "no-student"}
ROLLUPS = ("pct_observed", "count", "mean")
REPEAT_KINDS = ("action_items", "classrooms")

# The rating scale of a learning-walk look-for (choice names a pct_observed rollup relies on).
OBSERVED = "observed"
PARTLY = "partly"
NOT_OBSERVED = "not_observed"
NOT_APPLICABLE = "not_applicable"
OBSERVATION_SCALE = (OBSERVED, PARTLY, NOT_OBSERVED, NOT_APPLICABLE)

ACTION_STATUSES = ("open", "done", "dropped")


@dataclass(frozen=True)
class Expression:
    """An expression as written in the file and as parsed."""

    text: str
    tree: Node


@dataclass(frozen=True)
class Choice:
    name: str
    label: str
    score: float | None = None  # used by a `mean` rollup over a rating


@dataclass(frozen=True)
class ChoiceList:
    name: str
    choices: tuple[Choice, ...]

    def label_of(self, name: str) -> str:
        """The label of a choice, or the name itself for a value no longer in the list."""
        for choice in self.choices:
            if choice.name == name:
                return choice.label
        return name


@dataclass(frozen=True)
class FieldDef:
    """One row of the form: an input, a note, a group or a repeat."""

    name: str
    type: str
    label: str
    line: int
    hint: str = ""
    required: bool = False
    required_message: str = ""
    relevant: Expression | None = None
    constraint: Expression | None = None
    constraint_message: str = ""
    calculation: Expression | None = None
    read_only: bool = False
    choices: ChoiceList | None = None
    bind: str | None = None
    privacy: str = "none"
    pdf: str | None = None
    rollup: str | None = None
    kind: str | None = None  # repeats: action_items | classrooms
    evidence_for: str | None = None  # a text field holding the evidence for a look-for
    default: str | None = None
    children: tuple[FieldDef, ...] = ()
    column_lines: tuple[tuple[str, int], ...] = ()  # where each column is written, for errors

    def line_of(self, column: str) -> int:
        """The line a column of this field is written on (the field's first line if absent)."""
        return dict(self.column_lines).get(column, self.line)

    @property
    def is_container(self) -> bool:
        return self.type in CONTAINER_TYPES

    @property
    def is_input(self) -> bool:
        """True for a field that holds an answer (not a note, group or repeat)."""
        return self.type in INPUT_TYPES and self.type != "note"

    @property
    def is_internal(self) -> bool:
        return self.privacy == "internal"


@dataclass(frozen=True)
class FormDefinition:
    """A form version as loaded: settings, fields, choice lists and the content hash."""

    form_id: str
    version: int
    title: str
    program: str
    applies_to: tuple[str, ...]
    fields: tuple[FieldDef, ...]
    choice_lists: tuple[ChoiceList, ...]
    sha256: str
    source: str
    text: str = field(repr=False, default="")
    description: str = ""
    # `acknowledgement: true` in the settings: the printed summary ends with a block the school
    # signs ("Received by" name, role, date and a signature line).
    acknowledgement: bool = False

    @property
    def key(self) -> str:
        """form_id@version, as the lock file names it."""
        return f"{self.form_id}@{self.version}"

    def walk(self) -> Iterator[tuple[FieldDef, FieldDef | None]]:
        """Every field in document order with the repeat that holds it (None at the top)."""
        yield from _walk(self.fields, None)

    def field(self, name: str) -> FieldDef:
        """A field by name; KeyError if the form has none."""
        for found, _repeat in self.walk():
            if found.name == name:
                return found
        raise KeyError(name)

    def repeats(self, kind: str | None = None) -> tuple[FieldDef, ...]:
        """The repeats of the form, optionally only those of one kind."""
        return tuple(
            f for f, _r in self.walk() if f.type == "repeat" and (kind is None or f.kind == kind)
        )


def _walk(
    fields: tuple[FieldDef, ...], repeat: FieldDef | None
) -> Iterator[tuple[FieldDef, FieldDef | None]]:
    for item in fields:
        yield item, repeat
        if item.type == "group":
            yield from _walk(item.children, repeat)
        elif item.type == "repeat":
            yield from _walk(item.children, item)


def inputs_of(fields: tuple[FieldDef, ...]) -> Iterator[FieldDef]:
    """The answer-holding fields of one level, looking through groups but not into repeats."""
    for item in fields:
        if item.type == "group":
            yield from inputs_of(item.children)
        elif item.is_input or item.type == "repeat":
            yield item


@dataclass(frozen=True)
class FormProblem:
    """One error in a form file, printed as `file:line: field: sentence`."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"
