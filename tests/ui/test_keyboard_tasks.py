"""Each main task by keys alone (issue 16): find a school, start a visit, type a note, add a next
step, finalize, print the summary, import a bundle, resolve a conflict.

Every key goes to the widget that has the keyboard focus (`QApplication.focusWidget()`), as a
coach's keyboard would: nothing is clicked and no method of a widget is called to move on. Each
test says where the focus is after every step that moves it, and ends on what the coach sees (the
note saved, the visit final, the PDF written, the school merged, the conflict gone). The records a
task starts from (a visit begun yesterday, a colleague's bundle) are made with core beforehand.
On an empty profile only some tasks arise (search, Ctrl+N, importing, Conflicts): a note needs a
school first.

Modal dialogs go through the scripted presenter (tests/ui/conftest.py): `by_keys` shows the dialog
and drives it with keys, and its result is what the keys made it. File dialogs are the platform's
own, so their answers are scripted. When a dialog or the search popup closes, the offscreen
platform activates no window; `window_manager_returns` does what a desktop's window manager does
then (the main window is active again), and the test then checks where the focus landed in it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDialog,
    QPlainTextEdit,
    QWidget,
)

from coachdesk.core import schools, visits
from coachdesk.core.dates_text import medium_date
from coachdesk.core.store.profile import open_profile
from coachdesk.ui.main_window import MainWindow
from coachdesk.ui.visits.finalize import PrivacyWarningDialog
from coachdesk.ui.visits.search_popup import SearchPopup
from coachdesk.ui.visits.start_dialog import StartVisitDialog
from tests.support.ui import open_window, settle

Key = Qt.Key
NONE = Qt.KeyboardModifier.NoModifier
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier


# --- the keyboard ---------------------------------------------------------------------------------


def focused() -> QWidget:
    """The widget that has the keyboard focus (a test fails when nothing has it)."""
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def name_of(widget: QWidget | None) -> str:
    """What a screen reader calls the control: its accessible name, else its text."""
    if widget is None:
        return ""
    if widget.accessibleName():
        return widget.accessibleName()
    if isinstance(widget, QAbstractButton):
        return widget.text().replace("&", "")
    return ""


def press(qtbot, key: Key, modifiers: Qt.KeyboardModifier = NONE) -> None:
    QApplication.processEvents()  # a coach's keys arrive through the event loop, one by one
    qtbot.keyClick(focused(), key, modifiers)


def type_keys(qtbot, text: str) -> None:
    QApplication.processEvents()
    qtbot.keyClicks(focused(), text)


def tab_to(qtbot, name: str, *, backwards: bool = False, limit: int = 80) -> QWidget:
    """Press Tab (or Shift+Tab) until the control called `name` has the focus; fails when Tab
    never reaches it (a control a keyboard cannot get to, or a trap on the way)."""
    seen: list[str] = []
    for _ in range(limit):
        press(qtbot, Key.Key_Backtab if backwards else Key.Key_Tab)
        widget = focused()
        if name_of(widget) == name:
            return widget
        seen.append(name_of(widget) or type(widget).__name__)
    raise AssertionError(f"Tab never reached {name!r}; it went through {seen}")


def window_manager_returns(qtbot, window: QWidget) -> None:
    """A dialog or popup closed: the window manager makes the main window active again (the
    offscreen platform has none to do it)."""
    settle(qtbot)  # the platform first hears that the closed window lost the focus
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def active(qtbot, window: QWidget) -> QWidget:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def by_keys(qtbot, scripted, drive: Callable[[QDialog], None], *, kinds: tuple = ()):
    """Answer the next dialogs (of these classes, else any) by showing them and driving them with
    keys; the result is what the keys made it (Enter on Start, Escape...)."""
    seen: list[QDialog] = []

    def handler(dialog):
        if kinds and not isinstance(dialog, kinds):
            return QDialog.DialogCode.Rejected
        seen.append(dialog)
        dialog.show()
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
        drive(dialog)
        if dialog.isVisible():  # the keys left it open: it was not accepted
            dialog.reject()
        return dialog.result()

    scripted.dialog_handler = handler
    return seen


# --- opening the window ---------------------------------------------------------------------------


def window_on(qtbot, profile_dir: Path) -> MainWindow:
    window = open_window(qtbot, profile_dir)
    active(qtbot, window)
    assert name_of(focused()) == "Areas"  # the window opens on its list of areas
    return window


def to_caseload_table(qtbot, window: MainWindow) -> QWidget:
    """From the list of areas, Tab to the caseload's table of schools."""
    assert window.current_area() == "caseload"
    table = tab_to(qtbot, "Schools in the caseload")
    assert table is window.caseload.list_view.table
    return table


def search_popup(qtbot, window: MainWindow) -> SearchPopup:
    """Ctrl+K: the search popup, its box holding the focus."""
    press(qtbot, Key.Key_K, CTRL)
    popup = window.findChild(SearchPopup)
    assert popup is not None and popup.isVisible()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is popup.box)
    return popup


# --- find a school --------------------------------------------------------------------------------


def test_find_a_school_by_ctrl_k_typing_arrows_and_enter(qtbot, demo_dir):
    window = window_on(qtbot, demo_dir)
    popup = search_popup(qtbot, window)
    type_keys(qtbot, "principal")
    assert focused() is popup.box  # typing stays in the box; the results follow
    hits = [item.data(0, Qt.ItemDataRole.UserRole) for item in popup._hit_items()]
    assert len(hits) > 2 and hits[0].kind == "contact"
    assert popup.results.currentItem() is popup._hit_items()[0]  # the first result is selected
    press(qtbot, Key.Key_Down)
    press(qtbot, Key.Key_Down)
    press(qtbot, Key.Key_Up)
    assert focused() is popup.box  # the arrows move through the results from the box
    chosen = hits[1]
    assert popup.results.currentItem() is popup._hit_items()[1]
    press(qtbot, Key.Key_Return)
    assert not popup.isVisible()
    window_manager_returns(qtbot, window)
    page = window.caseload.school_page
    assert window.current_area() == "caseload" and window.caseload.currentWidget() is page
    assert page.school.id == chosen.school_id
    assert page.isAncestorOf(focused()) and name_of(focused()) == "Visits"  # its visits, first


def test_on_an_empty_profile_the_search_finds_nothing_and_escape_closes_it(qtbot, profile_dir):
    open_profile(profile_dir).close()
    window = window_on(qtbot, profile_dir)
    popup = search_popup(qtbot, window)
    type_keys(qtbot, "principal")
    assert popup.summary.text() == "Nothing found for “principal”."
    press(qtbot, Key.Key_Down)
    press(qtbot, Key.Key_Return)  # nothing to open: the popup stays, the box keeps the focus
    assert popup.isVisible() and focused() is popup.box
    press(qtbot, Key.Key_Escape)
    assert not popup.isVisible()
    window_manager_returns(qtbot, window)
    assert name_of(focused()) == "Areas"  # back where the coach was


# --- start a visit --------------------------------------------------------------------------------


def test_start_a_visit_with_ctrl_n_and_the_dialog_by_tab_and_typing(
    qtbot, demo_dir, scripted_dialogs
):
    window = window_on(qtbot, demo_dir)
    table = to_caseload_table(qtbot, window)
    press(qtbot, Key.Key_Down)
    press(qtbot, Key.Key_Down)
    school = window.caseload.list_view.current_row()
    assert school is not None and focused() is table
    visits_before = {v.id for v in visits.list_visits(window.profile, school_id=school.school_id)}
    day = dt.date.today() - dt.timedelta(days=2)
    seen_focus: list[str] = []

    def drive(dialog: StartVisitDialog) -> None:
        seen_focus.append(name_of(focused()))  # the visit type, first
        press(qtbot, Key.Key_Tab)
        seen_focus.append(name_of(focused()))  # Tab selects the date: typing replaces it
        type_keys(qtbot, "someday")
        press(qtbot, Key.Key_Tab)
        seen_focus.append(name_of(focused()))
        type_keys(qtbot, "930")
        press(qtbot, Key.Key_Tab)
        seen_focus.append(name_of(focused()))
        type_keys(qtbot, "Review the attendance plan")
        press(qtbot, Key.Key_Return)  # Enter presses "Start the visit": refused, and why
        assert dialog.isVisible()
        assert dialog.when_edit.problem_label.text() == (
            "“someday” is not a date: type it like 11/3/2026, Nov 3, 2026 or today."
        )
        seen_focus.append(name_of(focused()))  # back on the date, its text selected
        assert focused().selectedText() == "someday"
        type_keys(qtbot, f"{day.month}/{day.day}/{day.year % 100}")
        press(qtbot, Key.Key_Return)  # started

    dialogs = by_keys(qtbot, scripted_dialogs, drive, kinds=(StartVisitDialog,))
    press(qtbot, Key.Key_N, CTRL)
    assert len(dialogs) == 1 and dialogs[0].result() == QDialog.DialogCode.Accepted
    assert seen_focus == ["Visit type", "Starts: date", "Starts: time", "Purpose", "Starts: date"]
    started = [
        v
        for v in visits.list_visits(window.profile, school_id=school.school_id)
        if v.id not in visits_before
    ]
    assert len(started) == 1
    visit = visits.get_visit(window.profile, started[0].id)
    assert visit.starts_at == dt.datetime.combine(day, dt.time(9, 30))
    assert visit.purpose == "Review the attendance plan"
    window_manager_returns(qtbot, window)
    page = window.caseload.visit_page
    assert window.caseload.currentWidget() is page and page.visit.id == visit.id
    assert name_of(focused()) == "Visit date (required)"  # the new note's first answer
    assert page.form.isAncestorOf(focused())


def test_on_an_empty_profile_ctrl_n_says_what_a_visit_needs(qtbot, profile_dir, scripted_dialogs):
    open_profile(profile_dir).close()
    window = window_on(qtbot, profile_dir)
    first = tab_to(qtbot, "Add your first school")
    press(qtbot, Key.Key_N, CTRL)
    assert scripted_dialogs.shown == []  # no dialog: a visit needs a school
    assert window.statusBar().currentMessage() == (
        "Select a school on the Caseload to start a visit."
    )
    assert focused() is first  # the next step is right there


# --- a visit note: type, add a next step, finalize, print ---------------------------------------

WORD = "zebrafinch"  # a word the demo never uses: the search finds only this visit


def a_visit(window: MainWindow, *, final: bool = False) -> str:
    """A draft NY visit that began yesterday by the school's clock (so it can be finalized),
    with WORD in its purpose; final when asked, with its required answers."""
    row = next(r for r in window.caseload.list_view.visible_rows() if r.program_code == "NY_RCV")
    tz = ZoneInfo(schools.get_school(window.profile, row.school_id).tz)
    start = dt.datetime.now(tz).replace(tzinfo=None, second=0, microsecond=0)
    visit_id = visits.start_visit(
        window.profile,
        row.school_id,
        visit_type="onsite",
        starts_at=start - dt.timedelta(days=1),
        purpose=f"Walk the {WORD} plan",
    )
    if final:
        visits.save_answer(window.profile, visit_id, "purpose", ["dii_progress"])
        visits.save_answer(window.profile, visit_id, "dii_reviewed", "yes")
        visits.save_answer(window.profile, visit_id, "lead_strategies", "Met the leadership team.")
        visits.finalize_visit(window.profile, visit_id)
    return visit_id


def open_by_search(qtbot, window: MainWindow, visit_id: str):
    """Ctrl+K, the visit's word, Enter: the visit's page, the cursor in its first answer."""
    popup = search_popup(qtbot, window)
    type_keys(qtbot, WORD)
    hit = popup.results.currentItem().data(0, Qt.ItemDataRole.UserRole)
    assert hit.record_id == visit_id
    press(qtbot, Key.Key_Return)
    window_manager_returns(qtbot, window)
    page = window.caseload.visit_page
    assert window.caseload.currentWidget() is page and page.visit.id == visit_id
    assert focused() is page.form.field_row("visit_date").input.focus_target()  # its first answer
    return page


def stored(window: MainWindow, visit_id: str):
    return visits.get_visit(window.profile, visit_id)


def wait_saved(qtbot, page) -> None:
    qtbot.waitUntil(lambda: not page.saver.has_pending(), timeout=3000)
    assert page.saved_label.text().startswith("Saved ")


def test_add_an_attendee_from_the_contacts_by_keys(qtbot, demo_dir):
    window = window_on(qtbot, demo_dir)
    visit_id = a_visit(window)
    page = open_by_search(qtbot, window, visit_id)
    box = tab_to(qtbot, "Add a contact")
    second = box.itemText(2)  # "Name · Role" of the school's second contact
    press(qtbot, Key.Key_Down)  # opens the list: passing a contact adds nothing
    assert box.view().isVisible() and stored(window, visit_id).attendees == ()
    press(qtbot, Key.Key_Down)
    press(qtbot, Key.Key_Down)
    assert stored(window, visit_id).attendees == ()
    press(qtbot, Key.Key_Return)  # Enter adds the one chosen
    settle(qtbot)
    assert not box.view().isVisible() and focused() is box
    assert [f"{a.name} · {a.role}" for a in stored(window, visit_id).attendees] == [second]
    assert page.details.attendee_list.item(0).text() == second
    assert box.currentIndex() == 0  # ready to add another
    tab_to(qtbot, "Remove the selected attendee")
    press(qtbot, Key.Key_Tab)  # the details' last control, then straight to the note's answers
    assert focused() is page.form.field_row("visit_date").input.focus_target()


def test_type_a_note_in_an_answer(qtbot, demo_dir):
    window = window_on(qtbot, demo_dir)
    visit_id = a_visit(window)
    page = open_by_search(qtbot, window, visit_id)
    note = tab_to(qtbot, "Lead strategies discussed")
    assert isinstance(note, QPlainTextEdit) and page.form.isAncestorOf(note)
    type_keys(qtbot, "Walked the data wall with the principal.")
    press(qtbot, Key.Key_Return)  # Enter starts a new line in a long answer
    type_keys(qtbot, "Agreed on two coaching cycles.")
    assert focused() is note
    press(qtbot, Key.Key_Tab)  # Tab leaves the answer (it never types a tab)
    assert name_of(focused()) == "Did you review DII data together? (required)"
    wait_saved(qtbot, page)
    assert stored(window, visit_id).response["lead_strategies"] == (
        "Walked the data wall with the principal.\nAgreed on two coaching cycles."
    )


def test_add_a_next_step(qtbot, demo_dir):
    window = window_on(qtbot, demo_dir)
    visit_id = a_visit(window)
    page = open_by_search(qtbot, window, visit_id)
    tab_to(qtbot, "Add next step")
    press(qtbot, Key.Key_Space)
    assert name_of(focused()) == "Next step (required)"  # the new row's first answer
    assert page.form.repeat_block("next_steps").isAncestorOf(focused())
    type_keys(qtbot, "Share the attendance data wall")
    press(qtbot, Key.Key_Tab)
    assert name_of(focused()) == "Who (required)"
    type_keys(qtbot, "Principal")
    press(qtbot, Key.Key_Tab)
    assert name_of(focused()) == "By when (required)"
    due = stored(window, visit_id).starts_at.date() + dt.timedelta(days=14)
    type_keys(qtbot, f"{due.month}/{due.day}/{due.year}")
    press(qtbot, Key.Key_Tab)
    assert page.form.repeat_block("next_steps").isAncestorOf(focused())  # the row's status
    wait_saved(qtbot, page)
    items = stored(window, visit_id).action_items
    assert [(i.text, i.owner, i.due) for i in items] == [
        ("Share the attendance data wall", "Principal", due)
    ]
    assert page.form.field_row("next_steps[0].due").input.edit.text() == medium_date(due)


def test_finalize_by_keys(qtbot, demo_dir, scripted_dialogs):
    window = window_on(qtbot, demo_dir)
    visit_id = a_visit(window)
    page = open_by_search(qtbot, window, visit_id)
    press(qtbot, Key.Key_F, CTRL | SHIFT)  # nothing answered yet: refused, with what is missing
    kind, title, text = scripted_dialogs.shown[-1]
    assert (kind, title) == ("error", "Not ready to finalize")
    assert "Purpose of the visit" in text and "Did you review DII data together?" in text
    first = focused()  # the first missing answer holds the cursor
    assert name_of(first) == "Review progress toward DII targets"
    press(qtbot, Key.Key_Space)
    assert first.isChecked()
    combo = tab_to(qtbot, "Did you review DII data together? (required)")
    assert isinstance(combo, QComboBox)
    press(qtbot, Key.Key_Down)  # the first answer after "Choose…"
    assert combo.currentData() is not None
    wait_saved(qtbot, page)
    press(qtbot, Key.Key_F, CTRL | SHIFT)
    visit = stored(window, visit_id)
    assert visit.status == "final"
    assert visit.response["dii_reviewed"] == combo.currentData()
    assert "Final" in page.subtitle.text() and page.form.read_only
    assert page.amend_button.isVisible() and not page.finalize_button.isVisible()
    assert focused() is page.print_button  # what comes next for a final note


def test_a_privacy_warning_is_answered_by_keys(qtbot, demo_dir, scripted_dialogs):
    window = window_on(qtbot, demo_dir)
    visit_id = a_visit(window)
    for path, answer in (
        ("purpose", ["dii_progress"]),
        ("dii_reviewed", "no"),
        ("lead_strategies", "Talked about student 123456789 and her reading."),
    ):
        visits.save_answer(window.profile, visit_id, path, answer)
    page = open_by_search(qtbot, window, visit_id)
    seen: list[str] = []
    answers = iter(["Enter", "Finalize anyway"])

    def drive(dialog: QDialog) -> None:
        seen.append(name_of(focused()))
        answer = next(answers)
        if answer == "Enter":
            press(qtbot, Key.Key_Return)  # the safe choice: Edit
        else:
            tab_to(qtbot, answer)
            press(qtbot, Key.Key_Space)

    shown = by_keys(qtbot, scripted_dialogs, drive, kinds=(PrivacyWarningDialog,))
    press(qtbot, Key.Key_F, CTRL | SHIFT)
    assert len(shown) == 1 and shown[0].result() == QDialog.DialogCode.Rejected
    assert stored(window, visit_id).status == "draft"
    window_manager_returns(qtbot, window)
    assert name_of(focused()) == "Lead strategies discussed"  # the answer to check, to edit
    press(qtbot, Key.Key_F, CTRL | SHIFT)
    assert len(shown) == 2 and shown[1].result() == QDialog.DialogCode.Accepted
    assert seen == ["Edit", "Edit"]  # each time the dialog opens on its safe choice
    assert stored(window, visit_id).status == "final" and "Final" in page.subtitle.text()


def test_the_earlier_next_steps_come_right_after_the_pages_actions(qtbot, demo_dir):
    window = window_on(qtbot, demo_dir)
    window.resize(1024, 640)  # a small laptop, with larger text: the side column scrolls
    font = window.font()
    font.setPointSizeF(font.pointSizeF() * 1.5)
    window.setFont(font)
    visit_id = a_visit(window)
    page = open_by_search(qtbot, window, visit_id)
    earlier = stored(window, visit_id).earlier_open_items
    assert earlier  # the demo school has next steps still open from its last visit
    tab_to(qtbot, "Send packet…")
    page.side.verticalScrollBar().setValue(page.side.verticalScrollBar().maximum())
    press(qtbot, Key.Key_Tab)  # past the actions: the follow-up, shown first in the side column
    assert name_of(focused()) == f"Done: {earlier[0].text}"
    # The column scrolled to the whole item (what, who, when), not only to its button.
    item = focused().parentWidget()
    top_left = item.mapTo(page.side.viewport(), item.rect().topLeft())
    assert page.side.viewport().rect().contains(item.rect().translated(top_left))
    press(qtbot, Key.Key_Tab)
    assert name_of(focused()) == f"Carry on: {earlier[0].text}"
    press(qtbot, Key.Key_Space)
    assert dict(page.follow_up.shown_items())[earlier[0].id] == "Carried on"
    last = earlier[-1].text
    tab_to(qtbot, f"Drop: {last}")
    press(qtbot, Key.Key_Tab)  # then the visit's details
    assert name_of(focused()) == "Visit type" and page.details.isAncestorOf(focused())
    reviewed = {i.id: i.reviewed_in_visit_id for i in visits.open_action_items(window.profile)}
    assert reviewed[earlier[0].id] == visit_id


def test_print_the_summary_by_keys(qtbot, demo_dir, scripted_dialogs, tmp_path):
    window = window_on(qtbot, demo_dir)
    visit_id = a_visit(window, final=True)
    page = open_by_search(qtbot, window, visit_id)
    before = focused()
    target = tmp_path / "summary.pdf"
    scripted_dialogs.file_answers = [str(target)]
    seen: list[str] = []

    def drive(dialog: QDialog) -> None:
        seen.append(f"{type(dialog).__name__}: {name_of(focused())}")
        if type(dialog).__name__ == "PdfPreviewDialog":
            tab_to(qtbot, "Save as PDF")
            press(qtbot, Key.Key_Space)  # the scripted save dialog answers with `target`
            assert dialog.isVisible()
            press(qtbot, Key.Key_Escape)  # closes the preview
        else:
            press(qtbot, Key.Key_Escape)  # "Mark the note as shared?": No

    by_keys(qtbot, scripted_dialogs, drive)
    press(qtbot, Key.Key_P, CTRL)
    assert seen == [
        "PdfPreviewDialog: Visit summary, page view",  # the pages, for the arrow keys
        "ShareNoteDialog: Shared with the school on",  # a final note printed: shared, and when?
    ]
    assert ("save_file", "Save as PDF", page.visit.starts_at.date().isoformat()) == (
        scripted_dialogs.shown[1][0],
        scripted_dialogs.shown[1][1],
        scripted_dialogs.shown[1][2][:10],
    )
    assert target.read_bytes().startswith(b"%PDF")
    assert stored(window, visit_id).shared_on is None  # Escape answered No
    window_manager_returns(qtbot, window)
    assert focused() is before  # back where the coach pressed Ctrl+P


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
