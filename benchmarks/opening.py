"""Opening a school and a visit in the real window, the first time and later.

Each run is a fresh process (so the first open pays for what a coach's first click pays for:
the ORM's import, the first queries, the school page's widgets): it opens the profile, builds
the main window offscreen, waits for the caseload's first paint with data, then times

  - `window.caseload.open_school(id)` for a first school, a second one and the first again,
  - `window.caseload.open_visit(id)` for a visit of the first school, another, and the first again,

each from the call until the page has painted with its data (all the cards are filled before
`open_school` returns; the clock stops once the first paint of the page has finished).
Prints the medians over the runs and their ratio to the targets of issue 11: first open of a
school under 300 ms, later opens under 100 ms, a visit under 200 ms.

Each profile is measured three ways:
  - straight after the first paint, before anything else runs: the click imports the ORM and
    the pages' modules itself (no person clicks this fast; the worst case);
  - a coach's first click half a second after the list appears, with what the real window does
    once it has painted running meanwhile (coachdesk/ui/app.py: the due badges, then the
    idle-time warm-up importing the ORM and the pages' modules one per turn of the event loop);
  - the same, once the warm-up has finished and a second of reading has passed.
Each mode also prints when the warm-up finished, counted from the first paint.
Compiled bytecode is kept in a temporary folder, as an installed coachdesk has its .pyc files.

    python benchmarks/opening.py [--runs 7] [--demo-only]

Besides the demo, the 50-school, 20,000-visit profile of benchmarks/visits.py (about 20 s to make).
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

READING_MS = 1000  # "after the warm-up": the coach looks at the list this long before a click
FIRST_CLICK_MS = 500  # a coach's first click, this long after the list appears
MODES = {
    "cold": "straight after the first paint",
    "click": f"a first click {FIRST_CLICK_MS} ms after the first paint, the warm-up running",
    "warm": "after the window's warm-up and a second of reading",
}
TARGETS = {  # ms, issue 11
    "school, first open": 300,
    "school, a second school": 100,
    "school, the first again": 100,
    "visit, first open": 200,
    "visit, another visit": 200,
    "visit, the first again": 200,
}


# --- the measured process ---------------------------------------------------------------------


def child(profile_dir: Path, schools: list[str], visits: list[str], *, mode: str) -> None:
    """Open the window, time the opens, print them as JSON on the last line."""
    from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    from coachdesk.core.store.profile import open_profile
    from coachdesk.ui.style import apply_style

    app = QApplication(sys.argv[:1])
    apply_style(app)
    profile = open_profile(profile_dir, full_check=False)
    from coachdesk.ui.main_window import MainWindow

    window = MainWindow(profile)
    window.show_area("caseload")

    class PaintWatch(QObject):
        """Ends `loop` once a widget inside `page()` has painted (after that paint finishes)."""

        def __init__(self) -> None:
            super().__init__()
            self.page = None
            self.loop: QEventLoop | None = None
            self.painted = False

        def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
            if (
                not self.painted
                and self.page is not None
                and event.type() == QEvent.Type.Paint
                and isinstance(watched, QWidget)
            ):
                page = self.page()
                if page is not None and (watched is page or page.isAncestorOf(watched)):
                    self.painted = True
                    QTimer.singleShot(0, self.loop.quit)  # the paint event finishes first
            return False

        def wait(self, page, timeout_ms: int = 20_000) -> None:
            self.page, self.painted = page, False
            self.loop = QEventLoop()
            QTimer.singleShot(timeout_ms, self.loop.quit)
            self.loop.exec()
            if not self.painted:
                raise SystemExit("the page never painted")
            self.page = None

    watch = PaintWatch()
    app.installEventFilter(watch)
    window.show()
    watch.wait(lambda: window.caseload.list_view.table.viewport())  # the caseload's first paint
    painted = time.perf_counter()
    warmed: list[float] = []
    if mode != "cold":
        from coachdesk.ui.app import warm_up_in_idle_time

        window.load_due_badges()  # what the real window does after its first paint (app.py)

        def finished() -> None:
            warmed.append((time.perf_counter() - painted) * 1000)
            if mode == "warm":
                QTimer.singleShot(READING_MS, idle.quit)  # then the coach reads the list

        idle = QEventLoop()
        warm_up_in_idle_time(window, done=finished)
        if mode == "click":
            QTimer.singleShot(
                max(0, FIRST_CLICK_MS - int((time.perf_counter() - painted) * 1000)), idle.quit
            )
        QTimer.singleShot(60_000, idle.quit)
        idle.exec()

    def timed(open_page, page) -> float:
        started = time.perf_counter()
        open_page()
        watch.wait(page)
        return (time.perf_counter() - started) * 1000

    area = window.caseload
    results = {}
    for label, school in zip(list(TARGETS)[:3], (schools[0], schools[1], schools[0]), strict=True):
        results[label] = timed(lambda s=school: area.open_school(s), area.currentWidget)
    for label, visit in zip(list(TARGETS)[3:], (visits[0], visits[1], visits[0]), strict=True):
        results[label] = timed(lambda v=visit: area.open_visit(v), area.currentWidget)
    if mode != "cold" and not warmed:  # the click came first: let the warm-up end, to time it
        rest = QEventLoop()
        QTimer.singleShot(50, rest.quit)
        while not warmed:
            rest.exec()
            QTimer.singleShot(50, rest.quit)
    results["warm-up done (after the first paint)"] = warmed[0] if warmed else 0.0
    window.close()
    profile.close()
    print(json.dumps(results))


# --- the benchmark ----------------------------------------------------------------------------


def pick(profile_dir: Path) -> tuple[list[str], list[str], str]:
    """The school with the most visits, a school of another program, two of the first's visits
    (the newest, with its form, and the one before); and a line saying which."""
    conn = sqlite3.connect(profile_dir / "coachdesk.sqlite")
    first, program, name, count = conn.execute(
        "SELECT o.id, a.program_code, o.name, count(v.id) FROM organization o"
        " JOIN assignment a ON a.org_id = o.id AND a.deleted_at IS NULL"
        " LEFT JOIN visit v ON v.org_id = o.id AND v.deleted_at IS NULL"
        " WHERE o.kind = 'school' AND o.deleted_at IS NULL"
        " GROUP BY o.id ORDER BY count(v.id) DESC, o.name LIMIT 1"
    ).fetchone()
    second, second_program = conn.execute(
        "SELECT o.id, a.program_code FROM organization o JOIN assignment a ON a.org_id = o.id"
        " WHERE o.kind = 'school' AND o.deleted_at IS NULL AND a.program_code != ?"
        " ORDER BY o.name LIMIT 1",
        (program,),
    ).fetchone()
    visit_ids = [
        row[0]
        for row in conn.execute(
            "SELECT id FROM visit WHERE org_id = ? AND deleted_at IS NULL AND form_id IS NOT NULL"
            " ORDER BY starts_at DESC LIMIT 2",
            (first,),
        )
    ]
    conn.close()
    about = f"{name} ({program}, {count} visits), then a {second_program} school"
    return [first, second], visit_ids, about


def child_env(tmp: Path) -> dict[str, str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LANG": "C.UTF-8"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")  # .pyc files, outside the source tree
    return env


def run(profile_dir: Path, runs: int, env: dict[str, str], *, mode: str) -> dict[str, list[float]]:
    schools, visit_ids, _about = pick(profile_dir)
    command = [
        sys.executable,
        __file__,
        "--child",
        str(profile_dir),
        ",".join(schools),
        ",".join(visit_ids),
        "--mode",
        mode,
    ]
    samples: dict[str, list[float]] = {}
    for n in range(runs + 1):
        result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
        if result.returncode != 0:
            raise SystemExit(f"the measured process failed:\n{result.stderr}")
        if n == 0:
            continue  # warms the file cache and the .pyc files
        for label, ms in json.loads(result.stdout.strip().splitlines()[-1]).items():
            samples.setdefault(label, []).append(ms)
    return samples


def report(title: str, samples: dict[str, list[float]]) -> None:
    print(f"  {title}:")
    for label, values in samples.items():
        median = statistics.median(values)
        if label not in TARGETS:
            if median:
                print(f"{label:>40}: median {median:6.0f} ms")
            continue
        target = TARGETS[label]
        print(
            f"{label:>40}: median {median:6.0f} ms (min {min(values):4.0f}, max {max(values):4.0f})"
            f" | target < {target} ms | ratio {median / target:4.2f}x"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--demo-only", action="store_true", help="not the 20,000-visit profile")
    parser.add_argument("--mode", choices=MODES, default="cold", help=argparse.SUPPRESS)
    parser.add_argument(
        "--child", nargs=3, metavar=("PROFILE", "SCHOOLS", "VISITS"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.child:
        folder, schools, visit_ids = args.child
        child(Path(folder), schools.split(","), visit_ids.split(","), mode=args.mode)
        return
    with tempfile.TemporaryDirectory() as tmp:
        env = child_env(Path(tmp))
        demo = Path(tmp) / "demo"
        coachdesk = [sys.executable, "-m", "coachdesk", "--data-dir", str(demo)]
        subprocess.run([*coachdesk, "demo"], check=True, capture_output=True, env=env)
        profiles = [("demo profile", demo)]
        if not args.demo_only:
            sys.path.insert(0, str(Path(__file__).resolve().parent))
            from visits import build

            big = Path(tmp) / "big"
            made = time.perf_counter()
            build(big, 50, 20_000)
            profiles.append(
                (f"20,000-visit profile (built in {time.perf_counter() - made:.0f} s)", big)
            )
        for title, folder in profiles:
            print(f"{title}: {args.runs} runs, opening {pick(folder)[2]}")
            for mode, title in MODES.items():
                report(title, run(folder, args.runs, env, mode=mode))


if __name__ == "__main__":
    main()
