"""The visit page's parts: read-only notes, walk mode, privacy warnings, attendees, autosave."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QDialog, QLineEdit

from coachdesk.core import forms, schools, visits
from coachdesk.core.store.visit_tables import Visit
from coachdesk.core.visits.service import _keep_form
from coachdesk.ui.date_input import DateInput, TimeInput
from coachdesk.ui.visits.autosave import AnswerSaver
from coachdesk.ui.visits.finalize import PrivacyWarningDialog
from coachdesk.ui.visits.visit_page import VisitPage
from tests.support.ui import open_visit_page
from tests.ui.visits.helpers import choose, tick, type_text


def school_with(profile, form_word: str) -> str:
    return next(
        r.school_id
        for r in visits.list_visits(profile)
        if r.form_title and form_word in r.form_title
    )


def started_now(profile, school_id) -> dt.datetime:
    """A few minutes ago by the school's clock: a visit that can be finalized."""
    zone = ZoneInfo(schools.get_school(profile, school_id).tz)
    return dt.datetime.now(zone).replace(tzinfo=None) - dt.timedelta(minutes=5)


def new_page(qtbot, profile, school_id, visit_type="onsite", when=None):
    visit_id = visits.start_visit(
        profile, school_id, visit_type=visit_type, starts_at=when or started_now(profile, school_id)
    )
    return open_visit_page(qtbot, profile, visit_id)


def test_a_note_on_a_form_version_no_longer_shipped_is_read_only_with_a_banner(qtbot, demo):
    school_id = school_with(demo, "Monthly")
    shipped = forms.find_definition("ny_rcv_monthly_visit", 1)
    old = forms.parse_form(
        shipped.text.replace("version: 1\n", "version: 99\n", 1), "old.yaml"
    ).definition
    assert old is not None and old.version == 99
    visit_id = visits.start_visit(demo, school_id, visit_type="onsite", starts_at=dt.datetime.now())
    visits.save_answer(demo, visit_id, "lead_strategies", "Written on the old form.")
    with demo.writing() as write:
        _keep_form(write.session, old)
        visit = write.session.get(Visit, visit_id)
        visit.form_version, visit.form_sha256 = 99, old.sha256

    page = VisitPage(demo)
    qtbot.addWidget(page)
    page.show()
    page.show_visit(visit_id)
    assert page.banner.isVisible()
    assert "no longer shipped" in page.banner.text()
    assert page.form.read_only
    edit = page.form.field_row("lead_strategies").input.focus_target()
    assert edit.toPlainText() == "Written on the old form." and edit.isReadOnly()
    assert not page.finalize_button.isVisible() and not page.amend_button.isVisible()
    assert not page.details.type_box.isEnabled()


def test_walk_mode_saves_each_rating_as_it_is_keyed(qtbot, demo):
    page = new_page(qtbot, demo, school_with(demo, "Learning walk"), "learning_walk")
    assert page.walk_button.isVisible()
    page.walk_button.click()
    walk = page.walk
    assert walk is not None and page.form_stack.currentWidget().widget() is walk
    assert not page.side.isVisible()  # the capture takes the page
    walk.setFocus()
    qtbot.keyClick(walk, Qt.Key.Key_1)  # observed, moves to the next look-for
    qtbot.keyClick(walk, Qt.Key.Key_2)  # partly
    first, second = walk._fields[0].name, walk._fields[1].name

    def keyed() -> dict:
        rows = visits.get_visit(demo, page.visit.id).response.get("classrooms") or [{}]
        return rows[0]

    qtbot.waitUntil(lambda: keyed().get(second) is not None)  # each key saves after a pause
    rows = visits.get_visit(demo, page.visit.id).response["classrooms"]
    assert rows[0][first] == "observed" and rows[0][second] == "partly"

    page.walk_button.click()  # back to the form: it shows the ratings keyed in walk mode
    assert page.walk is None and page.side.isVisible()
    assert page.form.response()["classrooms"][0][first] == "observed"


def test_privacy_warnings_offer_edit_or_finalize_anyway(qtbot, demo, scripted_dialogs):
    page = new_page(qtbot, demo, school_with(demo, "Monthly"))
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    form = page.form
    tick(form, "purpose", 0)
    choose(form, "dii_reviewed", "no")
    type_text(qtbot, form, "lead_strategies", "Talked about student 123456789 and her reading.")
    page.flush()

    scripted_dialogs.dialog_handler = lambda d: QDialog.DialogCode.Rejected  # "Edit"
    assert page.finalize() is False
    assert scripted_dialogs.shown[-1][:2] == ("dialog", PrivacyWarningDialog.__name__)
    assert visits.get_visit(demo, page.visit.id).status == "draft"
    assert form.field_row("lead_strategies").input.focus_target().hasFocus()  # ready to edit

    scripted_dialogs.dialog_handler = lambda d: QDialog.DialogCode.Accepted  # "Finalize anyway"
    assert page.finalize() is True
    assert visits.get_visit(demo, page.visit.id).status == "final"


def test_attendees_come_from_contacts_or_roles_never_typed_names(qtbot, demo):
    page = new_page(qtbot, demo, school_with(demo, "Monthly"))
    details = page.details
    contact_name = details.contact_box.itemText(1).split(" · ")[0]
    details.contact_box.activated.emit(1)
    role_index = details.role_box.findData("Principal")
    details.role_box.activated.emit(role_index if role_index > 0 else 1)
    stored = visits.get_visit(demo, page.visit.id).attendees
    assert stored[0].name == contact_name and stored[0].contact_id
    assert stored[1].name == "" and stored[1].contact_id is None
    assert details.attendee_list.count() == 2
    details.attendee_list.setCurrentRow(0)
    details.remove_button.click()
    assert len(visits.get_visit(demo, page.visit.id).attendees) == 1
    # The only free text in the details is the purpose: no box to type a person's name (the
    # start and end are typed too, but read as a date and times, never kept as text).
    typed = [
        e
        for e in details.findChildren(QLineEdit)
        if not isinstance(e.parent(), QAbstractSpinBox | QComboBox | DateInput | TimeInput)
    ]
    assert typed == [details.purpose_edit]


def test_autosave_waits_for_a_pause_and_keeps_the_order_of_saves(qtbot, demo):
    school_id = school_with(demo, "Monthly")
    visit_id = visits.start_visit(demo, school_id, visit_type="onsite", starts_at=dt.datetime.now())
    saver = AnswerSaver(demo)
    saver.set_visit(visit_id)
    saves = []
    saver.saved.connect(saves.append)
    saver.answer_changed("next_steps", [{"step": "Plan the PLC calendar", "owner": "Principal"}])
    saver.answer_changed("next_steps[0].owner", "Assistant principal")
    saver.answer_changed("lead_strategies", "Draft")
    saver.answer_changed("lead_strategies", "Draft two")
    assert saver.has_pending() and saves == []  # nothing saved mid-typing
    qtbot.waitUntil(lambda: bool(saves), timeout=2000)
    detail = visits.get_visit(demo, visit_id)
    assert detail.response["lead_strategies"] == "Draft two"
    assert [(i.text, i.owner) for i in detail.action_items] == [
        ("Plan the PLC calendar", "Assistant principal")
    ]
    history = visits.answer_history(demo, visit_id, "lead_strategies")
    assert [value for _hlc, value in history] == ["Draft two"]  # one save for the burst


def test_leaving_the_page_saves_at_once(qtbot, demo):
    page = new_page(qtbot, demo, school_with(demo, "Monthly"))
    edit = page.form.field_row("lead_strategies").input.focus_target()
    edit.setFocus()
    qtbot.keyClicks(edit, "Left in a hurry")
    page.leave()  # no wait at all
    assert visits.get_visit(demo, page.visit.id).response["lead_strategies"] == "Left in a hurry"


def test_print_summary_saves_waiting_answers_then_previews_the_pdf(
    qtbot, demo_dir, scripted_dialogs
):
    from coachdesk.core.visits import list_visits
    from coachdesk.ui.pdf_preview import PdfPreviewDialog
    from tests.ui.visits.helpers import open_window

    window = open_window(qtbot, demo_dir)
    visit = next(v for v in list_visits(window.profile) if v.visit_type == "onsite")
    window.caseload.open_visit(visit.id)
    page = window.caseload.visit_page
    pages: list[int] = []

    def look(dialog):
        if isinstance(dialog, PdfPreviewDialog):
            pages.append(dialog.document.page_count)
        return 0

    scripted_dialogs.dialog_handler = look
    page.print_button.click()
    assert pages and 1 <= pages[0] <= 2
    assert ("dialog", "PdfPreviewDialog", "Visit summary") in scripted_dialogs.shown


def test_the_notes_times_and_the_visit_details_stay_in_step(qtbot, demo):
    from PySide6.QtCore import QTime

    when = dt.datetime.combine(dt.date.today(), dt.time(9, 30))
    page = new_page(qtbot, demo, school_with(demo, "Monthly"), when=when)
    # The coach sets the end in the visit details: the note's "Ended" shows it.
    page.details.end_edit.setTime(QTime(11, 45))
    page.details.end_edit.editingFinished.emit()
    assert page.form.response()["end_time"] == "11:45"
    assert "9:30 – 11:45 AM" in page.subtitle.text()
    # The coach types the start in the note: the details and the header follow.
    page.form.field_row("start_time").input.focus_target().setFocus()
    page.saver.answer_changed("start_time", "10:00")
    page.flush()
    qtbot.waitUntil(lambda: "10:00 AM – 12:15 PM" in page.subtitle.text(), timeout=3000)
    assert page.details.start_edit.dateTime().toPython().time() == dt.time(10, 0)
