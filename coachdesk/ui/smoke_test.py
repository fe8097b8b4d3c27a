"""`coachdesk --smoke-test` answers every dialog itself: it runs unattended (`bash dev run` on a
machine with no screen, the frozen-build test), where a modal would wait forever.

    restore = dialogs.replace_presenter(StderrPresenter(stop=lambda: app.exit(1)))

Errors are printed on stderr and end the smoke test with exit code 1; questions are answered
"no" and file choosers cancelled, each said on stderr.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QWidget

from coachdesk.ui import dialogs


def say(text: str) -> None:
    """One line on stderr, the way the command line says a refusal (none in a windowed build)."""
    if sys.stderr is not None:
        print(f"coachdesk: {' '.join(text.split())}", file=sys.stderr, flush=True)


class StderrPresenter(dialogs.Presenter):
    """Says on stderr what a dialog would have shown; an error fails the smoke test."""

    def __init__(self, *, stop: Callable[[], None]) -> None:
        self.failed = False
        self._stop = stop  # ends the event loop: nothing more to wait for

    def error(self, parent: QWidget | None, title: str, text: str) -> None:
        say(f"{title}: {text}")
        self.failed = True
        self._stop()

    def info(self, parent: QWidget | None, title: str, text: str) -> None:
        say(f"{title}: {text}")

    def confirm(self, parent: QWidget | None, title: str, text: str, *, yes: str) -> bool:
        say(f"{title}: {text} (smoke test: answered no)")
        return False

    def open_file(self, parent: QWidget | None, title: str, filter: str) -> str | None:
        return None

    def open_files(self, parent: QWidget | None, title: str, filter: str) -> list[str]:
        return []

    def save_file(
        self, parent: QWidget | None, title: str, suggested: str, filter: str
    ) -> str | None:
        return None

    def run(self, dialog) -> int:
        say(f"{dialog.windowTitle()} (smoke test: dialog cancelled)")
        return QDialog.DialogCode.Rejected.value
