"""The one way to run work off the GUI thread (DESIGN.md section 2).

    run_in_background(parent, backup_now, on_success=..., label="Backing up…")

runs `fn` on a worker thread and calls `on_success(result)` or `on_failure(exc)` back on the GUI
thread. A failure with no handler is shown in a dialog. With a `label`, a progress dialog appears
if the work takes longer than a moment; `fn` may accept a `progress` keyword, a callable taking
(done, total), to move its bar. Database writes are serialised by the Profile's write lock, so
work that writes may run here safely.

Tests swap the thread pool for `SynchronousPool`, which runs the work at once on the calling
thread, so they stay deterministic.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressBar, QProgressDialog, QWidget

from coachdesk.ui import dialogs

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]


class _Signals(QObject):
    """Carries a job's outcome to the GUI thread.

    Created on the GUI thread, so its slots run there: a worker thread's emit is queued to them,
    while the synchronous test pool's emit (already on the GUI thread) calls them directly.
    """

    succeeded = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, int)

    def __init__(
        self,
        on_success: Callable[[Any], None],
        on_failure: Callable[[Any], None],
        on_progress: Callable[[int, int], None],
    ) -> None:
        super().__init__()
        self._on_success, self._on_failure, self._on_progress = on_success, on_failure, on_progress
        self.succeeded.connect(self._succeed)
        self.failed.connect(self._fail)
        self.progressed.connect(self._progress)

    @Slot(object)
    def _succeed(self, result: Any) -> None:
        self._on_success(result)

    @Slot(object)
    def _fail(self, exc: Any) -> None:
        self._on_failure(exc)

    @Slot(int, int)
    def _progress(self, done: int, total: int) -> None:
        self._on_progress(done, total)


class _Job(QRunnable):
    def __init__(self, fn: Callable[..., Any], signals: _Signals, *, wants_progress: bool) -> None:
        super().__init__()
        self.fn = fn
        self.signals = signals
        self.wants_progress = wants_progress

    def run(self) -> None:
        try:
            if self.wants_progress:
                result = self.fn(
                    progress=lambda done, total: self.signals.progressed.emit(done, total)
                )
            else:
                result = self.fn()
        except BaseException as exc:  # handed to the GUI thread, never lost on the worker
            logger.exception("background work failed")
            self.signals.failed.emit(exc)
        else:
            self.signals.succeeded.emit(result)


class SynchronousPool:
    """Runs each job at once on the calling thread (for tests)."""

    def start(self, job: QRunnable) -> None:
        job.run()


_pool: Any = None
_running: set[_Signals] = set()


def use_pool(pool: Any) -> None:
    """Replace the thread pool (tests pass a SynchronousPool); None restores the global one."""
    global _pool
    _pool = pool


def _current_pool() -> Any:
    return _pool if _pool is not None else QThreadPool.globalInstance()


def run_in_background(
    parent: QWidget | None,
    fn: Callable[..., Any],
    *,
    on_success: Callable[[Any], None] | None = None,
    on_failure: Callable[[BaseException], None] | None = None,
    label: str | None = None,
) -> None:
    """Run fn off the GUI thread; see the module docstring."""
    bar = _progress_dialog(parent, label) if label else None

    def finish() -> None:
        _running.discard(signals)
        if bar is not None:
            bar.setProperty("finished", True)  # its clock must not start after this
            bar.reset()
            bar.deleteLater()

    def succeeded(result: Any) -> None:
        finish()
        if on_success is not None:
            on_success(result)

    def failed(exc: BaseException) -> None:
        finish()
        if on_failure is not None:
            on_failure(exc)
        else:
            dialogs.show_error(parent, "That did not work", dialogs.describe(exc))

    def progressed(done: int, total: int) -> None:
        if bar is not None:
            bar.setMaximum(max(total, 1))
            bar.setValue(done)

    signals = _Signals(succeeded, failed, progressed)
    _running.add(signals)  # keep the QObject alive until the job reports back
    wants_progress = _accepts_progress(fn)
    _current_pool().start(_Job(fn, signals, wants_progress=wants_progress))


def _accepts_progress(fn: Callable[..., Any]) -> bool:
    code = getattr(getattr(fn, "__func__", fn), "__code__", None)
    if code is not None:
        return "progress" in code.co_varnames[: code.co_argcount + code.co_kwonlyargcount]
    import inspect  # partials and other callables: rare, and inspect is slow to import

    return "progress" in inspect.signature(fn).parameters


def _progress_dialog(parent: QWidget | None, label: str) -> QProgressDialog:
    bar = QProgressDialog(label, "", 0, 0, parent)
    bar.setCancelButton(None)  # work that writes cannot be stopped half-way
    bar.setWindowTitle("coachdesk")
    bar.setWindowModality(Qt.WindowModality.WindowModal)
    bar.setMinimumDuration(400)  # quick work finishes before any bar flashes up
    bar.setAccessibleName(label)
    for inner in bar.findChildren(QProgressBar):  # the bar itself is what a screen reader reaches
        inner.setAccessibleName(label)
    bar.setAutoClose(False)
    bar.setAutoReset(False)
    # Starts the minimum-duration clock; skipped once work has reported progress, which this
    # would otherwise rewind (a modal bar's setValue runs pending events, this timer among them).
    # Not once the work has finished (reset puts the value back below 0): a bar started then
    # shows itself later over a parent that may be gone.
    QTimer.singleShot(
        0,
        bar,
        lambda: (
            not bar.property("finished")
            and bar.maximum() == 0
            and bar.value() < 0
            and bar.setValue(0)
        ),
    )
    return bar
