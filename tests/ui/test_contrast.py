"""Every text is readable (WCAG 2.1 contrast at least 4.5:1) in the light and the dark scheme.

The tour of every area and dialog runs in a child process with a light palette (the offscreen
platform's) or a dark one, and measures the contrast of each visible text on the pixels the
window really paints (tests/ui/contrast.py).
"""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel

from coachdesk.ui import style
from tests.ui.contrast import MINIMUM, contrast
from tests.ui.palettes import dark_palette
from tests.ui.probe_runs import EXPECTED, run_probe

R = QPalette.ColorRole
G = QPalette.ColorGroup


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


# Each text colour of ours with the backgrounds it is drawn on, in both schemes: "window",
# "base" and "card" (a card is the fields' colour in light, alternate-base in dark), or one of
# ours; "text" is the palette's text colour, which the tally, the help and the look-fors use.
TEXT_ON = {
    "subtle": ("window", "base", "card"),
    "danger": ("window", "base", "card", "danger_bg"),
    "warning": ("window", "base", "card"),
    "success": ("window", "base", "card"),
    "accent": ("window", "base", "card", "accent_bg"),
    "note_fg": ("note_bg",),
    "badge_fg": ("badge_bg",),
    "nav_selected_fg": ("nav_selected_bg",),
    "checked_fg": ("checked_bg",),
    "text": ("panel_bg", "current_bg", "note_bg"),
}
# What is not text but must be seen, at 3:1 (WCAG 1.4.11): the current look-for's frame, a
# chosen rating's face, the chart's lines and its status-coloured dots. Card borders, grid
# lines and panel edges are decoration (a card is not a control) and are left out.
GRAPHIC_ON = {
    "current_border": ("current_bg", "card"),
    "checked_bg": ("card", "window"),
    "chart_line": ("card",),
    "chart_target": ("card",),
    "success": ("card",),
    "danger": ("card",),
    "warning": ("card",),
    "subtle": ("card",),
}
GRAPHIC_MINIMUM = 3.0


def _palettes() -> dict[str, QPalette]:
    """The light palette (the offscreen platform's Fusion) and the dark one, as apply_style
    leaves them."""
    found = {}
    for scheme, palette in (
        ("light", QPalette(QApplication.instance().palette())),
        ("dark", dark_palette()),
    ):
        found[scheme] = style.readable_palette(palette) or palette
    return found


def _behind(name: str, palette: QPalette, dark: bool) -> QColor:
    roles = {"window": R.Window, "base": R.Base, "text": R.Text}
    if name == "card":
        return palette.color(R.AlternateBase if dark else R.Base)
    if name in roles:
        return palette.color(roles[name])
    return style.colour(name, dark=dark)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_each_colour_of_ours_is_readable_on_what_it_is_drawn_on(qapp, scheme):
    dark = scheme == "dark"
    palette = _palettes()[scheme]
    low = []
    for pairs, minimum in ((TEXT_ON, MINIMUM), (GRAPHIC_ON, GRAPHIC_MINIMUM)):
        for name, backgrounds in pairs.items():
            for background in backgrounds:
                ratio = contrast(_behind(name, palette, dark), _behind(background, palette, dark))
                if ratio < minimum:
                    low.append(f"{name} on {background} ({scheme}): {ratio:.2f}")
    assert low == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_text_of_the_palette_is_readable_enabled_and_disabled(qapp, scheme):
    """Window, field and button text, placeholders, links visited or not, tooltips, in the
    active, inactive and disabled groups; the selection's text on the selection."""
    palette = _palettes()[scheme]
    low = []
    for group in style.GROUPS:
        for role, backgrounds in style.TEXT_ROLES:
            for background in backgrounds:
                behind = palette.color(group, background)
                shown = style.flat_colour(palette.color(group, role), behind)
                if contrast(shown, behind) < MINIMUM:
                    low.append(f"{group.name} {role.name} on {background.name}")
        if group != G.Disabled:
            selected = contrast(
                palette.color(group, R.HighlightedText), palette.color(group, R.Highlight)
            )
            if selected < MINIMUM:
                low.append(f"{group.name} selection text: {selected:.2f}")
    # The focus frame a field draws in the selection's colour, against the field.
    if contrast(palette.color(R.Highlight), palette.color(R.Base)) < GRAPHIC_MINIMUM:
        low.append("the focus frame on a field")
    assert low == []


def test_the_fusion_palette_needed_these_adjustments(qapp):
    """Without readable_palette the light palette's disabled text (1.6:1), visited links (3.1:1)
    and selection (3.5:1) would fall short; it fixes each and leaves the rest alone."""
    before = QPalette(QApplication.instance().palette())
    before.setColor(G.Disabled, R.ButtonText, QColor("#bebebe"))
    before.setColor(G.Disabled, R.Button, QColor("#efefef"))
    before.setColor(R.LinkVisited, QColor("#ff00ff"))
    before.setColor(R.Highlight, QColor("#308cc6"))
    before.setColor(R.HighlightedText, QColor("#ffffff"))
    after = style.readable_palette(before)
    assert after is not None
    assert contrast(after.color(G.Disabled, R.ButtonText), after.color(G.Disabled, R.Button)) >= 4.5
    assert contrast(after.color(R.LinkVisited), after.color(R.Base)) >= 4.5
    assert contrast(after.color(R.HighlightedText), after.color(R.Highlight)) >= 4.5
    # The disabled text stays greyer than the enabled text: a coach still tells them apart.
    assert contrast(after.color(G.Disabled, R.ButtonText), after.color(R.Button)) < contrast(
        after.color(R.ButtonText), after.color(R.Button)
    )
    assert after.color(R.Text) == before.color(R.Text)


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
