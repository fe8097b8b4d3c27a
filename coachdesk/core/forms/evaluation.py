"""Evaluating a parsed expression against a response: ODK's loose typing, made explicit.

Unanswered fields are empty text. Comparisons are numeric when both sides read as numbers and
textual otherwise (ISO dates and HH:MM times therefore compare correctly as text). Arithmetic on
something that is not a number gives NaN, which is false, never an exception.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from coachdesk.core.forms.expressions import (
    Binary,
    Call,
    Current,
    FieldRef,
    Literal,
    Node,
    Parent,
    Unary,
)


@dataclass(frozen=True)
class Scope:
    """What an expression sees: the answers, the current repeat row and the current answer.

    `lookup(name)` returns a field's answer (a repeat row's sibling first, then the form);
    `position` is the 1-based row number inside a repeat, or 0 outside any repeat.
    """

    lookup: Callable[[str], Any]
    current: Any = None
    position: int = 0
    today: dt.date | None = None


def scope_for(
    answers: Mapping[str, Any],
    *,
    row: Mapping[str, Any] | None = None,
    position: int = 0,
    current: Any = None,
    today: dt.date | None = None,
) -> Scope:
    """A scope over a response dict, optionally inside one repeat row."""

    def lookup(name: str) -> Any:
        if row is not None and name in row:
            return row[name]
        return answers.get(name)

    return Scope(lookup=lookup, current=current, position=position, today=today)


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == ()


def _number(value: Any) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return math.nan
    return math.nan


def _text(value: Any) -> str:
    if _is_empty(value):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list | tuple):
        return " ".join(_text(v) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _truth(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0 and not math.isnan(value)
    return not _is_empty(value)


def _as_comparable(value: Any) -> Any:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int | float):
        return float(value)
    return _text(value)


def _compare(op: str, left: Any, right: Any) -> bool:
    left, right = _as_comparable(left), _as_comparable(right)
    left_n, right_n = _number(left), _number(right)
    if not math.isnan(left_n) and not math.isnan(right_n):
        left, right = left_n, right_n
    elif isinstance(left, float) or isinstance(right, float):
        # A number against non-numeric text: only (in)equality has a meaning.
        left, right = _text(left), _text(right)
        if op not in ("=", "!="):
            return False
    if op == "=":
        return left == right
    if op == "!=":
        return left != right
    if op == "<":
        return left < right
    if op == "<=":
        return left <= right
    if op == ">":
        return left > right
    return left >= right


def _selected_values(value: Any) -> list[str]:
    if _is_empty(value):
        return []
    if isinstance(value, list | tuple):
        return [_text(v) for v in value]
    return _text(value).split()


def evaluate(node: Node, scope: Scope) -> Any:
    """The value of an expression in a scope: a float, a str, or a bool."""
    if isinstance(node, Literal):
        return node.value
    if isinstance(node, FieldRef):
        return scope.lookup(node.name)
    if isinstance(node, Current):
        return scope.current
    if isinstance(node, Parent):
        return scope.position
    if isinstance(node, Unary):
        return -_number(evaluate(node.operand, scope))
    if isinstance(node, Binary):
        return _binary(node, scope)
    return _call(node, scope)


def _binary(node: Binary, scope: Scope) -> Any:
    op = node.op
    if op == "and":
        return _truth(evaluate(node.left, scope)) and _truth(evaluate(node.right, scope))
    if op == "or":
        return _truth(evaluate(node.left, scope)) or _truth(evaluate(node.right, scope))
    left, right = evaluate(node.left, scope), evaluate(node.right, scope)
    if op in ("=", "!=", "<", "<=", ">", ">="):
        return _compare(op, left, right)
    a, b = _number(left), _number(right)
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if b == 0 or math.isnan(b):
        return math.nan
    if op == "div":
        return a / b
    return math.fmod(a, b)


def _call(node: Call, scope: Scope) -> Any:
    name, args = node.name, node.args
    if name == "today":
        return (scope.today or dt.date.today()).isoformat()
    if name == "position":
        return float(scope.position)
    if name == "if":
        return evaluate(args[1] if _truth(evaluate(args[0], scope)) else args[2], scope)
    values = [evaluate(arg, scope) for arg in args]
    if name == "not":
        return not _truth(values[0])
    if name == "selected":
        return _text(values[1]) in _selected_values(values[0])
    if name == "count-selected":
        return float(len(_selected_values(values[0])))
    if name == "string-length":
        return float(len(_text(values[0])))
    if name == "count":
        rows = values[0]
        return float(len(rows)) if isinstance(rows, list | tuple) else 0.0
    if name == "number":
        return _number(values[0])
    # coalesce
    return values[1] if _is_empty(values[0]) else values[0]


def truthy(value: Any) -> bool:
    """How a relevance or constraint result counts as true (ODK's boolean() rules)."""
    return _truth(value)


def as_text(value: Any) -> str:
    """An answer or result as the text a calculation stores."""
    return _text(value)


def is_empty(value: Any) -> bool:
    """True for an unanswered field (None, '', or an empty selection)."""
    return _is_empty(value)


def as_number(value: Any) -> float:
    """An answer or result as a number (NaN when it is not one)."""
    return _number(value)
