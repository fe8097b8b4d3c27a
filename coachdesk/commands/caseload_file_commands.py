"""`coachdesk caseload import F.csv [--dry-run]` and `coachdesk caseload export -o F.csv`:
districts and schools from a state directory's CSV export, and the caseload back to CSV."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from coachdesk.commands.context import CommandContext, fail, print_json

if TYPE_CHECKING:
    from coachdesk.core.caseload_file import CaseloadPreview

SHOWN_ROWS = 40  # a 2,000-school file lists its first rows and counts the rest


def register(commands: argparse._SubParsersAction) -> None:
    caseload = commands.add_parser(
        "caseload", help="import districts and schools from a CSV file, or export them"
    )
    actions = caseload.add_subparsers(dest="action", required=True, metavar="import|export")
    imp = actions.add_parser(
        "import",
        help="districts and schools from a CSV file (a state directory export)",
        description="Import districts and schools from a CSV file with the columns a state "
        "directory export has: name, state id (BEDS code, org code or IRN), district, address, "
        "grades, and optionally state, kind, city, time zone and program. Every row is checked "
        "and shown first; an organization already in the caseload with the same state id is "
        "updated; the good rows are written together, or none are.",
    )
    imp.add_argument("file", help="the .csv file")
    imp.add_argument(
        "--dry-run", action="store_true", help="check and show every row; write nothing"
    )
    imp.add_argument(
        "--state", metavar="NY|MA|OH", help="the state of rows that do not say (no State column)"
    )
    imp.add_argument(
        "--map",
        metavar="HEADER=FIELD",
        action="append",
        default=[],
        help="the field a column holds when its name is not understood, e.g. "
        '--map "Bldg No=state id" (repeat for each column; FIELD "ignore" skips one)',
    )
    imp.add_argument("--json", action="store_true", help="print JSON for scripts")
    imp.set_defaults(run=run_import)
    exp = actions.add_parser(
        "export",
        help="the caseload to a CSV file that imports back",
        description="Write every district and school of the caseload (not archived ones) to a "
        "CSV file in UTF-8 with a BOM, so that Excel opens it as it is.",
    )
    exp.add_argument("-o", "--output", required=True, metavar="F.csv", help="the file to write")
    exp.set_defaults(run=run_export)


def _mapping(pairs: list[str]) -> dict[str, str]:
    from coachdesk.core.errors import RefusedInput

    mapping: dict[str, str] = {}
    for pair in pairs:
        header, sep, target = pair.rpartition("=")
        if not sep or not header.strip() or not target.strip():
            raise RefusedInput(
                f'--map takes a column and a field joined by =, like --map "Bldg No=state id"; '
                f"“{pair}” is not."
            )
        mapping[header.strip()] = target.strip()
    return mapping


def run_import(args: argparse.Namespace, ctx: CommandContext) -> int:
    from coachdesk.core import caseload_file
    from coachdesk.core.caseload_file import RowAction

    profile = ctx.profile()  # a new coach's first command may be this import
    found = caseload_file.preview(profile, args.file, state=args.state, mapping=_mapping(args.map))
    if found.needs_mapping:
        if args.json:
            print_json(_as_json(found, written=False))
        return _ask_for_mapping(found)
    will_write = found.to_write > 0 and not args.dry_run
    if will_write:
        caseload_file.apply(profile, found)
    if args.json:
        print_json(_as_json(found, written=will_write))
    else:
        _print_preview(found)
        if args.dry_run:
            print("Nothing was written (--dry-run).")
        elif will_write:
            print(f"Imported from {found.source}: {found.written_sentence}.")
        elif not found.errors:
            print("Nothing to change: the caseload already holds every row of the file.")
    if found.errors and found.to_write == 0 and not found.count(RowAction.UNCHANGED):
        return fail(f"No row of {found.source} could be imported; correct the rows listed above.")
    return 0


def _ask_for_mapping(found: CaseloadPreview) -> int:
    from coachdesk.core.caseload_csv import FIELD_LABELS

    understood = ", ".join(f"“{h}” as {FIELD_LABELS[f]}" for h, f in found.matched.items())
    not_used = ", ".join(f"“{h}”" for h in found.unmatched) or "none"
    missing = ", ".join(FIELD_LABELS[f] for f in found.missing)
    return fail(
        f"{found.source} has no column coachdesk reads as the {missing} (understood: "
        f"{understood or 'none'}; not understood: {not_used}); say which column holds it with "
        f'--map "Header={missing}" (fields: {", ".join(FIELD_LABELS.values())}).'
    )


def _print_preview(found: CaseloadPreview) -> None:
    from coachdesk.core.caseload_file import RowAction

    print(f"{found.source} ({found.encoding}), school year {found.school_year}: {found.sentence}.")
    doing = [r for r in found.rows if r.action not in (RowAction.UNCHANGED, RowAction.ERROR)]
    if doing:
        print(f"  {'row':>5}  {'what':<12}  {'name':<36}  {'state id':<12}  district")
        for row in doing[:SHOWN_ROWS]:
            print(
                f"  {row.line:>5}  {row.action.value:<12}  {_cut(row.name, 36):<36}  "
                f"{row.state_id or '':<12}  {row.district or ''}"
            )
            for change in row.changes:
                print(
                    f"  {'':>5}  {'':<12}    {change.label}: {change.old or '(none)'} -> "
                    f"{change.new or '(none)'}"
                )
            if row.programs and row.action is not RowAction.UPDATE:
                print(
                    f"  {'':>5}  {'':<12}    programs {found.school_year}: "
                    f"{', '.join(row.programs)}"
                )
        if len(doing) > SHOWN_ROWS:
            print(f"  ... and {len(doing) - SHOWN_ROWS:,} more (--json lists every row).")
    if found.errors:
        print("Refused rows (row numbers as in the spreadsheet, the header is row 1):")
        for row in found.errors:
            print(f"  row {row.line} ({_cut(row.name, 60)}): {row.message}")
    if found.unmatched:
        print("Columns not used: " + ", ".join(found.unmatched) + ".")


def _cut(text: str, width: int) -> str:
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= width else one_line[: width - 1] + "…"


def _as_json(found: CaseloadPreview, *, written: bool) -> dict:
    from coachdesk.core.caseload_file import RowAction

    return {
        "source": found.source,
        "encoding": found.encoding,
        "school_year": found.school_year,
        "matched": dict(found.matched),
        "unmatched": list(found.unmatched),
        "missing": list(found.missing),
        "totals": {action.value: found.count(action) for action in RowAction},
        "written": written,
        "rows": [
            {
                "row": r.line,
                "action": r.action.value,
                "kind": r.kind,
                "name": r.name,
                "state": r.state,
                "state_id": r.state_id,
                "district": r.district,
                "changes": [{"field": c.label, "old": c.old, "new": c.new} for c in r.changes],
                "programs": list(r.programs),
                "message": r.message,
            }
            for r in found.rows
        ],
    }


def run_export(args: argparse.Namespace, ctx: CommandContext) -> int:
    from coachdesk.core.caseload_file import export

    result = export(ctx.profile(create=False), args.output)
    print(result.sentence)
    return 0
