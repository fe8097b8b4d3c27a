"""The app at its edges, run as a coach runs it: real `coachdesk` processes on real profiles.

A smoke test that meets a profile it cannot open says why and exits 1 instead of waiting on a
dialog; one coachdesk per profile (a second launch brings the first forward, with the file it
was given); `coachdesk FILE` imports that file; the profile folder is the owner's alone; a
native crash leaves its traceback in crash.log.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from coachdesk.core.store import backups
from coachdesk.core.store.profile import DB_NAME, open_profile
from tests.support.cli import cli_env, coachdesk, no_keyring_env

TIMEOUT = 90  # seconds; a launch that waits on a modal never ends, and fails here


@contextlib.contextmanager
def running_window(profile_dir: Path, *args: str, env: dict[str, str] | None = None):
    """coachdesk open on the profile (off-screen), until the block ends; yields the process."""
    process = subprocess.Popen(
        [sys.executable, "-m", "coachdesk", "--data-dir", str(profile_dir), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env=env or cli_env(),
    )
    try:
        _wait_for(lambda: (profile_dir / "session-open").exists() or process.poll() is not None)
        assert process.poll() is None, process.communicate()
        yield process
    finally:
        process.kill()
        process.communicate(timeout=TIMEOUT)
        _remove_socket_left_by_a_killed_launch(profile_dir)


def _remove_socket_left_by_a_killed_launch(profile_dir: Path) -> None:
    from PySide6.QtNetwork import QLocalServer

    from coachdesk.ui.single_instance import server_name

    QLocalServer.removeServer(server_name(profile_dir))


def _wait_for(condition, timeout: float = TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("gave up waiting")
        time.sleep(0.1)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _one_line_refusal(result) -> str:
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("coachdesk: ")]
    assert len(lines) == 1, result.stderr
    return lines[0]


# --- the smoke test never waits on a modal -------------------------------------------------------


def test_smoke_test_on_a_newer_profile_says_so_and_exits_1(demo_dir):
    db = demo_dir / DB_NAME
    _change_the_file(db, "UPDATE alembic_version SET version_num = '0100'")
    before = _sha(db)
    line = _one_line_refusal(coachdesk(demo_dir, "--smoke-test"))
    assert "newer coachdesk" in line and "Install" in line
    assert _sha(db) == before


def _change_the_file(db: Path, statement: str) -> None:
    """Run one statement on the profile's file and write it through, as a newer release might."""
    conn = sqlite3.connect(db)
    conn.execute(statement)
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def _damage(profile_dir: Path) -> None:
    (profile_dir / DB_NAME).write_bytes(b"\x13" * 20_000)
    for side in ("-wal", "-shm"):
        (profile_dir / (DB_NAME + side)).unlink(missing_ok=True)


def test_smoke_test_on_a_damaged_profile_without_a_backup_exits_1(demo_dir):
    _damage(demo_dir)
    line = _one_line_refusal(coachdesk(demo_dir, "--smoke-test"))
    assert "No good backup was found" in line
    assert (demo_dir / DB_NAME).read_bytes() == b"\x13" * 20_000


def test_smoke_test_on_a_damaged_profile_names_the_backup_to_restore_and_restores_nothing(
    demo_dir,
):
    profile = open_profile(demo_dir)
    taken = backups.take_backup(profile, reason="manual")
    profile.close()
    _damage(demo_dir)
    line = _one_line_refusal(coachdesk(demo_dir, "--smoke-test"))
    assert "coachdesk restore" in line and taken.name in line
    assert (demo_dir / DB_NAME).read_bytes() == b"\x13" * 20_000


def test_smoke_test_on_a_profile_that_cannot_be_brought_up_to_date_exits_1(demo_dir):
    # Tables but no recorded data format: the migration starts from nothing and fails on the
    # tables already there.
    db = demo_dir / DB_NAME
    _change_the_file(db, "DELETE FROM alembic_version")
    before = _sha(db)
    line = _one_line_refusal(coachdesk(demo_dir, "--smoke-test"))
    assert "could not be opened or brought up to date" in line and "coachdesk.log" in line
    assert _sha(db) == before
    assert "could not open the profile" in (demo_dir / "coachdesk.log").read_text()


# --- one coachdesk per profile -------------------------------------------------------------------


def test_a_second_launch_brings_the_first_forward_and_leaves_its_session_alone(demo_dir):
    marker = demo_dir / "session-open"
    with running_window(demo_dir) as first:
        pid_in_marker = marker.read_text().strip()
        second = coachdesk(demo_dir)
        assert second.returncode == 0, second.stderr
        assert "already open" in second.stdout and "brought forward" in second.stdout
        assert first.poll() is None
        assert marker.read_text().strip() == pid_in_marker == str(first.pid)
        _wait_for(lambda: "another launch asked to come forward" in _log(demo_dir))

        smoke = coachdesk(demo_dir, "--smoke-test")
        assert "open in another coachdesk" in _one_line_refusal(smoke)
        assert marker.exists() and first.poll() is None
    # The first was killed: its lock is stale and the next launch takes the profile over.
    assert marker.exists()
    again = coachdesk(demo_dir, "--smoke-test")
    assert again.returncode == 0, again.stderr
    assert int(again.stdout.strip().splitlines()[-1]) > 0
    assert "the last session did not end cleanly" in _log(demo_dir)


@pytest.mark.slow  # about 10 s: the second launch waits out a first coachdesk that never answers
def test_a_launch_whose_first_coachdesk_does_not_answer_says_the_profile_is_open(demo_dir):
    # A process that holds the profile's lock but never listens: a hung first coachdesk.
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                """
                import sys, time
                from pathlib import Path
                from coachdesk.ui.single_instance import ProfileLock
                lock = ProfileLock(Path(sys.argv[1]))
                print(lock.acquire(), flush=True)
                time.sleep(120)
                """
            ),
            str(demo_dir),
        ],
        stdout=subprocess.PIPE,
        text=True,
        env=cli_env(),
    )
    try:
        assert holder.stdout.readline().strip() == "True"
        started = time.monotonic()
        result = coachdesk(demo_dir)
        line = _one_line_refusal(result)
        assert "open in another coachdesk" in line and "not answering" in line
        assert time.monotonic() - started < 40
    finally:
        holder.kill()
        holder.communicate()


def _log(profile_dir: Path) -> str:
    return (profile_dir / "coachdesk.log").read_text(encoding="utf-8")


# --- opening a bundle file -----------------------------------------------------------------------


@pytest.fixture
def bundle_for_lee(tmp_path):
    """Dana and Lee trust each other; Dana exported a bundle for Lee. Keys in passphrase files."""
    env = no_keyring_env()  # a passphrase strong enough to be chosen ("open sesame")
    for who in ("dana", "lee"):
        key = str(tmp_path / f"{who}.key")
        out = coachdesk(tmp_path / who, "keys", "export-public", "-o", key, env=env)
        assert out.returncode == 0, out.stderr
    for who, other, name in (("dana", "lee", "Lee"), ("lee", "dana", "Dana")):
        key = str(tmp_path / f"{other}.key")
        out = coachdesk(tmp_path / who, "keys", "trust", key, "--name", name, env=env)
        assert out.returncode == 0, out.stderr
    bundle = tmp_path / "from dana.coachdesk"
    out = coachdesk(tmp_path / "dana", "export", "--to", "Lee", "-o", str(bundle), env=env)
    assert out.returncode == 0, out.stderr
    return tmp_path / "lee", bundle, env


def _imported_bundles(profile_dir: Path) -> int:
    conn = sqlite3.connect(f"file:{profile_dir / DB_NAME}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT count(*) FROM sync_imported_bundle").fetchone()[0]
    except sqlite3.OperationalError:
        return 0  # being written: ask again
    finally:
        conn.close()


def test_coachdesk_with_a_bundle_file_opens_the_window_and_imports_it(bundle_for_lee):
    lee, bundle, env = bundle_for_lee
    assert _imported_bundles(lee) == 0
    with running_window(lee, str(bundle), env=env):
        _wait_for(lambda: _imported_bundles(lee) == 1)
    again = coachdesk(lee, "import", str(bundle), env=env)
    assert again.returncode == 0 and "already imported" in again.stdout


def test_a_second_launch_with_a_bundle_hands_it_to_the_open_window(bundle_for_lee):
    lee, bundle, env = bundle_for_lee
    with running_window(lee, env=env) as first:
        # A relative name, as a file manager may pass it.
        second = coachdesk(lee, bundle.name, env=env, cwd=bundle.parent)
        assert second.returncode == 0, second.stderr
        assert f"It is importing {bundle.name}" in second.stdout
        _wait_for(lambda: _imported_bundles(lee) == 1)
        assert first.poll() is None
    assert str(bundle) in _log(lee)


def test_a_path_that_is_not_a_file_is_refused_and_commands_still_work(tmp_path):
    missing = _one_line_refusal(coachdesk(tmp_path / "p", str(tmp_path / "gone.coachdesk")))
    assert "there is no file" in missing and "gone.coachdesk" in missing
    folder = _one_line_refusal(coachdesk(tmp_path / "p", str(tmp_path)))
    assert "is a folder" in folder
    assert not (tmp_path / "p" / "session-open").exists()
    demo = coachdesk(tmp_path / "p", "demo")
    assert demo.returncode == 0 and "records added" in demo.stdout
    assert coachdesk(tmp_path / "p", "no-such-command").returncode == 2


# --- the profile folder and the crash log --------------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes; Windows gets an ACL")
def test_the_profile_folder_is_readable_by_its_owner_only(demo_dir, tmp_path):
    os.chmod(demo_dir, 0o755)  # made by an older coachdesk, or copied in
    result = coachdesk(demo_dir, "--smoke-test")
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(demo_dir.stat().st_mode) == 0o700
    fresh = tmp_path / "new" / "profile"
    assert coachdesk(fresh, "coach").returncode == 0
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o700


CRASHING_APP = textwrap.dedent(
    """
    import faulthandler, sys
    from pathlib import Path
    from PySide6.QtCore import QTimer
    from coachdesk.ui import app

    shown = app._show_window

    def show_then_crash(*args, **kwargs):
        window = shown(*args, **kwargs)
        QTimer.singleShot(200, faulthandler._sigsegv)  # a native crash inside the event loop
        return window

    app._show_window = show_then_crash
    sys.exit(app.run_app(Path(sys.argv[1])))
    """
)


def _crash_log_after(script: str, profile_dir: Path) -> str:
    """Run a script that crashes natively on the profile; what crash.log then holds."""
    result = subprocess.run(
        [sys.executable, "-c", script, str(profile_dir)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env=cli_env(),
    )
    assert result.returncode != 0
    crash = (profile_dir / "crash.log").read_text(encoding="utf-8")
    assert "Fatal Python error: Segmentation fault" in crash
    return crash


def test_a_native_crash_leaves_its_traceback_in_the_crash_log(demo_dir):
    crash = _crash_log_after(CRASHING_APP, demo_dir)
    assert "run_app" in crash and 'File "' in crash  # the Python stack at the crash
    assert (demo_dir / "session-open").exists()  # the next start runs the full check


CRASHING_COMMAND = textwrap.dedent(
    """
    import faulthandler, sys
    from coachdesk import cli
    from coachdesk.commands import profile_commands

    def crash(args, context):
        context.profile()
        faulthandler._sigsegv()  # a native crash inside a command, as a C library might

    profile_commands.run_demo = crash
    sys.exit(cli.main(["--data-dir", sys.argv[1], "demo"]))
    """
)


def test_a_native_crash_in_a_command_leaves_its_traceback_too(tmp_path):
    crash = _crash_log_after(CRASHING_COMMAND, tmp_path / "profile")
    assert "in crash" in crash  # the command's own frame
