"""A new coach sets up a caseload in the window: districts and schools added by keyboard, a
wrong BEDS code refused, details edited, archiving and unarchiving, assignments, the next
school year, and a CSV file imported and the caseload exported (issue 12)."""

from __future__ import annotations

import csv

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from coachdesk.core import assignments, organizations
from coachdesk.core.caseload import current_school_year
from coachdesk.core.organizations import OrganizationFields
from coachdesk.ui.caseload.organization_dialog import NEW_DISTRICT, OrganizationDialog
from coachdesk.ui.caseload.table_model import NEXT_DUE
from coachdesk.ui.style import colour
from tests.support.ui import open_window, settle

ALBANY_BEDS = "010100010000"
HACKETT_BEDS = "010100010030"


def _type_and_enter(qtbot, dialog: QDialog, fields: dict) -> int:
    """Show the dialog, type each field as a coach would, press Enter; the dialog's result."""
    dialog.show()
    for widget, text in fields.items():
        widget.setFocus()
        if hasattr(widget, "selectAll"):
            widget.selectAll()
        qtbot.keyClicks(widget, text)
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    return dialog.result()


def _names(window) -> list[str]:
    return [r.school_name for r in window.caseload.list_view.visible_rows()]


def _row(window, name: str):
    return next(r for r in window.caseload.list_view.visible_rows() if r.school_name == name)


def _select(window, name: str) -> None:
    assert window.caseload.list_view.select_school(_row(window, name).school_id)


def _albany_with_hackett(profile, *, receivership_year: int | None = 2) -> str:
    district = organizations.add_district(
        profile, name="Albany City SD", state="NY", state_id=ALBANY_BEDS
    )
    school = OrganizationFields(
        "school", "Hackett MS", "NY", state_id=HACKETT_BEDS, parent_id=district.id
    )
    if receivership_year is None:
        return organizations.add_school(
            profile, name="Hackett MS", district_id=district.id, state_id=HACKETT_BEDS
        ).id
    return assignments.add_assigned_school(
        profile, school, assignments.AssignmentFields("NY_RCV", receivership_year=2)
    ).id


def test_from_an_empty_profile_a_district_and_a_school_are_added_by_keyboard(
    qtbot, profile_dir, scripted_dialogs
):
    window = open_window(qtbot, profile_dir)
    window.show_area("caseload")
    view = window.caseload.list_view
    assert view.empty_box.isVisible()
    assert "coachdesk demo" not in view.empty_hint.text()
    assert "Add your first school" in view.empty_hint.text()
    assert view.empty_add.isVisible() and view.empty_import.isVisible()

    def add_district_then_school(dialog):
        if dialog.kind == "district":  # "Add a new district…" chosen in the school's dialog
            return _type_and_enter(
                qtbot, dialog, {dialog.name: "Albany City SD", dialog.state_id: ALBANY_BEDS}
            )
        dialog.show()
        qtbot.keyClicks(dialog.name, "Hackett Middle School")
        assert dialog.state_id.placeholderText().startswith("12 digits")
        qtbot.keyClicks(dialog.state_id, "0101 0001 0030")
        dialog.district.setCurrentIndex(dialog.district.findData(NEW_DISTRICT))
        dialog.district.activated.emit(dialog.district.currentIndex())
        assert dialog.district.currentText() == "Albany City SD"
        qtbot.keyClicks(dialog.grades, "6-8")
        assert dialog.program.currentText() == "NY Receivership"
        dialog.receivership_year.selectAll()
        qtbot.keyClicks(dialog.receivership_year, "2")
        qtbot.keyClick(dialog.grades, Qt.Key.Key_Return)
        return dialog.result()

    scripted_dialogs.dialog_handler = add_district_then_school
    qtbot.mouseClick(view.empty_add, Qt.MouseButton.LeftButton)
    settle(qtbot)

    assert not view.empty_box.isVisible()
    row = _row(window, "Hackett Middle School")
    assert (row.district_name, row.program_name, row.status) == (
        "Albany City SD",
        "NY Receivership",
        "Receivership year 2",
    )
    assert view.current_row().school_id == row.school_id
    school = organizations.get_organization(window.profile, row.school_id)
    assert (school.state_id, school.grade_span, school.tz) == (
        HACKETT_BEDS,
        "6-8",
        "America/New_York",
    )
    titles = [title for kind, _t, title in scripted_dialogs.shown if kind == "dialog"]
    assert titles == ["Add a school", "Add a district"]


def test_the_state_id_label_and_time_zone_follow_the_state(qtbot, profile):
    dialog = OrganizationDialog(profile, kind="district")
    qtbot.addWidget(dialog)
    labels = {}
    for state in ("NY", "MA", "OH"):
        dialog.state.setCurrentIndex(dialog.state.findData(state))
        labels[state] = (dialog.form.labelForField(dialog.inputs["state_id"]).text(),)
        labels[state] += (dialog.state_id.placeholderText().split(",")[0],)
    assert labels == {
        "NY": ("BEDS code", "12 digits"),
        "MA": ("Organization code", "8 digits"),
        "OH": ("IRN", "6 digits"),
    }
    assert dialog.tz.currentText() == "America/New_York"


def test_a_wrong_beds_code_is_refused_with_the_sentence_and_nothing_is_written(
    qtbot, profile_dir, scripted_dialogs
):
    window = open_window(qtbot, profile_dir)
    seen = {}

    def wrong_code(dialog):
        result = _type_and_enter(
            qtbot, dialog, {dialog.name: "Albany City SD", dialog.state_id: "12345"}
        )
        seen["sentence"] = dialog.errors["state_id"].text()
        seen["visible"] = dialog.errors["state_id"].isVisible()
        seen["typed"] = (dialog.name.text(), dialog.state_id.text())
        seen["result"] = result
        qtbot.keyClick(dialog.name, Qt.Key.Key_Escape)
        return dialog.result()

    scripted_dialogs.dialog_handler = wrong_code
    window.caseload.list_view.add_district_button.click()
    assert seen == {
        "sentence": "A NY BEDS code is 12 digits; “12345” has 5.",
        "visible": True,
        "typed": ("Albany City SD", "12345"),
        "result": 0,
    }
    assert organizations.list_organizations(window.profile, archived=True) == []


def test_editing_a_schools_details_shows_in_the_caseload(qtbot, profile_dir, scripted_dialogs):
    window = open_window(qtbot, profile_dir)
    school_id = _albany_with_hackett(window.profile)
    window.caseload.list_view.reload()
    _select(window, "Hackett MS")
    view = window.caseload.list_view
    edit = view.school_actions.edit
    assert edit in window.menuBar().actions()[1].menu().actions()  # the Edit menu
    view.table.customContextMenuRequested.emit(
        view.table.visualRect(view.table.currentIndex()).center()
    )
    shown = [(a.text(), a.isEnabled()) for a in view._menu.actions() if a.isVisible()]
    view._menu.close()
    assert shown == [
        ("&Edit school details…", True),
        ("Assign to a &program…", True),
        ("E&nd this assignment…", True),
        ("&Archive…", True),
    ]

    def rename(dialog):
        assert dialog.windowTitle() == "Edit school details: Hackett MS"
        assert not dialog.state.isEnabled()
        assert dialog.district.currentText() == "Albany City SD"
        dialog.name.clear()
        return _type_and_enter(qtbot, dialog, {dialog.name: "Philip J. Schuyler Achievement"})

    scripted_dialogs.dialog_handler = rename
    edit.trigger()
    assert "Philip J. Schuyler Achievement" in _names(window)
    assert "Hackett MS" not in _names(window)
    assert organizations.get_organization(window.profile, school_id).state_id == HACKETT_BEDS


def test_archiving_keeps_visits_and_notes_and_unarchive_brings_the_school_back(
    qtbot, profile_dir, scripted_dialogs
):
    window = open_window(qtbot, profile_dir)
    school_id = _albany_with_hackett(window.profile)
    view = window.caseload.list_view
    view.reload()
    _select(window, "Hackett MS")
    assert not view.school_actions.unarchive.isEnabled()

    scripted_dialogs.confirm_answers = [True]
    view.school_actions.archive.trigger()
    confirm_text = [text for kind, _t, text in scripted_dialogs.shown if kind == "confirm"][0]
    assert "visits, notes and contacts stay" in confirm_text
    assert "Hackett MS" not in _names(window)
    assert organizations.get_organization(window.profile, school_id).archived

    view.archived_box.click()
    assert "Hackett MS" in _names(window)
    _select(window, "Hackett MS")
    index = view.table.currentIndex()
    assert index.data(Qt.ItemDataRole.ForegroundRole) == colour("subtle")  # greyed
    assert view.count.text() == "1 school (1 archived)"
    nothing_due = index.siblingAtColumn(NEXT_DUE).data()
    assert nothing_due == ""  # off the caseload: no due badge, whatever the due list says
    assert _row(window, "Hackett MS").status.startswith("Archived")
    assert view.school_actions.unarchive.isEnabled()
    assert not view.school_actions.archive.isEnabled()

    view.school_actions.unarchive.trigger()
    assert not organizations.get_organization(window.profile, school_id).archived
    assert _row(window, "Hackett MS").program_name == "NY Receivership"
    view.archived_box.click()
    assert "Hackett MS" in _names(window)


def test_a_school_in_no_program_shows_and_is_assigned_from_its_menu(
    qtbot, profile_dir, scripted_dialogs
):
    window = open_window(qtbot, profile_dir)
    school_id = _albany_with_hackett(window.profile, receivership_year=None)
    view = window.caseload.list_view
    view.reload()
    assert _row(window, "Hackett MS").program_name == "No program yet"
    _select(window, "Hackett MS")

    def assign(dialog):
        assert dialog.chosen().id == school_id
        assert dialog.program.currentText() == "NY Receivership"
        assert dialog.form.isRowVisible(dialog.receivership_year)
        dialog.receivership_year.setValue(3)
        dialog.role.setCurrentIndex(dialog.role.findData("support"))
        dialog.save_button.click()
        return dialog.result()

    scripted_dialogs.dialog_handler = assign
    view.school_actions.assign.trigger()
    row = _row(window, "Hackett MS")
    assert (row.program_name, row.status) == ("NY Receivership", "Receivership year 3")
    (assigned,) = assignments.list_assignments(window.profile, org_id=school_id)
    assert assigned.role == "support"

    # Ending it: the row goes back to no program; the assignment is kept, ended.
    _select(window, "Hackett MS")
    scripted_dialogs.confirm_answers = [True]
    view.school_actions.end.trigger()
    assert _row(window, "Hackett MS").program_name == "No program yet"
    ended = assignments.list_assignments(window.profile, org_id=school_id, include_ended=True)
    assert [a.status for a in ended] == ["ended"]


def test_an_ma_district_partnership_takes_the_identified_schools_chosen(
    qtbot, profile_dir, scripted_dialogs
):
    from coachdesk.ui.caseload.assign_dialog import AssignDialog

    window = open_window(qtbot, profile_dir)
    profile = window.profile
    lowell = organizations.add_district(profile, name="Lowell", state="MA", state_id="01600000")
    for name, code in (("Bartlett", "01600005"), ("Butler", "01600010")):
        organizations.add_school(profile, name=name, district_id=lowell.id, state_id=code)
    dialog = AssignDialog(profile, lowell.id)
    qtbot.addWidget(dialog)
    assert dialog.program.currentText() == "MA SSoS"
    assert dialog.form.isRowVisible(dialog.identified)
    assert [dialog.identified.item(i).text() for i in range(2)] == ["Bartlett", "Butler"]
    dialog.identified.item(1).setCheckState(Qt.CheckState.Checked)
    assert dialog.try_accept()
    names = {a.org_name for a in assignments.list_assignments(profile, program_code="MA_SSOS")}
    assert names == {"Lowell", "Butler"}
    window.caseload.list_view.reload()
    assert _row(window, "Butler").program_name == "MA SSoS"
    assert _row(window, "Bartlett").program_name == "No program yet"


def test_the_next_school_year_carries_over_only_the_one_confirmed(
    qtbot, profile_dir, scripted_dialogs
):
    window = open_window(qtbot, profile_dir)
    profile = window.profile
    hackett = _albany_with_hackett(profile)
    district = organizations.find_organization(profile, ALBANY_BEDS).id
    other = OrganizationFields("school", "Arbor Hill", "NY", parent_id=district)
    assignments.add_assigned_school(
        profile, other, assignments.AssignmentFields("NY_RCV", receivership_year=1)
    )
    this_year = current_school_year()
    following = assignments.next_year(this_year)
    menu = window.menuBar().actions()[0].menu()
    start = next(a for a in menu.actions() if a.text().startswith("Start the &next school year"))

    def confirm_one(dialog):
        assert dialog.windowTitle() == f"Start the {following} school year"
        texts = [box.text() for box, _p in dialog.boxes]
        assert not any(box.isChecked() for box, _p in dialog.boxes)
        assert any("Hackett MS" in t and "Receivership year 2 → 3" in t for t in texts)
        dialog.check_all.click()
        assert all(box.isChecked() for box, _p in dialog.boxes)
        dialog.uncheck_all.click()
        hackett_box = next(box for box, p in dialog.boxes if p.org_id == hackett)
        hackett_box.click()
        assert dialog.carry_button.text() == "Carry over 1 assignment"
        dialog.carry_button.click()
        return dialog.result()

    scripted_dialogs.dialog_handler = confirm_one
    start.trigger()
    carried = assignments.list_assignments(profile, school_year=following)
    assert [(a.org_name, a.receivership_year) for a in carried] == [("Hackett MS", 3)]
    kept = assignments.list_assignments(profile, school_year=this_year)
    assert sorted(a.org_name for a in kept) == ["Arbor Hill", "Hackett MS"]
    assert any(kind == "info" and "Carried 1 assignment" in text for kind, _t, text in
               scripted_dialogs.shown)  # fmt: skip


def _write_csv(path, rows) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)


def test_a_csv_with_a_bad_row_is_previewed_and_written_only_once_confirmed(
    qtbot, profile_dir, tmp_path, scripted_dialogs
):
    from coachdesk.ui.caseload.caseload_file_dialog import CaseloadPreviewDialog

    window = open_window(qtbot, profile_dir)
    profile = window.profile
    file = tmp_path / "directory.csv"
    _write_csv(
        file,
        [
            ["Kind", "Name", "State", "BEDS Code", "District", "Grades", "Program"],
            ["district", "Albany City SD", "NY", ALBANY_BEDS, "", "", ""],
            ["school", "Hackett MS", "NY", HACKETT_BEDS, "Albany City SD", "6-8", "NY_RCV"],
            ["school", 'Arbor Hill, "the Elementary"', "NY", "010100010014", "Albany City SD",
             "PK-5", ""],
            ["school", "Broken Row", "NY", "12345", "Albany City SD", "K-5", ""],
        ],
    )  # fmt: skip
    seen = {}

    def preview(dialog):
        assert isinstance(dialog, CaseloadPreviewDialog)
        table = dialog.table
        cells = [
            [table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount())
        ]
        seen["cells"] = cells
        seen["totals"] = dialog.totals.text()
        seen["about"] = dialog.about.text()
        seen["button"] = dialog.import_button.text()
        seen["written_before"] = organizations.list_organizations(profile, archived=True)
        dialog.import_button.click()
        return dialog.result()

    scripted_dialogs.file_answers = [str(file)]
    scripted_dialogs.dialog_handler = preview
    window.caseload.list_view.empty_import.click()
    settle(qtbot)

    assert seen["written_before"] == []
    assert seen["cells"][0][:3] == ["5", "refused", "Broken Row"]  # refused rows come first
    assert "12 digits" in seen["cells"][0][4]
    assert [c[1] for c in seen["cells"][1:]] == ["new district", "new school", "new school"]
    assert seen["totals"] == "2 new schools, 1 new district, 1 row refused."
    assert "UTF-8" in seen["about"]
    assert seen["button"] == "Import 2 schools and 1 district"
    assert sorted(_names(window)) == ['Arbor Hill, "the Elementary"', "Hackett MS"]
    assert _row(window, "Hackett MS").program_name == "NY Receivership"
    info = [text for kind, _t, text in scripted_dialogs.shown if kind == "info"]
    assert info and "1 row was refused" in info[-1]


def test_cancelling_the_preview_writes_nothing(qtbot, profile_dir, tmp_path, scripted_dialogs):
    window = open_window(qtbot, profile_dir)
    file = tmp_path / "schools.csv"
    _write_csv(file, [["Name", "State", "IRN"], ["Lincoln Elementary", "OH", "043752"]])
    scripted_dialogs.file_answers = [str(file)]
    scripted_dialogs.dialog_handler = lambda dialog: QDialog.DialogCode.Rejected
    window.caseload.list_view.school_actions.import_file()
    settle(qtbot)
    assert organizations.list_organizations(window.profile, archived=True) == []


def test_columns_that_do_not_match_are_mapped_first(qtbot, profile_dir, tmp_path, scripted_dialogs):
    from coachdesk.ui.caseload.caseload_file_dialog import (
        CaseloadPreviewDialog,
        ColumnMappingDialog,
    )

    window = open_window(qtbot, profile_dir)
    file = tmp_path / "export.csv"
    _write_csv(file, [["Campus Title", "State", "IRN"], ["Lincoln Elementary", "OH", "043752"]])
    steps = []

    def answer(dialog):
        steps.append(type(dialog).__name__)
        if isinstance(dialog, ColumnMappingDialog):
            assert dialog.choices["Campus Title"].currentText() == "not imported"
            assert dialog.choices["IRN"].currentText() == "state id"
            dialog.choose("Campus Title", "name")
            return QDialog.DialogCode.Accepted
        assert isinstance(dialog, CaseloadPreviewDialog)
        assert dialog.import_button.text() == "Import 1 school"
        return QDialog.DialogCode.Accepted

    scripted_dialogs.file_answers = [str(file)]
    scripted_dialogs.dialog_handler = answer
    window.caseload.list_view.school_actions.import_file()
    settle(qtbot)
    assert steps == ["ColumnMappingDialog", "CaseloadPreviewDialog"]
    assert _row(window, "Lincoln Elementary").program_name == "No program yet"


def test_the_caseload_is_exported_to_a_csv(qtbot, profile_dir, tmp_path, scripted_dialogs):
    window = open_window(qtbot, profile_dir)
    _albany_with_hackett(window.profile)
    target = tmp_path / "caseload.csv"
    scripted_dialogs.file_answers = [str(target)]
    menu = window.menuBar().actions()[0].menu()
    export = next(a for a in menu.actions() if a.text().startswith("E&xport the caseload"))
    export.trigger()
    settle(qtbot)
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["Kind"], r["Name"], r["State ID"]) for r in rows] == [
        ("district", "Albany City SD", ALBANY_BEDS),
        ("school", "Hackett MS", HACKETT_BEDS),
    ]
    info = [text for kind, _t, text in scripted_dialogs.shown if kind == "info"]
    assert info == [f"Wrote 1 district and 1 school to {target}."]


def test_adding_a_school_beside_a_selected_one_starts_in_its_district_and_state(
    qtbot, profile_dir, scripted_dialogs
):
    window = open_window(qtbot, profile_dir)
    profile = window.profile
    lowell = organizations.add_district(profile, name="Lowell", state="MA", state_id="01600000")
    school = OrganizationFields("school", "Butler", "MA", state_id="01600010", parent_id=lowell.id)
    assignments.add_assigned_school(profile, school, assignments.AssignmentFields("MA_SSOS"))
    _albany_with_hackett(profile)
    organizations.add_district(profile, name="Troy", state="NY")  # NY holds the most records
    view = window.caseload.list_view
    view.reload()
    _select(window, "Butler")
    seen = {}

    def look(dialog):
        seen["state"] = dialog.current_state()
        seen["district"] = dialog.district.currentText()
        seen["id label"] = dialog.form.labelForField(dialog.inputs["state_id"]).text()
        return QDialog.DialogCode.Rejected

    scripted_dialogs.dialog_handler = look
    view.add_school_button.click()
    assert seen == {"state": "MA", "district": "Lowell", "id label": "Organization code"}
