"""A state report's preview: the PDF page by page, Save CSV…, and Mark as submitted….

    show_report_preview(parent, profile, report, rendered)

The preview is the PDF preview (Print…, Save as PDF…) with two more buttons: Save CSV… writes
the same data as a spreadsheet file, and, when the report closes a due item (its data's
`due_key`), Mark as submitted… asks the day it was sent and an optional note, records it
(`close_due`) and publishes the change, so Today stops listing the report.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Callable
from html import escape
from pathlib import Path

from PySide6.QtWidgets import QBoxLayout, QDialog, QLabel, QVBoxLayout, QWidget

from coachdesk.core.changes import ChangeSummary
from coachdesk.core.dates_text import medium_date
from coachdesk.core.errors import RefusedInput
from coachdesk.core.store.profile import Profile
from coachdesk.core.tracking_records.closing import close_due
from coachdesk.ui import dialogs
from coachdesk.ui.caseload.form_dialog import FormDialog
from coachdesk.ui.change_bus import bus_for
from coachdesk.ui.pdf_preview import PdfPreviewDialog
from coachdesk.ui.reports.catalog import StateReport
from coachdesk.ui.reports.rendering import RenderedReport
from coachdesk.ui.today.item_actions import DAY_LABELS, DONE_WORDS

logger = logging.getLogger(__name__)


class MarkSubmittedDialog(FormDialog):
    """The day the report was sent (default today) and an optional note; saving closes its due
    item. A refused day (in the future) shows its sentence and keeps what was typed."""

    def __init__(
        self,
        profile: Profile,
        report: StateReport,
        rendered: RenderedReport,
        *,
        today: dt.date,
        parent: QWidget | None = None,
    ) -> None:
        verb = rendered.closing or "Mark as submitted"
        super().__init__(verb, save_label=verb, parent=parent)
        data = rendered.data
        about = QLabel(
            f"<b>{escape(data.title)}</b>, {escape(data.period_label)}<br>{escape(data.org_name)}"
        )
        about.setWordWrap(True)
        about.setAccessibleName("The report")
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(0, about)
        day_label = "Sent on" if verb == "Mark as submitted" else DAY_LABELS.get(verb, "Done on")
        self.day_edit = self.add_date("on", day_label, today)
        self.note_edit = self.add_text(
            "note", "Note (optional)", "", hint="How it was sent, or to whom"
        )
        self.note_edit.setMinimumHeight(70)
        key = data.due_key

        def save(values: dict) -> ChangeSummary:
            return close_due(
                profile, key, on=values["on"], note=values.get("note") or None, today=today
            )

        self.on_save(save)


class StateReportPreview(PdfPreviewDialog):
    """The report's PDF with Save CSV… and, for a report that is due, Mark as submitted…."""

    def __init__(
        self,
        profile: Profile,
        report: StateReport,
        rendered: RenderedReport,
        *,
        today: Callable[[], dt.date] = dt.date.today,
        parent: QWidget | None = None,
    ) -> None:
        data = rendered.data
        super().__init__(
            rendered.path,
            title=f"{data.title}: {data.org_name}, {data.period_label}",
            suggested_name=rendered.suggested_name(".pdf"),
            parent=parent,
        )
        self.profile = profile
        self.report = report
        self.rendered = rendered
        self.today = today
        self.submitted_on: dt.date | None = None
        self.csv_button = self._button("Save CS&V…", "Save the report as a CSV file", self.save_csv)
        verb = rendered.closing or "Mark as submitted"
        about = (
            "Record the day you sent this report; Today stops listing it"
            if verb == "Mark as submitted"
            else f"{verb}: Today stops listing it"
        )
        self.mark_button = self._button(f"&{verb}…", about, self.mark)
        if rendered.submitted:
            day = f" {medium_date(rendered.submitted_on)}" if rendered.submitted_on else ""
            self._show_done(f"Submitted{day}", "Already marked as submitted")
        # Shown when marking closes the report's due item (MA's window clears by itself).
        self.mark_button.setVisible(bool(data.due_key and rendered.closing))
        actions = self._actions_row()
        at = actions.indexOf(self.close_button)
        actions.insertWidget(at, self.csv_button)
        actions.insertWidget(at + 1, self.mark_button)
        # Tab from the pages goes through the buttons in the order they are read.
        order = [self.print_button, self.save_button, self.csv_button, self.mark_button]
        for before, after in zip(order, order[1:], strict=False):
            self.setTabOrder(before, after)
        self.setTabOrder(self.mark_button, self.close_button)

    def _actions_row(self) -> QBoxLayout:
        """The row of buttons under the pages (the one holding Close)."""
        layout = self.layout()
        assert layout is not None
        for index in range(layout.count()):
            row = layout.itemAt(index).layout()
            if isinstance(row, QBoxLayout) and row.indexOf(self.close_button) >= 0:
                return row
        raise LookupError("the preview has no row of buttons")

    # --- the CSV ----------------------------------------------------------------------------------

    def save_csv(self) -> Path | None:
        """Write the report's data as a CSV file where the coach chooses; returns where."""
        chosen = dialogs.save_file(
            self, "Save as CSV", self.rendered.suggested_name(".csv"), "CSV files (*.csv)"
        )
        if not chosen:
            return None
        target = Path(chosen)
        if target.suffix.lower() != ".csv":
            target = target.with_name(target.name + ".csv")
        temporary = target.with_name(f".{target.name}.part")
        try:
            self.report.load().write_csv(self.rendered.data, temporary)
            os.replace(temporary, target)
        except Exception as exc:  # a failed write must never lose the preview
            if not isinstance(exc, OSError):
                logger.exception("the CSV file of the %s was not written", self.report.key)
            temporary.unlink(missing_ok=True)
            dialogs.show_error(self, "The CSV file was not saved", dialogs.describe(exc))
            return None
        self.delivered = True
        return target

    # --- marking it submitted ---------------------------------------------------------------------

    def mark(self) -> ChangeSummary | None:
        """Ask the day it was sent and a note, record it, tell every view, and say so."""
        data = self.rendered.data
        if not (data.due_key and self.rendered.closing):  # the button is hidden then
            return None
        ask = MarkSubmittedDialog(
            self.profile, self.report, self.rendered, today=self.today(), parent=self
        )
        if dialogs.run(ask) != QDialog.DialogCode.Accepted:
            return None
        changes = ask.result_value
        if not isinstance(changes, ChangeSummary):
            return None
        bus_for(self.profile).publish(changes, initiator=self)
        day = ask.values()["on"]
        self.submitted_on = day
        done = DONE_WORDS.get(self.rendered.closing, "Marked done")  # "Marked submitted"
        self._show_done(f"{done.split(' ', 1)[-1].capitalize()} {medium_date(day)}", done)
        logger.info("%s closed (%s) on %s", data.due_key, self.rendered.closing, day.isoformat())
        dialogs.show_info(
            self,
            done,
            f"The {data.title} for {data.org_name}, {data.period_label}, is "
            f"{done.lower()} on {medium_date(day)}. Today no longer lists it.",
        )
        return changes

    def _show_done(self, words: str, description: str) -> None:
        self.mark_button.setText(words)
        self.mark_button.setAccessibleName(words)
        self.mark_button.setToolTip(description)
        self.mark_button.setAccessibleDescription(description)
        self.mark_button.setEnabled(False)


def show_report_preview(
    parent: QWidget | None,
    profile: Profile,
    report: StateReport,
    rendered: RenderedReport,
    *,
    today: Callable[[], dt.date] = dt.date.today,
) -> bool:
    """Open the report's preview modally; True when it was printed or saved."""
    try:
        preview = StateReportPreview(profile, report, rendered, today=today, parent=parent)
    except RefusedInput as exc:
        dialogs.show_error(parent, "The preview could not open", str(exc))
        return False
    try:
        dialogs.run(preview)
        return preview.delivered
    finally:
        preview.document.close()
        preview.deleteLater()  # its pages' images go with it, not with the chooser
