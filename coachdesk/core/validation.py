"""Checks on what a coach types, each refusing with a sentence that says what to fix."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from coachdesk.core.dates_text import long_date
from coachdesk.core.errors import RefusedInput

NAME_LIMIT = 200
SHORT_TEXT_LIMIT = 2_000
LONG_TEXT_LIMIT = 200_000

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^[0-9+()\-.\s]*(?:(?:x|ext\.?)\s*[0-9]+)?$", re.IGNORECASE)
_STATE_ID = re.compile(r"^[0-9A-Za-z\-]+$")


def clean_text(
    value: str | None, *, what: str, limit: int, required: bool = False, multiline: bool = False
) -> str | None:
    """Strip, normalise (NFC) and check a piece of text; None or "" become None."""
    if value is None:
        text = ""
    else:
        text = unicodedata.normalize("NFC", str(value)).strip()
    if not text:
        if required:
            raise RefusedInput(f"{what} cannot be empty.")
        return None
    if len(text) > limit:
        raise RefusedInput(
            f"{what} is {len(text):,} characters long; the limit is {limit:,}. Shorten it."
        )
    allowed = {"\n", "\t"} if multiline else set()
    if any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in text):
        raise RefusedInput(f"{what} contains control characters; retype it without them.")
    return text


def clean_name(value: str | None, *, what: str = "The name") -> str:
    text = clean_text(value, what=what, limit=NAME_LIMIT, required=True)
    assert text is not None
    return text


def clean_email(value: str | None) -> str | None:
    text = clean_text(value, what="The work e-mail", limit=254)
    if text is not None and not _EMAIL.match(text):
        raise RefusedInput(f"“{text}” is not an e-mail address (expected name@school.org).")
    return text


def clean_phone(value: str | None) -> str | None:
    text = clean_text(value, what="The work phone", limit=40)
    if text is not None and (not _PHONE.match(text) or sum(c.isdigit() for c in text) < 7):
        raise RefusedInput(
            f"“{text}” is not a phone number (digits, spaces, + ( ) - and an extension)."
        )
    return text


def clean_state_id(value: str | None, *, label: str) -> str | None:
    text = clean_text(value, what=f"The {label}", limit=40)
    if text is not None and not _STATE_ID.match(text):
        raise RefusedInput(f"The {label} may hold only letters, digits and hyphens.")
    return text


def not_in_future(day: dt.date, *, what: str, today: dt.date | None = None) -> dt.date:
    today = today or dt.date.today()
    if day > today:
        raise RefusedInput(f"{what} ({long_date(day)}) is in the future; pick today or earlier.")
    return day
