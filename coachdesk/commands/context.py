"""What every subcommand gets: the profile folder, the opened profile, and error handling."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable
from typing import Any

from coachdesk.core.errors import CoachdeskError, DamagedProfileError, RefusedInput
from coachdesk.core.logs import enable_crash_log, setup_logging
from coachdesk.core.store.profile import DB_NAME, Profile, open_profile, resolve_profile_dir

logger = logging.getLogger(__name__)

Handler = Callable[[argparse.Namespace, "CommandContext"], int]


class CommandContext:
    def __init__(self, *, data_dir: str | None) -> None:
        self.profile_dir = resolve_profile_dir(data_dir)
        self._profile: Profile | None = None

    def profile(self, *, create: bool = True) -> Profile:
        """The profile, opened (and created or migrated) on first use."""
        if self._profile is None:
            if not create and not (self.profile_dir / DB_NAME).exists():
                from coachdesk.commands.empty import NO_PROFILE

                raise RefusedInput(NO_PROFILE.format(folder=self.profile_dir))
            self._profile = open_profile(self.profile_dir, create=create)
        return self._profile

    def run(self, handler: Handler, args: argparse.Namespace) -> int:
        setup_logging(self.profile_dir)
        # A native crash in a long import or a PDF render leaves its traceback, as in the app.
        enable_crash_log(self.profile_dir)
        try:
            return handler(args, self)
        except DamagedProfileError as exc:
            hint = (
                f" The latest good backup is {exc.latest_backup}; restore it with "
                f"`coachdesk restore {exc.latest_backup}`."
                if exc.latest_backup
                else " No good backup was found."
            )
            return fail(f"{exc}{hint}")
        except CoachdeskError as exc:
            return fail(str(exc))
        except KeyboardInterrupt:
            return fail("Stopped.")
        except BrokenPipeError:
            # The reader went away (`coachdesk visits | head`): not a failure of ours.
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115  silence the flush at exit
            return 0
        except Exception:
            logger.exception("unexpected failure in %s", getattr(args, "command", "?"))
            return fail(
                "coachdesk hit an unexpected problem; nothing more was changed. "
                f"Details are in {self.profile_dir / 'coachdesk.log'}."
            )
        finally:
            if self._profile is not None:
                self._profile.close()


def fail(message: str) -> int:
    """One clear line on stderr; exit code 1 (a refused input)."""
    print(f"coachdesk: {message}", file=sys.stderr)
    return 1


def ask_passphrase() -> str | None:
    """Ask on the terminal when there is one (COACHDESK_PASSPHRASE is read before this)."""
    if not sys.stdin.isatty():
        return None
    import getpass

    return getpass.getpass("Passphrase for this laptop's coachdesk keys: ") or None


def print_json(value: Any) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")
