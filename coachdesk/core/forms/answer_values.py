"""Is a stored answer one its form field can hold? The shapes the form's inputs save, checked.

A visit keeps one answer per top-level field (coachdesk/core/store/visit_tables.py): JSON text
of what the coach's input saved, or of a repeat's rows. The inputs save text (text, long_text),
a number or the text as typed (integer, decimal), YYYY-MM-DD or the text as typed (date),
HH:MM or the text as typed (time), one choice's name (select_one, rating), a list of choice
names (select_multiple) and, for a repeat, a list of rows, each a dict of its fields' answers;
None is an empty answer everywhere. A calculated
field holds what the calculation gave (a number or text). Anything else cannot be shown or
printed, so an import refuses it (coachdesk/sync/incoming_values.py) and `coachdesk check`
names it (coachdesk/core/store/checkup.py).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from typing import Any

from coachdesk.core.forms.model import FieldDef, FormDefinition, inputs_of

_TIME = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def top_level_fields(definition: FormDefinition) -> dict[str, FieldDef]:
    """The fields a visit keeps one answer for, by name: top-level inputs (also inside groups)
    and repeats."""
    return {f.name: f for f in inputs_of(definition.fields)}


def answer_text_problem(field: FieldDef, text: str) -> str | None:
    """Why the stored JSON text of an answer cannot be the field's answer, or None if it can."""
    try:
        value = json.loads(text)
    except (ValueError, TypeError):
        return "it is not readable data (the text is not JSON)"
    except RecursionError:
        return "it is nested too deeply to read"
    return answer_problem(field, value)


def answer_problem(field: FieldDef, value: Any) -> str | None:
    """Why a decoded answer cannot be the field's answer (a short clause), or None if it can."""
    if value is None:
        return None
    if field.type == "repeat":
        return _rows_problem(field, value)
    if not field.is_input:
        return f"a {field.type} holds no answer"
    if field.calculation is not None:
        # A calculation gives a number for a number field and text otherwise (responses._typed).
        if _is_number(value) or isinstance(value, str):
            return None
        return "a calculated answer must be a number or text"
    return _input_problem(field, value)


def _input_problem(field: FieldDef, value: Any) -> str | None:
    # What a coach types is kept as typed (nothing typed is ever lost): a half-typed time, a
    # date in words, a number with a unit, a choice a newer rule wrote. The form's own checks
    # name those at finalize and the pages show them as text, so they are valid answers here;
    # only a value no input could have saved (a list for a date, an object for text) is not.
    kind = field.type
    if kind in ("text", "long_text"):
        return None if isinstance(value, str) else "it must be text"
    if kind in ("integer", "decimal"):
        return None if _is_number(value) or isinstance(value, str) else "it must be a number"
    if kind in ("date", "time"):
        return None if isinstance(value, str) else f"it must be a {kind}"
    if kind in ("select_one", "rating"):
        return None if isinstance(value, str) else "it must be one choice"
    if kind == "select_multiple":
        if not isinstance(value, list):
            return "it must be a list of choices"
        for item in value:
            if not isinstance(item, str):
                return f"{_shown(item)} is not a choice"
        return None
    return f"a field of type {kind} is not known"


def _rows_problem(repeat: FieldDef, value: Any) -> str | None:
    if not isinstance(value, list):
        return "its rows must be a list"
    children = {f.name: f for f in inputs_of(repeat.children)}
    for number, row in enumerate(value, start=1):
        if not isinstance(row, dict):
            return f"row {number} is not a row of answers"
        for name, answer in row.items():
            child = children.get(name)
            if child is None:
                return f"row {number} holds {_shown(name)}, which is not a field of the repeat"
            problem = answer_problem(child, answer)
            if problem is not None:
                return f"in row {number}, “{child.label}”: {problem}"
    return None


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, float) and math.isfinite(value)


def _is_date(value: Any) -> bool:
    if not isinstance(value, str) or not _DATE.match(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _shown(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return f"“{text[:40]}…”" if len(text) > 40 else f"“{text}”"
