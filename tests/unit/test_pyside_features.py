"""coachdesk selects no PySide6 feature (snake_case, true_property), so coachdesk/ui/__init__.py
may spare every import PySide6's scan of the module's source for one."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import coachdesk

PACKAGE = Path(coachdesk.__file__).parent


def test_no_module_imports_a_pyside_feature():
    selecting = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if re.search(r"^\s*from\s+__feature__\s+import", path.read_text("utf-8"), re.MULTILINE)
    ]
    assert selecting == []


def test_the_window_takes_every_module_as_selecting_none():
    import coachdesk.ui  # noqa: F401  (applies the shortcut)

    feature = sys.modules["shibokensupport.feature"]
    assert feature._mod_uses_pyside(coachdesk.ui) is False
