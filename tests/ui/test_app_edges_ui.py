"""The app's edges inside one process: Help ▸ About and Open the log folder, files asked for from
outside the window (macOS's FileOpen event, a later launch), Qt's messages in the log, and the
smoke test's stand-in for dialogs."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QtMsgType, QUrl, qVersion
from PySide6.QtCore import __version__ as pyside_version
from PySide6.QtGui import QFileOpenEvent, QGuiApplication
from PySide6.QtWidgets import QDialogButtonBox, QPushButton

from coachdesk import __version__
from coachdesk.core.store.profile import open_profile
from coachdesk.sync.export import export_bundle
from coachdesk.ui import desktop
from coachdesk.ui.about_dialog import AboutDialog, details_text
from coachdesk.ui.main_window import MainWindow
from coachdesk.ui.open_requests import OpenRequests
from coachdesk.ui.qt_messages import log_qt_message
from coachdesk.ui.single_instance import parse_request, server_name
from coachdesk.ui.smoke_test import StderrPresenter
from tests.support.sync_world import add_school, make_devices, school_name
from tests.support.ui import settle

SHOTS = Path("/tmp/coachdesk-edges-shots")


def _menu_action(window, menu_title: str, text: str):
    for menu_action in window.menuBar().actions():
        if menu_action.text().replace("&", "") == menu_title:
            for action in menu_action.menu().actions():
                if action.text().replace("&", "") == text:
                    return action
    raise AssertionError(f"no {menu_title} ▸ {text}")


@pytest.fixture
def window(qtbot, demo_dir):
    profile = open_profile(demo_dir)
    shown = MainWindow(profile)
    qtbot.addWidget(shown)
    yield shown
    profile.close()


# --- Help ----------------------------------------------------------------------------------------


def test_help_about_shows_the_versions_the_profile_folder_and_the_licences(
    qtbot, window, scripted_dialogs
):
    opened = []
    scripted_dialogs.dialog_handler = lambda dialog: opened.append(dialog) or 0
    _menu_action(window, "Help", "About coachdesk").trigger()
    (dialog,) = opened
    assert isinstance(dialog, AboutDialog) and dialog.windowTitle() == "About coachdesk"
    qtbot.addWidget(dialog)
    shown = " ".join(label.text() for label in dialog.findChildren(type(dialog.folder)))
    for expected in (__version__, qVersion(), pyside_version, sys.version.split()[0]):
        assert expected in shown
    assert str(window.profile.directory) in dialog.folder.text()
    licences = dialog.licences.toPlainText()
    assert "GNU Lesser General Public License version 3" in licences
    assert "Qt and PySide6" in licences
    assert "DejaVu" in licences and "Bitstream Vera" in licences
    assert "Permission is hereby granted" in licences  # the font licence in full
    assert "PDFium" in licences and "BSD 3-Clause" in licences  # the preview's engine


def test_copy_details_puts_the_versions_and_folder_on_the_clipboard(qtbot, tmp_path):
    dialog = AboutDialog(None, profile_dir=tmp_path)
    qtbot.addWidget(dialog)
    buttons = dialog.findChild(QDialogButtonBox)
    assert dialog.copy_button in buttons.findChildren(QPushButton)
    dialog.copy_button.click()
    copied = QGuiApplication.clipboard().text()
    assert copied == details_text(tmp_path)
    assert f"coachdesk {__version__}" in copied and f"Qt {qVersion()}" in copied
    assert f"Profile folder: {tmp_path}" in copied
    assert dialog.copy_button.text() == "Copied"


def test_the_about_dialog_fits_a_1024x640_laptop(qtbot, tmp_path):
    dialog = AboutDialog(None, profile_dir=tmp_path / "a rather long" / "profile folder name")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.width() <= 1024 and dialog.height() <= 640 - 36
    close = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Close)
    bottom_right = close.mapTo(dialog, close.rect().bottomRight())
    assert dialog.rect().contains(bottom_right)
    SHOTS.mkdir(parents=True, exist_ok=True)
    frame = dialog.grab()
    assert frame.save(str(SHOTS / "about.png"))


def test_open_the_log_folder_hands_the_folder_to_the_desktop(window, scripted_dialogs):
    asked: list[QUrl] = []
    restore = desktop.replace_opener(lambda url: asked.append(url) or True)
    try:
        _menu_action(window, "Help", "Open the log folder").trigger()
    finally:
        restore()
    assert [Path(u.toLocalFile()) for u in asked] == [window.profile.directory]
    assert scripted_dialogs.shown == []


def test_when_the_desktop_cannot_open_the_log_folder_it_says_where_the_logs_are(
    window, scripted_dialogs
):
    restore = desktop.replace_opener(lambda url: False)
    try:
        window.open_log_folder()
    finally:
        restore()
    ((kind, _title, text),) = scripted_dialogs.shown
    assert kind == "info" and str(window.profile.directory) in text and "coachdesk.log" in text


# --- files asked for from outside ----------------------------------------------------------------


@pytest.fixture
def bundle_for_lee(tmp_path):
    dana, lee = make_devices(tmp_path, ["Dana", "Lee"])
    school = add_school(dana.profile, "Harbor View Elementary")
    bundle = tmp_path / "for-lee.coachdesk"
    export_bundle(dana.profile, bundle, to=["Lee"])
    yield lee, school, bundle
    dana.profile.close()
    lee.profile.close()


def test_a_file_asked_for_before_the_window_exists_is_imported_when_it_opens(
    qtbot, bundle_for_lee, scripted_dialogs
):
    lee, school, bundle = bundle_for_lee
    requests = OpenRequests()
    requests.add([bundle])  # `coachdesk for-lee.coachdesk`, before the window is built
    assert requests.waiting() == [bundle]
    window = MainWindow(lee.profile)
    qtbot.addWidget(window)
    requests.attach(window)
    settle(qtbot)
    assert requests.waiting() == []
    assert window.isVisible()
    assert school_name(lee.profile, school) == "Harbor View Elementary"
    kind, title, text = scripted_dialogs.shown[-1]
    assert (kind, title) == ("info", "Imported") and "from Dana" in text


def test_macos_file_open_event_imports_the_bundle_into_the_open_window(
    qtbot, bundle_for_lee, scripted_dialogs
):
    lee, school, bundle = bundle_for_lee
    window = MainWindow(lee.profile)
    qtbot.addWidget(window)
    requests = OpenRequests()
    requests.attach(window)
    window.showMinimized()
    assert requests.take_file_open(QFileOpenEvent(str(bundle))) is True
    settle(qtbot)
    assert not window.isMinimized()
    assert school_name(lee.profile, school) == "Harbor View Elementary"
    assert scripted_dialogs.shown[-1][:2] == ("info", "Imported")
    # Other events are left to the application.
    from PySide6.QtCore import QEvent

    assert requests.take_file_open(QEvent(QEvent.Type.ApplicationActivate)) is False


def test_a_file_that_is_not_a_bundle_is_refused_in_a_sentence(
    qtbot, bundle_for_lee, tmp_path, scripted_dialogs
):
    lee, _school, _bundle = bundle_for_lee
    window = MainWindow(lee.profile)
    qtbot.addWidget(window)
    letter = tmp_path / "letter.txt"
    letter.write_text("Dear principal,")
    requests = OpenRequests()
    requests.attach(window)
    requests.add([letter])
    settle(qtbot)
    kind, title, text = scripted_dialogs.shown[-1]
    assert kind == "error" and "letter.txt" in text


def test_a_later_launch_request_names_paths_and_nothing_else():
    assert parse_request(b'{"open": ["/home/dana/for-lee.coachdesk"]}') == [
        Path("/home/dana/for-lee.coachdesk")
    ]
    assert parse_request(b'{"open": []}') == []
    for junk in (b"", b"hello", b'{"open": "x"}', b'{"open": [3]}', b"[1]", b"\xff"):
        assert parse_request(junk) is None


def test_each_profile_has_its_own_short_server_name(tmp_path):
    first = server_name(tmp_path / "dana")
    assert first == server_name(tmp_path / "dana" / ".." / "dana")
    assert first != server_name(tmp_path / "lee")
    assert first.startswith("coachdesk-") and len(first) < 40  # fits a Unix socket path


# --- Qt's messages and the smoke test's dialogs --------------------------------------------------


def test_qt_messages_go_to_the_log_at_their_level(caplog):
    with caplog.at_level(logging.INFO, logger="coachdesk"):
        log_qt_message(QtMsgType.QtWarningMsg, None, "QFont::setPointSizeF: Point size <= 0")
        log_qt_message(QtMsgType.QtCriticalMsg, None, "Could not load the Qt platform plugin")
        log_qt_message(QtMsgType.QtDebugMsg, None, "noise nobody needs")
    levels = {r.getMessage(): r.levelno for r in caplog.records if r.name == "coachdesk.qt"}
    assert levels == {
        "[default] QFont::setPointSizeF: Point size <= 0": logging.WARNING,
        "[default] Could not load the Qt platform plugin": logging.ERROR,
    }


def test_a_real_qt_warning_reaches_the_log(qtbot, caplog):
    from PySide6.QtCore import qInstallMessageHandler, qWarning

    previous = qInstallMessageHandler(log_qt_message)
    try:
        with caplog.at_level(logging.INFO, logger="coachdesk"):
            qWarning("a warning from Qt's side")
    finally:
        qInstallMessageHandler(previous)
    assert any(
        r.name == "coachdesk.qt" and r.levelno == logging.WARNING and "from Qt's side" in r.message
        for r in caplog.records
    )


def test_the_smoke_tests_dialogs_answer_on_stderr_and_an_error_fails_it(capsys):
    stopped = []
    presenter = StderrPresenter(stop=lambda: stopped.append(True))
    assert presenter.confirm(None, "Restore?", "Restore the backup?", yes="Restore") is False
    assert presenter.open_file(None, "Choose", "*") is None
    assert not presenter.failed and not stopped
    presenter.error(None, "The demo caseload could not be loaded", "The disk is full.")
    assert presenter.failed and stopped == [True]
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("coachdesk: Restore?: Restore the backup?")
    assert err[-1] == "coachdesk: The demo caseload could not be loaded: The disk is full."


def test_a_windowed_launch_that_finds_the_profile_busy_says_so_in_a_dialog(
    tmp_path, monkeypatch, scripted_dialogs
):
    # coachdesk.exe (windowed) has no stderr: the sentence would be lost without a dialog.
    from coachdesk.ui import app
    from coachdesk.ui.single_instance import ProfileLock

    monkeypatch.setattr(app, "hand_over", lambda *args, **kwargs: False)
    monkeypatch.setattr(sys, "stderr", None)
    code = app._already_open(tmp_path, ProfileLock(tmp_path), [], smoke_test=False)
    assert code == 1
    ((kind, title, text),) = scripted_dialogs.shown
    assert kind == "error" and title == "coachdesk is already open"
    assert "not answering" in text and str(tmp_path) in text


def test_a_lock_copied_from_another_laptop_does_not_keep_the_profile_closed(tmp_path):
    # The profile folder was copied (or synced) while coachdesk had it open on another laptop.
    from PySide6.QtCore import QSysInfo

    from coachdesk.ui.single_instance import LOCK_NAME, ProfileLock

    other = "laptop-" + QSysInfo.machineHostName() + "-elsewhere"
    (tmp_path / LOCK_NAME).write_text(f"4242\ncoachdesk\n{other}\n")
    lock = ProfileLock(tmp_path)
    assert lock.acquire() is True
    assert lock.owner_pid() is not None and lock.owner_pid() != 4242
    lock.release()


def test_a_lock_held_on_this_laptop_keeps_a_second_coachdesk_out(tmp_path):
    from coachdesk.ui.single_instance import ProfileLock

    first, second = ProfileLock(tmp_path), ProfileLock(tmp_path)
    assert first.acquire() is True
    try:
        assert second.acquire() is False
        assert second.owner_pid() == os.getpid()
    finally:
        first.release()
    assert second.acquire() is True
    second.release()


def test_a_profile_that_cannot_be_brought_up_to_date_is_refused_in_a_sentence(
    qtbot, demo_dir, scripted_dialogs
):
    import hashlib
    import sqlite3

    from coachdesk.core.store.profile import DB_NAME
    from coachdesk.ui.app import open_or_recover

    db = demo_dir / DB_NAME
    conn = sqlite3.connect(db)
    conn.execute("DELETE FROM alembic_version")  # its tables, but no data format recorded
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    assert open_or_recover(demo_dir) is None
    ((kind, title, text),) = scripted_dialogs.shown
    assert (kind, title) == ("error", "The profile cannot be opened")
    assert "could not be opened or brought up to date" in text and "coachdesk.log" in text
    assert "Traceback" not in text
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
