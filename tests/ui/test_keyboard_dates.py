"""Dates and times by keyboard: one Tab stop each, typed as a US coach writes them, or picked from
a calendar that Alt+Down or F4 opens and Escape closes; what cannot be read is said under the
field and never saved as an empty date."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QToolButton

from coachdesk.core import visits
from coachdesk.ui.caseload.form_dialog import FormDialog
from coachdesk.ui.date_input import DateInput
from coachdesk.ui.visits.start_dialog import StartVisitDialog
from tests.support.ui import open_visit_page

SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier
TODAY = dt.date(2026, 12, 1)


def _shown(qtbot, widget) -> None:
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)


def _press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)
    return QApplication.focusWidget()


def _dialog(qtbot, *, optional: bool = False) -> tuple[FormDialog, DateInput, list]:
    dialog = FormDialog("Review")
    saved: list = []
    dialog.add_line("who", "Reviewed by", "Jordan")
    day = dialog.add_date("on", "Review by", None, optional=optional)
    day.today = lambda: TODAY
    dialog.add_line("note", "Note")
    dialog.on_save(lambda values: saved.append(values) or values)
    _shown(qtbot, dialog)
    return dialog, day, saved


def test_start_a_visit_takes_one_tab_per_field(qtbot):
    dialog = StartVisitDialog("Lincoln Park Elementary", ("NY_RCV",), now=dt.datetime(2026, 3, 9))
    _shown(qtbot, dialog)
    dialog.kind_box.setFocus()
    when = dialog.when_edit
    assert _press(qtbot, Qt.Key.Key_Tab) is when.day.edit
    assert _press(qtbot, Qt.Key.Key_Tab) is when.clock.edit
    assert _press(qtbot, Qt.Key.Key_Tab) is dialog.purpose_edit
    assert _press(qtbot, Qt.Key.Key_Tab, SHIFT) is when.clock.edit
    assert _press(qtbot, Qt.Key.Key_Tab, SHIFT) is when.day.edit


def test_typing_the_start_of_a_visit_then_starting_it(qtbot):
    dialog = StartVisitDialog("Lincoln Park Elementary", ("NY_RCV",), now=dt.datetime(2026, 3, 9))
    _shown(qtbot, dialog)
    when = dialog.when_edit
    when.setFocus()
    when.day.edit.selectAll()
    qtbot.keyClicks(when.day.edit, "3/10/26")
    assert _press(qtbot, Qt.Key.Key_Tab) is when.clock.edit
    when.clock.edit.selectAll()
    qtbot.keyClicks(when.clock.edit, "930a")
    assert _press(qtbot, Qt.Key.Key_Tab) is dialog.purpose_edit
    assert when.text() == "Tue, Mar 10, 2026  9:30 AM"
    assert dialog.try_accept()
    assert dialog.chosen()[1] == dt.datetime(2026, 3, 10, 9, 30)


def test_a_start_that_cannot_be_read_keeps_the_dialog_open_and_says_so(qtbot):
    dialog = StartVisitDialog("Lincoln Park Elementary", ("NY_RCV",), now=dt.datetime(2026, 3, 9))
    _shown(qtbot, dialog)
    dialog.when_edit.day.edit.setText("the 10th")
    assert not dialog.try_accept()
    assert dialog.isVisible()
    sentence = dialog.when_edit.problem_label  # under both the date and the time
    assert sentence.isVisible()
    assert sentence.text() == (
        "“the 10th” is not a date: type it like 11/3/2026, Nov 3, 2026 or today."
    )
    assert dialog.when_edit.day.edit.text() == "the 10th"  # kept, to be corrected


def test_the_visit_details_start_and_end_each_leave_on_one_tab(qtbot, demo):
    school_id = visits.list_visits(demo)[0].school_id
    visit_id = visits.start_visit(
        demo, school_id, visit_type="onsite", starts_at=dt.datetime(2026, 11, 3, 9, 0)
    )
    page = open_visit_page(qtbot, demo, visit_id)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    details = page.details
    details.type_box.setFocus()
    assert _press(qtbot, Qt.Key.Key_Tab) is details.start_edit.day.edit
    assert _press(qtbot, Qt.Key.Key_Tab) is details.start_edit.clock.edit
    assert _press(qtbot, Qt.Key.Key_Tab) is details.end_edit.edit  # "Ends", once
    qtbot.keyClicks(details.end_edit.edit, "11:15 am")
    assert _press(qtbot, Qt.Key.Key_Tab) is details.purpose_edit
    assert details.end_edit.text() == "11:15 AM"
    assert visits.get_visit(demo, visit_id).ends_at.time() == dt.time(11, 15)


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("11/3/2026", dt.date(2026, 11, 3)),
        ("11/3/26", dt.date(2026, 11, 3)),
        ("Nov 3 2026", dt.date(2026, 11, 3)),
        ("Nov 3, 2026", dt.date(2026, 11, 3)),
        ("2026-11-03", dt.date(2026, 11, 3)),
        ("today", TODAY),
        ("tomorrow", dt.date(2026, 12, 2)),
    ],
)
def test_the_ways_a_us_coach_types_a_date(qtbot, typed, day):
    dialog, field, saved = _dialog(qtbot)
    field.setFocus()
    qtbot.keyClicks(field.edit, typed)
    _press(qtbot, Qt.Key.Key_Tab)
    assert field.text() == f"{day:%b} {day.day}, {day.year}"
    assert not field.problem_label.isVisible()
    assert dialog.try_accept()
    assert saved[0]["on"] == day


def test_an_unreadable_date_is_said_under_the_field_and_not_saved(qtbot):
    dialog, field, saved = _dialog(qtbot)
    field.setFocus()
    qtbot.keyClicks(field.edit, "13/45/2026")
    assert _press(qtbot, Qt.Key.Key_Tab) is dialog.inputs["note"]  # Tab leaves, not swallowed
    assert field.problem_label.isVisible()
    assert "“13/45/2026” is not a date" in field.problem_label.text()
    assert not dialog.try_accept()
    assert saved == [] and dialog.isVisible()
    assert not dialog.error.isVisible()  # said once, under the field
    assert field.edit.hasFocus() and field.text() == "13/45/2026"


def test_an_empty_required_date_is_refused_and_an_optional_one_is_no_date(qtbot):
    dialog, field, saved = _dialog(qtbot)
    assert not dialog.try_accept()
    assert field.problem_label.isVisible()
    assert field.problem_label.text() == "Enter a date, such as 11/3/2026, Nov 3, 2026 or today."
    assert saved == []
    optional, _field, kept = _dialog(qtbot, optional=True)
    assert optional.try_accept()
    assert kept[0]["on"] is None


def test_the_calendar_opens_from_the_keyboard_and_picks_a_day(qtbot):
    dialog, field, saved = _dialog(qtbot)
    field.setDate(dt.date(2026, 11, 3))
    field.setFocus()
    qtbot.keyClick(field.edit, Qt.Key.Key_Down, ALT)
    popup = field.popup
    assert popup is not None and popup.isVisible()
    grid = QApplication.focusWidget()
    assert grid is popup.grid
    assert grid.accessibleName() == "Days of November 2026"
    names = {b.accessibleName() for b in popup.findChildren(QToolButton)}
    assert {"Previous month", "Next month", "Choose the month", "Choose the year"} <= names
    qtbot.keyClick(grid, Qt.Key.Key_Right)
    qtbot.keyClick(grid, Qt.Key.Key_Down)
    qtbot.keyClick(grid, Qt.Key.Key_Return)
    assert not popup.isVisible()
    assert field.edit.hasFocus()
    assert field.value() == dt.date(2026, 11, 11)
    assert field.text() == "Nov 11, 2026"


def test_escape_closes_the_calendar_without_changing_the_date(qtbot):
    dialog, field, saved = _dialog(qtbot)
    field.setDate(dt.date(2026, 11, 3))
    field.setFocus()
    qtbot.keyClick(field.edit, Qt.Key.Key_F4)
    popup = field.popup
    assert popup.isVisible()
    qtbot.keyClick(popup.grid, Qt.Key.Key_Right)
    qtbot.keyClick(popup.grid, Qt.Key.Key_Escape)
    assert not popup.isVisible()
    assert field.edit.hasFocus()
    assert field.value() == dt.date(2026, 11, 3)
    assert dialog.isVisible()  # Escape closed the calendar, not the dialog


def test_a_date_question_in_a_visit_note_opens_the_same_calendar(qtbot, demo):
    from coachdesk.ui.forms.inputs import DateInput as AnswerDate

    school_id = visits.list_visits(demo)[0].school_id
    visit_id = visits.start_visit(
        demo, school_id, visit_type="onsite", starts_at=dt.datetime(2026, 11, 3, 9, 0)
    )
    page = open_visit_page(qtbot, demo, visit_id)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    question = page.form.findChildren(AnswerDate)[0]
    question.edit.setFocus()
    question.edit.setText("11/3/26")
    qtbot.keyClick(question.edit, Qt.Key.Key_F4)
    popup = question.popup
    assert popup.isVisible() and QApplication.focusWidget() is popup.grid
    assert popup.grid.accessibleName() == "Days of November 2026"
    qtbot.keyClick(popup.grid, Qt.Key.Key_Left)
    qtbot.keyClick(popup.grid, Qt.Key.Key_Return)
    assert question.edit.hasFocus() and question.edit.text() == "Nov 2, 2026"
    assert question.value() == "2026-11-02"
