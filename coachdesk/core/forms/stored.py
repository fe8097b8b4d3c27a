"""Definitions kept with responses, so an old note renders with the form it was written in."""

from __future__ import annotations

import logging

from coachdesk.core.errors import RefusedInput
from coachdesk.core.forms.loader import parse_form
from coachdesk.core.forms.model import FormDefinition

logger = logging.getLogger(__name__)


class StoredFormError(RefusedInput):
    """A stored definition cannot be read, or is not the version the response was written in."""


def load_stored_definition(
    text: str, *, expected_sha256: str | None = None, source: str = "stored form"
) -> FormDefinition:
    """Build a definition from stored text, for rendering a response read-only.

    Problems that a newer validator finds in an old version are logged, not refused: the note
    was written in that form and must still show. Only unreadable text, or text whose content
    hash differs from the one the response recorded, is refused.
    """
    result = parse_form(text, source)
    if result.definition is None:
        reason = result.problems[0].message if result.problems else "it is empty"
        raise StoredFormError(f"The form this note was written in cannot be read: {reason}")
    if expected_sha256 is not None and result.definition.sha256 != expected_sha256:
        raise StoredFormError(
            f"The stored form {result.definition.key} does not match the one this note recorded; "
            "it will not be used to show the note."
        )
    for problem in result.problems:
        logger.info("stored form %s: %s", result.definition.key, problem)
    return result.definition
