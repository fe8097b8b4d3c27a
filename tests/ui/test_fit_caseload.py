"""The Caseload fits a 1024x640 screen at twice the text size (issue 16, WCAG 1.4.4), and opening
a school from its list moves the keyboard once, straight to the school's visits.

The room a 1024x640 window leaves an area (the list of areas, the menu and the status bar take
the rest) is about 800x520: the list and every kind of school and district page must need no
more, show each button inside it, cut no text, and need no scrolling sideways."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QWidget,
)

from coachdesk.core import schools
from coachdesk.core.store.profile import open_profile
from coachdesk.ui.caseload.area import CaseloadArea
from coachdesk.ui.caseload.table_model import SCHOOL
from coachdesk.ui.going_back import put_focus, switch_page
from tests.support.ui import focus_changes, open_window, settle
from tests.ui.screen_probe import clipped_controls, clipped_labels, in_scroll_area

ROOM = (800, 520)
LONG_BENCHMARK = "Classrooms where most students explain their reasoning (learning walk)"


def _problems(name: str, area: CaseloadArea) -> list[str]:
    """What a coach could not see or read in the page shown, in the room of a small screen."""
    page = area.currentWidget()
    found = []
    needs = area.minimumSizeHint()
    if needs.width() > ROOM[0] or needs.height() > ROOM[1]:
        found.append(f"{name}: needs {needs.width()}x{needs.height()}")
    if (area.width(), area.height()) != ROOM:
        found.append(f"{name}: grew to {area.width()}x{area.height()}")
    for button in page.findChildren(QAbstractButton):
        if not button.isVisibleTo(page) or in_scroll_area(button):
            continue
        corner = button.mapTo(area, button.rect().bottomRight())
        if not area.rect().contains(corner) or not area.rect().contains(
            button.mapTo(area, button.rect().topLeft())
        ):
            found.append(f"{name}: the button {button.text()!r} is outside the room")
    for scroll in page.findChildren(QScrollArea):
        inner = scroll.widget()
        if scroll.isVisibleTo(page) and inner is not None:
            if inner.minimumSizeHint().width() > scroll.viewport().width():
                found.append(
                    f"{name}: the page scrolls sideways ({inner.minimumSizeHint().width()}px)"
                )
    return found + clipped_controls(name, area) + clipped_labels(name, area)


def _area_in_the_room(qtbot, profile) -> CaseloadArea:
    area = CaseloadArea(profile)
    qtbot.addWidget(area)
    area.resize(*ROOM)
    area.show()
    qtbot.waitExposed(area)
    return area


def test_the_caseload_and_its_pages_fit_a_small_screen_at_twice_the_text_size(
    qtbot, demo_dir, twice_the_text
):
    profile = open_profile(demo_dir)
    area = _area_in_the_room(qtbot, profile)
    settle(qtbot)
    view = area.list_view
    found = _problems("caseload", area)
    # The schools' names keep the room (the other columns scroll sideways): the first is whole.
    first_name = view.visible_rows()[0].school_name
    name_room = view.table.columnWidth(SCHOOL) - 8  # the cell's margins
    assert view.table.fontMetrics().horizontalAdvance(first_name) <= name_room
    rows = sorted(view.visible_rows(), key=lambda r: r.school_name)
    longest = max(rows, key=lambda r: len(r.school_name))
    looked = []
    for program in ("NY_RCV", "OH_NNPS", "MA_SSOS"):
        row = next(r for r in rows if r.program_code == program)
        area.open_school(row.school_id)
        settle(qtbot)
        found += _problems(f"school page ({program})", area)
        district_id = schools.get_school(profile, row.school_id).district_id
        area.open_district(district_id)
        settle(qtbot)
        found += _problems(f"district page ({program})", area)
        looked.append(program)
        # Back on the school, from its district: the ← button names the district.
        area.open_school(longest.school_id)
        settle(qtbot)
        found += _problems(f"school page ({longest.school_name})", area)
    assert looked == ["NY_RCV", "OH_NNPS", "MA_SSOS"]
    assert found == []
    # The controls wrap: the filter, the program and Show archived, then the two Add buttons.
    area.show_list()
    settle(qtbot)
    first, last = view.filter_edit, view.add_district_button
    assert (
        last.mapTo(area, last.rect().topLeft()).y()
        > first.mapTo(area, first.rect().bottomLeft()).y()
    )


def test_a_long_benchmark_is_shortened_in_its_box_and_whole_in_its_list_and_description(
    qtbot, demo_dir, twice_the_text
):
    profile = open_profile(demo_dir)
    area = _area_in_the_room(qtbot, profile)
    row = next(r for r in area.list_view.visible_rows() if r.program_code == "MA_SSOS")
    area.open_district(schools.get_school(profile, row.school_id).district_id)
    settle(qtbot)
    box = area.district_page.benchmarks_card.benchmark_box
    box.setCurrentIndex(
        next(
            i
            for i in range(box.count())
            if box.itemData(i, Qt.ItemDataRole.ToolTipRole) == LONG_BENCHMARK
        )
    )
    settle(qtbot)
    assert box.currentText().endswith("…") and LONG_BENCHMARK.startswith(box.currentText()[:-1])
    assert box.toolTip() == LONG_BENCHMARK
    assert box.accessibleDescription() == LONG_BENCHMARK  # a screen reader hears it whole
    # Open, the list of choices shows each name whole, as wide as the screen lets it.
    box.showPopup()
    popup = box.view().window()
    qtbot.waitUntil(popup.isVisible)
    assert box.itemText(box.currentIndex()) == LONG_BENCHMARK
    assert popup.width() > box.width()
    box.hidePopup()
    qtbot.waitUntil(lambda: not popup.isVisible())
    assert box.currentText().endswith("…")  # closed, shortened again


def test_opening_a_school_by_enter_moves_the_keyboard_once_straight_to_its_visits(qtbot, demo_dir):
    """A screen reader says each control the keyboard lands on: opening a school must not pass
    through the list of areas and the ← button on its way to the school's visits."""
    window = open_window(qtbot, demo_dir, size=(1366, 768))
    window.show_area("caseload")
    view = window.caseload.list_view
    row = sorted(view.visible_rows(), key=lambda r: r.school_name)[0]
    assert view.select_school(row.school_id)
    view.table.setFocus()
    with focus_changes(qtbot, window) as focused:
        assert QApplication.focusWidget() is view.table
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
        settle(qtbot)
        page = window.caseload.school_page
        assert window.caseload.currentWidget() is page
        assert [w.accessibleName() for w in focused] == ["Visits"]
        assert focused == [page.visits_panel.timeline.table]

        # Back (Escape) returns the keyboard straight to the school's row on the list.
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        focused.clear()
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
        settle(qtbot)
        assert window.caseload.currentWidget() is view
        assert focused == [view.table]
        assert view.current_row().school_id == row.school_id


def test_switch_page_gives_the_keyboard_straight_to_the_new_page(qtbot):
    """The window's own stack of areas can switch the same way (going_back.switch_page)."""
    window = QWidget()
    qtbot.addWidget(window)
    areas = QListWidget()
    areas.addItems(["Today", "Caseload"])
    stack = QStackedWidget()
    first, second = QWidget(), QWidget()
    typing = QLineEdit(first)
    back = QPushButton("← Today", second)
    wanted = QLineEdit(second)
    wanted.move(0, 40)
    stack.addWidget(first)
    stack.addWidget(second)
    row = QHBoxLayout(window)
    row.addWidget(areas)
    row.addWidget(stack)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    typing.setFocus()
    qtbot.waitUntil(typing.hasFocus)
    with focus_changes(qtbot, window, activate=False) as focused:
        switch_page(stack, second, lambda: put_focus(wanted))
    assert stack.currentWidget() is second and not first.isVisible()
    assert focused == [wanted]  # not the list of areas, not the ← button
    assert back.isVisible()
