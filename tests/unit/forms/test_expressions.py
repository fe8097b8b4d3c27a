"""The sandboxed expression language: parsing, refusing, and evaluating against answers."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from coachdesk.core.forms.evaluation import evaluate, scope_for, truthy
from coachdesk.core.forms.expressions import ExpressionError, parse, references


def run(text, answers=None, **scope):
    return evaluate(parse(text), scope_for(answers or {}, **scope))


def test_comparisons_treat_numbers_as_numbers_and_text_as_text():
    assert run("${n} > 9", {"n": 10}) is True  # not "10" < "9" as text
    assert run("${n} > 9", {"n": "10"}) is True
    assert run("${a} = 'yes'", {"a": "yes"}) is True
    assert run("${a} != 'yes'", {"a": "no"}) is True
    assert run("${d} <= today()", {"d": "2026-01-31"}, today=dt.date(2026, 2, 1)) is True
    assert run("${d} <= today()", {"d": "2026-02-02"}, today=dt.date(2026, 2, 1)) is False


def test_unanswered_fields_are_empty_text():
    assert run("${missing} = ''") is True
    assert run("${missing} != '' and ${missing} < 90") is False


def test_logic_and_precedence():
    assert run("1 + 2 * 3 = 7") is True
    assert run("(1 + 2) * 3 = 9") is True
    assert run("10 div 4 = 2.5 and 10 mod 4 = 2") is True
    assert run("-3 + 5 = 2") is True
    assert run("not(1 = 2) or 1 = 2") is True
    assert run("1 = 1 and 2 = 3 or 4 = 4") is True


def test_select_functions():
    answers = {"purpose": ["dii_progress", "other"]}
    assert run("selected(${purpose}, 'other')", answers) is True
    assert run("selected(${purpose}, 'plcs')", answers) is False
    assert run("count-selected(${purpose})", answers) == 2
    assert run("count-selected(${none})") == 0
    assert run("selected(${s}, 'b')", {"s": "a b"}) is True  # ODK's space-separated form


def test_string_length_count_position_if_coalesce():
    assert run("string-length(.)", current="héllo") == 5
    assert run("count(${rows})", {"rows": [{}, {}, {}]}) == 3
    assert run("position(..)", position=4) == 4
    assert run("if(${a} = 'x', 'one', 'two')", {"a": "x"}) == "one"
    assert run("coalesce(${a}, 'fallback')") == "fallback"


def test_division_by_zero_is_not_a_number_not_a_crash():
    assert truthy(run("1 div 0")) is False


def test_references_lists_every_field_named():
    assert references(parse("selected(${a}, 'x') and ${b} > ${c} + 1")) == {"a", "b", "c"}


@pytest.mark.parametrize(
    "text, reason",
    [
        ("${a} = = 1", "unexpected '='"),
        ("${a} and", "ends too early"),
        ("__import__('os')", "not a function"),
        ("${a b} = 1", "not a field name"),
        ("selected(${a})", "takes 2"),
        ("position(.)", "only accepts '..'"),
        ("${a} ; 1", "cannot read"),
        ("", "empty"),
        ("(1 + 2", "expected ')'"),
        ("string-length(..)", "'..' may only appear"),
    ],
)
def test_bad_expressions_are_refused_with_a_reason(text, reason):
    with pytest.raises(ExpressionError, match=re.escape(reason)):
        parse(text)


def test_python_syntax_is_not_evaluated():
    # Attribute access, lambdas and subscripts are not part of the language at all.
    for text in ("${a}.__class__", "lambda: 1", "${a}[0]", "open('x')"):
        with pytest.raises(ExpressionError):
            parse(text)
