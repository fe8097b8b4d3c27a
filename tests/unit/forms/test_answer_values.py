"""An answer is checked against its form field: the shapes the form's inputs save, nothing else."""

from __future__ import annotations

import json

import pytest

from coachdesk.core.forms import parse_form
from coachdesk.core.forms.answer_values import answer_problem, answer_text_problem, top_level_fields

FORM = """
settings:
  {form_id: every_type, version: 1, title: Every type, program: NY_RCV, applies_to: [onsite]}
choices:
  yes_no:
    - {name: "yes", label: "Yes"}
    - {name: "no", label: "No"}
  scale:
    - {name: observed, label: Observed}
    - {name: not_observed, label: Not observed}
fields:
  - {type: text, name: strengths, label: Strengths}
  - {type: long_text, name: story, label: Story}
  - {type: integer, name: people, label: People}
  - {type: decimal, name: hours, label: Hours}
  - {type: date, name: next_visit, label: Next visit}
  - {type: time, name: arrived, label: Arrived}
  - {type: select_one, name: held, label: Held, choices: yes_no}
  - {type: select_multiple, name: topics, label: Topics, choices: yes_no}
  - {type: rating, name: look, label: Look, choices: scale}
  - {type: integer, name: total, label: Total, calculation: "${people} + 1"}
  - type: group
    name: more
    label: More
    fields:
      - {type: text, name: inside_group, label: Inside a group}
  - type: repeat
    name: rooms
    label: Room
    fields:
      - {type: integer, name: minutes, label: Minutes}
      - {type: select_one, name: seen, label: Seen, choices: yes_no}
"""


@pytest.fixture(scope="module")
def fields():
    result = parse_form(FORM, "every_type.yaml")
    assert result.definition is not None, result.problems
    return top_level_fields(result.definition)


def test_the_top_level_fields_are_inputs_and_repeats_also_inside_groups(fields):
    assert set(fields) == {
        "strengths",
        "story",
        "people",
        "hours",
        "next_visit",
        "arrived",
        "held",
        "topics",
        "look",
        "total",
        "inside_group",
        "rooms",
    }


@pytest.mark.parametrize(
    "name, value",
    [
        ("strengths", "Teams met weekly."),
        ("story", "Line one\nline two"),
        ("people", 12),
        ("hours", 1.5),
        ("hours", 2),
        ("next_visit", "2026-11-03"),
        ("arrived", "09:30"),
        ("held", "yes"),
        ("topics", ["yes", "no"]),
        ("look", "observed"),
        ("total", 13),
        ("inside_group", "x"),
        ("rooms", [{"minutes": 10, "seen": "no"}, {}]),
        ("people", None),
    ],
)
def test_what_the_inputs_save_is_accepted(fields, name, value):
    assert answer_problem(fields[name], value) is None
    assert answer_text_problem(fields[name], json.dumps(value)) is None


@pytest.mark.parametrize(
    "name, value, words",
    [
        ("strengths", 5, "must be text"),
        ("people", True, "must be a number"),
        ("people", ["12"], "must be a number"),
        ("next_visit", 20261103, "must be a date"),
        ("arrived", ["9:00"], "must be a time"),
        ("held", ["maybe"], "must be one choice"),
        ("topics", "yes", "list of choices"),
        ("topics", ["yes", 3], "“3” is not a choice"),
        ("look", 3, "must be one choice"),
        ("total", ["x"], "calculated answer"),
        ("rooms", {"minutes": 3}, "rows must be a list"),
        ("rooms", ["a row"], "row 1 is not a row of answers"),
        ("rooms", [{}, {"minutes": ["ten"]}], "in row 2, “Minutes”: it must be a number"),
        ("rooms", [{"name": "Ms. A"}], "row 1 holds “name”, which is not a field of the repeat"),
    ],
)
def test_a_value_the_field_cannot_hold_is_named(fields, name, value, words):
    problem = answer_problem(fields[name], value)
    assert problem is not None and words in problem, problem


@pytest.mark.parametrize(
    "name, value",
    [
        ("people", "twelve"),
        ("hours", "1.5"),
        ("next_visit", "Nov 3, 2026"),
        ("arrived", "9:"),
        ("held", "maybe"),
        ("topics", ["yes", "perhaps"]),
        ("rooms", [{"minutes": "ten"}]),
    ],
)
def test_what_a_coach_typed_is_kept_as_typed_and_valid(fields, name, value):
    # The form's own checks name a half-typed time or a date in words at finalize; a bundle
    # carrying one from the coach's other laptop must not be refused for it.
    assert answer_problem(fields[name], value) is None


def test_text_that_is_not_json_cannot_be_read(fields):
    problem = answer_text_problem(fields["strengths"], "Teams met <<<<<<< weekly")
    assert problem == "it is not readable data (the text is not JSON)"
    assert answer_text_problem(fields["hours"], "NaN") == "it must be a number"
