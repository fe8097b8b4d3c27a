"""Starting the app: take the profile (one coachdesk per profile), open or recover it, show the
window, report failures kindly. A second launch on the same profile hands its request to the
first (single_instance.py); files to open arrive through OpenRequests (open_requests.py).
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QEvent, QTimer
from PySide6.QtWidgets import QApplication

from coachdesk.core.dates_text import clock_time, long_date
from coachdesk.core.errors import CoachdeskError, DamagedProfileError, NewerProfileError
from coachdesk.core.logs import enable_crash_log, setup_logging
from coachdesk.core.store.profile import DB_NAME, Profile, make_owner_only, open_profile
from coachdesk.ui import dialogs
from coachdesk.ui.icons import set_app_icon
from coachdesk.ui.open_requests import OpenRequests
from coachdesk.ui.qt_messages import install_qt_message_handler
from coachdesk.ui.single_instance import LaunchListener, ProfileLock, hand_over
from coachdesk.ui.smoke_test import StderrPresenter, say
from coachdesk.ui.style import apply_style

logger = logging.getLogger(__name__)


class CoachdeskApplication(QApplication):
    """The application; on macOS it receives double-clicked files as FileOpen events."""

    open_requests: OpenRequests | None = None

    def event(self, event: QEvent) -> bool:
        if self.open_requests is not None and self.open_requests.take_file_open(event):
            return True
        return super().event(event)


def run_app(
    profile_dir: Path,
    *,
    smoke_test: bool = False,
    started: float | None = None,
    open_paths: Sequence[Path] = (),
) -> int:
    """Open the window on the profile (and import `open_paths`); returns the exit code.

    When coachdesk is already open on this profile, asks it to come forward (and import the
    files) instead, and returns.
    """
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
    try:
        profile_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        say(f"the profile folder {profile_dir} cannot be created: {exc.strerror}.")
        return 1
    make_owner_only(profile_dir)
    lock = ProfileLock(profile_dir)
    if not lock.acquire():
        return _already_open(profile_dir, lock, list(open_paths), smoke_test=smoke_test)
    try:
        return _run_holding_the_lock(
            profile_dir, smoke_test=smoke_test, started=started, open_paths=open_paths
        )
    finally:
        lock.release()


def _already_open(
    profile_dir: Path, lock: ProfileLock, paths: list[Path], *, smoke_test: bool
) -> int:
    """The second launch on a profile: bring the first forward (with the files) and leave."""
    if smoke_test:
        say(
            f"the profile {profile_dir} is open in another coachdesk; close it to run the "
            "smoke test."
        )
        return 1
    if hand_over(profile_dir, paths, owner_pid=lock.owner_pid()):
        importing = f" It is importing {', '.join(p.name for p in paths)}." if paths else ""
        print(
            f"coachdesk is already open on the profile {profile_dir}: its window was brought "
            f"forward.{importing}"
        )
        return 0
    text = (
        f"The profile {profile_dir} is open in another coachdesk, which is not answering. "
        "Switch to that window, or close it, then start coachdesk again."
    )
    say(text)
    if sys.stderr is None:  # the windowed coachdesk.exe has no console to say it on
        _app = QApplication.instance() or QApplication(sys.argv[:1])
        dialogs.show_error(None, "coachdesk is already open", text)
    return 1


def _run_holding_the_lock(
    profile_dir: Path, *, smoke_test: bool, started: float, open_paths: Sequence[Path]
) -> int:
    log_path = setup_logging(profile_dir)
    enable_crash_log(profile_dir)
    install_qt_message_handler()  # before the application, to catch the platform plugin's
    app = QApplication.instance() or CoachdeskApplication(sys.argv[:1])
    app.setApplicationName("coachdesk")
    app.setApplicationDisplayName("coachdesk")
    set_app_icon(app)  # every window and dialog, and the taskbar's icon on Wayland
    apply_style(app)  # follows the light or dark scheme and the font size
    install_excepthook(log_path)
    # Unattended, every dialog is answered on stderr instead: nothing may wait on a modal.
    unattended = StderrPresenter(stop=lambda: app.exit(1)) if smoke_test else None
    restore_presenter = dialogs.replace_presenter(unattended) if unattended else None
    try:
        code = _open_the_window(
            app, profile_dir, smoke_test=smoke_test, started=started, open_paths=open_paths
        )
        if unattended is not None and unattended.failed:
            code = code or 1  # an error was "shown": the smoke test failed
        return code
    finally:
        if restore_presenter is not None:
            restore_presenter()


def _open_the_window(
    app: QApplication,
    profile_dir: Path,
    *,
    smoke_test: bool,
    started: float,
    open_paths: Sequence[Path],
) -> int:
    first_run = not (profile_dir / DB_NAME).exists()
    # After a clean shutdown the file's full integrity scan runs after the first paint; after a
    # crash (the session marker is still there) it runs before anything is shown. We hold the
    # profile's lock, so a marker here is not another window's.
    marker = profile_dir / SESSION_MARKER
    crashed = marker.exists()
    if crashed:
        logger.warning("the last session did not end cleanly (crash.log may say why)")
    profile = open_or_recover(profile_dir, full_check=crashed, interactive=not smoke_test)
    if profile is None:
        return 1
    marked = _mark_session_open(marker)
    windows: list = []  # keeps the window alive while the event loop runs

    # Files to open: from the command line, later launches, and macOS's FileOpen events.
    requests = OpenRequests(app)
    requests.add(list(open_paths))
    if isinstance(app, CoachdeskApplication):
        app.open_requests = requests
    listener = LaunchListener(profile_dir)
    listener.requested.connect(requests.add)
    # A moment after the loop starts: QtNetwork and the socket (~8 ms) stay off the path to the
    # first paint, and a later launch waits for the listener (single_instance.hand_over).
    QTimer.singleShot(LISTEN_AFTER_MS, listener.listen)

    def open_window() -> None:
        window = _show_window(
            app,
            profile,
            smoke_test=smoke_test,
            started=started,
            first_run=first_run,
            checked=crashed,
        )
        windows.append(window)
        if not smoke_test:
            QTimer.singleShot(0, lambda: requests.attach(window))
        return window

    if first_run:
        # A new profile: ask whether to set up the coach's own caseload or load the demo (the
        # smoke test, unattended, loads the demo, as a developer's first `bash dev run` does).
        from coachdesk.ui.first_run import start_new_profile

        start_new_profile(profile, open_window, ask=not smoke_test)
    else:
        open_window()
    try:
        return app.exec()
    finally:
        listener.close()
        if isinstance(app, CoachdeskApplication):
            app.open_requests = None
        profile.close()
        if marked:
            marker.unlink(missing_ok=True)


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
        # After the first paint: the integrity scan (unless done already), the ORM's warm-up
        # for the school page, and the daily backup.
        QTimer.singleShot(0, lambda: _after_first_paint(window, checked=checked))
    window.show()
    return window


SESSION_MARKER = "session-open"
LISTEN_AFTER_MS = 1000


def _mark_session_open(marker: Path) -> bool:
    try:
        marker.write_text(f"{os.getpid()}\n")
    except OSError:
        logger.warning("could not write %s; the next start will run the full check", marker)
        return False
    return True


def _display_available() -> bool:
    """False on a Linux machine with no screen, where Qt would abort instead of explaining."""
    if QApplication.instance() is not None or os.environ.get("QT_QPA_PLATFORM"):
        return True
    if not sys.platform.startswith("linux"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _after_first_paint(window, *, checked: bool) -> None:
    window.load_due_badges()
    window.offer_rollup()
    warm_up_in_idle_time(window)
    # Changes held back for being stamped ahead merge once this laptop's clock has reached them.
    window.sync_actions.merge_held_due()
    if checked:
        window.profile_actions.daily_backup_if_due()
    else:
        window.profile_actions.check_integrity_then_back_up()


# What opening a school and then a visit imports, in the order the first click needs it: the
# ORM and the models (about 100 ms, the largest step), the services, then the pages' modules.
WARM_UP = (
    "coachdesk.core.store.all_tables",
    "coachdesk.core.store.changelog",
    "coachdesk.core.schools",
    "coachdesk.core.visits",
    "coachdesk.core.forms",
    "coachdesk.core.tracking_records",
    "coachdesk.ui.caseload.school_page",
    "coachdesk.ui.visits.visit_page",
)


def warm_up_in_idle_time(
    window, modules: Sequence[str] = WARM_UP, *, done: Callable[[], None] | None = None
) -> None:
    """Import `modules` on the GUI thread, one per turn of the event loop, after the first paint.

    A click that arrives meanwhile is handled between two imports and finds what is done loaded
    (and imports the rest itself, as it would have). On the GUI thread rather than a worker: an
    import in a thread holds the import lock the click's own imports then wait for, and shares
    the interpreter with the GUI anyway. Stops when the window is gone; `done` is called after
    the last import (benchmarks/opening.py times it).
    """
    import importlib

    pending = list(modules)

    def step() -> None:
        if not window.isVisible():
            return
        if not pending:
            if done is not None:
                done()
            return
        name = pending.pop(0)
        try:
            importlib.import_module(name)
        except Exception as exc:  # a broken install shows itself on the click, with its dialog
            logger.warning("warm-up: importing %s failed: %s", name, exc)
            return
        QTimer.singleShot(0, window, step)

    QTimer.singleShot(0, window, step)


def open_or_recover(
    profile_dir: Path, *, full_check: bool = True, interactive: bool = True
) -> Profile | None:
    """Open the profile; on a damaged one, offer the latest good backup. None: give up.

    `interactive=False` (the smoke test) asks nothing: it says why on stderr and gives up.
    """
    try:
        return open_profile(profile_dir, full_check=full_check)
    except NewerProfileError as exc:
        if not interactive:
            say(str(exc))
            return None
        dialogs.show_error(None, "This profile is from a newer coachdesk", str(exc))
        return None
    except DamagedProfileError as exc:
        if not interactive:
            logger.error("damaged profile: %s", exc)
            say(f"{exc} {_restore_hint(exc)}")
            return None
        return _offer_restore(profile_dir, exc)
    except CoachdeskError as exc:
        if not interactive:
            say(str(exc))
            return None
        dialogs.show_error(None, "The profile cannot be opened", str(exc))
        return None
    except Exception as exc:  # a migration that fails, a folder the computer refuses
        logger.exception("could not open the profile in %s", profile_dir)
        text = unopenable_profile_message(profile_dir, exc)
        if not interactive:
            say(text)
            return None
        dialogs.show_error(None, "The profile cannot be opened", text)
        return None


def unopenable_profile_message(profile_dir: Path, exc: BaseException) -> str:
    """Why a profile that could not be opened or brought up to date was left alone."""
    why = f" {dialogs.describe(exc)}" if isinstance(exc, OSError) else ""
    return (
        f"The profile in {profile_dir} could not be opened or brought up to date.{why} "
        "The file was not changed (a backup is taken before any update). Keep the folder as it "
        f"is and ask for help; the details are in {profile_dir / 'coachdesk.log'}."
    )


def _restore_hint(exc: DamagedProfileError) -> str:
    if exc.latest_backup is None:
        return "No good backup was found; keep the file and ask for help recovering it."
    return (
        f"The latest good backup is {exc.latest_backup}; restore it with "
        f"`coachdesk restore {exc.latest_backup}`."
    )


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
