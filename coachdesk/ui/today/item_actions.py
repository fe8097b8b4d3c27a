"""What the one button on a Today item says and does.

Each due item says how it clears (`DueItem.act`, `how`, `closes_as`: core/tracking_rules). The
button is named for that: "Mark as submitted…" asks for the day and an optional note, "Mark the
note shared…" for the day, "Mark done" closes a next step at once (Undo follows), and the rest
open the place to act ("Open the note", "Plan a visit…", "Record a measurement").
"""

from __future__ import annotations

import datetime as dt
from html import escape

from PySide6.QtWidgets import QDialog, QLabel, QVBoxLayout, QWidget

from coachdesk.core.changes import ChangeSummary
from coachdesk.core.dates_text import medium_date
from coachdesk.core.store.profile import Profile
from coachdesk.core.tracking_records.closing import close_due
from coachdesk.core.tracking_records.due import DueEntry
from coachdesk.core.tracking_rules.facts import Act, Closing
from coachdesk.ui import dialogs
from coachdesk.ui.caseload.form_dialog import FormDialog

# The day field's label, by the closing's words.
DAY_LABELS = {
    "Mark as submitted": "Submitted on",
    "Mark as held": "Held on",
    "Mark as complete": "Completed on",
    "Mark the reminder sent": "Sent on",
    "Mark as excused": "Excused on",
}
# What the Undo offer says was done, by the act or the closing's words.
DONE_WORDS = {
    "Mark as submitted": "Marked submitted",
    "Mark as held": "Marked held",
    "Mark as complete": "Marked complete",
    "Mark the reminder sent": "Marked the reminder sent",
    "Mark as excused": "Marked excused",
}


def act_label(entry: DueEntry) -> str:
    """The button's words for this item: what pressing it does."""
    item = entry.item
    act = item.act
    if act is Act.RECORD and item.closes_as is not None:
        return f"{item.closes_as.verb}…"
    if act is Act.SHARE_NOTE:
        return "Mark the note shared…"
    if act is Act.MARK_DONE:
        return "Mark done"
    if act is Act.FINISH_NOTE:
        return "Open the note"
    if act is Act.PLAN_VISIT:
        if item.target.record_id:
            return "Open the planned visit"
        # "Plan a check-in, or record the one held": the button says the first half.
        return (item.how.split(",")[0] or "Plan a visit") + "…"
    if act in (Act.RECORD_MEASUREMENT, Act.OPEN) and item.how:
        return item.how
    return open_label(entry)


def open_label(entry: DueEntry) -> str:
    """The words for opening the item's record (the visit, or its school)."""
    target = entry.item.target
    if target.kind.value == "visit" and target.record_id:
        return "Open the visit"
    return "Open the school"


def accessible_name(entry: DueEntry, label: str) -> str:
    """The button's name for a screen reader: its words and the item's."""
    return f"{label.rstrip('…')}: {entry.item.what}, {entry.school_name}"


def closes_here(entry: DueEntry) -> bool:
    """Whether the button closes the item where it is listed (rather than open something)."""
    return entry.item.act in (Act.RECORD, Act.SHARE_NOTE, Act.MARK_DONE)


def excuse_closing(entry: DueEntry) -> Closing | None:
    """A second way to close an item whose button opens something: a month or window that
    passed can be marked excused (the context menu offers it)."""
    item = entry.item
    if item.act is Act.RECORD or item.closes_as is None:
        return None
    return item.closes_as


def done_words(entry: DueEntry, closing: Closing | None = None) -> str:
    """What the Undo offer says: "Marked submitted: Q1 report 2026-27, Lincoln Park ES"."""
    item = entry.item
    if closing is not None or item.act is Act.RECORD:
        verb = (closing or item.closes_as).verb if (closing or item.closes_as) else ""
        words = DONE_WORDS.get(verb, "Closed")
    elif item.act is Act.SHARE_NOTE:
        words = "Marked the note shared"
    else:
        words = "Marked done"
    return f"{words}: {item.what}, {entry.school_name}"


class CloseItemDialog(FormDialog):
    """Close one due item: the day it was done (default today) and, for a recorded
    obligation, an optional note. Saving calls `close_due`; a refusal stays in the dialog."""

    def __init__(
        self,
        profile: Profile,
        entry: DueEntry,
        *,
        today: dt.date,
        closing: Closing | None = None,
        parent: QWidget | None = None,
    ) -> None:
        item = entry.item
        sharing = item.act is Act.SHARE_NOTE and closing is None
        closing = closing or item.closes_as
        verb = "Mark the note shared" if sharing or closing is None else closing.verb
        super().__init__(verb, save_label=verb, parent=parent)
        self.entry = entry
        about = QLabel(
            f"<b>{escape(item.what)}</b><br>{escape(entry.school_name)}"
            f" · due {escape(medium_date(item.due))}"
        )
        about.setWordWrap(True)
        about.setAccessibleName("The item")
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(0, about)
        day_label = "Shared with the school on" if sharing else DAY_LABELS.get(verb, "Done on")
        self.day_edit = self.add_date("on", day_label, today)
        self.note_edit = None
        if not sharing:
            hint = "Why, e.g. the school was closed" if verb == "Mark as excused" else ""
            self.note_edit = self.add_text("note", "Note (optional)", "", hint=hint)
            self.note_edit.setMinimumHeight(70)

        def save(values: dict) -> ChangeSummary:
            return close_due(
                profile, item.key, on=values["on"], note=values.get("note") or None, today=today
            )

        self.on_save(save)


def ask_to_close(
    parent: QWidget | None,
    profile: Profile,
    entry: DueEntry,
    *,
    today: dt.date,
    closing: Closing | None = None,
) -> ChangeSummary | None:
    """Show the close dialog; the write's changes when the coach saved, else None."""
    dialog = CloseItemDialog(profile, entry, today=today, closing=closing, parent=parent)
    if dialogs.run(dialog) != QDialog.DialogCode.Accepted:
        return None
    changes = dialog.result_value
    return changes if isinstance(changes, ChangeSummary) else None
