"""Starting the app: open (or recover) the profile, show the window, report failures kindly."""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from coachdesk.core.dates_text import clock_time, long_date
from coachdesk.core.errors import DamagedProfileError, NewerProfileError
from coachdesk.core.logs import setup_logging
from coachdesk.core.store.profile import DB_NAME, Profile, open_profile
from coachdesk.ui import dialogs
from coachdesk.ui.icons import set_app_icon
from coachdesk.ui.style import apply_style

logger = logging.getLogger(__name__)


def run_app(profile_dir: Path, *, smoke_test: bool = False, started: float | None = None) -> int:
    """Open the window on the profile; returns the process exit code."""
    started = started if started is not None else time.perf_counter()
    if not _display_available():
        if not smoke_test:
            print(
                "coachdesk: there is no display to open the window on (DISPLAY and "
                "WAYLAND_DISPLAY are not set). The command-line tools work without one; "
                "see `coachdesk --help`.",
                file=sys.stderr,
            )
            return 1
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # a smoke test needs no screen
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("coachdesk")
    app.setApplicationDisplayName("coachdesk")
    set_app_icon(app)  # every window and dialog, and the taskbar's icon on Wayland
    apply_style(app)  # follows the light or dark scheme and the font size
    log_path = setup_logging(profile_dir)
    install_excepthook(log_path)

    first_run = not (profile_dir / DB_NAME).exists()
    # After a clean shutdown the file's full integrity scan runs after the first paint; after a
    # crash (the session marker is still there) it runs before anything is shown.
    marker = profile_dir / SESSION_MARKER
    crashed = marker.exists()
    profile = open_or_recover(profile_dir, full_check=crashed)
    if profile is None:
        return 1
    _mark_session_open(marker)
    windows: list = []  # keeps the window alive while the event loop runs

    def open_window() -> None:
        windows.append(
            _show_window(
                app,
                profile,
                smoke_test=smoke_test,
                started=started,
                first_run=first_run,
                checked=crashed,
            )
        )

    if first_run:
        # Loading the demo takes seconds: do it off the GUI thread behind a progress dialog,
        # so the first launch shows something at once, then open the window on the result.
        from coachdesk.core.demo import load_demo
        from coachdesk.ui.work import run_in_background

        def demo_failed(exc: BaseException) -> None:
            dialogs.show_error(None, "The demo caseload could not be loaded", dialogs.describe(exc))
            open_window()

        run_in_background(
            None,
            lambda: load_demo(profile),
            on_success=lambda _result: open_window(),
            on_failure=demo_failed,
            label="Setting up your profile with the demo caseload…",
        )
    else:
        open_window()
    code = app.exec()
    profile.close()
    marker.unlink(missing_ok=True)
    return code


def _show_window(
    app, profile: Profile, *, smoke_test: bool, started: float, first_run: bool, checked: bool
):
    from coachdesk.ui.main_window import MainWindow

    window = MainWindow(profile)
    if smoke_test:
        window.show_area("caseload")  # the measured first view, whatever was open last time

        def report() -> None:
            print(round((time.perf_counter() - started) * 1000))
            window.close()
            app.quit()

        # Queued: the paint event finishes (the pixels are there) before we stop.
        window.caseload.list_view.first_paint_with_data.connect(
            lambda: QTimer.singleShot(0, report)
        )
        QTimer.singleShot(30_000, lambda: (print("smoke test: no data painted"), app.exit(1)))
    else:
        if first_run:
            window.statusBar().showMessage(
                "Welcome. This is the demo caseload: fictional schools to try coachdesk with.",
                20_000,
            )
        # After the first paint: the integrity scan (unless done already), the ORM's warm-up
        # for the school page, and the daily backup.
        QTimer.singleShot(0, lambda: _after_first_paint(window, checked=checked))
    window.show()
    return window


SESSION_MARKER = "session-open"


def _mark_session_open(marker: Path) -> None:
    try:
        marker.write_text(f"{os.getpid()}\n")
    except OSError:
        logger.warning("could not write %s; the next start will run the full check", marker)


def _display_available() -> bool:
    """False on a Linux machine with no screen, where Qt would abort instead of explaining."""
    if QApplication.instance() is not None or os.environ.get("QT_QPA_PLATFORM"):
        return True
    if not sys.platform.startswith("linux"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _after_first_paint(window, *, checked: bool) -> None:
    from coachdesk.ui.work import run_in_background

    def warm_up() -> None:
        import coachdesk.core.schools  # noqa: F401  (the ORM and the models)

    window.load_due_badges()
    run_in_background(window, warm_up, on_failure=lambda exc: logger.warning("warm-up: %s", exc))
    if checked:
        window.profile_actions.daily_backup_if_due()
    else:
        window.profile_actions.check_integrity_then_back_up()


def open_or_recover(profile_dir: Path, *, full_check: bool = True) -> Profile | None:
    """Open the profile; on a damaged one, offer the latest good backup. None: give up."""
    try:
        return open_profile(profile_dir, full_check=full_check)
    except NewerProfileError as exc:
        dialogs.show_error(None, "This profile is from a newer coachdesk", str(exc))
        return None
    except DamagedProfileError as exc:
        return _offer_restore(profile_dir, exc)


def _offer_restore(profile_dir: Path, exc: DamagedProfileError) -> Profile | None:
    from coachdesk.core.store import backups

    logger.error("damaged profile: %s", exc)
    if exc.latest_backup is None:
        dialogs.show_error(
            None,
            "The profile cannot be opened",
            f"{exc} No good backup was found in {profile_dir / 'backups'}. The file has not "
            "been changed; keep it and ask for help recovering it.",
        )
        return None
    taken = backups.list_backups(profile_dir / "backups")
    when = next((b.taken_at for b in taken if b.path == exc.latest_backup), None)
    when_text = f" from {long_date(when.astimezone())} at {clock_time(when)}" if when else ""
    if not dialogs.confirm(
        None,
        "The profile cannot be opened",
        f"{exc}\n\nRestore the latest good backup{when_text}? The damaged file is kept aside "
        "in the profile folder, not deleted.",
        yes="Restore the backup",
    ):
        return None
    backups.restore(profile_dir, exc.latest_backup)
    return open_profile(profile_dir)


def install_excepthook(log_path: Path) -> None:
    """Unexpected errors are logged and shown in a dialog; the app keeps running."""

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        logger.error("unexpected error", exc_info=(kind, value, tb))
        if QApplication.instance() is not None:
            dialogs.show_error(
                None,
                "Something went wrong",
                f"{dialogs.describe(value)}\n\nDetails were written to {log_path}.",
            )

    sys.excepthook = hook
    threading.excepthook = lambda args: logger.error(
        "unexpected error in a background thread",
        exc_info=(args.exc_type, args.exc_value, args.exc_traceback),
    )
