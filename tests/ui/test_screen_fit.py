"""Every window and dialog fits an ordinary laptop's screen: 1366x768 and 1024x640.

The screen's size is fixed when Qt starts, so each size runs the tour of every area and dialog
(tests/ui/tour.py) in a child process whose offscreen screen has that size.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, QSize
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from coachdesk.ui.screen_fit import available_geometry, fit_dialog, fit_window, largest_size
from tests.ui.probe_runs import EXPECTED, run_probe


@pytest.mark.parametrize("width, height", [(1366, 768), (1024, 640)], ids=["1366x768", "1024x640"])
def test_every_window_and_dialog_fits_the_screen(demo_template, tmp_path, width, height):
    report = run_probe(demo_template, tmp_path, width, height)
    assert report["screen"] == [width, height]
    assert EXPECTED <= set(report["looked_at"])
    # Buttons off screen, windows larger than it, the walk's current look-for out of view, the
    # visit's follow-up hidden: none of them.
    assert report["problems"] == []
    window_width, window_height = report["window"]
    assert window_width <= width and window_height <= height


def test_the_main_window_opens_at_its_size_when_the_screen_has_room(qtbot):
    window = QWidget()
    qtbot.addWidget(window)
    fit_window(window, QSize(300, 200))
    assert window.size() == QSize(300, 200)
    assert available_geometry(window).contains(window.geometry())


def test_a_wish_larger_than_the_screen_is_capped(qtbot):
    window = QWidget()
    qtbot.addWidget(window)
    fit_window(window, QSize(5000, 4000))
    room = largest_size(window)
    assert window.width() <= room.width() and window.height() <= room.height()
    assert available_geometry(window).contains(window.geometry())


def test_a_saved_geometry_is_restored_only_when_it_fits(qtbot):
    area = available_geometry()
    small = QWidget()
    qtbot.addWidget(small)
    small.setGeometry(QRect(area.x() + 40, area.y() + 50, 320, 240))
    saved_small = small.saveGeometry()
    # Saved on a large monitor, opened on the laptop: larger than the laptop's screen.
    large = QWidget()
    qtbot.addWidget(large)
    large.setGeometry(QRect(area.x(), area.y(), area.width() + 900, area.height() + 700))
    saved_large = large.saveGeometry()

    again = QWidget()
    qtbot.addWidget(again)
    fit_window(again, QSize(600, 400), saved_geometry=saved_small)
    assert again.geometry() == QRect(area.x() + 40, area.y() + 50, 320, 240)

    too_big = QWidget()
    qtbot.addWidget(too_big)
    fit_window(too_big, QSize(600, 400), saved_geometry=saved_large)
    assert too_big.size() == QSize(600, 400).boundedTo(largest_size(too_big))
    assert area.contains(too_big.geometry())


def test_a_dialog_taller_than_the_screen_is_capped_and_keeps_its_buttons(qtbot):
    dialog = QDialog()
    qtbot.addWidget(dialog)
    layout = QVBoxLayout(dialog)
    text = QLabel("A long list of imported rows")
    text.setMinimumHeight(50)
    layout.addWidget(text, 1)
    button = QPushButton("Import")
    layout.addWidget(button)
    dialog.resize(700, available_geometry().height() + 400)
    fit_dialog(dialog)
    assert dialog.height() <= largest_size(dialog).height()
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.rect().contains(button.geometry())


def test_a_maximised_window_stays_maximised(qtbot):
    first = QWidget()
    qtbot.addWidget(first)
    first.showMaximized()
    qtbot.waitExposed(first)
    saved = first.saveGeometry()
    again = QWidget()
    qtbot.addWidget(again)
    fit_window(again, QSize(600, 400), saved_geometry=saved)
    again.show()
    qtbot.waitExposed(again)
    assert again.isMaximized()
