"""Running `coachdesk` as a coach or a script runs it: a separate process on a real profile."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

TIMEOUT = 120  # seconds; a command that waits on a modal or a prompt never ends, and fails here
PASSPHRASE = "open sesame"


def cli_env(**extra: str) -> dict[str, str]:
    """This process's environment without COACHDESK_ settings, off-screen, in UTF-8."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COACHDESK_")}
    env.update(QT_QPA_PLATFORM="offscreen", LANG="C.UTF-8", **extra)
    return env


def no_keyring_env(passphrase: str | None = PASSPHRASE) -> dict[str, str]:
    """A machine with no keyring: the keys live in files locked by COACHDESK_PASSPHRASE."""
    env = cli_env(PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    if passphrase:
        env["COACHDESK_PASSPHRASE"] = passphrase
    return env


def coachdesk(
    profile_dir: Path,
    *args: str,
    env: dict[str, str] | None = None,
    timeout: float = TIMEOUT,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess:
    """Run `python -m coachdesk --data-dir PROFILE_DIR ARGS` to its end; stdin is empty."""
    return subprocess.run(
        [sys.executable, "-m", "coachdesk", "--data-dir", str(profile_dir), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env or cli_env(),
        stdin=subprocess.DEVNULL,
        cwd=cwd,
    )


def ok(result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    """The result of a run that must have succeeded (its stderr shown if not)."""
    assert result.returncode == 0, result.stderr
    return result
