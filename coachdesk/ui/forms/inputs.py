"""One input widget per field type, all with the same small interface.

Every input has `value()` (None when unanswered), `set_value(v)`, `set_read_only(flag)`,
`focus_target()` and a `changed(object)` signal sent on each edit by the coach (not by
set_value). Long text sends `changed` after a short pause in typing, so a 1 MB paste or fast
typing does not re-run the form's rules on every keystroke; `flush()` sends a pending change now.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from PySide6.QtCore import QRegularExpression, Qt, QTimer, Signal
from PySide6.QtGui import QDoubleValidator, QIntValidator, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QWidget,
)

from coachdesk.core import dates_text
from coachdesk.core.forms.model import FieldDef
from coachdesk.ui import date_edits
from coachdesk.ui.date_input import CalendarKeys, CalendarPopup

LONG_TEXT_PAUSE_MS = 300


class AnswerInput(QWidget):
    """The shared interface; subclasses build the widgets."""

    changed = Signal(object)

    def __init__(self, field: FieldDef, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.problem = ""  # a sentence when the typed text cannot be read (dates, times)
        self._quiet = False
        self.layout_ = QHBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.setSpacing(6)

    def _emit(self, value: Any) -> None:
        if not self._quiet:
            self.changed.emit(value)

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        self._quiet = True
        try:
            self._show(value)
        finally:
            self._quiet = False

    def _show(self, value: Any) -> None:
        raise NotImplementedError

    def set_read_only(self, flag: bool) -> None:
        for child in self.findChildren(QWidget):
            if isinstance(child, QLineEdit | QPlainTextEdit):
                child.setReadOnly(flag)
                if flag:  # "YYYY-MM-DD" in an empty read-only box reads like a prompt
                    child.setPlaceholderText("")
            elif isinstance(child, QComboBox | QCheckBox | QPushButton | QToolButton):
                child.setEnabled(not flag)

    def focus_target(self) -> QWidget:
        return self

    def flush(self) -> None:
        """Send a change that is waiting (long text only)."""

    def _name(self, widget: QWidget, suffix: str = "") -> None:
        widget.setAccessibleName(self.field.label + suffix)
        if self.field.hint:
            widget.setAccessibleDescription(self.field.hint)

    def mark_required(self) -> None:
        """Say "(required)" with the answer's name (an input of options says it in each
        option's description instead: each option is named by itself)."""
        target = self.focus_target()
        target.setAccessibleName(f"{self.field.label} (required)")


def describe_options(field: FieldDef, options: list[QWidget], *, required: bool) -> None:
    """Each option is named by its own words; the question (and "required") describes it."""
    question = field.label + (" (required)" if required else "")
    for option in options:
        option.setAccessibleDescription(f"{question}. {field.hint}" if field.hint else question)


class TextInput(AnswerInput):
    def __init__(self, field: FieldDef, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.edit = QLineEdit()
        self._name(self.edit)
        self.layout_.addWidget(self.edit)
        self.edit.textEdited.connect(lambda _t: self._emit(self.value()))

    def value(self) -> Any:
        return self.edit.text() or None

    def _show(self, value: Any) -> None:
        self.edit.setText("" if value is None else str(value))

    def focus_target(self) -> QWidget:
        return self.edit


class LongTextInput(AnswerInput):
    def __init__(self, field: FieldDef, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.edit = QPlainTextEdit()
        self.edit.setTabChangesFocus(True)
        lines = self.edit.fontMetrics().lineSpacing()
        self.edit.setFixedHeight(lines * 5 + 14)  # five lines show; longer notes scroll
        self._name(self.edit)
        self.layout_.addWidget(self.edit)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(LONG_TEXT_PAUSE_MS)
        self._timer.timeout.connect(self.flush)
        self._pending = False
        self.edit.textChanged.connect(self._typed)
        self.edit.installEventFilter(self)

    def _typed(self) -> None:
        if self._quiet:
            return
        self._pending = True
        self._timer.start()

    def flush(self) -> None:
        self._timer.stop()
        if self._pending:
            self._pending = False
            self._emit(self.value())

    def eventFilter(self, watched: Any, event: Any) -> bool:  # noqa: N802 - Qt override
        if event.type() == event.Type.FocusOut:
            self.flush()
        return False

    def value(self) -> Any:
        return self.edit.toPlainText() or None

    def _show(self, value: Any) -> None:
        self._pending = False
        self._timer.stop()
        self.edit.setPlainText("" if value is None else str(value))

    def focus_target(self) -> QWidget:
        return self.edit


class NumberInput(AnswerInput):
    def __init__(self, field: FieldDef, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.edit = QLineEdit()
        self.edit.setMaximumWidth(140)
        if field.type == "integer":
            self.edit.setValidator(QIntValidator(-1_000_000_000, 1_000_000_000, self.edit))
        else:
            validator = QDoubleValidator(-1e12, 1e12, 6, self.edit)
            validator.setNotation(QDoubleValidator.Notation.StandardNotation)
            self.edit.setValidator(validator)
        self._name(self.edit)
        self.layout_.addWidget(self.edit)
        self.layout_.addStretch(1)
        self.edit.textEdited.connect(lambda _t: self._emit(self.value()))

    def value(self) -> Any:
        text = self.edit.text().strip()
        if not text or text in ("-", "."):
            return None
        try:
            return int(text) if self.field.type == "integer" else float(text)
        except ValueError:
            return None

    def _show(self, value: Any) -> None:
        if value is None or value == "":
            self.edit.setText("")
        elif self.field.type == "integer":
            self.edit.setText(str(int(float(value))))
        else:
            self.edit.setText(f"{float(value):g}")

    def focus_target(self) -> QWidget:
        return self.edit


def read_date(text: str) -> str | None:
    """YYYY-MM-DD for a typed date (Oct 14, 2026, M/D/YYYY or M/D/YY, ISO, "t", "today",
    "tomorrow": date_edits.read_typed_date); None if it is not one."""
    day = date_edits.read_typed_date(text, dt.date.today())
    return day.isoformat() if day else None


def shown_date(answer: str) -> str:
    """A stored YYYY-MM-DD answer as the coach reads it ("Oct 14, 2026"); other text unchanged."""
    try:
        return dates_text.medium_date(dt.date.fromisoformat(answer))
    except ValueError:
        return answer


class DateInput(AnswerInput):
    """A typed date (Oct 14, 2026, M/D/YYYY, ISO or "t" for today) with a calendar button.

    The answer is stored as YYYY-MM-DD; the box shows it as "Oct 14, 2026".
    """

    def __init__(self, field: FieldDef, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("e.g. Oct 14, 2026")
        self.edit.setMaximumWidth(self.edit.fontMetrics().horizontalAdvance("e.g. Sep 30, 2026__"))
        self._name(self.edit)
        self.button = QToolButton()
        self.button.setText("Calendar")
        self.button.setAccessibleName(f"Pick {field.label.lower()} from a calendar")
        self.button.setToolTip("Pick from a calendar (Alt+Down)")
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # typing is faster; mouse users click
        self.button.clicked.connect(self._pick)
        self.popup: CalendarPopup | None = None
        self.calendar_keys = CalendarKeys(self.edit, self._pick)  # Alt+Down or F4
        self.problem = ""
        self.layout_.addWidget(self.edit)
        self.layout_.addWidget(self.button)
        self.layout_.addStretch(1)
        self.edit.editingFinished.connect(self._finished)

    def _finished(self) -> None:
        text = self.edit.text().strip()
        value = read_date(text) if text else None
        self.problem = (
            "Enter a date such as Oct 14, 2026 or 10/14/2026." if text and not value else ""
        )
        if value and shown_date(value) != text:
            self.edit.setText(shown_date(value))
        self._emit(value)

    def set_read_only(self, flag: bool) -> None:
        super().set_read_only(flag)
        self.button.setVisible(not flag)

    def _pick(self) -> None:
        """The window's one calendar (date_input.CalendarPopup), on the typed date or today."""
        if self.popup is None:
            self.popup = CalendarPopup(self, self.edit, self.field.label)
            self.popup.picked.connect(self._picked)
        current = read_date(self.edit.text())
        self.popup.show_on(dt.date.fromisoformat(current) if current else dt.date.today())

    def _picked(self, day: dt.date) -> None:
        self.edit.setText(dates_text.medium_date(day))
        self.edit.setFocus(Qt.FocusReason.PopupFocusReason)
        self._finished()

    def value(self) -> Any:
        return read_date(self.edit.text()) if self.edit.text().strip() else None

    def _show(self, value: Any) -> None:
        self.problem = ""
        self.edit.setText("" if value is None else shown_date(str(value)))

    def focus_target(self) -> QWidget:
        return self.edit


def read_time(text: str) -> str | None:
    """HH:MM for a typed time (9:30, 0930, 2:15 pm); None if it is not a time."""
    match = re.fullmatch(r"(\d{1,2}):?(\d{2})\s*([ap]\.?m\.?)?", text.strip().lower())
    if not match:
        return None
    hour, minute, half = int(match.group(1)), int(match.group(2)), match.group(3)
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half.startswith("p") else 0)
    if hour > 23 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"


def shown_time(answer: str) -> str:
    """A stored HH:MM answer as the coach reads it ("2:15 PM"); other text unchanged."""
    try:
        return dates_text.clock_time(dt.time.fromisoformat(answer))
    except ValueError:
        return answer


class TimeInput(AnswerInput):
    """A typed time (9:30, 2:15 pm, 1415), stored as HH:MM and shown as "2:15 PM"."""

    def __init__(self, field: FieldDef, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("e.g. 9:30 AM")
        self.edit.setMaximumWidth(self.edit.fontMetrics().horizontalAdvance("e.g. 12:30 PM__"))
        self.edit.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"[0-9: apmAPM.]{0,10}"), self.edit)
        )
        self._name(self.edit)
        self.problem = ""
        self.layout_.addWidget(self.edit)
        self.layout_.addStretch(1)
        self.edit.editingFinished.connect(self._finished)

    def _finished(self) -> None:
        text = self.edit.text().strip()
        value = read_time(text) if text else None
        self.problem = (
            "Enter a time such as 9:30 AM, 2:15 pm or 14:15." if text and not value else ""
        )
        if value and shown_time(value) != text:
            self.edit.setText(shown_time(value))
        self._emit(value)

    def value(self) -> Any:
        return read_time(self.edit.text())

    def _show(self, value: Any) -> None:
        self.problem = ""
        self.edit.setText("" if value is None else shown_time(str(value)))

    def focus_target(self) -> QWidget:
        return self.edit


class ShownValue(AnswerInput):
    """A calculated or read-only answer, shown as text."""

    def __init__(self, field: FieldDef, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.text = QLabel("—")
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._name(self.text)
        self.layout_.addWidget(self.text)
        self.layout_.addStretch(1)
        self._value: Any = None

    def value(self) -> Any:
        return self._value

    def _show(self, value: Any) -> None:
        self._value = value
        if isinstance(value, list):
            shown = ", ".join(
                self.field.choices.label_of(v) if self.field.choices else v for v in value
            )
        elif self.field.choices is not None and value is not None:
            shown = self.field.choices.label_of(str(value))
        elif self.field.type == "date" and isinstance(value, str):
            shown = shown_date(value)
        elif self.field.type == "time" and isinstance(value, str):
            shown = shown_time(value)
        else:
            shown = "" if value is None else str(value)
        self.text.setText(shown or "—")
