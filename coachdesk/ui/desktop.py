"""Handing things to the desktop (a folder to the file manager), through one seam tests replace.

    desktop.show_folder(path)             # False when no file manager would open it

Like dialogs.presenter: nothing in a test opens a real file manager window.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

logger = logging.getLogger(__name__)


def _open_with_the_desktop(url: QUrl) -> bool:
    return QDesktopServices.openUrl(url)


opener: Callable[[QUrl], bool] = _open_with_the_desktop


def show_folder(folder: Path) -> bool:
    """Open the folder in the system's file manager; False if the desktop refused."""
    opened = opener(QUrl.fromLocalFile(str(folder)))
    if not opened:
        logger.warning("the desktop did not open %s", folder)
    return opened


def replace_opener(new: Callable[[QUrl], bool]) -> Callable[[], None]:
    """Swap the opener; returns a function that puts the previous one back."""
    global opener
    previous, opener = opener, new
    return lambda: _restore(previous)


def _restore(previous: Callable[[QUrl], bool]) -> None:
    global opener
    opener = previous
