"""coachdesk report coaching-log --district D --quarter 2026-Q2 -o F.pdf|F.csv [--large-print]

The OH SST quarterly coaching log of one district for OSU (reports/oh_coaching_log_source.py):
a PDF or a CSV file, chosen by the output's suffix.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from coachdesk.commands.context import CommandContext
from coachdesk.core.errors import RefusedInput

SUFFIXES = (".pdf", ".csv")


def register(kinds: argparse._SubParsersAction) -> None:
    log = kinds.add_parser(
        "coaching-log",
        help="an OH district's SST quarterly coaching log for OSU (check-ins per school), as a"
        " PDF or a CSV file",
    )
    log.add_argument(
        "--district", required=True, metavar="NAME_OR_ID", help="the district: name, IRN or id"
    )
    log.add_argument(
        "--quarter",
        required=True,
        metavar="YYYY-QN",
        help="the quarter of the school year, e.g. 2026-Q2 (October to December 2026)",
    )
    log.add_argument(
        "-o", "--output", required=True, type=Path, metavar="F.pdf|F.csv", help="the file to write"
    )
    log.add_argument("--large-print", action="store_true", help="bigger type, the same content")
    log.set_defaults(run=run_coaching_log)


def checked_output(path: Path) -> Path:
    """The output path, refused with a sentence if it cannot be a new PDF or CSV file there."""
    out = path.expanduser()
    if out.is_dir():
        raise RefusedInput(f"{out} is a folder; give a file name such as {out / 'log.pdf'}.")
    if out.suffix.lower() not in SUFFIXES:
        raise RefusedInput(
            f"The coaching log is a PDF or a CSV file: give a file name ending in .pdf or .csv "
            f"(not {out.name!r})."
        )
    if not out.parent.is_dir():
        raise RefusedInput(
            f"The folder {out.parent} does not exist; create it first or choose another place."
        )
    return out


def run_coaching_log(args: argparse.Namespace, ctx: CommandContext) -> int:
    import os

    from coachdesk.core.organizations import find_organization
    from coachdesk.core.school_quarters import parse_quarter
    from coachdesk.reports.oh_coaching_log_report import (
        render_coaching_log_report,
        write_coaching_log_csv,
    )
    from coachdesk.reports.oh_coaching_log_source import build_coaching_log_report

    out = checked_output(args.output)
    quarter = parse_quarter(args.quarter)  # refused with a sentence before the profile opens
    if args.large_print and out.suffix.lower() == ".csv":
        raise RefusedInput("Large print is for the PDF; leave --large-print out for a CSV file.")
    profile = ctx.profile()
    district = find_organization(profile, args.district, kind="district")
    data = build_coaching_log_report(profile, org_id=district.id, period=quarter.code)
    what = (
        f"{data.check_in_count} check-in{'s' if data.check_in_count != 1 else ''} at "
        f"{len(data.schools)} school{'s' if len(data.schools) != 1 else ''}"
    )
    if out.suffix.lower() == ".csv":
        write_coaching_log_csv(data, out)  # through a temporary file, then renamed
        print(f"Wrote {out}: the {data.period_label} coaching log of {data.org_name}, {what}.")
        return 0
    # The PDF appears only when complete: written beside it under a temporary name, then renamed.
    temporary = out.with_name(f".{out.name}.{os.getpid()}.part")
    try:
        with open(temporary, "wb") as stream:
            result = render_coaching_log_report(data, stream, large_print=args.large_print)
        os.replace(temporary, out)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    print(
        f"Wrote {out}: the {data.period_label} coaching log of {data.org_name}, {what}, on "
        f"{result.pages} page{'s' if result.pages != 1 else ''}."
    )
    return 0
