"""What of a visit's form answers may print, and where: the rules of the `pdf` column.

`printed_answers(definition, response, on=day)` sorts the answers a principal may see into the
summary's sections; see coachdesk/reports/visit_source.py for the rules in full. A field marked
`pdf: hide` or `privacy: internal`, and everything inside it, never prints; a classrooms repeat
prints only as look-for aggregates.

Privacy is enforced here whatever the form checked (DOMAIN.md section 6):
- A repeat of results (the MA progress-monitoring form's benchmark rows) prints as a table. In a
  row about fewer students than the program's threshold (10 by default; the larger of the
  rules' `small_cell_threshold` and the program's `min_n`), the count, the result and its status
  print as "n<10", with complementary suppression (core/tracking_rules/suppression.py) among
  the groups of one benchmark when its "All students" row is shown. A row whose count is not
  given prints no result either ("no n").
- A learning walk of fewer classrooms than `min_walk_classrooms` (3 by default), or a look-for
  rated in fewer, prints no share observed or partly, and says why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from coachdesk.core import forms
from coachdesk.core.dates_text import clock_time
from coachdesk.core.programs import program as program_named
from coachdesk.core.tracking_rules import must_suppress, shipped_rules, suppress_rows
from coachdesk.reports.pdf_layout import short_date
from coachdesk.reports.summary_data import (
    LearningWalkFindings,
    LookForRow,
    NarrativeSection,
    PrintedTable,
)

SECTION = "section:"
# Fields bound here fill the learning-walk findings rather than a section of their own.
WALK_BINDS = ("focus_of_inquiry", "patterns", "wonderings", "strengths")
SHORT_TYPES = (
    "text",
    "integer",
    "decimal",
    "date",
    "time",
    "select_one",
    "select_multiple",
    "rating",
)


# --- form answers by placement ----------------------------------------------------------------


@dataclass(frozen=True)
class PrintedAnswers:
    """The answers of a form that may print, sorted into the summary's sections."""

    purpose: tuple[NarrativeSection, ...] = ()
    what_we_did: tuple[NarrativeSection, ...] = ()
    observations: tuple[NarrativeSection, ...] = ()
    strengths: tuple[str, ...] = ()
    agreements: tuple[str, ...] = ()
    learning_walk: LearningWalkFindings | None = None


@dataclass(frozen=True)
class PrintLimits:
    """The privacy minimums print applies: students per result, classrooms per walk share."""

    small_cell_threshold: int
    min_walk_classrooms: int


def print_limits(program_code: str | None) -> PrintLimits:
    """The minimums for a program's notes, from the rules config and the program."""
    common = shipped_rules().common
    threshold = common.small_cell_threshold
    try:
        threshold = max(threshold, program_named(program_code).min_n) if program_code else threshold
    except KeyError:
        pass  # a form for a program this release does not know: the common minimum
    return PrintLimits(threshold, common.min_walk_classrooms)


def printed_answers(
    definition: forms.FormDefinition,
    response: Mapping[str, Any],
    *,
    on: dt.date,
    limits: PrintLimits | None = None,
) -> PrintedAnswers:
    """What of a response may print, by each field's placement (rules: visit_source.py).

    `on` is the visit's date, against which relevance expressions such as today() are read;
    `limits` default to those of the form's program.
    """
    limits = limits or print_limits(definition.program)
    shown = forms.shown_answers(definition, response, today=on)
    placed = _place(definition, shown, limits)
    return PrintedAnswers(
        purpose=tuple(placed.purpose),
        what_we_did=tuple(placed.what_we_did),
        observations=tuple(placed.observations),
        strengths=tuple(placed.strengths),
        agreements=tuple(placed.agreements),
        learning_walk=_learning_walk(definition, shown, placed, limits),
    )


@dataclass
class _Placed:
    purpose: list[NarrativeSection] = field(default_factory=list)
    what_we_did: list[NarrativeSection] = field(default_factory=list)
    observations: list[NarrativeSection] = field(default_factory=list)
    strengths: list[str] = field(default_factory=list)
    agreements: list[str] = field(default_factory=list)
    walk: dict[str, str] = field(default_factory=dict)  # learning_walk.<bind> -> text


def withheld(item: forms.FieldDef) -> bool:
    """True for a field that never prints, nor anything inside it."""
    return item.is_internal or item.pdf == "hide"


def _section_of(item: forms.FieldDef) -> str | None:
    return item.pdf[len(SECTION) :] if item.pdf and item.pdf.startswith(SECTION) else None


def _placements(
    fields: tuple[forms.FieldDef, ...], inherited: str | None = None
) -> Iterator[tuple[forms.FieldDef, str]]:
    """(field, section) for every printable field at the top of the form, in form order.

    A group with a placement prints as one item; a group without one is looked through.
    """
    for item in fields:
        if withheld(item) or item.type == "note":
            continue
        section = _section_of(item) or inherited
        if item.type == "group" and _section_of(item) is None:
            yield from _placements(item.children, section)
        elif item.type == "repeat" and item.kind in ("action_items", "classrooms"):
            continue  # next steps come from their records; classrooms only as aggregates
        elif section is not None:
            yield item, section


def _place(
    definition: forms.FormDefinition, shown: Mapping[str, Any], limits: PrintLimits
) -> _Placed:
    placed = _Placed()
    for item, section in _placements(definition.fields):
        table = (
            repeat_table(item, shown.get(item.name) or [], limits.small_cell_threshold)
            if item.type == "repeat"
            else None
        )
        text = table_text(table) if table is not None else _item_text(item, shown)
        if not text:
            continue
        walk_bind = _walk_bind(item)
        if walk_bind in WALK_BINDS:
            placed.walk[walk_bind] = text
            continue
        # Short answers (a choice, a number, a line of text) read best on one line.
        entry = NarrativeSection(item.label, text, inline=item.type in SHORT_TYPES, table=table)
        if section == "purpose":
            placed.purpose.append(entry)
        elif section in ("what_we_did", "upcoming"):
            placed.what_we_did.append(entry)
        elif section == "agreements":
            placed.agreements.extend(_paragraphs(text))
        elif section != "next_steps":
            placed.observations.append(entry)
    # A walk's strengths are the observations' strengths; the rest go to the walk findings.
    placed.strengths.extend(_paragraphs(placed.walk.pop("strengths", "")))
    return placed


def _walk_bind(item: forms.FieldDef) -> str | None:
    if item.bind and item.bind.startswith("learning_walk."):
        return item.bind.split(".", 1)[1]
    return None


def _item_text(item: forms.FieldDef, shown: Mapping[str, Any]) -> str:
    """What one placed field prints: its answer or a group's lines (a repeat is a table)."""
    if item.type == "group":
        lines = [
            f"{child.label}: {value}"
            for child in printable_inputs(item.children)
            if (value := _answer_text(child, shown.get(child.name)))
        ]
        return "\n".join(lines)
    return _answer_text(item, shown.get(item.name))


# --- a repeat as a table, small cells suppressed ------------------------------------------------

RESULTS = "benchmark_results."
NO_N = "no n"
COUNT_HEADING = "Students"


def _is_count(child: forms.FieldDef) -> bool:
    """The column that says how many students a row's result is about."""
    if child.bind == RESULTS + "n":
        return True
    label = child.label.lower()
    return child.type == "integer" and "student" in label and "famil" not in label


def _is_measured(child: forms.FieldDef) -> bool:
    """A column that reports something about the row's students: a number, a result, a status."""
    name = child.name.lower()
    return (
        _is_count(child)
        or child.type in ("integer", "decimal")
        or child.bind == RESULTS + "value"
        or any(word in name for word in ("result", "value", "status"))
    )


def _is_group(child: forms.FieldDef) -> bool:
    if child.bind == RESULTS + "group":
        return True
    return child.choices is not None and any(c.name == "all" for c in child.choices.choices)


def repeat_table(item: forms.FieldDef, rows: list[Any], threshold: int) -> PrintedTable | None:
    """A repeat's printable rows as a table; None when no row has a printable answer.

    When the repeat has a count of students, a row about fewer than `threshold` prints its
    count, result and status as "n<threshold", whatever the form's constraint allowed.
    """
    columns = list(printable_inputs(item.children))
    answers = [r for r in rows if isinstance(r, Mapping)]
    cells = [[_answer_text(c, row.get(c.name)) for c in columns] for row in answers]
    keep = [i for i in range(len(columns)) if any(line[i] for line in cells)]
    lines = [line for line in cells if any(line)]
    if not lines:
        return None
    count = next((i for i, c in enumerate(columns) if _is_count(c)), None)
    note = ""
    if count is not None:
        hidden = _suppressed_rows(columns, answers, count, threshold)
        measured = [i for i, c in enumerate(columns) if _is_measured(c)]
        for index, why in hidden.items():
            for column in measured:
                if cells[index][column] or column == count:
                    cells[index][column] = why
        lines = [line for line in cells if any(line)]
        note = (
            f"A result for fewer than {threshold} students prints as n<{threshold} "
            "(small-cell suppression); when one group of a benchmark is hidden, the next "
            "smallest is hidden too, so that it cannot be worked out from the others."
        )
        if count not in keep:
            keep = sorted({*keep, count})
    return PrintedTable(
        # The count's heading is one word, so the narrow column does not stack five.
        headings=tuple(COUNT_HEADING if i == count else columns[i].label for i in keep),
        rows=tuple(tuple(line[i] for i in keep) for line in lines),
        note=note,
    )


def _suppressed_rows(
    columns: list[forms.FieldDef], rows: list[Mapping[str, Any]], count: int, threshold: int
) -> dict[int, str]:
    """row index -> what its measured cells print instead ("n<10", or "no n" for no count)."""
    small = f"n<{threshold}"
    name = columns[count].name
    group = next((c.name for c in columns if _is_group(c)), None)
    keys = [c.name for c in columns if not _is_measured(c) and c.name != group]
    numbers: dict[int, int | None] = {i: _whole(row.get(name)) for i, row in enumerate(rows)}
    hidden = {i: NO_N for i, n in numbers.items() if n is None}
    sets: dict[tuple[str, ...], list[int]] = {}
    for i, row in enumerate(rows):
        sets.setdefault(tuple(str(row.get(k) or "") for k in keys), []).append(i)
    for indexes in sets.values():
        totals = [i for i in indexes if group is not None and rows[i].get(group) == "all"]
        for i in totals:
            if must_suppress(numbers[i], threshold):
                hidden[i] = small
        parts = [i for i in indexes if i not in totals and numbers[i] is not None]
        decisions = suppress_rows(
            [(str(i), numbers[i]) for i in parts],
            threshold=threshold,
            total_shown=any(i not in hidden for i in totals),
        )
        for i, decision in zip(parts, decisions, strict=True):
            if decision.suppressed:
                hidden[i] = small
    return hidden


def _whole(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return max(value, 0)
    try:
        number = float(str(value).strip())
    except ValueError:
        return None
    return max(int(number), 0) if number == number else None  # NaN is no count


def table_text(table: PrintedTable | None) -> str:
    """A table's plain-text form: one paragraph a row, "first (Heading: cell; ...)"."""
    if table is None:
        return ""
    rows = []
    for line in table.rows:
        parts = [(h, c) for h, c in zip(table.headings, line, strict=True) if c]
        if parts:
            (_, first), rest = parts[0], parts[1:]
            details = "; ".join(f"{heading}: {cell}" for heading, cell in rest)
            rows.append(f"{first} ({details})" if details else first)
    return "\n\n".join(rows)


def printable_inputs(fields: tuple[forms.FieldDef, ...]) -> Iterator[forms.FieldDef]:
    """The printable answer fields of one level, looking through groups (not repeats)."""
    for item in fields:
        if withheld(item):
            continue
        if item.type == "group":
            yield from printable_inputs(item.children)
        elif item.is_input:
            yield item


def _answer_text(item: forms.FieldDef, value: Any) -> str:
    """An answer as a principal reads it: labels for choices, dates written out."""
    if value is None or value == "" or value == []:
        return ""
    if item.choices is not None:
        names = value if isinstance(value, list) else [value]
        return "; ".join(item.choices.label_of(str(name)) for name in names)
    if item.type == "date" and isinstance(value, str):
        try:
            return short_date(dt.date.fromisoformat(value))
        except ValueError:
            return value
    if item.type == "time" and isinstance(value, str):
        try:
            return clock_time(dt.time.fromisoformat(value))  # "9:30 AM", as the form was filled
        except ValueError:
            return value
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value).strip()


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n\n") if p.strip()]


# --- learning walk --------------------------------------------------------------------------------


def _learning_walk(
    definition: forms.FormDefinition,
    shown: Mapping[str, Any],
    placed: _Placed,
    limits: PrintLimits,
) -> LearningWalkFindings | None:
    """Look-for aggregates of a walk's classrooms; never a classroom row, and no share of
    fewer classrooms than the minimum (one classroom's 100% is a rating of one teacher).

    A walk of fewer classrooms says why in `shares_withheld`; in a longer walk, a look-for rated
    in fewer classrooms (the others not applicable) has no shares (None), and prints as "—".
    """
    repeats = [r for r in definition.repeats("classrooms") if not hidden_in(definition, r)]
    if not repeats and not placed.walk:
        return None
    rows: tuple[LookForRow, ...] = ()
    visited = 0
    withheld_why = ""
    if repeats:
        summary = forms.summarize_walk(definition, shown, repeats[0].name)
        visited = summary.classrooms
        least = limits.min_walk_classrooms
        printable = {
            child.name
            for child in printable_inputs(repeats[0].children)
            if child.rollup == "pct_observed"
        }
        tallies = [t for t in summary.overall if t.name in printable]
        if summary.classrooms:
            rows = tuple(
                LookForRow(
                    look_for=tally.label,
                    classrooms_seen=tally.seen,
                    pct_observed=_percent(tally.share_observed) if tally.seen >= least else None,
                    pct_partly=_percent(tally.share_partly) if tally.seen >= least else None,
                )
                for tally in tallies
            )
        if rows and summary.classrooms < least:
            withheld_why = (
                f"Shares by look-for are not printed for fewer than {least} classrooms: "
                f"this walk visited {_classrooms(summary.classrooms)}, and a share of so few "
                "would describe one teacher's lesson."
            )
    return LearningWalkFindings(
        focus_of_inquiry=placed.walk.get("focus_of_inquiry", ""),
        look_fors=rows,
        patterns=tuple(_paragraphs(placed.walk.get("patterns", ""))),
        wonderings=tuple(_paragraphs(placed.walk.get("wonderings", ""))),
        classrooms_visited=visited,
        shares_withheld=withheld_why,
    )


def _classrooms(count: int) -> str:
    return "1 classroom" if count == 1 else f"{count} classrooms"


def hidden_in(definition: forms.FormDefinition, target: forms.FieldDef) -> bool:
    """True when the field, or a group around it, is withheld from print."""

    def search(fields: tuple[forms.FieldDef, ...], hidden: bool) -> bool | None:
        for item in fields:
            here = hidden or withheld(item)
            if item is target:
                return here
            if item.is_container:
                found = search(item.children, here)
                if found is not None:
                    return found
        return None

    return bool(search(definition.fields, False))


def _percent(share: float | None) -> float | None:
    return None if share is None else share * 100
