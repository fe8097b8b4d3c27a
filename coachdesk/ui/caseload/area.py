"""The Caseload area: the list of schools, and the school, district and visit pages opened from it.

Back (Alt+Left) returns to where the coach came from: a school opened from its district's page
goes back to the district, a district opened from a school back to the school. Opening a page
from outside the pages (the list, Today, search) starts that trail afresh.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QStackedWidget, QWidget

from coachdesk.core.store.profile import Profile
from coachdesk.ui.caseload.caseload_view import CaseloadView

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
        # Where Back goes, newest last: (kind, id, name) of the school or district pages left.
        self._trail: list[tuple[str, str, str]] = []
        self.list_view.first_paint_with_data.connect(
            lambda: QTimer.singleShot(PREPARE_AFTER_MS, self, self.prepare_school_page)
        )

    @property
    def school_page(self) -> SchoolPage:
        # Built on first use: it needs the ORM, whose import is kept off the start-up path.
        if self._school_page is None:
            from coachdesk.ui.caseload.school_page import SchoolPage

            page = SchoolPage(self.profile)
            page.back.connect(self.go_back)
            page.open_conflicts.connect(self.open_conflicts.emit)
            page.open_visit.connect(self._follow_visit)
            page.open_district.connect(
                lambda district_id, focus: self._follow("district", district_id, focus or None)
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
            page.open_visit.connect(self._follow_visit)
            page.open_school.connect(lambda school_id: self._follow("school", school_id))
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
            page.back.connect(self._back_to_school)
            page.open_conflicts.connect(self.open_conflicts.emit)
            self.addWidget(page)
            self._visit_page = page
        return self._visit_page

    def open_visit(self, visit_id: str) -> None:
        """Show a visit's page (its note, ready to type in); Back goes to its school or district."""
        self._trail.clear()
        self._show_visit(visit_id)

    def _follow_visit(self, visit_id: str) -> None:
        """A visit opened from a school's or district's page: Back returns to that page."""
        self._remember_here()
        self._show_visit(visit_id)

    def _show_visit(self, visit_id: str) -> None:
        self.visit_page.show_visit(visit_id)
        self.setCurrentWidget(self.visit_page)

    def _back_to_school(self) -> None:
        visit = self.visit_page.visit
        if self._trail or visit is None:
            self.go_back()
        else:
            self._show_place(visit.school_id)

    def flush_edits(self) -> None:
        """Save whatever is still waiting to be saved (before the window closes)."""
        if self._visit_page is not None:
            self._visit_page.flush()
        if self._district_page is not None:
            self._district_page.priority_card.flush()  # Instructional Priority typing

    def open_school(self, school_id: str) -> None:
        """Show a school's page; a district's id shows the district's page."""
        self._trail.clear()
        self._show_place(school_id)

    def open_district(self, district_id: str, *, focus: str | None = None) -> None:
        """Show a district's page; `focus="priority"` scrolls to its Instructional Priority."""
        self._trail.clear()
        self._show_district(district_id, focus)

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

    def _show_place(self, org_id: str) -> None:
        if self.is_district(org_id):
            self._show_district(org_id, None)
        else:
            self._show_school(org_id)

    def _show_school(self, school_id: str) -> None:
        self.school_page.show_school(school_id)
        self.school_page.set_back_label(self._trail[-1][2] if self._trail else "Caseload")
        self.setCurrentWidget(self.school_page)
        self.school_page.name_edit.setFocus()

    def _show_district(self, district_id: str, focus: str | None) -> None:
        page = self.district_page
        page.show_district(district_id, focus=focus)
        page.set_back_label(self._trail[-1][2] if self._trail else "Caseload")
        self.setCurrentWidget(page)
        if focus is None:
            page.schools.setFocus()

    def _remember_here(self) -> None:
        """Note the school or district page shown, for Back."""
        current = self.currentWidget()
        if current is self._school_page and self._school_page.school is not None:
            school = self._school_page.school
            self._trail.append(("school", school.id, school.name))
        elif current is self._district_page and self._district_page.district is not None:
            district = self._district_page.district
            self._trail.append(("district", district.id, district.name))

    def _follow(self, kind: str, org_id: str, focus: str | None = None) -> None:
        """A link from one page to another: Back returns to the page left."""
        self._remember_here()
        if kind == "district":
            self._show_district(org_id, focus)
        else:
            self._show_school(org_id)

    def go_back(self) -> None:
        """Back to the page the coach came from, or to the list."""
        if not self._trail:
            self.show_list()
            return
        kind, org_id, _name = self._trail.pop()
        if kind == "district":
            self._show_district(org_id, None)
        else:
            self._show_school(org_id)

    def show_list(self) -> None:
        self._trail.clear()
        self.setCurrentWidget(self.list_view)
        self.list_view.table.setFocus()
