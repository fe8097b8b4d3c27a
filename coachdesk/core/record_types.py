"""The kinds of record coachdesk keeps, and what a coach calls each.

The names are those of the change log, the bundles and the ChangeSummary a write returns
(`changes.touches("visit")`); they are the tables' names and must stay stable, since bundles
written by older versions carry them. `tests/unit/sync/test_record_names.py` checks that every
syncable table has a name here, in the coach's words.
"""

from __future__ import annotations

# What a coach calls each kind of record, singular and plural.
NOUNS: dict[str, tuple[str, str]] = {
    "organization": ("school or district", "schools and districts"),
    "coach": ("coach", "coaches"),
    "contact": ("contact", "contacts"),
    "assignment": ("caseload assignment", "caseload assignments"),
    "stage_record": ("NNPS stage decision", "NNPS stage decisions"),
    "coaching_flag": ("coaching flag", "coaching flags"),
    "visit": ("visit", "visits"),
    "visit_answer": ("answer in a visit note", "answers in visit notes"),
    "action_item": ("next step", "next steps"),
    "stored_form": ("visit note form", "visit note forms"),
    "indicator": ("indicator", "indicators"),
    "indicator_target": ("indicator target", "indicator targets"),
    "measurement": ("measurement", "measurements"),
    "obligation": ("reporting obligation", "reporting obligations"),
    "element_status": ("NNPS essential element status", "NNPS essential element statuses"),
    "partnership_goal": ("partnership goal", "partnership goals"),
    "plan_activity": ("action plan activity", "action plan activities"),
    "instructional_priority": ("Instructional Priority", "Instructional Priorities"),
}


# Kept on this laptop only, never in a bundle; views still hear about changes to them.
LOCAL_NOUNS: dict[str, tuple[str, str]] = {
    "trusted_key": ("trusted key", "trusted keys"),
}

SYNCED_RECORD_TYPES = frozenset(NOUNS)
# What the due rules read (tracking_records/facts_query.py): a change to any other record type
# (an answer typed into a note, a contact) cannot alter what is due, so need not judge it again.
DUE_INPUTS = frozenset(
    {
        "visit",
        "action_item",
        "indicator",
        "indicator_target",
        "measurement",
        "obligation",
        "stage_record",
        "coaching_flag",
        "assignment",
        "organization",
        "instructional_priority",
    }
)
ALL_RECORD_TYPES = SYNCED_RECORD_TYPES | frozenset(LOCAL_NOUNS)


def singular(record_type: str) -> str:
    """'next step' for action_item; an unknown type reads as its name with spaces."""
    return _nouns(record_type)[0]


def plural(record_type: str) -> str:
    """'next steps' for action_item."""
    return _nouns(record_type)[1]


def noun(record_type: str, count: int) -> str:
    """'1 contact', '3 schools and districts'."""
    return f"{count} {singular(record_type) if count == 1 else plural(record_type)}"


def _nouns(record_type: str) -> tuple[str, str]:
    found = NOUNS.get(record_type) or LOCAL_NOUNS.get(record_type)
    if found:
        return found
    words = record_type.replace("_", " ")
    return words, words + "s"
