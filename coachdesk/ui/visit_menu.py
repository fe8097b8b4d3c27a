"""The Visit menu: start a visit, finalize the note, print its summary, each with its key.

    VisitMenu(window).add_to(window.menuBar())

Each acts on what the coach sees: the school or district page shown, the visit open, or the
school selected on the Caseload; with nothing to act on, the status bar says why in one sentence.
The pages' own buttons then name the same keys in their tooltips (shortcuts.py has the keys).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QMenuBar

from coachdesk.ui import shortcuts
from coachdesk.ui.announce import show_status

if TYPE_CHECKING:
    from coachdesk.ui.main_window import MainWindow


class VisitMenu:
    def __init__(self, window: MainWindow) -> None:
        self.window = window

    def add_to(self, bar: QMenuBar) -> QMenu:
        """Visit ▸ Start a visit, Finalize, Print summary: on the school or visit shown."""
        menu = bar.addMenu("&Visit")
        menu.setToolTipsVisible(True)
        self.start_visit_action = QAction("&Start a visit…", self.window)
        self.finalize_action = QAction("&Finalize the note…", self.window)
        self.print_summary_action = QAction("&Print the summary…", self.window)
        for action, key, about, handler in (
            (
                self.start_visit_action,
                "start_visit",
                "Start a visit note for the school shown or selected",
                self.start_visit,
            ),
            (
                self.finalize_action,
                "finalize",
                "Check the open note and mark it final",
                self.finalize_visit,
            ),
            (
                self.print_summary_action,
                "print_summary",
                "Preview the open note's summary, then print it or save it as a PDF",
                self.print_summary,
            ),
        ):
            shortcuts.give(action, key, about=about)
            action.triggered.connect(handler)
            menu.addAction(action)
        return menu

    def _say(self, sentence: str) -> None:
        """Why a key did nothing: in the status bar, and said (focus stays where it was)."""
        show_status(self.window, sentence, 10_000)

    def _open_visit_page(self):
        """The visit page, when it is what the coach sees; else None."""
        from coachdesk.ui.visits.visit_page import VisitPage

        page = self.window.caseload.currentWidget()
        if self.window.current_area() == "caseload" and isinstance(page, VisitPage) and page.visit:
            return page
        return None

    def start_visit(self) -> str | None:
        """Visit ▸ Start a visit (Ctrl+N): for the school or district shown, the open visit's
        school, or the school selected on the Caseload. Returns the new visit's id."""
        from coachdesk.ui.caseload.district_page import DistrictPage
        from coachdesk.ui.caseload.school_page import SchoolPage

        if self.window.current_area() != "caseload":
            self._say("Open a school, or select one on the Caseload, to start a visit.")
            return None
        page = self.window.caseload.currentWidget()
        visit_page = self._open_visit_page()
        if visit_page is not None:
            self.window.caseload.open_school(visit_page.visit.school_id)
        elif page is self.window.caseload.list_view:
            row = self.window.caseload.list_view.current_row()
            if row is None:
                self._say("Select a school on the Caseload to start a visit.")
                return None
            self.window.caseload.open_school(row.school_id)
        page = self.window.caseload.currentWidget()
        if isinstance(page, DistrictPage):
            return page.start_visit()
        if isinstance(page, SchoolPage):
            return page.visits_panel.start_visit()
        self._say("Open a school, or select one on the Caseload, to start a visit.")
        return None

    def finalize_visit(self) -> bool:
        """Visit ▸ Finalize (Ctrl+Shift+F): the note open on screen."""
        page = self._open_visit_page()
        if page is None or not page.finalize_button.isVisible():
            self._say("Open a visit note you can edit to finalize it.")
            return False
        return page.finalize()

    def print_summary(self) -> None:
        """Visit ▸ Print the summary (Ctrl+P): the note open on screen."""
        page = self._open_visit_page()
        if page is None:
            self._say("Open a visit note to print its summary.")
            return
        page.print_summary()
