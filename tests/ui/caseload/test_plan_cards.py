"""The MA Instructional Priority on a district's page and the OH One-Year Action Plan on a
school's page."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QDialog

from coachdesk.core.tracking_records import plans
from coachdesk.core.tracking_records.plans import get_action_plan, get_priority
from coachdesk.ui.caseload.action_plan_table import ACTIVITY, STATUS
from coachdesk.ui.caseload.district_page import DistrictPage
from coachdesk.ui.caseload.school_page import SchoolPage
from tests.support.ui import ChangeRecorder, publish_import


def _school(demo, program: str) -> tuple[str, str | None, str]:
    """(school id, district id, school year) of the first school of a program, by name."""
    row = (
        demo.quick_connection()
        .execute(
            "SELECT o.id, o.parent_id, a.school_year FROM organization o "
            "JOIN assignment a ON a.org_id = o.id WHERE a.program_code = ? ORDER BY o.name "
            "LIMIT 1",
            (program,),
        )
        .fetchone()
    )
    return row[0], row[1], row[2]


def _page(qtbot, demo, school_id: str, saved: ChangeRecorder | None = None) -> SchoolPage:
    page = SchoolPage(demo)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    qtbot.waitExposed(page)
    page.show_school(school_id)
    return page


def _district_page(qtbot, demo, district_id: str) -> DistrictPage:
    page = DistrictPage(demo)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    qtbot.waitExposed(page)
    page.show_district(district_id)
    return page


def _change_count(demo) -> int:
    return demo.quick_connection().execute("SELECT count(*) FROM change").fetchone()[0]


# --- which card on which page ---------------------------------------------------------------------


def test_an_ma_page_links_to_the_ip_and_has_no_action_plan_and_an_oh_page_the_reverse(qtbot, demo):
    ma, district, year = _school(demo, "MA_SSOS")
    oh, _d, _y = _school(demo, "OH_NNPS")
    ny, _d, _y = _school(demo, "NY_RCV")
    page = _page(qtbot, demo, ma)
    assert page.priority_link.isVisibleTo(page)
    assert page.priority_link.text().startswith("Instructional Priority: see ")
    assert not page.action_plan_card.isVisibleTo(page)
    page.show_school(oh)
    assert page.action_plan_card.isVisibleTo(page)
    assert not page.priority_link.isVisibleTo(page)
    page.show_school(ny)
    assert not page.action_plan_card.isVisibleTo(page)
    assert not page.priority_link.isVisibleTo(page)
    # The IP itself is on the MA district's page, and on no other district's.
    district_page = _district_page(qtbot, demo, district)
    assert district_page.priority_card.isVisibleTo(district_page)
    assert district_page.priority_card.title.text() == f"Instructional Priority {year}"
    district_page.show_district(_school(demo, "OH_NNPS")[1])
    assert not district_page.priority_card.isVisibleTo(district_page)


# --- the Instructional Priority -------------------------------------------------------------------


def test_editing_the_ip_statement_and_leaving_the_box_saves_it(qtbot, demo):
    school, district, year = _school(demo, "MA_SSOS")
    saved = ChangeRecorder(demo)
    page = _district_page(qtbot, demo, district)
    card = page.priority_card
    card.set_pause(60_000)  # only leaving the box can save within this test
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    statement = card.editors["statement"]
    statement.setFocus()
    statement.selectAll()
    qtbot.keyClicks(statement, "Every student writes to explain their reasoning.")
    assert "writes" not in get_priority(demo, district, year).statement
    card.editors["inequity_addressed"].setFocus()  # Tab or a click: the statement box is left
    qtbot.waitUntil(lambda: "writes" in get_priority(demo, district, year).statement)
    assert get_priority(demo, district, year).statement == (
        "Every student writes to explain their reasoning."
    )
    assert any(c.touches("instructional_priority") for c in saved.summaries)
    assert "on this laptop" in card.about.text()


def test_a_pause_in_typing_saves_and_hiding_the_page_saves_what_still_waits(qtbot, demo):
    school, district, year = _school(demo, "MA_SSOS")
    page = _district_page(qtbot, demo, district)
    card = page.priority_card
    card.set_pause(50)
    for editor in card.editors.values():
        editor.moveCursor(QTextCursor.MoveOperation.End)  # type after what is there
    qtbot.keyClicks(card.editors["dilt_focus"], " Then share it with the SILTs.")
    qtbot.waitUntil(lambda: get_priority(demo, district, year).dilt_focus.endswith("SILTs."))
    card.set_pause(60_000)
    qtbot.keyClicks(card.editors["school_actions"], " Principals join twice a year.")
    page.hide()  # the coach goes back to the list or closes the window
    assert get_priority(demo, district, year).school_actions.endswith("twice a year.")


def test_a_checklist_tick_saves(qtbot, demo):
    school, district, year = _school(demo, "MA_SSOS")
    page = _district_page(qtbot, demo, district)
    card = page.priority_card
    before = get_priority(demo, district, year).checklist_done
    step = next(s for s in plans.CHECKLIST_STEPS if s not in before)
    tick = card.checks[step]  # on its box: the middle of a wide check box is past its words
    qtbot.mouseClick(tick, Qt.MouseButton.LeftButton, pos=QPoint(8, tick.height() // 2))
    assert get_priority(demo, district, year).checklist_done == before | {step}
    assert f"{len(before) + 1} of 4 done" in card.checklist_title.text()


def test_the_primary_contact_is_chosen_from_the_district_and_its_schools(qtbot, demo):
    from coachdesk.core import schools

    school, district, year = _school(demo, "MA_SSOS")
    lead = schools.add_contact(demo, district, name="Dana Ruiz", role="Assistant Superintendent")
    page = _district_page(qtbot, demo, district)
    box = page.priority_card.contact_box
    box.setCurrentIndex(box.findData(lead.id))
    assert get_priority(demo, district, year).primary_contact_id == lead.id
    assert "Dana Ruiz" in box.currentText()


def test_an_import_refreshes_the_ip_but_keeps_what_the_coach_is_typing(qtbot, demo):
    school, district, year = _school(demo, "MA_SSOS")
    page = _district_page(qtbot, demo, district)
    card = page.priority_card
    card.set_pause(60_000)
    card.editors["statement"].moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(card.editors["statement"], " (draft)")
    typed = card.editors["statement"].toPlainText()
    changes = plans.update_priority(
        demo, district, year, statement="From the district.", dilt_focus="From the DILT."
    )
    publish_import(demo, changes)  # as after a sync import
    assert card.editors["dilt_focus"].toPlainText() == "From the DILT."
    assert card.editors["statement"].toPlainText() == typed
    card.flush()
    assert get_priority(demo, district, year).statement == typed.strip()


def test_a_district_without_an_ip_offers_to_start_one(qtbot, demo):
    school, district, year = _school(demo, "MA_SSOS")
    ip = get_priority(demo, district, year)
    from coachdesk.core.store.tracking_tables import InstructionalPriority

    with demo.writing() as write:  # the year's priority was removed on another laptop
        write.session.get(InstructionalPriority, ip.id).deleted_at = "removed"
    page = _district_page(qtbot, demo, district)
    card = page.priority_card
    assert card.pages.currentIndex() == 0
    assert "No Instructional Priority is recorded" in card.empty_text.text()
    assert card.start_button.isVisibleTo(page)
    qtbot.mouseClick(card.start_button, Qt.MouseButton.LeftButton)
    started = get_priority(demo, district, year)
    assert started is not None and started.statement == ""
    assert card.pages.currentIndex() == 1


# --- the One-Year Action Plan ---------------------------------------------------------------------


def _fill_activity(dialog, **typed) -> None:
    values = {
        "title": "Family reading night",
        "starts_on": "12 Mar 2027",
        "in_charge": "Literacy coach",
        "cost": "$300",
        **typed,
    }
    for key, value in values.items():
        dialog.inputs[key].setText(value)
    box = dialog.inputs["involvement_type"]
    box.setCurrentIndex(box.findData(4))


def test_an_activity_with_a_bad_cost_is_refused_with_a_sentence_and_writes_nothing(
    qtbot, demo, scripted_dialogs
):
    school, _d, year = _school(demo, "OH_NNPS")
    page = _page(qtbot, demo, school)
    card = page.action_plan_card
    rows_before = card.sorted.rowCount()
    before = _change_count(demo)
    refusals = []

    def answer(dialog):
        _fill_activity(dialog, cost="about 300")
        assert dialog.try_accept() is False
        refusals.append(dialog.error.text())
        return QDialog.DialogCode.Rejected

    scripted_dialogs.dialog_handler = answer
    qtbot.mouseClick(card.add_button, Qt.MouseButton.LeftButton)
    assert refusals == [
        "“about 300” is not a cost; type whole dollars, such as 250 or $1,200, or leave it empty."
    ]
    assert _change_count(demo) == before
    assert card.sorted.rowCount() == rows_before


def test_an_empty_description_and_a_date_that_is_not_a_date_are_refused(
    qtbot, demo, scripted_dialogs
):
    school, _d, _y = _school(demo, "OH_NNPS")
    page = _page(qtbot, demo, school)
    before = _change_count(demo)
    refusals = []

    def answer(dialog):
        for typed in ({"title": "   "}, {"starts_on": "after spring break"}):
            _fill_activity(dialog, **typed)
            assert dialog.try_accept() is False
            refusals.append(dialog.error.text())
        return QDialog.DialogCode.Rejected

    scripted_dialogs.dialog_handler = answer
    page.action_plan_card.add_activity()
    assert refusals[0] == "The activity's description cannot be empty."
    assert refusals[1].startswith("The date “after spring break” is not a date; type it as")
    assert _change_count(demo) == before


def test_a_good_activity_appears_in_the_table_the_totals_and_the_plan(
    qtbot, demo, scripted_dialogs
):
    school, _d, year = _school(demo, "OH_NNPS")
    saved = ChangeRecorder(demo)
    page = _page(qtbot, demo, school, saved)
    card = page.action_plan_card
    plan = get_action_plan(demo, school, year)

    def answer(dialog):
        _fill_activity(dialog)
        assert dialog.try_accept() is True
        return QDialog.DialogCode.Accepted

    scripted_dialogs.dialog_handler = answer
    qtbot.mouseClick(card.add_button, Qt.MouseButton.LeftButton)
    titles = [card.sorted.index(r, ACTIVITY).data() for r in range(card.sorted.rowCount())]
    assert "Family reading night" in titles
    assert card.selected().title == "Family reading night"
    again = get_action_plan(demo, school, year)
    added = next(a for a in again.activities if a.title == "Family reading night")
    assert (added.involvement_type, added.cost, added.in_charge) == (4, 300, "Literacy coach")
    assert f"${plan.total_cost() + 300:,}" in card.totals.text()
    assert f"{len(plan.activities) + 1} activities" in card.totals.text()
    assert any(c.touches("plan_activity") for c in saved.summaries)


def test_a_type_of_involvement_without_activity_is_pointed_out(qtbot, demo):
    school, _d, year = _school(demo, "OH_NNPS")
    page = _page(qtbot, demo, school)
    card = page.action_plan_card
    assert not card.missing.isVisibleTo(page)  # the demo plan covers all six types
    volunteering = [
        a for a in get_action_plan(demo, school, year).activities if a.involvement_type == 3
    ]
    changes = None
    for a in volunteering:
        changes = plans.update_activity(demo, a.id, involvement_type=2)
    publish_import(demo, changes)
    assert card.missing.isVisibleTo(page)
    assert card.missing.text().startswith("No activity yet for Volunteering:")
    assert "none yet" in card.type_labels[3].text()


def test_a_status_chosen_in_the_table_saves(qtbot, demo):
    school, _d, year = _school(demo, "OH_NNPS")
    page = _page(qtbot, demo, school)
    card = page.action_plan_card
    row = next(
        r
        for r in range(card.sorted.rowCount())
        if card.sorted.index(r, STATUS).data() != "in progress"
    )
    index = card.sorted.index(row, STATUS)
    activity_id = card.sorted.index(row, 0).data(Qt.ItemDataRole.UserRole + 2).id
    assert card.sorted.setData(index, "in progress")
    saved = next(a for a in get_action_plan(demo, school, year).activities if a.id == activity_id)
    assert saved.status == "in progress"
    qtbot.waitUntil(lambda: card.selected() is not None and card.selected().id == activity_id)


def test_an_essential_element_status_change_saves(qtbot, demo):
    school, _d, year = _school(demo, "OH_NNPS")
    saved = ChangeRecorder(demo)
    page = _page(qtbot, demo, school, saved)
    box = page.action_plan_card.element_boxes[5]
    wanted = next(s for s in plans.ELEMENT_STATUSES if s != box.currentText())
    box.setCurrentIndex(box.findText(wanted))
    assert get_action_plan(demo, school, year).elements[5] == wanted
    assert any(c.touches("element_status") for c in saved.summaries)


def test_a_plan_without_goals_asks_for_a_goal_before_any_activity(qtbot, demo, scripted_dialogs):
    from coachdesk.core.store.tracking_tables import PartnershipGoal

    school, _d, year = _school(demo, "OH_NNPS")
    with demo.writing() as write:  # the year's goals were removed on another laptop
        for goal_id in get_action_plan(demo, school, year).goal_ids:
            write.session.get(PartnershipGoal, goal_id).deleted_at = "removed"
    page = _page(qtbot, demo, school)
    card = page.action_plan_card
    assert not card.add_button.isEnabled()
    assert card.missing.text().startswith("No activities yet")
    assert "No goals yet" in card.goals.text()

    def answer(dialog):
        dialog.inputs["kind"].setCurrentIndex(dialog.inputs["kind"].findData("climate"))
        dialog.inputs["desired_result"].setPlainText("Every family feels welcome.")
        assert dialog.try_accept() is True
        return QDialog.DialogCode.Accepted

    scripted_dialogs.dialog_handler = answer
    qtbot.mouseClick(card.add_goal_button, Qt.MouseButton.LeftButton)
    assert get_action_plan(demo, school, year).goals == (
        ("climate", "Every family feels welcome.", ""),
    )
    assert "Every family feels welcome." in card.goals.text()
    assert card.add_button.isEnabled()


def test_typing_in_the_ip_is_saved_when_the_window_closes(qtbot, demo):
    from coachdesk.ui.main_window import MainWindow

    school, district, year = _school(demo, "MA_SSOS")
    window = MainWindow(demo)
    qtbot.addWidget(window)
    window.show()
    window.show_area("caseload")
    window.caseload.open_district(district)
    card = window.caseload.district_page.priority_card
    card.set_pause(60_000)  # no pause-save: only closing can save it
    card.editors["dilt_focus"].moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(card.editors["dilt_focus"], " Review walk data monthly.")
    window.close()
    assert get_priority(demo, district, year).dilt_focus.endswith("Review walk data monthly.")
