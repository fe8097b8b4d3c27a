"""The background-work helper with real threads: work off the GUI thread, answers back on it."""

from __future__ import annotations

import threading

from coachdesk.ui import work


def test_work_runs_on_a_worker_and_reports_on_the_gui_thread(qtbot):
    work.use_pool(None)  # the real thread pool, not the tests' synchronous one
    seen: dict[str, object] = {}

    def job(progress):
        seen["job_thread"] = threading.current_thread()
        progress(1, 2)
        return 42

    def done(result):
        seen["result"] = result
        seen["callback_thread"] = threading.current_thread()

    work.run_in_background(None, job, on_success=done, label="Working…")
    qtbot.waitUntil(lambda: "result" in seen, timeout=5000)
    assert seen["result"] == 42
    assert seen["job_thread"] is not threading.main_thread()
    assert seen["callback_thread"] is threading.main_thread()


def test_a_failure_reaches_the_failure_handler_on_the_gui_thread(qtbot):
    work.use_pool(None)
    seen: dict[str, object] = {}

    def job():
        raise OSError(28, "No space left on device")

    def failed(exc):
        seen["exc"] = exc
        seen["thread"] = threading.current_thread()

    work.run_in_background(None, job, on_failure=failed)
    qtbot.waitUntil(lambda: "exc" in seen, timeout=5000)
    assert isinstance(seen["exc"], OSError)
    assert seen["thread"] is threading.main_thread()


def test_an_unhandled_failure_is_shown_as_a_sentence(qtbot, scripted_dialogs):
    work.run_in_background(
        None, lambda: (_ for _ in ()).throw(OSError(28, "No space left on device"))
    )
    assert scripted_dialogs.errors() == [
        "The computer refused: No space left on device. Nothing was changed."
    ]


def test_the_progress_bar_a_screen_reader_reaches_is_named_by_the_work(qtbot):
    from PySide6.QtWidgets import QProgressBar, QWidget

    parent = QWidget()
    qtbot.addWidget(parent)
    dialog = work._progress_dialog(parent, "Importing bundles…")
    bars = dialog.findChildren(QProgressBar)
    assert bars and [bar.accessibleName() for bar in bars] == ["Importing bundles…"]
    assert dialog.accessibleName() == "Importing bundles…"
    dialog.deleteLater()
