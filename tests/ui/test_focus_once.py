"""Opening something in another area moves the keyboard once, straight to where it opens.

A screen reader (AT-SPI) says every control the keyboard lands on. The window's stack of areas
hid the area shown first, which sent the keyboard to the list of areas ('Areas'), then to the
new area's first control ('Filter the caseload'), before the opening put it where it belongs:
three things said where one is wanted. Each test records every focus change
(QApplication.focusChanged) while one way of opening runs by its keys, and asserts the only
control focused is the one the opening puts the keyboard on; then the same going back.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from coachdesk.core.tracking_rules.facts import Act
from coachdesk.ui.going_back import first_control
from coachdesk.ui.visits.search_popup import SearchPopup
from tests.support.ui import focus_changes, open_window, settle

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def said(focused: list[QWidget]) -> list[str]:
    """What a screen reader says, control by control (its name, else its text)."""
    return [w.accessibleName() or getattr(w, "text", str)() or type(w).__name__ for w in focused]


def press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)


def on_today(qtbot, window, wanted):
    """Today shown, the keyboard on its list, on the first item `wanted` accepts."""
    window.go_to_area("today")
    today = window.today
    model = today.model
    row = next(
        r
        for r in range(model.rowCount())
        if model.entry_in_row(r) and wanted(model.entry_in_row(r))
    )
    today.tree.setCurrentIndex(model.index(row, 0))
    today.tree.setFocus()
    settle(qtbot)
    assert QApplication.focusWidget() is today.tree
    return today, today.entry_of(today.tree.currentIndex())


def window_first(visit_page) -> QWidget:
    """The visit's first answer, ready to type (or the page's first control, with no form)."""
    found = first_control(visit_page.form) or first_control(visit_page)
    assert found is not None
    return found


def test_a_school_from_today_by_enter_then_escape_back(qtbot, demo_dir):
    window = open_window(qtbot, demo_dir, size=(1366, 768))
    today, entry = on_today(qtbot, window, lambda e: e.item.act is Act.OPEN)
    with focus_changes(qtbot, window) as focused:
        press(qtbot, Qt.Key.Key_Return)
    page = window.caseload.school_page
    assert window.current_area() == "caseload" and page.school.id == entry.item.school_id
    assert said(focused) == ["Visits"]
    assert focused == [page.visits_panel.timeline.table]
    assert not today.isVisible() and window.nav.currentItem().text() == "Caseload"

    with focus_changes(qtbot, window) as focused:
        press(qtbot, Qt.Key.Key_Escape)
    assert window.current_area() == "today"
    assert focused == [today.tree], said(focused)  # not 'Areas' on the way
    assert not window.caseload.isVisible() and window.nav.currentItem().text() == "Today"


def test_a_visit_from_today_by_enter_then_alt_left_back(qtbot, demo_dir):
    window = open_window(qtbot, demo_dir, size=(1366, 768))
    today, entry = on_today(qtbot, window, lambda e: e.item.act is Act.FINISH_NOTE)
    with focus_changes(qtbot, window) as focused:
        press(qtbot, Qt.Key.Key_Return)
    page = window.caseload.visit_page
    assert window.caseload.currentWidget() is page
    assert page.visit.id == entry.item.target.record_id
    assert focused == [window_first(page)], said(focused)

    with focus_changes(qtbot, window) as focused:
        press(qtbot, Qt.Key.Key_Left, ALT)
    assert window.current_area() == "today"
    assert focused == [today.tree], said(focused)


def test_a_district_from_today(qtbot, demo_dir):
    window = open_window(qtbot, demo_dir, size=(1366, 768))
    caseload = window.caseload
    today, entry = on_today(qtbot, window, lambda e: caseload.is_district(e.item.school_id))
    with focus_changes(qtbot, window) as focused:
        window.open_due_item(entry.item.school_id, "indicator", None)
    page = caseload.district_page
    assert caseload.currentWidget() is page and page.district.id == entry.item.school_id
    assert focused == [page.first_control()], said(focused)


def test_a_next_step_from_today(qtbot, demo_dir):
    window = open_window(qtbot, demo_dir, size=(1366, 768))
    today, entry = on_today(qtbot, window, lambda e: e.item.rule_id == "all.action_item")
    label, open_it = today.menu_actions(entry)[1]
    assert label == "Open the school"
    with focus_changes(qtbot, window) as focused:
        open_it()
    steps = window.caseload.school_page.visits_panel.next_steps
    assert steps.selected_text().startswith(entry.item.what.rstrip("…"))
    assert focused == [steps.table], said(focused)  # not the visits first, then the steps

    with focus_changes(qtbot, window) as focused:
        press(qtbot, Qt.Key.Key_Escape)
    assert window.current_area() == "today" and focused == [today.tree], said(focused)


def test_a_search_hit_from_today(qtbot, demo_dir):
    window = open_window(qtbot, demo_dir, size=(1366, 768))
    today, _entry = on_today(qtbot, window, lambda e: e.item.act is Act.OPEN)
    press(qtbot, Qt.Key.Key_K, CTRL)
    popup = window.findChild(SearchPopup)
    qtbot.waitUntil(popup.box.hasFocus)
    qtbot.keyClicks(popup.box, "princip")
    qtbot.waitUntil(lambda: bool(popup.hits))
    hit = popup.hits[0]
    with focus_changes(qtbot, window, activate=False) as focused:
        qtbot.keyClick(popup.box, Qt.Key.Key_Return)
        settle(qtbot)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
    caseload = window.caseload
    assert window.current_area() == "caseload"
    if hit.kind == "contact":
        target = caseload.school_page.visits_panel.timeline.table
    else:
        target = window_first(caseload.visit_page)
    # The popup gives the keyboard back to the window: straight to the hit, not Today first.
    assert [w for w in focused if w.window() is window] == [target], said(focused)


def test_the_conflict_badge_then_escape_back(qtbot, demo_dir):
    window = open_window(qtbot, demo_dir, size=(1366, 768))
    window.go_to_area("caseload")
    view = window.caseload.list_view
    view.table.setFocus()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    assert QApplication.focusWidget() is view.table
    press(qtbot, Qt.Key.Key_Return)
    settle(qtbot)
    window.activateWindow()  # the page opened may take the activation away (offscreen)
    qtbot.waitUntil(window.isActiveWindow)
    school_page = window.caseload.school_page
    assert QApplication.focusWidget() is school_page.visits_panel.timeline.table
    with focus_changes(qtbot, window) as focused:
        school_page.conflict_badge.click()
    conflicts = window.area_widget("conflicts")
    assert window.current_area() == "conflicts"
    assert len(focused) == 1 and conflicts.isAncestorOf(focused[0]), said(focused)

    with focus_changes(qtbot, window) as focused:
        press(qtbot, Qt.Key.Key_Escape)
    assert focused == [school_page.visits_panel.timeline.table], said(focused)


def test_ctrl_and_each_areas_number(qtbot, demo_dir):
    window = open_window(qtbot, demo_dir, size=(1366, 768))
    window.go_to_area("today")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    for number, key in ((2, "caseload"), (3, "conflicts"), (4, "trust"), (1, "today")):
        before = QApplication.focusWidget()
        with focus_changes(qtbot, window) as focused:
            press(qtbot, getattr(Qt.Key, f"Key_{number}"), CTRL)
        assert window.current_area() == key
        area = window.area_widget(key)
        assert len(focused) == 1, (key, said(focused), before)
        assert area.isAncestorOf(focused[0]) and focused[0] is QApplication.focusWidget()


def test_the_supervisors_own_school_from_the_roll_up(qtbot, profile):
    from coachdesk.core.assignments import AssignmentFields, assign
    from coachdesk.core.coach import set_coach
    from coachdesk.core.organizations import add_school
    from coachdesk.ui.main_window import MainWindow
    from coachdesk.ui.rollup.area import build_rollup_area
    from tests.support.coach_world import DAY, SET_UP, SUPERVISOR, YEAR

    set_coach(profile, name=SUPERVISOR, employer="State Office of School Improvement")
    own = add_school(profile, name="Pat's Pilot School", district_id=None, state="NY").id
    assign(profile, own, AssignmentFields("NY_RCV", YEAR, receivership_year=1), today=SET_UP)
    window = MainWindow(profile)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.add_lazy_area("rollup", "Roll-up", lambda: build_rollup_area(profile, window))
    window.show()
    qtbot.waitExposed(window)
    window.go_to_area("rollup")
    area = window.area_widget("rollup")
    area.today = lambda: DAY
    area.reload()
    settle(qtbot)
    area.schools.setCurrentIndex(area.schools.model().index(0, 0))
    area.schools.setFocus()
    with focus_changes(qtbot, window) as focused:
        press(qtbot, Qt.Key.Key_Return)
    page = window.caseload.school_page
    assert window.current_area() == "caseload" and page.title.text() == "Pat's Pilot School"
    assert focused == [page.first_control()], said(focused)

    with focus_changes(qtbot, window) as focused:
        press(qtbot, Qt.Key.Key_Escape)
    assert window.current_area() == "rollup"
    assert focused == [area.schools], said(focused)


def test_ctrl_f_from_today_goes_straight_to_the_caseloads_filter(qtbot, demo_dir):
    window = open_window(qtbot, demo_dir, size=(1366, 768))
    on_today(qtbot, window, lambda e: e.item.act is Act.OPEN)
    with focus_changes(qtbot, window) as focused:
        press(qtbot, Qt.Key.Key_F, CTRL)
    view = window.caseload.list_view
    assert window.current_area() == "caseload" and window.caseload.currentWidget() is view
    assert focused == [view.filter_edit], said(focused)  # not the list of schools first
