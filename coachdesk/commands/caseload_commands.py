"""A coach's own caseload from the keyboard (issue 12).

    coachdesk districts add --name N --state NY|MA|OH [--state-id ID] [--address A] [--json]
    coachdesk districts list [--json]
    coachdesk schools add --name N --district NAME_OR_ID [--state-id ID] [--grades G]
                          [--address A] [--program CODE] [--role lead|support] [--year Y]
                          [--receivership-year N] [--stage STAGE] [--json]
    coachdesk schools list [--program CODE] [--archived] [--json]
    coachdesk schools edit ORG [--name ..] [--state-id ..] [--grades ..] [--address ..] [--tz ..]
    coachdesk schools archive ORG | unarchive ORG
    coachdesk assign ORG --program CODE [--year Y] [--role R] [--receivership-year N]
                         [--stage S] [--identified SCHOOL ...]
    coachdesk year next [--from Y] [--confirm ID ...] [--all] [--json]

ORG is a district's or school's id, its state id (dashes and spaces allowed) or its exact name.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from coachdesk.commands.context import CommandContext, print_json

if TYPE_CHECKING:
    from coachdesk.core.organizations import OrganizationView
    from coachdesk.core.store.profile import Profile

PROGRAMS = ("NY_RCV", "MA_SSOS", "OH_NNPS")
ORG_HELP = "the id, state id or exact name"


def register(commands: argparse._SubParsersAction) -> None:
    _register_districts(commands)
    _register_schools(commands)

    assign = commands.add_parser(
        "assign", help="put a district or school on your caseload for a program and school year"
    )
    assign.add_argument("org", metavar="ORG", help=f"the district or school: {ORG_HELP}")
    _assignment_options(assign, required=True)
    assign.add_argument(
        "--identified",
        metavar="SCHOOL",
        action="append",
        default=[],
        help="MA SSoS: an identified school of the district (repeat for each)",
    )
    assign.add_argument("--json", action="store_true", help='print {"id": ...} for scripts')
    assign.set_defaults(run=run_assign)

    year = commands.add_parser("year", help="start the next school year")
    actions = year.add_subparsers(dest="action", required=True, metavar="next")
    following = actions.add_parser(
        "next",
        help="list what each assignment would become next year; carry over those confirmed",
        description="Lists each active assignment of the school year with what it becomes in "
        "the next one (the Receivership year goes up by one). Nothing is written until you "
        "confirm: --confirm ID for each to carry over, or --all. Last year's assignments stay.",
    )
    following.add_argument("--from", dest="from_year", metavar="YYYY-YY", help="default: now")
    following.add_argument("--confirm", metavar="ID", nargs="+", default=[], help="carry these")
    following.add_argument("--all", action="store_true", help="carry over every one listed")
    following.add_argument("--json", action="store_true", help="print JSON for scripts")
    following.set_defaults(run=run_year_next)


def _register_districts(commands: argparse._SubParsersAction) -> None:
    districts = commands.add_parser("districts", help="add and list districts")
    actions = districts.add_subparsers(dest="action", required=True, metavar="add|list")
    add = actions.add_parser("add", help="add a district")
    add.add_argument("--name", required=True, help="the district's name")
    add.add_argument("--state", required=True, type=str.upper, choices=("NY", "MA", "OH"))
    add.add_argument("--state-id", help="NY BEDS code, MA organization code or OH IRN")
    add.add_argument("--address", help="the district office's address")
    add.add_argument("--tz", help="time zone (default: the state's, America/New_York)")
    add.add_argument("--json", action="store_true", help='print {"id": ...} for scripts')
    add.set_defaults(run=run_districts_add)
    listing = actions.add_parser("list", help="list districts")
    listing.add_argument("--archived", action="store_true", help="include archived districts")
    listing.add_argument("--json", action="store_true", help="print JSON for scripts")
    listing.set_defaults(run=run_districts_list)


def _register_schools(commands: argparse._SubParsersAction) -> None:
    schools = commands.add_parser("schools", help="add, list, edit and archive schools")
    actions = schools.add_subparsers(
        dest="action", required=True, metavar="add|list|edit|archive|unarchive"
    )
    add = actions.add_parser("add", help="add a school to a district (and assign it)")
    add.add_argument("--name", required=True, help="the school's name")
    add.add_argument(
        "--district", required=True, metavar="NAME_OR_ID", help=f"its district: {ORG_HELP}"
    )
    add.add_argument("--state-id", help="NY BEDS code, MA organization code or OH IRN")
    add.add_argument("--grades", help="grade span, e.g. K-5, 6-8, 9-12, PK-8")
    add.add_argument("--address", help="the school's address")
    add.add_argument("--tz", help="time zone (default: the state's, America/New_York)")
    _assignment_options(add, required=False)
    add.add_argument("--json", action="store_true", help='print {"id": ...} for scripts')
    add.set_defaults(run=run_schools_add)

    listing = actions.add_parser("list", help="list schools with their programs this year")
    listing.add_argument("--program", type=str.upper, choices=PROGRAMS, help="only this program's")
    listing.add_argument("--archived", action="store_true", help="include archived schools")
    listing.add_argument("--year", metavar="YYYY-YY", help="the school year (default: now)")
    listing.add_argument("--json", action="store_true", help="print JSON for scripts")
    listing.set_defaults(run=run_schools_list)

    edit = actions.add_parser("edit", help="edit a school's (or district's) details")
    edit.add_argument("org", metavar="ORG", help=f"the school: {ORG_HELP}")
    edit.add_argument("--name")
    edit.add_argument("--state-id", help='the new state id ("" clears it)')
    edit.add_argument("--grades", help="grade span, e.g. K-5")
    edit.add_argument("--address")
    edit.add_argument("--tz", help="a time zone name, e.g. America/New_York")
    edit.add_argument("--json", action="store_true", help='print {"id": ...} for scripts')
    edit.set_defaults(run=run_schools_edit)

    for name, text in (
        ("archive", "archive a school: it leaves the caseload, its visits and notes stay"),
        ("unarchive", "bring an archived school back to the caseload"),
    ):
        command = actions.add_parser(name, help=text)
        command.add_argument("org", metavar="ORG", help=f"the school or district: {ORG_HELP}")
        command.add_argument("--json", action="store_true", help='print {"id": ...} for scripts')
        command.set_defaults(run=run_schools_archive, archive=name == "archive")


def _assignment_options(parser: argparse.ArgumentParser, *, required: bool) -> None:
    parser.add_argument(
        "--program", required=required, type=str.upper, choices=PROGRAMS, help="the program"
    )
    parser.add_argument("--role", choices=("lead", "support"), default="lead", help="default lead")
    parser.add_argument("--year", metavar="YYYY-YY", help="the school year (default: now)")
    parser.add_argument(
        "--receivership-year", type=int, metavar="N", help="NY Receivership: year 1, 2, ..."
    )
    parser.add_argument("--stage", help="OH NNPS: the starting implementation stage")


def find(profile: Profile, text: str, *, kind: str | None = None) -> OrganizationView:
    """The district or school named on the command line (id, state id or exact name)."""
    from coachdesk.core.organizations import find_organization

    return find_organization(profile, text, kind=kind)


def school_id_of(profile: Profile, text: str | None) -> str | None:
    """For any command's --school: the school's id from its id, state id or exact name."""
    return find(profile, text).id if text else None


# --- districts ------------------------------------------------------------------------------------


def run_districts_add(args: argparse.Namespace, ctx: CommandContext) -> int:
    from coachdesk.core.organizations import add_district, get_organization

    profile = ctx.profile()
    added = add_district(
        profile,
        name=args.name,
        state=args.state,
        state_id=args.state_id,
        address=args.address,
        tz=args.tz,
    )
    if args.json:
        print_json({"id": added.id})
        return 0
    view = get_organization(profile, added.id)
    print(f"Added the district {view.name}{_numbered(view)}; id {view.id}.")
    return 0


def run_districts_list(args: argparse.Namespace, ctx: CommandContext) -> int:
    from coachdesk.core.organizations import list_organizations

    profile = ctx.profile(create=False)
    districts = list_organizations(profile, kind="district", archived=args.archived)
    schools = list_organizations(profile, kind="school", archived=args.archived)
    counts: dict[str, int] = {}
    for school in schools:
        if school.parent_id:
            counts[school.parent_id] = counts.get(school.parent_id, 0) + 1
    if args.json:
        print_json([_org_json(d) | {"schools": counts.get(d.id, 0)} for d in districts])
        return 0
    if not districts:
        print("No districts yet. Add one: coachdesk districts add --name NAME --state NY")
        return 0
    for d in districts:
        n = counts.get(d.id, 0)
        archived = "  (archived)" if d.archived else ""
        print(
            f"{d.id}  {d.state}  {d.state_id or '-':<12}  {d.name}  "
            f"({n} school{'s' if n != 1 else ''}){archived}"
        )
    return 0


# --- schools --------------------------------------------------------------------------------------


def run_schools_add(args: argparse.Namespace, ctx: CommandContext) -> int:
    from coachdesk.core.assignments import AssignmentFields, add_assigned_school
    from coachdesk.core.errors import RefusedInput
    from coachdesk.core.organizations import OrganizationFields, add_school, get_organization

    profile = ctx.profile()
    district = find(profile, args.district, kind="district")
    if args.program is None and (args.receivership_year is not None or args.stage or args.year):
        raise RefusedInput("--year, --receivership-year and --stage need --program.")
    if args.program is None:
        added = add_school(
            profile,
            name=args.name,
            district_id=district.id,
            state_id=args.state_id,
            grade_span=args.grades,
            address=args.address,
            tz=args.tz,
        )
    else:
        added = add_assigned_school(
            profile,
            OrganizationFields(
                "school",
                args.name,
                district.state,
                state_id=args.state_id,
                parent_id=district.id,
                grade_span=args.grades,
                address=args.address,
                tz=args.tz,
            ),
            _assignment_fields(args, AssignmentFields),
        )
    if args.json:
        print_json({"id": added.id})
        return 0
    view = get_organization(profile, added.id)
    print(f"Added {view.name}{_numbered(view)} to {district.name}; id {view.id}.")
    if args.program:
        _print_assigned(profile, view.id, args.program)
    return 0


def run_schools_list(args: argparse.Namespace, ctx: CommandContext) -> int:
    from coachdesk.core.assignments import list_assignments
    from coachdesk.core.organizations import list_organizations

    profile = ctx.profile(create=False)
    year = _school_year(args.year)

    schools = list_organizations(profile, kind="school", archived=args.archived)
    by_org: dict[str, list[Any]] = {}
    for row in list_assignments(profile, school_year=year, program_code=args.program):
        by_org.setdefault(row.org_id, []).append(row)
    if args.program:
        schools = [s for s in schools if s.id in by_org]
    if args.json:
        print_json(
            [
                _org_json(s)
                | {
                    "school_year": year,
                    "programs": [
                        {
                            "assignment_id": a.id,
                            "program": a.program_code,
                            "role": a.role,
                            "receivership_year": a.receivership_year,
                        }
                        for a in by_org.get(s.id, [])
                    ],
                }
                for s in schools
            ]
        )
        return 0
    if not schools:
        print(
            "No schools yet. Add one: coachdesk schools add --name NAME --district DISTRICT"
            if not args.program
            else f"No school is assigned to {args.program} for {year}."
        )
        return 0
    for s in schools:
        programs = ", ".join(f"{a.program_code} ({a.role})" for a in by_org.get(s.id, []))
        archived = "  (archived)" if s.archived else ""
        print(
            f"{s.id}  {s.state_id or '-':<12}  {s.name}  [{s.parent_name or 'no district'}]  "
            f"{s.grade_span or ''}  {programs or 'not assigned ' + year}{archived}"
        )
    return 0


def run_schools_edit(args: argparse.Namespace, ctx: CommandContext) -> int:
    from coachdesk.core.errors import RefusedInput
    from coachdesk.core.organizations import edit_organization

    profile = ctx.profile(create=False)
    org = find(profile, args.org)
    given = {
        "name": args.name,
        "state_id": args.state_id,
        "grade_span": args.grades,
        "address": args.address,
        "tz": args.tz,
    }
    changes = {k: v for k, v in given.items() if v is not None}
    if not changes:
        raise RefusedInput("Say what to change: --name, --state-id, --grades, --address or --tz.")
    summary = edit_organization(profile, org.id, **changes)
    if args.json:
        print_json({"id": org.id})
    elif summary:
        print(f"Saved {org.name}: {', '.join(_option(k) for k in changes)}.")
    else:
        print(f"{org.name} already had those details; nothing changed.")
    return 0


def run_schools_archive(args: argparse.Namespace, ctx: CommandContext) -> int:
    from coachdesk.core.organizations import archive_organization, unarchive_organization

    profile = ctx.profile(create=False)
    org = find(profile, args.org)
    if args.archive:
        changed = archive_organization(profile, org.id)
        done = f"Archived {org.name}: it leaves the caseload; its visits and notes stay."
    else:
        changed = unarchive_organization(profile, org.id)
        done = f"{org.name} is back on the caseload."
    if args.json:
        print_json({"id": org.id})
    elif changed:
        print(done)
    else:
        print(f"{org.name} was {'already' if args.archive else 'not'} archived; nothing changed.")
    return 0


# --- assignments and the next school year ---------------------------------------------------------


def run_assign(args: argparse.Namespace, ctx: CommandContext) -> int:
    from coachdesk.core.assignments import AssignmentFields, assign

    profile = ctx.profile(create=False)
    org = find(profile, args.org)
    schools = [find(profile, s, kind="school").id for s in args.identified]
    fields = _assignment_fields(args, AssignmentFields, identified_schools=tuple(schools))
    written = assign(profile, org.id, fields)
    if args.json:
        print_json({"id": written.id})
        return 0
    _print_assigned(profile, org.id, args.program)
    if schools:
        print(f"With {len(schools)} identified school{'s' if len(schools) != 1 else ''}.")
    return 0


def run_year_next(args: argparse.Namespace, ctx: CommandContext) -> int:
    from coachdesk.core.assignments import carry_over, next_year, propose_next_year

    profile = ctx.profile(create=False)
    from_year = _school_year(args.from_year)
    to_year = next_year(from_year)
    proposals = propose_next_year(profile, from_year)
    chosen = [p.assignment_id for p in proposals if not p.already_carried] if args.all else []
    chosen += args.confirm
    if chosen:
        summary = carry_over(profile, chosen, to_year)
        carried = sorted(summary.ids("assignment"))
        if args.json:
            print_json({"from_year": from_year, "to_year": to_year, "carried": carried})
        else:
            n = len(carried)
            print(f"Carried {n} assignment{'s' if n != 1 else ''} over to {to_year}.")
        return 0
    if args.json:
        print_json(
            {
                "from_year": from_year,
                "to_year": to_year,
                "proposals": [
                    {
                        "id": p.assignment_id,
                        "org_id": p.org_id,
                        "name": p.org_name,
                        "program": p.program_code,
                        "role": p.role,
                        "receivership_year": p.receivership_year,
                        "next_receivership_year": p.next_receivership_year,
                        "already_carried": p.already_carried,
                        "note": p.note,
                    }
                    for p in proposals
                ],
            }
        )
        return 0
    if not proposals:
        print(f"No active assignment in {from_year} to carry over.")
        return 0
    print(f"From {from_year} to {to_year} (nothing is written until you confirm):")
    for p in proposals:
        becomes = (
            f"Receivership year {p.receivership_year} -> {p.next_receivership_year}"
            if p.receivership_year
            else "as this year"
        )
        state = "  (already carried over)" if p.already_carried else ""
        note = f"  {p.note}" if p.note else ""
        what = f"{p.org_name}  {p.program_code} ({p.role})"
        print(f"  {p.assignment_id}  {what}: {becomes}{state}{note}")
    print("Carry them over with --all, or some with --confirm ID ...")
    return 0


# --- helpers --------------------------------------------------------------------------------------


def _assignment_fields(args: argparse.Namespace, fields_type: type, **extra: Any) -> Any:
    return fields_type(
        program_code=args.program,
        school_year=args.year,
        role=args.role,
        receivership_year=args.receivership_year,
        stage=args.stage,
        **extra,
    )


def _print_assigned(profile: Profile, org_id: str, program_code: str) -> None:
    from coachdesk.core.assignments import list_assignments

    rows = [r for r in list_assignments(profile, org_id=org_id) if r.program_code == program_code]
    for r in rows[-1:]:
        extra = f", Receivership year {r.receivership_year}" if r.receivership_year else ""
        print(f"Assigned {r.org_name} to {r.program_name} for {r.school_year} as {r.role}{extra}.")


def _school_year(text: str | None) -> str:
    """The school year given on the command line, written 2026-27; default the current one."""
    from coachdesk.core.caseload import current_school_year
    from coachdesk.core.errors import RefusedInput
    from coachdesk.core.school_year import label, parse

    if not text:
        return current_school_year()
    try:
        return label(parse(text))
    except ValueError:
        raise RefusedInput(f"“{text}” is not a school year; write it like 2026-27.") from None


def _numbered(view: OrganizationView) -> str:
    return f" ({view.state_id_label} {view.state_id})" if view.state_id else ""


def _option(field: str) -> str:
    return {"grade_span": "grades", "state_id": "state id", "tz": "time zone"}.get(field, field)


def _org_json(view: OrganizationView) -> dict[str, Any]:
    return {
        "id": view.id,
        "kind": view.kind,
        "name": view.name,
        "state": view.state,
        "state_id": view.state_id,
        "district_id": view.parent_id,
        "district": view.parent_name,
        "grade_span": view.grade_span,
        "address": view.address,
        "tz": view.tz,
        "archived_on": view.archived_on.isoformat() if view.archived_on else None,
    }
