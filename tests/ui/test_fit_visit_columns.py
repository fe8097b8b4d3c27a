"""The visit page's two columns at twice the text size in the room a 1024x640 laptop's window
gives a page (issue 16): the details and follow-up beside the note's form, neither needing to be
scrolled sideways. The Starts date and time put the time under the date, the role list's Remove
goes under it, a long check box option takes two lines, and the internal badge goes under its
question; at normal text on a wide page they stay side by side, on one line."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QCheckBox, QScrollArea, QWidget

from coachdesk.ui.forms.choice_inputs import WrappingCheckBox
from coachdesk.ui.visits.visit_page import VisitPage
from tests.ui.screen_probe import clipped_controls, clipped_labels
from tests.ui.test_fit_visit import _page, _settle, _with_follow_up


def _top(widget: QWidget, page: QWidget) -> QPoint:
    return widget.mapTo(page, QPoint(0, 0))


def _no_sideways_scroll(area: QScrollArea) -> None:
    assert area.widget().minimumSizeHint().width() <= area.viewport().width()
    assert area.horizontalScrollBar().maximum() == 0


def _long_option(page: VisitPage) -> WrappingCheckBox:
    assert page.form is not None
    boxes = page.form.findChildren(WrappingCheckBox)
    return max(boxes, key=lambda box: box.fontMetrics().horizontalAdvance(box.option))


def test_details_and_form_side_by_side_need_no_sideways_scrolling_at_twice_the_text(
    qtbot, demo, twice_the_text
):
    page = _page(qtbot, demo, _with_follow_up(demo), twice_the_text)
    _settle(qtbot)
    # Both columns show: earlier next steps wait to be followed up.
    assert page.side.isVisible() and page.form is not None and page.form.isVisible()
    _no_sideways_scroll(page.side)
    _no_sideways_scroll(page.form)
    assert clipped_controls("visit page", page) == []
    assert clipped_labels("visit page", page) == []

    # The visit starts: the time is under the date, each whole, still Tab after Tab.
    start = page.details.start_edit
    day, clock = start.day.edit, start.clock.edit
    assert _top(clock, page).y() >= _top(day, page).y() + day.height()
    assert clock.width() >= clock.fontMetrics().horizontalAdvance(clock.text())
    assert (day.accessibleName(), clock.accessibleName()) == ("Starts: date", "Starts: time")
    day.setFocus()
    QTest.keyClick(day, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is clock
    # Remove goes under "Add by role…", which shows its words whole.
    role, remove = page.details.role_box, page.details.remove_button
    assert _top(remove, page).y() >= _top(role, page).y() + role.height()

    # The longest purpose takes two lines in the form's column; it is named by its own words
    # and a click on them ticks it.
    box = _long_option(page)
    assert box.option == "Work through implementation challenges"
    assert box.accessibleName() == box.option
    assert box.accessibleDescription() == "Purpose of the visit (required)"
    assert box.height() >= 2 * box.fontMetrics().lineSpacing()
    assert box.width() < box.sizeHint().width()
    page.form.ensureWidgetVisible(box)
    _settle(qtbot)
    QTest.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(box.width() - 30, 10))
    assert box.isChecked()
    # The internal badge sits under its question, not squeezing it to a word a line.
    private = page.form.field_row("coach_notes")
    assert private.badge is not None
    assert _top(private.badge, page).y() >= _top(private.label, page).y() + private.label.height()


def test_at_normal_text_on_a_wide_page_the_columns_look_as_before(qtbot, demo):
    page = VisitPage(demo)
    qtbot.addWidget(page)
    page.show_visit(_with_follow_up(demo))
    page.resize(1130, 700)
    page.show()
    qtbot.waitExposed(page)
    _settle(qtbot)
    start = page.details.start_edit
    assert _top(start.clock, page).y() == _top(start.day, page).y()  # side by side
    role, remove = page.details.role_box, page.details.remove_button
    assert _top(remove, page).y() == _top(role, page).y()
    box = _long_option(page)
    assert box.height() == QCheckBox(box.option).sizeHint().height()  # one line, as Qt draws it
    assert box.width() >= box.sizeHint().width()
    private = page.form.field_row("coach_notes")
    assert _top(private.badge, page).y() == _top(private.label, page).y()
