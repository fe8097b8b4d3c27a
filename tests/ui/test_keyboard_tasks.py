"""Each main task by keys alone (issue 16): find a school, start a visit, type a note, add a next
step, follow up, finalize, print the summary. Importing bundles and resolving conflicts are in
tests/ui/test_keyboard_tasks_sharing.py; the keys are driven by tests/ui/keys_alone.py.

Nothing is clicked and no method of a widget is called to move on. Each test says where the focus
is after every step that moves it, and ends on what the coach sees (the note saved, the visit
final, the PDF written). The records a task starts from (a visit begun yesterday) are made with
core beforehand. On an empty profile only some tasks arise (search, Ctrl+N): a note needs a school
first. File dialogs are the platform's own, so their answers are scripted.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QPlainTextEdit,
)

from coachdesk.core import schools, visits
from coachdesk.core.dates_text import medium_date
from coachdesk.core.store.profile import open_profile
from coachdesk.ui.main_window import MainWindow
from coachdesk.ui.visits.finalize import PrivacyWarningDialog
from coachdesk.ui.visits.start_dialog import StartVisitDialog
from tests.support.ui import settle
from tests.ui.keys_alone import (
    CTRL,
    SHIFT,
    Key,
    by_keys,
    focused,
    name_of,
    press,
    search_popup,
    tab_to,
    to_caseload_table,
    type_keys,
    window_manager_returns,
    window_on,
)

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
