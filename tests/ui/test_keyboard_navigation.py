"""Opening anything by keyboard puts the keys inside it; Escape or Alt+Left goes back.

Each way of opening (a Today item by Enter or a double-click, a search hit, a school from the
caseload, a district, a school from its district, a next step, a visit) is driven by its keys,
and the test reads where the keyboard is (QApplication.focusWidget()) and which area and page
show, then goes back and reads them again: the area, the row that was selected, the control.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QScrollArea, QSpinBox, QToolButton, QWidget

from coachdesk.core import visits
from coachdesk.core.dates_text import month_name
from coachdesk.core.errors import RefusedInput
from coachdesk.core.tracking_rules.facts import Act
from coachdesk.ui.going_back import GoingBack, Place, back_keys, button_text, first_control
from coachdesk.ui.help_dialog import menu_keys
from coachdesk.ui.visits.search_popup import SearchPopup
from tests.support.ui import open_window, settle
from tests.ui.accessibility_tree import tree_problems

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def _keys_here(qtbot, window) -> QWidget | None:
    """Where the keyboard is, once the window is the active one again (an opened page may
    briefly take the activation away on the offscreen platform)."""
    settle(qtbot)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return QApplication.focusWidget()


def _press(qtbot, window, key, modifier=Qt.KeyboardModifier.NoModifier) -> QWidget | None:
    """Press a key where the keyboard is; returns where the keyboard is afterwards."""
    qtbot.keyClick(QApplication.focusWidget() or window, key, modifier)
    return _keys_here(qtbot, window)


def _topmost_answer(form) -> QWidget:
    """The answer a coach sees first on the note: the highest (then leftmost) field."""
    fields = [
        w
        for w in form.widget().findChildren(QWidget)
        if w.focusPolicy() & Qt.FocusPolicy.TabFocus and w.isVisibleTo(form) and w.isEnabled()
    ]
    assert fields
    return min(
        fields, key=lambda w: (w.mapTo(form, QPoint(0, 0)).y(), w.mapTo(form, QPoint(0, 0)).x())
    )


def _today_row(today, wanted) -> int:
    model = today.model
    return next(
        r
        for r in range(model.rowCount())
        if model.entry_in_row(r) and wanted(model.entry_in_row(r))
    )


def _on_today(qtbot, window, wanted):
    """Today shown, the keyboard on its list, on the first item `wanted` accepts."""
    window.show_area("today")
    today = window.today
    row = _today_row(today, wanted)
    today.tree.setCurrentIndex(today.model.index(row, 0))
    today.tree.scrollTo(today.model.index(row, 0))
    today.tree.setFocus()
    assert _keys_here(qtbot, window) is today.tree
    return today, today.entry_of(today.tree.currentIndex())


def _selected_key(today) -> str | None:
    entry = today.entry_of(today.tree.currentIndex())
    return entry.item.key if entry is not None else None


def _on_the_list(qtbot, window, school_name: str):
    """The caseload list, the keyboard on its table, on this school's row."""
    window.show_area("caseload")
    view = window.caseload.list_view
    row = next(r for r in view.visible_rows() if r.school_name == school_name)
    assert view.select_school(row.school_id)
    view.table.setFocus()
    assert _keys_here(qtbot, window) is view.table
    return view, row


def _school_with_visits_and_district(window):
    from coachdesk.core import schools

    for row in sorted(window.caseload.list_view.visible_rows(), key=lambda r: r.school_name):
        school = schools.get_school(window.profile, row.school_id)
        if school.district_id and visits.list_visits(window.profile, school_id=school.id):
            return row
    raise AssertionError("the demo has schools with visits in a district")


def test_enter_on_a_today_item_opens_its_note_in_the_first_answer_and_escape_returns(
    qtbot, demo_dir
):
    window = open_window(qtbot, demo_dir, size=(1366, 768))
    today, entry = _on_today(qtbot, window, lambda e: e.item.act is Act.FINISH_NOTE)
    assert today.act_button.text() == "Open the note"

    keys = _press(qtbot, window, Qt.Key.Key_Return)
    page = window.caseload.visit_page
    assert window.current_area() == "caseload" and window.caseload.currentWidget() is page
    assert page.visit.id == entry.item.target.record_id
    assert keys is _topmost_answer(page.form)  # ready to type the note
    assert page.back_button.text() == "← Today"

    keys = _press(qtbot, window, Qt.Key.Key_Escape)
    assert window.current_area() == "today"
    assert keys is today.tree
    assert _selected_key(today) == entry.item.key  # the same item, where the coach left it


def test_a_double_click_on_a_today_item_opens_its_school_on_its_visits_and_alt_left_returns(
    qtbot, demo_dir
):
    window = open_window(qtbot, demo_dir, size=(1366, 768))
    today, entry = _on_today(qtbot, window, lambda e: e.item.act is Act.OPEN)
    middle = today.tree.visualRect(today.tree.currentIndex()).center()
    qtbot.mouseClick(today.tree.viewport(), Qt.MouseButton.LeftButton, pos=middle)
    qtbot.mouseDClick(today.tree.viewport(), Qt.MouseButton.LeftButton, pos=middle)
    keys = _keys_here(qtbot, window)
    page = window.caseload.school_page
    assert window.caseload.currentWidget() is page and page.school.id == entry.item.school_id
    timeline = page.visits_panel.timeline
    assert keys is timeline.table  # the school's visits, the newest selected: Enter opens it
    assert timeline.table.currentItem() is timeline.table.topLevelItem(0)
    assert len(window.going_back.places) == 1  # a double-click opens once

    keys = _press(qtbot, window, Qt.Key.Key_Left, ALT)
    assert window.current_area() == "today" and keys is today.tree
    assert _selected_key(today) == entry.item.key


def test_opening_the_school_still_shown_under_caseload_puts_the_keyboard_in_it_too(qtbot, demo_dir):
    window = open_window(qtbot, demo_dir, size=(1366, 768))
    today, entry = _on_today(qtbot, window, lambda e: e.item.act is Act.OPEN)
    _press(qtbot, window, Qt.Key.Key_Return)
    school_page = window.caseload.school_page
    assert window.caseload.currentWidget() is school_page
    school_page.back_button.setFocus()  # the coach moved on the page, then left it
    keys = _press(qtbot, window, Qt.Key.Key_1, CTRL)  # Go ▸ Today: the school stays behind
    assert window.current_area() == "today" and keys is today.tree

    keys = _press(qtbot, window, Qt.Key.Key_Return)  # the same item again
    assert window.caseload.currentWidget() is school_page
    assert keys is school_page.visits_panel.timeline.table
    keys = _press(qtbot, window, Qt.Key.Key_Escape)
    assert window.current_area() == "today" and keys is today.tree


def test_a_search_hit_opens_its_visit_and_escape_returns_to_the_row_searched_from(qtbot, demo_dir):
    window = open_window(qtbot, demo_dir, size=(1366, 768))
    names = sorted(r.school_name for r in window.caseload.list_view.visible_rows())
    view, row = _on_the_list(qtbot, window, names[3])

    qtbot.keyClick(view.table, Qt.Key.Key_K, CTRL)
    popup = window.findChild(SearchPopup)
    assert popup.isVisible()
    qtbot.waitUntil(popup.box.hasFocus)  # the search box, ready to type
    qtbot.keyClick(popup.box, Qt.Key.Key_Escape)  # Escape closes the search, nothing else
    assert not popup.isVisible()
    assert window.caseload.currentWidget() is view and window.going_back.places == []

    qtbot.keyClick(_keys_here(qtbot, window), Qt.Key.Key_K, CTRL)
    qtbot.waitUntil(popup.box.hasFocus)
    qtbot.keyClicks(popup.box, "princip")
    for _ in range(len(popup.hits)):  # Down in the box moves to the next result
        hit = popup.results.currentItem().data(0, Qt.ItemDataRole.UserRole)
        if hit.kind != "contact":
            break  # a note, a next step or a visit: it opens the visit
        qtbot.keyClick(popup.box, Qt.Key.Key_Down)
    assert hit.kind != "contact"
    qtbot.keyClick(popup.box, Qt.Key.Key_Return)
    keys = _keys_here(qtbot, window)
    page = window.caseload.visit_page
    assert not popup.isVisible()
    assert window.caseload.currentWidget() is page and page.visit.id == hit.record_id
    assert keys is _topmost_answer(page.form)

    keys = _press(qtbot, window, Qt.Key.Key_Escape)
    assert window.caseload.currentWidget() is view and keys is view.table
    assert view.current_row().school_id == row.school_id


def test_enter_opens_a_school_then_a_visit_and_escape_walks_back_through_both(qtbot, demo_dir):
    window = open_window(qtbot, demo_dir, size=(1366, 768))
    row = _school_with_visits_and_district(window)
    view, _ = _on_the_list(qtbot, window, row.school_name)

    keys = _press(qtbot, window, Qt.Key.Key_Return)
    school_page = window.caseload.school_page
    timeline = school_page.visits_panel.timeline
    assert window.caseload.currentWidget() is school_page
    assert school_page.school.id == row.school_id
    assert keys is timeline.table
    assert school_page.back_button.text() == "← Caseload"

    keys = _press(qtbot, window, Qt.Key.Key_Down)  # the second visit
    second = timeline.table.currentItem().data(0, Qt.ItemDataRole.UserRole)
    keys = _press(qtbot, window, Qt.Key.Key_Return)
    visit_page = window.caseload.visit_page
    assert window.caseload.currentWidget() is visit_page and visit_page.visit.id == second
    assert visit_page.form is None or keys is _topmost_answer(visit_page.form)
    assert visit_page.back_button.text() == button_text(row.school_name)
    assert visit_page.back_button.accessibleName() == f"Back to {row.school_name}"

    keys = _press(qtbot, window, Qt.Key.Key_Escape)
    assert window.caseload.currentWidget() is school_page and keys is timeline.table
    assert timeline.table.currentItem().data(0, Qt.ItemDataRole.UserRole) == second
    keys = _press(qtbot, window, Qt.Key.Key_Escape)
    assert window.caseload.currentWidget() is view and keys is view.table
    assert view.current_row().school_id == row.school_id
    keys = _press(qtbot, window, Qt.Key.Key_Escape)  # nowhere further back: nothing happens
    assert window.caseload.currentWidget() is view and keys is view.table


def test_on_a_small_screen_the_school_page_scrolls_to_the_visits_the_keyboard_is_in(
    qtbot, demo_dir
):
    window = open_window(qtbot, demo_dir, size=(1024, 640))
    row = _school_with_visits_and_district(window)
    _on_the_list(qtbot, window, row.school_name)
    keys = _press(qtbot, window, Qt.Key.Key_Return)
    table = window.caseload.school_page.visits_panel.timeline.table
    assert keys is table
    scroll = next(a for a in window.caseload.school_page.findChildren(QScrollArea))
    assert scroll.verticalScrollBar().value() > 0  # the visits are under the profile here
    shown = scroll.viewport().rect()
    row_rect = table.visualRect(table.currentIndex()).translated(table.viewport().pos())
    corner = table.mapTo(scroll.viewport(), row_rect.topLeft())
    assert shown.contains(corner) and shown.contains(corner + QPoint(0, row_rect.height() - 1))


def test_the_district_link_and_a_school_of_the_district_open_and_go_back_by_keys(qtbot, demo_dir):
    window = open_window(qtbot, demo_dir, size=(1366, 768))
    row = _school_with_visits_and_district(window)
    _on_the_list(qtbot, window, row.school_name)
    _press(qtbot, window, Qt.Key.Key_Return)
    school_page = window.caseload.school_page
    school_page.district_button.setFocus()
    assert _keys_here(qtbot, window) is school_page.district_button

    keys = _press(qtbot, window, Qt.Key.Key_Space)
    district_page = window.caseload.district_page
    assert window.caseload.currentWidget() is district_page
    assert district_page.district.id == school_page.school.district_id
    assert keys is district_page.schools  # its schools, the first selected: Enter opens one
    assert district_page.back_button.text() == button_text(row.school_name)
    assert district_page.back_button.accessibleName() == f"Back to {row.school_name}"

    others = district_page.schools.ids()
    assert len(others) >= 2
    _press(qtbot, window, Qt.Key.Key_Down)
    keys = _press(qtbot, window, Qt.Key.Key_Return)
    assert window.caseload.currentWidget() is school_page
    assert school_page.school.id == others[1]
    assert school_page.back_button.text() == button_text(district_page.district.name)

    keys = _press(qtbot, window, Qt.Key.Key_Left, ALT)
    assert window.caseload.currentWidget() is district_page and keys is district_page.schools
    assert district_page.schools.currentItem().data(0, Qt.ItemDataRole.UserRole) == others[1]
    keys = _press(qtbot, window, Qt.Key.Key_Left, ALT)
    assert window.caseload.currentWidget() is school_page
    assert school_page.school.id == row.school_id
    assert keys is school_page.district_button  # the link the coach followed
    assert school_page.back_button.text() == "← Caseload"


def test_a_next_step_from_today_is_selected_and_enter_opens_its_visit_then_back_twice(
    qtbot, demo_dir
):
    window = open_window(qtbot, demo_dir, size=(1366, 768))
    today, entry = _on_today(qtbot, window, lambda e: e.item.rule_id == "all.action_item")
    label, open_it = today.menu_actions(entry)[1]  # the item's menu: "Open the school"
    assert label == "Open the school"
    open_it()
    keys = _keys_here(qtbot, window)
    school_page = window.caseload.school_page
    steps = school_page.visits_panel.next_steps
    assert window.caseload.currentWidget() is school_page
    assert keys is steps.table and steps.selected_text().startswith(entry.item.what.rstrip("…"))
    step_row = steps.table.currentIndex().row()

    keys = _press(qtbot, window, Qt.Key.Key_Return)
    visit_page = window.caseload.visit_page
    assert window.caseload.currentWidget() is visit_page
    assert visit_page.visit.id == steps.table.currentItem().data(0, Qt.ItemDataRole.UserRole)
    assert visit_page.form is None or keys is _topmost_answer(visit_page.form)

    keys = _press(qtbot, window, Qt.Key.Key_Escape)
    assert window.caseload.currentWidget() is school_page and keys is steps.table
    assert steps.table.currentIndex().row() == step_row
    keys = _press(qtbot, window, Qt.Key.Key_Escape)
    assert window.current_area() == "today" and keys is today.tree
    assert _selected_key(today) == entry.item.key


def test_the_conflict_badge_opens_the_conflicts_and_escape_returns_to_the_school(qtbot, demo_dir):
    window = open_window(qtbot, demo_dir, size=(1366, 768))
    row = _school_with_visits_and_district(window)
    _on_the_list(qtbot, window, row.school_name)
    _press(qtbot, window, Qt.Key.Key_Return)
    school_page = window.caseload.school_page
    school_page.conflict_badge.click()  # shown when the school has a conflict
    keys = _keys_here(qtbot, window)
    assert window.current_area() == "conflicts"
    assert keys is not None and window.area_widget("conflicts").isAncestorOf(keys)

    keys = _press(qtbot, window, Qt.Key.Key_Escape)
    assert window.current_area() == "caseload"
    assert window.caseload.currentWidget() is school_page
    assert keys is school_page.visits_panel.timeline.table


def _a_draft_open(qtbot, window):
    """A new NY visit, begun yesterday, opened from the list by keys."""
    row = sorted(
        (r for r in window.caseload.list_view.visible_rows() if r.program_code == "NY_RCV"),
        key=lambda r: r.school_name,
    )[0]
    visit_id = visits.start_visit(
        window.profile,
        row.school_id,
        visit_type="onsite",
        starts_at=dt.datetime.now().replace(second=0, microsecond=0) - dt.timedelta(days=1),
    )
    window.caseload.open_visit(visit_id)
    _keys_here(qtbot, window)
    return window.caseload.visit_page


def test_escape_keeps_what_was_typed_and_stays_when_it_could_not_be_saved(
    qtbot, demo_dir, scripted_dialogs, monkeypatch
):
    window = open_window(qtbot, demo_dir, size=(1366, 768))
    page = _a_draft_open(qtbot, window)
    visit_id = page.visit.id
    box = page.form.field_row("lead_strategies").input.focus_target()
    box.setFocus()
    qtbot.keyClicks(box, "Walked the data wall")
    keys = _press(qtbot, window, Qt.Key.Key_Escape)  # at once: no pause for the autosave
    assert window.caseload.currentWidget() is not page
    assert visits.get_visit(window.profile, visit_id).response["lead_strategies"] == (
        "Walked the data wall"
    )

    window.caseload.open_visit(visit_id)
    box = page.form.field_row("lead_strategies").input.focus_target()
    box.setFocus()
    _keys_here(qtbot, window)

    def refuse(*_args, **_kwargs):
        raise RefusedInput("The answer is too long to keep.")

    monkeypatch.setattr("coachdesk.ui.visits.autosave.visits.save_answer", refuse)
    qtbot.keyClicks(box, " with the principal")
    keys = _press(qtbot, window, Qt.Key.Key_Escape)
    assert window.caseload.currentWidget() is page  # not left: the answer was not saved
    assert ("error", "An answer was not saved", "The answer is too long to keep.") in (
        scripted_dialogs.shown
    )
    assert keys is box
    _press(qtbot, window, Qt.Key.Key_Escape)  # told, the coach may leave
    assert window.caseload.currentWidget() is not page


def test_escape_closes_an_open_date_calendar_first_then_goes_back(qtbot, demo_dir):
    window = open_window(qtbot, demo_dir, size=(1366, 768))
    page = _a_draft_open(qtbot, window)
    date_box = page.form.field_row("visit_date").input.focus_target()
    assert _keys_here(qtbot, window) is date_box  # the note's first answer
    qtbot.keyClick(date_box, Qt.Key.Key_Down, ALT)
    popup = QApplication.activePopupWidget()
    assert popup is not None and popup.isVisible()

    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert not popup.isVisible()
    keys = _keys_here(qtbot, window)
    assert window.caseload.currentWidget() is page and keys is date_box
    _press(qtbot, window, Qt.Key.Key_Escape)
    assert window.caseload.currentWidget() is window.caseload.list_view


def test_back_is_in_the_go_menu_on_alt_left_and_the_platforms_back_key_never_backspace(
    qtbot, demo_dir
):
    window = open_window(qtbot, demo_dir)
    keys = [k.toString() for k in window.back_action.shortcuts()]
    assert "Alt+Left" in keys and "Backspace" not in keys
    platform_back = QKeySequence(QKeySequence.StandardKey.Back).toString()
    assert platform_back in keys or platform_back == "Backspace"
    shown = back_keys()[0].toString(QKeySequence.SequenceFormat.NativeText)
    assert ("Go", "Back", shown) in menu_keys(window.menuBar())  # and so in F1's list
    assert window.back_action.toolTip() == "Back to where you were (Alt+Left, or Escape)"


def test_the_today_calendar_names_its_month_buttons_and_days(qtbot, demo_dir):
    window = open_window(qtbot, demo_dir, size=(1366, 768))
    window.show_area("today")
    calendar = window.today.calendar
    names = {
        b.objectName(): b.accessibleName()
        for b in calendar.findChildren(QToolButton)
        if b.objectName().startswith("qt_calendar_")
    }
    assert names == {
        "qt_calendar_prevmonth": "Previous month",
        "qt_calendar_nextmonth": "Next month",
        "qt_calendar_monthbutton": "Choose the month",
        "qt_calendar_yearbutton": "Choose the year",
    }
    assert calendar.findChild(QSpinBox, "qt_calendar_yearedit").accessibleName() == "Year"
    grid = calendar.findChild(QWidget, "qt_calendar_calendarview")
    shown = dt.date(calendar.yearShown(), calendar.monthShown(), 1)
    assert grid.accessibleName() == f"Days of {month_name(shown)} {shown.year}"
    calendar.showNextMonth()
    after = dt.date(calendar.yearShown(), calendar.monthShown(), 1)
    assert after != shown and grid.accessibleName() == f"Days of {month_name(after)} {after.year}"
    settle(qtbot)
    heard = tree_problems("today", window)
    assert [line for line in heard if "Month of visits and deadlines" in line] == []


def test_back_skips_a_place_removed_meanwhile_and_keeps_the_newest_twenty(qtbot):
    from coachdesk.core.errors import NotFound

    shown: list[Place] = [Place("caseload", "list", None, "Caseload")]
    gone = {"b"}

    def go_to(place: Place) -> None:
        if place.record_id in gone:
            raise NotFound("That school is no longer on this laptop.")
        shown.append(place)

    going = GoingBack(lambda: shown[-1], go_to)
    for name in ("a", "b", "c"):
        with going.opening():
            shown.append(Place("caseload", "school", name, name.upper()))
    assert [p.record_id for p in going.places] == [None, "a", "b"]
    assert going.back() is True
    assert shown[-1].record_id == "a"  # "b" was removed meanwhile: skipped
    assert [p.page for p in going.places] == ["list"]
    assert going.way_back() is not None and going.way_back().page == "list"
    for n in range(30):
        going.remember(Place("today", "", str(n), "Today"))
    assert len(going.places) == 20 and going.places[-1].record_id == "29"
    assert first_control(None) is None


def test_the_row_is_found_again_in_a_list_refilled_meanwhile(qtbot):
    from PySide6.QtWidgets import QListWidget

    from coachdesk.ui.going_back import FocusMark

    days = QListWidget()
    qtbot.addWidget(days)
    days.addItems(["Visit at Lincoln", "Q1 report", "Check-in at Ashgrove"])
    days.show()
    days.setCurrentRow(1)
    mark = FocusMark(days)
    days.clear()  # refilled after an import: the same lines, one more before them
    days.addItems(["Visit at Brookside", "Visit at Lincoln", "Q1 report", "Check-in at Ashgrove"])
    days.setCurrentRow(0)
    assert mark.restore() is True
    assert days.currentItem().text() == "Q1 report"  # by what it shows, not its old place


def test_ctrl_and_an_areas_number_puts_the_keyboard_inside_that_area(qtbot, demo_dir):
    window = open_window(qtbot, demo_dir, size=(1366, 768))
    window.activateWindow()
    window.nav.setFocus()
    _keys_here(qtbot, window)

    keys = _press(qtbot, window, Qt.Key.Key_2, CTRL)
    assert window.current_area() == "caseload"
    assert keys is not None and keys is not window.nav
    assert window.caseload.isAncestorOf(keys)  # in the caseload, ready to filter or pick

    keys = _press(qtbot, window, Qt.Key.Key_1, CTRL)
    assert window.current_area() == "today"
    assert keys is not window.nav and window.today.isAncestorOf(keys)


def test_on_an_empty_caseload_ctrl_2_puts_the_keyboard_on_add_your_first_school(qtbot, profile):
    window = open_window(qtbot, profile.directory, size=(1366, 768))
    window.activateWindow()
    window.nav.setFocus()
    _keys_here(qtbot, window)
    keys = _press(qtbot, window, Qt.Key.Key_2, CTRL)
    assert window.current_area() == "caseload"
    assert keys is window.caseload.list_view.empty_add
    assert keys.accessibleName() == "Add your first school"
