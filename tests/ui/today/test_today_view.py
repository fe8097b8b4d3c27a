"""The Today area on the demo caseload: groups, reasons, opening an item, the calendar."""

from __future__ import annotations

import datetime as dt

from coachdesk.ui.today.today_view import TodayView

DAY = dt.date(2027, 1, 15)  # mid-year: DII and PM windows open, Q2 report coming


def _view(qtbot, profile, day=DAY) -> TodayView:
    view = TodayView(profile, today=lambda: day)
    qtbot.addWidget(view)
    return view


def _groups(view):
    tree = view.tree
    return [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]


def test_today_lists_groups_in_order_with_the_rule_sentence(qtbot, demo):
    view = _view(qtbot, demo)
    names = [g.split(" (")[0] for g in _groups(view)]
    order = ["Overdue", "Today", "This week", "Coming up"]
    assert names == [n for n in order if n in names] and len(names) >= 3
    first = view.tree.topLevelItem(0).child(0)
    entry = view.entry_of(first)
    assert first.text(3) == entry.item.explanation and entry.item.explanation.endswith(".")
    assert "15 January 2027" in view.heading.text()
    line = view.programs_line.text()
    assert "NY Receivership: " in line and "at risk" in line
    assert "OH NNPS: tracked by action plans" in line


def test_sorting_by_school_orders_each_group_by_school(qtbot, demo):
    view = _view(qtbot, demo)
    view.sort_box.setCurrentText("School")
    group = view.tree.topLevelItem(0)
    schools = [group.child(i).text(1) for i in range(group.childCount())]
    assert schools == sorted(schools)


def test_opening_an_item_asks_for_its_school_or_visit(qtbot, demo):
    view = _view(qtbot, demo)
    item = view.tree.topLevelItem(0).child(0)
    entry = view.entry_of(item)
    view.tree.setCurrentItem(item)
    assert view.open_button.isEnabled()
    assert entry.school_name in view.detail.text()
    with qtbot.waitSignal(view.open_requested) as signal:
        view.open_button.click()
    assert signal.args[0] == entry.item.target.school_id
    assert signal.args[1] == entry.item.target.kind.value


def test_the_calendar_lists_the_selected_days_visits_and_deadlines(qtbot, demo):
    today = dt.date.today()
    view = _view(qtbot, demo, today)
    due_today = [e for e in view.entries if e.item.due == today]
    lines = view.day_events()
    assert len(lines) >= len(due_today)
    for entry in due_today:
        assert any(entry.item.what in line for line in lines)


def test_an_empty_caseload_says_nothing_is_due(qtbot, profile):
    view = _view(qtbot, profile)
    assert "Nothing is due" in view.tree.topLevelItem(0).text(1)


def test_today_is_listed_first_built_when_opened_and_badges_fill_after_first_paint(
    qtbot, demo
):
    from coachdesk.ui.caseload.table_model import NEXT_DUE
    from coachdesk.ui.main_window import MainWindow

    window = MainWindow(demo)
    qtbot.addWidget(window)
    assert window.areas[0].key == "today"
    assert not window.today_is_built()  # judging every rule waits until it is wanted
    window.load_due_badges()  # what the app does right after the first paint
    model = window.caseload.list_view.model
    badges = [model.data(model.index(r, NEXT_DUE)) for r in range(model.rowCount())]
    assert any(badges)
    window.show_area("today")
    assert window.today_is_built() and window.today.entries
    entry = window.today.entries[0]
    window.open_due_item(entry.item.school_id, "indicator", None)
    assert window.current_area() == "caseload"
