"""A scan of free-text answers for signs of a student's identity (DOMAIN.md section 6).

It looks in fields marked `no-student` for ID-like numbers (NY NYSSIS and MA SASID are 10
digits, NYC OSIS 9, Ohio's SSID two letters and seven digits), dates of birth, initials
("J.M."), and phrases that name a student ("a student named ..."). It only warns: the coach
decides. Expect some false alarms (a long phone extension, an abbreviation); the excerpt shows
the coach what was seen.

A learning walk is non-evaluative (DOMAIN.md section 6): its classrooms are known only by their
visit number. `scan_walk` looks in a walk's text answers (each classroom's evidence and the
debrief) for a teacher's name ("Ms. Lopez", "Mr. Chen's class") and a room number ("Room 214",
"rm 12B"); a note with any of them is not finalized (coachdesk/core/visits/finalize_rules.py).
"Classroom 3", a visit number, is how a walk names a classroom and is not flagged.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from coachdesk.core.forms.model import FieldDef, FormDefinition
from coachdesk.core.forms.responses import row_path

_EXCERPT = 30


@dataclass(frozen=True)
class PrivacyFinding:
    """One sign of a student's identity in an answer."""

    path: str
    label: str
    kind: str  # id_number | date_of_birth | initials | student_name | id_label
    message: str
    excerpt: str
    start: int  # where in the answer the match begins (for highlighting)
    end: int


# Words that follow "Student" in the names of teams and programs, not of a student.
_NOT_NAMES = (
    "Council",
    "Government",
    "Support",
    "Supports",
    "Services",
    "Success",
    "Assistance",
    "Voice",
    "Leadership",
    "Learning",
    "Achievement",
    "Information",
    "Handbook",
    "Study",
    "Body",
    "Data",
    "Work",
    "Engagement",
)
# (kind, pattern, message, words one of which must appear for the pattern to be worth running).
# The cheap word test keeps a scan of a 1 MB paste quick: most patterns never run on it.
_CHECKS: tuple[tuple[str, re.Pattern[str], str, tuple[str, ...]], ...] = (
    (
        "id_label",
        re.compile(
            r"\b(SASID|NYSSIS|NYSIS|OSIS|SSID|student\s+(?:ID|number)|DOB|D\.O\.B\.)\b", re.I
        ),
        "names a student identifier",
        ("sasid", "nys", "osis", "ssid", "student", "dob", "d.o.b"),
    ),
    (
        "id_number",
        re.compile(r"(?<![\d.,/-])\d{7,}(?![\d.,/-]?\d)"),
        "looks like a student ID number",
        (),
    ),
    ("id_number", re.compile(r"\b[A-Z]{2}\d{7}\b"), "looks like an Ohio SSID", ()),
    (
        "date_of_birth",
        re.compile(
            r"\b(born|birthday|date of birth|birth date)\b[^.\n]{0,20}?\d[\d/-]*(?:,\s*\d{4})?",
            re.I,
        ),
        "looks like a date of birth",
        ("born", "birth"),
    ),
    (
        "student_name",
        re.compile(
            r"\b(?:student|child|pupil|scholar|boy|girl|kid)s?,?\s+(?:named|called)\s+\w+", re.I
        ),
        "names a student",
        ("named", "called"),
    ),
    (
        "student_name",
        re.compile(
            r"\b(?:[Ss]tudent|[Cc]hild|[Pp]upil|[Ss]cholar)\s+(?!I\b)(?!(?:"
            + "|".join(_NOT_NAMES)
            + r")\b)[A-Z][a-z]+\b"
        ),
        "may name a student",
        ("tudent", "hild", "upil", "cholar"),
    ),
    (
        "student_name",
        re.compile(r"\b(?:his|her|their|[A-Z][a-z]+'s)\s+(?:IEP|504(?:\s+plan)?)\b"),
        "ties an IEP or 504 plan to a person",
        ("iep", "504"),
    ),
)
_INITIALS = re.compile(r"(?<![A-Za-z.])([A-Z])\.\s?([A-Z])\.?(?![A-Za-z])")
# Two-letter abbreviations a coach writes that are not initials.
_NOT_INITIALS = {"AM", "PM", "US", "PE", "AP", "DC", "EL", "ML", "BA", "MA", "MS", "PD", "IB"}
_DIGITS = re.compile(r"\d{2}")
_DATE = re.compile(r"\b(\d{1,2})[/-](\d{1,2})[/-](\d{2}|\d{4})\b")
# A date this many years back could be a student's birth date (pre-K to age 21).
_BIRTH_YEARS = (2, 22)


def scan_text(text: str, *, today: dt.date | None = None) -> list[tuple[str, str, int, int]]:
    """(kind, message, start, end) for every sign of student identity in one text (one per
    stretch of text: a warning is enough)."""
    return _without_overlaps(_signs(text, today))


def identifier_spans(text: str, *, today: dt.date | None = None) -> list[tuple[int, int]]:
    """(start, end) of every stretch of text with a sign of student identity, overlapping
    signs joined: what print masks (coachdesk/reports/masking.py), so nothing of one shows."""
    spans: list[tuple[int, int]] = []
    for _kind, _message, start, end in _signs(text, today):
        # Joined across a space too: "SASID 1234567890" is one stretch, not two.
        if spans and (start <= spans[-1][1] or not text[spans[-1][1] : start].strip()):
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans


def _signs(text: str, today: dt.date | None) -> list[tuple[str, str, int, int]]:
    found: list[tuple[str, str, int, int]] = []
    lowered = text.lower()
    has_digits = _DIGITS.search(text) is not None
    for kind, pattern, message, words in _CHECKS:
        if words and not any(word in lowered for word in words):
            continue
        if kind == "id_number" and not has_digits:
            continue
        for match in pattern.finditer(text):
            found.append((kind, message, match.start(), match.end()))
    for match in _INITIALS.finditer(text):
        if match.group(1) + match.group(2) not in _NOT_INITIALS:
            found.append(("initials", "looks like a person's initials", match.start(), match.end()))
    year = (today or dt.date.today()).year
    for match in _DATE.finditer(text) if has_digits else ():
        written = int(match.group(3))
        full = (
            written
            if written > 99
            else (2000 + written if written <= year % 100 else 1900 + written)
        )
        if year - _BIRTH_YEARS[1] <= full <= year - _BIRTH_YEARS[0]:
            found.append(
                (
                    "date_of_birth",
                    "a date years ago could be a date of birth",
                    match.start(),
                    match.end(),
                )
            )
    found.sort(key=lambda f: (f[2], f[3]))
    return found


def _without_overlaps(found: list[tuple[str, str, int, int]]) -> list[tuple[str, str, int, int]]:
    kept: list[tuple[str, str, int, int]] = []
    for item in found:
        if kept and item[2] < kept[-1][3]:
            continue  # one warning per stretch of text is enough
        kept.append(item)
    return kept


def _excerpt(text: str, start: int, end: int) -> str:
    left = max(0, start - _EXCERPT)
    right = min(len(text), end + _EXCERPT)
    snippet = " ".join(text[left:right].split())
    return ("…" if left else "") + snippet + ("…" if right < len(text) else "")


# "5 of 6 SWD students", "2 out of 14 learners": a count typed in narrative, and "(n=6)".
_COUNT_OF = re.compile(
    r"\b(\d{1,4})\s+(?:of|out\s+of)\s+(?:the\s+)?(\d{1,4})\b(?:\s+[\w-]+){0,3}?\s+"
    r"(?:students|learners|children|kids|pupils|scholars)\b",
    re.I,
)
_N_IS = re.compile(r"\(?\bn\s*=\s*(\d{1,4})\b\)?", re.I)
DEFAULT_SMALL_CELL = 10  # the rules' small_cell_threshold, for callers that do not pass one


def small_counts(text: str, threshold: int = DEFAULT_SMALL_CELL) -> list[tuple[str, str, int, int]]:
    """(kind, message, start, end) for a count of fewer than `threshold` students typed in
    narrative ("5 of 6 SWD students", "n=6").

    Only these two shapes are read: free text cannot be parsed reliably for every way of
    writing a number ("five of the six", "half of the 8 in the group"), so this warns before
    finalizing, and print does not mask it (a guessed number would distort the sentence).
    """
    found = []
    for match in _COUNT_OF.finditer(text):
        if min(int(match.group(1)), int(match.group(2))) < threshold:
            found.append(("small_count", _SMALL_MESSAGE.format(threshold), *match.span()))
    for match in _N_IS.finditer(text):
        if int(match.group(1)) < threshold:
            found.append(("small_count", _SMALL_MESSAGE.format(threshold), *match.span()))
    found.sort(key=lambda f: (f[2], f[3]))
    return _without_overlaps(found)


_SMALL_MESSAGE = (
    "gives a count of fewer than {0} students, which a summary never prints as a result "
    "(small-cell suppression)"
)


def scan_response(
    definition: FormDefinition,
    response: Mapping[str, Any],
    *,
    today: dt.date | None = None,
    small_cell_threshold: int = DEFAULT_SMALL_CELL,
) -> list[PrivacyFinding]:
    """Findings in every `no-student` answer of a response, in form order: signs of a
    student's identity, and counts of fewer students than the small-cell threshold."""
    findings: list[PrivacyFinding] = []
    for field, repeat in definition.walk():
        if field.privacy != "no-student":
            continue
        if repeat is None:
            answers = [(field.name, response.get(field.name))]
        else:
            rows = response.get(repeat.name) or []
            answers = [
                (row_path(repeat.name, i, field.name), row.get(field.name))
                for i, row in enumerate(rows)
                if isinstance(row, Mapping)
            ]
        for path, answer in answers:
            if not isinstance(answer, str) or not answer:
                continue
            signs = scan_text(answer, today=today)
            if repeat is None or repeat.kind != "classrooms":  # "3 of 5 students" is evidence
                signs += small_counts(answer, small_cell_threshold)
            for kind, message, start, end in sorted(signs, key=lambda f: (f[2], f[3])):
                findings.append(
                    PrivacyFinding(
                        path=path,
                        label=field.label,
                        kind=kind,
                        message=f"{field.label}: this {message}. "
                        "Remove it unless it is not about a student.",
                        excerpt=_excerpt(answer, start, end),
                        start=start,
                        end=end,
                    )
                )
    return findings


# --- learning walks: no teacher, no room --------------------------------------------------------

# Words before "'s class" that are not a teacher's name.
_NOT_TEACHERS = (
    "Today",
    "Yesterday",
    "Tomorrow",
    "This",
    "That",
    "Each",
    "Every",
    "Everyone",
    "One",
    "Another",
    "The",
    "Teacher",
    "Last",
    "Next",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
)
_NAME = r"[A-Z][\w'’-]*"
_WALK_CHECKS: tuple[tuple[str, re.Pattern[str], str], ...] = (
    (
        "teacher_name",
        re.compile(r"\b(?:Mr|Mrs|Ms|Mx|Dr)\.?\s+" + _NAME + r"|\bMiss\s+" + _NAME),
        "names a teacher",
    ),
    (
        "teacher_name",
        re.compile(r"\b(?:teacher|educator)s?,?\s+(?:named|called)\s+\w+", re.I),
        "names a teacher",
    ),
    (
        "teacher_name",
        re.compile(
            r"\b(?!(?:" + "|".join(_NOT_TEACHERS) + r")['’]s)[A-Z][a-z]+['’]s\s+"
            r"(?:class|classroom|room|students|lesson)\b"
        ),
        "names a teacher's class",
    ),
    (
        "room_number",
        re.compile(r"\b(?:room|rm)\.?\s*(?:no\.?\s*|number\s+|#\s*)?\d+[A-Za-z]?\b", re.I),
        "gives a room number",
    ),
)


def scan_classroom_text(text: str) -> list[tuple[str, str, int, int]]:
    """(kind, message, start, end) for every teacher's name or room number in one text."""
    found = [
        (kind, message, match.start(), match.end())
        for kind, pattern, message in _WALK_CHECKS
        for match in pattern.finditer(text)
    ]
    found.sort(key=lambda f: (f[2], f[3]))
    return _without_overlaps(found)


def scan_walk(definition: FormDefinition, response: Mapping[str, Any]) -> list[PrivacyFinding]:
    """Teachers' names and room numbers in a learning walk's text answers, in form order.

    Read: every text answer of a form with a classrooms repeat (each classroom's evidence, the
    focus and the debrief), except `internal` notes and next steps, whose owner is an adult
    by design. A form without a classrooms repeat is not a walk: [].
    """
    if not definition.repeats("classrooms"):
        return []
    findings: list[PrivacyFinding] = []
    for field, repeat in definition.walk():
        if field.type not in ("text", "long_text") or field.is_internal:
            continue
        if repeat is not None and repeat.kind == "action_items":
            continue
        for path, label, answer in _answers(definition, field, repeat, response):
            for kind, message, start, end in scan_classroom_text(answer):
                findings.append(
                    PrivacyFinding(
                        path=path,
                        label=label,
                        kind=kind,
                        message=f"{label}: this {message}. A learning walk knows classrooms "
                        "only by their visit number; write “the teacher” or “classroom 2” "
                        "instead.",
                        excerpt=_excerpt(answer, start, end),
                        start=start,
                        end=end,
                    )
                )
    return findings


def _answers(
    definition: FormDefinition,
    field: FieldDef,
    repeat: FieldDef | None,
    response: Mapping[str, Any],
) -> list[tuple[str, str, str]]:
    """(path, label, text) of one field's non-empty text answers; a classroom's evidence is
    labelled by its visit number and look-for ("Classroom 2, evidence for …")."""
    if repeat is None:
        answer = response.get(field.name)
        return [(field.name, field.label, answer)] if isinstance(answer, str) and answer else []
    look_for = None
    if field.evidence_for:
        try:
            look_for = definition.field(field.evidence_for).label
        except KeyError:
            look_for = None
    found = []
    for index, row in enumerate(response.get(repeat.name) or []):
        answer = row.get(field.name) if isinstance(row, Mapping) else None
        if not isinstance(answer, str) or not answer:
            continue
        what = f"evidence for “{look_for}”" if look_for else field.label.lower()
        label = f"Classroom {index + 1}, {what}" if repeat.kind == "classrooms" else field.label
        found.append((row_path(repeat.name, index, field.name), label, answer))
    return found
