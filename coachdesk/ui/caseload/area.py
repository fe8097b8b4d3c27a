"""The Caseload area: the list of schools, and the school, district and visit pages opened from it.

Every way of opening a page here (the list, Today, search, a link from one page to another) runs
inside the window's `GoingBack.opening()` (coachdesk/ui/going_back.py): Back (Escape, Alt+Left,
the page's ← button) returns to where the coach was, with the row and the control they had,
and the ← button names that place. Opening a page puts the keyboard in it, on its first useful
control (see `focus_page`).
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QStackedWidget, QWidget

from coachdesk.core.store.profile import Profile
from coachdesk.ui.caseload.caseload_view import CaseloadView
from coachdesk.ui.going_back import (
    FocusMark,
    GoingBack,
    Place,
    back_keys,
    button_text,
    first_control,
    put_focus,
    switch_page,
)

if TYPE_CHECKING:
    from coachdesk.ui.caseload.district_page import DistrictPage
    from coachdesk.ui.caseload.school_page import SchoolPage
    from coachdesk.ui.visits.visit_page import VisitPage

# After the list's first paint the coach reads it for a moment: time to build the school page
# (its imports, widgets and the forms' titles), so the first school opens like the later ones.
PREPARE_AFTER_MS = 300


class CaseloadArea(QStackedWidget):
    open_conflicts = Signal()  # a page's conflict badge was pressed

    def __init__(self, profile: Profile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.profile = profile
        self.setAccessibleName("Caseload")  # a named region for a screen reader
        self.list_view = CaseloadView(profile)
        self.list_view.open_school.connect(self.open_school)
        self.addWidget(self.list_view)
        self._school_page: SchoolPage | None = None
        self._district_page: DistrictPage | None = None
        self._visit_page: VisitPage | None = None
        self._save_failed = False  # an answer of the visit shown could not be saved
        # The window gives its own (use_going_back): one way back across every area.
        self.going_back = GoingBack(
            self._where_here,
            self._return_here,
            start=self.start_place,
            ready_to_leave=self.ready_to_leave,
            parent=self,
        )
        self.going_back.moved.connect(self.name_way_back)
        self.list_view.first_paint_with_data.connect(
            lambda: QTimer.singleShot(PREPARE_AFTER_MS, self, self.prepare_school_page)
        )

    def use_going_back(self, going_back: GoingBack) -> None:
        """Use the window's way back (Back from a page may go to Today, or the Conflicts)."""
        self.going_back.moved.disconnect(self.name_way_back)
        self.going_back = going_back
        going_back.moved.connect(self.name_way_back)

    @property
    def school_page(self) -> SchoolPage:
        # Built on first use: it needs the ORM, whose import is kept off the start-up path.
        if self._school_page is None:
            from coachdesk.ui.caseload.school_page import SchoolPage

            page = SchoolPage(self.profile)
            page.back.connect(self.go_back)
            page.open_conflicts.connect(self.open_conflicts.emit)
            page.open_visit.connect(self.open_visit)
            page.open_district.connect(
                lambda district_id, focus: self.open_district(district_id, focus=focus or None)
            )
            self.addWidget(page)
            self._school_page = page
        return self._school_page

    @property
    def district_page(self) -> DistrictPage:
        """The district page (its contacts, schools, district visits, the MA IP), built on first
        use."""
        if self._district_page is None:
            from coachdesk.ui.caseload.district_page import DistrictPage

            page = DistrictPage(self.profile)
            page.back.connect(self.go_back)
            page.open_conflicts.connect(self.open_conflicts.emit)
            page.open_visit.connect(self.open_visit)
            page.open_school.connect(self.open_school)
            self.addWidget(page)
            self._district_page = page
        return self._district_page

    def prepare_school_page(self) -> None:
        """Build the school page now, before the first school is opened (if it is not yet)."""
        if self._school_page is None:
            self.school_page.prepare()
            # While the coach is still reading: a full collection over everything start-up has
            # made (the ORM's mappings, the due list) otherwise falls in a later click, ~50 ms.
            gc.collect()

    @property
    def visit_page(self) -> VisitPage:
        """The visit page (list → school → visit), built on first use."""
        if self._visit_page is None:
            from coachdesk.ui.visits.visit_page import VisitPage

            page = VisitPage(self.profile)
            page.back.connect(self.go_back)
            page.open_conflicts.connect(self.open_conflicts.emit)
            page.saver.failed.connect(self._answer_not_saved)
            # The window's Go ▸ Back has Alt+Left; the page's own key would make it ambiguous
            # (Qt then runs neither). The page keeps it when shown on its own.
            for shortcut in page.findChildren(QShortcut):
                if shortcut.key() in back_keys() or shortcut.key() == QKeySequence("Alt+Left"):
                    shortcut.setEnabled(False)
            self.addWidget(page)
            self._visit_page = page
        return self._visit_page

    def flush_edits(self) -> None:
        """Save whatever is still waiting to be saved (before the window closes)."""
        if self._visit_page is not None:
            self._visit_page.flush()
        if self._district_page is not None:
            self._district_page.priority_card.flush()  # Instructional Priority typing

    # --- opening --------------------------------------------------------------------------------

    def open_visit(self, visit_id: str) -> None:
        """Show a visit's page, the keyboard in its first answer; Back returns to where the
        coach was."""
        with self.going_back.opening():
            if not self._showing("visit", visit_id):
                self._show_visit(visit_id)
            self.focus_page()

    def open_school(self, school_id: str) -> None:
        """Show a school's page; a district's id shows the district's page."""
        if self.is_district(school_id):
            self.open_district(school_id)
            return
        with self.going_back.opening():
            if not self._showing("school", school_id):
                self._show_school(school_id)
            self.focus_page()

    def open_district(self, district_id: str, *, focus: str | None = None) -> None:
        """Show a district's page; `focus="priority"` scrolls to its Instructional Priority and
        puts the cursor in it."""
        with self.going_back.opening():
            if not self._showing("district", district_id) or focus is not None:
                self._show_district(district_id, focus)
            if focus is None:
                self.focus_page()

    def _showing(self, page: str, record_id: str) -> bool:
        """Whether that page is shown already (a double-click opens twice: once is enough, but
        the keyboard still goes into it, as when Today opens the school left shown here)."""
        here = self.where()
        return (here.page, here.record_id) == (page, record_id)

    def is_district(self, org_id: str) -> bool:
        from coachdesk.core.errors import NotFound
        from coachdesk.core.organizations import get_organization

        try:
            return get_organization(self.profile, org_id).kind == "district"
        except NotFound:
            return False  # the school page says there is no such school

    def select_next_step(self, action_id: str) -> None:
        """Select an open next step on the school or district page shown (Enter opens its visit)."""
        if self.currentWidget() is self._district_page and self._district_page is not None:
            self._district_page.next_steps.select_item(action_id)
        elif self._school_page is not None:
            self._school_page.visits_panel.next_steps.select_item(action_id)

    def _show_school(self, school_id: str, focus: FocusMark | None = None) -> None:
        self.school_page.show_school(school_id)
        self._switch_to(self.school_page, focus)

    def _show_district(
        self, district_id: str, focus: str | None, mark: FocusMark | None = None
    ) -> None:
        page = self.district_page
        page.show_district(district_id, focus=focus)
        # To the Instructional Priority, the page puts the keyboard once the layout placed it.
        self._switch_to(page, mark, keys=focus is None)

    def _show_visit(self, visit_id: str, focus: FocusMark | None = None) -> None:
        self.visit_page.show_visit(visit_id)
        self._switch_to(self.visit_page, focus)

    def _switch_to(
        self, page: QWidget, mark: FocusMark | None = None, *, keys: bool = True
    ) -> None:
        """Show `page`, the keyboard going straight (switch_page) to the control `mark` had
        (going back) or to the page's first useful control (`first_useful`)."""

        def put() -> bool:
            if mark is not None and _inside(page, mark) and mark.restore():
                return True
            return put_focus(self.first_useful(page))

        if keys:
            switch_page(self, page, put)
        else:
            self.setCurrentWidget(page)

    def first_useful(self, page: QWidget) -> QWidget | None:
        """The control the keyboard goes to when `page` opens."""
        if page is self.list_view:
            view = self.list_view
            if view.table.isVisibleTo(view):
                return view.table
            if view.empty_add.isVisibleTo(view):  # a new coach's empty caseload: add one
                return view.empty_add
            return view.filter_edit  # a filter that matches nothing: the filter, to change it
        if page is self._visit_page and self._visit_page is not None:
            # The note's first answer, ready to type (or, with no form, the page's first control).
            return first_control(self._visit_page.form) or first_control(self._visit_page)
        if page is self._school_page and self._school_page is not None:
            return self._school_page.first_control()
        if page is self._district_page and self._district_page is not None:
            return self._district_page.first_control()
        return None

    def focus_page(self) -> None:
        """Put the keyboard on the first useful control of the page shown."""
        put_focus(self.first_useful(self.currentWidget()))

    # --- where the coach is, and going back -----------------------------------------------------

    def where(self, focus: FocusMark | None = None) -> Place:
        """The page shown, as a place to come back to."""
        current = self.currentWidget()
        school = self._school_page.school if self._school_page is not None else None
        district = self._district_page.district if self._district_page is not None else None
        visit = self._visit_page.visit if self._visit_page is not None else None
        if current is self._school_page and school is not None:
            return Place("caseload", "school", school.id, school.name, focus)
        if current is self._district_page and district is not None:
            return Place("caseload", "district", district.id, district.name, focus)
        if current is self._visit_page and visit is not None:
            return Place("caseload", "visit", visit.id, f"{visit.type_label}", focus)
        return Place("caseload", "list", None, "Caseload", focus)

    def start_place(self) -> Place | None:
        """Where Back goes with nothing remembered: from a page, the list."""
        return Place("caseload", "list", None, "Caseload") if self.where().page != "list" else None

    def show_place(self, place: Place) -> None:
        """Show a page again: a school or district read afresh (its own writes, such as a visit
        started there, are not told to it by the bus), a visit as it was left when it is still
        the one shown (it shows its own saves and hears everyone else's)."""
        if place.page == "list":
            self._switch_to(self.list_view, place.focus)
            return
        assert place.record_id is not None
        if place.page == "school":
            self._show_school(place.record_id, place.focus)
        elif place.page == "district":
            self._show_district(place.record_id, None, place.focus)
        elif place.page == "visit":
            shown = self._visit_page.visit if self._visit_page is not None else None
            if shown is not None and shown.id == place.record_id:
                self._switch_to(self.visit_page, place.focus)
            else:
                self._show_visit(place.record_id, place.focus)

    def go_back(self) -> None:
        """Back to where the coach was (a page's ← button, Escape, Alt+Left)."""
        self.going_back.back()

    def ready_to_leave(self) -> bool:
        """Whether the page shown may be left: a visit saves its waiting answers first, and
        stays when one could not be saved (the coach has read why, and may press Back again)."""
        page = self._visit_page
        if page is None or self.currentWidget() is not page:
            return True
        page.flush()
        failed, self._save_failed = self._save_failed, False
        return not failed

    def _answer_not_saved(self, _message: str) -> None:
        self._save_failed = True

    def name_way_back(self) -> None:
        """Each ← button names where it goes ("← Today", "← Caseload", "← Lincoln Elementary")."""
        place = self.going_back.way_back()
        name = place.name if place is not None else "Caseload"
        current = self.currentWidget()
        if current is self._school_page and self._school_page is not None:
            self._school_page.set_back_label(name)
        elif current is self._district_page and self._district_page is not None:
            self._district_page.set_back_label(name)
        elif current is self._visit_page and self._visit_page is not None:
            button = self._visit_page.back_button
            button.setText(button_text(name))
            button.setAccessibleName(f"Back to {name}")
            button.setToolTip(f"Back to {name} (Escape or Alt+Left)")

    def _where_here(self) -> Place:
        """On its own (no window): where the coach is in this area."""
        return self.where(FocusMark.of(self.window().focusWidget()))

    def _return_here(self, place: Place) -> None:
        self.show_place(place)
        if place.focus is None or not place.focus.restore():
            self.focus_page()

    def show_list(self) -> None:
        """The list of schools, the keyboard in it."""
        self.setCurrentWidget(self.list_view)
        self.list_view.table.setFocus()


def _inside(page: QWidget, mark: FocusMark | None) -> bool:
    """Whether the control `mark` remembers is still on `page`."""
    return mark is not None and shiboken6.isValid(mark.widget) and page.isAncestorOf(mark.widget)
