"""What the due rules read is what the Today list and the caseload's badges listen for."""

from __future__ import annotations

import re
from pathlib import Path

import coachdesk
from coachdesk.core.record_types import DUE_INPUTS, SYNCED_RECORD_TYPES

RECORDS = Path(coachdesk.__file__).parent / "core" / "tracking_records"


def _tables_read(path: Path) -> set[str]:
    sql = path.read_text(encoding="utf-8")
    return set(re.findall(r"\b(?:FROM|JOIN)\s+(\w+)", sql)) & SYNCED_RECORD_TYPES


def test_the_due_inputs_are_exactly_what_the_due_rules_read():
    read = _tables_read(RECORDS / "facts_query.py") | _tables_read(RECORDS / "calendar.py")
    assert read, "the due rules read no tables: the pattern above no longer finds them"
    assert read == DUE_INPUTS, (sorted(read - DUE_INPUTS), sorted(DUE_INPUTS - read))


def test_an_answer_or_a_contact_is_not_a_due_input():
    # Typing in a note saves answers every few seconds; none of them can change what is due.
    assert "visit_answer" not in DUE_INPUTS
    assert "contact" not in DUE_INPUTS
