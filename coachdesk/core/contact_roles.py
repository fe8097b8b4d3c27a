"""A contact's role: an adult acting in a school role, never a student or a family member.

Contacts are the principal, the district lead, the coach's counterparts (DOMAIN.md section 2).
Families' engagement is recorded in the OH NNPS action plan, never as contacts, and students
are never recorded at all. The programs' own lists (resources/programs/*.toml) offer the roles;
a role typed another way is kept in the list's spelling, and an adult role not on the list
(a "Teacher leader") is accepted as typed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from coachdesk.core.errors import RefusedInput
from coachdesk.core.validation import clean_name

# Words that, alone, name a student or a family member rather than a role at a school.
_PERSON_WORDS = (
    "student|pupil|learner|child|children|kid|minor|son|daughter|boy|girl|teen|teenager|"
    "youth|parent|guardian|mother|father|mom|mum|dad|stepmother|stepfather|grandparent|"
    "grandmother|grandfather|grandma|grandpa|caregiver|family|family member|relative|aunt|"
    "uncle|sibling|brother|sister|foster parent|kindergartner|kindergartener"
)
_REFUSED = [
    # "Student", "Parents", "Family member"
    re.compile(rf"^(?:{_PERSON_WORDS})s?$"),
    # "Parent of Maya (grade 3)", "Guardian for ...", "Mother to ...", "Student in 4B"
    re.compile(rf"^(?:{_PERSON_WORDS})s?\s+(?:of|for|to|in|at|from)\b"),
    # "5th grader", "grade 3 student", "third-grade student"
    re.compile(r"\bgraders?\b"),
    re.compile(r"\bgrade\s*\w*\s+(?:student|pupil|child)s?\b"),
    # "ATP member (parent)", "SIPT member - student"
    re.compile(r"[(\-–—:,/]\s*(?:student|pupil|parent|guardian|family|child)s?\s*\)?$"),
    # Students in a school body: "student council member", "student representative"
    re.compile(r"^student\s+(?:council|body|rep|representative|member|leader|ambassador)\b"),
]

NOT_A_SCHOOL_ROLE = (
    "Contacts are adults acting in a school role, such as Principal or Instructional Coach; "
    "record families' engagement in the NNPS plan instead, and never record students."
)


def check_role(role: str | None, offered: Iterable[str] = ()) -> str:
    """The role as stored: trimmed, in the program list's spelling when it is one of `offered`.

    Refuses, with a sentence, a role that names a student or a family member ("Student",
    "Parent of Maya", "Guardian of ...", "Child"); "Parent liaison" and "PTA/PTO
    representative" are school roles and are kept.
    """
    text = clean_name(role, what="The role")
    folded = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    for listed in offered:
        if " ".join(listed.casefold().split()) == folded:
            return listed
    if any(pattern.search(folded) for pattern in _REFUSED):
        raise RefusedInput(f"“{text}” is not a school role. {NOT_A_SCHOOL_ROLE}")
    return text
