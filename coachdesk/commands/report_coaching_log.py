"""coachdesk report coaching-log --district D --quarter 2026-Q2 -o F.pdf|F.csv [--large-print]

The OH SST quarterly coaching log of one district for OSU (reports/oh_coaching_log_source.py):
a PDF or a CSV file, chosen by the output's suffix.
"""

from __future__ import annotations

import argparse

from coachdesk.commands.context import CommandContext
from coachdesk.commands.report_files import (
    PDF_OR_CSV,
    add_output,
    checked_output,
    pages,
    written_pdf,
)
from coachdesk.core.errors import RefusedInput


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
    add_output(log)
    log.set_defaults(run=run_coaching_log)


def run_coaching_log(args: argparse.Namespace, ctx: CommandContext) -> int:
    from coachdesk.core.organizations import find_organization
    from coachdesk.core.school_quarters import parse_quarter
    from coachdesk.reports.oh_coaching_log_report import (
        render_coaching_log_report,
        write_coaching_log_csv,
    )
    from coachdesk.reports.oh_coaching_log_source import build_coaching_log_report

    out = checked_output(args.output, suffixes=PDF_OR_CSV, example="log.pdf")
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
    result = written_pdf(
        out, lambda f: render_coaching_log_report(data, f, large_print=args.large_print)
    )
    print(
        f"Wrote {out}: the {data.period_label} coaching log of {data.org_name}, {what}, on "
        f"{pages(result.pages)}."
    )
    return 0
