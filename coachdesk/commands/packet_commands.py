"""`coachdesk packet VISIT_ID (--to NAME | --unencrypted) -o F`: a signed visit packet.

A packet is read with the commands every bundle uses: `coachdesk import F` merges its records,
`coachdesk verify F` shows the visit and its PDF, and `coachdesk verify F --save-pdf OUT.pdf`
saves that PDF once everything in the packet has been checked (see `verify_packet`).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coachdesk.commands.context import CommandContext, ask_passphrase, print_json
from coachdesk.core.errors import RefusedInput

if TYPE_CHECKING:
    from coachdesk.core.store.profile import Profile
    from coachdesk.sync.reader import OpenedBundle

DESCRIPTION = """\
Write one signed file for one visit: the visit, its answers, its next steps, the school and
its district (everything needed to merge on a laptop that has never seen them), and the
principal's summary PDF. A draft note's PDF is marked DRAFT.

A packet leaves your laptops, so it is encrypted by default: --to NAME encrypts it for that
trusted person (and this laptop); name several with several --to. Without --to you must say
--unencrypted, and then anyone holding the file can read it. Answers marked `internal` are
never in a packet, encrypted or not.

The receiver runs `coachdesk import F` to merge the records, `coachdesk verify F` to see the
visit and the PDF's name and size, and `coachdesk verify F --save-pdf OUT.pdf` to save the PDF.
"""


def register(commands: argparse._SubParsersAction) -> None:
    packet = commands.add_parser(
        "packet",
        help="write a signed visit packet: the visit's records and its summary PDF",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    packet.add_argument("visit_id", metavar="VISIT_ID", help="the visit (see `coachdesk visits`)")
    who = packet.add_mutually_exclusive_group(required=True)
    who.add_argument(
        "--to",
        action="append",
        metavar="NAME",
        help="encrypt it for this trusted person (repeatable)",
    )
    who.add_argument(
        "--unencrypted",
        action="store_true",
        help="do not encrypt (anyone holding the file can read the visit and its PDF)",
    )
    packet.add_argument(
        "-o", "--output", required=True, type=Path, metavar="FILE", help="the packet to write"
    )
    packet.add_argument("--json", action="store_true")
    packet.set_defaults(run=run_packet)


def run_packet(args: argparse.Namespace, ctx: CommandContext) -> int:
    from coachdesk.sync.packet import write_packet

    result = write_packet(
        ctx.profile(create=False),
        args.visit_id,
        args.output.expanduser(),
        to=args.to,
        encrypt=not args.unencrypted,
        passphrase=ask_passphrase,
    )
    if args.json:
        print_json(
            {
                "file": str(result.path),
                "bundle_id": result.bundle_id,
                "visit": result.visit.as_json(),
                "changes": result.change_count,
                "attachment": {"name": result.attachment_name, "bytes": result.attachment_size},
                "recipients": list(result.recipients),
                "bytes": result.size,
            }
        )
    else:
        print(result.sentence())
    return 0


def verify_packet(
    profile: Profile, opened: OpenedBundle, facts: dict[str, Any], *, save_pdf: Path | None
) -> list[str]:
    """For `verify`: read and check a packet's contents, add them to `facts`, save its PDF.

    Returns the lines to print. A packet encrypted for someone else still verifies (its
    signature and signer are checked); its visit is then not shown, and nothing is saved.
    """
    from coachdesk.commands.report_files import checked_output
    from coachdesk.sync.errors import BundleError
    from coachdesk.sync.keys import device_keys
    from coachdesk.sync.packet import read_packet, save_attachment

    header = opened.header
    if header.kind != "packet":
        if save_pdf is None:
            return []
        raise RefusedInput(
            f"It is a {header.kind} bundle, not a visit packet; only a packet carries a PDF."
        )
    out = checked_output(save_pdf) if save_pdf is not None else None
    keys = device_keys(profile, passphrase=ask_passphrase) if header.encrypted else None
    try:
        contents = read_packet(profile, opened, keys=keys)
    except BundleError as exc:
        if exc.code != "not_for_you" or out is not None:
            raise
        facts["visit"] = None
        return ["  Visit:       not readable here; it is encrypted for other people."]
    attachment = contents.attachment
    facts["visit"] = contents.visit.as_json()
    facts["attachment"] = {
        "name": attachment.name,
        "bytes": attachment.size,
        "sha256": attachment.sha256,
    }
    lines = [
        f"  Visit:       {contents.visit.describe()}",
        f"  Attachment:  {attachment.name} ({attachment.size:,} bytes, PDF)",
    ]
    if out is not None:
        save_attachment(contents, out)
        facts["saved_pdf"] = str(out)
        lines.append(f"  Saved:       the PDF to {out}")
    return lines
