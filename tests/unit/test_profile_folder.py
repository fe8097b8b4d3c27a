"""The profile folder is its owner's alone: mode 0700 on POSIX, an owner-only ACL on Windows."""

from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys
from pathlib import Path, PureWindowsPath

import pytest

from coachdesk.core.logs import setup_logging
from coachdesk.core.store import profile as profile_module
from coachdesk.core.store.profile import (
    OWNER_ONLY_STAMP,
    make_owner_only,
    open_profile,
    windows_owner_only_commands,
)

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@posix_only
def test_a_new_profile_folder_is_made_readable_by_its_owner_only(tmp_path):
    folder = tmp_path / "a" / "profile"
    open_profile(folder).close()
    assert _mode(folder) == 0o700


@posix_only
def test_an_existing_folder_that_others_could_read_is_closed_on_opening(profile_dir):
    open_profile(profile_dir).close()
    os.chmod(profile_dir, 0o755)
    open_profile(profile_dir).close()
    assert _mode(profile_dir) == 0o700


@posix_only
def test_the_log_alone_also_closes_the_folder(tmp_path):
    # The CLI and the window set up logging before the profile is opened.
    folder = tmp_path / "logs-first"
    folder.mkdir(mode=0o775)
    os.chmod(folder, 0o775)
    log_path = setup_logging(folder)
    try:
        assert _mode(folder) == 0o700
    finally:
        _stop_logging_to(log_path)


def _stop_logging_to(log_path: Path) -> None:
    root = logging.getLogger("coachdesk")
    for handler in list(root.handlers):
        if getattr(handler, "baseFilename", None) == str(log_path):
            root.removeHandler(handler)
            handler.close()


@posix_only
def test_a_folder_whose_mode_cannot_be_changed_is_used_and_logged(tmp_path, monkeypatch, caplog):
    folder = tmp_path / "share"
    folder.mkdir()
    os.chmod(folder, 0o755)

    def refuse(path, mode):
        raise PermissionError(1, "Operation not permitted", str(path))

    monkeypatch.setattr(profile_module.os, "chmod", refuse)
    with caplog.at_level(logging.WARNING, logger="coachdesk"):
        make_owner_only(folder)
    assert "readable by its owner only" in caplog.text


def test_the_windows_acl_is_granted_to_the_user_before_inheritance_is_removed():
    folder = PureWindowsPath(r"C:\Users\Dana Lee\AppData\Local\coachdesk")
    grant, close = windows_owner_only_commands(folder, "LAPTOP-7\\Dana Lee")
    assert grant == ["icacls", str(folder), "/grant:r", "LAPTOP-7\\Dana Lee:(OI)(CI)F"]
    assert close == ["icacls", str(folder), "/inheritance:r"]
    # As Windows receives it: the folder and the account each one argument despite the space.
    assert subprocess.list2cmdline(grant) == (
        r'icacls "C:\Users\Dana Lee\AppData\Local\coachdesk" /grant:r '
        r'"LAPTOP-7\Dana Lee:(OI)(CI)F"'
    )


class _Icacls:
    """Stands in for icacls.exe (this test runs on every platform); records each call."""

    def __init__(self, returncode: int = 0, output: str = "") -> None:
        self.calls: list[list[str]] = []
        self.returncode = returncode
        self.output = output

    def __call__(self, command, **kwargs):
        self.calls.append(command)
        return subprocess.CompletedProcess(command, self.returncode, self.output, "")


def _as_windows(monkeypatch, icacls: _Icacls) -> None:
    monkeypatch.setattr(profile_module.sys, "platform", "win32")
    monkeypatch.setattr(subprocess, "run", icacls)  # profile.py imports it when it runs icacls
    monkeypatch.setenv("USERNAME", "dana")
    monkeypatch.setenv("USERDOMAIN", "LAPTOP-7")


def test_on_windows_the_acl_is_set_once_per_folder(tmp_path, monkeypatch):
    icacls = _Icacls()
    _as_windows(monkeypatch, icacls)
    make_owner_only(tmp_path)
    assert [c[2] for c in icacls.calls] == ["/grant:r", "/inheritance:r"]
    assert icacls.calls[0][3] == "LAPTOP-7\\dana:(OI)(CI)F"
    make_owner_only(tmp_path)  # the next start: already done, no icacls (it costs ~50 ms)
    assert len(icacls.calls) == 2
    assert (tmp_path / OWNER_ONLY_STAMP).read_text(encoding="utf-8") == str(tmp_path.resolve())


def test_on_windows_a_refused_grant_keeps_inheritance_and_is_logged(tmp_path, monkeypatch, caplog):
    icacls = _Icacls(returncode=1332, output="No mapping between account names and security IDs")
    _as_windows(monkeypatch, icacls)
    with caplog.at_level(logging.WARNING, logger="coachdesk"):
        make_owner_only(tmp_path)
    assert len(icacls.calls) == 1  # the inherited entries were not removed
    assert "No mapping between account names" in caplog.text
    assert not (tmp_path / OWNER_ONLY_STAMP).exists()  # tried again next time
