"""The Trust page, its key dialog, a key dispute and the search popup at twice the text size fit
a 1024x640 laptop (issue 16): the page's actions wrap, a fingerprint goes on two lines of whole
groups where one line does not fit, and the search popup stays on the screen."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from coachdesk.sync import keys, trust
from coachdesk.ui.screen_fit import available_geometry
from coachdesk.ui.style import base_point_size, style_sheet
from coachdesk.ui.trust_page import TrustKeyDialog, TrustPage
from coachdesk.ui.visits.search_popup import SearchPopup
from tests.support.sync_world import make_devices
from tests.support.ui import settle
from tests.ui.screen_probe import clipped_controls, clipped_labels
from tests.ui.test_key_disputes_ui import make_dispute

ROOM = (800, 520)  # what a 1024x640 window leaves an area, beside the list of areas


def twice_the_text(widget: QWidget) -> None:
    """The font doubled, and the style sheet's sizes with it (fingerprints are larger still)."""
    font = widget.font()
    font.setPointSizeF(font.pointSizeF() * 2)
    widget.setFont(font)
    widget.setStyleSheet(style_sheet(dark=False, base_pt=base_point_size() * 2))


def inside(widget: QWidget, outer: QWidget) -> bool:
    top_left = widget.mapTo(outer, widget.rect().topLeft())
    bottom_right = widget.mapTo(outer, widget.rect().bottomRight())
    return outer.rect().contains(top_left) and outer.rect().contains(bottom_right)


@pytest.fixture
def devices(tmp_path):
    made = make_devices(tmp_path, ["Dana", "Lee", "Kim Alvarez-Whitfield (Region 3 data lead)"])
    yield made
    for d in made:
        d.profile.close()


def _page(qtbot, profile) -> TrustPage:
    page = TrustPage(profile)
    qtbot.addWidget(page)
    twice_the_text(page)
    page.resize(*ROOM)
    page.show()
    qtbot.waitExposed(page)
    settle(qtbot)
    return page


def test_the_trust_page_fits_a_small_screen_at_twice_the_text_size(qtbot, devices):
    _dana, lee, _kim = devices
    page = _page(qtbot, lee.profile)
    needs = page.minimumSizeHint()
    assert needs.width() <= ROOM[0] and needs.height() <= ROOM[1]
    actions = (page.share_button, page.trust_button, page.revoke_button, page.rotate_button)
    for button in actions:
        assert inside(button, page), button.text()  # 'Change my keys…' was off the screen
    assert page.rotate_button.y() > page.share_button.y()  # a second line of actions
    # This laptop's fingerprint, whole on one line of its own, the words around it wrapped.
    fingerprint = keys.device_keys(lee.profile).fingerprint
    assert fingerprint in page.mine.text()
    assert page.scroll.verticalScrollBar().maximum() == 0  # nothing to scroll: all in view
    assert clipped_labels("trust", page) == [] and clipped_controls("trust", page) == []


def test_a_key_dispute_fits_with_each_fingerprint_on_two_lines_of_whole_groups(
    qtbot, devices, tmp_path
):
    dana, lee, _kim = devices
    owner, thief = make_dispute(dana, lee, tmp_path)
    page = _page(qtbot, lee.profile)
    needs = page.minimumSizeHint()
    assert needs.width() <= ROOM[0] and needs.height() <= ROOM[1]
    [card] = page.disputes.cards
    assert inside(card, page.scroll.widget()) and card.width() <= page.scroll.viewport().width()
    for fingerprint, _where, keep in card.rows:
        groups = fingerprint.fingerprint.split()
        assert fingerprint.text().split("\n") == [" ".join(groups[:4]), " ".join(groups[4:])]
        assert inside(keep, card)
    shown = {f.fingerprint for f, _w, _k in card.rows}
    assert shown == {owner.fingerprint, thief.fingerprint}
    for button in (page.share_button, page.rotate_button):
        assert inside(button, page)  # the actions stay in view; the dispute scrolls above
    page.scroll.ensureWidgetVisible(card.keep_buttons[thief.key_id])
    settle(qtbot)
    assert not card.keep_buttons[thief.key_id].visibleRegion().isEmpty()
    assert clipped_labels("trust", page) == [] and clipped_controls("trust", page) == []


def test_the_trust_key_dialog_fits_with_room_to_spare(qtbot, devices):
    _dana, lee, kim = devices
    offered = trust.read_public_key_file(
        trust.public_key_file(kim.profile, keys.device_keys(kim.profile))
    )
    dialog = TrustKeyDialog(None, offered)
    qtbot.addWidget(dialog)
    twice_the_text(dialog)
    size = dialog.sizeHint()
    assert size.width() <= ROOM[0] and size.height() <= ROOM[1]  # it was 981 wide
    dialog.resize(size)
    dialog.show()
    qtbot.waitExposed(dialog)
    settle(qtbot)
    groups = offered.fingerprint.split()
    assert dialog.fingerprint.text() == " ".join(groups[:4]) + "\n" + " ".join(groups[4:])
    for button in dialog.findChildren(QPushButton):
        assert inside(button, dialog), button.text()
    assert clipped_labels("dialog", dialog) == [] and clipped_controls("dialog", dialog) == []


def test_the_search_popup_stays_on_the_screen_beside_a_window_near_its_edge(qtbot, profile):
    font = QApplication.font()
    window = QWidget()
    qtbot.addWidget(window)
    area = available_geometry(window)
    window.resize(area.width() * 7 // 8, area.height() // 2)
    window.move(area.right() - window.width() // 2, area.top())  # half off the right edge
    window.show()
    qtbot.waitExposed(window)
    try:
        doubled = QApplication.font()
        doubled.setPointSizeF(font.pointSizeF() * 2)
        QApplication.setFont(doubled)  # ninety characters are wider than this screen
        popup = SearchPopup(profile, window)
        popup.start()
        qtbot.waitExposed(popup)
        settle(qtbot)
        assert popup.width() <= area.width()
        assert area.contains(popup.frameGeometry()), (popup.frameGeometry(), area)
    finally:
        QApplication.setFont(font)
