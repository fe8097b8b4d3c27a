"""A scan of free-text answers for signs of a student's identity (DOMAIN.md section 6).

It looks in fields marked `no-student` for ID-like numbers (NY NYSSIS and MA SASID are 10
digits, NYC OSIS 9, Ohio's SSID two letters and seven digits), dates of birth, initials
("J.M."), and phrases that name a student ("a student named ..."). It only warns: the coach
decides. Expect some false alarms (a long phone extension, an abbreviation); the excerpt shows
the coach what was seen.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from coachdesk.core.forms.model import FormDefinition
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
        re.compile(r"\b(born|birthday|date of birth|birth date)\b[^.\n]{0,20}?\d", re.I),
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
        re.compile(r"\b(?:[Ss]tudent|[Cc]hild|[Pp]upil|[Ss]cholar)\s+(?!I\b)[A-Z][a-z]+\b"),
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
    """(kind, message, start, end) for every sign of student identity in one text."""
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
    return _without_overlaps(found)


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


def scan_response(
    definition: FormDefinition, response: Mapping[str, Any], *, today: dt.date | None = None
) -> list[PrivacyFinding]:
    """Findings in every `no-student` answer of a response, in form order."""
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
            for kind, message, start, end in scan_text(answer, today=today):
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
