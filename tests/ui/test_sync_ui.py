"""The sync widgets as a coach uses them: export and import from the menu, dropped files, the
Trust page, and the Conflicts view."""

from __future__ import annotations

from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QDialog, QWidget

from coachdesk.sync import conflicts, keys, trust
from coachdesk.ui.conflicts_view import ConflictBadge, ConflictsView
from coachdesk.ui.sync_actions import PassphraseDialog, RecipientsDialog, SyncActions
from coachdesk.ui.trust_page import TrustKeyDialog, TrustPage
from tests.support.sync_world import add_school, make_devices, rename, school_name
from tests.support.ui import ChangeRecorder, publish_import, settle

SHOTS = Path("/tmp/coachdesk-sync-shots")


@pytest.fixture
def devices(tmp_path):
    made = make_devices(tmp_path, ["Dana", "Lee"])
    yield made
    for d in made:
        d.profile.close()


def test_export_for_someone_then_import_by_drop(qtbot, devices, tmp_path, scripted_dialogs):
    dana, lee = devices
    school = add_school(dana.profile, "Harbor View Elementary")
    window = QWidget()
    qtbot.addWidget(window)
    dana_actions = SyncActions(window, dana.profile)
    bundle = tmp_path / "for-lee.coachdesk"

    def choose_lee(dialog):
        assert isinstance(dialog, RecipientsDialog)
        dialog.names.item(0).setCheckState(Qt.CheckState.Checked)
        return QDialog.DialogCode.Accepted

    scripted_dialogs.dialog_handler = choose_lee
    scripted_dialogs.file_answers = [str(bundle)]
    dana_actions.export_for_someone()
    settle(qtbot)
    assert bundle.exists()
    assert ("info", "Bundle written") == scripted_dialogs.shown[-1][:2]
    assert "encrypted for Lee" in scripted_dialogs.shown[-1][2]

    lee_window = QWidget()
    qtbot.addWidget(lee_window)
    received = ChangeRecorder(lee.profile)
    lee_actions = SyncActions(lee_window, lee.profile)
    lee_actions.accept_drops(lee_window)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(bundle))])
    drop = QDropEvent(
        QPointF(5, 5),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    # Offscreen Qt delivers no synthetic drops (there is no drag in progress), so the drop is
    # handed to the filter Qt would call.
    assert lee_window.acceptDrops()
    assert lee_actions.eventFilter(lee_window, drop) is True
    settle(qtbot)
    assert school_name(lee.profile, school) == "Harbor View Elementary"
    kind, title, text = scripted_dialogs.shown[-1]
    assert (kind, title) == ("info", "Imported") and "1 school or district" in text
    assert received.summaries and received.summaries[-1].ids("organization") == {school}
    assert received.initiators[-1] is lee_actions


def test_a_damaged_file_is_reported_and_changes_nothing(qtbot, devices, tmp_path, scripted_dialogs):
    dana, lee = devices
    add_school(dana.profile, "Harbor View Elementary")
    data = bytearray(dana.bundle())
    data[100] ^= 1
    bad = tmp_path / "bad.coachdesk"
    bad.write_bytes(bytes(data))
    window = QWidget()
    qtbot.addWidget(window)
    changed = ChangeRecorder(lee.profile)
    actions = SyncActions(window, lee.profile)
    scripted_dialogs.file_answers = [[str(bad)]]
    actions.import_chosen()
    settle(qtbot)
    assert changed.summaries == []
    assert "bad.coachdesk: not imported" in scripted_dialogs.errors()[-1]
    assert "altered" in scripted_dialogs.errors()[-1]
    assert scripted_dialogs.shown[-1][:2] == ("error", "Not imported")  # one file: not "Some"


def test_without_a_keyring_the_passphrase_is_asked_for(
    qtbot, profile, tmp_path, monkeypatch, scripted_dialogs
):
    keyring.set_keyring(fail.Keyring())
    monkeypatch.delenv(keys.ENV_PASSPHRASE, raising=False)

    def answer(dialog):
        assert isinstance(dialog, PassphraseDialog)
        dialog.field.setText("correct horse")
        return QDialog.DialogCode.Accepted

    scripted_dialogs.dialog_handler = answer
    page = TrustPage(profile)
    qtbot.addWidget(page)
    assert scripted_dialogs.shown == []  # nothing asked before the page is shown
    page.show()
    settle(qtbot)
    assert ("dialog", "PassphraseDialog", "Passphrase for your keys") in scripted_dialogs.shown
    assert keys.device_keys(profile).fingerprint in page.mine.text()
    assert "passphrase" in page.mine.text()


def test_a_weak_new_passphrase_is_asked_again_with_the_reason_and_what_was_typed(
    qtbot, profile, monkeypatch, scripted_dialogs
):
    from coachdesk.sync import key_file

    keyring.set_keyring(fail.Keyring())
    monkeypatch.delenv(keys.ENV_PASSPHRASE, raising=False)
    monkeypatch.setattr(key_file, "new_file_cost", key_file.TEST_COST)
    asked: list[tuple[str, str]] = []

    def answer(dialog):
        asked.append((dialog.reason.text(), dialog.field.text()))
        # The coach types "plum" first, then adds words to what is still in the field.
        dialog.field.setText("plum" if len(asked) == 1 else dialog.field.text() + " lantern orbit")
        return QDialog.DialogCode.Accepted

    scripted_dialogs.dialog_handler = answer
    page = TrustPage(profile)
    qtbot.addWidget(page)
    page.show()
    settle(qtbot)
    assert len(asked) == 2
    assert "Choose a passphrase" in asked[0][0] and asked[0][1] == ""
    reason, kept = asked[1]
    assert reason.startswith("This passphrase is too easy to guess: ")
    assert kept == "plum"  # what was typed is still in the field
    assert keys.passphrase_for_replacing(profile, lambda: "plum lantern orbit")
    assert keys.device_keys(profile).fingerprint in page.mine.text()
    assert scripted_dialogs.errors() == []


def test_trust_page_trusts_after_showing_the_fingerprint_and_revokes(
    qtbot, devices, tmp_path, scripted_dialogs
):
    dana, lee = devices
    kim_file = tmp_path / "kim.coachdesk-key"
    from coachdesk.core.store.profile import open_profile

    kim = open_profile(tmp_path / "kim")
    kim_file.write_bytes(trust.public_key_file(kim, keys.device_keys(kim)))
    kim_fingerprint = keys.device_keys(kim).fingerprint
    kim.close()

    page = TrustPage(lee.profile)
    qtbot.addWidget(page)
    page.resize(900, 420)
    page.show()
    settle(qtbot)
    assert page.table.rowCount() == 1 and page.table.item(0, 0).text() == "Dana"

    def confirm_trust(dialog):
        assert isinstance(dialog, TrustKeyDialog)
        assert dialog.fingerprint.text() == kim_fingerprint
        SHOTS.mkdir(exist_ok=True)
        dialog.name.setText("Kim Lee (supervisor)")
        dialog.resize(520, 260)
        dialog.grab().save(str(SHOTS / "trust-dialog.png"))
        return QDialog.DialogCode.Accepted

    scripted_dialogs.dialog_handler = confirm_trust
    scripted_dialogs.file_answers = [str(kim_file)]
    page.trust_key_file()
    settle(qtbot)
    names = [page.table.item(r, 0).text() for r in range(page.table.rowCount())]
    assert names == ["Dana", "Kim Lee (supervisor)"]
    page.grab().save(str(SHOTS / "trust-page.png"))

    page.table.selectRow(0)
    scripted_dialogs.confirm_answers = [True]
    page.revoke_selected()
    settle(qtbot)
    status = {page.table.item(r, 0).text(): page.table.item(r, 3).text() for r in range(2)}
    assert status["Dana"].startswith("revoked") and status["Kim Lee (supervisor)"] == "trusted"
    page.grab().save(str(SHOTS / "trust-page-revoked.png"))
    assert next(k for k in trust.list_keys(lee.profile) if k.name == "Dana").revoked


def test_conflicts_view_shows_both_versions_and_resolves(qtbot, devices):
    dana, lee = devices
    school = add_school(dana.profile, "Harbor View Elementary")
    lee.take(dana.bundle())
    rename(dana.profile, school, "Harbor View ES")
    rename(lee.profile, school, "Harbor View Elementary School")
    dana.take(lee.bundle())

    badge = ConflictBadge()
    qtbot.addWidget(badge)
    badge.show_fields(conflicts.conflicted_fields(dana.profile, "organization").get(school, ()))
    assert badge.text() == "⚠ 1 conflict" and not badge.isHidden()

    view = ConflictsView(dana.profile)
    qtbot.addWidget(view)
    view.resize(900, 460)
    settle(qtbot)
    assert view.list.count() == 1
    assert "Harbor View" in view.list.item(0).text()
    titles = [
        b.title()
        for b in view.detail.widget().findChildren(
            type(view._version_box(view.current.versions[0]))
        )
    ]
    assert any("Lee" in t and "shown now" in t for t in titles)
    assert any("this laptop" in t for t in titles)
    SHOTS.mkdir(exist_ok=True)
    view.grab().save(str(SHOTS / "conflicts.png"))

    emitted = ChangeRecorder(dana.profile)
    view.resolve("Harbor View ES")
    settle(qtbot)
    assert school_name(dana.profile, school) == "Harbor View ES"
    assert emitted.summaries and emitted.summaries[0].ids("organization") == {school}
    assert view.list.count() == 0 and not view.empty.isHidden()
    badge.show_fields(conflicts.conflicted_fields(dana.profile, "organization").get(school, ()))
    assert badge.isHidden()


def test_importing_a_large_bundle_moves_the_progress_bar_to_its_maximum(
    qtbot, devices, tmp_path, scripted_dialogs, monkeypatch
):
    from PySide6.QtWidgets import QProgressBar

    from coachdesk.core.store.schema import Organization
    from coachdesk.ui import work

    dana, lee = devices
    with dana.profile.writing() as write:
        for n in range(600):
            write.session.add(Organization(kind="school", name=f"School {n}", state="NY"))
    bundle = tmp_path / "large.coachdesk"
    bundle.write_bytes(dana.bundle(encrypt_to=["Lee"]))

    seen: list[tuple[int, int]] = []  # (value, maximum) each time the bar moves
    made = []
    original = work._progress_dialog

    def recording(parent, label):
        dialog = original(parent, label)
        bar = dialog.findChild(QProgressBar)
        bar.valueChanged.connect(lambda value: seen.append((value, bar.maximum())))
        made.append(dialog)
        return dialog

    monkeypatch.setattr(work, "_progress_dialog", recording)
    window = QWidget()
    qtbot.addWidget(window)
    SyncActions(window, lee.profile).import_paths([bundle])
    # On a loaded machine the queued callbacks can take longer than a few event loops.
    qtbot.waitUntil(
        lambda: bool(scripted_dialogs.shown) and scripted_dialogs.shown[-1][0] == "info",
        timeout=20_000,
    )
    assert scripted_dialogs.shown[-1][:2] == ("info", "Imported")
    assert len(made) == 1 and made[0].labelText() == "Importing…"
    moving = [(v, m) for v, m in seen if v >= 0]  # reset() rewinds to -1 when work ends
    values = [v for v, _m in moving]
    assert values == sorted(values) and len(set(values)) >= 5, values
    assert {m for _v, m in moving if _v > 0} == {moving[-1][1]} and moving[-1][1] > 1
    assert values[-1] == moving[-1][1]  # the bar reached its maximum


def test_trust_page_accepts_a_key_change_without_a_fingerprint_check(
    qtbot, devices, tmp_path, scripted_dialogs
):
    from coachdesk.sync import rotation

    dana, lee = devices
    old_fingerprint = dana.keys.fingerprint
    change = tmp_path / "dana-new-key.coachdesk-key"
    done = rotation.rotate_keys(dana.profile, change)

    page = TrustPage(lee.profile)
    qtbot.addWidget(page)
    page.resize(1000, 420)
    page.show()
    settle(qtbot)
    scripted_dialogs.file_answers = [str(change)]
    page.trust_key_file()
    settle(qtbot)
    assert not any(kind == "dialog" for kind, *_rest in scripted_dialogs.shown)  # no ceremony
    kind, title, text = scripted_dialogs.shown[-1]
    assert (kind, title) == ("info", "Key change accepted") and "Dana changed keys" in text
    rows = {
        page.table.item(r, 1).text(): (page.table.item(r, 0).text(), page.table.item(r, 3).text())
        for r in range(page.table.rowCount())
    }
    assert rows[done.new_fingerprint] == ("Dana", "trusted")
    assert rows[old_fingerprint][0] == "Dana"
    assert rows[old_fingerprint][1].startswith("replaced by a newer key")
    SHOTS.mkdir(exist_ok=True)
    page.grab().save(str(SHOTS / "trust-page-key-change.png"))

    # A key change signed by a key Lee does not trust is refused, and the list stays as it was.
    from coachdesk.core.store.profile import open_profile

    kim = open_profile(tmp_path / "kim")
    strangers = tmp_path / "kim-new-key.coachdesk-key"
    rotation.rotate_keys(kim, strangers)
    kim.close()
    before = trust.list_keys(lee.profile)
    scripted_dialogs.file_answers = [str(strangers)]
    page.trust_key_file()
    settle(qtbot)
    assert "does not trust" in scripted_dialogs.errors()[-1]
    assert trust.list_keys(lee.profile) == before


def test_change_my_keys_from_the_trust_page(qtbot, devices, tmp_path, scripted_dialogs):
    dana, _lee = devices
    old_fingerprint = dana.keys.fingerprint
    page = TrustPage(dana.profile)
    qtbot.addWidget(page)
    page.resize(1000, 420)
    page.show()
    settle(qtbot)
    change = tmp_path / "my-new-key.coachdesk-key"
    scripted_dialogs.confirm_answers = [True]
    scripted_dialogs.file_answers = [str(change)]
    page.rotate_button.click()
    settle(qtbot)
    kind, title, text = scripted_dialogs.shown[-1]
    assert (kind, title) == ("info", "New keys made") and str(change) in text
    assert change.exists()
    new_fingerprint = keys.device_keys(dana.profile).fingerprint
    assert new_fingerprint != old_fingerprint and new_fingerprint in page.mine.text()
    statuses = [page.table.item(r, 3).text() for r in range(page.table.rowCount())]
    assert any(s.startswith("replaced by a newer key") and "my laptop" in s for s in statuses)
    page.grab().save(str(SHOTS / "trust-page-after-my-key-change.png"))


def test_a_school_edited_on_two_laptops_shows_a_badge_that_opens_conflicts(qtbot, devices):
    from coachdesk.ui.main_window import MainWindow

    dana, lee = devices
    school = add_school(dana.profile, "Harbor View Elementary")
    lee.take(dana.bundle())
    window = MainWindow(dana.profile)
    qtbot.addWidget(window)
    window.show()
    window.caseload.open_school(school)
    page = window.caseload.school_page
    assert page.conflict_badge.isHidden()

    rename(dana.profile, school, "Harbor View ES")
    rename(lee.profile, school, "Harbor View Elementary School")
    publish_import(dana.profile, dana.take(lee.bundle()).changes)
    settle(qtbot)
    assert page.conflict_badge.isVisible()
    assert page.conflict_badge.text() == "⚠ 1 conflict"
    assert "name" in page.conflict_badge.accessibleName()
    page.conflict_badge.click()
    assert window.current_area() == "conflicts"


def test_exporting_from_a_demo_profile_asks_before_sending_the_demo(
    qtbot, demo, tmp_path, scripted_dialogs
):
    window = QWidget()
    qtbot.addWidget(window)
    actions = SyncActions(window, demo)
    bundle = tmp_path / "mine.coachdesk"
    scripted_dialogs.file_answers = [str(bundle)]
    scripted_dialogs.confirm_answers = [False]  # keep the demo on this laptop
    actions._export(to=None, encrypt=False, suggested="x.coachdesk")
    settle(qtbot)
    asked = [s for s in scripted_dialogs.shown if s[0] == "confirm"]
    assert asked and asked[0][1] == "Send the demo caseload too?"
    kind, title, text = scripted_dialogs.shown[-1]
    assert (kind, title) == ("info", "Bundle written")
    assert "The demo caseload (" in text and "was left out" in text
