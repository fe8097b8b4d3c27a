"""Marking a visit note shared with the school, from the window.

    ask_to_share(parent, profile, visit_id)

After its summary is printed or saved as a PDF, or its packet written, a final note not yet
shared asks "Mark this note as shared with the school on <date>?" (the day editable, today by
default; No leaves it as it is). The visit page's "Mark as shared…" asks the same. The write is
`share_visit` (core/visits/sharing.py) and is published on the change bus, so the visit page's
status and Today's "share the note" item follow.
"""

from __future__ import annotations

import datetime as dt
from html import escape

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from coachdesk.core import visits
from coachdesk.core.changes import ChangeSummary
from coachdesk.core.dates_text import medium_date
from coachdesk.core.errors import CoachdeskError
from coachdesk.core.store.profile import Profile
from coachdesk.core.visits.sharing import share_visit
from coachdesk.ui import dialogs
from coachdesk.ui.caseload.form_dialog import FormDialog
from coachdesk.ui.change_bus import bus_for

TITLE = "Mark the note as shared"


class ShareNoteDialog(FormDialog):
    """The question, with the day it was shared; Yes saves through `share_visit`."""

    def __init__(
        self,
        profile: Profile,
        visit_id: str,
        *,
        about: str,
        today: dt.date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(TITLE, save_label="Yes, mark it shared", parent=parent)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("No")
        self.about = about
        self.question = QLabel()
        self.question.setWordWrap(True)
        self.question.setAccessibleName("Question")
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(0, self.question)
        self.day_edit = self.add_date("on", "Shared with the school on", today)
        self.day_edit.dateChanged.connect(lambda day: self._ask(day.toPython()))
        self._ask(today)
        self.on_save(lambda values: share_visit(profile, visit_id, on=values["on"], today=today))

    def _ask(self, day: dt.date) -> None:
        self.question.setText(
            f"Mark this note as shared with the school on <b>{escape(medium_date(day))}</b>?"
            f"<br>{escape(self.about)}"
        )


def can_be_shared(profile: Profile, visit_id: str) -> str | None:
    """The note's description when it is final and not yet shared (else None)."""
    try:
        detail = visits.get_visit(profile, visit_id)
    except CoachdeskError:
        return None
    if detail.status != "final" or detail.amended_at is not None:
        return None
    return f"{detail.type_label} at {detail.school_name}, {medium_date(detail.starts_at.date())}"


def ask_to_share(
    parent: QWidget | None,
    profile: Profile,
    visit_id: str,
    *,
    today: dt.date | None = None,
) -> ChangeSummary | None:
    """Ask whether to mark a final, unshared note shared; the changes when it was marked.

    Published with no initiator: the page that asked has not shown the change yet either."""
    about = can_be_shared(profile, visit_id)
    if about is None:
        return None
    dialog = ShareNoteDialog(
        profile, visit_id, about=about, today=today or dt.date.today(), parent=parent
    )
    if dialogs.run(dialog) != QDialog.DialogCode.Accepted:
        return None
    changes = dialog.result_value
    if not isinstance(changes, ChangeSummary):
        return None
    bus_for(profile).publish(changes, initiator=None)
    return changes
