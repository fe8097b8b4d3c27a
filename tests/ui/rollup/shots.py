"""Screenshots of the supervisor's window: the folder import's summary and the Roll-up area,
from the bundles of three real coach profiles (tests/support/coach_world.py).

Run in its own process per screen size, because the screen's size is fixed when Qt starts:

    QT_QPA_PLATFORM=offscreen:configfile=SCREEN.json python -m tests.ui.rollup.shots OUT [--dark]

(SCREEN.json as tests/ui/screen_probe.py screen_config writes it; --font-scale 2 for twice
the text). Saves OUT/<size>-<scheme>-*.png
and prints the problems the project's probes find: a control off screen (screen_probe.py), a
label cut off, a text under 4.5:1 (contrast.py).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication, QDialog, QWidget


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--dark", action="store_true")
    parser.add_argument("--font-scale", type=float, default=1.0)
    args = parser.parse_args(argv)
    os.environ.setdefault("COACHDESK_PASSPHRASE", "a passphrase for the roll-up shots only")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    import keyring

    from coachdesk.ui import dialogs, work
    from coachdesk.ui.main_window import MainWindow
    from coachdesk.ui.rollup.area import build_rollup_area
    from coachdesk.ui.rollup.folder_import import ImportSummaryDialog
    from coachdesk.ui.style import apply_style
    from coachdesk.ui.sync_actions import SyncActions
    from tests.conftest import MemoryKeyring
    from tests.support.coach_world import DAY, coach_world
    from tests.ui.contrast import MINIMUM, text_contrasts
    from tests.ui.palettes import dark_palette
    from tests.ui.screen_probe import clipped_labels, fit_problems
    from tests.ui.tour import settle

    keyring.set_keyring(MemoryKeyring())
    if args.dark:
        app.setPalette(dark_palette())
    if args.font_scale != 1.0:
        font = app.font()
        font.setPointSizeF(font.pointSizeF() * args.font_scale)
        app.setFont(font)
    apply_style(app)
    work.use_pool(work.SynchronousPool())
    screen = app.primaryScreen().availableGeometry()
    prefix = f"{screen.width()}x{screen.height()}-{'dark' if args.dark else 'light'}"
    if args.font_scale != 1.0:
        prefix += f"-text{args.font_scale:g}x"
    args.out.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []

    def look(name: str, widget: QWidget) -> None:
        settle()
        problems.extend(fit_problems(f"{prefix} {name}", widget))
        problems.extend(clipped_labels(f"{prefix} {name}", widget))
        problems.extend(
            str(t) for t in text_contrasts(widget, f"{prefix} {name}") if t.ratio < MINIMUM
        )
        widget.grab().save(str(args.out / f"{prefix}-{name}.png"))

    world = coach_world(Path(tempfile.mkdtemp(prefix="rollup-shots-")))
    (world.folder / "notes from the meeting.txt").write_text("not a bundle")
    damaged = bytearray((world.folder / "dana-whitfield.coachdesk").read_bytes())
    damaged[100] ^= 1
    (world.folder / "dana-whitfield (copy).coachdesk").write_bytes(bytes(damaged))

    window = MainWindow(world.supervisor)
    window.add_lazy_area("rollup", "Roll-up", lambda: _area(build_rollup_area, world, window, DAY))
    window.show()
    settle()

    class Showing(dialogs.Presenter):
        def run(self, dialog):
            if isinstance(dialog, ImportSummaryDialog):
                dialog.show()
                look("folder-import-summary", dialog)
                dialog.close()
            return QDialog.DialogCode.Rejected

        def info(self, parent, title, text):
            return None  # a one-line message box: nothing to photograph

        def error(self, parent, title, text):
            problems.append(f"{prefix}: unexpected error {title}: {text}")

    restore = dialogs.replace_presenter(Showing())
    try:
        window.show_area("rollup")
        settle()
        look("rollup-empty", window)
        SyncActions(window, world.supervisor).import_paths([world.folder])
        settle()
        look("rollup", window)
        area = window.area_widget("rollup")
        area.program.setCurrentIndex(area.program.findData("OH_NNPS"))
        settle()
        look("rollup-oh", window)
        area.program.setCurrentIndex(0)
        settle()
        area.open_school(next(s for s in area.rollup.schools if s.school.startswith("Arbor")))
        settle()
        look("rollup-school", window)
    finally:
        restore()
    for line in problems:
        print(line)
    window.close()
    world.supervisor.close()
    for coach in world.coaches:
        coach.profile.close()
    return 0


def _area(build, world, window, day):
    area = build(world.supervisor, window)
    area.today = lambda: day  # the world's day: its visits are "this month"
    area.school_view.today = area.today
    return area


if __name__ == "__main__":
    sys.exit(main())
