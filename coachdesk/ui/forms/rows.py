"""The pieces the form renderer is built from: a field row, a section, a repeat block."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from coachdesk.core.forms.model import FieldDef
from coachdesk.ui.date_input import SideBySide
from coachdesk.ui.forms.choice_inputs import input_for
from coachdesk.ui.forms.inputs import AnswerInput

INTERNAL_BADGE = "Internal — never printed or shared"
_INLINE_LABEL_WIDTH = 380


class FieldRow(QWidget):
    """Label (with a required mark and internal badge), hint, input and inline messages."""

    def __init__(
        self, field: FieldDef, path: str, *, inline: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.field = field
        self.path = path
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4 if not inline else 1, 0, 4 if not inline else 1)
        layout.setSpacing(3)
        top = QHBoxLayout()
        top.setSpacing(8)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        text = field.label + ("  *" if field.required else "")
        self.label.setText(text)
        font = self.label.font()
        font.setBold(True)
        self.label.setFont(font)
        self.label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        top.addWidget(self.label, 1)
        self.badge: QLabel | None = None
        if field.is_internal:
            self.badge = QLabel(INTERNAL_BADGE)
            self.badge.setProperty("role", "badge")
            self.badge.setAccessibleName("Internal field: never printed or shared")
            if not inline:  # under the question where it would squeeze it (twice the text)
                top.takeAt(0)
                top.addWidget(
                    SideBySide((self.label, 1), (self.badge, 0), last_at_most=0.5, spacing=8)
                )
            else:
                top.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        if field.hint:
            hint = QLabel(field.hint)
            hint.setWordWrap(True)
            hint.setProperty("role", "subtle")
            layout.addWidget(hint)
        self.input: AnswerInput = input_for(field)
        target = self.input.focus_target()
        self.label.setBuddy(target)
        if field.required:
            self.input.mark_required()
        if inline:  # a row of a matrix: the label beside its input, in a fixed column
            self.label.setFixedWidth(_INLINE_LABEL_WIDTH)
            top.takeAt(0)
            top.insertWidget(0, self.input, 1)
            top.insertWidget(0, self.label, 0, Qt.AlignmentFlag.AlignVCenter)
        else:
            layout.addWidget(self.input)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setProperty("role", "error")
        self.message.setAccessibleName(f"{field.label}: problem")
        self.message.hide()
        layout.addWidget(self.message)
        self.privacy = QLabel()
        self.privacy.setWordWrap(True)
        self.privacy.setProperty("role", "note")
        self.privacy.hide()
        layout.addWidget(self.privacy)

    def show_message(self, text: str) -> None:
        """Show (or with '' hide) the sentence under the input."""
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def show_privacy(self, text: str) -> None:
        self.privacy.setText(text)
        self.privacy.setVisible(bool(text))


class NoteRow(QWidget):
    def __init__(self, field: FieldDef, path: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.path = path
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        text = QLabel(field.label)
        text.setWordWrap(True)
        text.setProperty("role", "help")  # colours in coachdesk/ui/style.py
        layout.addWidget(text)


class Section(QFrame):
    """A group: a heading and the fields inside it."""

    def __init__(self, field: FieldDef, path: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.path = path
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 10, 0, 4)
        layout.setSpacing(2)
        heading = QLabel(field.label)
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        heading.setFont(font)
        heading.setWordWrap(True)
        layout.addWidget(heading)
        if field.is_internal:
            badge = QLabel(INTERNAL_BADGE)
            badge.setProperty("role", "badge")
            layout.addWidget(badge, 0, Qt.AlignmentFlag.AlignLeft)
        self.body = QVBoxLayout()
        self.body.setContentsMargins(12, 0, 0, 0)
        layout.addLayout(self.body)


class RepeatBlock(QFrame):
    """A repeat: its rows, each in a frame with a remove button, and an add button."""

    add_requested = Signal()
    remove_requested = Signal(int)

    def __init__(self, field: FieldDef, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.path = field.name
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 10, 0, 4)
        heading = QLabel(_plural(field.label) + ("  *" if field.required else ""))
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        heading.setFont(font)
        heading.setWordWrap(True)
        layout.addWidget(heading)
        self.message = QLabel()
        self.message.setProperty("role", "error")
        self.message.hide()
        layout.addWidget(self.message)
        self.rows = QVBoxLayout()
        self.rows.setSpacing(8)
        layout.addLayout(self.rows)
        self.empty = QLabel(f"No {_plural(field.label).lower()} yet.")
        self.empty.setProperty("role", "subtle")
        layout.addWidget(self.empty)
        self.add_button = QPushButton(f"+ Add {field.label.lower()}")
        self.add_button.setAccessibleName(f"Add {field.label.lower()}")
        self.add_button.clicked.connect(self.add_requested.emit)
        layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.frames: list[RowFrame] = []

    def clear(self) -> None:
        for frame in self.frames:
            frame.setParent(None)
            frame.deleteLater()
        self.frames = []

    def add_frame(self, index: int, *, read_only: bool) -> RowFrame:
        frame = RowFrame(f"{self.field.label} {index + 1}", read_only=read_only)
        frame.remove_button.clicked.connect(lambda: self.remove_requested.emit(index))
        frame.remove_button.setAccessibleName(f"Remove {self.field.label.lower()} {index + 1}")
        self.rows.addWidget(frame)
        self.frames.append(frame)
        return frame

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))


class RowFrame(QFrame):
    def __init__(self, title: str, *, read_only: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("repeatRow")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 8)
        top = QHBoxLayout()
        title_label = QLabel(title)
        font = title_label.font()
        font.setBold(True)
        title_label.setFont(font)
        top.addWidget(title_label, 1)
        # Made inside the row: a button with no parent yet, when shown, is a window of its own
        # for a moment, which takes the focus from the field the new row puts the cursor in.
        self.remove_button = QPushButton("Remove", self)
        self.remove_button.setVisible(not read_only)
        top.addWidget(self.remove_button)
        layout.addLayout(top)
        self.body = QVBoxLayout()
        self.body.setSpacing(0)
        layout.addLayout(self.body)


def _plural(label: str) -> str:
    if label.endswith(("s", "sh", "ch")):
        return label + "es"
    if label.endswith("y") and not label.endswith(("ay", "ey", "oy")):
        return label[:-1] + "ies"
    return label + "s"
