"""Opens every area and dialog on a demo profile and reports what does not fit the screen.

Run in its own process, because the screen's size is fixed when Qt starts:

    QT_QPA_PLATFORM=offscreen:configfile=SCREEN.json python -m tests.ui.screen_probe PROFILE OUT

where SCREEN.json describes one screen (see `screen_config`). Writes a JSON report to OUT:
{"screen": [w, h], "looked_at": [...], "problems": [...]}; with --shots DIR it also saves a
PNG of each window; with --font-scale it enlarges the application font first.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from PySide6.QtCore import QRect
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QLabel,
    QWidget,
)


def screen_config(width: int, height: int) -> dict:
    """The offscreen platform's description of one screen of this size."""
    return {
        "screens": [
            {
                "name": f"laptop-{width}x{height}",
                "x": 0,
                "y": 0,
                "width": width,
                "height": height,
                "logicalDpi": 96,
                "logicalBaseDpi": 96,
                "dpr": 1,
            }
        ]
    }


def global_rect(widget: QWidget) -> QRect:
    """The part of `widget` its ancestors let show, in screen coordinates."""
    shown = widget.visibleRegion().boundingRect()
    return QRect(widget.mapToGlobal(shown.topLeft()), shown.size())


def in_scroll_area(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def fit_problems(name: str, window: QWidget) -> list[str]:
    """Buttons off the screen, the window larger than the screen, key panels hidden."""
    area = window.screen().availableGeometry()
    problems = []
    frame = window.frameGeometry()
    if not area.contains(frame):
        problems.append(f"{name}: the window {_r(frame)} does not fit the screen {_r(area)}")
    for button in window.findChildren(QAbstractButton):
        if not button.isVisibleTo(window) or button.window() is not window:
            continue
        if button.visibleRegion().isEmpty():
            if not in_scroll_area(button):  # scrolled away is fine; cut off is not
                problems.append(f"{name}: the button {_label(button)} cannot be seen")
            continue
        where = global_rect(button)
        if not area.contains(where):
            problems.append(f"{name}: the button {_label(button)} at {_r(where)} is off screen")
    problems.extend(_key_panels(name, window))
    return problems


def _key_panels(name: str, window: QWidget) -> list[str]:
    """The panels a coach needs on these screens, fully in view."""
    caseload = getattr(window, "caseload", None)
    problems = []
    if caseload is None:
        return problems
    if name == "walk mode":
        walk = caseload.visit_page.walk
        row = walk.rows[walk._current] if walk is not None else None
        if row is None or not _fully_shown(row, window):
            problems.append("walk mode: the current look-for is not fully in view")
    if name == "visit page with follow-up":
        panel = caseload.visit_page.follow_up
        if not panel.isVisibleTo(window) or panel.visibleRegion().isEmpty():
            problems.append("visit page: the follow-up of earlier next steps is not shown")
    return problems


def _fully_shown(widget: QWidget, window: QWidget) -> bool:
    if not widget.isVisibleTo(window):
        return False
    shown = widget.visibleRegion().boundingRect()
    return shown.size() == widget.size() and window.screen().availableGeometry().contains(
        global_rect(widget)
    )


def clipped_labels(name: str, window: QWidget) -> list[str]:
    """Labels whose text needs more room than they were given (cut off at this font size)."""
    problems = []
    for label in window.findChildren(QLabel):
        if not label.isVisibleTo(window) or not label.text() or label.visibleRegion().isEmpty():
            continue
        if label.wordWrap():
            need = label.heightForWidth(label.width())
            if need > label.height() + 2:
                problems.append(
                    f"{name}: {_label(label)} needs {need}px of height, has {label.height()}"
                )
            continue
        hint = label.minimumSizeHint()
        if label.sizePolicy().horizontalPolicy().name == "Ignored":
            hint = label.sizeHint()  # elided on purpose is not allowed: it must fit
        if hint.width() > label.width() + 2 or hint.height() > label.height() + 2:
            problems.append(
                f"{name}: {_label(label)} needs {hint.width()}x{hint.height()}, "
                f"has {label.width()}x{label.height()}"
            )
    return problems


def _label(widget: QWidget) -> str:
    text = widget.text() if hasattr(widget, "text") else ""
    text = (text or widget.accessibleName() or type(widget).__name__).replace("&", "")
    return repr(text[:50])


def _r(rect: QRect) -> str:
    return f"{rect.width()}x{rect.height()}+{rect.x()}+{rect.y()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("profile", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--shots", type=Path)
    parser.add_argument("--font-scale", type=float, default=1.0)
    parser.add_argument("--dark", action="store_true")
    parser.add_argument("--contrast", action="store_true", help="check every text's contrast")
    args = parser.parse_args(argv)

    # The tour makes keys for a second device; no test touches the machine's real keyring.
    os.environ.setdefault("COACHDESK_PASSPHRASE", "a passphrase for the screen probe only")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    from coachdesk.core.store.profile import open_profile
    from coachdesk.ui import work
    from coachdesk.ui.main_window import MainWindow
    from coachdesk.ui.style import apply_style
    from tests.ui.contrast import MINIMUM, text_contrasts
    from tests.ui.palettes import dark_palette
    from tests.ui.tour import settle, take_tour

    if args.dark:
        app.setPalette(dark_palette())
    if args.font_scale != 1.0:
        font = app.font()
        font.setPointSizeF(font.pointSizeF() * args.font_scale)
        app.setFont(font)
    apply_style(app)
    work.use_pool(work.SynchronousPool())

    problems: list[str] = []
    texts_measured: list[int] = []
    if args.shots:
        args.shots.mkdir(parents=True, exist_ok=True)

    def look(name: str, window: QWidget) -> None:
        settle()
        problems.extend(fit_problems(name, window))
        if args.font_scale != 1.0:
            problems.extend(clipped_labels(name, window))
        if args.contrast:
            measured = text_contrasts(window, name)
            texts_measured.append(len(measured))
            problems.extend(str(t) for t in measured if t.ratio < MINIMUM)
        if args.shots:
            safe = "".join(ch if ch.isalnum() else "-" for ch in name).strip("-")
            window.grab().save(str(args.shots / f"{safe}.png"))

    window = MainWindow(open_profile(args.profile))
    looked = take_tour(window, args.out.parent / "tour-files", look)
    screen = app.primaryScreen().availableGeometry()
    args.out.write_text(
        json.dumps(
            {
                "screen": [screen.width(), screen.height()],
                "window": [window.width(), window.height()],
                "looked_at": looked,
                "problems": problems,
                "texts_measured": sum(texts_measured),
            },
            indent=1,
        )
    )
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
