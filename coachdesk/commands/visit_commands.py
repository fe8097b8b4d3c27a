"""`coachdesk visits [--school SCHOOL] [--json]`, `coachdesk visits share ID [--on DATE]` (and
`unshare ID`, its undo), and `coachdesk search TEXT [--json]`."""

from __future__ import annotations

import argparse

from coachdesk.commands.context import CommandContext, print_json


def register(commands: argparse._SubParsersAction) -> None:
    visits = commands.add_parser("visits", help="list visits (id, school, date, type, status)")
    visits.add_argument(
        "--school", metavar="SCHOOL", help="only this school's visits (its id, state id or name)"
    )
    visits.add_argument("--json", action="store_true", help="print JSON for scripts")
    visits.set_defaults(run=run_visits)
    actions = visits.add_subparsers(dest="action", required=False, metavar="share|unshare")
    share = actions.add_parser(
        "share",
        help="mark a final note shared with the school",
        description="Mark a final visit note shared with the school (its packet or summary was"
        " sent or printed for it). The share-the-note reminder then clears.",
    )
    share.add_argument("visit", metavar="ID", help="the visit's id (`coachdesk visits` lists them)")
    share.add_argument(
        "--on", metavar="DATE", help="the day it was shared (YYYY-MM-DD; default today)"
    )
    share.set_defaults(run=run_share)
    unshare = actions.add_parser("unshare", help="undo `visits share`: the note is final again")
    unshare.add_argument("visit", metavar="ID", help="the visit's id")
    unshare.set_defaults(run=run_unshare)

    search = commands.add_parser("search", help="full-text search over notes, next steps, contacts")
    search.add_argument("text", nargs="+", help="the words to find")
    search.add_argument("--json", action="store_true", help="print JSON for scripts")
    search.set_defaults(run=run_search)


def run_visits(args: argparse.Namespace, ctx: CommandContext) -> int:
    from coachdesk.commands.caseload_commands import school_id_of
    from coachdesk.core.dates_text import medium_date
    from coachdesk.core.visits import list_visits

    profile = ctx.profile(create=False)
    rows = list_visits(profile, school_id=school_id_of(profile, args.school))
    if args.json:
        print_json([r.as_json() for r in rows])
        return 0
    if not rows:
        from coachdesk.commands.empty import NO_SCHOOLS, has_no_schools

        print(NO_SCHOOLS if has_no_schools(profile) else "No visits yet.")
        return 0
    for r in rows:
        when = medium_date(r.starts_at)
        print(f"{r.id}  {when:<12}  {r.type_label:<28}  {r.status:<6}  {r.school_name}")
    return 0


def run_share(args: argparse.Namespace, ctx: CommandContext) -> int:
    from coachdesk.commands.due_commands import parse_day
    from coachdesk.core.dates_text import medium_date
    from coachdesk.core.visits import share_visit

    day = parse_day(args.on)
    share_visit(ctx.profile(create=False), args.visit, on=day)
    print(f"The note is marked shared with the school on {medium_date(day)}.")
    return 0


def run_unshare(args: argparse.Namespace, ctx: CommandContext) -> int:
    from coachdesk.core.visits import unshare_visit

    unshare_visit(ctx.profile(create=False), args.visit)
    print("The note is final and no longer marked shared.")
    return 0


def run_search(args: argparse.Namespace, ctx: CommandContext) -> int:
    import datetime as dt

    from coachdesk.core.dates_text import medium_date
    from coachdesk.core.visits import group_by_school, search

    text = " ".join(args.text)
    profile = ctx.profile(create=False)
    hits = search(profile, text)
    if args.json:
        print_json([h.as_json() for h in hits])
        return 0
    if not hits:
        from coachdesk.commands.empty import NO_SCHOOLS, has_no_schools

        hint = f" {NO_SCHOOLS}" if has_no_schools(profile) else ""
        print(f"Nothing found for “{text}”.{hint}")
        return 0
    for school, group in group_by_school(hits):
        print(school)
        for h in group:
            when = f"{medium_date(dt.date.fromisoformat(h.date)):<12}  " if h.date else ""
            print(f"  {when}{h.title}: {h.snippet}   [{h.record_id}]")
    return 0
