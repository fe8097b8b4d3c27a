"""Send packet… on the visit page; a packet arriving by File ▸ Import bundles… or a drop."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QDialog, QWidget

from coachdesk.core import visits
from coachdesk.ui.packet_actions import PacketRecipientsDialog, send_packet
from coachdesk.ui.sync_actions import SyncActions
from coachdesk.ui.visits.visit_page import VisitPage
from tests.support.sync_world import coach_with_visit, make_devices
from tests.support.ui import ChangeRecorder, settle

SHOTS = Path("/tmp/coachdesk-packet-shots")


@pytest.fixture
def devices(tmp_path):
    made = make_devices(tmp_path, ["Dana", "Pat Supervisor"])
    yield made
    for d in made:
        d.profile.close()


def test_send_packet_from_the_visit_page_then_import_by_drop_and_menu(
    qtbot, devices, tmp_path, scripted_dialogs
):
    dana, pat = devices
    visit_id, _school, _internal = coach_with_visit(dana.profile)
    page = VisitPage(dana.profile)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    page.show_visit(visit_id)
    assert page.packet_button.isVisible() and page.packet_button.text() == "Send packet…"
    SHOTS.mkdir(exist_ok=True)
    page.grab().save(str(SHOTS / "visit-page.png"))

    seen: list[str] = []

    def choose_pat(dialog) -> int:
        assert isinstance(dialog, PacketRecipientsDialog)
        dialog.resize(460, 320)
        dialog.grab().save(str(SHOTS / "recipients.png"))
        seen.append(dialog.windowTitle())
        dialog.names.item(0).setCheckState(Qt.CheckState.Checked)
        return QDialog.DialogCode.Accepted

    packet = tmp_path / "packet.coachdesk"
    scripted_dialogs.dialog_handler = choose_pat
    scripted_dialogs.file_answers = [str(packet)]
    qtbot.mouseClick(page.packet_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert seen == ["Send visit packet…"]
    saved_as = next(s for s in scripted_dialogs.shown if s[0] == "save_file")
    assert saved_as[2].endswith("visit packet.coachdesk") and saved_as[2].startswith("2026-11-18")
    kind, title, text = scripted_dialogs.shown[-1]
    assert (kind, title) == ("info", "Packet written"), scripted_dialogs.shown
    assert "encrypted for Pat Supervisor" in text and "DRAFT" in text
    assert packet.exists()

    window = QWidget()
    qtbot.addWidget(window)
    changed = ChangeRecorder(pat.profile)
    actions = SyncActions(window, pat.profile)
    actions.accept_drops(window)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(packet))])
    drop = QDropEvent(
        QPointF(5, 5),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    # Offscreen Qt delivers no synthetic drops, so the drop goes to the filter Qt would call.
    assert actions.eventFilter(window, drop) is True
    settle(qtbot)
    kind, title, text = scripted_dialogs.shown[-1]
    assert (kind, title) == ("info", "Imported") and "(from Dana)" in text
    assert visits.get_visit(pat.profile, visit_id).response["challenges"]
    assert changed.summaries[-1].ids("visit") == {visit_id}  # the window's views refresh the visit

    scripted_dialogs.file_answers = [str(packet)]
    actions.import_chosen()
    settle(qtbot)
    assert "already imported" in scripted_dialogs.shown[-1][2]


def test_nobody_trusted_and_nobody_chosen(qtbot, tmp_path, scripted_dialogs):
    (alone,) = make_devices(tmp_path, ["Dana"])
    visit_id, _school, _internal = coach_with_visit(alone.profile)
    parent = QWidget()
    qtbot.addWidget(parent)
    send_packet(parent, alone.profile, visit_id)
    assert scripted_dialogs.shown[-1][:2] == ("info", "Nobody to send to yet")
    alone.profile.close()


def test_ticking_nobody_writes_nothing(qtbot, devices, tmp_path, scripted_dialogs):
    dana, _pat = devices
    visit_id, _school, _internal = coach_with_visit(dana.profile)
    parent = QWidget()
    qtbot.addWidget(parent)
    scripted_dialogs.dialog_handler = lambda dialog: QDialog.DialogCode.Accepted
    send_packet(parent, dana.profile, visit_id)
    assert scripted_dialogs.shown[-1][:2] == ("error", "Nobody chosen")
    assert not [s for s in scripted_dialogs.shown if s[0] == "save_file"]
    send_packet(parent, dana.profile, "no-such-visit")
    assert scripted_dialogs.shown[-1] == (
        "error",
        "No packet written",
        "There is no visit with id no-such-visit.",
    )


def test_a_supervisor_saves_the_pdf_from_a_packet_without_importing_it(
    qtbot, devices, tmp_path, scripted_dialogs
):
    from coachdesk.sync.packet import write_packet
    from coachdesk.ui.packet_actions import save_packet_pdf

    dana, pat = devices
    visit_id, _school, _internal = coach_with_visit(dana.profile)
    packet = tmp_path / "packet.coachdesk"
    write_packet(dana.profile, visit_id, packet, to=["Pat Supervisor"])
    changes_before = (
        pat.profile.quick_connection().execute("SELECT count(*) FROM change").fetchone()
    )
    out = tmp_path / "summary"  # no suffix typed: .pdf is added
    scripted_dialogs.file_answers = [str(packet), str(out)]
    window = QWidget()
    qtbot.addWidget(window)
    save_packet_pdf(window, pat.profile)
    settle(qtbot)
    saved = tmp_path / "summary.pdf"
    assert saved.read_bytes().startswith(b"%PDF-")
    assert scripted_dialogs.shown[-1][:2] == ("info", "PDF saved")
    after = pat.profile.quick_connection().execute("SELECT count(*) FROM change").fetchone()
    assert after == changes_before  # nothing merged

    # A file that is not a packet is refused in a sentence, and nothing is saved.
    scripted_dialogs.file_answers = [str(tmp_path / "summary.pdf")]
    save_packet_pdf(window, pat.profile)
    settle(qtbot)
    assert scripted_dialogs.errors() and not (tmp_path / "summary.pdf.pdf").exists()
