"""A small dialog of labelled inputs that saves on OK and stays open on a refused input.

The save function runs when the coach presses OK; if it raises a CoachdeskError, the sentence
appears in the dialog and everything typed stays in place to be corrected.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from coachdesk.core.errors import CoachdeskError
from coachdesk.ui.date_input import DateInput


class FormDialog(QDialog):
    def __init__(self, title: str, *, save_label: str = "Save", parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self.inputs: dict[str, QWidget] = {}
        self.form = QFormLayout()
        self.error = QLabel()
        self.error.setObjectName("errorText")
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        self.error.setAccessibleName("Problem")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(save_label)
        self.buttons.accepted.connect(self.try_accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._save: Callable[[dict[str, Any]], Any] | None = None
        self.result_value: Any = None

    # --- building -------------------------------------------------------------------------------

    def add_line(
        self, key: str, label: str, value: str | None = "", *, hint: str = ""
    ) -> QLineEdit:
        edit = QLineEdit(value or "")
        edit.setPlaceholderText(hint)
        return self._add(key, label, edit)

    def add_text(
        self, key: str, label: str, value: str | None = "", *, hint: str = ""
    ) -> QPlainTextEdit:
        edit = QPlainTextEdit(value or "")
        edit.setPlaceholderText(hint)
        edit.setTabChangesFocus(True)
        edit.setMinimumHeight(90)
        return self._add(key, label, edit)

    def add_choice(
        self,
        key: str,
        label: str,
        choices: list[tuple[str, Any]],
        value: Any = None,
        *,
        editable: bool = False,
    ) -> QComboBox:
        box = QComboBox()
        box.setEditable(editable)
        for text, data in choices:
            box.addItem(text, data)
        if value is not None:
            found = box.findData(value)
            if found >= 0:
                box.setCurrentIndex(found)
            elif editable:
                box.setEditText(str(value))
        return self._add(key, label, box)

    def add_date(self, key: str, label: str, value: Any, *, optional: bool = False) -> DateInput:
        """A date typed or picked; an optional one may be left empty (no date)."""
        return self._add(key, label, DateInput(label, value, optional=optional))

    def _add(self, key: str, label: str, widget: Any) -> Any:
        widget.setAccessibleName(label)
        if isinstance(widget, QComboBox) and widget.lineEdit() is not None:
            widget.lineEdit().setAccessibleName(label)  # where an editable box's typing goes
        self.form.addRow(label, widget)
        self.inputs[key] = widget
        if len(self.inputs) == 1:
            # The dialog opens on its first field (Save and Cancel, made first, would take the
            # focus); Tab then goes through the fields to Save and Cancel, and round again.
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
        return widget

    # --- saving ---------------------------------------------------------------------------------

    def on_save(self, save: Callable[[dict[str, Any]], Any]) -> None:
        self._save = save

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, widget in self.inputs.items():
            if isinstance(widget, QLineEdit):
                out[key] = widget.text()
            elif isinstance(widget, QPlainTextEdit):
                out[key] = widget.toPlainText()
            elif isinstance(widget, QComboBox):
                data = widget.currentData()
                out[key] = (
                    widget.currentText()
                    if widget.isEditable()
                    and (
                        data is None
                        or widget.currentText() != widget.itemText(widget.currentIndex())
                    )
                    else data
                )
            elif isinstance(widget, DateInput):
                out[key] = widget.value()
        return out

    def try_accept(self) -> bool:
        """Save; close on success, or show the refusal and keep everything typed."""
        for widget in self.inputs.values():
            if isinstance(widget, DateInput) and widget.check():  # said under the field
                self.error.setVisible(False)
                widget.setFocus()
                return False
        try:
            self.result_value = self._save(self.values()) if self._save else self.values()
        except CoachdeskError as exc:
            self.error.setText(str(exc))
            self.error.setVisible(True)
            return False
        self.accept()
        return True
