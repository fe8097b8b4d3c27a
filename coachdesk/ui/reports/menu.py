"""The Reports menu: the caseload report and one item per report a coach sends a state.

    ReportsMenu(window, profile).add_to(window.menuBar())

A state report whose program has no school on this year's caseload stays in the menu, disabled,
with a tooltip saying why (a coach looking for it learns what is missing rather than wondering
where it went). Which programs are on the caseload is read each time the menu opens, so a school
assigned a moment ago counts.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QMenuBar, QWidget

from coachdesk.core.store.profile import Profile
from coachdesk.ui.reports.catalog import STATE_REPORTS, StateReport

logger = logging.getLogger(__name__)

# The menu's words per report, with its keyboard letter.
MENU_WORDS = {
    "quarterly": "&NY quarterly report…",
    "coaching_log": "&OH coaching log…",
    "dilt": "&MA progress-monitoring report (DILT)…",
}


class ReportsMenu:
    """The Reports menu's actions, on one window and profile."""

    def __init__(
        self, parent: QWidget, profile: Profile, *, today: Callable[[], dt.date] = dt.date.today
    ) -> None:
        self.parent = parent
        self.profile = profile
        self.today = today
        self.caseload_action = QAction("&Caseload report…", parent)
        self.caseload_action.setToolTip(
            "Every school's status, visits, targets and overdue items, for one program or all"
        )
        self.caseload_action.triggered.connect(self.open_caseload_report)
        self.report_actions: dict[str, QAction] = {}
        for report in STATE_REPORTS.values():
            action = QAction(MENU_WORDS.get(report.key, f"{report.title}…"), parent)
            action.setToolTip(self._about(report))
            action.triggered.connect(lambda _checked=False, r=report: self.open_report(r))
            self.report_actions[report.key] = action
        self.menu: QMenu | None = None

    def add_to(self, bar: QMenuBar) -> QMenu:
        """Add the Reports menu to the menu bar; returns it."""
        menu = bar.addMenu("&Reports")
        menu.setToolTipsVisible(True)  # the disabled items say why
        menu.addAction(self.caseload_action)
        menu.addSeparator()
        for action in self.report_actions.values():
            menu.addAction(action)
        menu.aboutToShow.connect(self.refresh)
        self.menu = menu
        return menu

    def refresh(self) -> None:
        """Enable the reports whose program is on this year's caseload; say why not on others."""
        from coachdesk.core.caseload import list_caseload

        on_caseload = {row.program_code for row in list_caseload(self.profile, today=self.today())}
        for key, action in self.report_actions.items():
            report = STATE_REPORTS[key]
            if not report.is_available():
                action.setEnabled(False)
                action.setToolTip(f"This copy of coachdesk does not have the {report.title} yet.")
            elif report.program_code not in on_caseload:
                action.setEnabled(False)
                action.setToolTip(
                    f"No school of yours is in {report.program_name} this year: assign one on "
                    f"the Caseload to make the {report.short_title}."
                )
            else:
                action.setEnabled(True)
                action.setToolTip(self._about(report))

    @staticmethod
    def _about(report: StateReport) -> str:
        return (
            f"Preview the {report.short_title} for one {report.org_kind}, then print it or save it"
        )

    def open_caseload_report(self) -> None:
        from coachdesk.ui.reports.caseload_dialog import open_caseload_report

        open_caseload_report(self.parent, self.profile)

    def open_report(self, report: StateReport) -> None:
        from coachdesk.ui.reports.state_report_dialog import open_state_report

        open_state_report(self.parent, self.profile, report, today=self.today)
