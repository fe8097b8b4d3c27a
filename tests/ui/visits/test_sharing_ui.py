"""A note marked shared when it reaches the school: after its summary is printed or saved, after
its packet is sent, or by hand on the visit page; Today's "share the note" item clears."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialog

from coachdesk.core import visits
from coachdesk.core.dates_text import medium_date
from coachdesk.core.store.visit_tables import Visit
from coachdesk.core.tracking_records.due import Group
from coachdesk.ui.pdf_preview import PdfPreviewDialog
from coachdesk.ui.share_note import ShareNoteDialog
from coachdesk.ui.today.today_view import TodayView
from coachdesk.ui.visit_summary_actions import preview_visit_summary
from tests.support.ui import open_visit_page, settle

DAY = dt.date(2026, 12, 1)


@pytest.fixture
def demo(demo_on):
    """The demo as loaded on DAY: Today on DAY lists the same items whatever the real date."""
    return demo_on(DAY)


def _unshared(qtbot, demo):
    """Today as of Dec 1, 2026, and its first "share the note" item."""
    view = TodayView(demo, today=lambda: DAY)
    qtbot.addWidget(view)
    entry = next(
        e for e in view.model.members(Group.OVERDUE) if e.item.rule_id == "all.note_unshared"
    )
    return view, entry


def _listed(view, key):
    return any(e.item.key == key for e in view.entries)


def _print_then(answer_share, shown_share, tmp_path, scripted_dialogs):
    """Save the preview as a PDF (the way to the school), then answer the share question."""

    def handler(dialog):
        if isinstance(dialog, PdfPreviewDialog):
            scripted_dialogs.file_answers = [str(tmp_path / "summary.pdf")]
            assert dialog.save_as() is not None
            return 0  # then Close
        assert isinstance(dialog, ShareNoteDialog)
        shown_share.append(dialog.question.text())
        result = answer_share(dialog)
        shown_share.append(dialog.question.text())  # after the coach's answer
        return result

    scripted_dialogs.dialog_handler = handler


def test_saving_the_summary_and_saying_yes_marks_the_note_shared_and_today_clears(
    qtbot, demo, tmp_path, scripted_dialogs
):
    view, entry = _unshared(qtbot, demo)
    visit_id = entry.item.target.record_id
    held = visits.get_visit(demo, visit_id).starts_at.date()
    questions: list[str] = []

    def yes(dialog):
        assert dialog.day_edit.date().toPython() == dt.date.today()
        later = held + dt.timedelta(days=1)
        dialog.day_edit.setDate(QDate(later.year, later.month, later.day))
        return QDialog.DialogCode.Accepted if dialog.try_accept() else 0

    _print_then(yes, questions, tmp_path, scripted_dialogs)
    preview_visit_summary(None, demo, visit_id)
    settle(qtbot)

    assert (tmp_path / "summary.pdf").exists()
    assert len(questions) == 2 and questions[0].startswith(
        f"Mark this note as shared with the school on <b>{medium_date(dt.date.today())}</b>?"
    )
    assert f"<b>{medium_date(held + dt.timedelta(days=1))}</b>" in questions[1]  # follows the day
    with demo.reading() as session:
        stored = session.get(Visit, visit_id)
        assert (stored.status, stored.shared_on) == ("shared", held + dt.timedelta(days=1))
    assert not _listed(view, entry.item.key)  # Today heard it on the bus


def test_saying_no_leaves_the_note_final_and_listed(qtbot, demo, tmp_path, scripted_dialogs):
    view, entry = _unshared(qtbot, demo)
    questions: list[str] = []
    _print_then(lambda dialog: 0, questions, tmp_path, scripted_dialogs)
    preview_visit_summary(None, demo, entry.item.target.record_id)
    settle(qtbot)
    assert len(questions) == 2  # asked (once), then answered No
    assert visits.get_visit(demo, entry.item.target.record_id).status == "final"
    assert _listed(view, entry.item.key)


def test_closing_the_preview_without_printing_or_saving_asks_nothing(qtbot, demo, scripted_dialogs):
    _view, entry = _unshared(qtbot, demo)
    scripted_dialogs.dialog_handler = lambda dialog: 0
    preview_visit_summary(None, demo, entry.item.target.record_id)
    settle(qtbot)
    assert [s[1] for s in scripted_dialogs.shown] == ["PdfPreviewDialog"]


def test_a_draft_is_never_asked_about(qtbot, demo, tmp_path, scripted_dialogs):
    draft = next(r for r in visits.list_visits(demo) if r.status == "draft")
    questions: list[str] = []
    _print_then(lambda dialog: 0, questions, tmp_path, scripted_dialogs)
    preview_visit_summary(None, demo, draft.id)
    settle(qtbot)
    assert questions == []


def test_mark_as_shared_on_the_visit_page_of_a_final_note(qtbot, demo, scripted_dialogs):
    view, entry = _unshared(qtbot, demo)
    page = open_visit_page(qtbot, demo, entry.item.target.record_id)
    assert page.share_button.isVisible() and page.share_button.text() == "Mark as shared…"
    assert "Final" in page.subtitle.text()
    scripted_dialogs.dialog_handler = lambda d: QDialog.DialogCode.Accepted * d.try_accept()
    qtbot.mouseClick(page.share_button, Qt.MouseButton.LeftButton)
    assert "Shared" in page.subtitle.text()  # the page heard its own change on the bus
    assert f"Shared {medium_date(dt.date.today())}" in page.subtitle.text()  # and the day
    assert not page.share_button.isVisible()
    assert not _listed(view, entry.item.key)


def test_a_draft_visit_page_offers_no_mark_as_shared(qtbot, demo):
    draft = next(r for r in visits.list_visits(demo) if r.status == "draft")
    page = open_visit_page(qtbot, demo, draft.id)
    assert not page.share_button.isVisible()


@pytest.fixture
def devices(tmp_path):
    from tests.support.sync_world import make_devices

    made = make_devices(tmp_path, ["Dana", "Pat Supervisor"])
    yield made
    for d in made:
        d.profile.close()


def test_sending_the_packet_of_a_final_note_asks_whether_it_was_shared(
    qtbot, devices, tmp_path, scripted_dialogs
):
    from coachdesk.ui.packet_actions import PacketRecipientsDialog, send_packet
    from tests.support.sync_world import coach_with_visit

    dana, _pat = devices
    visit_id, _school, _internal = coach_with_visit(dana.profile)
    with dana.profile.writing() as write:  # final (its answers are not the point here)
        write.session.get(Visit, visit_id).status = "final"
    asked = []

    def handler(dialog):
        if isinstance(dialog, PacketRecipientsDialog):
            dialog.names.item(0).setCheckState(Qt.CheckState.Checked)
            return QDialog.DialogCode.Accepted
        asked.append(type(dialog).__name__)
        return QDialog.DialogCode.Accepted if dialog.try_accept() else 0

    scripted_dialogs.dialog_handler = handler
    scripted_dialogs.file_answers = [str(tmp_path / "packet.coachdesk")]
    send_packet(None, dana.profile, visit_id)
    settle(qtbot)
    assert ("info", "Packet written") in [s[:2] for s in scripted_dialogs.shown]
    assert asked == ["ShareNoteDialog"]
    assert visits.get_visit(dana.profile, visit_id).status == "shared"
