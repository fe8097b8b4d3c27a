"""After an item is closed on Today: "Marked submitted: Q1 report… [Undo]" in the status bar.

The offer sits in the main window's status bar (on the right, where the profile's message does
not hide it) or, in a view shown on its own, under the view. It lasts a minute, or until the
next item is closed; Undo runs the given function once.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMainWindow, QPushButton, QWidget

OFFER_MS = 60_000


class UndoOffer(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.label.setAccessibleName("What was just done")
        self.button = QPushButton("Undo")
        self.button.setAutoDefault(False)
        self.button.clicked.connect(self.undo)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.button)
        self._undo: Callable[[], None] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.withdraw)
        self._placed = False
        self.hide()

    def offer(self, text: str, undo: Callable[[], None], *, view: QWidget) -> None:
        """Offer to undo what `text` says was done, for a minute."""
        self._place(view)
        self._undo = undo
        self.label.setText(text)
        self.button.setAccessibleName(f"Undo: {text}")
        self.show()
        self._timer.start(OFFER_MS)

    def undo(self) -> None:
        undo, self._undo = self._undo, None
        self.withdraw()
        if undo is not None:
            undo()

    def withdraw(self) -> None:
        self._timer.stop()
        self._undo = None
        self.hide()

    @property
    def offered(self) -> bool:
        return self._undo is not None

    def _place(self, view: QWidget) -> None:
        if self._placed:
            return
        window = view.window()
        if isinstance(window, QMainWindow):
            window.statusBar().addPermanentWidget(self)
            self._placed = True
