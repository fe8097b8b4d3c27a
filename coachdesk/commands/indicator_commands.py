"""Indicators, targets and measurements from the keyboard (issue 13).

    coachdesk indicators add --school S --name N --kind dii|benchmark|local [--level 1|2]
                             [--value-type T] [--direction higher|lower] [--group G ...]
                             [--code C] [--source TEXT] [--json]
    coachdesk indicators edit IND [--name ..] [--code ..] [--kind ..] [--level ..]
                              [--value-type ..] [--direction ..] [--group ..] [--source ..]
    coachdesk indicators list [--school S] [--retired] [--json]
    coachdesk indicators retire IND [--undo]
    coachdesk targets set IND --year Y [--baseline V] [--baseline-year Y] [--target V]
                          [--early V] [--early-window FROM:TO] [--mid ..] [--eoy ..] [--json]
    coachdesk targets copy --school S --from Y --to Y [--json]
    coachdesk measurements add IND --value V --as-of DATE [--n N] [--checkpoint C] [--final]
    coachdesk measurements edit ID [--value V] [--as-of DATE] [--n N] [--checkpoint C]
    coachdesk measurements delete ID [--undo]
    coachdesk measurements history ID [--json]
    coachdesk measurements list IND [--deleted] [--json]
    coachdesk measurements import F.csv [--dry-run] [--json]

IND is an indicator's id, or its code (with --school and --group when several share it). S is a
school's or district's id, state id or exact name.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from coachdesk.commands.context import CommandContext, print_json
from coachdesk.commands.indicator_text import (
    date,
    indicator_json,
    target_json,
    this_year,
    whole,
    window,
)

if TYPE_CHECKING:
    from coachdesk.core.store.profile import Profile
    from coachdesk.core.tracking_records.indicator_setup import IndicatorRow

VALUE_TYPES = ("percent", "scale", "index", "count", "rate", "yes/no", "stage")
IND_HELP = "the indicator's id, or its code (with --school and --group when several share it)"


def register(commands: argparse._SubParsersAction) -> None:
    _register_indicators(commands)
    _register_targets(commands)
    _register_measurements(commands)


def _register_indicators(commands: argparse._SubParsersAction) -> None:
    indicators = commands.add_parser(
        "indicators", help="add, edit, list and retire a school's indicators"
    )
    actions = indicators.add_subparsers(
        dest="action", required=True, metavar="add|edit|list|retire"
    )
    add = actions.add_parser("add", help="add a DII, benchmark or local indicator")
    add.add_argument("--school", required=True, metavar="S", help="the school or district")
    add.add_argument("--name", required=True, help="what it measures, as the plan words it")
    add.add_argument("--kind", required=True, choices=("dii", "benchmark", "local"))
    _indicator_options(add)
    add.add_argument("--json", action="store_true", help='print {"id": ..., "ids": [...]}')
    add.set_defaults(run=run_indicators_add)

    edit = actions.add_parser("edit", help="change an indicator's details")
    edit.add_argument("indicator", metavar="IND", help=IND_HELP)
    edit.add_argument("--school", metavar="S", help="the school, to find IND by code")
    edit.add_argument("--name")
    edit.add_argument("--kind", choices=("dii", "benchmark", "local"))
    _indicator_options(edit, edit=True)
    edit.add_argument("--json", action="store_true", help='print {"id": ...}')
    edit.set_defaults(run=run_indicators_edit)

    listing = actions.add_parser("list", help="list indicators with this year's target")
    listing.add_argument("--school", metavar="S", help="only this school's or district's")
    listing.add_argument("--retired", action="store_true", help="include retired indicators")
    listing.add_argument("--year", metavar="YYYY-YY", help="the targets' year (default: now)")
    listing.add_argument("--json", action="store_true", help="print JSON for scripts")
    listing.set_defaults(run=run_indicators_list)

    retire = actions.add_parser(
        "retire", help="retire an indicator (its targets and measurements are kept)"
    )
    retire.add_argument("indicator", metavar="IND", help="the indicator's id")
    retire.add_argument("--undo", action="store_true", help="bring a retired indicator back")
    retire.add_argument("--json", action="store_true", help='print {"id": ...}')
    retire.set_defaults(run=run_indicators_retire)


def _indicator_options(parser: argparse.ArgumentParser, *, edit: bool = False) -> None:
    parser.add_argument("--level", type=int, choices=(1, 2), help="a NY DII's level")
    parser.add_argument(
        "--value-type", choices=VALUE_TYPES, help="what a value is (default percent)"
    )
    parser.add_argument("--direction", choices=("higher", "lower"), help="which way is better")
    parser.add_argument(
        "--group",
        metavar="G",
        action="store" if edit else "append",
        help="the student group (All, ML, SWD, ...)"
        + ("" if edit else "; repeat for a benchmark by several groups"),
    )
    parser.add_argument("--code", help="a short code, as in a CSV import (default: from the name)")
    parser.add_argument("--source", help="where the data comes from")


def _register_targets(commands: argparse._SubParsersAction) -> None:
    targets = commands.add_parser("targets", help="set an indicator's target for a school year")
    actions = targets.add_subparsers(dest="action", required=True, metavar="set|copy")
    put = actions.add_parser(
        "set",
        help="set or change a target, its baseline and checkpoints",
        description="Only what you give changes. A checkpoint needs its window the first time "
        "(FROM:TO, such as 2026-09-15:2026-10-30); its goal is optional.",
    )
    put.add_argument("indicator", metavar="IND", help=IND_HELP)
    put.add_argument("--school", metavar="S", help="the school, to find IND by code")
    put.add_argument("--group", metavar="G", help="the student group, to find IND by code")
    put.add_argument("--year", required=True, metavar="YYYY-YY", help="the target's school year")
    put.add_argument("--baseline", metavar="V", help="the baseline value")
    put.add_argument("--baseline-year", metavar="YYYY-YY", help="default: the year before")
    put.add_argument("--target", metavar="V", help="the annual target")
    for name, word in (("early", "early"), ("mid", "mid-year"), ("eoy", "end-of-year")):
        put.add_argument(f"--{name}", metavar="V", help=f"the {word} goal")
        put.add_argument(
            f"--{name}-window", metavar="FROM:TO", help=f"the {word} checkpoint's data window"
        )
    put.add_argument(
        "--clear",
        choices=("early", "mid", "eoy"),
        action="append",
        default=[],
        help="remove a checkpoint",
    )
    put.add_argument("--json", action="store_true", help='print {"id": ..., "notes": [...]}')
    put.set_defaults(run=run_targets_set)

    copy = actions.add_parser("copy", help="start next year's targets from this year's")
    copy.add_argument("--school", required=True, metavar="S", help="the school or district")
    copy.add_argument("--from", dest="from_year", required=True, metavar="YYYY-YY")
    copy.add_argument("--to", dest="to_year", required=True, metavar="YYYY-YY")
    copy.add_argument("--json", action="store_true", help='print {"ids": [...], "skipped": [...]}')
    copy.set_defaults(run=run_targets_copy)


def _register_measurements(commands: argparse._SubParsersAction) -> None:
    measurements = commands.add_parser(
        "measurements", help="record, correct and delete an indicator's measurements"
    )
    actions = measurements.add_subparsers(
        dest="action", required=True, metavar="add|edit|delete|history|list|import"
    )
    add = actions.add_parser("add", help="record a measurement")
    add.add_argument("indicator", metavar="IND", help=IND_HELP)
    add.add_argument("--school", metavar="S", help="the school, to find IND by code")
    add.add_argument("--group", metavar="G", help="the student group, to find IND by code")
    add.add_argument("--value", required=True, metavar="V")
    add.add_argument("--as-of", required=True, metavar="DATE", help="the day it was measured")
    add.add_argument("--n", type=int, metavar="N", help="how many students it counts")
    add.add_argument("--checkpoint", choices=("early", "mid", "eoy"))
    add.add_argument("--final", action="store_true", help="the official annual result")
    add.add_argument("--json", action="store_true", help='print {"id": ...}')
    add.set_defaults(run=run_measurements_add)

    edit = actions.add_parser("edit", help="correct a measurement (the earlier value is kept)")
    edit.add_argument("measurement", metavar="ID", help="the measurement's id")
    edit.add_argument("--value", metavar="V")
    edit.add_argument("--as-of", metavar="DATE")
    edit.add_argument("--n", metavar="N", help='how many students ("" clears it)')
    edit.add_argument("--checkpoint", choices=("early", "mid", "eoy", "none"))
    edit.add_argument("--final", choices=("yes", "no"), help="whether it is the annual result")
    edit.add_argument("--json", action="store_true", help='print {"id": ...}')
    edit.set_defaults(run=run_measurements_edit)

    delete = actions.add_parser("delete", help="delete a measurement (kept in its history)")
    delete.add_argument("measurement", metavar="ID", help="the measurement's id")
    delete.add_argument("--undo", action="store_true", help="bring a deleted measurement back")
    delete.add_argument("--json", action="store_true", help='print {"id": ...}')
    delete.set_defaults(run=run_measurements_delete)

    history = actions.add_parser("history", help="every version of a measurement: who and when")
    history.add_argument("measurement", metavar="ID", help="the measurement's id")
    history.add_argument("--json", action="store_true", help="print JSON for scripts")
    history.set_defaults(run=run_measurements_history)

    listing = actions.add_parser("list", help="an indicator's measurements, with their ids")
    listing.add_argument("indicator", metavar="IND", help=IND_HELP)
    listing.add_argument("--school", metavar="S", help="the school, to find IND by code")
    listing.add_argument("--group", metavar="G", help="the student group, to find IND by code")
    listing.add_argument("--deleted", action="store_true", help="include deleted ones")
    listing.add_argument("--json", action="store_true", help="print JSON for scripts")
    listing.set_defaults(run=run_measurements_list)

    imports = actions.add_parser(
        "import",
        help="import measurements from a CSV file (school, indicator, as_of, value)",
    )
    imports.add_argument("file", metavar="F.csv")
    imports.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
    imports.add_argument("--json", action="store_true", help="print JSON for scripts")
    imports.set_defaults(run=run_measurements_import)


# --- indicators -----------------------------------------------------------------------------------


def run_indicators_add(args: argparse.Namespace, ctx: CommandContext) -> int:
    from coachdesk.core.tracking_records.indicator_setup import add_indicator, get_indicator

    profile = ctx.profile(create=False)
    org = _org(profile, args.school)
    added = add_indicator(
        profile,
        org.id,
        name=args.name,
        kind=args.kind,
        level=args.level,
        value_type=args.value_type or "percent",
        direction=args.direction or "higher",
        groups=args.group or ("All",),
        code=args.code,
        source=args.source,
    )
    if args.json:
        print_json({"id": added.id, "ids": list(added.ids)})
        return 0
    for ind_id in added.ids:
        row = get_indicator(profile, ind_id)
        print(f"Added {row.code} “{row.name}” to {row.org_name} ({row.describe()}); id {row.id}.")
    return 0


def run_indicators_edit(args: argparse.Namespace, ctx: CommandContext) -> int:
    from coachdesk.core.errors import RefusedInput
    from coachdesk.core.tracking_records.indicator_setup import edit_indicator, get_indicator

    profile = ctx.profile(create=False)
    row = _indicator(profile, args, by_group=False)
    given = {
        "name": args.name,
        "code": args.code,
        "kind": args.kind,
        "level": args.level,
        "value_type": args.value_type,
        "direction": args.direction,
        "group": args.group,
        "source": args.source,
    }
    changes = {k: v for k, v in given.items() if v is not None}
    if not changes:
        raise RefusedInput(
            "Say what to change: --name, --code, --kind, --level, --value-type, --direction, "
            "--group or --source."
        )
    summary = edit_indicator(profile, row.id, **changes)
    if args.json:
        print_json({"id": row.id})
    elif summary:
        now = get_indicator(profile, row.id)
        print(f"Saved {now.code} “{now.name}” ({now.describe()}).")
    else:
        print(f"{row.code} already had those details; nothing changed.")
    return 0


def run_indicators_list(args: argparse.Namespace, ctx: CommandContext) -> int:
    from coachdesk.core.tracking_records.indicator_setup import list_indicators
    from coachdesk.core.tracking_records.indicator_targets import check_year, get_target

    profile = ctx.profile(create=False)
    org_id = _org(profile, args.school).id if args.school else None
    year = check_year(args.year) if args.year else this_year()
    rows = list_indicators(profile, org_id=org_id, retired=args.retired)
    targets = {r.id: get_target(profile, r.id, year) for r in rows}
    if args.json:
        print_json([indicator_json(r) | {"target": target_json(targets[r.id])} for r in rows])
        return 0
    if not rows:
        print(
            "No indicators yet. Add one: coachdesk indicators add --school SCHOOL --name NAME "
            "--kind dii --level 1"
        )
        return 0
    for r in rows:
        retired = "  (retired)" if r.retired else ""
        target = targets[r.id]
        print(f"{r.id}  {r.org_name}  {r.code}  {r.name}  [{r.describe()}]{retired}")
        print(f"    {target.line() if target else 'no target for ' + year}")
    return 0


def run_indicators_retire(args: argparse.Namespace, ctx: CommandContext) -> int:
    from coachdesk.core.tracking_records.indicator_setup import (
        get_indicator,
        restore_indicator,
        retire_indicator,
    )

    profile = ctx.profile(create=False)
    row = get_indicator(profile, args.indicator)
    changed = (restore_indicator if args.undo else retire_indicator)(profile, row.id)
    if args.json:
        print_json({"id": row.id})
    elif not changed:
        print(f"{row.code} was {'not' if args.undo else 'already'} retired; nothing changed.")
    elif args.undo:
        print(f"{row.code} “{row.name}” is back on {row.org_name}'s page.")
    else:
        print(
            f"Retired {row.code} “{row.name}” of {row.org_name}: it leaves the school's page "
            "and the due list; its targets and measurements are kept (--undo brings it back)."
        )
    return 0


# --- targets --------------------------------------------------------------------------------------


def run_targets_set(args: argparse.Namespace, ctx: CommandContext) -> int:
    from coachdesk.core.tracking_records.indicator_targets import (
        CheckpointInput,
        get_target,
        set_target,
    )

    profile = ctx.profile(create=False)
    row = _indicator(profile, args)
    checkpoints = {}
    for name in ("early", "mid", "eoy"):
        goal, span = getattr(args, name), getattr(args, f"{name}_window")
        if goal is None and span is None:
            continue
        starts, ends = window(span, name) if span else (None, None)
        checkpoints[name] = CheckpointInput(starts, ends, goal)
    saved = set_target(
        profile,
        row.id,
        args.year,
        baseline=args.baseline,
        baseline_year=args.baseline_year,
        annual_target=args.target,
        checkpoints=checkpoints,
        clear=tuple(args.clear),
    )
    if args.json:
        print_json({"id": saved.id, "notes": list(saved.notes)})
        return 0
    target = get_target(profile, row.id, args.year.strip())
    print(f"{row.code} {target.line() if target else ''}")
    for note in saved.notes:
        print(f"Note: {note}")
    return 0


def run_targets_copy(args: argparse.Namespace, ctx: CommandContext) -> int:
    from coachdesk.core.tracking_records.indicator_targets import copy_targets

    profile = ctx.profile(create=False)
    org = _org(profile, args.school)
    done = copy_targets(profile, org.id, args.from_year, args.to_year)
    if args.json:
        print_json({"ids": list(done.copied), "skipped": list(done.skipped)})
        return 0
    n = len(done.copied)
    print(
        f"Copied {n} target{'s' if n != 1 else ''} of {org.name} to {args.to_year}; edit them "
        "with `coachdesk targets set`."
    )
    for sentence in done.skipped:
        print(f"  {sentence}")
    return 0


# --- measurements ---------------------------------------------------------------------------------


def run_measurements_add(args: argparse.Namespace, ctx: CommandContext) -> int:
    from coachdesk.core.tracking_records.indicators import record_measurement

    profile = ctx.profile(create=False)
    row = _indicator(profile, args)
    changes = record_measurement(
        profile,
        row.id,
        as_of=date(args.as_of, "--as-of"),
        value=args.value,
        checkpoint=args.checkpoint,
        n=args.n,
        final=args.final,
        source="entered",
    )
    new_id = next(iter(changes.ids("measurement")))
    if args.json:
        print_json({"id": new_id})
    else:
        print(f"Recorded {args.value} for {row.code} ({row.org_name}); id {new_id}.")
    return 0


def run_measurements_edit(args: argparse.Namespace, ctx: CommandContext) -> int:
    from coachdesk.core.errors import RefusedInput
    from coachdesk.core.tracking_records.measurement_corrections import (
        edit_measurement,
        get_measurement,
    )

    profile = ctx.profile(create=False)
    found = get_measurement(profile, args.measurement)
    given: dict[str, Any] = {}
    if args.value is not None:
        given["value"] = args.value
    if args.as_of is not None:
        given["as_of"] = date(args.as_of, "--as-of")
    if args.n is not None:
        given["n"] = whole(args.n)
    if args.checkpoint is not None:
        given["checkpoint"] = None if args.checkpoint == "none" else args.checkpoint
    if args.final is not None:
        given["final"] = args.final == "yes"
    if not given:
        raise RefusedInput("Say what to correct: --value, --as-of, --n, --checkpoint or --final.")
    changed = edit_measurement(profile, found.id, **given)
    if args.json:
        print_json({"id": found.id})
    elif changed:
        print("Corrected; the earlier version is kept (`coachdesk measurements history ID`).")
    else:
        print("The measurement already said that; nothing changed.")
    return 0


def run_measurements_delete(args: argparse.Namespace, ctx: CommandContext) -> int:
    from coachdesk.core.tracking_records.measurement_corrections import (
        delete_measurement,
        get_measurement,
        restore_measurement,
    )

    profile = ctx.profile(create=False)
    found = get_measurement(profile, args.measurement)
    changed = (restore_measurement if args.undo else delete_measurement)(profile, found.id)
    if args.json:
        print_json({"id": found.id})
    elif not changed:
        print(f"It was {'not' if args.undo else 'already'} deleted; nothing changed.")
    else:
        print("Restored." if args.undo else "Deleted; its history is kept (--undo restores it).")
    return 0


def run_measurements_history(args: argparse.Namespace, ctx: CommandContext) -> int:
    from coachdesk.core.tracking_records.measurement_corrections import measurement_history

    profile = ctx.profile(create=False)
    versions = measurement_history(profile, args.measurement)
    if args.json:
        print_json(
            [
                {
                    "when": v.when.isoformat() if v.when else None,
                    "who": v.who,
                    "value": v.value,
                    "as_of": v.as_of.isoformat() if v.as_of else None,
                    "checkpoint": v.checkpoint,
                    "n": v.n,
                    "final": v.final,
                    "deleted": v.deleted,
                    "changed": list(v.changed),
                }
                for v in versions
            ]
        )
        return 0
    for v in versions:
        print(v.sentence())
    return 0


def run_measurements_list(args: argparse.Namespace, ctx: CommandContext) -> int:
    from coachdesk.core.tracking_records.indicators import show_value
    from coachdesk.core.tracking_records.measurement_corrections import list_measurements

    profile = ctx.profile(create=False)
    row = _indicator(profile, args)
    found = list_measurements(profile, row.id, deleted=args.deleted)
    if args.json:
        print_json(
            [
                {
                    "id": m.id,
                    "as_of": m.as_of.isoformat(),
                    "value": m.value,
                    "checkpoint": m.checkpoint,
                    "n": m.n,
                    "final": m.final,
                    "deleted": m.deleted,
                }
                for m in found
            ]
        )
        return 0
    if not found:
        print(f"{row.code} has no measurements yet.")
    for m in found:
        extra = "".join(
            (
                f"  {m.checkpoint}" if m.checkpoint else "",
                f"  n={m.n}" if m.n is not None else "",
                "  final" if m.final else "",
                "  (deleted)" if m.deleted else "",
            )
        )
        print(f"{m.id}  {m.as_of.isoformat()}  {show_value(m.value)}{extra}")
    return 0


def run_measurements_import(args: argparse.Namespace, ctx: CommandContext) -> int:
    from coachdesk.core.tracking_records.csv_import import import_rows, preview_csv

    profile = ctx.profile(create=False)
    preview = preview_csv(profile, args.file)
    written: list[str] = []
    if not args.dry_run and preview.rows:
        written = sorted(import_rows(profile, preview).ids("measurement"))
    if args.json:
        print_json(
            {
                "ready": len(preview.rows),
                "written": written,
                "refused": [{"line": e.line, "why": e.message} for e in preview.errors],
            }
        )
        return 0
    print(preview.sentence)
    for error in preview.errors:
        print(f"  line {error.line}: {error.message}")
    if args.dry_run:
        print("Nothing was written (--dry-run).")
    elif written:
        print(f"Imported {len(written)} measurement{'s' if len(written) != 1 else ''}.")
    return 0


# --- helpers --------------------------------------------------------------------------------------


def _org(profile: Profile, text: str):
    from coachdesk.core.organizations import find_organization

    return find_organization(profile, text)


def _indicator(
    profile: Profile, args: argparse.Namespace, *, by_group: bool = True
) -> IndicatorRow:
    """The indicator named on the command line; `--group` narrows a code unless it is an edit."""
    from coachdesk.core.tracking_records.indicator_setup import find_indicator

    school = getattr(args, "school", None)
    org_id = _org(profile, school).id if school else None
    group = getattr(args, "group", None) if by_group else None
    return find_indicator(profile, args.indicator, org_id=org_id, group=group)
