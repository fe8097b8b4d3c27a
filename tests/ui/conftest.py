"""UI fixtures: scripted dialogs and synchronous background work."""

from __future__ import annotations

import pytest

from coachdesk.ui import dialogs, work


class ScriptedPresenter(dialogs.Presenter):
    """Records every dialog instead of showing it; answers from scripted queues."""

    def __init__(self) -> None:
        self.shown: list[tuple[str, str, str]] = []
        self.confirm_answers: list[bool] = []
        self.file_answers: list[str | None] = []
        self.dialog_handler = None  # callable(dialog) -> result code, for custom dialogs

    def error(self, parent, title, text):
        self.shown.append(("error", title, text))

    def info(self, parent, title, text):
        self.shown.append(("info", title, text))

    def confirm(self, parent, title, text, *, yes):
        self.shown.append(("confirm", title, text))
        return self.confirm_answers.pop(0) if self.confirm_answers else False

    def open_file(self, parent, title, filter):
        self.shown.append(("open_file", title, filter))
        return self.file_answers.pop(0) if self.file_answers else None

    def open_files(self, parent, title, filter):
        self.shown.append(("open_files", title, filter))
        answer = self.file_answers.pop(0) if self.file_answers else None
        return [answer] if isinstance(answer, str) else list(answer or [])

    def save_file(self, parent, title, suggested, filter):
        self.shown.append(("save_file", title, suggested))
        return self.file_answers.pop(0) if self.file_answers else None

    def run(self, dialog):
        self.shown.append(("dialog", type(dialog).__name__, dialog.windowTitle()))
        if self.dialog_handler is None:
            return 0
        return self.dialog_handler(dialog)

    def errors(self) -> list[str]:
        return [text for kind, _title, text in self.shown if kind == "error"]


@pytest.fixture(autouse=True)
def scripted_dialogs() -> ScriptedPresenter:
    fake = ScriptedPresenter()
    restore = dialogs.replace_presenter(fake)
    yield fake
    restore()


@pytest.fixture(autouse=True)
def synchronous_work() -> None:
    work.use_pool(work.SynchronousPool())
    yield
    work.use_pool(None)


@pytest.fixture
def twice_the_text(qapp):
    """As the coach's font setting at 200% does: the application's font and its style sheet's
    sizes doubled (for the whole application, as the screen probe does: a widget's own font
    does not reach the controls a style sheet styles), then back. Yields the doubled size."""
    from PySide6.QtGui import QFont

    from coachdesk.ui import style

    font, sheet = qapp.font(), qapp.styleSheet()
    larger = QFont(font)
    larger.setPointSizeF(font.pointSizeF() * 2)
    qapp.setFont(larger)
    qapp.setStyleSheet(style.style_sheet(dark=False, base_pt=larger.pointSizeF()))
    yield larger.pointSizeF()
    qapp.setStyleSheet(sheet)
    qapp.setFont(font)
