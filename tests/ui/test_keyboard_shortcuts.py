"""The main actions by their keys, shown in the menus and tooltips, with no key taken twice."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractButton

from coachdesk.core import visits
from coachdesk.ui import shortcuts
from coachdesk.ui.help_dialog import HelpDialog, menu_keys
from coachdesk.ui.visits.start_dialog import StartVisitDialog
from tests.support.ui import open_window, settle

CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = CTRL | Qt.KeyboardModifier.ShiftModifier


def _active(qtbot, window) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def _visit_open(qtbot, window):
    row = sorted(window.caseload.list_view.visible_rows(), key=lambda r: r.school_name)[0]
    visit_id = visits.start_visit(
        window.profile,
        row.school_id,
        visit_type="onsite",
        starts_at=dt.datetime.now().replace(second=0, microsecond=0) - dt.timedelta(days=1),
    )
    window.show_area("caseload")
    window.caseload.open_visit(visit_id)
    settle(qtbot)
    _active(qtbot, window)
    return window.caseload.visit_page


def _every_key(window) -> Counter:
    """Each key bound anywhere in the window (menu actions, page shortcuts, buttons)."""
    keys: list[str] = []
    for action in window.findChildren(QAction):
        keys += [k.toString() for k in action.shortcuts() if not k.isEmpty()]
    for shortcut in window.findChildren(QShortcut):  # a page's keys count while it shows
        if shortcut.isEnabled() and shortcut.parent().isVisible():
            keys.append(shortcut.key().toString())
    for button in window.findChildren(QAbstractButton):
        if button.isVisible() and not button.shortcut().isEmpty() and "&" not in button.text():
            keys.append(button.shortcut().toString())
    return Counter(keys)


def test_the_menus_show_the_main_keys_and_the_tooltips_name_them(qtbot, demo_dir):
    window = open_window(qtbot, demo_dir)
    listed = {(menu, name): key for menu, name, key in menu_keys(window.menuBar())}
    native = QKeySequence.SequenceFormat.NativeText
    expected = {
        ("Visit", "Start a visit"): QKeySequence(QKeySequence.StandardKey.New).toString(native),
        ("Visit", "Finalize the note"): "Ctrl+Shift+F",
        ("Visit", "Print the summary"): QKeySequence(QKeySequence.StandardKey.Print).toString(
            native
        ),
        ("File", "Export for my other laptops"): "Ctrl+Shift+E",
        ("File", "Import bundles"): "Ctrl+I",
        ("File", "Back up now"): "Ctrl+Shift+B",
        ("Help", "Keyboard and help"): "F1",
    }
    assert {k: listed.get(k) for k in expected} == expected
    menu = window.visit_menu
    assert menu.finalize_action.toolTip() == "Check the open note and mark it final (Ctrl+Shift+F)"
    assert window.profile_actions.backup_action.toolTip().endswith("(Ctrl+Shift+B)")


def test_no_key_is_taken_twice_with_a_visit_open(qtbot, demo_dir):
    window = open_window(qtbot, demo_dir)
    page = _visit_open(qtbot, window)
    assert page.isVisible()
    twice = {key: n for key, n in _every_key(window).items() if n > 1}
    assert twice == {}
    assert page.print_button.toolTip().endswith(f"({shortcuts.shown('print_summary')})")


def test_ctrl_n_on_a_selected_school_starts_a_visit(qtbot, demo_dir, scripted_dialogs):
    window = open_window(qtbot, demo_dir)
    _active(qtbot, window)
    table = window.caseload.list_view.table
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, 0))
    school = window.caseload.list_view.current_row()
    seen = []

    def start(dialog):
        seen.append(dialog)
        return 1 if isinstance(dialog, StartVisitDialog) and dialog.try_accept() else 0

    scripted_dialogs.dialog_handler = start
    qtbot.keyClick(table, Qt.Key.Key_N, CTRL)
    assert [type(d).__name__ for d in seen] == ["StartVisitDialog"]
    page = window.caseload.currentWidget()
    assert page is window.caseload.visit_page
    assert page.visit.school_id == school.school_id


def test_ctrl_p_and_ctrl_shift_f_act_on_the_open_note(qtbot, demo_dir, scripted_dialogs):
    window = open_window(qtbot, demo_dir)
    page = _visit_open(qtbot, window)
    qtbot.keyClick(page, Qt.Key.Key_P, CTRL)
    assert ("dialog", "PdfPreviewDialog", "Visit summary") in scripted_dialogs.shown
    qtbot.keyClick(page, Qt.Key.Key_F, CTRL_SHIFT)
    kind, title, _text = scripted_dialogs.shown[-1]
    assert (kind, title) == ("error", "Not ready to finalize")  # the empty note was checked


def test_with_no_note_open_the_keys_say_why_nothing_happened(qtbot, demo_dir, scripted_dialogs):
    window = open_window(qtbot, demo_dir)
    _active(qtbot, window)
    window.caseload.list_view.table.setFocus()
    qtbot.keyClick(window.caseload.list_view.table, Qt.Key.Key_P, CTRL)
    assert window.statusBar().currentMessage() == "Open a visit note to print its summary."
    assert scripted_dialogs.shown == []


def test_f1_lists_every_key(qtbot, demo_dir, scripted_dialogs):
    window = open_window(qtbot, demo_dir)
    _active(qtbot, window)
    window.caseload.list_view.table.setFocus()
    qtbot.keyClick(window.caseload.list_view.table, Qt.Key.Key_F1)
    assert ("dialog", "HelpDialog", "Keyboard and help") in scripted_dialogs.shown
    text = HelpDialog(window.menuBar(), window).text.text()
    for words in ("Visit ▸ Start a visit", "Ctrl+Shift+F", "File ▸ Back up now", "Alt+Down"):
        assert words in text
