"""`coachdesk rollup`: what the coaches' bundles add up to, per coach and per school.

coachdesk rollup [--program P] [--region R] [--coach NAME] [--on DATE]
                 [--json | -o F.csv | --pdf F.pdf]

Read from this (desktop) profile, which holds what the coaches' imported bundles carried
(`coachdesk import FOLDER` imports a folder of them). Without an output option it prints a
table; the numbers are those of `coachdesk/reports/rollup_data.py::build_rollup`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from coachdesk.commands.context import CommandContext


def register(commands: argparse._SubParsersAction) -> None:
    rollup = commands.add_parser(
        "rollup",
        help="per coach and school: last final visit, visits against the cadence, overdue"
        " items, indicator status, NNPS stages, MA phase and PM meetings",
        description="The roll-up of every caseload this profile holds from imported bundles."
        " It shows no answer text, and internal notes never arrive in a bundle.",
    )
    rollup.add_argument("--program", metavar="P", help="one program: NY_RCV, MA_SSOS or OH_NNPS")
    rollup.add_argument(
        "--region",
        metavar="R",
        help="the coaches of one employer, e.g. 'State Support Team Region 6'",
    )
    rollup.add_argument("--coach", metavar="NAME", help="one coach, by the name on their profile")
    rollup.add_argument(
        "--on", metavar="DATE", help="the day to judge on (YYYY-MM-DD; default today)"
    )
    out = rollup.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print JSON for scripts")
    out.add_argument("-o", "--output", type=Path, metavar="F.csv", help="write a CSV table")
    out.add_argument("--pdf", type=Path, metavar="F.pdf", help="write a landscape PDF")
    rollup.set_defaults(run=run_rollup)


def run_rollup(args: argparse.Namespace, ctx: CommandContext) -> int:
    import datetime as dt

    from coachdesk.commands.context import print_json
    from coachdesk.commands.report_files import checked_output, pages, write_whole, written_pdf
    from coachdesk.core.errors import RefusedInput
    from coachdesk.reports.rollup_data import build_rollup, checked_filter

    today = dt.date.today()
    if args.on:
        try:
            today = dt.date.fromisoformat(args.on)
        except ValueError:
            raise RefusedInput(
                f"Write the day as YYYY-MM-DD, such as 2026-11-18, not {args.on!r}."
            ) from None
    csv_out = pdf_out = None
    if args.output is not None:
        csv_out = checked_output(args.output, suffixes=(".csv",), example="rollup.csv")
    if args.pdf is not None:
        pdf_out = checked_output(args.pdf, example="rollup.pdf")
    profile = ctx.profile(create=False)
    with profile.reading() as session:
        chosen = checked_filter(
            session, today=today, program=args.program, region=args.region, coach=args.coach
        )
        rollup = build_rollup(session, chosen, today=today)
    if args.json:
        print_json(rollup.as_json())
        return 0
    if csv_out is not None:
        from coachdesk.reports.rollup_csv import write_rollup_csv

        rows = write_whole(csv_out, lambda part: write_rollup_csv(rollup, part))
        print(f"Wrote {csv_out}: {rows} rows ({_counted(rollup)}).")
        return 0
    if pdf_out is not None:
        from coachdesk.reports.rollup_report import render_rollup_report

        result = written_pdf(pdf_out, lambda f: render_rollup_report(rollup, f))
        print(f"Wrote {pdf_out}: {_counted(rollup)} on {pages(result.pages)}.")
        return 0
    print(rollup_text(rollup))
    return 0


def _counted(rollup) -> str:
    schools = sum(1 for s in rollup.schools if s.kind == "school")
    coaches = len(rollup.coaches)
    return (
        f"{coaches} coach{'es' if coaches != 1 else ''}, "
        f"{schools} school{'s' if schools != 1 else ''}"
    )


def rollup_text(rollup) -> str:
    """The roll-up as a plain table for the terminal, one block per coach."""
    from coachdesk.core.dates_text import medium_date

    lines = [f"Roll-up as of {medium_date(rollup.as_of)}, prepared by {rollup.prepared_by}"]
    if not rollup.schools:
        lines.append(
            "No coach's caseload is here for this school year: import the coaches' bundles"
            " with `coachdesk import FOLDER`."
        )
        return "\n".join(lines)
    for coach in rollup.coaches:
        region = f" ({coach.region})" if coach.region else ""
        lines.append("")
        schools = f"{coach.schools} school{'' if coach.schools == 1 else 's'}"
        lines.append(f"{coach.coach}{region}: {schools}, {coach.overdue} overdue")
        for s in (s for s in rollup.schools if s.coach_id == coach.coach_id):
            last = (
                f"last final visit {medium_date(s.last_final_visit)}"
                if s.last_final_visit
                else "no final visit yet"
            )
            expected = (
                f"{s.visits_this_month} of {s.visits_expected_this_month}"
                if s.visits_expected_this_month is not None
                else str(s.visits_this_month)
            )
            c = s.indicators
            parts = [
                f"{s.school} [{s.program}{', district' if s.kind == 'district' else ''}]",
                last,
                f"visits this month {expected}",
                f"overdue {s.overdue}",
                f"indicators {c.met} met, {c.on_track} on track, {c.at_risk} at risk,"
                f" {c.no_data} no data" + (f", {c.suppressed} suppressed" if c.suppressed else ""),
            ]
            if s.nnps_stage is not None or s.program == "OH_NNPS":
                parts.append(f"stage {s.nnps_stage or 'not recorded'}")
            if s.ma_phase is not None:
                parts.append(f"phase {s.ma_phase}, {s.pm_meetings_held} PM meetings")
            lines.append("  " + "; ".join(parts))
    if rollup.nnps_stages:
        stages = ", ".join(f"{stage} {n}" for stage, n in rollup.nnps_stages.items())
        lines.append("")
        lines.append(f"NNPS stages: {stages}")
    return "\n".join(lines)
