"""No new import cycles among coachdesk's modules.

A cycle (a imports b, b imports a, however late) makes a module impossible to read or test on its
own and breaks in odd ways when one side moves an import to the top. Imports inside functions
count: deferring an import hides a cycle, it does not remove it. Imports only for type checkers
(`if TYPE_CHECKING:`) do not count.

The cycles listed in KNOWN are there today and are to be broken (issue 11); when one is, this
test says to take it off the list, so that the list only ever shrinks.
"""

from __future__ import annotations

import ast
from pathlib import Path

import coachdesk

PACKAGE = Path(coachdesk.__file__).parent

KNOWN: set[frozenset[str]] = set()  # none left: issue 11 broke the last ones


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = ("coachdesk", *path.relative_to(PACKAGE).with_suffix("").parts)
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _imports(tree: ast.AST) -> list[str]:
    """Every module name imported anywhere in the tree, but under `if TYPE_CHECKING:`."""
    names: list[str] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
            names.extend(f"{node.module}.{alias.name}" for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return names


def import_graph() -> dict[str, set[str]]:
    modules = _modules()

    def owner(name: str) -> str | None:  # the module a dotted name lives in
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for imported in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            target = owner(imported) if imported.startswith("coachdesk") else None
            # A package importing its own submodules (or a module its parent) is not a cycle.
            if target and target != name and not name.startswith(target + "."):
                graph[name].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> set[frozenset[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: set[frozenset[str]] = set()

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in graph[node]:
            if other not in index:
                connect(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                found.add(frozenset(group))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return found


def test_no_import_cycle_beyond_those_being_broken():
    found = cycles(import_graph())
    new = found - KNOWN
    assert not new, "new import cycles: " + "; ".join(" <-> ".join(sorted(c)) for c in new)
    gone = KNOWN - found
    assert not gone, "broken, so take them off KNOWN: " + "; ".join(
        " <-> ".join(sorted(c)) for c in gone
    )


def test_the_detector_finds_a_cycle_through_a_late_import():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == {frozenset({"a", "b", "c"})}
    tree = ast.parse(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from coachdesk.ui import main_window\n"
        "def later():\n    from coachdesk.sync import trust\n"
    )
    assert _imports(tree) == [
        "typing",
        "typing.TYPE_CHECKING",
        "coachdesk.sync",
        "coachdesk.sync.trust",
    ]
