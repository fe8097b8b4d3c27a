"""After an OH check-in is finalized: what the note records that the school's page does not.

    offer_school_changes(parent, profile, visit_id)

`propose_school_changes` (core/visits/school_changes.py) lists the stage, element statuses and
reasons for more frequent coaching the note records differently; the dialog shows each with a
check box ("The note records stage Installing; the school page says Exploring."), dated the day
of the check-in. Apply writes the ticked ones (`apply_school_changes`) and publishes them on the
change bus; Not now leaves the school's page as it is.
"""

from __future__ import annotations

from dataclasses import replace
from html import escape

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from coachdesk.core.changes import ChangeSummary
from coachdesk.core.dates_text import medium_date
from coachdesk.core.errors import CoachdeskError
from coachdesk.core.store.profile import Profile
from coachdesk.core.visits.school_changes import (
    ELEMENT_NAMES,
    SchoolChange,
    SchoolProposal,
    apply_school_changes,
    propose_school_changes,
)
from coachdesk.ui import dialogs
from coachdesk.ui.change_bus import bus_for

TITLE = "Update the school's page"
KIND_WORDS = {
    "stage": "the stage change",
    "element": "the element status",
    "flag": "the reason for more frequent coaching",
}


def change_sentence(change: SchoolChange) -> str:
    """One change in the coach's words: what the note records and what the page says."""
    if change.kind == "stage":
        page = change.now or "no stage"
        return f"The note records stage {change.proposed}; the school page says {page}."
    if change.kind == "element":
        name = ELEMENT_NAMES.get(int(change.subject), f"Element {change.subject}")
        return f"The note records {name} {change.proposed}; the school page says {change.now}."
    reason = change.sentence.split(": ", 1)[-1]
    return (
        f"The note records a reason for more frequent coaching, {reason}; the school page does not."
    )


class SchoolChangesDialog(QDialog):
    """A check box per change, ticked; Apply writes the ticked ones."""

    def __init__(
        self, profile: Profile, proposal: SchoolProposal, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.profile = profile
        self.proposal = proposal
        self.changes: ChangeSummary | None = None
        day = medium_date(proposal.day)
        kinds = {c.kind for c in proposal.changes}
        what = KIND_WORDS[next(iter(kinds))] if len(kinds) == 1 else "these changes"
        if len(proposal.changes) > 1 and len(kinds) == 1:
            what = what.replace("change", "changes").replace("status", "statuses")
        intro = QLabel(
            f"The check-in of {escape(day)} records what the school's page does not say yet."
        )
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        self.boxes: list[tuple[QCheckBox, SchoolChange]] = []
        for change in proposal.changes:
            box = QCheckBox(change_sentence(change))
            box.setChecked(True)
            box.setAccessibleName(change_sentence(change))
            self.boxes.append((box, change))
            layout.addWidget(box)
        self.question = QLabel(f"Record {what} on {escape(day)}?")
        self.question.setWordWrap(True)
        self.question.setAccessibleName("Question")
        layout.addWidget(self.question)
        self.error = QLabel()
        self.error.setObjectName("errorText")
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox()
        self.apply_button = buttons.addButton("Apply", QDialogButtonBox.ButtonRole.AcceptRole)
        self.later_button = buttons.addButton("Not now", QDialogButtonBox.ButtonRole.RejectRole)
        self.apply_button.setDefault(True)
        buttons.accepted.connect(self.apply)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        for box, _change in self.boxes:
            box.toggled.connect(self._ticked)
        self.setMinimumWidth(500)

    def chosen(self) -> tuple[SchoolChange, ...]:
        return tuple(change for box, change in self.boxes if box.isChecked())

    def _ticked(self) -> None:
        self.apply_button.setEnabled(bool(self.chosen()))

    def apply(self) -> bool:
        """Write the ticked changes; a refusal stays in the dialog."""
        try:
            self.changes = apply_school_changes(
                self.profile, replace(self.proposal, changes=self.chosen())
            )
        except CoachdeskError as exc:
            self.error.setText(str(exc))
            self.error.setVisible(True)
            return False
        self.accept()
        return True


def offer_school_changes(
    parent: QWidget | None, profile: Profile, visit_id: str
) -> ChangeSummary | None:
    """Show what a final check-in proposes for its school, if anything; the changes applied."""
    try:
        proposal = propose_school_changes(profile, visit_id)
    except CoachdeskError:
        return None
    if not proposal.changes:
        return None
    dialog = SchoolChangesDialog(profile, proposal, parent)
    if dialogs.run(dialog) != QDialog.DialogCode.Accepted or dialog.changes is None:
        return None
    bus_for(profile).publish(dialog.changes, initiator=parent)
    return dialog.changes
