"""Sizes follow the coach's font setting, and nothing is cut off at one and a half and twice the
text size, or on a screen the system scales one and a half times (WCAG 2.1, 1.4.4).

The probe (tests/ui/screen_probe.py) opens every area and dialog in a child process; a label,
button, field or choice too small for its text, a layout given less than it needs, a scrolled
area or list that cannot reach all it holds, or a button off the screen is a problem."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from coachdesk.ui import style
from tests.ui.probe_runs import EXPECTED, run_probe

UI = Path(style.__file__).parent


@pytest.mark.parametrize("width, height", [(1366, 768), (1024, 640)], ids=["1366x768", "1024x640"])
def test_nothing_is_cut_off_at_one_and_a_half_times_the_font(
    demo_template, tmp_path, width, height
):
    report = run_probe(demo_template, tmp_path, width, height, "--font-scale", "1.5")
    assert EXPECTED <= set(report["looked_at"])
    # Every label, button, field and choice shows all of its text, no layout is squeezed, every
    # scrolled page reaches all it holds, and every button stays on the screen.
    assert report["problems"] == []


@pytest.mark.parametrize("width, height", [(1366, 768), (1024, 640)], ids=["1366x768", "1024x640"])
def test_nothing_is_cut_off_on_a_screen_scaled_one_and_a_half_times(
    demo_template, tmp_path, width, height
):
    """A coach's 150% display setting (QT_SCALE_FACTOR=1.5) on a screen with this much room."""
    report = run_probe(demo_template, tmp_path, width, height, "--clipping", scale=1.5)
    assert report["screen"] == [width, height]  # the room the window has, in scaled pixels
    assert EXPECTED <= set(report["looked_at"])
    # No label, button, field or list of choices cuts its text, no layout is squeezed, every
    # scrolled page reaches all it holds, and every button is on the screen.
    assert report["problems"] == []


@pytest.mark.parametrize("width, height", [(1366, 768), (1024, 640)], ids=["1366x768", "1024x640"])
def test_nothing_is_cut_off_at_twice_the_text_size(demo_template, tmp_path, width, height):
    """WCAG 1.4.4: text at 200%. Even on a 1024x640 screen the window fits, every button is on
    it and nothing is cut: rows of buttons and filters wrap, long titles wrap whole, and a page
    short of room scrolls (tests/ui/test_fit_*.py hold each area to an 800x520 room)."""
    report = run_probe(demo_template, tmp_path, width, height, "--font-scale", "2")
    assert EXPECTED <= set(report["looked_at"])
    assert report["problems"] == []


def test_today_fits_a_small_screen_at_twice_the_text_size(qtbot, demo_dir):
    """The filters wrap onto a second line and the calendar side scrolls: Today needs no more
    than the room a 1024x640 window gives it (the list of areas, the menu and the status bar
    take the rest)."""
    from PySide6.QtWidgets import QPushButton

    from coachdesk.core.store.profile import open_profile
    from coachdesk.ui.today.today_view import TodayView
    from tests.ui.screen_probe import clipped_controls

    view = TodayView(open_profile(demo_dir))
    qtbot.addWidget(view)
    font = view.font()
    font.setPointSizeF(font.pointSizeF() * 2)
    view.setFont(font)
    room = (800, 520)
    needs = view.minimumSizeHint()
    assert needs.width() <= room[0] and needs.height() <= room[1]
    view.resize(*room)
    view.show()
    qtbot.waitExposed(view)
    refresh = next(b for b in view.findChildren(QPushButton) if b.text() == "Refresh")
    corner = refresh.mapTo(view, refresh.rect().bottomRight())
    assert view.rect().contains(corner)  # the last of the filter row is on the screen
    below = view.filters.mapTo(view, view.filters.rect().bottomLeft()).y()
    assert refresh.mapTo(view, refresh.rect().topLeft()).y() > below  # a line below the filters
    assert clipped_controls("today", view) == []


def test_the_probe_sees_text_cut_off_a_squeezed_layout_and_a_page_out_of_reach(qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import (
        QComboBox,
        QLabel,
        QLineEdit,
        QPushButton,
        QScrollArea,
        QVBoxLayout,
        QWidget,
    )

    from tests.ui.screen_probe import clipped_controls

    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    button = QPushButton("Record a measurement…")
    button.setFixedWidth(60)
    time = QLineEdit("11:00 AM")
    time.setAccessibleName("Ended")
    time.setMaximumWidth(30)
    choice = QComboBox()
    choice.addItems(["not started", "developing"])
    choice.setFixedWidth(50)
    page = QScrollArea()
    page.setWidgetResizable(True)
    page.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    inside = QLabel("A line far wider than the page that holds it, with no scroll bar to reach")
    inside.setMinimumWidth(900)
    page.setWidget(inside)
    page.setFixedWidth(200)
    for widget in (button, time, choice, page):
        layout.addWidget(widget)
    window.show()
    qtbot.waitExposed(window)
    found = clipped_controls("test", window)
    assert any("the button 'Record a measurement…'" in p for p in found)
    assert any("the field 'Ended'" in p and "'11:00 AM'" in p for p in found)
    assert any("the choice" in p and "'not started'" in p for p in found)
    assert any("the scrolled area" in p and "no scroll bar reaches" in p for p in found)
    # Given room, nothing is reported.
    for widget in (button, time, choice):
        widget.setMinimumWidth(0)
        widget.setMaximumWidth(10_000)
    page.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    window.resize(1000, 400)
    qtbot.waitUntil(lambda: clipped_controls("test", window) == [])


def _sizes(sheet: str) -> list[float]:
    return [float(n) for n in re.findall(r"font-size:\s*([0-9.]+)pt", sheet)]


def test_the_style_sheet_scales_every_font_size_with_the_application_font():
    normal = _sizes(style.style_sheet(dark=False, base_pt=9.0))
    larger = _sizes(style.style_sheet(dark=False, base_pt=13.5))
    assert normal and len(normal) == len(larger)
    for small, large in zip(normal, larger, strict=True):
        assert abs(large - small * 1.5) <= 0.15  # each is rounded to a tenth of a point
    title = _sizes(style.style_sheet(dark=True, base_pt=10.0))[0]
    assert title == 10.0 * style.TITLE_SCALE  # the area title: a multiple of the base


def test_no_widget_sets_a_fixed_font_size_of_its_own():
    fixed = []
    for path in UI.rglob("*.py"):
        if path.name == "style.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"font-size\s*:|setPointSize\(|setPixelSize\(", line):
                fixed.append(f"{path.relative_to(UI)}:{number}: {line.strip()}")
    assert fixed == []
