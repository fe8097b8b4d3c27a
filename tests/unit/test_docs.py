"""docs/ARCHITECTURE.md and docs/THREATS.md stay true: every module, file, function and test
they name in backticks still exists, and the README sends newcomers to them.

What is checked, inside backticks:
- a repository path (`coachdesk/sync/reader.py`, `tests/fixtures/bundles`, a glob such as
  `tests/integration/test_sync_*.py`): it exists;
- `path::name` or `path::Class::method`: the file exists and defines that function or class
  (a test's parameters, `[...]`, are ignored);
- a dotted module below the package (`coachdesk.core.dates_text`): the module, or the name in
  its parent module, exists.
Moving or renaming any of them fails this test until the docs follow.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ("docs/ARCHITECTURE.md", "docs/THREATS.md")
# First folders of the repository a backticked path may start with; other backticked text
# (profile-folder names like `backups/`, commands, code) is not a repository path.
TOP = (
    "coachdesk",
    "tests",
    "docs",
    "forms",
    "resources",
    "packaging",
    "benchmarks",
    "requirements",
    ".ci",
)
_BACKTICKED = re.compile(r"`([^`\n]+)`")
_TOP = "(?:" + "|".join(re.escape(t) for t in TOP) + ")"
_PATH = re.compile("^" + _TOP + r"/[\w./*-]*$")
_SYMBOL = re.compile("^(" + _TOP + r"/[\w./-]+\.py)((?:::\w+)+)(\[.*\])?$")
# At least two dots: `coachdesk.sqlite` and `coachdesk.lock` are files in a profile folder.
_MODULE = re.compile(r"^coachdesk(?:\.\w+){2,}$")


def _references(doc: str) -> list[str]:
    return _BACKTICKED.findall((ROOT / doc).read_text(encoding="utf-8"))


@cache
def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), str(path))


def _defines(scope: ast.AST, name: str) -> ast.AST | None:
    """The function, class or assigned name `name` directly inside `scope`."""
    for node in getattr(scope, "body", []):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if node.name == name:
                return node
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                return node
        elif isinstance(node, (ast.If, ast.Try)):  # definitions under TYPE_CHECKING and the like
            found = _defines(node, name)
            if found is not None:
                return found
    return None


def _problem(reference: str) -> str | None:
    """Why a backticked reference does not hold, or None when it does (or is not a reference)."""
    symbol = _SYMBOL.match(reference)
    if symbol:
        path = ROOT / symbol.group(1)
        if not path.is_file():
            return f"{symbol.group(1)} does not exist"
        scope: ast.AST = _tree(path)
        for name in symbol.group(2).split("::")[1:]:
            found = _defines(scope, name)
            if found is None:
                return f"{symbol.group(1)} has no {name}"
            scope = found
        return None
    if _PATH.match(reference):
        if "*" in reference:
            return None if list(ROOT.glob(reference)) else f"nothing matches {reference}"
        return None if (ROOT / reference.rstrip("/")).exists() else f"{reference} does not exist"
    if _MODULE.match(reference):
        parts = reference.split(".")
        base = ROOT.joinpath(*parts)
        if base.with_suffix(".py").is_file() or (base / "__init__.py").is_file():
            return None
        parent = ROOT.joinpath(*parts[:-1])
        for candidate in (parent.with_suffix(".py"), parent / "__init__.py"):
            if candidate.is_file() and _defines(_tree(candidate), parts[-1]) is not None:
                return None
        return f"there is no module or name {reference}"
    return None


@pytest.mark.parametrize("doc", DOCS)
def test_every_path_module_and_test_named_in_the_doc_exists(doc):
    assert (ROOT / doc).is_file(), f"{doc} is missing: the design lives in the repository"
    references = _references(doc)
    checked = [r for r in references if _SYMBOL.match(r) or _PATH.match(r) or _MODULE.match(r)]
    # A doc that names almost nothing would pass trivially; these name dozens of places.
    assert len(checked) >= 30, f"{doc} names only {len(checked)} modules and tests"
    problems = sorted({f"`{r}`: {p}" for r in checked if (p := _problem(r))})
    assert problems == [], f"{doc} names what no longer exists:\n" + "\n".join(problems)


def test_the_threats_doc_names_a_test_for_each_threat_it_handles():
    tests = [r for r in _references("docs/THREATS.md") if _SYMBOL.match(r) and "::test_" in r]
    assert len(set(tests)) >= 30


def test_the_readme_sends_developers_to_the_docs_in_the_repository():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    developers = readme.split("## For developers", 1)[-1]
    for doc in DOCS:
        assert doc in developers, f"README's developer section does not point to {doc}"


@pytest.mark.parametrize(
    ("reference", "holds"),
    [
        ("coachdesk/sync/reader.py", True),
        ("coachdesk/sync/reader.py::open_bundle", True),
        ("coachdesk/core/store/profile.py::Profile::writing", True),
        ("tests/unit/test_docs.py::test_the_checker_tells_what_exists_from_what_does_not", True),
        ("tests/integration/test_sync_*.py", True),
        ("coachdesk.core.store.changelog", True),
        ("coachdesk.core.store.changelog.SYNCABLE", True),
        ("coachdesk/sync/nowhere.py", False),
        ("coachdesk/sync/reader.py::no_such_function", False),
        ("tests/unit/test_docs.py::test_that_was_renamed[case]", False),
        ("tests/nowhere/test_*.py", False),
        ("coachdesk.sync.nowhere", False),
    ],
)
def test_the_checker_tells_what_exists_from_what_does_not(reference, holds):
    assert _SYMBOL.match(reference) or _PATH.match(reference) or _MODULE.match(reference)
    assert (_problem(reference) is None) is holds, _problem(reference)


def test_profile_file_names_and_code_in_backticks_are_not_taken_for_references():
    for text in ("coachdesk.sqlite", "coachdesk.lock", "backups/*.partial", "BEGIN IMMEDIATE"):
        assert not (_SYMBOL.match(text) or _PATH.match(text) or _MODULE.match(text)), text
