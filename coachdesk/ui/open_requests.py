"""Files the coach asked coachdesk to open from outside the window: `coachdesk FILE`, a
double-click in the file manager, macOS's open-file event, or a second launch on this profile.

    requests = OpenRequests(app)
    requests.add([path])                  # any time, even before the window exists
    requests.attach(window)               # from now on: come forward and import what arrives

Each file is reviewed and imported as a file dropped on the window is (SyncActions.import_paths):
verified, decrypted if it is for us, merged, and what changed is shown.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from coachdesk.ui.main_window import MainWindow

logger = logging.getLogger(__name__)


class OpenRequests(QObject):
    """Holds requested files until the window is there, then hands them to it."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._waiting: list[Path] = []
        self._window: MainWindow | None = None

    def add(self, paths: list[Path]) -> None:
        """Open these files (none: only bring the window forward)."""
        self._waiting.extend(Path(p) for p in paths)
        if self._window is not None:
            self._deliver()

    def attach(self, window: MainWindow) -> None:
        """The window to import into; files that came before it are imported now."""
        self._window = window
        if self._waiting:
            self._deliver()

    def waiting(self) -> list[Path]:
        return list(self._waiting)

    def _deliver(self) -> None:
        window = self._window
        assert window is not None
        paths, self._waiting = self._waiting, []
        bring_forward(window)
        if paths:
            logger.info("opening %s", ", ".join(str(p) for p in paths))
            window.sync_actions.import_paths(paths)

    def take_file_open(self, event: QEvent) -> bool:
        """Handle macOS's open-file event (a double-clicked bundle); True if it was one.

        The application passes its own events here (CoachdeskApplication.event): a filter on
        the application would see every event of every widget, and slow typing by half.
        """
        if event.type() != QEvent.Type.FileOpen:
            return False
        path = event.file() or event.url().toLocalFile()  # type: ignore[attr-defined]
        if not path:
            return False
        self.add([Path(path)])
        return True


def bring_forward(window: QWidget) -> None:
    """Show the window in front of the others, restored if it was minimised."""
    if window.isMinimized():
        window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
    window.show()
    window.raise_()
    window.activateWindow()
