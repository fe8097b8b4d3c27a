"""Every text is readable (WCAG 2.1 contrast at least 4.5:1) in the light and the dark scheme.

The tour of every area and dialog runs in a child process with a light palette (the offscreen
platform's) or a dark one, and measures the contrast of each visible text on the pixels the
window really paints (tests/ui/contrast.py).
"""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QLabel

from coachdesk.ui import style
from tests.ui.contrast import MINIMUM, contrast
from tests.ui.palettes import dark_palette
from tests.ui.probe_runs import EXPECTED, run_probe


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_text_in_every_area_and_dialog_is_readable(demo_template, tmp_path, scheme):
    flags = ["--contrast"] + (["--dark"] if scheme == "dark" else [])
    report = run_probe(demo_template, tmp_path, 1366, 768, *flags)
    assert EXPECTED <= set(report["looked_at"])
    assert report["texts_measured"] > 500  # labels, fields, buttons and table cells
    assert report["problems"] == []


def test_the_contrast_measure_matches_wcag():
    assert contrast(QColor("#000000"), QColor("#ffffff")) == pytest.approx(21.0)
    assert contrast(QColor("#767676"), QColor("#ffffff")) == pytest.approx(4.54, abs=0.01)
    assert contrast(QColor("#777777"), QColor("#ffffff")) < MINIMUM


# Each text colour of ours with the backgrounds it is drawn on, in both schemes.
TEXT_ON = {
    "subtle": ("window", "base"),
    "danger": ("window", "base", "danger_bg"),
    "warning": ("window", "base"),
    "success": ("window", "base"),
    "accent": ("window", "base", "accent_bg"),
    "note_fg": ("note_bg",),
    "badge_fg": ("badge_bg",),
    "nav_selected_fg": ("nav_selected_bg",),
    "checked_fg": ("checked_bg",),
}
PALETTE = {
    "light": {"window": "#efefef", "base": "#ffffff"},
    "dark": {"window": "#353535", "base": "#1e1e1e"},
}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_each_colour_pair_of_ours_is_readable(scheme):
    dark = scheme == "dark"
    for name, backgrounds in TEXT_ON.items():
        for background in backgrounds:
            behind = QColor(PALETTE[scheme].get(background) or style.COLOURS[background][dark])
            ratio = contrast(style.colour(name, dark=dark), behind)
            assert ratio >= MINIMUM, f"{name} on {background} ({scheme}): {ratio:.2f}"


def test_a_palette_change_to_dark_restyles_the_application(qtbot):
    app = QApplication.instance()
    before_palette, before_sheet = app.palette(), app.styleSheet()
    try:
        style.apply_style(app)
        assert style.COLOURS["danger"][0] in app.styleSheet()
        app.setPalette(dark_palette())  # what the platform does when the scheme turns dark
        qtbot.waitUntil(lambda: style.COLOURS["danger"][1] in app.styleSheet())
        assert style.is_dark() and style.colour("danger").name() == style.COLOURS["danger"][1]
        # The scheme's own signal restyles too (after the palette has settled).
        app.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
        QCoreApplication.processEvents()
        assert style.COLOURS["subtle"][1] in app.styleSheet()
    finally:
        style.stop_following()  # the other tests see the application as they found it
        QCoreApplication.processEvents()
        app.setPalette(before_palette)
        app.setStyleSheet(before_sheet)
        QCoreApplication.processEvents()
    assert app.styleSheet() == before_sheet


def test_a_selection_too_light_for_its_text_is_darkened():
    palette = QApplication.instance().palette()
    palette.setColor(palette.ColorRole.Highlight, QColor("#308cc6"))  # Fusion's: 3.7:1
    palette.setColor(palette.ColorRole.HighlightedText, QColor("#ffffff"))
    fixed = style.readable_palette(palette)
    assert fixed is not None
    ratio = contrast(
        fixed.color(fixed.ColorRole.HighlightedText), fixed.color(fixed.ColorRole.Highlight)
    )
    assert ratio >= MINIMUM
    assert style.readable_palette(fixed) is None  # once readable, left alone


def test_switching_to_dark_with_the_window_open_keeps_every_text_readable(qtbot, demo):
    """The system turns dark at sunset: pages already on screen rewrite their coloured texts."""
    from coachdesk.ui.main_window import MainWindow
    from tests.ui.contrast import text_contrasts
    from tests.ui.tour import _visit_with_follow_up, settle

    app = QApplication.instance()
    before_palette, before_sheet = app.palette(), app.styleSheet()
    try:
        style.apply_style(app)
        window = MainWindow(demo)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        window.show_area("today")
        settle()
        window.show_area("caseload")
        window.caseload.open_visit(_visit_with_follow_up(demo))
        settle()
        overdue = style.COLOURS["danger"]
        labels = window.caseload.visit_page.follow_up.findChildren(QLabel)
        assert any(overdue[0] in label.text() for label in labels)  # light: the light red

        app.setPalette(dark_palette())
        qtbot.waitUntil(lambda: style.COLOURS["subtle"][1] in app.styleSheet())
        settle()
        labels = window.caseload.visit_page.follow_up.findChildren(QLabel)
        assert any(overdue[1] in label.text() for label in labels)
        assert not any(overdue[0] in label.text() for label in labels if label.isVisible())
        unreadable = [str(t) for t in text_contrasts(window, "visit page") if t.ratio < MINIMUM]
        assert unreadable == []
        window.show_area("today")
        settle()
        unreadable = [str(t) for t in text_contrasts(window, "today") if t.ratio < MINIMUM]
        assert unreadable == []
        window.close()
    finally:
        style.stop_following()
        QCoreApplication.processEvents()
        app.setPalette(before_palette)
        app.setStyleSheet(before_sheet)
        QCoreApplication.processEvents()


def test_no_widget_carries_a_colour_of_its_own():
    """Colours come from the palette or from style.COLOURS, which has a light and a dark one."""
    from pathlib import Path

    ui = Path(style.__file__).parent
    found = []
    for path in ui.rglob("*.py"):
        if path.name == "style.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"#[0-9a-fA-F]{6}\b|QColor\(\s*[\"']|color\s*:\s*[a-z]+\s*[;\"']", line):
                found.append(f"{path.relative_to(ui)}:{number}: {line.strip()}")
    assert found == []
