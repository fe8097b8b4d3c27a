"""`coachdesk due [--on DATE] [--json]`: what is due across the caseload, and why."""

from __future__ import annotations

import argparse
import datetime as dt

from coachdesk.commands.context import CommandContext, print_json


def register(commands: argparse._SubParsersAction) -> None:
    due = commands.add_parser(
        "due", help="what is overdue, due today, this week and coming up across the caseload"
    )
    due.add_argument(
        "--on", metavar="DATE", help="the day to look from (YYYY-MM-DD; default today)"
    )
    due.add_argument("--json", action="store_true", help="print JSON for scripts")
    due.set_defaults(run=run_due)


def parse_day(text: str | None) -> dt.date:
    """The day asked about; a date that is not YYYY-MM-DD is refused in one sentence."""
    from coachdesk.core.errors import RefusedInput

    if text is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise RefusedInput(
            f"“{text}” is not a date coachdesk understands; "
            "write it as YYYY-MM-DD, e.g. 2026-11-23."
        ) from None


def run_due(args: argparse.Namespace, ctx: CommandContext) -> int:
    from coachdesk.core.tracking_store.due import Group, due_entries

    day = parse_day(args.on)
    entries = due_entries(ctx.profile(create=False), day)
    if args.json:
        print_json({"on": day.isoformat(), "items": [e.as_json() for e in entries]})
        return 0
    if not entries:
        print(f"Nothing is due across the caseload on {day:%a %d %b %Y}.")
        return 0
    print(f"Due across the caseload, seen on {day:%a %d %b %Y}")
    for group in Group:
        members = [e for e in entries if e.group is group]
        if not members:
            continue
        print(f"\n{group.value} ({len(members)})")
        for e in members:
            item = e.item
            when = f"{item.due:%d %b}" if item.due.year == day.year else f"{item.due:%d %b %Y}"
            print(f"  {when}  {e.school_name}: {item.what} [{item.state.value}]")
            print(f"          why: {item.explanation}")
    return 0
