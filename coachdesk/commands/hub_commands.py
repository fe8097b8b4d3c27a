"""`coachdesk hub init | trust | import | rollup`: the state hub, the same core on PostgreSQL.

    coachdesk hub init --db postgresql://hub@dbhost/coachdesk     create or migrate the schema
    coachdesk hub trust --db URL KEYFILE --name 'Dana Ortiz'      accept a coach's bundles
    coachdesk hub import --db URL FILES_OR_DIRS                   verify and merge bundles
    coachdesk hub rollup --db URL [--program P] [--json | -o F.csv]

--db may be left out when COACHDESK_HUB_DB holds the URL (a password then stays off the command
line; libpq's own PGPASSWORD and ~/.pgpass work too). The hub is a Profile on the database
(coachdesk/core/store/hub.py), so trust and import are the desktop's own code.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING

from coachdesk.commands.context import CommandContext, fail, print_json

if TYPE_CHECKING:
    from coachdesk.core.store.hub import HubProfile

ENV_HUB_DB = "COACHDESK_HUB_DB"
BUNDLE_SUFFIX = ".coachdesk"  # coachdesk/sync/export.py SUFFIX (not imported: CLI start-up)


def register(commands: argparse._SubParsersAction) -> None:
    hub = commands.add_parser(
        "hub",
        help="the state hub: every coach's bundles in one PostgreSQL database",
        description="The state hub runs coachdesk's own schema and import on PostgreSQL.",
    )
    sub = hub.add_subparsers(dest="hub_command", metavar="ACTION", required=True)

    def with_db(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
        parser.add_argument(
            "--db",
            metavar="URL",
            help=f"the hub's database, postgresql://USER@HOST/NAME (default: ${ENV_HUB_DB})",
        )
        return parser

    init = with_db(sub.add_parser("init", help="create the hub's schema, or migrate it"))
    init.add_argument("--name", help="the hub's name in the trust lists of those it sends to")
    init.set_defaults(run=run_init)

    trust = with_db(sub.add_parser("trust", help="accept the bundles signed by a coach's key"))
    trust.add_argument("file", type=Path, metavar="KEYFILE", help="the coach's public key file")
    trust.add_argument("--name", required=True, help="who it is, e.g. 'Dana Ortiz'")
    trust.set_defaults(run=run_trust)

    imp = with_db(sub.add_parser("import", help="verify bundles and merge them into the hub"))
    imp.add_argument(
        "files",
        nargs="+",
        type=Path,
        metavar="FILE_OR_DIR",
        help=f"bundle files, or folders of them (*{BUNDLE_SUFFIX} directly inside)",
    )
    imp.add_argument("--json", action="store_true")
    imp.set_defaults(run=run_import)

    rollup = with_db(sub.add_parser("rollup", help="what the coaches' bundles add up to"))
    rollup.add_argument("--program", metavar="P", help="one program: NY_RCV, MA_SSOS or OH_NNPS")
    rollup.add_argument("--on", metavar="DATE", help="the day to judge on (default today)")
    out = rollup.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print JSON for scripts")
    out.add_argument("-o", "--output", type=Path, metavar="F.csv", help="write a CSV table")
    rollup.set_defaults(run=run_rollup)


def database_url(args: argparse.Namespace) -> str:
    from coachdesk.core.errors import RefusedInput

    url = args.db or os.environ.get(ENV_HUB_DB)
    if not url:
        raise RefusedInput(
            f"Name the hub's database with --db postgresql://USER@HOST/NAME (or set {ENV_HUB_DB})."
        )
    return str(url)


def run_init(args: argparse.Namespace, ctx: CommandContext) -> int:
    from coachdesk.core.store.hub import init_hub

    hub, done = init_hub(database_url(args), name=args.name)
    try:
        print(f"The hub {hub.shown()} {done}; its device id is {hub.device_id}.")
    finally:
        hub.close()
    return 0


def _open(args: argparse.Namespace) -> HubProfile:
    from coachdesk.core.store.hub import open_hub

    return open_hub(database_url(args))


def run_trust(args: argparse.Namespace, ctx: CommandContext) -> int:
    from coachdesk.sync import rotation, trust
    from coachdesk.sync.reader import read_bundle_file

    hub = _open(args)
    try:
        offered = rotation.read_key_file(read_bundle_file(args.file.expanduser()))
        if isinstance(offered, rotation.KeyRotation):
            print(rotation.accept_rotation(hub, offered).sentence())
            return 0
        info = trust.trust_key(hub, offered, name=args.name)
    finally:
        hub.close()
    print(f"The hub trusts {info.name} (device {info.device_name}).")
    print(f"Fingerprint: {info.fingerprint}")
    print("Compare it with the fingerprint the coach's coachdesk shows; if it differs, revoke it.")
    return 0


def run_import(args: argparse.Namespace, ctx: CommandContext) -> int:
    from coachdesk.commands.sync_commands import imported_json
    from coachdesk.core.errors import RefusedInput
    from coachdesk.sync.bundle_files import bundle_paths
    from coachdesk.sync.importer import import_files

    files, refused = bundle_paths(args.files)
    hub = _open(args)
    imported = []
    # (file, code, the sentence saying why it was not imported)
    rejected = [(r.path.name or str(r.path), "not_read", r.sentence()) for r in refused]
    try:
        for path in files:
            # One file at a time: a file the hub cannot open at all (encrypted for a person)
            # is refused on its own, like a bundle that fails verification.
            try:
                report = import_files(hub, [path], backup=False)
            except RefusedInput as exc:
                rejected.append((path.name, "refused", f"{path.name}: not imported. {exc}"))
                continue
            imported += report.imported
            rejected += [(r.source, r.error.code, r.sentence()) for r in report.rejected]
    finally:
        hub.close()
    if args.json:
        print_json(
            {
                "imported": [imported_json(r) for r in imported],
                "rejected": [
                    {"file": name, "code": code, "reason": sentence}
                    for name, code, sentence in rejected
                ],
            }
        )
    else:
        for result in imported:
            print(result.sentence())
        if len(files) + len(refused) > 1:
            print(
                f"{len(imported)} of {len(files) + len(refused)} imported"
                + (f", {len(rejected)} not imported." if rejected else ".")
            )
    for _name, _code, sentence in rejected:
        fail(sentence)
    return 1 if rejected else 0


def run_rollup(args: argparse.Namespace, ctx: CommandContext) -> int:
    """The same roll-up, CSV and table as `coachdesk rollup` (commands/rollup_commands.py)."""
    import datetime as dt

    from coachdesk.commands.report_files import checked_output, write_whole
    from coachdesk.commands.rollup_commands import rollup_text
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
    csv_out = None
    if args.output is not None:
        csv_out = checked_output(args.output, suffixes=(".csv",), example="rollup.csv")
    hub = _open(args)
    try:
        with hub.reading() as session:
            chosen = checked_filter(session, today=today, program=args.program)
            rollup = build_rollup(session, chosen, today=today, prepared_by=_hub_name(hub))
    finally:
        hub.close()
    if args.json:
        print_json(rollup.as_json())
    elif csv_out is not None:
        from coachdesk.reports.rollup_csv import write_rollup_csv

        rows = write_whole(csv_out, lambda part: write_rollup_csv(rollup, part))
        print(f"Wrote {csv_out}: {rows} rows.")
    else:
        print(rollup_text(rollup))
    return 0


def _hub_name(hub: HubProfile) -> str:
    """Who prepared a hub's roll-up: the hub's own name (`hub init --name`)."""
    from sqlalchemy import select

    from coachdesk.core.store.schema import ThisDevice

    with hub.reading() as session:
        return str(session.execute(select(ThisDevice.name)).scalar_one())
