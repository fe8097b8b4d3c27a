"""The Caseload area: the list of schools, and a school's page opened from it."""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QStackedWidget, QWidget

from coachdesk.core.store.profile import Profile
from coachdesk.ui.caseload.caseload_view import CaseloadView

if TYPE_CHECKING:
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
        self.list_view = CaseloadView(profile)
        self.list_view.open_school.connect(self.open_school)
        self.addWidget(self.list_view)
        self._school_page: SchoolPage | None = None
        self._visit_page: VisitPage | None = None
        self.list_view.first_paint_with_data.connect(
            lambda: QTimer.singleShot(PREPARE_AFTER_MS, self, self.prepare_school_page)
        )

    @property
    def school_page(self) -> SchoolPage:
        # Built on first use: it needs the ORM, whose import is kept off the start-up path.
        if self._school_page is None:
            from coachdesk.ui.caseload.school_page import SchoolPage

            page = SchoolPage(self.profile)
            page.back.connect(self.show_list)
            page.open_conflicts.connect(self.open_conflicts.emit)
            page.open_visit.connect(self.open_visit)
            self.addWidget(page)
            self._school_page = page
        return self._school_page

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
        """Show a visit's page (its note, ready to type in)."""
        self.visit_page.show_visit(visit_id)
        self.setCurrentWidget(self.visit_page)

    def _back_to_school(self) -> None:
        visit = self.visit_page.visit
        if visit is None:
            self.show_list()
        else:
            self.open_school(visit.school_id)

    def flush_edits(self) -> None:
        """Save whatever is still waiting to be saved (before the window closes)."""
        if self._visit_page is not None:
            self._visit_page.flush()
        if self._school_page is not None:
            self._school_page.priority_card.flush()  # Instructional Priority typing

    def open_school(self, school_id: str) -> None:
        self.school_page.show_school(school_id)
        self.setCurrentWidget(self.school_page)
        self.school_page.name_edit.setFocus()

    def show_list(self) -> None:
        self.setCurrentWidget(self.list_view)
        self.list_view.table.setFocus()
