"""The main window on a demo profile, driven as a coach would drive it."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3

from PySide6.QtCore import Qt

from coachdesk.core.store import backups
from coachdesk.core.store.profile import DB_NAME, open_profile
from coachdesk.ui.app import open_or_recover
from coachdesk.ui.main_window import MainWindow
from tests.support.ui import open_window as shared_open_window


def open_window(qtbot, profile_dir):
    return shared_open_window(qtbot, profile_dir, size=None)  # the window's own size


def test_filtering_the_caseload_by_text_and_program(qtbot, demo_dir):
    window = open_window(qtbot, demo_dir)
    view = window.caseload.list_view
    assert len(view.visible_rows()) == 25
    qtbot.keyClicks(view.filter_edit, "willow creek")
    names = {r.school_name for r in view.visible_rows()}
    assert names and all("Willow" in n for n in names)
    assert view.count.text() == f"{len(names)} of 25 schools"
    view.filter_edit.clear()
    view.program_box.setCurrentIndex(view.program_box.findData("NY_RCV"))
    assert {r.program_code for r in view.visible_rows()} == {"NY_RCV"}


def test_sorting_by_a_column_header(qtbot, demo_dir):
    window = open_window(qtbot, demo_dir)
    view = window.caseload.list_view
    view.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    names = [r.school_name for r in view.visible_rows()]
    assert names == sorted(names, key=str.casefold, reverse=True)


def test_ctrl_f_focuses_the_filter(qtbot, demo_dir):
    window = open_window(qtbot, demo_dir)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    table = window.caseload.list_view.table
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.caseload.list_view.filter_edit.hasFocus()


def _open(window, name):
    row = next(r for r in window.caseload.list_view.visible_rows() if r.school_name == name)
    window.caseload.open_school(row.school_id)
    return window.caseload.school_page


def test_a_stage_change_survives_closing_and_reopening(qtbot, demo_dir, scripted_dialogs):
    window = open_window(qtbot, demo_dir)
    page = _open(window, "Washington Primary School")
    assert page.status_panel.history.rowCount() == 2

    def fill(dialog):
        dialog.inputs["stage"].setCurrentText("Initial Implementation")
        dialog.inputs["reason"].setPlainText("The ATP approved its first action plan.")
        dialog.inputs["set_by"].setText("Jordan Ellery")
        return dialog.try_accept()

    scripted_dialogs.dialog_handler = fill
    page.status_panel.stage_button.click()
    assert page.status_panel.history.item(0, 1).text() == "Initial Implementation"
    row = next(
        r
        for r in window.caseload.list_view.model.rows()
        if r.school_name == "Washington Primary School"
    )
    assert row.status == "Initial Implementation"  # the caseload refreshed itself
    window.close()
    window.profile.close()

    reopened = open_window(qtbot, demo_dir)
    row = next(
        r
        for r in reopened.caseload.list_view.visible_rows()
        if r.school_name == "Washington Primary School"
    )
    assert row.status == "Initial Implementation"
    page = _open(reopened, "Washington Primary School")
    assert page.status_panel.history.item(0, 2).text() == "The ATP approved its first action plan."


def test_a_refused_contact_keeps_what_was_typed_until_corrected(qtbot, demo_dir, scripted_dialogs):
    window = open_window(qtbot, demo_dir)
    page = _open(window, "Maple Avenue School")
    before = page.contacts_panel.table.rowCount()
    seen = []

    def fill(dialog):
        dialog.inputs["name"].setText("Ngozi Adébáyọ̀")
        dialog.inputs["role"].setEditText("Data Coordinator")
        dialog.inputs["work_email"].setText("ngozi at eastbrook")
        assert not dialog.try_accept()
        seen.append((dialog.error.text(), dialog.inputs["name"].text()))
        dialog.inputs["work_email"].setText("nadebayo@eastbrook.example.org")
        return dialog.try_accept()

    scripted_dialogs.dialog_handler = fill
    page.contacts_panel.add_button.click()
    assert "not an e-mail address" in seen[0][0] and seen[0][1] == "Ngozi Adébáyọ̀"
    assert page.contacts_panel.table.rowCount() == before + 1
    names = [
        page.contacts_panel.table.item(r, 0).text()
        for r in range(page.contacts_panel.table.rowCount())
    ]
    assert "Ngozi Adébáyọ̀" in names


def test_deactivating_a_contact_hides_it_until_former_contacts_are_shown(
    qtbot, demo_dir, scripted_dialogs
):
    window = open_window(qtbot, demo_dir)
    panel = _open(window, "Riverside Academy").contacts_panel
    count = panel.table.rowCount()
    panel.table.selectRow(0)
    name = panel.table.item(0, 0).text()
    scripted_dialogs.confirm_answers.append(True)
    panel.active_button.click()
    assert panel.table.rowCount() == count - 1
    panel.show_former.setChecked(True)
    assert panel.table.rowCount() == count
    former = [r for r in range(count) if panel.table.item(r, 0).text() == name]
    assert former and panel.shown[former[0]].active is False


def test_school_profile_fields_save_when_editing_finishes(qtbot, demo_dir, scripted_dialogs):
    window = open_window(qtbot, demo_dir)
    page = _open(window, "Riverside Academy")
    page.grades_edit.setText("K-6")
    page.grades_edit.editingFinished.emit()
    page.state_id_edit.setText("bad id!")
    page.state_id_edit.editingFinished.emit()
    assert scripted_dialogs.errors() and "NY BEDS code is 12 digits" in scripted_dialogs.errors()[0]
    assert page.state_id_edit.text() == "660409010021"  # shows what is really stored
    reopened = open_profile(demo_dir)
    from coachdesk.core.schools import get_school

    assert get_school(reopened, page.school.id).grade_span == "K-6"
    reopened.close()


def test_window_size_and_last_area_are_remembered(qtbot, demo_dir):
    window = open_window(qtbot, demo_dir)
    # The offscreen screen is 800x600 and restoreGeometry keeps windows on screen.
    window.resize(760, 540)
    window.close()
    window.profile.close()
    again = open_window(qtbot, demo_dir)
    assert (again.width(), again.height()) == (760, 540)
    assert again.current_area() == "caseload"


def test_every_interactive_widget_has_an_accessible_name(qtbot, demo_dir):
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit, QTableView

    window = open_window(qtbot, demo_dir)
    _open(window, "Fairhaven Central Middle School")
    widgets = [
        w
        for kind in (QLineEdit, QComboBox, QTableView, QAbstractButton)
        for w in window.findChildren(kind)
    ]
    unnamed = [
        w
        for w in widgets
        if w.isVisibleTo(window)
        and not w.accessibleName()
        and not getattr(w, "text", lambda: "")()
        and not isinstance(w.parent(), (QComboBox, QTableView))
    ]
    assert unnamed == []


def test_a_newer_profile_is_refused_at_start_with_a_sentence_and_left_unchanged(
    qtbot, demo_dir, scripted_dialogs
):
    db = demo_dir / DB_NAME
    conn = sqlite3.connect(db)
    conn.execute("UPDATE alembic_version SET version_num = '0100'")
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    assert open_or_recover(demo_dir) is None
    assert "newer coachdesk" in scripted_dialogs.errors()[0]
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_a_damaged_profile_offers_the_latest_backup_and_restores_it(
    qtbot, demo_dir, scripted_dialogs
):
    profile = open_profile(demo_dir)
    backups.take_backup(profile, reason="manual", now=dt.datetime.now(dt.UTC))
    profile.close()
    (demo_dir / DB_NAME).write_bytes(b"\x13" * 20_000)
    scripted_dialogs.confirm_answers.append(True)
    restored = open_or_recover(demo_dir)
    assert restored is not None
    kind, title, text = scripted_dialogs.shown[0]
    assert kind == "confirm" and "Restore the latest good backup" in text
    window = MainWindow(restored)
    qtbot.addWidget(window)
    assert len(window.caseload.list_view.visible_rows()) == 25
    assert any(p.name.startswith("damaged-") for p in demo_dir.iterdir())


def test_declining_the_restore_leaves_the_damaged_file_alone(qtbot, demo_dir, scripted_dialogs):
    profile = open_profile(demo_dir)
    backups.take_backup(profile, reason="manual")
    profile.close()
    (demo_dir / DB_NAME).write_bytes(b"\x13" * 20_000)
    scripted_dialogs.confirm_answers.append(False)
    assert open_or_recover(demo_dir) is None
    assert (demo_dir / DB_NAME).read_bytes() == b"\x13" * 20_000


def test_damage_found_after_a_clean_start_is_met_with_a_restore_offer(
    qtbot, demo_dir, scripted_dialogs
):
    """After a clean shutdown the full scan runs after the first paint, not before it."""
    profile = open_profile(demo_dir)
    backups.take_backup(profile, reason="manual")
    profile.close()
    db = demo_dir / DB_NAME
    data = bytearray(db.read_bytes())
    data[-8192:-4096] = b"\xa5" * 4096  # a page far from the catalogue: opening still works
    db.write_bytes(bytes(data))
    for side in ("-wal", "-shm"):
        db.with_name(db.name + side).unlink(missing_ok=True)

    window = MainWindow(open_profile(demo_dir, full_check=False))
    qtbot.addWidget(window)
    scripted_dialogs.confirm_answers.append(False)
    window.profile_actions.check_integrity_then_back_up()
    kind, title, text = scripted_dialogs.shown[-1]
    assert kind == "confirm" and title == "The profile is damaged"
    assert "Restore the latest good backup" in text
    assert not any(p.name.endswith("-daily.sqlite") for p in (demo_dir / "backups").iterdir())


def test_sharing_areas_are_built_when_first_opened_and_the_file_menu_offers_bundles(
    qtbot, demo_dir
):
    from coachdesk.ui.conflicts_view import ConflictsView

    window = open_window(qtbot, demo_dir)
    assert not window.findChildren(ConflictsView)  # not built at start-up
    window.show_area("conflicts")
    assert isinstance(window.stack.currentWidget(), ConflictsView)
    file_menu = window.menuBar().actions()[0].menu()
    titles = [a.text().replace("&", "") for a in file_menu.actions()]
    assert any(t.startswith("Import") for t in titles)
    assert any(t.startswith("Export") for t in titles)
