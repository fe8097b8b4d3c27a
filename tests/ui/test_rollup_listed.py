"""The window lists Roll-up once the profile holds another coach's caseload: a supervisor's, after
importing the coaches' bundles. A coach's own profile, the demo's included, never shows it."""

from __future__ import annotations

from coachdesk.sync.importer import import_files
from tests.support.coach_world import coach_world
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
