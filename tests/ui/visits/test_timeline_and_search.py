"""The school page's visit timeline and next steps, starting a visit, and Ctrl+K search."""

from __future__ import annotations

import datetime as dt
import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from coachdesk.core import visits
from coachdesk.core.dates_text import weekday_date
from coachdesk.ui.visits.search_popup import SearchPopup
from coachdesk.ui.visits.start_dialog import StartVisitDialog, visit_kinds
from tests.ui.visits.helpers import open_school, open_window


def test_timeline_lists_visits_newest_first_and_enter_opens_one(qtbot, demo_dir):
    window = open_window(qtbot, demo_dir)
    school = open_school(window, "MA_SSOS")
    timeline = school.visits_panel.timeline
    stored = visits.list_visits(window.profile, school_id=school.school.id)
    assert timeline.visit_ids() == [r.id for r in stored] and len(stored) > 1
    top = timeline.table.topLevelItem(0)
    assert top.text(0) == weekday_date(stored[0].starts_at, year=True)  # "Fri, Dec 4, 2026"
    assert re.fullmatch(r"[A-Z][a-z]{2}, [A-Z][a-z]{2} [1-9]\d?, 20\d\d", top.text(0))
    assert top.text(2) in ("Draft", "Final")
    timeline.table.setCurrentItem(timeline.table.topLevelItem(1))
    qtbot.keyClick(timeline.table, Qt.Key.Key_Return)
    assert window.caseload.currentWidget() is window.caseload.visit_page
    assert window.caseload.visit_page.visit.id == stored[1].id


def test_open_next_steps_say_overdue_in_words(qtbot, demo_dir):
    window = open_window(qtbot, demo_dir)
    school = open_school(window, "NY_RCV")
    card = school.visits_panel.next_steps
    items = visits.open_action_items(window.profile, school_id=school.school.id)
    today = dt.date.today()
    assert [r[0] for r in card.shown_rows()] == [i.text for i in items]
    for (_text, _who, due), item in zip(card.shown_rows(), items, strict=True):
        assert due.endswith("overdue") == item.overdue_on(today)
    if any(i.overdue_on(today) for i in items):
        assert "overdue" in card.count.text()


def test_start_dialog_offers_the_programs_forms_and_cancel_starts_nothing(
    qtbot, demo_dir, scripted_dialogs
):
    ny = [k.label for k in visit_kinds(("NY_RCV",))]
    assert "On-site visit · Monthly implementation support visit" in ny
    assert not any("Learning walk" in label for label in ny)
    assert any(k.visit_type == "learning_walk" for k in visit_kinds(("MA_SSOS",)))

    window = open_window(qtbot, demo_dir)
    school = open_school(window, "NY_RCV")
    before = len(school.visits_panel.timeline.rows)
    seen = []

    def cancel(dialog):
        seen.append(dialog)
        return QDialog.DialogCode.Rejected

    scripted_dialogs.dialog_handler = cancel
    school.visits_panel.timeline.start_button.click()
    assert isinstance(seen[0], StartVisitDialog)
    when = seen[0].when_edit.dateTime().toPython()
    import zoneinfo

    at_school = dt.datetime.now(zoneinfo.ZoneInfo(school.school.tz)).replace(tzinfo=None)
    assert abs(when - at_school) < dt.timedelta(minutes=2)  # defaults to now, at the school
    assert len(visits.list_visits(window.profile, school_id=school.school.id)) == before
    assert window.caseload.currentWidget() is school


def test_ctrl_k_searches_as_the_coach_types_grouped_by_school(qtbot, demo_dir):
    window = open_window(qtbot, demo_dir)
    actions = [a.text() for a in window.menuBar().actions()[1].menu().actions()]
    assert "&Search everything…" in actions
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    popup = window.findChild(SearchPopup)
    assert popup is not None and popup.isVisible()
    qtbot.keyClicks(popup.box, "   ")
    assert popup.shown() == [] and popup.results.topLevelItemCount() == 0
    popup.box.clear()
    qtbot.keyClicks(popup.box, "princip")  # a prefix finds "principal"
    shown = popup.shown()
    assert len(shown) > 1
    schools = [popup.results.topLevelItem(i) for i in range(popup.results.topLevelItemCount())]
    # Grouped: each school is one heading, its results under it.
    names = [s.text(0).rsplit("  (", 1)[0] for s in schools]
    assert len(names) == len(set(names))
    assert [school for school, _ in shown] == [
        n for n, s in zip(names, schools, strict=True) for _ in range(s.childCount())
    ]
    assert all("<b>" in snippet.lower() for _school, snippet in shown)
    assert "[" not in shown[0][1]


def test_a_contact_result_opens_the_school_page(qtbot, demo_dir):
    window = open_window(qtbot, demo_dir)
    popup = window.open_search()
    contact = next(h for h in visits.search(window.profile, "principal") if h.kind == "contact")
    popup.box.setText(contact.snippet.replace("[", "").replace("]", "").split()[0])
    items = [i for i in popup._hit_items() if i.data(0, Qt.ItemDataRole.UserRole).kind == "contact"]
    assert items
    popup.results.setCurrentItem(items[0])
    qtbot.keyClick(popup.results, Qt.Key.Key_Return)
    hit = items[0].data(0, Qt.ItemDataRole.UserRole)
    assert window.caseload.currentWidget() is window.caseload.school_page
    assert window.caseload.school_page.school.id == hit.school_id


def test_a_new_visit_starts_at_the_schools_own_time_whatever_zone_the_laptop_is_in(
    qtbot, monkeypatch
):
    import time
    import zoneinfo

    monkeypatch.setenv("TZ", "UTC")  # a laptop left on UTC, as a fresh Linux install is
    if hasattr(time, "tzset"):
        time.tzset()
    try:
        dialog = StartVisitDialog("Lincoln Park ES", ("NY_RCV",), tz="America/New_York")
        qtbot.addWidget(dialog)
        in_new_york = dt.datetime.now(zoneinfo.ZoneInfo("America/New_York")).replace(tzinfo=None)
        offered = dialog.when_edit.value()
        assert abs(offered - in_new_york) < dt.timedelta(minutes=2)
        # A zone the laptop does not know falls back to its own clock, never refuses to open.
        other = StartVisitDialog("Lincoln Park ES", ("NY_RCV",), tz="Not/A_Zone")
        qtbot.addWidget(other)
        assert abs(other.when_edit.value() - dt.datetime.now()) < dt.timedelta(minutes=2)
    finally:
        monkeypatch.undo()
        if hasattr(time, "tzset"):
            time.tzset()
