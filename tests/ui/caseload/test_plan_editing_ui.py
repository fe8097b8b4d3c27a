"""Editing the OH One-Year Action Plan on a school's page (issue 13): a goal edited and removed
(one with activities says they go with it), an activity edited and deleted, who is in charge
refused when it names a family member, and the plan labelled with the year it is for."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from coachdesk.core.tracking_records.plans import get_action_plan
from coachdesk.ui.caseload.action_plan_table import ACTIVITY
from coachdesk.ui.caseload.school_page import SchoolPage
from tests.support.ui import ChangeRecorder


def _oh_school(demo) -> tuple[str, str]:
    row = (
        demo.quick_connection()
        .execute(
            "SELECT o.id, a.school_year FROM organization o JOIN assignment a ON a.org_id = o.id "
            "WHERE a.program_code = 'OH_NNPS' ORDER BY o.name LIMIT 1"
        )
        .fetchone()
    )
    return row[0], row[1]


def _card(qtbot, demo, school: str, today: dt.date | None = None):
    page = SchoolPage(demo)
    qtbot.addWidget(page)
    if today is not None:
        page.action_plan_card.today = lambda: today
    page.resize(1366, 768)
    page.show()
    qtbot.waitExposed(page)
    page.show_school(school)
    return page.action_plan_card


def _titles(card) -> list[str]:
    return [card.sorted.index(r, ACTIVITY).data() for r in range(card.sorted.rowCount())]


def _select(card, title: str) -> None:
    activity = next(a for a in card.plan.activities if a.title == title)
    card.select(activity.id)


def test_a_goal_is_edited_in_its_dialog_and_the_card_shows_it(qtbot, demo, scripted_dialogs):
    school, year = _oh_school(demo)
    card = _card(qtbot, demo, school)
    heard = ChangeRecorder(demo)
    first_id = card.plan.goal_ids[0]
    kind, result, _measure = card.plan.goals[0]

    def answer(dialog) -> int:
        assert dialog.inputs["desired_result"].toPlainText() == result
        dialog.inputs["desired_result"].setPlainText(
            "Ninety percent of families attend a conference."
        )
        dialog.inputs["measure"].setText("Conference sign-in sheets")
        assert dialog.try_accept() is True
        return QDialog.DialogCode.Accepted

    scripted_dialogs.dialog_handler = answer
    qtbot.mouseClick(card.goals.edit_buttons[0], Qt.MouseButton.LeftButton)
    stored = get_action_plan(demo, school, year)
    at = stored.goal_ids.index(first_id)
    assert stored.goals[at] == (
        kind,
        "Ninety percent of families attend a conference.",
        "Conference sign-in sheets",
    )
    assert "Ninety percent of families attend a conference." in card.goals.text()
    assert "<i>Measure:</i> Conference sign-in sheets" in card.goals.labels[at].text()
    assert heard.touched("partnership_goal")


def test_removing_a_goal_with_activities_says_they_go_with_it_and_asks(
    qtbot, demo, scripted_dialogs
):
    school, year = _oh_school(demo)
    card = _card(qtbot, demo, school)
    plan = card.plan
    goal_id = next(g for g in plan.goal_ids if any(a.goal_id == g for a in plan.activities))
    served = [a.title for a in plan.activities if a.goal_id == goal_id]
    row = plan.goal_ids.index(goal_id)

    scripted_dialogs.confirm_answers.append(False)
    qtbot.mouseClick(card.goals.remove_buttons[row], Qt.MouseButton.LeftButton)
    asked = [text for kind, _t, text in scripted_dialogs.shown if kind == "confirm"][-1]
    n = len(served)
    assert f"Its {n} activit" in asked and "deleted with it" in asked
    assert "move" in asked and "another goal" in asked
    assert get_action_plan(demo, school, year).goal_ids == plan.goal_ids  # nothing removed

    scripted_dialogs.confirm_answers.append(True)
    qtbot.mouseClick(card.goals.remove_buttons[row], Qt.MouseButton.LeftButton)
    after = get_action_plan(demo, school, year)
    assert goal_id not in after.goal_ids
    assert not set(served) & set(_titles(card))
    assert len(card.goals.labels) == len(plan.goals) - 1
    assert f"{len(plan.activities) - n} activities" in card.totals.text()


def test_a_goal_without_activities_is_removed_after_a_short_question(qtbot, demo, scripted_dialogs):
    school, year = _oh_school(demo)
    card = _card(qtbot, demo, school)

    def add(dialog) -> int:
        dialog.inputs["kind"].setCurrentIndex(dialog.inputs["kind"].findData("climate"))
        dialog.inputs["desired_result"].setPlainText("Families feel welcome at every event.")
        assert dialog.try_accept() is True
        return QDialog.DialogCode.Accepted

    scripted_dialogs.dialog_handler = add
    qtbot.mouseClick(card.add_goal_button, Qt.MouseButton.LeftButton)
    row = next(
        i for i, label in enumerate(card.goals.labels) if "Families feel welcome" in label.text()
    )
    scripted_dialogs.confirm_answers.append(True)
    qtbot.mouseClick(card.goals.remove_buttons[row], Qt.MouseButton.LeftButton)
    asked = [text for kind, _t, text in scripted_dialogs.shown if kind == "confirm"][-1]
    assert asked.endswith("from the plan? It has no activities.")
    assert "Families feel welcome" not in card.goals.text()
    assert all(
        g[1] != "Families feel welcome at every event."
        for g in get_action_plan(demo, school, year).goals
    )


def test_an_activity_is_edited_and_a_parent_in_charge_is_refused_with_cores_sentence(
    qtbot, demo, scripted_dialogs
):
    school, year = _oh_school(demo)
    card = _card(qtbot, demo, school)
    title = card.plan.activities[0].title
    _select(card, title)
    said: dict = {}

    def answer(dialog) -> int:
        dialog.inputs["in_charge"].setText("Parent of Maria R.")
        assert dialog.try_accept() is False
        said["refusal"] = dialog.error.text()
        assert dialog.inputs["in_charge"].text() == "Parent of Maria R."  # kept to correct
        dialog.inputs["in_charge"].setText("Parent liaison")
        dialog.inputs["title"].setText("Family math night, with dinner")
        assert dialog.try_accept() is True
        return QDialog.DialogCode.Accepted

    scripted_dialogs.dialog_handler = answer
    qtbot.mouseClick(card.edit_button, Qt.MouseButton.LeftButton)
    assert said["refusal"] == (
        "“Parent of Maria R.” is not a role at the school; the person in charge of an activity "
        "is an adult in a school role, such as Principal, ATP chair or Parent liaison, never a "
        "family member or a student."
    )
    assert "Family math night, with dinner" in _titles(card) and title not in _titles(card)
    edited = next(
        a for a in get_action_plan(demo, school, year).activities if a.title.endswith("dinner")
    )
    assert edited.in_charge == "Parent liaison"
    assert card.selected().id == edited.id


def test_an_activity_is_deleted_after_the_question_says_dropped_keeps_it(
    qtbot, demo, scripted_dialogs
):
    school, year = _oh_school(demo)
    card = _card(qtbot, demo, school)
    before = card.plan
    title = before.activities[0].title
    assert not card.delete_button.isEnabled()
    _select(card, title)
    assert card.delete_button.isEnabled()
    scripted_dialogs.confirm_answers.append(True)
    qtbot.mouseClick(card.delete_button, Qt.MouseButton.LeftButton)
    asked = [text for kind, _t, text in scripted_dialogs.shown if kind == "confirm"][-1]
    assert "set its status to dropped instead" in asked
    assert title not in _titles(card)
    assert len(get_action_plan(demo, school, year).activities) == len(before.activities) - 1
    assert f"{len(before.activities) - 1} activities" in card.totals.text()
    deleted = demo.quick_connection().execute(
        "SELECT deleted_at FROM plan_activity WHERE id = ?", (before.activities[0].id,)
    )
    assert deleted.fetchone()[0] is not None  # a tombstone, which syncs


def test_in_may_the_plan_being_written_is_labelled_with_next_year(qtbot, demo, scripted_dialogs):
    school, year = _oh_school(demo)
    assert year == "2026-27"
    card = _card(qtbot, demo, school, today=dt.date(2027, 5, 10))
    assert card.title.text() == "One-Year Action Plan for Partnerships 2026-27"
    box = card.year_box
    assert box.isVisible()
    assert [box.itemText(i) for i in range(box.count())] == [
        "2026-27 (this school year)",
        "2027-28 (being written)",
    ]
    box.setCurrentIndex(1)
    assert card.title.text() == "One-Year Action Plan for Partnerships 2027-28"
    assert "No goals yet" in card.goals.text()

    def add(dialog) -> int:
        assert dialog.windowTitle() == "Add a goal to the 2027-28 action plan"
        dialog.inputs["desired_result"].setPlainText("More students read at grade level.")
        assert dialog.try_accept() is True
        return QDialog.DialogCode.Accepted

    scripted_dialogs.dialog_handler = add
    qtbot.mouseClick(card.add_goal_button, Qt.MouseButton.LeftButton)
    assert [g[1] for g in get_action_plan(demo, school, "2027-28").goals] == [
        "More students read at grade level."
    ]
    assert "More students read at grade level." in card.goals.text()


def test_in_december_there_is_one_plan_and_no_year_to_choose(qtbot, demo):
    school, _year = _oh_school(demo)
    card = _card(qtbot, demo, school, today=dt.date(2026, 12, 1))
    assert not card.year_box.isVisible()
    assert card.title.text() == "One-Year Action Plan for Partnerships 2026-27"
