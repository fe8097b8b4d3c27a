"""Every broken fixture is reported as `file:line: field: sentence`, naming the real cause."""

from __future__ import annotations

from pathlib import Path

import pytest

from coachdesk.core.forms import parse_form

BROKEN = Path(__file__).resolve().parents[2] / "fixtures" / "forms" / "broken"


def problems_of(name: str) -> list[str]:
    path = BROKEN / name
    result = parse_form(path.read_text(encoding="utf-8"), str(path))
    return [str(p) for p in result.problems]


@pytest.mark.parametrize(
    "fixture, line, field, words",
    [
        ("duplicate_name.yaml", 13, "notes", "used twice"),
        ("unknown_type.yaml", 13, "story", "unknown type 'paragraph'"),
        ("undefined_choices.yaml", 12, "mood", "choice list 'moods' is not defined"),
        ("bad_expression.yaml", 16, "why_not", "relevant expression does not parse"),
        ("unknown_reference.yaml", 15, "why_not", "${meeting_held}, which is not a field"),
        ("bad_bind.yaml", 12, "visit_day", "needs a date field, not text"),
        ("bad_bind.yaml", 13, "next_visit", "'visit.next_date' is not a column"),
        ("student_identifier.yaml", 12, "sasid", "looks like a student identifier"),
        ("student_identifier.yaml", 13, "reader", "looks like a student identifier"),
        ("invalid_yaml.yaml", 13, "form", "not valid YAML"),
        ("action_items_incomplete.yaml", 15, "next_steps", "bound to action_items.due"),
        ("internal_printed.yaml", 12, "coach_notes", "never printed"),
        ("constraint_no_message.yaml", 12, "minutes", "add a constraint_message"),
        ("constraint_no_message.yaml", 13, "people", "ends too early"),
        ("typo_column.yaml", 12, "notes", "unknown column 'requried'"),
    ],
)
def test_each_error_names_file_line_field_and_cause(fixture, line, field, words):
    expected_prefix = f"{BROKEN / fixture}:{line}: {field}: "
    matching = [p for p in problems_of(fixture) if p.startswith(expected_prefix) and words in p]
    assert matching, problems_of(fixture)


def test_a_label_that_warns_against_student_names_is_not_an_identifier():
    found = problems_of("student_identifier.yaml")
    assert not any(": notes:" in p for p in found)
    assert len(found) == 2


def test_every_broken_fixture_has_a_problem():
    for path in BROKEN.glob("*.yaml"):
        assert problems_of(path.name), path.name


def test_a_duplicate_yaml_key_in_a_field_is_reported():
    text = (BROKEN / "typo_column.yaml").read_text().replace("requried: true}", "label: Again}")
    problems = [str(p) for p in parse_form(text, "f.yaml").problems]
    assert any("'label' is given twice" in p for p in problems)


def test_references_into_another_repeat_are_refused():
    text = """
settings: {form_id: cross, version: 1, title: T, program: MA_SSOS, applies_to: [onsite]}
fields:
  - type: repeat
    name: rooms
    label: Room
    fields:
      - {type: integer, name: minutes, label: Minutes}
  - {type: text, name: summary, label: Summary, relevant: "${minutes} > 5"}
"""
    problems = [str(p) for p in parse_form(text, "f.yaml").problems]
    assert any("inside the repeat 'rooms'" in p for p in problems), problems


def test_rollup_needs_an_observation_scale():
    text = """
settings: {form_id: scale, version: 1, title: T, program: MA_SSOS, applies_to: [learning_walk]}
choices:
  stars: [{name: one, label: One}, {name: two, label: Two}]
fields:
  - type: repeat
    name: rooms
    label: Room
    fields:
      - {type: rating, name: lf, label: Look-for, choices: stars, rollup: pct_observed}
"""
    problems = [str(p) for p in parse_form(text, "f.yaml").problems]
    assert any("pct_observed needs the choices observed, not_observed" in p for p in problems)
