"""Importing bundles and resolving conflicts by keys alone (issue 16), on the demo and on an empty
profile: Ctrl+I with the file dialog scripted, the import summary read by keys, the Conflicts area
by Ctrl+3, arrows and the Keep buttons by Tab and Space or Enter, an answer's conflict line to
Conflicts and back. Each test ends on what the coach sees (the school merged, the conflict gone).
The keys are driven by tests/ui/keys_alone.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import (
    QPlainTextEdit,
)

from coachdesk.core import visits
from coachdesk.core.store.profile import open_profile
from tests.support.ui import settle
from tests.ui.keys_alone import (
    ALT,
    CTRL,
    Key,
    by_keys,
    focused,
    name_of,
    press,
    search_popup,
    tab_to,
    type_keys,
    window_manager_returns,
    window_on,
)

# --- import a bundle ------------------------------------------------------------------------------


def colleague_bundle(tmp_path: Path, profile_dir: Path, school: str, who: str = "Dana") -> Path:
    """A bundle from a colleague this profile trusts (Dana), adding a school."""
    from coachdesk.sync import trust
    from coachdesk.sync.export import build_bundle
    from coachdesk.sync.keys import device_keys
    from tests.support.sync_world import add_school

    mine, theirs = open_profile(profile_dir), open_profile(tmp_path / who.lower())
    try:
        offer = trust.read_public_key_file(trust.public_key_file(theirs, device_keys(theirs)))
        trust.trust_key(mine, offer, name=who)
        add_school(theirs, school)
        path = tmp_path / f"from-{who.lower()}.coachdesk"
        path.write_bytes(build_bundle(theirs, device_keys(theirs), [])[0])
    finally:
        mine.close()
        theirs.close()
    return path


@pytest.mark.parametrize(
    ("start", "from_control", "stays"),
    [
        ("demo_dir", "Schools in the caseload", True),
        # The empty caseload's first-school button goes with the empty caseload.
        ("profile_dir", "Add your first school", False),
    ],
)
def test_import_a_bundle_with_ctrl_i(
    qtbot, request, tmp_path, scripted_dialogs, start, from_control, stays
):
    profile_dir = request.getfixturevalue(start)
    bundle = colleague_bundle(tmp_path, profile_dir, "Harbor View Elementary")
    window = window_on(qtbot, profile_dir)
    before = tab_to(qtbot, from_control)  # an empty caseload offers its first school instead
    scripted_dialogs.file_answers = [str(bundle)]
    press(qtbot, Key.Key_I, CTRL)  # the file dialog (scripted) answers with Dana's bundle
    settle(qtbot)
    assert scripted_dialogs.shown == [
        ("open_files", "Import bundles", "coachdesk bundles (*.coachdesk);;All files (*)"),
        ("info", "Imported", "from-dana.coachdesk (from Dana): 1 coach, 1 school or district."),
    ]
    window_manager_returns(qtbot, window)
    table = window.caseload.list_view.table
    assert table.isVisible()
    names = [table.model().index(r, 0).data() for r in range(table.model().rowCount())]
    assert "Harbor View Elementary" in names  # the school merged, in the caseload
    assert before.isVisible() is stays
    if stays:
        assert focused() is before  # back where the coach pressed Ctrl+I
    else:  # the focus stays in the window (on the list of areas; the table would be better)
        assert window.isAncestorOf(focused())


# --- resolve a conflict ---------------------------------------------------------------------------

BASE = "Substitute coverage kept teams apart.\nThe schedule has no common planning.\n"
LEE = BASE.replace("apart", "apart in October")
DANA = BASE + "Two new teachers started.\n"


def a_conflict(tmp_path: Path) -> tuple[Path, str]:
    """Dana's profile after taking Lee's edits of two answers Dana edited too (both laptops
    wrote 'Implementation challenges' and 'Agreements'); returns Dana's folder and the visit."""
    from tests.support.sync_world import coach_with_visit, make_devices

    dana, lee = make_devices(tmp_path, ["Dana", "Lee"])
    visit, _school, _internal = coach_with_visit(dana.profile)
    visits.save_answer(dana.profile, visit, "challenges", BASE)
    lee.take(dana.bundle())
    visits.save_answer(lee.profile, visit, "challenges", LEE)
    visits.save_answer(lee.profile, visit, "agreements", "Lee: meet again in January.")
    visits.save_answer(dana.profile, visit, "challenges", DANA)
    visits.save_answer(dana.profile, visit, "agreements", "Dana: meet again in February.")
    dana.take(lee.bundle())
    folder = dana.profile.directory
    dana.profile.close()
    lee.profile.close()
    return folder, visit


def test_resolve_conflicts_from_the_conflicts_area(qtbot, tmp_path):
    folder, visit_id = a_conflict(tmp_path)
    window = window_on(qtbot, folder)
    press(qtbot, Key.Key_3, CTRL)  # Go ▸ Conflicts
    settle(qtbot)
    assert window.current_area() == "conflicts"
    view = window.area_widget("conflicts")
    listed = tab_to(qtbot, "Fields in conflict")
    assert listed is view.list and view.list.count() == 2
    labels = [view.list.item(i).text().split(" (")[0] for i in range(2)]
    assert sorted(labels) == ["Agreements", "Implementation challenges"]
    assert view.current.summary.field_label == labels[0]  # the first one is open
    press(qtbot, Key.Key_Down)  # the arrows choose which conflict the page shows
    settle(qtbot)
    assert view.current.summary.field_label == labels[1]
    if labels[1] != "Agreements":  # the list's order follows the answers' ids
        press(qtbot, Key.Key_Up)
        settle(qtbot)
    assert view.current.summary.field_label == "Agreements" and focused() is view.list
    keep_lee = tab_to(qtbot, "Keep Lee's version")
    assert view.detail.isAncestorOf(keep_lee)
    press(qtbot, Key.Key_Space)
    settle(qtbot)
    assert focused() is view.list  # the next conflict, from the list
    assert view.list.count() == 1 and view.current.summary.field_label == (
        "Implementation challenges"
    )
    merged = tab_to(qtbot, "Merged text")
    assert isinstance(merged, QPlainTextEdit) and merged.tabChangesFocus()
    press(qtbot, Key.Key_End, CTRL)
    type_keys(qtbot, "Coverage improved in November.")
    press(qtbot, Key.Key_Tab)  # Tab leaves the merged text, for its button
    assert name_of(focused()) == "Keep the merged text"
    press(qtbot, Key.Key_Return)
    settle(qtbot)
    assert view.list.count() == 0 and view.empty.isVisible()  # the conflicts are gone
    assert focused() is view.list
    answers = visits.get_visit(window.profile, visit_id).response
    assert answers["agreements"] == "Lee: meet again in January."
    assert answers["challenges"] == (
        "Substitute coverage kept teams apart in October.\nThe schedule has no common planning."
        "\nTwo new teachers started.\nCoverage improved in November."
    )


def test_an_answer_in_conflict_leads_to_conflicts_by_keys(qtbot, tmp_path):
    folder, visit_id = a_conflict(tmp_path)
    window = window_on(qtbot, folder)
    popup = search_popup(qtbot, window)
    type_keys(qtbot, "Substitute")  # the words of the answer in conflict
    press(qtbot, Key.Key_Return)
    window_manager_returns(qtbot, window)
    page = window.caseload.visit_page
    assert page.visit.id == visit_id and not popup.isVisible()
    note = page.conflict_notes.notes["challenges"]
    answer = page.form.field_row("challenges").input.focus_target()
    assert tab_to(qtbot, note.accessibleName()) is note  # the line on the answer in conflict
    press(qtbot, Key.Key_Tab)  # one Tab stop: on to its answer
    assert focused() is answer
    press(qtbot, Key.Key_Backtab)
    assert focused() is note
    press(qtbot, Key.Key_Return)  # Enter opens Conflicts
    settle(qtbot)
    conflicts_view = window.area_widget("conflicts")
    assert window.current_area() == "conflicts" and focused() is conflicts_view.list
    press(qtbot, Key.Key_Left, ALT)  # back to the answer's line, where the coach was
    settle(qtbot)
    assert window.current_area() == "caseload" and focused() is note


def test_on_an_empty_profile_the_conflicts_area_says_there_are_none(qtbot, profile_dir):
    open_profile(profile_dir).close()
    window = window_on(qtbot, profile_dir)
    press(qtbot, Key.Key_3, CTRL)
    settle(qtbot)
    view = window.area_widget("conflicts")
    assert window.current_area() == "conflicts" and view.empty.isVisible()
    assert view.empty.text() == "No conflicts: every field has one current version."
    assert tab_to(qtbot, "Fields in conflict") is view.list and view.list.count() == 0
    press(qtbot, Key.Key_Tab)  # nothing else to reach here: on to the list of areas
    assert name_of(focused()) == "Areas"


@pytest.mark.parametrize("start", ["demo_dir", "profile_dir"])
def test_import_several_bundles_and_read_the_summary_by_keys(
    qtbot, request, tmp_path, scripted_dialogs, start
):
    from coachdesk.ui.rollup.folder_import import ImportSummaryDialog

    profile_dir = request.getfixturevalue(start)
    open_profile(profile_dir).close()
    bundles = [
        colleague_bundle(tmp_path, profile_dir, "Harbor View Elementary", "Dana"),
        colleague_bundle(tmp_path, profile_dir, "Lakeside Middle School", "Lee"),
    ]
    junk = tmp_path / "notes.coachdesk"
    junk.write_bytes(b"not a bundle")
    window = window_on(qtbot, profile_dir)
    before = focused()  # the list of areas
    scripted_dialogs.file_answers = [[str(p) for p in (*bundles, junk)]]
    seen: list[str] = []

    def drive(dialog: ImportSummaryDialog) -> None:
        seen.append(name_of(focused()))  # Close, the default: Enter or Escape closes
        table = tab_to(qtbot, "Imported, by coach")
        assert table.currentRow() == 0
        press(qtbot, Key.Key_Down)  # the arrows move through the coaches
        assert table.currentRow() == 1 and focused() is table
        refused = tab_to(qtbot, "Refused files")
        assert refused.count() == 1 and refused.item(0).text().startswith("notes.coachdesk")
        press(qtbot, Key.Key_Escape)

    dialogs = by_keys(qtbot, scripted_dialogs, drive, kinds=(ImportSummaryDialog,))
    press(qtbot, Key.Key_I, CTRL)
    settle(qtbot)
    assert len(dialogs) == 1 and not dialogs[0].isVisible()
    assert seen == ["Close"]
    assert sorted(row[0] for row in dialogs[0].rows()) == ["Dana", "Lee"]
    window_manager_returns(qtbot, window)
    assert focused() is before  # back where the coach pressed Ctrl+I
    names = {r.school_name for r in window.caseload.list_view.visible_rows()}
    assert {"Harbor View Elementary", "Lakeside Middle School"} <= names  # merged, shown
