"""File ▸ Import events…: an .ics calendar or a CSV file of dated events (OISR sessions, the
needs-assessment window). The coach chooses whom a calendar file's events are for, sees every
event checked, and confirms; nothing is written before."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from coachdesk.core.changes import ChangeSummary
from coachdesk.core.dates_text import weekday_date
from coachdesk.core.errors import CoachdeskError
from coachdesk.core.tracking_records.events_import import (
    Audience,
    EventsPreview,
    audiences,
    import_events,
    preview_events,
)
from coachdesk.ui import dialogs
from coachdesk.ui.row_preview import RowPreviewDialog

FILE_FILTER = "Calendars and CSV files (*.ics *.csv);;All files (*)"


class AudienceDialog(QDialog):
    """Whom a calendar file's events are for."""

    def __init__(self, file_name: str, choices: list[Audience], parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import events")
        self.choices = choices
        self.box = QComboBox()
        self.box.setAccessibleName("The events are for")
        self.box.addItems([c.label for c in choices])
        text = QLabel(f"Whom are the events in {file_name} for?")
        text.setWordWrap(True)
        form = QFormLayout()
        form.addRow("For", self.box)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def chosen(self) -> Audience:
        return self.choices[self.box.currentIndex()]


class EventsPreviewDialog(RowPreviewDialog):
    def __init__(self, preview: EventsPreview, parent: QWidget | None = None) -> None:
        rows = [
            (r.line, "ready", f"{weekday_date(r.day, year=True)} · {r.title} · {r.schools_label}")
            for r in preview.rows
        ]
        rows += [(e.line, "refused", e.message) for e in preview.errors]
        super().__init__(
            f"Import events from {preview.source}",
            preview.sentence,
            rows,
            ready=len(preview.rows),
            noun="event(s)",
            column="Event",
            parent=parent,
        )
        self.preview = preview


def import_events_file(profile, parent: QWidget | None) -> ChangeSummary:
    """Ask for the file (and, for a calendar, whom it is for), preview, import on confirmation."""
    path = dialogs.open_file(parent, "Import events", FILE_FILTER)
    if not path:
        return ChangeSummary()
    school = program = None
    if _is_calendar(path):
        choices = audiences(profile)
        if not choices:
            dialogs.show_error(parent, "Cannot import", "The caseload has no schools yet.")
            return ChangeSummary()
        ask = AudienceDialog(path.rsplit("/", 1)[-1], choices, parent)
        if not dialogs.run(ask):
            return ChangeSummary()
        school, program = ask.chosen().school, ask.chosen().program
    try:
        preview = preview_events(profile, path, school=school, program=program)
    except CoachdeskError as exc:
        dialogs.show_error(parent, "Cannot import", str(exc))
        return ChangeSummary()
    if not dialogs.run(EventsPreviewDialog(preview, parent)):
        return ChangeSummary()
    try:
        changes = import_events(profile, preview)
    except CoachdeskError as exc:
        dialogs.show_error(parent, "Not imported", str(exc))
        return ChangeSummary()
    dialogs.show_info(
        parent,
        "Imported",
        f"Imported {len(preview.rows)} event(s). Each shows on the Today calendar, and in the"
        " list as its day comes near.",
    )
    return changes


def _is_calendar(path: str) -> bool:
    try:
        with open(path, "rb") as file:
            return file.read(64).lstrip(b"\xef\xbb\xbf \r\n\t").startswith(b"BEGIN:VCALENDAR")
    except OSError:
        return False  # preview_events says why in a sentence
