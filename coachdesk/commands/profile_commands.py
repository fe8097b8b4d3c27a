"""`coachdesk demo [--remove] | backup | restore FILE | check`: the profile itself."""

from __future__ import annotations

import argparse
from pathlib import Path

from coachdesk.commands.context import CommandContext, print_json


def register(commands: argparse._SubParsersAction) -> None:
    demo = commands.add_parser(
        "demo", help="load the demo caseload (safe to run twice), or remove it with --remove"
    )
    demo.add_argument(
        "--remove",
        action="store_true",
        help="remove the demo's records; your own records stay (a demo school holding your "
        "visits stays too)",
    )
    demo.add_argument("--json", action="store_true", help="print the counts as JSON")
    demo.set_defaults(run=run_demo)

    backup = commands.add_parser("backup", help="take a backup of the profile now")
    backup.set_defaults(run=run_backup)

    restore = commands.add_parser(
        "restore", help="replace the profile with a backup (the current one is backed up first)"
    )
    restore.add_argument("file", type=Path, help="the backup file to restore")
    restore.set_defaults(run=run_restore)

    coach = commands.add_parser(
        "coach", help="show or set your name, organization and work contact details"
    )
    coach.add_argument("--name", help="your name, as it prints on visit summaries")
    coach.add_argument("--employer", help="your organization (SSP vendor, SSoS region, SST)")
    coach.add_argument("--email", help="your work e-mail, printed with your name ('' clears it)")
    coach.add_argument("--phone", help="your work phone, printed with your name ('' clears it)")
    coach.set_defaults(run=run_coach)

    check = commands.add_parser("check", help="check the profile's integrity and data format")
    check.add_argument("--json", action="store_true", help="print the result as JSON")
    check.set_defaults(run=run_check)


def run_demo(args: argparse.Namespace, ctx: CommandContext) -> int:
    if args.remove:
        from coachdesk.core.demo.removal import has_demo, remove_demo
        from coachdesk.core.store.backups import take_backup

        profile = ctx.profile(create=False)
        backup = take_backup(profile, reason="before-demo-removal") if has_demo(profile) else None
        removal = remove_demo(profile)
        if args.json:
            print_json({**removal.as_json(), "backup": str(backup) if backup else None})
        else:
            print(removal.sentence)
            if backup is not None:
                print(f"The profile as it was before is kept at {backup}")
        return 0
    from coachdesk.core.demo import load_demo

    result = load_demo(ctx.profile())
    if args.json:
        print_json({"added": result.added, "sentence": result.sentence})
    else:
        print(result.sentence)
    return 0


def run_backup(args: argparse.Namespace, ctx: CommandContext) -> int:
    from coachdesk.core.store.backups import take_backup

    path = take_backup(ctx.profile(create=False), reason="manual")
    print(f"Backup written to {path}")
    return 0


def run_restore(args: argparse.Namespace, ctx: CommandContext) -> int:
    from coachdesk.core.store.backups import restore

    previous = restore(ctx.profile_dir, args.file.expanduser())
    print(f"Restored the profile from {args.file}.")
    if previous is not None:
        print(f"The profile as it was before is kept at {previous}")
    return 0


def run_coach(args: argparse.Namespace, ctx: CommandContext) -> int:
    from coachdesk.core.coach import get_coach, set_coach

    profile = ctx.profile()
    given = {
        "name": args.name,
        "employer": args.employer,
        "work_email": args.email,
        "work_phone": args.phone,
    }
    if any(value is not None for value in given.values()):
        current = get_coach(profile)
        kept = {
            "name": current.name,
            "employer": current.employer,
            "work_email": current.work_email,
            "work_phone": current.work_phone,
        }
        set_coach(profile, **{k: v if v is not None else kept[k] for k, v in given.items()})
    coach = get_coach(profile)
    print(f"{coach.name}" + (f", {coach.employer}" if coach.employer else ""))
    if coach.contact_line:
        print(coach.contact_line)
    return 0


def run_check(args: argparse.Namespace, ctx: CommandContext) -> int:
    from coachdesk.core.store.checkup import check_profile

    report = check_profile(ctx.profile_dir)
    if args.json:
        print_json(report.as_dict())
    else:
        for line in report.lines():
            print(line)
    return 0 if report.ok else 1
