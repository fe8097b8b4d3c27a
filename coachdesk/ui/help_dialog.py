"""Help ▸ Keyboard and help (F1): the key of every menu action, read from the menus themselves
(so the list cannot drift from what the keys do), and the keys that act inside a page."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMenuBar,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from coachdesk.ui.shortcuts import IN_PAGE_KEYS


def menu_keys(bar: QMenuBar) -> list[tuple[str, str, str]]:
    """(menu, action, key) for every menu action that has a key, in the menus' order."""
    found = []
    for top in bar.actions():
        menu = top.menu()
        if menu is None:
            continue
        for action in menu.actions():
            keys = action.shortcut()
            if not keys.isEmpty():
                found.append(
                    (
                        top.text().replace("&", ""),
                        action.text().replace("&", "").rstrip("…"),
                        keys.toString(QKeySequence.SequenceFormat.NativeText),
                    )
                )
    return found


class HelpDialog(QDialog):
    def __init__(self, bar: QMenuBar, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard and help")
        rows = [
            f"<tr><td><b>{escape(key)}</b>&nbsp;&nbsp;</td><td>{escape(menu)} ▸ "
            f"{escape(name)}</td></tr>"
            for menu, name, key in menu_keys(bar)
        ]
        inside = [
            f"<tr><td><b>{escape(key)}</b>&nbsp;&nbsp;</td><td>{escape(what)}</td></tr>"
            for key, what in IN_PAGE_KEYS
        ]
        self.text = QLabel(
            "<p>Everything in coachdesk can be done from the keyboard.</p>"
            f"<h3>Menu keys</h3><table>{''.join(rows)}</table>"
            f"<h3>In a page or a field</h3><table>{''.join(inside)}</table>"
        )
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setWordWrap(True)
        self.text.setAccessibleName("Keyboard keys")
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        self.resize(560, 520)
