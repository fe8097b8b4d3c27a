"""Running tests/ui/screen_probe.py in a child process on a screen of a chosen size."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.ui.screen_probe import screen_config

ROOT = Path(__file__).resolve().parents[2]

# Every area and dialog the tour opens: a report that misses one did not look at it.
EXPECTED = {
    "today",
    "caseload",
    "school page (NY)",
    "school page (OH)",
    "school page (MA)",
    "measurement dialog",
    "measurement CSV import preview",
    "indicator dialog",
    "target dialog",
    "measurements dialog",
    "measurement history dialog",
    "start a visit dialog",
    "contact dialog",
    "stage dialog",
    "visit page with follow-up",
    "PDF preview (visit summary)",
    "PDF preview (caseload report)",
    "walk mode",
    "privacy warning dialog",
    "conflicts",
    "trust",
    "export recipients dialog",
    "passphrase dialog",
    "passphrase refused dialog",
    "trust key dialog",
    "packet recipients dialog",
    "events audience dialog",
    "events import preview",
    "search",
    "coach name dialog",
    "about dialog",
}


def run_probe(
    demo_template: Path, folder: Path, width: int, height: int, *flags: str, scale: float = 1.0
) -> dict:
    """The probe's report for a copy of the demo profile on a width x height screen.

    With `scale`, the system scales everything by it (QT_SCALE_FACTOR, as a coach's 150%
    display setting does): the screen has scale times the pixels, and width x height is still
    the room the window has (its logical size)."""
    folder.mkdir(parents=True, exist_ok=True)
    profile = folder / "profile"
    shutil.copytree(demo_template, profile)
    config = folder / "screen.json"
    config.write_text(json.dumps(screen_config(round(width * scale), round(height * scale))))
    env = dict(os.environ)
    env.pop("QT_SCALE_FACTOR", None)
    if scale != 1.0:
        env["QT_SCALE_FACTOR"] = f"{scale:g}"
    # Relative to the child's working folder: Qt splits the platform's options at colons, and
    # a Windows path has one ("C:\\...").
    env["QT_QPA_PLATFORM"] = f"offscreen:configfile={config.name}"
    env["LANG"] = "C.UTF-8"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.pop("COACHDESK_DATA_DIR", None)
    out = folder / "report" / "report.json"
    done = subprocess.run(
        [sys.executable, "-m", "tests.ui.screen_probe", str(profile), str(out), *flags],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(out.read_text())
