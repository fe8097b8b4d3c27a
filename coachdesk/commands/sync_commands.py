"""`coachdesk export | import | verify | keys ...`: signed bundles between offline laptops."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from coachdesk.commands import key_disputes
from coachdesk.commands.context import CommandContext, ask_passphrase, fail, print_json

if TYPE_CHECKING:
    from coachdesk.sync.importer import ImportResult


def register(commands: argparse._SubParsersAction) -> None:
    export = commands.add_parser("export", help="write a signed bundle of your changes")
    who = export.add_mutually_exclusive_group(required=True)
    who.add_argument(
        "--all", action="store_true", help="every change, for your own laptops (encrypted to them)"
    )
    who.add_argument(
        "--to",
        action="append",
        metavar="NAME",
        help="every change, encrypted for this trusted person (repeatable)",
    )
    export.add_argument("-o", "--output", required=True, type=Path, metavar="FILE")
    export.add_argument(
        "--unencrypted",
        action="store_true",
        help="do not encrypt (anyone holding the file can read it)",
    )
    export.add_argument(
        "--include-demo",
        action="store_true",
        help="also send the demo caseload (without it, the demo stays on this laptop)",
    )
    export.add_argument("--json", action="store_true")
    export.set_defaults(run=run_export)

    imp = commands.add_parser("import", help="verify bundles and merge them into the profile")
    # A folder stands for the bundles directly inside it (coachdesk/sync/bundle_files.py).
    imp.add_argument("files", nargs="+", type=Path, metavar="FILE_OR_FOLDER")
    imp.add_argument("--json", action="store_true")
    imp.set_defaults(run=run_import)

    verify = commands.add_parser("verify", help="check a bundle without importing it")
    verify.add_argument("file", type=Path, metavar="FILE")
    verify.add_argument(
        "--contents", action="store_true", help="also decrypt and check every change it carries"
    )
    verify.add_argument(
        "--save-pdf",
        type=Path,
        metavar="OUT.pdf",
        help="for a visit packet: save its summary PDF, once the whole packet has been checked",
    )
    verify.add_argument("--json", action="store_true")
    verify.set_defaults(run=run_verify)

    keys = commands.add_parser("keys", help="this laptop's keys and the keys you trust")
    sub = keys.add_subparsers(dest="keys_command", metavar="ACTION", required=True)
    show = sub.add_parser("show", help="this laptop's fingerprint and every trusted key")
    show.add_argument("--json", action="store_true")
    show.set_defaults(run=run_keys_show)
    public = sub.add_parser("export-public", help="write this laptop's public key file")
    public.add_argument("-o", "--output", required=True, type=Path, metavar="FILE")
    public.set_defaults(run=run_keys_export)
    trust = sub.add_parser(
        "trust", help="trust the key in someone's public key file, or accept their key change"
    )
    trust.add_argument("file", type=Path, metavar="FILE")
    trust.add_argument(
        "--name",
        help="who it is, e.g. 'Dana Ortiz' (needed for a public key file; a key change file "
        "keeps the name already trusted)",
    )
    trust.add_argument(
        "--mine",
        action="store_true",
        help="it is one of your own laptops (`export --all` is for these)",
    )
    trust.set_defaults(run=run_keys_trust)
    rotate = sub.add_parser(
        "rotate", help="make new keys for this laptop and write the key change file for others"
    )
    rotate.add_argument("-o", "--output", required=True, type=Path, metavar="FILE")
    rotate.set_defaults(run=run_keys_rotate)
    revoke = sub.add_parser("revoke", help="stop accepting bundles signed by a key")
    revoke.add_argument("fingerprint", metavar="FINGERPRINT")
    revoke.set_defaults(run=run_keys_revoke)
    key_disputes.register_keys(sub)


def run_export(args: argparse.Namespace, ctx: CommandContext) -> int:
    from coachdesk.sync.export import export_bundle

    result = export_bundle(
        ctx.profile(create=False),
        args.output.expanduser(),
        to=args.to,
        encrypt=not args.unencrypted,
        passphrase=ask_passphrase,
        include_demo=args.include_demo,
    )
    if args.json:
        print_json(
            {
                "file": str(result.path),
                "bundle_id": result.bundle_id,
                "changes": result.change_count,
                "recipients": list(result.recipients),
                "bytes": result.size,
                "demo_left_out": result.demo_left_out,
            }
        )
    else:
        print(result.sentence())
        if result.demo_left_out:
            print("To send the demo caseload too, add --include-demo.")
    return 0


def imported_json(result: ImportResult) -> dict:
    """One imported bundle as `import --json` (and `hub import --json`) prints it."""
    return {
        "file": result.source,
        "bundle_id": result.bundle_id,
        "from": result.signer_name,
        "already_imported": result.already_imported,
        "new_changes": result.new_changes,
        "created": result.created,
        "updated": result.updated,
        "conflicts": result.new_conflicts,
    }


def run_import(args: argparse.Namespace, ctx: CommandContext) -> int:
    from coachdesk.sync.bundle_files import bundle_paths, import_summary
    from coachdesk.sync.held_changes import after_import, held_in
    from coachdesk.sync.importer import import_files

    profile = ctx.profile(create=False)
    files, refused = bundle_paths(args.files)
    report = import_files(profile, files, passphrase=ask_passphrase)
    held = held_in(profile)  # changes stamped too far ahead wait here, from this or earlier imports
    if args.json:
        print_json(
            {
                "imported": [imported_json(r) for r in report.imported],
                "rejected": [
                    {"file": r.source, "code": r.error.code, "reason": str(r.error)}
                    for r in report.rejected
                ]
                + [{"file": r.path.name, "code": "not_read", "reason": r.reason} for r in refused],
                "held": held.as_dict(),
            }
        )
    else:
        for result in report.imported:
            print(result.sentence())
        still_held = after_import(report.imported, held)
        if still_held:
            print(still_held)
        if len(files) > 1 or refused:
            print(import_summary(report, refused))
    for rejected in report.rejected:
        fail(rejected.sentence())
    for path in refused:
        fail(path.sentence())
    return 1 if report.rejected or refused else 0


def run_verify(args: argparse.Namespace, ctx: CommandContext) -> int:
    from coachdesk.core.record_types import plural
    from coachdesk.sync.held_changes import ahead_summary, wall_now_ms
    from coachdesk.sync.reader import open_bundle, read_bundle_file, read_changes

    profile = ctx.profile(create=False)
    opened = open_bundle(profile, read_bundle_file(args.file.expanduser()))
    header = opened.header
    checked = ahead = None
    if args.contents:
        changes = read_changes(profile, opened)
        checked = len(changes)
        ahead = ahead_summary(profile, changes, wall_now_ms())
    # Who signed it is the name this profile gave the signing key when trusting it; the name
    # in the header is the signer's own choice and is shown only as theirs.
    facts = {
        "file": str(args.file),
        "bundle_id": header.bundle_id,
        "kind": header.kind,
        "signed_by": opened.signer.name,
        "fingerprint": opened.signer.fingerprint,
        "author_device": header.author_device,
        "calls_itself": header.author_name,
        "made_with": f"coachdesk {header.app_version}, data format {header.schema}",
        "clock": header.created_hlc,
        "changes": header.change_count,
        "records": header.record_counts,
        "devices_covered": len(header.coverage),
        "encrypted_for": [r.name for r in header.recipients],
        "bytes": opened.size,
    }
    if checked is not None and ahead is not None:
        facts["changes_checked"] = checked
        facts["would_be_held"] = ahead.as_dict()
    from coachdesk.commands.packet_commands import verify_packet  # a packet's visit and PDF

    packet_lines = verify_packet(profile, opened, facts, save_pdf=args.save_pdf)
    if args.json:
        print_json(facts)
        return 0
    print(f"{args.file}: a valid, signed coachdesk {header.kind} bundle.")
    print(f"  Signed by:    {opened.signer.name} (your name for this key)")
    print(f"  Fingerprint:  {opened.signer.fingerprint}")
    print(
        f"  Calls itself: {shown_own_name(header.author_name)} (the sender's own name, unchecked)"
    )
    print(f"  Made with:    {facts['made_with']}")
    print(f"  Bundle id:    {header.bundle_id}")
    print(f"  Changes:      {header.change_count}, from {len(header.coverage)} device(s)")
    for record_type, count in sorted(header.record_counts.items()):
        print(f"                {count} to {plural(record_type)}")
    recipients = ", ".join(facts["encrypted_for"]) or "not encrypted"
    print(f"  Encrypted:    {recipients}")
    if checked is not None:
        print(f"  Contents:     all {checked} changes read and checked.")
    if ahead is not None and ahead.count:
        print(f"  On import:    {ahead.sentence()}")
    for line in packet_lines:
        print(line)
    return 0


def shown_own_name(name: str) -> str:
    """A name a sender chose, quoted, with line breaks and other invisible characters written
    out, so that it cannot pass for a line of coachdesk's own or hide what it says."""
    import unicodedata

    shown = "".join(
        ch if unicodedata.category(ch)[0] != "C" else f"\\u{ord(ch):04x}" for ch in name
    )
    return f'"{shown}"'


def run_keys_show(args: argparse.Namespace, ctx: CommandContext) -> int:
    from coachdesk.sync import keys, trust
    from coachdesk.sync.held_changes import held_in

    profile = ctx.profile()
    mine = keys.device_keys(profile, passphrase=ask_passphrase)
    storage = keys.storage_of(profile)
    listed = trust.list_keys(profile)
    held = held_in(profile)
    if args.json:
        print_json(
            {
                "this_laptop": {
                    "fingerprint": mine.fingerprint,
                    "key_id": mine.key_id,
                    "private_keys": storage.description,
                },
                "keys": [
                    {
                        "name": k.name,
                        "fingerprint": k.fingerprint,
                        "key_id": k.key_id,
                        "device": k.device_name,
                        "own": k.own,
                        "this_laptop": k.this_device,
                        "trusted_at": k.trusted_at,
                        "revoked_at": k.revoked_at,
                        "replaced_by": k.replaced_by,
                        "replaced_at": k.replaced_at,
                    }
                    for k in listed
                ],
                "held_changes": held.as_dict(),
            }
        )
        return 0
    print(f"This laptop's fingerprint: {mine.fingerprint}")
    print(f"Its private keys are kept {storage.description}.")
    print(keys.retired_keys_sentence(mine))
    others = [k for k in listed if not k.this_device]
    print(f"Trusted keys ({len(others)}):" if others else "No other keys are trusted yet.")
    for k in others:
        state = f"REVOKED {trust.shown_day(k.revoked_at)}" if k.revoked_at else k.status()
        mine_note = ", one of your laptops" if k.own else ""
        print(f"  {k.name}: {k.fingerprint} ({state}{mine_note}; device {k.device_name})")
    if held.count:
        print(held.sentence())
    return 0


def run_keys_export(args: argparse.Namespace, ctx: CommandContext) -> int:
    from coachdesk.sync import keys, trust
    from coachdesk.sync.export import write_atomically

    profile = ctx.profile()
    mine = keys.device_keys(profile, passphrase=ask_passphrase)
    write_atomically(args.output.expanduser(), trust.public_key_file(profile, mine))
    print(f"Wrote this laptop's public key to {args.output}.")
    print(f"Its fingerprint is {mine.fingerprint}; read it to whoever trusts it.")
    return 0


def run_keys_trust(args: argparse.Namespace, ctx: CommandContext) -> int:
    from coachdesk.sync import keys, rotation, trust
    from coachdesk.sync.reader import read_bundle_file

    profile = ctx.profile()
    keys.device_keys(profile, passphrase=ask_passphrase)
    offered = rotation.read_key_file(read_bundle_file(args.file.expanduser()))
    if isinstance(offered, rotation.KeyRotation):
        print(rotation.accept_rotation(profile, offered).sentence())
        return 0
    if not args.name:
        print(
            "coachdesk keys trust: error: a public key file needs --name, e.g. --name 'Dana Ortiz'",
            file=sys.stderr,
        )
        return 2
    info = trust.trust_key(profile, offered, name=args.name, own=args.mine)
    print(f"Trusted {info.name} (device {info.device_name}).")
    print(f"Fingerprint: {info.fingerprint}")
    print("Compare it aloud with the fingerprint their coachdesk shows; if it differs, revoke it.")
    return 0


def run_keys_rotate(args: argparse.Namespace, ctx: CommandContext) -> int:
    from coachdesk.sync import keys
    from coachdesk.sync.rotation import rotate_keys

    done = rotate_keys(ctx.profile(), args.output.expanduser(), passphrase=ask_passphrase)
    print(done.sentence())
    print(keys.retired_keys_sentence(keys.device_keys(ctx.profile(), passphrase=ask_passphrase)))
    return 0


def run_keys_revoke(args: argparse.Namespace, ctx: CommandContext) -> int:
    from coachdesk.sync import trust

    # Also revokes every key it introduced by a key change, and says so.
    print(trust.revoke(ctx.profile(create=False), args.fingerprint).sentence())
    return 0
