"""`coachdesk keys settle NAME --keep FINGERPRINT`: settle a key dispute (two key changes from
one key) by keeping the new key whose fingerprint its owner reads out; the others are revoked.

Registered under `keys` by sync_commands.register: `key_disputes.register_keys(sub)`.
"""

from __future__ import annotations

import argparse

from coachdesk.commands.context import CommandContext


def register_keys(sub: argparse._SubParsersAction) -> None:
    """Add `settle` to the `keys` subcommands."""
    settle = sub.add_parser(
        "settle",
        help="two new keys claim to replace one trusted key: keep the one whose fingerprint "
        "its owner reads to you (the other is revoked)",
    )
    settle.add_argument("name", metavar="NAME", help="the trusted name, e.g. 'Dana Ortiz'")
    settle.add_argument(
        "--keep", required=True, metavar="FINGERPRINT", help="the new key's fingerprint to keep"
    )
    settle.set_defaults(run=run_keys_settle)


def run_keys_settle(args: argparse.Namespace, ctx: CommandContext) -> int:
    from coachdesk.sync import rotation

    settled = rotation.settle_by_fingerprint(ctx.profile(create=False), args.name, args.keep)
    print(settled.sentence())
    return 0
