"""Logging to the profile's log file."""

from __future__ import annotations

import logging
import os
from pathlib import Path

LOG_LIMIT = 1_000_000  # bytes; the log is rotated at start-up once it passes this
KEEP_LOGS = 3

_installed: set[Path] = set()


def setup_logging(profile_dir: Path, *, level: int = logging.INFO) -> Path:
    """Send coachdesk's log to coachdesk.log in the profile folder, keeping three old logs."""
    log_path = profile_dir / "coachdesk.log"
    if log_path in _installed:
        return log_path
    try:
        profile_dir.mkdir(parents=True, exist_ok=True)
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
