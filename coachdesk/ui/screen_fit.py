"""Windows and dialogs sized to the screen they open on, down to a 1024x640 laptop.

A window asks for the size it would like; it gets that size or the screen's available area,
whichever is smaller, so its buttons are never below the taskbar. A remembered window geometry
is restored only when it still fits the screen it is on now (a laptop undocked from a monitor).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QByteArray, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

logger = logging.getLogger(__name__)

# Room for the title bar and borders the window manager adds around a window's contents.
FRAME_ALLOWANCE = QSize(12, 36)


def available_geometry(widget: QWidget | None = None) -> QRect:
    """The part of the widget's screen (or its parent's, or the primary one) free for windows."""
    screen = None
    if widget is not None:
        parent = widget.parentWidget()
        screen = (parent.window() if parent is not None else widget).screen()
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def largest_size(widget: QWidget | None = None) -> QSize:
    """The largest contents size a window can have and still show its frame on screen."""
    return available_geometry(widget).size() - FRAME_ALLOWANCE


def fit_window(
    window: QWidget, preferred: QSize, *, saved_geometry: QByteArray | bytes | None = None
) -> None:
    """Restore a saved geometry when it fits the screen, else use `preferred`, capped, centred."""
    area = available_geometry(window)
    room = largest_size(window)
    if saved_geometry and window.restoreGeometry(QByteArray(saved_geometry)):
        # Qt squeezes a geometry too large for this screen to the screen's edges (frame and
        # all off screen): only a size that leaves room for the frame counts as fitting.
        if window.windowState() & Qt.WindowState.WindowMaximized:
            return  # a maximised window fills whatever screen it opens on
        size = window.size()
        fits = size.width() <= room.width() and size.height() <= room.height()
        if fits and area.contains(window.geometry()):
            return
        logger.info("the remembered window size does not fit this screen; using %s", area.size())
        window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMaximized)
    size = preferred.boundedTo(room)
    window.resize(size)
    window.move(
        area.x() + max(0, (area.width() - size.width()) // 2),
        area.y() + max(0, (area.height() - size.height() - FRAME_ALLOWANCE.height()) // 2),
    )


def fit_dialog(dialog: QWidget) -> None:
    """Cap a dialog about to open at the screen's size (Qt then centres it on its parent)."""
    wanted = dialog.size() if dialog.testAttribute(Qt.WidgetAttribute.WA_Resized) else None
    wanted = wanted or dialog.sizeHint()
    capped = wanted.boundedTo(largest_size(dialog))
    if capped != wanted or not dialog.testAttribute(Qt.WidgetAttribute.WA_Resized):
        dialog.resize(capped)
