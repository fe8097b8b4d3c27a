"""Logging to the profile's log file."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

_installed: set[Path] = set()


def setup_logging(profile_dir: Path, *, level: int = logging.INFO) -> Path:
    """Send coachdesk's log to coachdesk.log in the profile folder (rotated at 1 MB)."""
    log_path = profile_dir / "coachdesk.log"
    if log_path in _installed:
        return log_path
    try:
        profile_dir.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            log_path, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        # A read-only or full disk must not stop the app from starting; log to stderr instead.
        handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("coachdesk")
    root.addHandler(handler)
    root.setLevel(level)
    _installed.add(log_path)
    return log_path
