"""Every modal dialog goes through this module, so tests can answer it (STYLE.md, habit 8).

Tests replace `presenter` with a fake that records what would have been shown and returns a
scripted answer; nothing in a test ever waits on a real modal.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from coachdesk.core.errors import CoachdeskError

logger = logging.getLogger(__name__)


class Presenter:
    """Shows real dialogs."""

    def error(self, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.critical(parent, title, text)

    def info(self, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.information(parent, title, text)

    def confirm(self, parent: QWidget | None, title: str, text: str, *, yes: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
        accept = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Cancel", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return box.clickedButton() is accept

    def open_file(self, parent: QWidget | None, title: str, filter: str) -> str | None:
        path, _ = QFileDialog.getOpenFileName(parent, title, "", filter)
        return path or None

    def open_files(self, parent: QWidget | None, title: str, filter: str) -> list[str]:
        paths, _ = QFileDialog.getOpenFileNames(parent, title, "", filter)
        return list(paths)

    def save_file(
        self, parent: QWidget | None, title: str, suggested: str, filter: str
    ) -> str | None:
        path, _ = QFileDialog.getSaveFileName(parent, title, suggested, filter)
        return path or None

    def run(self, dialog: Any) -> int:
        """Run a custom QDialog modally; returns its result code."""
        return dialog.exec()


presenter: Presenter = Presenter()


def describe(exc: BaseException) -> str:
    """The sentence to show a coach for an exception."""
    if isinstance(exc, CoachdeskError):
        return str(exc)
    if isinstance(exc, OSError) and exc.strerror:
        where = f" ({exc.filename})" if exc.filename else ""
        return f"The computer refused: {exc.strerror}{where}. Nothing was changed."
    return (
        "Something unexpected went wrong and the action was not completed. "
        "The details are in the log file in your profile folder."
    )


def show_error(parent: QWidget | None, title: str, text: str) -> None:
    logger.info("error shown: %s: %s", title, text)
    presenter.error(parent, title, text)


def show_info(parent: QWidget | None, title: str, text: str) -> None:
    presenter.info(parent, title, text)


def confirm(parent: QWidget | None, title: str, text: str, *, yes: str) -> bool:
    return presenter.confirm(parent, title, text, yes=yes)


def open_file(parent: QWidget | None, title: str, filter: str = "All files (*)") -> str | None:
    return presenter.open_file(parent, title, filter)


def open_files(parent: QWidget | None, title: str, filter: str = "All files (*)") -> list[str]:
    return presenter.open_files(parent, title, filter)


def save_file(
    parent: QWidget | None, title: str, suggested: str, filter: str = "All files (*)"
) -> str | None:
    return presenter.save_file(parent, title, suggested, filter)


def run(dialog: Any) -> int:
    from coachdesk.ui.screen_fit import fit_dialog

    fit_dialog(dialog)  # a dialog taller than a 768-pixel laptop hides its buttons
    return presenter.run(dialog)


def replace_presenter(new: Presenter) -> Callable[[], None]:
    """Swap the presenter; returns a function that puts the previous one back."""
    global presenter
    previous, presenter = presenter, new
    return lambda: _restore(previous)


def _restore(previous: Presenter) -> None:
    global presenter
    presenter = previous
