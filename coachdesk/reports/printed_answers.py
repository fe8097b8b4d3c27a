"""What of a visit's form answers may print, and where: the rules of the `pdf` column.

`printed_answers(definition, response, on=day)` sorts the answers a principal may see into the
summary's sections; see coachdesk/reports/visit_source.py for the rules in full. A field marked
`pdf: hide` or `privacy: internal`, and everything inside it, never prints; a classrooms repeat
prints only as look-for aggregates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from coachdesk.core import forms
from coachdesk.core.dates_text import clock_time
from coachdesk.reports.pdf_layout import short_date
from coachdesk.reports.summary_data import LearningWalkFindings, LookForRow, NarrativeSection

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


def printed_answers(
    definition: forms.FormDefinition, response: Mapping[str, Any], *, on: dt.date
) -> PrintedAnswers:
    """What of a response may print, by each field's placement (rules: visit_source.py).

    `on` is the visit's date, against which relevance expressions such as today() are read.
    """
    shown = forms.shown_answers(definition, response, today=on)
    placed = _place(definition, shown)
    return PrintedAnswers(
        purpose=tuple(placed.purpose),
        what_we_did=tuple(placed.what_we_did),
        observations=tuple(placed.observations),
        strengths=tuple(placed.strengths),
        agreements=tuple(placed.agreements),
        learning_walk=_learning_walk(definition, shown, placed),
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


def _place(definition: forms.FormDefinition, shown: Mapping[str, Any]) -> _Placed:
    placed = _Placed()
    for item, section in _placements(definition.fields):
        text = _item_text(item, shown)
        if not text:
            continue
        walk_bind = _walk_bind(item)
        if walk_bind in WALK_BINDS:
            placed.walk[walk_bind] = text
            continue
        # Short answers (a choice, a number, a line of text) read best on one line.
        entry = NarrativeSection(item.label, text, inline=item.type in SHORT_TYPES)
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
    """What one placed field prints: its answer, a group's lines, or a repeat's rows."""
    if item.type == "group":
        lines = [
            f"{child.label}: {value}"
            for child in printable_inputs(item.children)
            if (value := _answer_text(child, shown.get(child.name)))
        ]
        return "\n".join(lines)
    if item.type == "repeat":
        rows = []
        for row in shown.get(item.name) or []:
            if not isinstance(row, Mapping):
                continue
            parts = [
                (child, value)
                for child in printable_inputs(item.children)
                if (value := _answer_text(child, row.get(child.name)))
            ]
            if parts:
                (_, first), rest = parts[0], parts[1:]
                details = "; ".join(f"{child.label}: {value}" for child, value in rest)
                rows.append(f"{first} ({details})" if details else first)
        return "\n\n".join(rows)
    return _answer_text(item, shown.get(item.name))


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
    definition: forms.FormDefinition, shown: Mapping[str, Any], placed: _Placed
) -> LearningWalkFindings | None:
    """Look-for aggregates of a walk's classrooms; never a classroom row."""
    repeats = [r for r in definition.repeats("classrooms") if not hidden_in(definition, r)]
    if not repeats and not placed.walk:
        return None
    rows: tuple[LookForRow, ...] = ()
    if repeats:
        summary = forms.summarize_walk(definition, shown, repeats[0].name)
        printable = {
            child.name
            for child in printable_inputs(repeats[0].children)
            if child.rollup == "pct_observed"
        }
        if summary.classrooms:
            rows = tuple(
                LookForRow(
                    look_for=tally.label,
                    classrooms_seen=tally.seen,
                    pct_observed=_percent(tally.share_observed),
                    pct_partly=_percent(tally.share_partly),
                )
                for tally in summary.overall
                if tally.name in printable
            )
    return LearningWalkFindings(
        focus_of_inquiry=placed.walk.get("focus_of_inquiry", ""),
        look_fors=rows,
        patterns=tuple(_paragraphs(placed.walk.get("patterns", ""))),
        wonderings=tuple(_paragraphs(placed.walk.get("wonderings", ""))),
    )


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
