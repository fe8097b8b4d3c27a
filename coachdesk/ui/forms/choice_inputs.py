"""Inputs for answers picked from a choice list, and `input_for`, which picks any field's input."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QPushButton,
    QSizePolicy,
    QStyle,
    QStyleOptionButton,
    QStyleOptionFocusRect,
    QStylePainter,
    QWidget,
)

from coachdesk.core.forms.model import (
    NOT_APPLICABLE,
    NOT_OBSERVED,
    OBSERVED,
    PARTLY,
    FieldDef,
)
from coachdesk.ui.forms.inputs import (
    AnswerInput,
    DateInput,
    LongTextInput,
    NumberInput,
    ShownValue,
    TextInput,
    TimeInput,
    describe_options,
)

# A chosen rating must stand out at a glance, not only by a slightly darker grey: buttons with
# this role are filled with the accent colour when checked (coachdesk/ui/style.py).
CHOICE_ROLE = "choice"


class SelectOneInput(AnswerInput):
    def __init__(self, field: FieldDef, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.combo = QComboBox()
        self.combo.addItem("Choose…", None)
        for choice in field.choices.choices if field.choices else ():
            self.combo.addItem(choice.label, choice.name)
        self.combo.setMinimumWidth(260)
        self._name(self.combo)
        self.layout_.addWidget(self.combo)
        self.layout_.addStretch(1)
        self.combo.activated.connect(lambda _i: self._emit(self.value()))

    def value(self) -> Any:
        return self.combo.currentData()

    def _show(self, value: Any) -> None:
        index = self.combo.findData(value) if value is not None else 0
        if index < 0:  # an answer no longer in the list still shows
            self.combo.addItem(str(value), value)
            index = self.combo.count() - 1
        self.combo.setCurrentIndex(index)

    def focus_target(self) -> QWidget:
        return self.combo


class WrappingCheckBox(QCheckBox):
    """A check box whose option goes onto more lines where its column is short of room (twice
    the text beside the visit's details): a QCheckBox draws its text on one line, cut.

    Where the option fits on one line it is drawn exactly as a QCheckBox draws it. The option is
    the box's accessible name and `option`; the button's own text() stays empty, since Qt lays
    that out on one line (clicks anywhere on the box or its words toggle it)."""

    FLAGS = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter

    def __init__(self, option: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.option = option
        self.setAccessibleName(option)
        policy = self.sizePolicy()
        policy.setVerticalPolicy(QSizePolicy.Policy.Preferred)  # as high as its lines need
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def _style_option(self, text: str) -> QStyleOptionButton:
        option = QStyleOptionButton()
        self.initStyleOption(option)
        option.text = text
        return option

    def _around(self, text: QSize) -> QSize:
        """The box's size around its words' `text` size (the indicator, its gap, margins)."""
        return self.style().sizeFromContents(
            QStyle.ContentsType.CT_CheckBox, self._style_option(self.option), text, self
        )

    def _text_width(self, width: int) -> int:
        return max(width - self._around(QSize(0, 0)).width(), 1)

    def _wrapped(self, width: int) -> QRect:
        bounds = QRect(0, 0, self._text_width(width), 100_000)
        flags = int(self.FLAGS | Qt.TextFlag.TextWordWrap)
        return self.fontMetrics().boundingRect(bounds, flags, self.option)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override (as QCheckBox measures its text)
        text = self.style().itemTextRect(self.fontMetrics(), QRect(), 0, False, self.option)
        return self._around(text.size())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        words = self.option.split() or [""]
        longest = max(self.fontMetrics().horizontalAdvance(word) for word in words)
        # As high as one line: a layout asks heightForWidth for the lines at a given width.
        return QSize(self._around(QSize(longest, 0)).width(), self.sizeHint().height())

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt override
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        one_line = self.sizeHint()
        if width >= one_line.width():
            return one_line.height()
        return self._around(self._wrapped(width).size()).height()

    def hitButton(self, pos) -> bool:  # noqa: N802 - Qt override: the words toggle it too
        return self.rect().contains(pos)

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt override
        painter = QStylePainter(self)
        if self.width() >= self.sizeHint().width():  # on one line, as a QCheckBox draws it
            painter.drawControl(QStyle.ControlElement.CE_CheckBox, self._style_option(self.option))
            return
        box = self._style_option("")
        box.state &= ~QStyle.StateFlag.State_HasFocus  # the focus frame goes round the words
        painter.drawControl(QStyle.ControlElement.CE_CheckBox, box)
        words = self.style().subElementRect(
            QStyle.SubElement.SE_CheckBoxContents, self._style_option(self.option), self
        )
        flags = int(self.FLAGS | Qt.TextFlag.TextWordWrap)
        palette = self.palette()
        painter.drawItemText(
            words, flags, palette, self.isEnabled(), self.option, QPalette.ColorRole.WindowText
        )
        if self.hasFocus():  # as a QCheckBox frames its one line
            frame = QStyleOptionFocusRect()
            frame.initFrom(self)
            shown = self.fontMetrics().boundingRect(words, flags, self.option)
            frame.rect = shown.adjusted(-2, -1, 2, 1).intersected(self.rect())
            painter.drawPrimitive(QStyle.PrimitiveElement.PE_FrameFocusRect, frame)


class BoxColumns(QWidget):
    """Check boxes in two columns when there is room for them, else in one (a narrow window).

    The boxes are placed by hand: a layout on this widget would hide its height-for-width.
    """

    SPACING = 18
    ROW_SPACING = 2

    def __init__(self, boxes: list[WrappingCheckBox], *, columns: int) -> None:
        super().__init__()
        self.boxes = boxes
        self.most_columns = columns
        self.columns = columns
        for box in boxes:
            box.setParent(self)
        policy = self.sizePolicy()
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def _arrange(self, width: int) -> None:
        self.columns = columns = self._columns_for(width)
        if columns == 1:  # a long option may take two lines where the column is narrow
            y = 0
            for box in self.boxes:
                height = box.heightForWidth(width)
                box.setGeometry(0, y, width, height)
                y += height + self.ROW_SPACING
            return
        per_column = (len(self.boxes) + columns - 1) // columns
        row_height = self._row_height()
        x = 0
        for column in range(columns):
            boxes = self.boxes[column * per_column : (column + 1) * per_column]
            last = column == columns - 1
            # Each column as wide as its longest choice; the last one takes what is left.
            need = max((b.sizeHint().width() for b in boxes), default=0)
            column_width = max(width - x, 0) if last else need
            for row, box in enumerate(boxes):
                box.setGeometry(x, row * (row_height + self.ROW_SPACING), column_width, row_height)
            x += column_width + self.SPACING

    def _row_height(self) -> int:
        return max((b.sizeHint().height() for b in self.boxes), default=0)

    def _width_for(self, columns: int) -> int:
        if not self.boxes:
            return 0
        per_column = (len(self.boxes) + columns - 1) // columns
        widths = [
            max(b.sizeHint().width() for b in self.boxes[c * per_column : (c + 1) * per_column])
            for c in range(columns)
            if self.boxes[c * per_column : (c + 1) * per_column]
        ]
        return sum(widths) + self.SPACING * (len(widths) - 1)

    def _columns_for(self, width: int) -> int:
        fits = self.most_columns > 1 and width >= self._width_for(self.most_columns)
        return self.most_columns if fits else 1

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        # As narrow as the longest word of an option; as high as the options on one line each
        # (heightForWidth says how much more their wrapped lines take).
        width = max((b.minimumSizeHint().width() for b in self.boxes), default=0)
        rows = len(self.boxes)
        return QSize(width, rows * self._row_height() + max(rows - 1, 0) * self.ROW_SPACING)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        width = self._width_for(self.most_columns)
        return QSize(width, self.heightForWidth(width))

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt override
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        columns = self._columns_for(width)
        if columns == 1:
            heights = [box.heightForWidth(width) for box in self.boxes]
            return sum(heights) + max(len(heights) - 1, 0) * self.ROW_SPACING
        rows = (len(self.boxes) + columns - 1) // columns if self.boxes else 0
        return rows * self._row_height() + max(rows - 1, 0) * self.ROW_SPACING

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        self._arrange(event.size().width())
        super().resizeEvent(event)


class SelectMultipleInput(AnswerInput):
    def __init__(self, field: FieldDef, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        choices = field.choices.choices if field.choices else ()
        self.boxes: list[tuple[str, WrappingCheckBox]] = []
        for choice in choices:
            box = WrappingCheckBox(choice.label)
            box.toggled.connect(lambda _c: self._emit(self.value()))
            self.boxes.append((choice.name, box))
        describe_options(field, [b for _n, b in self.boxes], required=False)
        holder = BoxColumns([b for _n, b in self.boxes], columns=2 if len(choices) > 4 else 1)
        self.layout_.addWidget(holder)
        self.layout_.addStretch(1)

    def value(self) -> Any:
        picked = [name for name, box in self.boxes if box.isChecked()]
        return picked or None

    def _show(self, value: Any) -> None:
        chosen = set(value or [])
        for name, box in self.boxes:
            box.setChecked(name in chosen)

    def focus_target(self) -> QWidget:
        return self.boxes[0][1] if self.boxes else self

    def mark_required(self) -> None:
        describe_options(self.field, [b for _n, b in self.boxes], required=True)


# The learning-walk scale has fixed keys everywhere (1 observed, 2 partly, 3 not observed,
# 0 not applicable) so a coach's fingers learn one layout; other scales count 1, 2, 3...
RATING_KEYS = {OBSERVED: "1", PARTLY: "2", NOT_OBSERVED: "3", NOT_APPLICABLE: "0"}


def rating_keys(field: FieldDef) -> dict[str, str]:
    """Choice name -> the key that picks it, for a rating field."""
    names = [c.name for c in field.choices.choices] if field.choices else []
    if names and all(name in RATING_KEYS for name in names):
        return {name: RATING_KEYS[name] for name in names}
    return {name: str(index + 1) for index, name in enumerate(names)}


class RatingInput(AnswerInput):
    """A row of toggle buttons; a key per rating picks it while the row has focus."""

    def __init__(self, field: FieldDef, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self._value: Any = None
        self.keys = rating_keys(field)
        self.buttons: list[tuple[str, QPushButton]] = []
        for choice in field.choices.choices if field.choices else ():
            key = self.keys[choice.name]
            button = QPushButton(f"{key}  {choice.label}")
            button.setCheckable(True)
            button.setMinimumWidth(110)
            button.setProperty("role", CHOICE_ROLE)
            button.setAccessibleName(f"{choice.label} (key {key})")
            button.clicked.connect(lambda _c, name=choice.name: self._pick(name))
            self.layout_.addWidget(button)
            self.buttons.append((choice.name, button))
        describe_options(field, [b for _n, b in self.buttons], required=False)
        self.layout_.addStretch(1)

    def _pick(self, name: str) -> None:
        # Qt has already toggled the clicked button; decide from the answer held before.
        self._show(None if self._value == name else name)  # the chosen rating again clears it
        self._emit(self.value())

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        by_key = {key: name for name, key in self.keys.items()}
        if event.text() in by_key:
            self._pick(by_key[event.text()])
            return
        super().keyPressEvent(event)

    def value(self) -> Any:
        return self._value

    def _show(self, value: Any) -> None:
        self._value = value
        for name, button in self.buttons:
            button.setChecked(name == value)

    def focus_target(self) -> QWidget:
        return self.buttons[0][1] if self.buttons else self

    def mark_required(self) -> None:
        describe_options(self.field, [b for _n, b in self.buttons], required=True)


_INPUTS: dict[str, type[AnswerInput]] = {
    "text": TextInput,
    "long_text": LongTextInput,
    "integer": NumberInput,
    "decimal": NumberInput,
    "date": DateInput,
    "time": TimeInput,
    "select_one": SelectOneInput,
    "select_multiple": SelectMultipleInput,
    "rating": RatingInput,
}


def input_for(field: FieldDef, parent: QWidget | None = None) -> AnswerInput:
    """The input widget for a field; calculated and read-only fields are shown as text."""
    if field.read_only or field.calculation is not None:
        return ShownValue(field, parent)
    return _INPUTS[field.type](field, parent)
