"""The layers of DESIGN.md section 2: core, sync and reports run without Qt; widgets never
hold a database session."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "coachdesk"

_PROBE = """
import importlib, pkgutil, sys
import coachdesk.core, coachdesk.sync, coachdesk.reports
for package in (coachdesk.core, coachdesk.sync, coachdesk.reports):
    for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        if ".migrations" in module.name:
            continue
        importlib.import_module(module.name)
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6"))
print("QT:" + ",".join(loaded))
"""


def test_core_sync_and_reports_import_without_pyside6():
    result = subprocess.run(
        [sys.executable, "-c", _PROBE], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "QT:"


def test_ui_modules_never_import_sqlalchemy():
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in (PACKAGE / "ui").rglob("*.py")
        if re.search(r"^\s*(from|import)\s+sqlalchemy", path.read_text(), re.MULTILINE)
    ]
    assert offenders == []


def test_the_start_up_path_does_not_import_sqlalchemy():
    """Opening the window and listing the caseload must not wait for the ORM's import."""
    probe = (
        "import sys, coachdesk.ui.main_window, coachdesk.core.caseload, coachdesk.cli;"
        "print(sorted(m for m in sys.modules if m.startswith('sqlalchemy'))[:3])"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        timeout=120,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
