"""By keyboard alone, Tab and Shift+Tab leave every table; the arrow keys move inside it.

Before, Tab moved from cell to cell of the caseload, contacts and visits tables and never left
them, so the buttons after a table could only be reached by wrapping round the whole window.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication

from tests.support.ui import open_window, settle

SHIFT = Qt.KeyboardModifier.ShiftModifier


def _active(qtbot, window) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def _press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier):
    """Press a key where the keyboard is; returns the widget that has focus afterwards."""
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)
    return QApplication.focusWidget()


def _school_page(qtbot, window):
    row = sorted(window.caseload.list_view.visible_rows(), key=lambda r: r.school_name)[0]
    window.caseload.open_school(row.school_id)
    settle(qtbot)
    _active(qtbot, window)
    return window.caseload.school_page


def test_arrows_move_in_the_caseload_and_tab_leaves_it(qtbot, demo_dir):
    window = open_window(qtbot, demo_dir)
    _active(qtbot, window)
    table = window.caseload.list_view.table
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, 0))
    assert _press(qtbot, Qt.Key.Key_Down) is table
    assert table.currentIndex().row() == 1
    after = _press(qtbot, Qt.Key.Key_Tab)
    assert after is not table and after is not None
    assert table.currentIndex().row() == 1  # Tab did not move to another cell either
    assert _press(qtbot, Qt.Key.Key_Tab, SHIFT) is table


def test_tab_from_the_contacts_table_reaches_its_buttons(qtbot, demo_dir):
    window = open_window(qtbot, demo_dir)
    page = _school_page(qtbot, window)
    contacts = page.contacts_panel
    contacts.table.setFocus()
    assert _press(qtbot, Qt.Key.Key_Tab) is contacts.add_button
    assert _press(qtbot, Qt.Key.Key_Tab, SHIFT) is contacts.table


def test_tab_leaves_the_visits_and_next_steps_lists(qtbot, demo_dir):
    window = open_window(qtbot, demo_dir)
    page = _school_page(qtbot, window)
    visits_table = page.visits_panel.timeline.table
    visits_table.setFocus()
    assert visits_table.topLevelItemCount() > 1
    after = _press(qtbot, Qt.Key.Key_Tab)
    assert after is not visits_table
    assert _press(qtbot, Qt.Key.Key_Tab, SHIFT) is visits_table


def test_no_table_on_the_school_page_or_today_traps_tab(qtbot, demo_dir):
    window = open_window(qtbot, demo_dir)
    window.show_area("today")
    settle(qtbot)
    trapped = _trapping(qtbot, window)
    window.show_area("caseload")
    _school_page(qtbot, window)
    trapped += _trapping(qtbot, window)
    assert trapped == []


def _trapping(qtbot, window) -> list[str]:
    """The visible tables and lists that still have focus after Tab is pressed in them."""
    _active(qtbot, window)
    views = [v for v in window.findChildren(QAbstractItemView) if v.isVisible()]
    views = [v for v in views if v.focusPolicy() != Qt.FocusPolicy.NoFocus and v.isEnabled()]
    assert len(views) >= 2
    caught = []
    for view in views:
        view.setFocus()
        if view.hasFocus() and _press(qtbot, Qt.Key.Key_Tab) is view:
            caught.append(view.accessibleName() or type(view).__name__)
    return caught
