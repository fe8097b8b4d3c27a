"""The visit page and walk mode at twice the text size in the room a 1024x640 laptop's window
gives a page (issue 16): the title and the visit's type and time wrap whole, the actions wrap
onto a second line, and in walk mode the look-for being rated is in full view."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from coachdesk.core import visits
from coachdesk.ui import style
from coachdesk.ui.going_back import button_text
from coachdesk.ui.visits.visit_page import VisitPage
from tests.ui.screen_probe import clipped_controls, clipped_labels, in_scroll_area

ROOM = (800, 520)  # what a 1024x640 window leaves a page beside the list of areas


def _page(qtbot, profile, visit_id: str, base_pt: float) -> VisitPage:
    page = VisitPage(profile)
    qtbot.addWidget(page)
    page.setStyleSheet(style.style_sheet(dark=False, base_pt=base_pt))  # the title's size
    page.show_visit(visit_id)
    # The caseload names the way back after the place the coach came from (a district here).
    page.back_button.setText(button_text("Ashgrove Public Schools"))
    needs = page.minimumSizeHint()
    assert needs.width() <= ROOM[0] and needs.height() <= ROOM[1]
    page.resize(*ROOM)
    page.show()
    qtbot.waitExposed(page)
    return page


def _settle(qtbot) -> None:
    for _ in range(4):
        QApplication.processEvents()
        qtbot.wait(5)


def _inside(widget: QWidget, page: QWidget) -> bool:
    corner = widget.mapTo(page, widget.rect().bottomRight())
    return page.rect().contains(
        widget.mapTo(page, widget.rect().topLeft())
    ) and page.rect().contains(corner)


def _actions(page: VisitPage) -> list[QPushButton]:
    """The buttons of the page's header (those in its scrolled columns scroll into view)."""
    return [
        b for b in page.findChildren(QPushButton) if b.isVisibleTo(page) and not in_scroll_area(b)
    ]


def _with_follow_up(profile) -> str:
    return next(
        row.id
        for row in visits.list_visits(profile)
        if (detail := visits.get_visit(profile, row.id)).earlier_open_items
        and detail.definition is not None
    )


def test_the_visit_page_header_wraps_at_twice_the_text_size(qtbot, demo, twice_the_text):
    page = _page(qtbot, demo, _with_follow_up(demo), twice_the_text)
    _settle(qtbot)
    actions = _actions(page)
    names = {b.text() for b in actions}
    assert {"Details and follow-up", "Finalize…", "Print summary…", "Send packet…"} <= names
    assert [b.text() for b in actions if not _inside(b, page)] == []
    # The school's name and the visit's type and time are shown whole, on two lines each.
    assert page.title.text() == "Lincoln Park Elementary School"
    assert page.title.height() >= 2 * page.title.fontMetrics().lineSpacing()
    assert page.subtitle.text().startswith("On-site visit · ")
    assert clipped_labels("visit page", page) == []
    assert clipped_controls("visit page", page) == []
    # The actions wrapped onto lines of their own, under the back button and the title.
    below = page.subtitle.mapTo(page, page.subtitle.rect().bottomLeft()).y()
    assert page.packet_button.mapTo(page, page.packet_button.rect().topLeft()).y() > below
    assert page.follow_up.isVisibleTo(page)


def test_walk_mode_shows_the_look_for_being_rated_whole_at_twice_the_text_size(
    qtbot, demo, twice_the_text
):
    school_id = next(
        r.school_id for r in visits.list_visits(demo) if r.form_title and "walk" in r.form_title
    )
    visit_id = visits.start_visit(
        demo, school_id, visit_type="learning_walk", starts_at=dt.datetime.now()
    )
    page = _page(qtbot, demo, visit_id, twice_the_text)
    page.walk_button.setChecked(True)
    _settle(qtbot)
    walk = page.walk
    walk.setFocus()
    for _ in walk.rows[1:]:  # down to the last look-for, as a coach rates a classroom
        QTest.keyClick(walk, Qt.Key.Key_Down)
    _settle(qtbot)
    assert walk.current_look_for == len(walk.rows) - 1
    # Nothing to scroll sideways: the classroom's buttons and choices fit the page's width.
    assert page.walk_scroll.horizontalScrollBar().maximum() == 0
    row = walk.rows[-1]
    assert row.visibleRegion().boundingRect().size() == row.size()
    for button in row.buttons.values():
        assert button.visibleRegion().boundingRect().size() == button.size(), button.text()
    room = page.walk_scroll.viewport().width()
    for button in (walk.previous_button, walk.next_button):  # scrolled away above, not aside
        assert button.mapTo(walk, button.rect().topRight()).x() < room, button.text()
    assert [b.text() for b in _actions(page) if not _inside(b, page)] == []
    assert clipped_labels("walk mode", page) == []
