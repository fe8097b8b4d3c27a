"""Logging to the profile's log file, and native crashes to its crash log."""

from __future__ import annotations

import faulthandler
import logging
import os
from pathlib import Path
from typing import TextIO

LOG_NAME = "coachdesk.log"
CRASH_LOG_NAME = "crash.log"
LOG_LIMIT = 1_000_000  # bytes; the log is rotated at start-up once it passes this
KEEP_LOGS = 3

_installed: set[Path] = set()
_crash_log: TextIO | None = None  # open for the life of the process: faulthandler writes to its fd


def log_folder(profile_dir: Path) -> Path:
    """The folder holding coachdesk.log and crash.log (today the profile folder itself)."""
    return profile_dir


def setup_logging(profile_dir: Path, *, level: int = logging.INFO) -> Path:
    """Send coachdesk's log to coachdesk.log in the profile folder, keeping three old logs."""
    from coachdesk.core.store.profile import make_owner_only

    log_path = log_folder(profile_dir) / LOG_NAME
    if log_path in _installed:
        return log_path
    try:
        profile_dir.mkdir(parents=True, exist_ok=True)
        make_owner_only(profile_dir)
        _rotate(log_path)
        handler: logging.Handler = logging.FileHandler(log_path, encoding="utf-8")
    except OSError:
        # A read-only or full disk must not stop the app from starting; log to stderr instead.
        handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("coachdesk")
    root.addHandler(handler)
    root.setLevel(level)
    _installed.add(log_path)
    return log_path


def _rotate(log_path: Path) -> None:
    # Rotating once per start (rather than logging.handlers' rotation on every write) keeps
    # logging.handlers, and its imports, off the start-up path.
    if not log_path.exists() or log_path.stat().st_size < LOG_LIMIT:
        return
    for n in range(KEEP_LOGS - 1, 0, -1):
        older = log_path.with_name(f"{log_path.name}.{n}")
        if older.exists():
            os.replace(older, log_path.with_name(f"{log_path.name}.{n + 1}"))
    os.replace(log_path, log_path.with_name(f"{log_path.name}.1"))


def enable_crash_log(profile_dir: Path) -> Path | None:
    """Write the Python traceback of a native crash (segfault, abort) to crash.log.

    A crash in Qt or another C library kills the process before logging can run; faulthandler
    writes from the signal handler straight to the file, all threads included. The file stays
    open until the process ends. None if it cannot be opened (the app starts anyway).
    """
    global _crash_log
    path = log_folder(profile_dir) / CRASH_LOG_NAME
    if _crash_log is not None and not _crash_log.closed:
        return Path(_crash_log.name)
    try:
        _rotate(path)
        _crash_log = open(path, "a", encoding="utf-8")  # noqa: SIM115  kept open on purpose
    except OSError as exc:
        logging.getLogger(__name__).warning("no crash log (%s): %s", path, exc)
        return None
    faulthandler.enable(file=_crash_log, all_threads=True)
    return path
