"""A screen reader's view of every area and dialog: the accessibility tree, walked in Qt.

The tour (tests/ui/tour.py) opens each area and main dialog of the window on the demo profile;
at each one the tree under the window (QAccessible.queryAccessibleInterface and its children,
recursively) is checked by tests/ui/accessibility_tree.py: an interactive element without a
name, a list item without a name, a check box named by its question instead of its own option,
a table that keeps Tab inside it, a line edit's clear button without a name, or a table whose
row headers are empty, each fails here.

Before issue 16's first part the walk found 56 problems in 34 windows: 9 search results and
the search's clear button unnamed, 37 check boxes and rating buttons named by their question
(17 on the visit form, 20 in walk mode), 3 in Today's calendar, 3 in the target dialog, 2 in
the contact dialogs and one table keeping Tab (Trust).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QApplication,
    QLineEdit,
    QListWidget,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coachdesk.ui.announce import accessible_child
from coachdesk.ui.caseload.table_model import LAST_VISIT, SCHOOL
from coachdesk.ui.record_list import RecordList
from tests.support.ui import open_school, open_window
from tests.ui.accessibility_tree import tree_problems
from tests.ui.tour import take_tour

# Problems in files others own, waiting for them: (window looked at, words in the problem's
# line) -> who fixes it. Delete an entry when it is fixed; anything not listed here fails.
AWAITING = {}


def _awaited(line: str) -> bool:
    return any(line.startswith(f"{look}: ") and words in line for look, words in AWAITING)


def test_every_area_and_dialog_names_what_a_screen_reader_reaches(qtbot, demo_dir, tmp_path):
    window = open_window(qtbot, demo_dir, size=(1366, 768))
    found: list[str] = []
    looked = take_tour(
        window, tmp_path / "tour", lambda name, w: found.extend(tree_problems(name, w))
    )
    assert {
        "today",
        "caseload",
        "school page (NY)",
        "visit page with follow-up",
        "walk mode",
    } <= set(looked)
    assert {"conflicts", "trust", "search", "start a visit dialog", "contact dialog"} <= set(looked)
    unexpected = [line for line in found if not _awaited(line)]
    assert unexpected == []


def _shown(qtbot, *widgets: QWidget) -> QWidget:
    window = QWidget()
    layout = QVBoxLayout(window)
    for widget in widgets:
        layout.addWidget(widget)
    qtbot.addWidget(window)
    window.show()
    return window


def test_a_clear_button_without_a_name_fails_even_before_anything_is_typed(qtbot):
    bare, named = QLineEdit(), QLineEdit()
    for edit, name in ((bare, "Filter the list"), (named, "Filter the table")):
        edit.setAccessibleName(name)
        edit.setClearButtonEnabled(True)
    named.findChildren(QToolButton)[0].setAccessibleName("Clear the filter")
    problems = tree_problems("form", _shown(qtbot, bare, named))
    assert len(problems) == 1
    assert "Filter the list" in problems[0] and "clear button" in problems[0]


def test_empty_row_headers_fail_whether_the_header_is_shown_or_hidden(qtbot):
    def table(name: str, *, row_names: bool, header_shown: bool) -> QTableView:
        model = QStandardItemModel(2, 2)
        for r in range(2):
            model.setItem(r, 0, QStandardItem(f"School {r}"))
            model.setVerticalHeaderItem(r, QStandardItem(f"School {r}" if row_names else ""))
        view = QTableView()
        view.setModel(model)
        view.setAccessibleName(name)
        view.setTabKeyNavigation(False)
        view.verticalHeader().setVisible(header_shown)
        view._model = model  # kept alive with the view
        return view

    window = _shown(
        qtbot,
        table("Empty, shown", row_names=False, header_shown=True),
        table("Empty, hidden", row_names=False, header_shown=False),
        table("Named, hidden", row_names=True, header_shown=False),
    )
    numbered = QTableWidget(2, 2)  # Qt numbers a table widget's rows: not empty
    numbered.setAccessibleName("Numbered")
    numbered.setTabKeyNavigation(False)
    window.layout().addWidget(numbered)
    problems = tree_problems("tables", window)
    assert [p.split("“")[1].split("”")[0] for p in problems] == ["Empty, shown", "Empty, hidden"]
    assert "shown with empty labels" in problems[0]
    assert "reads an empty row header" in problems[1]


def test_the_caseload_reads_each_rows_school_as_its_row_header_after_sorting(qtbot, demo_dir):
    window = open_window(qtbot, demo_dir, size=(1366, 768))
    window.show_area("caseload")
    table = window.caseload.list_view.table
    table.sortByColumn(LAST_VISIT, Qt.SortOrder.DescendingOrder)
    iface = QAccessible.queryAccessibleInterface(table)
    children = [iface.child(i) for i in range(iface.childCount())]
    heard = [
        (child.text(QAccessible.Text.Name), children[i + 1 + SCHOOL].text(QAccessible.Text.Name))
        for i, child in enumerate(children)
        if child.role() == QAccessible.Role.RowHeader
    ]
    assert len(heard) == table.model().rowCount() > 3
    assert all(header == school and school for header, school in heard)


def test_a_contact_dialog_opens_on_its_first_field_and_tabs_to_save_last(
    qtbot, demo_dir, scripted_dialogs
):
    window = open_window(qtbot, demo_dir, size=(1366, 768))
    page = open_school(window, "NY_RCV")
    heard: list[str] = []

    def walk_by_tab(dialog) -> int:
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.activateWindow()
        qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
        for _ in range(6):
            focused = QApplication.focusWidget()
            heard.append(focused.accessibleName() or focused.text())
            qtbot.keyClick(focused, Qt.Key.Key_Tab)
        dialog.reject()
        return 0

    scripted_dialogs.dialog_handler = walk_by_tab
    page.contacts_panel.add_contact()
    assert heard == ["Name", "Role", "Work e-mail", "Work phone", "Save", "Cancel"]


def _focus_told(monkeypatch) -> list[tuple[object, int]]:
    """The (view, child) of each focus event the window sends a screen reader from Python."""
    told: list[tuple[object, int]] = []
    update = QAccessible.updateAccessibility

    def record(event):
        if event.type() == QAccessible.Event.Focus:
            told.append((event.object(), event.child()))
        update(event)

    monkeypatch.setattr(QAccessible, "updateAccessibility", staticmethod(record))
    return told


def _cells_told(told, table) -> list[str]:
    iface = QAccessible.queryAccessibleInterface(table)
    return [iface.child(child).text(QAccessible.Text.Name) for s, child in told if s is table]


def test_down_from_the_caseload_filter_tells_the_reader_the_current_school(
    qtbot, demo_dir, monkeypatch
):
    told = _focus_told(monkeypatch)
    window = open_window(qtbot, demo_dir, size=(1366, 768))
    window.show_area("caseload")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    view = window.caseload.list_view
    view.focus_filter()
    qtbot.keyClicks(view.filter_edit, "Harbor")
    qtbot.keyClick(view.filter_edit, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: bool(_cells_told(told, view.table)))
    heard = _cells_told(told, view.table)
    assert heard == [view.current_row().school_name]
    assert "Harbor" in heard[0]


def test_tab_into_the_contacts_tells_the_reader_the_current_contact(qtbot, demo_dir, monkeypatch):
    told = _focus_told(monkeypatch)
    window = open_window(qtbot, demo_dir, size=(1366, 768))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    panel = open_school(window, "NY_RCV").contacts_panel
    table = panel.table
    table.setCurrentCell(0, 0)
    panel.show_former.setFocus()
    qtbot.keyClick(panel.show_former, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: bool(_cells_told(told, table)))
    assert QApplication.focusWidget() is table
    assert _cells_told(told, table) == [table.item(0, 0).text()] != [""]


def test_the_cell_told_is_the_one_a_screen_reader_finds_in_tables_trees_and_lists(qtbot):
    table = QTableWidget(3, 2)
    for r in range(3):
        for c in range(2):
            table.setItem(r, c, QTableWidgetItem(f"t{r}{c}"))
    tree = QTreeWidget()
    tree.setColumnCount(2)
    tree.setHeaderHidden(True)
    for r in range(3):
        top = QTreeWidgetItem(tree, [f"top{r}", f"top{r}b"])
        QTreeWidgetItem(top, [f"child{r}", f"child{r}b"])
    tree.topLevelItem(0).setExpanded(True)  # its child is a row between top0 and top1
    listed = QListWidget()
    listed.addItems(["first", "second", "third"])
    window = _shown(qtbot, table, tree, listed)
    seen = []
    for view in (table, tree, listed):
        iface = QAccessible.queryAccessibleInterface(view)
        model = view.model()
        rows = range(model.rowCount())
        columns = range(1 if view is listed else model.columnCount())
        indexes = [model.index(r, c) for r in rows for c in columns]
        if view is tree:
            indexes.append(model.index(0, 1, model.index(0, 0)))  # child0, second column
        for index in indexes:
            found = iface.child(accessible_child(view, index))
            seen.append((index.data(), found.text(QAccessible.Text.Name)))
    window.close()
    assert all(shown == told for shown, told in seen)
    assert {("top1", "top1"), ("child0b", "child0b"), ("third", "third")} <= set(seen)


def test_tab_into_a_list_of_visits_tells_the_reader_the_current_visit(qtbot, monkeypatch):
    told = _focus_told(monkeypatch)
    before = QLineEdit()
    before.setAccessibleName("Before")
    visits = RecordList(["Date", "Type"], "Visits")  # (tab_leaves, as every list and table)
    for day in ("Nov 2", "Nov 9", "Nov 16"):
        QTreeWidgetItem(visits, [day, "On-site visit"])
    visits.setCurrentItem(visits.topLevelItem(1))
    window = _shown(qtbot, before, visits)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    before.setFocus()
    qtbot.keyClick(before, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: bool(_cells_told(told, visits)))
    assert _cells_told(told, visits) == ["Nov 9"]
