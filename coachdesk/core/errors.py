"""Errors a coach may meet. Each carries a sentence that says what happened and what to do."""

from __future__ import annotations

from pathlib import Path


class CoachdeskError(Exception):
    """An expected failure with a message meant for the coach."""


class RefusedInput(CoachdeskError):
    """The input was refused; nothing was changed (the CLI exits 1)."""


class NotFound(RefusedInput):
    """A record the caller named does not exist."""


class NewerProfileError(RefusedInput):
    """The profile was written by a newer coachdesk; it was not opened and is unchanged."""


class DamagedProfileError(CoachdeskError):
    """The profile file fails its integrity check or cannot be read as a database."""

    def __init__(self, message: str, *, path: Path, latest_backup: Path | None) -> None:
        super().__init__(message)
        self.path = path
        self.latest_backup = latest_backup
