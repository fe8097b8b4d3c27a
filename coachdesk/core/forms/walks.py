"""Learning-walk tallies and the other repeat rollups (pure functions over a response).

Share observed follows the walkthrough convention: observed counts 1, partly is reported
separately (not as half), not applicable is left out of the denominator. Classrooms are known
only by their visit number, so nothing here can be broken out by teacher.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from coachdesk.core.forms.evaluation import as_number, is_empty
from coachdesk.core.forms.model import (
    NOT_APPLICABLE,
    NOT_OBSERVED,
    OBSERVED,
    PARTLY,
    FieldDef,
    FormDefinition,
)


@dataclass(frozen=True)
class LookForTally:
    """How one look-for was seen across a set of classrooms."""

    name: str
    label: str
    observed: int = 0
    partly: int = 0
    not_observed: int = 0
    not_applicable: int = 0

    @property
    def seen(self) -> int:
        """Classrooms where the look-for applied (rated, not N/A)."""
        return self.observed + self.partly + self.not_observed

    @property
    def share_observed(self) -> float | None:
        return self.observed / self.seen if self.seen else None

    @property
    def share_partly(self) -> float | None:
        return self.partly / self.seen if self.seen else None

    def add(self, rating: str) -> LookForTally:
        """This tally with one more rating counted (unknown or empty ratings are ignored)."""
        counts = {
            OBSERVED: "observed",
            PARTLY: "partly",
            NOT_OBSERVED: "not_observed",
            NOT_APPLICABLE: "not_applicable",
        }
        attribute = counts.get(rating)
        if attribute is None:
            return self
        values = {k: getattr(self, k) for k in counts.values()}
        values[attribute] += 1
        return LookForTally(self.name, self.label, **values)


@dataclass(frozen=True)
class WalkSummary:
    """Per look-for tallies: overall, by grade band and by content area."""

    classrooms: int
    overall: tuple[LookForTally, ...]
    by_grade_band: dict[str, tuple[LookForTally, ...]]
    by_content_area: dict[str, tuple[LookForTally, ...]]


def look_fors(definition: FormDefinition, repeat: FieldDef) -> tuple[FieldDef, ...]:
    """The look-for fields (pct_observed rollups) of a classrooms repeat, in order."""
    return tuple(f for f in _children(repeat) if f.rollup == "pct_observed")


def _children(repeat: FieldDef) -> list[FieldDef]:
    found = []
    for child in repeat.children:
        found.extend(_children(child) if child.type == "group" else [child])
    return found


def _bound(repeat: FieldDef, target: str) -> FieldDef | None:
    return next((f for f in _children(repeat) if f.bind == target), None)


def summarize_walk(
    definition: FormDefinition, response: Mapping[str, Any], repeat_name: str | None = None
) -> WalkSummary:
    """Tally the look-fors of a learning walk's classrooms repeat (the first one by default)."""
    repeats = [
        r for r in definition.repeats("classrooms") if repeat_name is None or r.name == repeat_name
    ]
    if not repeats:
        raise KeyError(f"{definition.key} has no classrooms repeat")
    repeat = repeats[0]
    fields = look_fors(definition, repeat)
    grade_field = _bound(repeat, "classroom.grade_band")
    area_field = _bound(repeat, "classroom.content_area")
    rows = [r for r in response.get(repeat.name) or [] if isinstance(r, Mapping)]

    def empty() -> list[LookForTally]:
        return [LookForTally(f.name, f.label) for f in fields]

    overall = empty()
    by_grade: dict[str, list[LookForTally]] = {}
    by_area: dict[str, list[LookForTally]] = {}
    for row in rows:
        groups = [overall]
        if grade_field is not None and not is_empty(row.get(grade_field.name)):
            label = _label(grade_field, row[grade_field.name])
            groups.append(by_grade.setdefault(label, empty()))
        if area_field is not None and not is_empty(row.get(area_field.name)):
            label = _label(area_field, row[area_field.name])
            groups.append(by_area.setdefault(label, empty()))
        for index, field in enumerate(fields):
            rating = row.get(field.name)
            if not isinstance(rating, str):
                continue
            for tallies in groups:
                tallies[index] = tallies[index].add(rating)
    return WalkSummary(
        classrooms=len(rows),
        overall=tuple(overall),
        by_grade_band={k: tuple(v) for k, v in sorted(by_grade.items())},
        by_content_area={k: tuple(v) for k, v in sorted(by_area.items())},
    )


def _label(field: FieldDef, value: Any) -> str:
    return field.choices.label_of(str(value)) if field.choices else str(value)


@dataclass(frozen=True)
class Rollup:
    """The aggregate of one rolled-up field over its repeat's rows."""

    field: str
    label: str
    kind: str  # pct_observed | count | mean
    rows: int  # rows that answered
    counts: dict[str, int]  # choice label -> rows (count and pct_observed)
    value: float | None  # share observed or mean; None for count or with no answers


def rollups(definition: FormDefinition, response: Mapping[str, Any]) -> tuple[Rollup, ...]:
    """Every field with a rollup column, aggregated over its repeat's rows."""
    results = []
    for field, repeat in definition.walk():
        if field.rollup is None or repeat is None:
            continue
        rows = [r for r in response.get(repeat.name) or [] if isinstance(r, Mapping)]
        answers = [r.get(field.name) for r in rows if not is_empty(r.get(field.name))]
        results.append(_rollup(field, answers))
    return tuple(results)


def _rollup(field: FieldDef, answers: list[Any]) -> Rollup:
    counts: dict[str, int] = {}
    for answer in answers:
        for choice in answer if isinstance(answer, list) else [answer]:
            label = _label(field, choice)
            counts[label] = counts.get(label, 0) + 1
    value: float | None = None
    if field.rollup == "pct_observed":
        tally = LookForTally(field.name, field.label)
        for answer in answers:
            tally = tally.add(str(answer))
        value = tally.share_observed
    elif field.rollup == "mean":
        scores = [_score(field, a) for a in answers]
        numbers = [n for n in scores if n is not None]
        value = sum(numbers) / len(numbers) if numbers else None
    return Rollup(field.name, field.label, field.rollup or "", len(answers), counts, value)


def _score(field: FieldDef, answer: Any) -> float | None:
    if field.choices is not None:
        for choice in field.choices.choices:
            if choice.name == str(answer):
                return choice.score
        return None
    number = as_number(answer)
    return None if number != number else number  # NaN is not a score
