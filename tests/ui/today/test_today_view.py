"""The Today area on the demo caseload: groups, reasons, opening an item, the calendar."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate

from coachdesk.core.tracking_records.due import Group
from coachdesk.ui.today.today_view import TodayView

DAY = dt.date(2027, 1, 15)  # mid-year: DII and PM windows open, Q2 report coming
LOADED = dt.date(2026, 12, 1)  # a day that has come, six weeks before DAY


@pytest.fixture
def dec_demo(demo_on):
    """The demo as loaded on LOADED: what Today lists on DAY does not depend on the real date.
    (Loaded on a day still to come, its drafts after the real today would count as planned.)"""
    return demo_on(LOADED)


def _view(qtbot, profile, day=DAY) -> TodayView:
    view = TodayView(profile, today=lambda: day)
    qtbot.addWidget(view)
    return view


def _groups(view):
    return view.group_titles()


def _text(view, index, column):
    return view.model.data(index.siblingAtColumn(column))


def test_today_lists_groups_in_order_with_the_rule_sentence(qtbot, dec_demo):
    view = _view(qtbot, dec_demo)
    names = [g.split(" (")[0][2:] for g in _groups(view)]
    order = ["Overdue", "Today", "This week", "Coming up"]
    assert names == [n for n in order if n in names] and len(names) >= 3
    first = view.entry_index(Group.OVERDUE, 0)
    entry = view.entry_of(first)
    assert _text(view, first, 3) == entry.item.explanation and entry.item.explanation.endswith(".")
    assert view.heading.text() == "Today, Friday, January 15, 2027"
    line = view.programs_line.text()
    assert "NY Receivership: " in line and "at risk" in line
    assert "OH NNPS: tracked by action plans" in line


def test_sorting_by_school_orders_each_group_by_school(qtbot, dec_demo):
    view = _view(qtbot, dec_demo)
    view.sort_box.setCurrentText("School")
    rows = len(view.model.members(Group.OVERDUE))
    schools = [_text(view, view.entry_index(Group.OVERDUE, r), 1) for r in range(rows)]
    assert rows > 1 and schools == sorted(schools)


def test_a_group_heading_folds_and_unfolds_its_items(qtbot, dec_demo):
    view = _view(qtbot, dec_demo)
    heading = view.model.heading_rows()[0]
    listed = view.model.rowCount()
    overdue = len(view.model.members(Group.OVERDUE))
    view._activate(view.model.index(heading, 0))  # Enter or double-click on the heading
    assert view.model.rowCount() == listed - overdue
    assert view.group_titles()[0].startswith("▸ Overdue")
    assert not view.entry_index(Group.OVERDUE, 0).isValid()
    view._activate(view.model.index(heading, 0))
    assert view.model.rowCount() == listed
    assert view.entry_of(view.entry_index(Group.OVERDUE, 0)) is view.model.members(Group.OVERDUE)[0]


def test_opening_an_item_asks_for_its_school_or_visit(qtbot, dec_demo):
    from coachdesk.core.tracking_rules.facts import Act

    view = _view(qtbot, dec_demo)
    members = view.model.members(Group.OVERDUE)
    position = next(i for i, e in enumerate(members) if e.item.act is Act.FINISH_NOTE)
    item = view.entry_index(Group.OVERDUE, position)
    entry = view.entry_of(item)
    view.tree.setCurrentIndex(item)
    assert view.act_button.isEnabled() and view.act_button.text() == "Open the note"
    assert entry.school_name in view.detail.text()
    with qtbot.waitSignal(view.open_requested) as signal:
        view.act_button.click()
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
    assert "Nothing is due" in view.group_titles()[0]
    assert view.entry_of(view.model.index(0, 0)) is None


def test_today_is_listed_first_built_when_opened_and_badges_fill_after_first_paint(qtbot, demo):
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


def test_opening_an_overdue_next_step_shows_it_selected_on_its_schools_page(qtbot, demo):
    from coachdesk.ui.main_window import MainWindow

    window = MainWindow(demo)
    qtbot.addWidget(window)
    window.show_area("today")
    step = next(e for e in window.today.entries if e.item.rule_id == "all.action_item")
    target = step.item.target
    window.open_due_item(target.school_id, target.kind.value, target.record_id)
    assert window.current_area() == "caseload"
    page = window.caseload.school_page
    assert page.school.id == target.school_id
    next_steps = page.visits_panel.next_steps
    assert next_steps.selected_text() is not None
    assert next_steps.selected_text().startswith(step.item.what.rstrip("…"))


def test_a_new_coach_s_today_says_where_to_start(qtbot, profile):
    from coachdesk.core import assignments, organizations

    view = _view(qtbot, profile, dt.date.today())
    where_to_start = [
        "Nothing is due: no school is in a program on your caseload yet. Add one under Caseload "
        "(Add school… or Import schools from a file…) and assign it to its program."
    ]
    assert _groups(view) == where_to_start
    district = organizations.add_district(profile, name="Albany City SD", state="NY")
    school = organizations.add_school(
        profile, name="Arbor Hill Elementary", district_id=district.id
    )
    view.refresh()
    assert _groups(view) == where_to_start  # in no program yet
    assignments.assign(profile, school.id, assignments.AssignmentFields("NY_RCV"))
    view.refresh()
    assert _groups(view) != where_to_start  # December's visit is due


def test_a_new_coach_s_where_to_start_reads_whole_on_a_small_screen(qtbot, profile):
    """On a 1024x640 laptop the list is about 590 px wide: the one line wraps whole instead of
    running past the edge, and no empty line leaves a gap above the list."""
    from PySide6.QtCore import QRect, Qt

    view = _view(qtbot, profile, dt.date.today())
    view.resize(880, 540)
    view.show()
    qtbot.waitExposed(view)
    table = view.tree
    text = view.model.empty_text
    shown = table.visualRect(table.model().index(0, 0)).united(
        table.visualRect(table.model().index(0, 3))
    )
    assert table.fontMetrics().horizontalAdvance(text) > shown.width()  # one line is too long
    wrapped = table.fontMetrics().boundingRect(
        QRect(0, 0, shown.width() - 8, 10_000), int(Qt.TextFlag.TextWordWrap), text
    )
    assert shown.height() >= wrapped.height()  # every line of it shows
    assert table.wordWrap()
    filters_end = view.filters.mapTo(view, view.filters.rect().bottomLeft()).y()
    assert (
        table.mapTo(view, table.rect().topLeft()).y() - filters_end
        < 3 * view.fontMetrics().height()
    )


def test_a_day_with_something_due_is_underlined_not_told_by_colour_alone(qtbot, dec_demo):
    view = _view(qtbot, dec_demo, LOADED)
    marked = view._events
    due_days = [day for day, events in marked.items() if any(e.kind == "due" for e in events)]
    other_days = [day for day in marked if day not in due_days]
    assert due_days and other_days  # the demo's month has both

    def shown(day):
        return view.calendar.dateTextFormat(QDate(day.year, day.month, day.day))

    assert all(shown(day).fontUnderline() and shown(day).fontWeight() >= 700 for day in due_days)
    assert all(not shown(day).fontUnderline() for day in other_days)
    assert all(shown(day).fontWeight() >= 700 for day in other_days)  # bold: something that day


def test_the_filters_start_under_the_heading_where_the_page_is_read_from(qtbot, demo):
    view = _view(qtbot, demo, dt.date.today())
    view.resize(1280, 720)
    view.show()
    qtbot.waitExposed(view)

    def left(widget) -> int:
        return widget.mapTo(view, widget.rect().topLeft()).x()

    assert abs(left(view.filters) - left(view.heading)) <= 2  # not pushed to the right edge
