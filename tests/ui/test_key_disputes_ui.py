"""The Trust page shows two key changes from one key as a dispute, with both fingerprints, and
the coach settles it by keeping the key whose fingerprint the owner reads out (issue 15)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from coachdesk.core.ids import new_id
from coachdesk.sync import rotation, trust
from coachdesk.ui.trust_page import TrustPage
from tests.support.sync_world import make_devices
from tests.support.ui import ChangeRecorder, settle

SHOTS = Path("/tmp/coachdesk-sync-shots")


@pytest.fixture
def devices(tmp_path):
    made = make_devices(tmp_path, ["Dana", "Lee"])
    yield made
    for d in made:
        d.profile.close()


def make_dispute(dana, lee, folder: Path):
    """Dana changes keys; someone holding Dana's old key makes a second key change; Lee's
    laptop takes both. The owner's new keys, and the thief's."""
    old = dana.keys
    thief = old.successor()
    forged = rotation.rotation_file_bytes(
        old,
        thief,
        device_name="Dana's laptop",
        bundle_id=new_id(),
        created_hlc=str(dana.profile.clock.now()),
        signed_up_to=10**6,
    )
    owners = folder / "dana.coachdesk-key"
    rotation.rotate_keys(dana.profile, owners)
    for data in (owners.read_bytes(), forged):
        rotation.accept_rotation(lee.profile, rotation.read_key_file(data))
    return dana.keys, thief


def _statuses(page: TrustPage) -> dict[str, str]:
    return {
        page.table.item(r, 1).text(): page.table.item(r, 3).text()
        for r in range(page.table.rowCount())
    }


def test_the_trust_page_shows_a_dispute_and_keeps_the_key_the_owner_reads_out(
    qtbot, devices, tmp_path, scripted_dialogs
):
    dana, lee = devices
    owner, thief = make_dispute(dana, lee, tmp_path)
    page = TrustPage(lee.profile)
    qtbot.addWidget(page)
    page.resize(1000, 560)
    page.show()
    settle(qtbot)

    [card] = page.disputes.cards
    assert page.disputes.isVisible()
    assert card.sentence.text() == (
        "⚠ Two different new keys claim to replace Dana's key. Call Dana and compare the "
        "fingerprint on their Trust page; keep the one that matches."
    )
    shown = {label.text() for label in card.findChildren(type(card.sentence))}
    assert {owner.fingerprint, thief.fingerprint} <= shown
    assert set(card.keep_buttons) == {owner.key_id, thief.key_id}
    assert _statuses(page)[owner.fingerprint].startswith("disputed")
    assert _statuses(page)[thief.fingerprint].startswith("disputed")
    SHOTS.mkdir(exist_ok=True)
    page.grab().save(str(SHOTS / "trust-page-dispute.png"))

    # The coach backs out at the question: nothing changes.
    scripted_dialogs.confirm_answers = [False]
    card.keep_buttons[owner.key_id].click()
    settle(qtbot)
    assert len(rotation.key_disputes(lee.profile)) == 1

    # Dana reads out the fingerprint; the coach keeps that key, from the keyboard.
    heard = ChangeRecorder(lee.profile)
    scripted_dialogs.confirm_answers = [True]
    button = page.disputes.cards[0].keep_buttons[owner.key_id]
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)
    settle(qtbot)
    kind, title, text = scripted_dialogs.shown[-1]
    assert (kind, title) == ("info", "Key dispute settled")
    assert text.startswith(f"Kept {owner.fingerprint} as Dana's new key")
    confirm = next(s for s in scripted_dialogs.shown if s[0] == "confirm")
    assert owner.fingerprint in confirm[2] and thief.fingerprint in confirm[2]
    assert not page.disputes.isVisible() and page.disputes.cards == []
    statuses = _statuses(page)
    assert statuses[owner.fingerprint] == "trusted"
    assert statuses[thief.fingerprint].startswith("revoked")
    assert heard.touched("trusted_key")
    assert trust.recipient_names(lee.profile) == ["Dana"]


def test_revoking_from_the_trust_page_says_which_keys_went_with_it(
    qtbot, devices, tmp_path, scripted_dialogs
):
    dana, lee = devices
    old = dana.keys
    change = tmp_path / "dana.coachdesk-key"
    rotation.rotate_keys(dana.profile, change)
    rotation.accept_rotation(lee.profile, rotation.read_key_file(change.read_bytes()))
    page = TrustPage(lee.profile)
    qtbot.addWidget(page)
    page.show()
    settle(qtbot)
    assert not page.disputes.isVisible()
    row = next(
        r for r in range(page.table.rowCount()) if page.table.item(r, 1).text() == old.fingerprint
    )
    page.table.selectRow(row)
    scripted_dialogs.confirm_answers = [True]
    page.revoke_button.click()
    settle(qtbot)
    confirm = next(s for s in scripted_dialogs.shown if s[0] == "confirm")
    assert "any key it introduced by a key change" in confirm[2]
    kind, title, text = scripted_dialogs.shown[-1]
    assert (kind, title) == ("info", "Key revoked")
    assert text.startswith(f"Revoked Dana ({old.fingerprint}) and the key it introduced on ")
    statuses = _statuses(page)
    assert statuses[old.fingerprint].startswith("revoked")
    assert statuses[dana.keys.fingerprint].startswith("revoked")


def test_a_second_key_change_from_the_trust_page_opens_the_dispute(
    qtbot, devices, tmp_path, scripted_dialogs
):
    dana, lee = devices
    old = dana.keys
    forged = tmp_path / "someone.coachdesk-key"
    forged.write_bytes(
        rotation.rotation_file_bytes(
            old,
            old.successor(),
            device_name="Dana's laptop",
            bundle_id=new_id(),
            created_hlc=str(dana.profile.clock.now()),
            signed_up_to=10**6,
        )
    )
    owners = tmp_path / "dana.coachdesk-key"
    rotation.rotate_keys(dana.profile, owners)
    page = TrustPage(lee.profile)
    qtbot.addWidget(page)
    page.show()
    settle(qtbot)
    for path in (owners, forged):
        scripted_dialogs.file_answers = [str(path)]
        page.trust_key_file()
        settle(qtbot)
    kind, title, text = scripted_dialogs.shown[-1]
    assert (kind, title) == ("info", "Two new keys for one key")
    assert text.startswith("Two different new keys now claim to replace Dana's key")
    assert page.disputes.isVisible() and len(page.disputes.cards) == 1
    assert _statuses(page)[dana.keys.fingerprint].startswith("disputed")
