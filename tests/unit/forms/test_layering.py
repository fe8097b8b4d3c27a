"""The forms core runs without Qt (the CLI, tests and a future hub use it)."""

from __future__ import annotations

import subprocess
import sys


def test_forms_core_and_command_do_not_load_pyside6():
    code = (
        "import sys\n"
        "import coachdesk.core.forms as forms\n"
        "import coachdesk.commands.forms_commands\n"
        "forms.check_forms()\n"
        "assert 'PySide6' not in sys.modules, sorted(m for m in sys.modules if 'PySide6' in m)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
