"""Reports ▸ NY quarterly report… (and the OH and MA ones): choose, then preview.

    open_state_report(parent, profile, STATE_REPORTS["quarterly"])

The dialog chooses the school or district the report is for, the period (most recent first, the
one due next chosen) and large print. Preview builds and draws the report off the GUI thread
(a progress bar if it takes a moment) and opens it in the report preview (Print…, Save as
PDF…, Save CSV…, Mark as submitted…). A refused choice shows its sentence in the dialog, which
stays open behind the preview so the next school's report is one choice away.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from coachdesk.core.dates_text import medium_date
from coachdesk.core.errors import CoachdeskError
from coachdesk.core.store.profile import Profile
from coachdesk.ui import dialogs
from coachdesk.ui.reports.catalog import StateReport
from coachdesk.ui.reports.rendering import RenderedReport, render_state_report
from coachdesk.ui.reports.report_preview import show_report_preview
from coachdesk.ui.work import run_in_background

logger = logging.getLogger(__name__)

Today = Callable[[], dt.date]


def due_next(profile: Profile, report: StateReport, today: dt.date) -> dict[str, Any]:
    """Per org id, its most pressing open item of the report's rules (the earliest due)."""
    from coachdesk.core.tracking_records.due import due_entries

    found: dict[str, Any] = {}
    for entry in due_entries(profile, today):
        item = entry.item
        if item.rule_id not in report.rule_ids:
            continue
        if item.school_id not in found or item.due < found[item.school_id].item.due:
            found[item.school_id] = entry
    return found


class StateReportDialog(QDialog):
    """Choose a state report's school or district, period and print size; Preview shows it."""

    def __init__(
        self,
        profile: Profile,
        report: StateReport,
        *,
        today: Today = dt.date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.profile = profile
        self.report = report
        self.today = today
        self.functions = report.load()
        self.setWindowTitle(report.title)
        self.setAccessibleName(report.title)
        self.setMinimumWidth(480)
        day = today()
        self.due = due_next(profile, report, day)
        self.periods = list(self.functions.periods(day))

        intro = QLabel(
            f"The {report.short_title} for one {report.org_kind} of your "
            f"{report.program_name} caseload. Preview it, then print it or save it as a PDF "
            "or a CSV file."
        )
        intro.setWordWrap(True)
        intro.setAccessibleName("About this report")

        self.org_box = QComboBox()
        self.org_box.setAccessibleName(report.org_word)
        for org_id, name in self.functions.orgs(profile):
            self.org_box.addItem(name, org_id)
        self.period_box = QComboBox()
        self.period_box.setAccessibleName(report.period_word)
        for code in self.periods:
            self.period_box.addItem(report.period_label(code), code)
        self.large_print = QCheckBox("&Large print")
        self.large_print.setAccessibleName("Large print")
        self.large_print.setToolTip("Larger type, for reading on paper or on a small screen")
        self.due_line = QLabel()
        self.due_line.setWordWrap(True)
        self.due_line.setAccessibleName("What is due")

        form = QFormLayout()
        org_label = QLabel(f"&{report.org_word}")
        org_label.setBuddy(self.org_box)
        period_label = QLabel(f"&{report.period_word}")
        period_label.setBuddy(self.period_box)
        form.addRow(org_label, self.org_box)
        form.addRow("", self.due_line)
        form.addRow(period_label, self.period_box)
        form.addRow("", self.large_print)

        self.status = QLabel()
        self.status.setAccessibleName("Progress")
        self.status.setVisible(False)
        self.error = QLabel()
        self.error.setObjectName("errorText")
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        self.error.setAccessibleName("Problem")

        self.buttons = QDialogButtonBox()
        self.preview_button = QPushButton("&Preview…")
        self.preview_button.setAccessibleName("Preview")
        self.preview_button.setToolTip("Prepare the report and show it page by page")
        self.preview_button.setDefault(True)
        self.buttons.addButton(self.preview_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName("Close")
        self.preview_button.clicked.connect(self.preview)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        self.org_box.currentIndexChanged.connect(self._org_chosen)
        self._org_chosen()
        if not self.org_box.count():
            self._show_problem(
                f"No {report.org_kind} of your {report.program_name} caseload is listed this "
                f"year. Assign one to {report.program_name} on the Caseload first."
            )
            self.preview_button.setEnabled(False)
        self.org_box.setFocus()

    # --- choosing ---------------------------------------------------------------------------------

    def choose(self, org_id: str | None = None, period: str | None = None) -> None:
        """Choose the org and the period by their ids (as a test or a Today link would)."""
        if org_id is not None:
            self.org_box.setCurrentIndex(self.org_box.findData(org_id))
        if period is not None:
            self.period_box.setCurrentIndex(self.period_box.findData(period))

    def chosen_org(self) -> str | None:
        return self.org_box.currentData()

    def chosen_period(self) -> str | None:
        return self.period_box.currentData()

    def _org_chosen(self) -> None:
        """Say what is due for the org, and choose the period it is due for."""
        self.error.setVisible(False)
        entry = self.due.get(self.chosen_org() or "")
        default = self.periods[0] if self.periods else None
        if entry is None:
            self.due_line.setText(f"Nothing is due for this {self.report.org_kind} now.")
        else:
            item = entry.item
            when = medium_date(item.due)
            late = " (overdue)" if entry.group.value == "Overdue" else ""
            self.due_line.setText(f"Due: {item.what}, {when}{late}.")
            period = self.report.period_of_due(item.key.split(":", 2)[2])
            if period in self.periods:
                default = period
        if default is not None:
            self.period_box.setCurrentIndex(self.period_box.findData(default))

    # --- previewing -------------------------------------------------------------------------------

    def preview(self) -> None:
        """Build and draw the chosen report in the background, then open its preview."""
        org_id, period = self.chosen_org(), self.chosen_period()
        if org_id is None or period is None:
            self._show_problem(f"Choose a {self.report.org_kind} and a {self.report.period_word}.")
            return
        self.error.setVisible(False)
        self.preview_button.setEnabled(False)
        self.status.setText(f"Preparing the {self.report.short_title}…")
        self.status.setVisible(True)
        folder = Path(tempfile.mkdtemp(prefix="coachdesk-report-"))
        large = self.large_print.isChecked()
        day = self.today()

        def done() -> None:
            shutil.rmtree(folder, ignore_errors=True)
            self.status.setVisible(False)
            self.preview_button.setEnabled(True)

        def rendered(result: RenderedReport) -> None:
            try:
                self.show_preview(result)
            finally:
                done()

        def failed(exc: BaseException) -> None:
            done()
            if not isinstance(exc, CoachdeskError):
                logger.warning("the %s could not be prepared: %r", self.report.short_title, exc)
            self._show_problem(dialogs.describe(exc))

        run_in_background(
            self,
            lambda: render_state_report(
                self.profile,
                self.functions,
                folder,
                org_id=org_id,
                period=period,
                large_print=large,
                today=day,
            ),
            on_success=rendered,
            on_failure=failed,
            label=f"Preparing the {self.report.short_title}…",
        )

    def show_preview(self, result: RenderedReport) -> None:
        show_report_preview(self, self.profile, self.report, result, today=self.today)

    def _show_problem(self, sentence: str) -> None:
        self.error.setText(sentence)
        self.error.setVisible(True)


def open_state_report(
    parent: QWidget | None, profile: Profile, report: StateReport, *, today: Today = dt.date.today
) -> None:
    """Reports ▸ the report's menu item: the choosing dialog, run modally."""
    try:
        dialog = StateReportDialog(profile, report, today=today, parent=parent)
    except ImportError as exc:  # a report module missing from this build
        logger.warning("the %s cannot open: %r", report.short_title, exc)
        dialogs.show_error(
            parent,
            f"The {report.short_title} cannot open",
            f"This copy of coachdesk does not have the {report.short_title}. "
            "Install the latest version, then try again.",
        )
        return
    except CoachdeskError as exc:  # the rules or the caseload could not be read
        dialogs.show_error(parent, f"The {report.short_title} cannot open", str(exc))
        return
    try:
        dialogs.run(dialog)
    finally:
        dialog.deleteLater()  # not kept hidden under the window once closed
