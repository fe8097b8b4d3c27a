"""Driving the window by keys alone, as tests/ui/test_keyboard_tasks.py and
tests/ui/test_keyboard_tasks_sharing.py do (issue 16).

Every key goes to the widget that has the keyboard focus (`QApplication.focusWidget()`), as a
coach's keyboard would; `tab_to` presses Tab until a named control has the focus and fails when
Tab never gets there. Modal dialogs go through the scripted presenter (tests/ui/conftest.py):
`by_keys` shows the dialog and drives it with keys, and its result is what the keys made it. When
a dialog or the search popup closes, the offscreen platform activates no window;
`window_manager_returns` does what a desktop's window manager does then (the main window is
active again), and the test then checks where the focus landed in it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QWidget,
)

from coachdesk.ui.main_window import MainWindow
from coachdesk.ui.visits.search_popup import SearchPopup
from tests.support.ui import open_window, settle

Key = Qt.Key
NONE = Qt.KeyboardModifier.NoModifier
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier


# --- the keyboard ---------------------------------------------------------------------------------


def focused() -> QWidget:
    """The widget that has the keyboard focus (a test fails when nothing has it)."""
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def name_of(widget: QWidget | None) -> str:
    """What a screen reader calls the control: its accessible name, else its text."""
    if widget is None:
        return ""
    if widget.accessibleName():
        return widget.accessibleName()
    if isinstance(widget, QAbstractButton):
        return widget.text().replace("&", "")
    return ""


def press(qtbot, key: Key, modifiers: Qt.KeyboardModifier = NONE) -> None:
    QApplication.processEvents()  # a coach's keys arrive through the event loop, one by one
    qtbot.keyClick(focused(), key, modifiers)


def type_keys(qtbot, text: str) -> None:
    QApplication.processEvents()
    qtbot.keyClicks(focused(), text)


def tab_to(qtbot, name: str, *, backwards: bool = False, limit: int = 80) -> QWidget:
    """Press Tab (or Shift+Tab) until the control called `name` has the focus; fails when Tab
    never reaches it (a control a keyboard cannot get to, or a trap on the way)."""
    seen: list[str] = []
    for _ in range(limit):
        press(qtbot, Key.Key_Backtab if backwards else Key.Key_Tab)
        widget = focused()
        if name_of(widget) == name:
            return widget
        seen.append(name_of(widget) or type(widget).__name__)
    raise AssertionError(f"Tab never reached {name!r}; it went through {seen}")


def window_manager_returns(qtbot, window: QWidget) -> None:
    """A dialog or popup closed: the window manager makes the main window active again (the
    offscreen platform has none to do it)."""
    settle(qtbot)  # the platform first hears that the closed window lost the focus
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def active(qtbot, window: QWidget) -> QWidget:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def by_keys(qtbot, scripted, drive: Callable[[QDialog], None], *, kinds: tuple = ()):
    """Answer the next dialogs (of these classes, else any) by showing them and driving them with
    keys; the result is what the keys made it (Enter on Start, Escape...)."""
    seen: list[QDialog] = []

    def handler(dialog):
        if kinds and not isinstance(dialog, kinds):
            return QDialog.DialogCode.Rejected
        seen.append(dialog)
        dialog.show()
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
        drive(dialog)
        if dialog.isVisible():  # the keys left it open: it was not accepted
            dialog.reject()
        return dialog.result()

    scripted.dialog_handler = handler
    return seen


# --- opening the window ---------------------------------------------------------------------------


def window_on(qtbot, profile_dir: Path) -> MainWindow:
    window = open_window(qtbot, profile_dir)
    active(qtbot, window)
    assert name_of(focused()) == "Areas"  # the window opens on its list of areas
    return window


def to_caseload_table(qtbot, window: MainWindow) -> QWidget:
    """From the list of areas, Tab to the caseload's table of schools."""
    assert window.current_area() == "caseload"
    table = tab_to(qtbot, "Schools in the caseload")
    assert table is window.caseload.list_view.table
    return table


def search_popup(qtbot, window: MainWindow) -> SearchPopup:
    """Ctrl+K: the search popup, its box holding the focus."""
    press(qtbot, Key.Key_K, CTRL)
    popup = window.findChild(SearchPopup)
    assert popup is not None and popup.isVisible()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is popup.box)
    return popup
