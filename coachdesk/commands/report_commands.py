"""`coachdesk report caseload -o F.pdf`: PDF reports from the profile.

`coachdesk report visit VISIT_ID -o F.pdf` joins this group once visits are stored.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from coachdesk.commands.context import CommandContext
from coachdesk.core.errors import RefusedInput

_SCHOOL_YEAR = re.compile(r"^\d{4}-\d{2}$")


def register(commands: argparse._SubParsersAction) -> None:
    report = commands.add_parser("report", help="write a PDF report")
    kinds = report.add_subparsers(dest="report", metavar="REPORT", required=True)

    caseload = kinds.add_parser(
        "caseload", help="the caseload status report: each school's status, by program"
    )
    caseload.add_argument(
        "-o", "--output", required=True, type=Path, metavar="F.pdf", help="the PDF to write"
    )
    caseload.add_argument(
        "--large-print", action="store_true", help="bigger type, the same content"
    )
    caseload.add_argument(
        "--year", metavar="YYYY-YY", help="the school year, e.g. 2026-27 (default: the current one)"
    )
    caseload.set_defaults(run=run_caseload)


def checked_output(path: Path) -> Path:
    """The output path, refused with a sentence if it cannot be a new PDF there."""
    out = path.expanduser()
    if out.suffix.lower() != ".pdf":
        raise RefusedInput(
            f"The report is a PDF: give a file name ending in .pdf (not {out.name!r})."
        )
    if out.is_dir():
        raise RefusedInput(f"{out} is a folder; give a file name such as {out / 'report.pdf'}.")
    if not out.parent.is_dir():
        raise RefusedInput(
            f"The folder {out.parent} does not exist; create it first or choose another place."
        )
    return out


def run_caseload(args: argparse.Namespace, ctx: CommandContext) -> int:
    import datetime as dt

    from coachdesk.core.caseload import current_school_year, list_caseload
    from coachdesk.reports.caseload_report import caseload_from_rows, render_caseload_report

    out = checked_output(args.output)
    if args.year and not _SCHOOL_YEAR.match(args.year):
        raise RefusedInput(f"Write the school year as 2026-27, not {args.year!r}.")
    today = dt.date.today()
    year = args.year or current_school_year(today)
    rows = list_caseload(ctx.profile(), school_year=year, today=today)
    data = caseload_from_rows(
        rows, as_of=today, generated_at=dt.datetime.now().astimezone(), school_year=year
    )
    result = render_caseload_report(data, out, large_print=args.large_print)
    schools = sum(len(p.schools) for p in data.programs)
    print(
        f"Wrote {out}: {schools} school{'s' if schools != 1 else ''} on "
        f"{result.pages} page{'s' if result.pages != 1 else ''}."
    )
    return 0
