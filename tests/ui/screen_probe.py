"""Opens every area and dialog on a demo profile and reports what does not fit the screen.

Run in its own process, because the screen's size is fixed when Qt starts:

    QT_QPA_PLATFORM=offscreen:configfile=SCREEN.json python -m tests.ui.screen_probe PROFILE OUT

where SCREEN.json describes one screen (see `screen_config`). Writes a JSON report to OUT:
{"screen": [w, h], "looked_at": [...], "problems": [...]}; with --shots DIR it also saves a
PNG of each window; with --font-scale it enlarges the application font first, and then (or
with --clipping, as on a screen scaled by QT_SCALE_FACTOR) also reports each label, button,
field or choice too small for its text, each layout given less room than it needs, and each
scrolled area or list that cannot reach all it holds; --dark uses a dark palette, --contrast
measures every text's contrast.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QRadioButton,
    QScrollArea,
    QStyle,
    QStyleOptionComboBox,
    QWidget,
)

QWIDGETSIZE_MAX = (1 << 24) - 1


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
        if not label.isVisibleTo(window) or not label.text() or label.window() is not window:
            continue
        if label.visibleRegion().isEmpty() and not in_scroll_area(label):
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


def clipped_controls(name: str, window: QWidget) -> list[str]:
    """Buttons, fields and lists of choices too small for their text, squeezed layouts, and
    scroll areas that cannot scroll to all they hold (at a larger font or a scaled screen)."""
    problems = []
    for widget in window.findChildren(QWidget):
        if widget.window() is not window or not widget.isVisibleTo(window):
            continue
        if widget.visibleRegion().isEmpty() and not in_scroll_area(widget):
            continue  # cut off entirely: fit_problems says so; scrolled away is still checked
        problem = _clipped_text(widget) or _squeezed(widget) or _unreachable(widget)
        if problem:
            problems.append(f"{name}: {problem}")
    return problems


def _advance(widget: QWidget, text: str) -> int:
    return widget.fontMetrics().horizontalAdvance(text.replace("&&", "\0").replace("&", ""))


def _clipped_text(widget: QWidget) -> str | None:
    """The text of a button or field that its box cannot show whole."""
    height = widget.fontMetrics().height()
    if isinstance(widget, QAbstractButton) and widget.text():
        room = widget.width() - (widget.iconSize().width() + 4 if not widget.icon().isNull() else 0)
        if isinstance(widget, QCheckBox | QRadioButton):
            room -= 18  # the box or the circle and its gap
        if _advance(widget, widget.text()) > room - 4 or height > widget.height():
            return f"the button {_label(widget)} ({widget.width()}x{widget.height()}) cuts its text"
        return None
    if isinstance(widget, QLineEdit) and not isinstance(
        widget.parentWidget(), QComboBox | QAbstractSpinBox
    ):  # a choice's or a spin box's own line is checked with it
        if height > widget.height() - 2:
            return f"the field {_field(widget)} ({widget.height()}px high) cuts its text"
        text = widget.text() or widget.placeholderText()
        capped = widget.maximumWidth() < QWIDGETSIZE_MAX
        room = widget.width() - 8  # the frame and the text margins
        if text and (capped or not widget.text()) and _advance(widget, text) > room:
            what = "text" if widget.text() else "placeholder"
            return f"the field {_field(widget)} ({widget.width()}px) cuts its {what} {text[:40]!r}"
        return None
    if isinstance(widget, QComboBox) and widget.currentText():
        option = QStyleOptionComboBox()
        widget.initStyleOption(option)
        room = (
            widget.style()
            .subControlRect(
                QStyle.ComplexControl.CC_ComboBox,
                option,
                QStyle.SubControl.SC_ComboBoxEditField,
                widget,
            )
            .width()
        )  # inside the frame, beside the arrow
        if _advance(widget, widget.currentText()) > room or height > widget.height() - 2:
            return f"the choice {_field(widget)} ({widget.width()}px) cuts {widget.currentText()!r}"
        return None
    if isinstance(widget, QAbstractSpinBox) and widget.text():
        room = widget.lineEdit().width() - 4  # beside the up and down buttons
        if _advance(widget, widget.text()) > room or height > widget.height() - 2:
            return f"the field {_field(widget)} ({widget.width()}px) cuts {widget.text()!r}"
    return None


def _squeezed(widget: QWidget) -> str | None:
    """A widget given less room than its layout needs: its children overlap or are cut."""
    layout = widget.layout()
    if layout is None or isinstance(widget, QAbstractScrollArea):
        return None
    need = layout.totalMinimumSize()
    if layout.hasHeightForWidth():
        # Wrapping text or a flow: its minimum height is at its narrowest, and Qt offers only
        # the preferred height at a width; the wrapping labels' heights are checked themselves.
        need.setHeight(0)
    if need.width() > widget.width() + 2 or need.height() > widget.height() + 2:
        what = widget.accessibleName() or widget.objectName() or type(widget).__name__
        what += f" ({', '.join(_inner_names(widget))})"
        return (
            f"{what!r} needs {need.width()}x{need.height()}, has {widget.width()}x{widget.height()}"
        )
    return None


def _inner_names(widget: QWidget) -> list[str]:
    names = []
    for child in widget.findChildren(QWidget):
        name = child.accessibleName() or (child.text() if isinstance(child, QLabel) else "")
        if name:
            names.append(name[:30])
        if len(names) == 2:
            break
    return names


def _unreachable(widget: QWidget) -> str | None:
    """A scroll area whose contents reach further than its scroll bars (shown ones) go."""
    if isinstance(widget, QAbstractItemView):
        return _row_out_of_reach(widget)
    if not isinstance(widget, QScrollArea) or widget.widget() is None:
        return None
    inner, viewport = widget.widget(), widget.viewport()
    hidden = []
    for bar, beyond, policy in (
        (
            widget.horizontalScrollBar(),
            inner.width() - viewport.width(),
            widget.horizontalScrollBarPolicy(),
        ),
        (
            widget.verticalScrollBar(),
            inner.height() - viewport.height(),
            widget.verticalScrollBarPolicy(),
        ),
    ):
        reach = 0 if policy == Qt.ScrollBarPolicy.ScrollBarAlwaysOff else bar.maximum()
        hidden.append(max(beyond - reach, 0))
    if max(hidden) > 2:
        what = widget.accessibleName() or widget.objectName() or type(inner).__name__
        return f"the scrolled area {what!r} hides {hidden[0]}x{hidden[1]}px no scroll bar reaches"
    return None


def _row_out_of_reach(view: QAbstractItemView) -> str | None:
    """A row (a wrapped item) taller than a list that scrolls row by row: its end is never shown."""
    model = view.model()
    if model is None or view.verticalScrollMode() != QAbstractItemView.ScrollMode.ScrollPerItem:
        return None
    room = view.viewport().height()
    for row in range(min(model.rowCount(), 200)):
        height = view.visualRect(model.index(row, 0)).height()
        if height > room + 2:
            return (
                f"the list {_field(view)} shows {room}px of a row {height}px high "
                "and scrolls no further"
            )
    return None


def _field(widget: QWidget) -> str:
    name = widget.accessibleName()
    if not name:  # unnamed: say where it is
        parent = widget.parentWidget()
        name = f"{type(widget).__name__} in {type(parent).__name__ if parent else 'nothing'}"
    return repr(name[:50])


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
    parser.add_argument(
        "--clipping", action="store_true", help="check that no text is cut off (larger fonts)"
    )
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
    from tests.ui.contrast import MINIMUM, frame_problems, framed_controls, text_contrasts
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
    frames_measured: list[int] = []  # fields and boxes whose outline was measured
    if args.shots:
        args.shots.mkdir(parents=True, exist_ok=True)

    def look(name: str, window: QWidget) -> None:
        settle()
        problems.extend(fit_problems(name, window))
        if args.font_scale != 1.0 or args.clipping:
            problems.extend(clipped_labels(name, window))
            problems.extend(clipped_controls(name, window))
        if args.contrast:
            measured = text_contrasts(window, name)
            texts_measured.append(len(measured))
            problems.extend(str(t) for t in measured if t.ratio < MINIMUM)
            frames_measured.append(len(list(framed_controls(window))))
            problems.extend(frame_problems(window, name))
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
                "frames_measured": sum(frames_measured),
            },
            indent=1,
        )
    )
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
