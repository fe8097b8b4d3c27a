"""Start-up: `coachdesk --smoke-test` on the demo profile against a bare QMainWindow.

Both are timed as whole processes (interpreter start to exit) and by what they print themselves
(milliseconds from their first line of Python to the first paint), alternating runs so that
machine noise hits both alike. Prints medians and the ratio; the target is 1.5x or less, on the
demo and on the 50-school, 20,000-visit profile of benchmarks/visits.py (about 20 s to make).
Compiled bytecode is kept in a temporary folder, as an installed coachdesk has its .pyc files
(with PYTHONDONTWRITEBYTECODE set, every run would compile coachdesk's modules again).

    python benchmarks/startup.py [--runs 9] [--demo-only]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE_WINDOW = """
import time
started = time.perf_counter()
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

app = QApplication([])
window = QMainWindow()
window.resize(1280, 800)

class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, lambda: (print(round((time.perf_counter() - started) * 1000)),
                                          app.quit()))
            watched.removeEventFilter(self)
        return False

painted = FirstPaint()
window.installEventFilter(painted)
window.show()
app.exec()
"""


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall milliseconds for the whole process, milliseconds the process printed)."""
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    wall = (time.perf_counter() - start) * 1000
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stderr}")
    return wall, float(result.stdout.strip().splitlines()[-1])


def measure(profile: Path, runs: int, env: dict[str, str]) -> None:
    """Time the bare window and coachdesk on this profile, alternating; print the medians."""
    bare_cmd = [sys.executable, "-c", BARE_WINDOW]
    smoke_cmd = [sys.executable, "-m", "coachdesk", "--data-dir", str(profile), "--smoke-test"]
    timed(bare_cmd, env), timed(smoke_cmd, env)  # warm the file cache and .pyc files
    bare, smoke = [], []
    for _ in range(runs):
        bare.append(timed(bare_cmd, env))
        smoke.append(timed(smoke_cmd, env))
    for label, index in (("whole process", 0), ("first paint, in-process", 1)):
        b = statistics.median(r[index] for r in bare)
        s = statistics.median(r[index] for r in smoke)
        print(f"{label:>24}: bare window {b:7.0f} ms | coachdesk {s:7.0f} ms | ratio {s / b:4.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--demo-only", action="store_true", help="not the 20,000-visit profile")
    args = parser.parse_args()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LANG": "C.UTF-8"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryDirectory() as folder:
        env["PYTHONPYCACHEPREFIX"] = str(Path(folder) / "pycache")
        profile = Path(folder) / "profile"
        coachdesk = [sys.executable, "-m", "coachdesk", "--data-dir", str(profile)]
        subprocess.run([*coachdesk, "demo"], check=True, capture_output=True, env=env)
        subprocess.run([*coachdesk, "backup"], check=True, capture_output=True, env=env)
        print("demo profile:")
        measure(profile, args.runs, env)
        if not args.demo_only:
            sys.path.insert(0, str(Path(__file__).resolve().parent))
            from visits import build

            big = Path(folder) / "big"
            build(big, 50, 20_000)
            subprocess.run(
                [sys.executable, "-m", "coachdesk", "--data-dir", str(big), "backup"],
                check=True,
                capture_output=True,
                env=env,
            )
            print("20,000-visit profile (50 schools):")
            measure(big, args.runs, env)
    print(f"{'runs':>24}: {args.runs} of each (medians); target: ratio 1.5x or less")


if __name__ == "__main__":
    main()
