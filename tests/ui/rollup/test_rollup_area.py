"""The Roll-up area as a supervisor uses it, on the bundles of three real coach profiles (NY, MA,
OH: tests/support/coach_world.py): an import fills it, filters keep one program, region or coach,
columns sort as numbers, the keyboard moves and opens a school read-only, Export CSV… and
Print… write what is shown, and nothing internal is anywhere on screen."""

from __future__ import annotations

import csv

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
)

from coachdesk.sync.importer import import_files
from coachdesk.ui.pdf_preview import PdfPreviewDialog
from coachdesk.ui.rollup.area import RollupArea, build_rollup_area
from coachdesk.ui.rollup.folder_import import ImportSummaryDialog
from coachdesk.ui.rollup.reading import other_coaches_held, rollup_of
from coachdesk.ui.sync_actions import SyncActions
from tests.support.coach_world import DAY, SUPERVISOR, coach_world
from tests.support.ui import settle
from tests.ui.accessibility_tree import tree_problems


@pytest.fixture
def world(tmp_path):
    made = coach_world(tmp_path)
    yield made
    made.supervisor.close()
    for coach in made.coaches:
        coach.profile.close()


@pytest.fixture
def imported(world):
    report = import_files(world.supervisor, sorted(world.folder.iterdir()))
    assert len(report.imported) == 3 and not report.rejected
    return world


def _area(qtbot, profile, window=None) -> RollupArea:
    area = RollupArea(profile, window, today=lambda: DAY)
    qtbot.addWidget(area)
    area.resize(1280, 720)
    area.show()
    qtbot.waitExposed(area)
    settle(qtbot)
    return area


def _column(area: RollupArea, view, title: str) -> list[str]:
    model = view.model().sourceModel()
    index = model.column_of(title)
    return [row[index] for row in area.shown_rows(view)]


def _row(area: RollupArea, view, name: str) -> dict[str, str]:
    model = view.model().sourceModel()
    titles = [c.title for c in model.columns]
    (row,) = [r for r in area.shown_rows(view) if r[0] == name]
    return dict(zip(titles, row, strict=True))


def _choose(combo, label: str) -> None:
    index = combo.findText(label)
    assert index >= 0, (
        f"{label!r} is not offered: {[combo.itemText(i) for i in range(combo.count())]}"
    )
    combo.setCurrentIndex(index)


def test_importing_the_coaches_folder_fills_the_roll_up_it_was_showing(
    qtbot, world, scripted_dialogs
):
    area = _area(qtbot, world.supervisor)
    assert area.empty.isVisible() and not area.schools.isVisible()
    assert area.prepared.text() == f"Prepared by {SUPERVISOR} · as of Nov 18, 2026"
    assert not area.export_button.isEnabled() and not area.print_button.isEnabled()
    assert other_coaches_held(world.supervisor, today=DAY) == 0

    scripted_dialogs.dialog_handler = lambda d: (
        QDialog.DialogCode.Rejected if isinstance(d, ImportSummaryDialog) else 0
    )
    SyncActions(area, world.supervisor).import_paths([world.folder])  # the bus tells the area
    settle(qtbot)

    assert not area.empty.isVisible() and area.schools.isVisible()
    assert other_coaches_held(world.supervisor, today=DAY) == 3  # the window would list Roll-up now
    assert area.prepared.text() == (
        f"Prepared by {SUPERVISOR} · as of Nov 18, 2026 · 3 coaches, 6 schools and 2 districts"
    )
    assert _column(area, area.coaches, "Coach") == ["Dana Whitfield", "Jordan Reyes", "Sam Okafor"]
    assert _column(area, area.coaches, "Region") == [c.employer for c in world.coaches]
    # What a supervisor checks by hand against the coaches' year (coach_world.py):
    arbor = _row(area, area.schools, "Arbor Hill Elementary School")
    assert arbor["Coach"] == "Dana Whitfield" and arbor["Program"] == "NY Receivership"
    assert arbor["Last final visit"] == "Nov 10, 2026"
    assert (arbor["On track"], arbor["At risk"], arbor["Withheld"]) == ("1", "1", "1")
    heritage = _row(area, area.schools, "Heritage Elementary School")
    assert heritage["Stage or phase"] == "Initial Implementation"
    assert heritage["Visits this month"] == "1 of 1"  # the Nov 4 check-in, monthly cadence
    assert _row(area, area.schools, "Hackett Middle School")["Last final visit"] == "Oct 8, 2026"
    assert area.withheld.isVisible() and area.withheld.text().startswith("Withheld: 1 indicator")
    assert area.stages.text().startswith("NNPS stages (OH schools): ")

    # Every cell is the roll-up's own number: the one the CSV, the PDF and the hub read.
    rollup = rollup_of(world.supervisor, area.chosen_filter(), today=DAY)
    for line in rollup.schools:
        shown = _row(area, area.schools, line.school)
        counts = line.indicators
        assert shown["Overdue"] == str(line.overdue)
        assert (shown["Met"], shown["On track"], shown["At risk"], shown["No data"]) == tuple(
            str(n) for n in (counts.met, counts.on_track, counts.at_risk, counts.no_data)
        )
        assert shown["Withheld"] == str(counts.suppressed)
        assert shown["PM meetings"] == (
            "" if line.pm_meetings_held is None else str(line.pm_meetings_held)
        )
    for line in rollup.coaches:
        shown = _row(area, area.coaches, line.coach)
        assert shown["Schools"] == str(line.schools) and shown["Overdue"] == str(line.overdue)

    # What a screen reader finds: a named region, named filters, each cell read with its school.
    assert area.accessibleName() == "Roll-up"
    assert tree_problems("roll-up", area) == []
    for combo, name in ((area.program, "Program"), (area.region, "Region"), (area.coach, "Coach")):
        assert combo.accessibleName() == name
    model = area.schools.model()
    assert (
        model.headerData(0, Qt.Orientation.Vertical, Qt.ItemDataRole.AccessibleTextRole)
        == (area.shown_rows(area.schools)[0][0])
    )


def test_filters_keep_one_program_region_or_coach_and_columns_sort_as_numbers(qtbot, imported):
    area = _area(qtbot, imported.supervisor)
    _choose(area.program, "OH NNPS")
    settle(qtbot)
    assert set(_column(area, area.schools, "Program")) == {"OH NNPS"}
    assert _column(area, area.coaches, "Coach") == ["Sam Okafor"]
    assert area.program.currentText() == "OH NNPS"  # kept when the choices are refilled
    pm_meetings = area.school_model.column_of("PM meetings")
    assert area.schools.isColumnHidden(pm_meetings)  # an MA column: no MA line shown
    assert not area.schools.isColumnHidden(area.school_model.column_of("Stage or phase"))

    _choose(area.program, "All programs")
    _choose(area.region, "Capital Region SSP Partners")
    settle(qtbot)
    assert set(_column(area, area.schools, "Coach")) == {"Dana Whitfield"}

    _choose(area.region, "All regions")
    settle(qtbot)
    assert len(_column(area, area.coaches, "Coach")) == 3
    assert not area.schools.isColumnHidden(pm_meetings)
    # Enter on a coach keeps only their schools (the Coach filter says so).
    area.coaches.setFocus()
    jordan = _column(area, area.coaches, "Coach").index("Jordan Reyes")
    area.coaches.setCurrentIndex(area.coaches.model().index(jordan, 0))
    qtbot.keyClick(area.coaches, Qt.Key.Key_Return)
    settle(qtbot)
    assert area.coach.currentText() == "Jordan Reyes"
    assert set(_column(area, area.schools, "Coach")) == {"Jordan Reyes"}
    assert QApplication.focusWidget() is area.schools

    _choose(area.coach, "All coaches")
    settle(qtbot)
    overdue = area.school_model.column_of("Overdue")
    area.schools.sortByColumn(overdue, Qt.SortOrder.DescendingOrder)
    values = [int(v) for v in _column(area, area.schools, "Overdue")]
    assert values == sorted(values, reverse=True) and values[0] > values[-1]
    last = area.school_model.column_of("Last final visit")
    area.schools.sortByColumn(last, Qt.SortOrder.AscendingOrder)
    shown = _column(area, area.schools, "Last final visit")
    assert shown[0] == "None yet"  # a district never visited comes first
    assert shown[1:4] == ["Sep 22, 2026", "Oct 8, 2026", "Oct 14, 2026"]


def test_keys_move_in_the_table_tab_leaves_it_and_a_coachs_school_opens_read_only(
    qtbot, imported, scripted_dialogs
):
    area = _area(qtbot, imported.supervisor)
    area.schools.setFocus()
    area.schools.setCurrentIndex(area.schools.model().index(0, 0))
    qtbot.keyClick(area.schools, Qt.Key.Key_Down)
    assert area.schools.currentIndex().row() == 1  # arrows move inside
    second = area.shown_rows(area.schools)[1][0]
    qtbot.keyClick(area.schools, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not area.schools  # Tab leaves the table
    area.schools.setFocus()
    qtbot.keyClick(area.schools, Qt.Key.Key_Return)
    settle(qtbot)
    view = area.school_view
    assert area.pages.currentWidget() is view
    assert view.title.text() == second
    assert QApplication.focusWidget() is view.back_button  # the page's first control
    assert "Read-only" in view.read_only.text()
    qtbot.keyClick(view.visits, Qt.Key.Key_Escape)
    assert area.pages.currentIndex() == 0
    assert QApplication.focusWidget() is area.schools
    assert area.schools.currentIndex().row() == 1  # back where the supervisor was

    # A double-click opens a school as Enter does: a coach's school, with nothing to type into.
    row = [r[0] for r in area.shown_rows(area.schools)].index("Arbor Hill Elementary School")
    cell = area.schools.visualRect(area.schools.model().index(row, 2)).center()
    qtbot.mouseClick(area.schools.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    qtbot.mouseDClick(area.schools.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    settle(qtbot)
    view = area.school_view
    assert view.isVisible() and view.title.text() == "Arbor Hill Elementary School"
    editable = [
        w
        for kind in (QLineEdit, QTextEdit, QPlainTextEdit)
        for w in view.findChildren(kind)
        if not w.isReadOnly()
    ]
    assert editable == []
    buttons = [b.text() for b in view.findChildren(QAbstractButton) if b.isVisible()]
    assert buttons == ["← Roll-up"]
    assert "Dana Whitfield's caseload" in view.read_only.text()
    steps = [view.steps.item(r, 0).text() for r in range(view.steps.rowCount())]
    assert steps == ["Post the attendance data wall", "Plan the February data retreat"]
    assert view.steps.item(0, 2).text() == "Nov 1, 2026 (overdue)"
    assert view.visits.rowCount() == 4
    assert view.figures["Indicators"].text().endswith("1 withheld (too few students to show)")
    assert tree_problems("read-only school", view) == []
    assert scripted_dialogs.shown == []
    area.back_to_rollup()

    # Nothing internal arrives, so nothing internal shows: not in the tables, not on any
    # school's page (each coach typed a unique marker into an internal answer of every visit).
    markers = [m for coach in imported.coaches for m in coach.markers]
    assert markers
    seen = [cell for v in (area.coaches, area.schools) for r in area.shown_rows(v) for cell in r]
    for line in area.rollup.schools:
        area.open_school(line)
        for table in (view.visits, view.steps):
            seen += [
                table.item(r, c).text()
                for r in range(table.rowCount())
                for c in range(table.columnCount())
            ]
        seen += [label.text() for label in view.figures.values()]
        seen += [view.title.text(), view.subtitle.text(), view.read_only.text()]
        area.back_to_rollup()
    text = "\n".join(seen)
    assert "Arbor Hill Elementary School" in text and "Post the attendance data wall" in text
    assert [m for m in markers if m in text] == []


def test_the_supervisors_own_school_opens_on_its_caseload_page(qtbot, profile):
    from coachdesk.core.assignments import AssignmentFields, assign
    from coachdesk.core.coach import set_coach
    from coachdesk.core.organizations import add_school
    from coachdesk.ui.main_window import MainWindow
    from tests.support.coach_world import SET_UP, YEAR

    set_coach(profile, name=SUPERVISOR, employer="State Office of School Improvement")
    own = add_school(profile, name="Pat's Pilot School", district_id=None, state="NY").id
    assign(profile, own, AssignmentFields("NY_RCV", YEAR, receivership_year=1), today=SET_UP)
    # A caseload of one's own is no one else's year: a coach's window need not list Roll-up.
    assert other_coaches_held(profile, today=DAY) == 0
    window = MainWindow(profile)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.add_lazy_area("rollup", "Roll-up", lambda: build_rollup_area(profile, window))
    window.show()
    window.show_area("rollup")
    settle(qtbot)
    area = window.area_widget("rollup")
    area.today = lambda: DAY
    area.reload()
    settle(qtbot)
    assert _column(area, area.schools, "Coach") == [SUPERVISOR]
    area.schools.setFocus()
    area.schools.setCurrentIndex(area.schools.model().index(0, 0))
    qtbot.keyClick(area.schools, Qt.Key.Key_Return)
    settle(qtbot)
    assert window.current_area() == "caseload"
    assert window.caseload.school_page.title.text() == "Pat's Pilot School"
    assert area.pages.currentIndex() == 0  # not the read-only page: the school is Pat's own


def test_export_csv_writes_the_roll_up_as_filtered_and_print_previews_it(
    qtbot, imported, scripted_dialogs, tmp_path
):
    area = _area(qtbot, imported.supervisor)
    _choose(area.program, "MA SSoS")
    settle(qtbot)
    out = tmp_path / "for the state office.csv"
    scripted_dialogs.file_answers = [str(out)]
    qtbot.mouseClick(area.export_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert ("save_file", "Save the roll-up as", "2026-11-18 roll-up MA_SSOS.csv") in (
        scripted_dialogs.shown
    )
    kind, title, text = scripted_dialogs.shown[-1]
    assert (kind, title) == ("info", "Roll-up saved") and str(out) in text
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    schools = {r["School"] for r in rows if r["Line"] in ("School", "District")}
    assert schools == set(_column(area, area.schools, "School or district"))
    assert {r["Coach"] for r in rows} == {"Jordan Reyes"}

    # Print… previews the landscape report, who prepared it and as of when on its page.
    _choose(area.program, "All programs")
    settle(qtbot)
    seen: dict[str, object] = {}

    def look(dialog):
        assert isinstance(dialog, PdfPreviewDialog)
        first = PdfReader(dialog.pdf_path).pages[0]
        seen["landscape"] = first.mediabox.width > first.mediabox.height
        seen["text"] = first.extract_text()
        seen["name"] = dialog.suggested_name
        return 0

    scripted_dialogs.dialog_handler = look
    qtbot.mouseClick(area.print_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert seen["landscape"] and seen["name"] == "2026-11-18 roll-up.pdf"
    assert SUPERVISOR in seen["text"] and "November 18, 2026" in seen["text"]
