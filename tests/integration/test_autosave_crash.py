"""Autosave survives a crash: what a coach typed a second before kill -9 is in the profile.

A child process opens a real profile, types into a visit note with real key events, waits
1.2 s without saving anything by hand, says "typed" and keeps running; the test kills it with
SIGKILL, reopens the profile and finds the text. Also: a 1 MB paste saves whole.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from coachdesk.core import visits
from coachdesk.core.store.profile import open_profile

TYPED = "Walked the K-2 wing with the principal; routines are steady, transitions are slow."

CHILD = textwrap.dedent(
    """
    import datetime as dt, sys, time
    from pathlib import Path
    from PySide6.QtWidgets import QApplication
    from PySide6.QtTest import QTest
    app = QApplication([])
    from coachdesk.core import visits
    from coachdesk.core.store.profile import open_profile
    from coachdesk.ui.visits.visit_page import VisitPage

    profile = open_profile(Path(sys.argv[1]))
    visit_id = visits.start_visit(
        profile, sys.argv[2], visit_type="onsite", starts_at=dt.datetime.now()
    )
    page = VisitPage(profile)
    page.resize(1280, 800)
    page.show()
    page.show_visit(visit_id)
    edit = page.form.field_row("lead_strategies").input.focus_target()
    edit.setFocus()
    QTest.keyClicks(edit, sys.argv[3])
    deadline = time.monotonic() + 1.2
    while time.monotonic() < deadline:  # the event loop runs; nothing is flushed by hand
        app.processEvents()
        time.sleep(0.01)
    print(visit_id, "typed", flush=True)
    while True:
        app.processEvents()
        time.sleep(0.05)
    """
)


def _ny_school(profile) -> str:
    return next(
        r.school_id
        for r in visits.list_visits(profile)
        if r.form_title and "Monthly" in r.form_title
    )


@pytest.mark.slow
def test_text_typed_a_second_before_kill_9_is_kept(demo_dir: Path) -> None:
    profile = open_profile(demo_dir)
    school_id = _ny_school(profile)
    profile.close()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LANG": "C.UTF-8"}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(demo_dir), school_id, TYPED],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    try:
        line = child.stdout.readline()
        assert line.strip().endswith("typed"), f"the child said {line!r}"
        visit_id = line.split()[0]
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == -signal.SIGKILL

    reopened = open_profile(demo_dir)
    try:
        assert visits.get_visit(reopened, visit_id).response["lead_strategies"] == TYPED
    finally:
        reopened.close()
    check = subprocess.run(
        [sys.executable, "-m", "coachdesk", "--data-dir", str(demo_dir), "check"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert check.returncode == 0, check.stdout + check.stderr


def test_a_one_megabyte_paste_saves_whole_without_freezing(qtbot, demo) -> None:
    from coachdesk.ui.visits.visit_page import VisitPage

    visit_id = visits.start_visit(
        demo, _ny_school(demo), visit_type="onsite", starts_at=dt.datetime.now()
    )
    page = VisitPage(demo)
    qtbot.addWidget(page)
    page.show_visit(visit_id)
    edit = page.form.field_row("lead_strategies").input.focus_target()
    pasted = ("Grade-level team reviewed the common assessment together. " * 20_000)[:1_000_000]
    started = time.monotonic()
    edit.insertPlainText(pasted)  # what Ctrl+V does

    def saved() -> str:
        return visits.get_visit(demo, visit_id).response.get("lead_strategies") or ""

    qtbot.waitUntil(lambda: len(saved()) > 0, timeout=10_000)
    elapsed = time.monotonic() - started
    assert elapsed < 10, f"a 1 MB paste took {elapsed:.1f} s to save"
    assert len(saved()) == 1_000_000 and saved() == pasted
