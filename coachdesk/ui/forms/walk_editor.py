"""A learning-walk note with two ways in: walk mode (one classroom per screen) and the whole form.

Both views edit one response; switching hands the answers across, and every change from either
is sent on as `answer_changed(path, value)`, so the caller autosaves one signal.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from coachdesk.core.forms.model import FormDefinition
from coachdesk.ui.forms.choice_inputs import CHOICE_ROLE
from coachdesk.ui.forms.renderer import FormView
from coachdesk.ui.forms.walk_capture import LearningWalkCapture


class LearningWalkEditor(QWidget):
    """Walk mode and the whole form over one learning-walk response."""

    answer_changed = Signal(str, object)

    def __init__(
        self,
        definition: FormDefinition,
        response: dict[str, Any] | None = None,
        *,
        read_only: bool = False,
        today: dt.date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.form = FormView(definition, response, read_only=read_only, today=today)
        self.walk = LearningWalkCapture(definition, self.form.response(), read_only=read_only)
        self.form.answer_changed.connect(self.answer_changed)
        self.walk.answer_changed.connect(self.answer_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        switch = QHBoxLayout()
        switch.setContentsMargins(16, 8, 16, 0)
        self.walk_button = QPushButton("Walk mode: one classroom per screen")
        self.form_button = QPushButton("Whole form: focus, debrief and next steps")
        for button in (self.walk_button, self.form_button):
            button.setCheckable(True)
            button.setProperty("role", CHOICE_ROLE)  # which view is showing must be plain to see
            switch.addWidget(button)
        switch.addStretch(1)
        layout.addLayout(switch)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.form)
        self.stack.addWidget(self.walk)
        layout.addWidget(self.stack, 1)
        self.walk_button.clicked.connect(self.show_walk)
        self.form_button.clicked.connect(self.show_form)
        self.show_form()

    def show_walk(self) -> None:
        """Switch to walk mode with the form's latest answers."""
        self.walk = self._replace_walk(self.form.response())
        self.stack.setCurrentWidget(self.walk)
        self.walk_button.setChecked(True)
        self.form_button.setChecked(False)
        self.walk.setFocus()

    def show_form(self) -> None:
        """Switch to the whole form with walk mode's latest answers."""
        if self.stack.currentWidget() is self.walk:
            self.form.set_response(self.walk.response())
        self.stack.setCurrentWidget(self.form)
        self.walk_button.setChecked(False)
        self.form_button.setChecked(True)

    def response(self) -> dict[str, Any]:
        """The answers as they stand in whichever view is showing."""
        if self.stack.currentWidget() is self.walk:
            return self.walk.response()
        return self.form.response()

    def _replace_walk(self, response: dict[str, Any]) -> LearningWalkCapture:
        # The capture screen is rebuilt from the answers rather than kept in step field by field.
        fresh = LearningWalkCapture(self.form.definition, response, read_only=self.form.read_only)
        fresh.answer_changed.connect(self.answer_changed)
        name = fresh.repeat.name
        if fresh.response().get(name) != response.get(name):  # walk mode opened a first classroom
            self.answer_changed.emit(name, fresh.response().get(name))
        self.stack.insertWidget(1, fresh)
        self.stack.removeWidget(self.walk)
        self.walk.deleteLater()
        return fresh
