"""What a screen reader finds in a window: its accessibility tree, walked as Qt exposes it.

`tree_problems(name, window)` walks `QAccessible.queryAccessibleInterface(window)` and its
children recursively (what AT-SPI and UI Automation read) and returns one line per problem:

- an interactive element (a button, box, field, list, table, tab...) without a name;
- a check box whose name does not start with its own option (its group's label belongs in the
  description);
- an item of a one-column list or tree without a name (a screen reader says nothing for it);
- a table or list that keeps Tab inside it (tab key navigation on);
- a button a line edit shows once something is typed (Qt's clear button) without a name: it is
  hidden while the field is empty, so the walk would not meet it otherwise;
- a table whose row headers are empty: Qt exposes a row header for every row, read with each
  cell, even when the vertical header is hidden, so a table labels its rows usefully (the row's
  name) or shows none of them; a shown header with an empty label is a fault too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from PySide6.QtGui import QAccessible, QAccessibleInterface
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QLineEdit,
    QTableView,
    QToolButton,
    QWidget,
)

Role = QAccessible.Role

INTERACTIVE = {
    Role.Button,
    Role.ButtonDropDown,
    Role.ButtonMenu,
    Role.CheckBox,
    Role.ComboBox,
    Role.EditableText,
    Role.Link,
    Role.List,
    Role.PageTab,
    Role.RadioButton,
    Role.Slider,
    Role.SpinBox,
    Role.Table,
    Role.Tree,
}
ITEMS = {Role.ListItem, Role.TreeItem}
# A big table exposes every cell: its first rows say what the rest are like.
MOST_CHILDREN = 400


def walk(iface: QAccessibleInterface, depth: int = 0) -> Iterator[QAccessibleInterface]:
    """The interface and every visible one under it, depth first."""
    if iface is None or not iface.isValid() or iface.state().invisible:
        return
    yield iface
    if depth > 60:
        return
    for index in range(min(iface.childCount(), MOST_CHILDREN)):
        yield from walk(iface.child(index), depth + 1)


def own_option(iface: QAccessibleInterface) -> str:
    """The words a check box (or toggle button) shows, without its key ("1  Observed")."""
    button = iface.object()
    if not isinstance(button, QAbstractButton):
        return ""
    text = button.text().replace("&&", "\0").replace("&", "").replace("\0", "&").strip()
    return re.sub(r"^\d\s+", "", text)


def _where(iface: QAccessibleInterface) -> str:
    """The names of the element's ancestors, for a line a person can find."""
    names = []
    parent = iface.parent()
    while parent is not None and parent.isValid() and len(names) < 3:
        if parent.text(QAccessible.Text.Name):
            names.append(parent.text(QAccessible.Text.Name))
        parent = parent.parent()
    return " < ".join(names) or "(top)"


def _one_column(item: QAccessibleInterface) -> bool:
    view = item.parent().object() if item.parent() is not None else None
    return not isinstance(view, QAbstractItemView) or view.model().columnCount() <= 1


def element_problems(iface: QAccessibleInterface) -> list[str]:
    role = iface.role()
    name = iface.text(QAccessible.Text.Name).strip()
    what = f"{role.name} in {_where(iface)}"
    found = []
    if role in INTERACTIVE and not name and not iface.state().disabled:
        found.append(f"{what}: no name")
    if role in ITEMS and not name and _one_column(iface):
        # (A blank cell of a many-column tree is a blank cell; a one-column item says nothing.)
        found.append(f"{what}: an item without a name")
    if role == Role.CheckBox:
        # Named by its own option first ("Observed (key 1)", "Done: Send the survey home"),
        # never by its question ("Purpose of the visit: Coach the principal").
        own = own_option(iface)
        if own and not name.startswith(own):
            found.append(f"{what}: check box “{own}” is named “{name}”")
    view = iface.object()
    if isinstance(view, QAbstractItemView) and view.tabKeyNavigation():
        found.append(f"{what} “{name}”: Tab moves through its cells and never leaves")
    if isinstance(view, QLineEdit):
        found.extend(_typing_buttons(view, f"{what} “{name}”"))
    if role == Role.Table and isinstance(view, QTableView):
        found.extend(_row_headers(iface, view, f"{what} “{name}”"))
    return found


def _typing_buttons(edit: QLineEdit, what: str) -> list[str]:
    """The line edit's own buttons (the clear button shows once text is typed) need names."""
    found = []
    for button in edit.findChildren(QToolButton):
        shown = QAccessible.queryAccessibleInterface(button)
        if shown is not None and not shown.text(QAccessible.Text.Name).strip():
            found.append(f"{what}: its clear button (shown while typing) has no name")
    return found


def _row_headers(iface: QAccessibleInterface, view: QTableView, what: str) -> list[str]:
    """Row headers are read with every cell: each a useful label, or (hidden) none empty."""
    labels = []
    for index in range(min(iface.childCount(), MOST_CHILDREN)):
        child = iface.child(index)
        if child is not None and child.isValid() and child.role() == Role.RowHeader:
            labels.append(child.text(QAccessible.Text.Name).strip())
    if not labels:
        return []
    shown = not view.verticalHeader().isHidden()
    if shown and not all(labels):
        return [f"{what}: its row headers are shown with empty labels"]
    if not shown and not any(labels):
        return [f"{what}: a screen reader reads an empty row header with each cell"]
    return []


def tree_problems(name: str, window: QWidget) -> list[str]:
    """One line per problem in the window's accessibility tree, each starting with `name`."""
    root = QAccessible.queryAccessibleInterface(window)
    return [f"{name}: {line}" for iface in walk(root) for line in element_problems(iface)]
