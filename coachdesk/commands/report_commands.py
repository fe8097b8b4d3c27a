"""Reports from the profile: PDFs, and an MA district's benchmark table (text, CSV or JSON).

coachdesk report caseload -o F.pdf [--large-print] [--year 2026-27] [--program OH_NNPS]
coachdesk report visit VISIT_ID -o F.pdf [--large-print]
coachdesk report benchmarks --district NAME_OR_ID [--year 2026-27] [-o F.csv | --json]
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from coachdesk.commands.context import CommandContext
from coachdesk.commands.report_files import PDF_ONLY, add_output, checked_output, pages, written_pdf
from coachdesk.core.errors import RefusedInput

_SCHOOL_YEAR = re.compile(r"^\d{4}-\d{2}$")


def register(commands: argparse._SubParsersAction) -> None:
    report = commands.add_parser("report", help="write a PDF report (benchmarks: a CSV table)")
    kinds = report.add_subparsers(dest="report", metavar="REPORT", required=True)

    caseload = kinds.add_parser(
        "caseload", help="the caseload status report: each school's status, by program"
    )
    add_output(caseload, PDF_ONLY)
    caseload.add_argument(
        "--year", metavar="YYYY-YY", help="the school year, e.g. 2026-27 (default: the current one)"
    )
    caseload.add_argument(
        "--program",
        metavar="CODE",
        help="only one program's schools: NY_RCV, MA_SSOS or OH_NNPS (default: all)",
    )
    caseload.set_defaults(run=run_caseload)

    visit = kinds.add_parser("visit", help="a visit's summary for the principal (1-2 pages)")
    visit.add_argument(
        "visit_id", metavar="VISIT_ID", help="the visit (see `coachdesk visit list`)"
    )
    add_output(visit, PDF_ONLY)
    visit.set_defaults(run=run_visit)

    benchmarks = kinds.add_parser(
        "benchmarks",
        help="an MA district's benchmark results by school and student group (small cells"
        " suppressed), as a table, a CSV file or JSON",
    )
    benchmarks.add_argument(
        "--district", required=True, metavar="NAME_OR_ID", help="the district: name, state id or id"
    )
    benchmarks.add_argument(
        "--year", metavar="YYYY-YY", help="the school year, e.g. 2026-27 (default: the current one)"
    )
    out = benchmarks.add_mutually_exclusive_group()
    out.add_argument("-o", "--output", type=Path, metavar="F.csv", help="the CSV file to write")
    out.add_argument("--json", action="store_true", help="the table as JSON")
    benchmarks.set_defaults(run=run_benchmarks)
    from coachdesk.commands import report_quarterly

    report_quarterly.register(kinds)

    from coachdesk.commands import report_coaching_log

    report_coaching_log.register(kinds)

    from coachdesk.commands import report_dilt

    report_dilt.register(kinds)


def run_caseload(args: argparse.Namespace, ctx: CommandContext) -> int:
    import datetime as dt

    from coachdesk.core.caseload import current_school_year
    from coachdesk.reports.caseload_report import render_caseload_report

    out = checked_output(args.output)
    if args.year and not _SCHOOL_YEAR.match(args.year):
        raise RefusedInput(f"Write the school year as 2026-27, not {args.year!r}.")
    from coachdesk.reports.caseload_source import build_caseload_report, program_code

    code = program_code(args.program)  # an unknown program: one sentence, exit 1
    today = dt.date.today()
    year = args.year or current_school_year(today)
    profile = ctx.profile()
    data = build_caseload_report(profile, today=today, school_year=year, program=code)
    result = written_pdf(
        out, lambda f: render_caseload_report(data, f, large_print=args.large_print)
    )
    schools = sum(len(p.schools) for p in data.programs)
    only = f" in {data.program_filter}" if data.program_filter else ""
    counted = f"{schools} school{'s' if schools != 1 else ''}{only}"
    print(f"Wrote {out}: {counted} on {pages(result.pages)}.")
    if not schools and code:
        print(f"No school is on the caseload{only} for {year}.")
    elif not schools:
        from coachdesk.commands.empty import NO_SCHOOLS, has_no_schools

        print(
            NO_SCHOOLS
            if has_no_schools(profile)
            else f"No school is on the caseload for {year}: put one on it with "
            "`coachdesk assign SCHOOL --program CODE`."
        )
    return 0


def run_visit(args: argparse.Namespace, ctx: CommandContext) -> int:
    from coachdesk.core.dates_text import medium_date
    from coachdesk.reports.masking import masked_sentence
    from coachdesk.reports.visit_source import build_visit_summary
    from coachdesk.reports.visit_summary import render_visit_summary

    out = checked_output(args.output)
    data = build_visit_summary(ctx.profile(), args.visit_id)  # NotFound: exit 1, one sentence
    result = written_pdf(out, lambda f: render_visit_summary(data, f, large_print=args.large_print))
    trimmed = " Long notes were shortened to fit." if result.narrative_limit else ""
    print(
        f"Wrote {out}: the {data.header.visit_type.lower()} of "
        f"{medium_date(data.header.visit_date)} at {data.header.school} on "
        f"{pages(result.pages)}.{trimmed}"
    )
    if data.masked:
        print(masked_sentence(data.masked, walk=data.learning_walk is not None))
    return 0


def run_benchmarks(args: argparse.Namespace, ctx: CommandContext) -> int:
    from coachdesk.commands.context import print_json
    from coachdesk.core.organizations import find_organization
    from coachdesk.core.tracking_records import district_benchmarks as bench

    if args.year and not _SCHOOL_YEAR.match(args.year):
        raise RefusedInput(f"Write the school year as 2026-27, not {args.year!r}.")
    profile = ctx.profile()
    district = find_organization(profile, args.district, kind="district")
    if args.output is not None:
        if args.output.suffix.lower() != ".csv":
            raise RefusedInput(
                f"The results are written as CSV: give a file name ending in .csv "
                f"(not {args.output.name!r})."
            )
        done = bench.export_district_benchmarks(profile, district.id, args.year, args.output)
        print(done.sentence)
        return 0
    table = bench.district_benchmarks(profile, district.id, args.year)
    if args.json:
        print_json(table.as_dict())
        return 0
    if not table.rows:
        print(f"{table.district_name} has no benchmarks for {table.school_year}.")
        return 0
    print(
        f"{table.district_name}: benchmark results {table.school_year} "
        f"(fewer than {table.min_n} students: suppressed)"
    )
    for name in bench.CHECKPOINTS:
        print(f"\n{bench.CHECKPOINT_WORDS[name]}")
        for row in table.rows:
            cells = "; ".join(
                f"{g} {row.cell(g, name).text(row.value_type)} [{row.cell(g, name).status}]"
                for g in table.groups
            )
            print(f"  {row.code} · {row.org_name}: {cells}")
    return 0
