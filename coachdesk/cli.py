"""The command line (DESIGN.md section 6): a stable contract that scripts and checks rely on.

`coachdesk` with no command opens the window. Each area registers its subcommands from its own
module in coachdesk/commands/; those modules import their heavy dependencies inside handlers so
that opening the app stays fast. Exit 0 on success, 1 on a refused input (one line on stderr),
2 on a usage error.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from coachdesk import __version__
from coachdesk.commands.context import CommandContext

_STARTED = time.perf_counter()


def command_modules() -> tuple[ModuleType, ...]:
    """Every area's command module, in the order `coachdesk --help` lists their commands.

    Imported by name in code (not looked up from strings) so that PyInstaller collects each one
    and a module missing from a build fails here, loudly, instead of its commands vanishing.
    Imported inside this function so that opening the window imports none of them.
    """
    from coachdesk.commands import (
        caseload_commands,
        caseload_file_commands,
        due_commands,
        forms_commands,
        hub_commands,
        indicator_commands,
        packet_commands,
        profile_commands,
        report_commands,
        rollup_commands,
        sync_commands,
        visit_commands,
    )

    return (
        profile_commands,
        caseload_commands,
        forms_commands,
        visit_commands,
        caseload_file_commands,
        indicator_commands,
        due_commands,
        sync_commands,
        report_commands,
        packet_commands,
        rollup_commands,
        hub_commands,
    )


logger = logging.getLogger("coachdesk")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors: one line, exit 2
        self.print_usage(sys.stderr)
        self.exit(2, f"coachdesk: {message}\n")


def build_parser(*, with_commands: bool = True) -> argparse.ArgumentParser:
    parser = _Parser(
        prog="coachdesk",
        add_help=with_commands,  # the quick pass leaves -h to the full parser
        description="An offline workbench for school-improvement coaches. "
        "With no command, opens the window.",
    )
    if with_commands:
        parser.add_argument("--version", action="version", version=f"coachdesk {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="the profile folder (default: $COACHDESK_DATA_DIR or your user data folder)",
    )
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="open the window, wait for the first view to show its data, print the "
        "milliseconds and exit",
    )
    if not with_commands:
        return parser
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for module in command_modules():
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # Opening the window (no command) is the common case: parse only the global options, so
    # that no area's command module is imported before the first paint.
    opening, rest = build_parser(with_commands=False).parse_known_args(argv)
    to_open: list[Path] = []
    if not rest:
        args = opening
        args.command = None
    else:
        parser = build_parser()
        if _names_a_file(rest, parser):
            # `coachdesk FILE.coachdesk` (and a double-click): open the window, import the file.
            path = Path(rest[0]).expanduser()
            if not path.is_file():
                return _not_a_file(path)
            args = opening
            args.command = None
            to_open = [path.resolve()]
        else:
            args = parser.parse_args(argv)
    context = CommandContext(data_dir=args.data_dir)
    if args.command is None:
        from coachdesk.ui.app import run_app

        return run_app(
            context.profile_dir, smoke_test=args.smoke_test, started=_STARTED, open_paths=to_open
        )
    return context.run(args.run, args)


def _names_a_file(rest: list[str], parser: argparse.ArgumentParser) -> bool:
    """True when the one argument left is a file to open rather than a command.

    The rule: a known command is a command; otherwise an existing path, or anything that looks
    like one (a folder separator or a .suffix), is a file to open. A bare unknown word stays a
    usage error (exit 2), as a mistyped command always was.
    """
    if len(rest) != 1 or rest[0].startswith("-") or rest[0] in _command_names(parser):
        return False
    text = rest[0]
    looks_like_a_path = any(sep in text for sep in ("/", "\\")) or bool(Path(text).suffix)
    return looks_like_a_path or Path(text).expanduser().exists()


def _command_names(parser: argparse.ArgumentParser) -> set[str]:
    # argparse keeps its subcommands in a private action; its `choices` are the names.
    return {
        name
        for action in parser._actions
        if isinstance(action, argparse._SubParsersAction)
        for name in action.choices
    }


def _not_a_file(path: Path) -> int:
    if path.is_dir():
        why = f"{path} is a folder; to import a bundle or visit packet, name the file itself"
    else:
        why = f"there is no file {path}; check the name and the folder it is in"
    print(f"coachdesk: {why} (or see `coachdesk --help` for the commands).", file=sys.stderr)
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
