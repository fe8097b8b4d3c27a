"""coachdesk report quarterly --school S --quarter 2026-Q2 -o F.pdf|F.csv [--large-print]

The NY quarterly progress report for OISR, one school and quarter, as a PDF or a CSV table (the
file name's suffix decides). Written beside the target under a temporary name, then renamed.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from coachdesk.commands.context import CommandContext
from coachdesk.core.errors import RefusedInput

SUFFIXES = (".pdf", ".csv")


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
    quarterly.add_argument(
        "-o",
        "--output",
        required=True,
        type=Path,
        metavar="F.pdf|F.csv",
        help="the file to write: .pdf for the report, .csv for a spreadsheet",
    )
    quarterly.add_argument(
        "--large-print", action="store_true", help="bigger type, the same content (PDF only)"
    )
    quarterly.set_defaults(run=run_quarterly)


def checked_output(path: Path) -> Path:
    """The output path, refused with a sentence unless it can be a new .pdf or .csv there."""
    out = path.expanduser()
    if out.is_dir():
        raise RefusedInput(f"{out} is a folder; give a file name such as {out / 'q2.pdf'}.")
    if out.suffix.lower() not in SUFFIXES:
        raise RefusedInput(
            f"The report is written as a PDF or a CSV file: give a name ending in .pdf or .csv"
            f" (not {out.name!r})."
        )
    if not out.parent.is_dir():
        raise RefusedInput(
            f"The folder {out.parent} does not exist; create it first or choose another place."
        )
    return out


def run_quarterly(args: argparse.Namespace, ctx: CommandContext) -> int:
    import os

    from coachdesk.core.organizations import find_organization
    from coachdesk.core.school_quarters import parse_quarter
    from coachdesk.reports.ny_quarterly_report import render_quarterly_report, write_quarterly_csv
    from coachdesk.reports.ny_quarterly_source import build_quarterly_report

    out = checked_output(args.output)
    quarter = parse_quarter(args.quarter)  # a sentence when it is not a quarter
    profile = ctx.profile()
    school = find_organization(profile, args.school, kind="school")
    data = build_quarterly_report(profile, org_id=school.id, period=quarter.code)
    as_csv = out.suffix.lower() == ".csv"
    # The file appears only when complete. (A plain open, not mkstemp: the usual permissions.)
    temporary = out.with_name(f".{out.name}.{os.getpid()}.part")
    try:
        if as_csv:
            write_quarterly_csv(data, temporary)
        else:
            with open(temporary, "wb") as stream:
                result = render_quarterly_report(data, stream, large_print=args.large_print)
        os.replace(temporary, out)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    what = f"the {data.quarter_name} progress report for {data.org_name}"
    if as_csv:
        print(f"Wrote {out}: {what} as a CSV table.")
    else:
        pages = f"{result.pages} page{'s' if result.pages != 1 else ''}"
        print(f"Wrote {out}: {what} on {pages}.")
    if data.masked:
        from coachdesk.reports.masking import masked_sentence

        print(masked_sentence(data.masked))
    return 0
