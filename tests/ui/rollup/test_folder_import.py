"""A supervisor imports a folder of bundles from several coaches: one progress bar for all the
files, one summary at the end (files imported, changes merged, per coach), each refused file
listed with its reason, the rest imported, and the window never waiting on the work."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QDialog, QFileDialog, QProgressBar, QWidget
from sqlalchemy import func, select

from coachdesk.core.store.profile import open_profile
from coachdesk.core.store.schema import Change
from coachdesk.sync.importer import STEPS
from coachdesk.ui import announce, work
from coachdesk.ui.rollup.folder_import import ImportSummaryDialog
from coachdesk.ui.sync_actions import SyncActions
from tests.support.sync_world import add_school, make_devices, school_name
from tests.support.ui import ChangeRecorder, settle
from tests.ui.accessibility_tree import tree_problems

COACHES = {"Dana Whitfield": 3, "Lee Ortiz": 1, "Sam Patel": 2}  # schools each coach keeps


@pytest.fixture
def world(tmp_path):
    """A supervisor who trusts three coaches, each with schools, and a folder of their bundles
    (with a damaged file and one from a laptop the supervisor does not trust)."""
    devices = make_devices(tmp_path / "profiles", ["Supervisor", *COACHES])
    supervisor, *coaches = devices
    folder = tmp_path / "from coaches"
    folder.mkdir()
    schools: dict[str, list[str]] = {}
    for coach in coaches:
        first = coach.name.split()[0]
        schools[coach.name] = [
            add_school(coach.profile, f"{first}'s School {n + 1}")
            for n in range(COACHES[coach.name])
        ]
        (folder / f"{first.lower()}.coachdesk").write_bytes(coach.bundle())
    damaged = bytearray(coaches[0].bundle())
    damaged[100] ^= 1
    (folder / "damaged.coachdesk").write_bytes(bytes(damaged))
    stranger = open_profile(tmp_path / "profiles" / "stranger")
    add_school(stranger, "Somewhere Else Elementary")
    from tests.support.sync_world import Device

    (folder / "stranger.coachdesk").write_bytes(Device("Stranger", stranger).bundle())
    stranger.close()
    yield supervisor, coaches, folder, schools
    for device in devices:
        device.profile.close()


def _changes_in(profile) -> int:
    with profile.reading() as session:
        return session.execute(select(func.count()).select_from(Change)).scalar_one()


def _answer(scripted, *, folder: Path | None = None) -> list[ImportSummaryDialog]:
    """Answer the folder chooser with `folder`, keep every summary shown."""
    summaries: list[ImportSummaryDialog] = []

    def handler(dialog):
        if isinstance(dialog, QFileDialog) and folder is not None:
            assert dialog.fileMode() == QFileDialog.FileMode.Directory
            dialog.selectFile(str(folder))
            return QDialog.DialogCode.Accepted
        if isinstance(dialog, ImportSummaryDialog):
            summaries.append(dialog)
        return QDialog.DialogCode.Rejected

    scripted.dialog_handler = handler
    return summaries


def _window(qtbot) -> QWidget:
    window = QWidget()
    qtbot.addWidget(window)
    return window


def test_a_folder_of_coaches_bundles_imports_with_one_bar_and_one_summary(
    qtbot, world, scripted_dialogs, monkeypatch
):
    supervisor, coaches, folder, schools = world
    labels: list[str] = []
    seen: list[tuple[int, int]] = []  # (value, maximum) each time the bar moves
    original = work._progress_dialog

    def recording(parent, label):
        dialog = original(parent, label)
        bar = dialog.findChild(QProgressBar)
        bar.valueChanged.connect(lambda value: seen.append((value, bar.maximum())))
        labels.append(dialog.labelText())
        return dialog

    monkeypatch.setattr(work, "_progress_dialog", recording)
    summaries = _answer(scripted_dialogs, folder=folder)
    heard = ChangeRecorder(supervisor.profile)
    actions = SyncActions(_window(qtbot), supervisor.profile)
    with announce.listening() as said:
        actions.import_folder_action.trigger()
        settle(qtbot)

    # Every trusted coach's schools arrived; nothing from the damaged or the stranger's file.
    for coach in coaches:
        first = coach.name.split()[0]
        assert [school_name(supervisor.profile, s) for s in schools[coach.name]] == [
            f"{first}'s School {n + 1}" for n in range(COACHES[coach.name])
        ]
    assert heard.touched("organization") and heard.initiators[-1] is actions

    # One bar for the whole folder, its maximum the three good files and the two refused.
    assert labels == ["Importing bundles…"]
    moving = [(v, m) for v, m in seen if v >= 0]  # reset() rewinds to -1 when work ends
    assert moving[-1] == (5 * STEPS, 5 * STEPS)  # the bar reached the end of the last file
    assert [v for v, _m in moving] == sorted(v for v, _m in moving)

    # One summary: the headline, a line per coach with the changes each merged, the refused.
    (summary,) = summaries
    merged = {c.name: _changes_in(c.profile) for c in coaches}
    total = sum(merged.values())
    assert summary.headline.text() == (
        f"3 files imported: {total:,} changes merged from 3 coaches. "
        "2 files were refused (listed below)."
    )
    assert summary.rows() == [(name, "1", f"{merged[name]:,}", "0") for name in sorted(COACHES)]
    refused = [summary.refused.item(i).text() for i in range(summary.refused.count())]
    assert len(refused) == 2
    assert refused[0].startswith("damaged.coachdesk: ") and "altered" in refused[0]
    assert refused[1].startswith("stranger.coachdesk: ") and "trust" in refused[1]
    assert summary.notes.isHidden()
    assert [a.text for a in said] == [summary.headline.text()]
    assert said[0].urgent  # something was refused: heard before anything else
    assert scripted_dialogs.errors() == []  # the summary is the one dialog, not an error box


def test_choosing_several_files_ends_in_the_same_summary_and_again_says_already_imported(
    qtbot, world, scripted_dialogs
):
    supervisor, coaches, folder, _schools = world
    summaries = _answer(scripted_dialogs)
    chosen = [str(folder / "dana.coachdesk"), str(folder / "sam.coachdesk")]
    actions = SyncActions(_window(qtbot), supervisor.profile)
    for _ in range(2):
        scripted_dialogs.file_answers = [chosen]
        actions.import_action.trigger()
        settle(qtbot)
    first, again = summaries
    assert [row[0] for row in first.rows()] == ["Dana Whitfield", "Sam Patel"]
    assert first.headline.text().startswith("2 files imported: ")
    assert first.refused.isHidden() and first.refused_title.isHidden()
    assert again.headline.text() == (
        "2 files imported: nothing new to merge. 2 files were already imported."
    )
    assert again.rows() == [
        ("Dana Whitfield", "1 (1 already imported)", "0", "0"),
        ("Sam Patel", "1 (1 already imported)", "0", "0"),
    ]


def test_a_folder_dropped_on_the_window_is_imported_like_one_chosen(qtbot, world, scripted_dialogs):
    supervisor, _coaches, folder, schools = world
    summaries = _answer(scripted_dialogs)
    window = _window(qtbot)
    actions = SyncActions(window, supervisor.profile)
    actions.accept_drops(window)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(folder))])
    drop = QDropEvent(
        QPointF(5, 5),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    assert actions.eventFilter(window, drop) is True  # offscreen Qt delivers no real drops
    settle(qtbot)
    assert len(summaries) == 1 and len(summaries[0].rows()) == 3
    assert school_name(supervisor.profile, schools["Lee Ortiz"][0]) == "Lee's School 1"


def test_the_work_runs_off_the_window_thread_while_the_window_keeps_answering(
    qtbot, world, scripted_dialogs, monkeypatch
):
    from coachdesk.sync import importer

    supervisor, _coaches, folder, _schools = world
    summaries = _answer(scripted_dialogs, folder=folder)
    threads: list[threading.Thread] = []
    ticks: list[int] = []
    real = importer.import_files

    def watched(*args, **kwargs):
        threads.append(threading.current_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(importer, "import_files", watched)
    work.use_pool(None)  # the real thread pool, as in the window
    try:
        from PySide6.QtCore import QTimer

        timer = QTimer()
        timer.timeout.connect(lambda: ticks.append(1))
        timer.start(5)
        SyncActions(_window(qtbot), supervisor.profile).import_folder()
        qtbot.waitUntil(lambda: bool(summaries), timeout=30_000)
        timer.stop()
    finally:
        work.use_pool(work.SynchronousPool())
    assert threads and threads[0] is not threading.main_thread()
    assert ticks  # the window's own events ran while the bundles were imported
    assert len(summaries[0].rows()) == 3


def test_the_summary_reads_well_to_a_screen_reader_and_tab_leaves_its_lists(
    qtbot, world, scripted_dialogs
):
    supervisor, _coaches, folder, _schools = world
    summaries = _answer(scripted_dialogs, folder=folder)
    SyncActions(_window(qtbot), supervisor.profile).import_folder()
    settle(qtbot)
    (summary,) = summaries
    qtbot.addWidget(summary)
    summary.show()
    qtbot.waitExposed(summary)
    assert tree_problems("import summary", summary) == []
    assert summary.focusWidget() is summary.close_button  # Enter or Escape closes it
    summary.coaches.setFocus()
    qtbot.keyClick(summary.coaches, Qt.Key.Key_Down)  # arrows move inside the table
    assert summary.focusWidget() is summary.coaches
    qtbot.keyClick(summary.coaches, Qt.Key.Key_Tab)
    assert summary.focusWidget() is summary.refused
    qtbot.keyClick(summary.refused, Qt.Key.Key_Tab)
    assert summary.focusWidget() is summary.close_button


def test_a_folder_with_no_bundle_in_it_says_so(qtbot, tmp_path, scripted_dialogs, profile):
    empty = tmp_path / "empty folder"
    empty.mkdir()
    (empty / "notes.txt").write_text("not a bundle")
    summaries = _answer(scripted_dialogs, folder=empty)
    SyncActions(_window(qtbot), profile).import_folder()
    settle(qtbot)
    (summary,) = summaries
    assert summary.windowTitle() == "Nothing imported"
    assert summary.headline.text().startswith("No file was imported.")
    assert summary.coaches.isHidden()


def test_what_a_bundle_left_out_or_held_back_is_said_under_the_counts():
    from types import SimpleNamespace

    from coachdesk.sync.held_changes import HeldSummary
    from coachdesk.ui.rollup.folder_import import RefusedFile, folder_summary

    def result(name, signer, changes, **said):
        told = {"left_out": "", "held": "", "missing_earlier": 0, "released": 0} | said
        return SimpleNamespace(
            source=name,
            signer_name=signer,
            already_imported=False,
            new_changes=changes,
            new_conflicts=0,
            sentence=lambda: f"{name} (from {signer}): {changes} changes. {told['left_out']}",
            **told,
        )

    left_out = "3 changes by Kim were left out: this profile does not trust Kim yet."
    report = SimpleNamespace(
        imported=[
            result("dana.coachdesk", "Dana", 40, left_out=left_out),
            result("dana-2.coachdesk", "Dana", 2),
            result("lee.coachdesk", "Lee", 7),
        ],
        rejected=[],
    )
    summary = folder_summary(report, [RefusedFile("notes.txt", "Not a bundle.")], HeldSummary())
    assert summary.headline() == (
        "3 files imported: 49 changes merged from 2 coaches. 1 file was refused (listed below)."
    )
    assert [(c.coach, c.files, c.changes) for c in summary.coaches] == [
        ("Dana", 2, 42),
        ("Lee", 1, 7),
    ]
    assert summary.notes == (f"dana.coachdesk (from Dana): 40 changes. {left_out}",)
    assert [f.line() for f in summary.refused] == ["notes.txt: Not a bundle."]
