"""The window lists Roll-up once the profile holds another coach's caseload: a supervisor's, after
importing the coaches' bundles. A coach's own profile, the demo's included, never shows it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from coachdesk.core.assignments import AssignmentFields, assign
from coachdesk.core.organizations import add_district, add_school
from coachdesk.sync.importer import import_files
from coachdesk.ui.rollup.table_model import LINE_ROLE
from tests.support.coach_world import SET_UP, YEAR, coach_world
from tests.support.ui import open_window, publish_import


def _areas(window) -> list[str]:
    return [window.nav.item(row).text() for row in range(window.nav.count())]


def test_roll_up_is_listed_once_an_import_brings_other_coaches(qtbot, tmp_path):
    world = coach_world(tmp_path)
    window = open_window(qtbot, world.supervisor.directory)
    window.offer_rollup()  # as after the first paint
    assert "Roll-up" not in _areas(window)  # nothing imported yet: the supervisor's own year

    report = import_files(window.profile, sorted(world.folder.glob("*.coachdesk")), backup=False)
    assert len(report.imported) == 3 and not report.rejected
    publish_import(window.profile, report.changes)

    assert _areas(window)[-1] == "Roll-up"
    window.show_area("rollup")
    assert window.current_area() == "rollup"
    area = window.area_widget("rollup")
    # The roll-up is read off the GUI thread.
    qtbot.waitUntil(lambda: area.coach_model.rowCount() == 3, timeout=15000)
    names = {area.coach_model.index(row, 0).data() for row in range(3)}
    assert names == {coach.name for coach in world.coaches}


def test_a_coachs_own_profile_and_the_demo_never_list_it(qtbot, demo_dir):
    window = open_window(qtbot, demo_dir)
    window.offer_rollup()
    assert "Roll-up" not in _areas(window)


def test_the_supervisors_own_school_opens_on_its_page_and_back_returns_to_the_roll_up(
    qtbot, tmp_path
):
    world = coach_world(tmp_path)
    mine = world.supervisor
    district = add_district(mine, name="Troy City School District", state="NY").id
    school = add_school(mine, name="School 14", district_id=district).id
    assign(mine, school, AssignmentFields("NY_RCV", YEAR, receivership_year=1), today=SET_UP)
    import_files(mine, sorted(world.folder.glob("*.coachdesk")), backup=False)
    window = open_window(qtbot, mine.directory)
    window.offer_rollup()
    window.show_area("rollup")
    area = window.area_widget("rollup")
    qtbot.waitUntil(lambda: area.school_model.rowCount() > 0, timeout=15000)

    table = area.schools
    row = next(
        r
        for r in range(table.model().rowCount())
        if table.model().index(r, 0).data(LINE_ROLE).school_id == school
    )
    window.activateWindow()
    table.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is table)
    table.setCurrentIndex(table.model().index(row, 0))
    qtbot.keyClick(table, Qt.Key.Key_Return)  # the supervisor's own: the caseload's page
    assert window.current_area() == "caseload"
    assert window.caseload.where(None).record_id == school
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)  # inside the school's page

    qtbot.keyClick(
        QApplication.focusWidget() or window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier
    )
    assert window.current_area() == "rollup"
