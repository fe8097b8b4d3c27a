"""The change bus: the one path from a write to the views that show it."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtWidgets import QWidget

from coachdesk.core.changes import ChangeSummary
from coachdesk.core.record_types import ALL_RECORD_TYPES, DUE_INPUTS
from coachdesk.ui.change_bus import ChangeBus, bus_for
from tests.support.ui import open_window, publish_import, settle


class Shows(QWidget):
    """A view showing some record types: counts what it hears."""

    def __init__(self, bus: ChangeBus, *watching: str) -> None:
        super().__init__()
        self.heard: list[tuple[ChangeSummary, object]] = []
        bus.subscribe(self.on_changed, watching=watching)

    def on_changed(self, changes, initiator) -> None:
        self.heard.append((changes, initiator))


def visit_changed() -> ChangeSummary:
    return ChangeSummary.of({"visit": ["v1"]})


def test_a_view_hears_only_the_record_types_it_shows(qtbot):
    bus = ChangeBus()
    visits, contacts = Shows(bus, "visit"), Shows(bus, "contact")
    qtbot.addWidget(visits), qtbot.addWidget(contacts)
    bus.publish(visit_changed())
    assert len(visits.heard) == 1 and contacts.heard == []
    bus.publish(ChangeSummary())  # nothing changed: nobody is told
    assert len(visits.heard) == 1


def test_the_initiator_does_not_hear_its_own_echo_but_others_hear_who_made_it(qtbot):
    bus = ChangeBus()
    card, page = Shows(bus, "visit"), Shows(bus, "visit")
    qtbot.addWidget(card), qtbot.addWidget(page)
    bus.publish(visit_changed(), initiator=card)
    assert card.heard == []
    assert page.heard == [(visit_changed(), card)]


def test_a_destroyed_view_is_no_longer_called(qtbot):
    bus = ChangeBus()
    gone = Shows(bus, "visit")
    assert bus.watchers("visit") == ["Shows.on_changed"]
    gone.deleteLater()
    qtbot.waitUntil(lambda: bus.watchers("visit") == [])
    bus.publish(visit_changed())  # does not reach a deleted widget (no RuntimeError)


def test_a_view_that_fails_does_not_stop_the_others(qtbot, monkeypatch):
    bus = ChangeBus()
    reported = []
    monkeypatch.setattr(sys, "excepthook", lambda *info: reported.append(info[1]))

    class Broken(Shows):
        def on_changed(self, changes, initiator) -> None:
            raise ValueError("cannot draw")

    broken, fine = Broken(bus, "visit"), Shows(bus, "visit")
    qtbot.addWidget(broken), qtbot.addWidget(fine)
    bus.publish(visit_changed())
    assert len(fine.heard) == 1
    assert [str(e) for e in reported] == ["cannot draw"]


def test_watching_a_record_type_that_does_not_exist_is_refused(qtbot):
    bus = ChangeBus()
    with pytest.raises(ValueError, match="vist"):
        Shows(bus, "vist")
    with pytest.raises(TypeError):
        bus.subscribe(lambda c, i: None, watching=("visit",))


def _draft_ny_visit(profile) -> str:
    return (
        profile.quick_connection()
        .execute(
            "SELECT id FROM visit WHERE status = 'draft' AND form_id = 'ny_rcv_monthly_visit' "
            "AND deleted_at IS NULL ORDER BY starts_at DESC LIMIT 1"
        )
        .fetchone()[0]
    )


def test_the_window_lists_who_watches_each_record_type(qtbot, demo_dir):
    window = open_window(qtbot, demo_dir)
    window.show_area("today")
    window.show_area("conflicts")
    window.show_area("trust")
    window.show_area("caseload")
    visit_id = _draft_ny_visit(window.profile)
    window.caseload.open_visit(visit_id)
    window.caseload.open_school(window.caseload.visit_page.visit.school_id)
    window.caseload.open_district(
        window.caseload.school_page.school.district_id
    )  # the IP card's page
    window.caseload.open_school(window.caseload.visit_page.visit.school_id)
    settle(qtbot)
    bus = bus_for(window.profile)
    watchers = {t: bus.watchers(t) for t in sorted(ALL_RECORD_TYPES)}

    # An answer typed into a note reaches the note's page, the school's visit list and the
    # conflicts list, and nothing that judges what is due.
    assert watchers["visit_answer"] == [
        "ConflictsView.on_changed",
        "SchoolVisitsPanel.on_changed",
        "VisitPage.on_changed",
    ]
    # Everything the due rules read reaches the caseload's badges and Today.
    for record_type in DUE_INPUTS:
        assert "MainWindow._refresh_badges" in watchers[record_type], record_type
        assert "TodayView.on_changed" in watchers[record_type], record_type
    for record_type in ALL_RECORD_TYPES - DUE_INPUTS:
        assert "MainWindow._refresh_badges" not in watchers[record_type], record_type
    assert watchers["trusted_key"] == ["TrustPage.on_changed"]
    assert "CaseloadView.on_changed" in watchers["organization"]
    assert "ProgressCard.on_changed" in watchers["measurement"]
    assert "PriorityCard.on_changed" in watchers["instructional_priority"]
    assert "DistrictPage.on_changed" in watchers["contact"]
    assert "ActionPlanCard.on_changed" in watchers["plan_activity"]
    # Each view subscribes once: no record type is delivered twice to the same method.
    for record_type, names in watchers.items():
        assert len(names) == len(set(names)), record_type


def test_typing_in_a_note_does_not_judge_the_caseload_again(qtbot, demo_dir, monkeypatch):
    window = open_window(qtbot, demo_dir)
    window.show_area("caseload")
    judged = []
    monkeypatch.setattr(window, "load_due_badges", lambda: judged.append(1))
    page = window.caseload.visit_page
    window.caseload.open_visit(_draft_ny_visit(window.profile))
    page.saver.answer_changed("lead_strategies", "Walked the plan with the principal.")
    page.flush()
    assert page.saved_label.text().startswith("Saved")
    assert judged == []  # an answer cannot change what is due

    publish_import(window.profile, ChangeSummary.of({"action_item": ["a1"]}))
    assert judged == [1]  # a next step can
