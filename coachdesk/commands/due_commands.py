"""`coachdesk due [--on DATE] [--json]`: what is due across the caseload, and why;
`coachdesk due close KEY [--on DATE] [--note TEXT]` and `coachdesk due reopen KEY`: mark an item
done where it is listed, and undo it; and `coachdesk events import FILE`: dated events (OISR
sessions, needs-assessment windows) from an iCalendar or CSV file onto the calendar."""

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
    actions = due.add_subparsers(dest="action", required=False, metavar="close|reopen")
    close = actions.add_parser(
        "close",
        help="mark an item submitted or done (a report, log, roster, note shared, next step)",
        description="Close a due item by its key (`coachdesk due --json` lists each item's key"
        " and whether it can be closed): a report, coaching log, roster or plan is marked"
        " submitted, a missed month or window excused, a note shared, a next step done.",
    )
    close.add_argument("key", help="the item's key, from `coachdesk due --json`")
    close.add_argument(
        "--on", dest="done_on", metavar="DATE", help="the day it was done (default today)"
    )
    close.add_argument("--note", metavar="TEXT", help="a note kept with it (how it was sent)")
    close.set_defaults(run=run_close)
    reopen = actions.add_parser("reopen", help="undo `due close`: the item is listed again")
    reopen.add_argument("key", help="the item's key")
    reopen.set_defaults(run=run_reopen)

    events = commands.add_parser("events", help="import dated events onto the calendar")
    actions = events.add_subparsers(dest="action", required=True, metavar="import")
    imp = actions.add_parser(
        "import",
        help="events from an .ics calendar or a CSV file (date, title, school or program)",
        description="Import dated events (OISR sessions, the needs-assessment window, trainings)."
        " Each is listed on Today as its day comes near and drops off once it has passed."
        " An .ics file needs --school or --program; a CSV file names them on each row."
        " Events already on the calendar are not added twice.",
    )
    imp.add_argument("file", help="an .ics or .csv file")
    whom = imp.add_mutually_exclusive_group()
    whom.add_argument("--school", metavar="SCHOOL", help="the school's id, state id or name")
    whom.add_argument(
        "--program", metavar="CODE", help="every school of a program (NY_RCV, MA_SSOS, OH_NNPS)"
    )
    imp.add_argument(
        "--dry-run", action="store_true", help="check and list the events; write nothing"
    )
    imp.set_defaults(run=run_events_import)


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
    from coachdesk.core.dates_text import medium_date, month_day, weekday_date
    from coachdesk.core.tracking_records.due import Group, due_entries

    day = parse_day(args.on)
    profile = ctx.profile(create=False)
    entries = due_entries(profile, day)
    if args.json:
        print_json({"on": day.isoformat(), "items": [e.as_json() for e in entries]})
        return 0
    if not entries:
        from coachdesk.commands.empty import NO_SCHOOLS, has_no_schools

        print(f"Nothing is due across the caseload on {weekday_date(day, year=True)}.")
        if has_no_schools(profile):
            print(NO_SCHOOLS)
        return 0
    print(f"Due across the caseload, seen on {weekday_date(day, year=True)}")
    for group in Group:
        members = [e for e in entries if e.group is group]
        if not members:
            continue
        print(f"\n{group.value} ({len(members)})")
        for e in members:
            item = e.item
            when = month_day(item.due) if item.due.year == day.year else medium_date(item.due)
            print(f"  {when:<6}  {e.school_name}: {item.what} [{item.state.value}]")
            print(f"          why: {item.explanation}")
            if item.closable:
                verb = item.closes_as.verb if item.closes_as else item.how
                print(f"          {verb.lower()}: coachdesk due close '{item.key}'")
            elif item.how:
                print(f"          to do: {item.how}")
    return 0


def run_close(args: argparse.Namespace, ctx: CommandContext) -> int:
    from coachdesk.core.dates_text import medium_date
    from coachdesk.core.tracking_records.closing import close_due

    day = parse_day(args.done_on)
    close_due(ctx.profile(create=False), args.key, on=day, note=args.note)
    print(f"Marked done on {medium_date(day)}; `coachdesk due reopen '{args.key}'` undoes it.")
    return 0


def run_reopen(args: argparse.Namespace, ctx: CommandContext) -> int:
    from coachdesk.core.tracking_records.closing import reopen_due

    reopen_due(ctx.profile(create=False), args.key)
    print("Reopened: the item is listed again as its rule says.")
    return 0


def run_events_import(args: argparse.Namespace, ctx: CommandContext) -> int:
    from coachdesk.commands.caseload_commands import school_id_of
    from coachdesk.core.dates_text import weekday_date
    from coachdesk.core.errors import RefusedInput
    from coachdesk.core.tracking_records.events_import import import_events, preview_events

    profile = ctx.profile(create=False)
    school = school_id_of(profile, args.school)
    preview = preview_events(profile, args.file, school=school, program=args.program)
    for row in preview.rows:
        print(f"  {weekday_date(row.day, year=True)}  {row.title}  ({row.schools_label})")
    for error in preview.errors:
        print(f"  line {error.line}: {error.message}")
    print(preview.sentence)
    if args.dry_run:
        print("Nothing was written (--dry-run).")
        return 0
    if not preview.rows:
        if preview.errors:
            raise RefusedInput(f"No event from {preview.source} was imported.")
        return 0
    import_events(profile, preview)
    print(f"Imported {len(preview.rows)} event(s).")
    return 0
