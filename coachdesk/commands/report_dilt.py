"""coachdesk report dilt --district D --window mid|end [--year 2026-27] -o F.pdf|F.csv
[--large-print]

The MA progress-monitoring report for the District Instructional Leadership Team, for the
mid-year or end-of-year window, as a PDF or a CSV table (the file name's suffix decides).
Written beside the target under a temporary name, then renamed.
"""

from __future__ import annotations

import argparse
import re

from coachdesk.commands.context import CommandContext
from coachdesk.commands.report_files import (
    PDF_OR_CSV,
    add_output,
    checked_output,
    pages,
    write_whole,
    written_pdf,
)
from coachdesk.core.errors import RefusedInput

WINDOWS = ("mid", "end")
_SCHOOL_YEAR = re.compile(r"^\d{4}-\d{2}$")


def register(kinds: argparse._SubParsersAction) -> None:
    """Add `dilt` to `coachdesk report`."""
    dilt = kinds.add_parser(
        "dilt",
        help="an MA district's mid-year or end-of-year progress-monitoring report for the DILT"
        " (PDF or CSV)",
    )
    dilt.add_argument(
        "--district", required=True, metavar="NAME_OR_ID", help="the district: name, org code or id"
    )
    dilt.add_argument(
        "--window",
        required=True,
        metavar="mid|end",
        help="the progress-monitoring window: mid (December to February) or end (May to June)",
    )
    dilt.add_argument(
        "--year", metavar="YYYY-YY", help="the school year, e.g. 2026-27 (default: the current one)"
    )
    add_output(dilt)
    dilt.set_defaults(run=run_dilt)


def run_dilt(args: argparse.Namespace, ctx: CommandContext) -> int:
    import datetime as dt

    from coachdesk.core.caseload import current_school_year
    from coachdesk.core.organizations import find_organization
    from coachdesk.reports.ma_dilt_report import render_dilt_report, write_dilt_csv
    from coachdesk.reports.ma_dilt_source import build_dilt_report

    window = (args.window or "").strip().lower()
    if window not in WINDOWS:
        raise RefusedInput(
            f"Choose the window as mid (December to February) or end (May to June), not"
            f" {args.window!r}."
        )
    if args.year and not _SCHOOL_YEAR.match(args.year):
        raise RefusedInput(f"Write the school year as 2026-27, not {args.year!r}.")
    out = checked_output(args.output, suffixes=PDF_OR_CSV, example="dilt.pdf")
    today = dt.date.today()
    year = args.year or current_school_year(today)
    profile = ctx.profile()
    district = find_organization(profile, args.district, kind="district")
    data = build_dilt_report(profile, org_id=district.id, period=f"{year} {window}", today=today)
    as_csv = out.suffix.lower() == ".csv"
    if as_csv:
        rows = write_whole(out, lambda part: write_dilt_csv(data, part))
    else:
        result = written_pdf(
            out, lambda f: render_dilt_report(data, f, large_print=args.large_print)
        )
    what = f"the {data.period_label} progress-monitoring report for {data.org_name}"
    if as_csv:
        print(f"Wrote {out}: {what} as a CSV table of {rows} row{'s' if rows != 1 else ''}.")
    else:
        print(f"Wrote {out}: {what} on {pages(result.pages)}.")
    return 0
