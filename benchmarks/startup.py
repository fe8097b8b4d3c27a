"""Start-up: `coachdesk --smoke-test` on the demo profile against a bare QMainWindow.

Both are timed as whole processes (interpreter start to exit) and by what they print themselves
(milliseconds from their first line of Python to the first paint) and by the CPU time they use
(steadier than wall time on a machine busy with other work), alternating runs so that machine
noise hits both alike. Prints medians and the ratio; the target is 1.5x or less, on the
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


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """(wall milliseconds for the whole process, milliseconds the process printed, CPU
    milliseconds it used, user and system; 0 where the platform does not say)."""
    before = _children_cpu()
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    wall = (time.perf_counter() - start) * 1000
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stderr}")
    return wall, float(result.stdout.strip().splitlines()[-1]), _children_cpu() - before


def _children_cpu() -> float:
    """CPU milliseconds used so far by this process's finished children (Unix), which a busy
    machine inflates much less than it does wall time."""
    try:
        import resource
    except ImportError:
        return 0.0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (usage.ru_utime + usage.ru_stime) * 1000


def measure(profile: Path, runs: int, env: dict[str, str]) -> None:
    """Time the bare window and coachdesk on this profile, alternating; print the medians."""
    bare_cmd = [sys.executable, "-c", BARE_WINDOW]
    smoke_cmd = [sys.executable, "-m", "coachdesk", "--data-dir", str(profile), "--smoke-test"]
    timed(bare_cmd, env), timed(smoke_cmd, env)  # warm the file cache and .pyc files
    bare, smoke = [], []
    for _ in range(runs):
        bare.append(timed(bare_cmd, env))
        smoke.append(timed(smoke_cmd, env))
    lines = [("whole process", 0), ("first paint, in-process", 1)]
    if bare[0][2]:
        lines.append(("CPU time, whole process", 2))
    for label, index in lines:
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
