"""The command registry is static: every area's module is imported by name, none is skipped, and
none of them is imported before the window opens."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from coachdesk.cli import build_parser, command_modules

COMMANDS = Path(__file__).resolve().parents[2] / "coachdesk" / "commands"


def test_every_command_module_in_the_package_is_registered():
    on_disk = {path.stem for path in COMMANDS.glob("*_commands.py")}
    registered = [module.__name__.rsplit(".", 1)[-1] for module in command_modules()]
    assert sorted(registered) == sorted(on_disk)
    assert len(registered) == len(set(registered))


def test_the_full_parser_knows_every_documented_command():
    parser = build_parser()
    choices = next(a for a in parser._actions if a.dest == "command").choices
    for command in (
        "demo",
        "coach",
        "districts",
        "schools",
        "assign",
        "year",
        "indicators",
        "targets",
        "measurements",
        "visits",
        "search",
        "due",
        "events",
        "report",
        "export",
        "import",
        "verify",
        "packet",
        "keys",
        "forms",
        "backup",
        "restore",
        "check",
    ):
        assert command in choices, command


def _loaded_after(code: str) -> list[str]:
    probe = (
        f"import sys; {code}; "
        "print(' '.join(sorted(m for m in sys.modules if m.startswith('coachdesk.commands.') "
        "or m.split('.')[0] in ('sqlalchemy', 'PySide6', 'reportlab', 'cryptography', "
        "'alembic', 'keyring', 'icalendar', 'yaml'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_opening_the_window_imports_no_command_module():
    loaded = _loaded_after("import coachdesk.cli; coachdesk.cli.build_parser(with_commands=False)")
    assert [m for m in loaded if m.endswith("_commands")] == []


def test_building_every_command_leaves_heavy_libraries_to_the_handlers():
    loaded = _loaded_after("import coachdesk.cli; coachdesk.cli.build_parser()")
    assert sorted(m for m in loaded if m.endswith("_commands")) == sorted(
        f"coachdesk.commands.{p.stem}" for p in COMMANDS.glob("*_commands.py")
    )
    assert [m for m in loaded if not m.startswith("coachdesk.")] == []
