"""coachdesk report quarterly --school S --quarter 2026-Q2 -o F.pdf|F.csv [--large-print]

The NY quarterly progress report for OISR, one school and quarter, as a PDF or a CSV table (the
file name's suffix decides). Written beside the target under a temporary name, then renamed.
"""

from __future__ import annotations

import argparse

from coachdesk.commands.context import CommandContext
from coachdesk.commands.report_files import (
    PDF_OR_CSV,
    add_output,
    checked_output,
    pages,
    write_whole,
    written_pdf,
)


def register(kinds: argparse._SubParsersAction) -> None:
    """Add `quarterly` to `coachdesk report`."""
    quarterly = kinds.add_parser(
        "quarterly",
        help="a NY Receivership school's quarterly progress report for OISR (PDF or CSV)",
    )
    quarterly.add_argument(
        "--school", required=True, metavar="NAME_OR_ID", help="the school: name, BEDS code or id"
    )
    quarterly.add_argument(
        "--quarter",
        required=True,
        metavar="YYYY-QN",
        help="the quarter of the school year, e.g. 2026-Q2 (November 2026 to January 2027)",
    )
    add_output(quarterly)
    quarterly.set_defaults(run=run_quarterly)


def run_quarterly(args: argparse.Namespace, ctx: CommandContext) -> int:
    from coachdesk.core.organizations import find_organization
    from coachdesk.core.school_quarters import parse_quarter
    from coachdesk.reports.ny_quarterly_report import render_quarterly_report, write_quarterly_csv
    from coachdesk.reports.ny_quarterly_source import build_quarterly_report

    out = checked_output(args.output, suffixes=PDF_OR_CSV, example="q2.pdf")
    quarter = parse_quarter(args.quarter)  # a sentence when it is not a quarter
    profile = ctx.profile()
    school = find_organization(profile, args.school, kind="school")
    data = build_quarterly_report(profile, org_id=school.id, period=quarter.code)
    as_csv = out.suffix.lower() == ".csv"
    if as_csv:
        write_whole(out, lambda part: write_quarterly_csv(data, part))
    else:
        result = written_pdf(
            out, lambda f: render_quarterly_report(data, f, large_print=args.large_print)
        )
    what = f"the {data.quarter_name} progress report for {data.org_name}"
    if as_csv:
        print(f"Wrote {out}: {what} as a CSV table.")
    else:
        print(f"Wrote {out}: {what} on {pages(result.pages)}.")
    if data.masked:
        from coachdesk.reports.masking import masked_sentence

        print(masked_sentence(data.masked))
    return 0
