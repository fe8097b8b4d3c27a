"""What a form may bind to, and which names look like student identifiers."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class BindTarget:
    """A typed column a field may fill, the field types that fit it and where it may sit."""

    types: tuple[str, ...]
    scope: str  # form | action_items | classrooms  (the repeat kind the field must sit in)
    meaning: str


_TEXT = ("text", "long_text")

BIND_TARGETS: dict[str, BindTarget] = {
    "visit.date": BindTarget(("date",), "form", "the visit date"),
    "visit.start_time": BindTarget(("time",), "form", "the start time"),
    "visit.end_time": BindTarget(("time",), "form", "the end time"),
    "visit.minutes": BindTarget(("integer",), "form", "the length in minutes"),
    "visit.purpose_codes": BindTarget(("select_multiple",), "form", "the purpose codes"),
    "visit.evidence_reviewed": BindTarget(
        ("select_multiple", *_TEXT), "form", "the evidence and artifacts reviewed"
    ),
    "visit.decisions": BindTarget(_TEXT, "form", "the agreements reached"),
    "visit.focus_areas": BindTarget(("select_multiple",), "form", "the coaching focus"),
    "action_items.text": BindTarget(_TEXT, "action_items", "what will be done"),
    "action_items.owner": BindTarget(("text", "select_one"), "action_items", "who owns it"),
    "action_items.due": BindTarget(("date",), "action_items", "when it is due"),
    "action_items.status": BindTarget(("select_one",), "action_items", "open, done or dropped"),
    "learning_walk.focus_of_inquiry": BindTarget(_TEXT, "form", "the focus of inquiry"),
    "learning_walk.patterns": BindTarget(_TEXT, "form", "patterns across classrooms"),
    "learning_walk.strengths": BindTarget(_TEXT, "form", "strengths"),
    "learning_walk.wonderings": BindTarget(_TEXT, "form", "wonderings"),
    "learning_walk.next_level_of_work": BindTarget(_TEXT, "form", "the next level of work"),
    "classroom.seq_no": BindTarget(("integer",), "classrooms", "the classroom visit number"),
    "classroom.grade_band": BindTarget(("select_one",), "classrooms", "the grade band"),
    "classroom.content_area": BindTarget(("select_one",), "classrooms", "the content area"),
    "classroom.minutes": BindTarget(("integer",), "classrooms", "minutes in the classroom"),
    "pm_meeting.window": BindTarget(("select_one",), "form", "mid-year or end of year"),
    "pm_meeting.minutes": BindTarget(("integer",), "form", "the meeting length in minutes"),
    # A progress-monitoring meeting's results, each bound to a benchmark of the district
    # (coachdesk/core/visits/benchmark_results.py); they sit in a plain repeat.
    "benchmark_results.code": BindTarget(("text",), "repeat", "the benchmark's code"),
    "benchmark_results.school": BindTarget(("text",), "repeat", "the school of the result"),
    "benchmark_results.group": BindTarget(("select_one",), "repeat", "the student group"),
    "benchmark_results.value": BindTarget(("decimal", "integer"), "repeat", "the result"),
    "benchmark_results.n": BindTarget(("integer",), "repeat", "how many students it counts"),
    "nnps.stage": BindTarget(("select_one",), "form", "the implementation stage"),
    "nnps.coaching_reasons": BindTarget(
        ("select_multiple",), "form", "reasons for more frequent coaching"
    ),
}

# Children an action-items repeat must have, so visits can build ActionItem records.
ACTION_ITEM_BINDS_REQUIRED = ("action_items.text", "action_items.owner", "action_items.due")
CLASSROOM_BINDS_REQUIRED = ("classroom.seq_no",)

# Student identifiers named in DOMAIN.md section 6 (NY NYSSIS and NYC OSIS, MA SASID, OH SSID).
_ID_WORDS = {"sasid", "nyssis", "nysis", "ssid", "osis", "dob", "ssn"}
_ID_PHRASES = re.compile(
    r"\b(student s? ?names?|students? ids?|student numbers?|date of birth|birth ?date|"
    r"birthday|student first name|student last name)\b"
)
_NEGATION = re.compile(r"\b(no|not|never|without|avoid|omit)\s+$")


def _normalised(text: str) -> str:
    spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", text)  # studentName -> student Name
    return " ".join(re.sub(r"[^a-z0-9]+", " ", spaced.lower()).split())


def student_identifier_in(text: str, *, allow_negated: bool = False) -> str | None:
    """The student-identifier word or phrase a name or label contains, or None.

    With allow_negated, a phrase preceded by "no", "never", "without"... is a warning to the
    coach ("no student names"), not a request for one, and does not count.
    """
    plain = _normalised(text)
    for token in plain.split():
        if token in _ID_WORDS:
            return token
    for match in _ID_PHRASES.finditer(plain):
        if allow_negated and _NEGATION.search(plain[: match.start()]):
            continue
        return match.group(0)
    return None
