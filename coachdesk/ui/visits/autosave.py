"""Saving answers as the coach types: debounced per answer, in the order they were made.

Each `answer_changed(path, value)` waits ~300 ms for the next keystroke on the same answer, then
is saved through `save_answer`. Saves run on the GUI thread: one answer is a small write, and
running them in one place keeps their order (a whole-repeat save never overtakes a cell save
made before it). `flush()` saves everything waiting at once: call it when the page is left or
the window closes, so a crash loses at most the last fraction of a second.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from coachdesk.core import visits
from coachdesk.core.changes import ChangeSummary
from coachdesk.core.errors import CoachdeskError
from coachdesk.core.store.profile import Profile

logger = logging.getLogger(__name__)

DEBOUNCE_MS = 300


class AnswerSaver(QObject):
    """Saves a visit's answers; emits `saved(ChangeSummary)` and `failed(message)`."""

    saved = Signal(object)
    failed = Signal(str)
    pending_changed = Signal(bool)  # True while an answer waits to be saved

    def __init__(self, profile: Profile, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.profile = profile
        self.visit_id: str | None = None
        # path -> value, in the order each path first changed since the last save.
        self._waiting: dict[str, Any] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.flush)

    def set_visit(self, visit_id: str | None) -> None:
        """Save what waits for the previous visit, then follow this one."""
        self.flush()
        self.visit_id = visit_id

    def answer_changed(self, path: str, value: Any) -> None:
        """Queue one answer; it is saved after a short pause in typing."""
        if self.visit_id is None:
            return
        # A whole-repeat save replaces every waiting cell save of that repeat before it.
        for waiting in [p for p in self._waiting if p.startswith(f"{path}[")]:
            del self._waiting[waiting]
        self._waiting.pop(path, None)
        self._waiting[path] = value
        self._timer.start()
        self.pending_changed.emit(True)

    def has_pending(self) -> bool:
        return bool(self._waiting)

    def flush(self) -> None:
        """Save every waiting answer now, oldest first."""
        self._timer.stop()
        if not self._waiting or self.visit_id is None:
            self._waiting.clear()
            return
        waiting, self._waiting = self._waiting, {}
        changes = ChangeSummary()
        problems: list[str] = []
        for path, value in waiting.items():
            try:
                changes = changes.merged(
                    visits.save_answer(self.profile, self.visit_id, path, value)
                )
            except CoachdeskError as exc:
                problems.append(str(exc))
            except Exception:  # noqa: BLE001 - a failed save must be reported, not lost
                logger.exception("saving answer %s failed", path)
                problems.append(f"The answer “{path}” could not be saved. Details are in the log.")
        self.pending_changed.emit(False)
        if changes:
            self.saved.emit(changes)
        if problems:
            self.failed.emit("\n".join(problems))
