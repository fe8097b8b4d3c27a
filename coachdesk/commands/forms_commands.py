"""`coachdesk forms check [DIR]` and `coachdesk forms publish DIR`: validate and publish packs."""

from __future__ import annotations

import argparse
from pathlib import Path

from coachdesk.commands.context import CommandContext


def register(subparsers: argparse._SubParsersAction) -> None:
    forms = subparsers.add_parser("forms", help="check and publish form packs")
    actions = forms.add_subparsers(dest="forms_command", metavar="ACTION", required=True)
    check = actions.add_parser(
        "check", help="validate form packs; every error is printed as file:line: field: sentence"
    )
    check.add_argument("dir", nargs="?", help="a forms folder or one pack (default: shipped forms)")
    check.set_defaults(run=check_handler)
    publish = actions.add_parser(
        "publish", help="record every clean draft version of a pack in its published.lock"
    )
    publish.add_argument("dir", help="one pack folder, e.g. forms/ma_ssos")
    publish.set_defaults(run=publish_handler)


def check_handler(args: argparse.Namespace, ctx: CommandContext) -> int:
    """Print one summary line per pack, then every problem; exit 1 if any."""
    from coachdesk.core.forms.packs import check_forms

    root = Path(args.dir).expanduser() if args.dir else None
    reports = check_forms(root)
    problems = [p for r in reports for p in r.problems]
    for report in reports:
        print(report.summary())
    for problem in problems:
        print(problem)
    if not reports:
        print("No form packs were found.")
    return 1 if problems else 0


def publish_handler(args: argparse.Namespace, ctx: CommandContext) -> int:
    """Publish the clean drafts of one pack; refuses a pack with problems."""
    from coachdesk.core.errors import RefusedInput
    from coachdesk.core.forms.packs import check_pack, publish_pack

    folder = Path(args.dir).expanduser()
    if not folder.is_dir():
        raise RefusedInput(f"{folder} is not a form pack folder.")
    report = check_pack(folder)
    if not report.ok:
        for problem in report.problems:
            print(problem)
        raise RefusedInput("Fix the problems above before publishing; nothing was published.")
    published = publish_pack(folder)
    for key in published:
        print(f"published {key}")
    if not published:
        print("Every version is already published.")
    return 0
