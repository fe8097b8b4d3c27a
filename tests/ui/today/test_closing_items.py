"""Clearing Today on the demo: each item's one button, closing with Undo, and the filters."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QDialog

from coachdesk.core.store.tracking_tables import Obligation
from coachdesk.core.tracking_records.due import Group
from coachdesk.core.tracking_rules.facts import Act
from coachdesk.ui.today.item_actions import CloseItemDialog
from coachdesk.ui.today.today_view import TodayView
from tests.support.ui import ChangeRecorder

DAY = dt.date(2026, 12, 1)


@pytest.fixture
def demo(demo_on):
    """The demo as loaded on DAY: Today on DAY lists the same items whatever the real date."""
    return demo_on(DAY)


def _view(qtbot, profile, day=DAY) -> TodayView:
    view = TodayView(profile, today=lambda: day)
    qtbot.addWidget(view)
    view.resize(1280, 760)
    view.show()
    return view


def _select(view, rule_id: str, group: Group = Group.OVERDUE):
    members = view.model.members(group)
    position = next(i for i, e in enumerate(members) if e.item.rule_id == rule_id)
    index = view.entry_index(group, position)
    view.tree.setCurrentIndex(index)
    view.tree.setFocus()
    return view.entry_of(index), position


def _listed(view, key: str) -> bool:
    return any(e.item.key == key for e in view.shown)


def test_a_quarterly_report_closes_from_today_with_a_day_and_a_note_and_undo_brings_it_back(
    qtbot, demo, scripted_dialogs
):
    view = _view(qtbot, demo)
    heard = ChangeRecorder(demo)
    report, position = _select(view, "ny.quarterly_report")
    after = view.model.members(Group.OVERDUE)[position + 1]
    assert view.act_button.text() == "Mark as submitted…"
    assert view.act_button.accessibleName() == (
        f"Mark as submitted: {report.item.what}, {report.school_name}"
    )

    def answer(dialog):
        assert isinstance(dialog, CloseItemDialog)
        assert dialog.day_edit.date() == QDate(2026, 12, 1)  # today, by default
        dialog.day_edit.setDate(QDate(2026, 11, 20))
        qtbot.keyClicks(dialog.note_edit, "Sent through the OISR portal.")
        return QDialog.DialogCode.Accepted if dialog.try_accept() else 0

    scripted_dialogs.dialog_handler = answer
    opened = []
    view.open_requested.connect(lambda *target: opened.append(target))
    qtbot.keyClick(view.tree, Qt.Key.Key_Return)  # Enter opens the item's school, closes nothing
    assert opened and opened[0][0] == report.item.school_id
    assert _listed(view, report.item.key) and not scripted_dialogs.shown
    view.activateWindow()
    view.tree.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view.tree)
    qtbot.keyClick(view.tree, Qt.Key.Key_Tab)  # the item's button is the next stop
    assert QApplication.focusWidget() is view.act_button
    qtbot.keyClick(view.act_button, Qt.Key.Key_Space)  # pressing it closes the item

    assert ("dialog", "CloseItemDialog", "Mark as submitted") in scripted_dialogs.shown
    assert not _listed(view, report.item.key)
    assert view.entry_of(view.tree.currentIndex()) is not None
    assert view.entry_of(view.tree.currentIndex()).item.key == after.item.key  # the next one
    with demo.reading() as session:
        row = session.query(Obligation).filter_by(org_id=report.item.school_id, kind="Q1").one()
        assert (row.kind, row.period, row.status) == ("Q1", "2026-27", "submitted")
        assert (row.submitted_on, row.note) == (
            dt.date(2026, 11, 20),
            "Sent through the OISR portal.",
        )
    assert heard.touched("obligation")  # the caseload's badges and other views hear it
    assert view.undo.isVisible() and view.undo.label.text() == (
        f"Marked submitted: {report.item.what}, {report.school_name}"
    )

    view.undo.button.click()
    assert _listed(view, report.item.key) and not view.undo.offered
    assert view.entry_of(view.tree.currentIndex()).item.key == report.item.key
    with demo.reading() as session:
        row = session.query(Obligation).filter_by(org_id=report.item.school_id, kind="Q1").one()
        assert (row.status, row.submitted_on, row.note) == ("open", None, None)


def test_a_refused_day_stays_in_the_dialog_and_nothing_closes(qtbot, demo, scripted_dialogs):
    view = _view(qtbot, demo)
    report, _ = _select(view, "ny.quarterly_report")
    seen = []

    def answer(dialog):
        dialog.day_edit.setDate(QDate(2026, 12, 5))  # after today
        seen.append((dialog.try_accept(), dialog.error.text()))
        return 0  # the coach then cancels

    scripted_dialogs.dialog_handler = answer
    view.act_button.click()
    assert seen and seen[0][0] is False and "future" in seen[0][1].lower()
    assert _listed(view, report.item.key) and not view.undo.offered


def test_mark_done_closes_a_next_step_at_once_and_keeps_the_place_in_the_list(qtbot, demo):
    view = _view(qtbot, demo)
    members = view.model.members(Group.OVERDUE)
    # A next step far down the list: the list is scrolled to show it.
    position = max(i for i, e in enumerate(members[:-1]) if e.item.rule_id == "all.action_item")
    step, after = members[position], members[position + 1]
    view.tree.setCurrentIndex(view.entry_index(Group.OVERDUE, position))
    scrolled = view.tree.verticalScrollBar().value()
    assert scrolled > 0
    assert view.act_button.text() == "Mark done"
    view.act_button.click()
    assert not _listed(view, step.item.key)
    assert view.entry_of(view.tree.currentIndex()).item.key == after.item.key
    assert view.tree.verticalScrollBar().value() == scrolled  # not back at the top
    assert view.undo.label.text().startswith("Marked done: ")
    view.undo.undo()
    assert _listed(view, step.item.key)


def test_every_overdue_item_on_december_1_has_an_enabled_button_named_for_it(qtbot, demo):
    view = _view(qtbot, demo)
    overdue = view.model.members(Group.OVERDUE)
    assert overdue
    for position, entry in enumerate(overdue):
        view.tree.setCurrentIndex(view.entry_index(Group.OVERDUE, position))
        assert view.act_button.isEnabled(), entry.item.what
        assert view.act_button.text() not in ("", "Open"), entry.item.what
        assert entry.item.what in view.act_button.accessibleName()
        assert entry.item.act is not Act.NONE


def test_filters_by_program_and_by_district_and_the_counts_follow(qtbot, demo):
    view = _view(qtbot, demo)
    everything = len(view.entries)
    oh_item = next(e for e in view.model.members(Group.OVERDUE) if e.program_code == "OH_NNPS")
    position = view.model.members(Group.OVERDUE).index(oh_item)
    view.tree.setCurrentIndex(view.entry_index(Group.OVERDUE, position))
    view.filters.choose(program="NY_RCV")
    assert view.entry_of(view.tree.currentIndex()) is None  # the OH item is not shown now
    assert view.detail.text() == "Select an item to see why it is listed."
    assert view.shown and all(e.program_code == "NY_RCV" for e in view.shown)
    assert len(view.shown) < everything
    assert view.counts.text().startswith(f"NY Receivership: {len(view.shown)} of {everything}")
    overdue = sum(1 for e in view.shown if e.group is Group.OVERDUE)
    assert f"Overdue: {overdue}" in view.counts.text()
    assert view.group_titles()[0] == f"▾ Overdue ({overdue})"

    places = view.filters._places
    district = next(
        places[p.district_id]
        for p in places.values()
        if p.district_id and any(e.item.school_id == p.id for e in view.shown)
    )
    view.filters.choose(program=None, place_name=district.name)
    assert view.shown
    for entry in view.shown:
        place = places[entry.item.school_id]
        assert entry.item.school_id == district.id or place.district_id == district.id
    # Remembered for the session: Today built again shows the same district.
    again = _view(qtbot, demo)
    assert [e.item.key for e in again.shown] == [e.item.key for e in view.shown]
    again.filters.choose(program=None, place_name=None)
    assert len(again.shown) == everything


def test_plan_a_visit_opens_the_school_and_its_start_a_visit_dialog(qtbot, demo, scripted_dialogs):
    from coachdesk.ui.main_window import MainWindow

    window = MainWindow(demo, today=lambda: DAY)
    qtbot.addWidget(window)
    window.show_area("today")
    view = window.today
    entry = next(
        e
        for e in view.shown
        if e.item.act is Act.PLAN_VISIT
        and not e.item.target.record_id
        and e.group is not Group.COMING_UP  # (opens folded)
        and e.item.school_id != e.district_id  # a school's, not a district's
    )
    position = view.model.members(entry.group).index(entry)
    view.tree.setCurrentIndex(view.entry_index(entry.group, position))
    assert view.act_button.text().startswith("Plan a ") and view.act_button.text().endswith("…")
    view.act_button.click()
    assert window.current_area() == "caseload"
    assert ("dialog", "StartVisitDialog", "Start a visit") in scripted_dialogs.shown


def test_a_month_without_a_final_visit_can_be_marked_excused_from_its_menu(
    qtbot, demo, scripted_dialogs
):
    view = _view(qtbot, demo)
    month = next(
        e
        for e in view.model.members(Group.OVERDUE)
        if e.item.rule_id == "ny.monthly_visit" and e.item.act is Act.FINISH_NOTE
    )
    labels = [label for label, _run in view.menu_actions(month)]
    assert labels == ["Open the note", "Mark as excused…"]

    def answer(dialog):
        qtbot.keyClicks(dialog.note_edit, "The school was closed for a week of storms.")
        return QDialog.DialogCode.Accepted if dialog.try_accept() else 0

    scripted_dialogs.dialog_handler = answer
    dict(view.menu_actions(month))["Mark as excused…"]()
    assert not _listed(view, month.item.key)
    assert view.undo.label.text().startswith("Marked excused: On-site visit for November 2026")
