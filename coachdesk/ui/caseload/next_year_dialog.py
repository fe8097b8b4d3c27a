"""Starting the next school year: each assignment carried over only once the coach ticks it.

The proposals are core's (`propose_next_year`): one check box each, saying what it becomes
("Receivership year 2 → 3"); "Check all" and "Uncheck all" set them together; `carry_over`
writes only the ticked ones. This year's assignments stay as they are, readable.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from coachdesk.core import assignments
from coachdesk.core import school_year as years
from coachdesk.core.assignments import Proposal
from coachdesk.core.caseload import current_school_year
from coachdesk.core.changes import ChangeSummary
from coachdesk.core.errors import CoachdeskError
from coachdesk.core.programs import programs
from coachdesk.core.store.profile import Profile
from coachdesk.ui import dialogs
from coachdesk.ui.change_bus import bus_for


def what_it_becomes(p: Proposal) -> str:
    """One proposal in words: "Hackett MS · NY Receivership, lead · Receivership year 2 → 3"
    (the school years are the dialog's title and first line)."""
    prog = programs().get(p.program_code)
    name = prog.name if prog else p.program_code
    text = f"{p.org_name} · {name}, {p.role}"
    if p.receivership_year is not None:
        after = str(p.next_receivership_year) if p.next_receivership_year else "not set"
        text += f" · Receivership year {p.receivership_year} → {after}"
    if p.already_carried:
        text += " (already carried over)"
    return text


def years_to_start(profile: Profile, today: dt.date | None = None) -> tuple[str, list[Proposal]]:
    """The school year to carry over from and its proposals: this year's, or, once a new year
    has begun with nothing carried over yet, last year's."""
    this_year = current_school_year(today)
    proposals = assignments.propose_next_year(profile, this_year)
    if not proposals:
        last_year = years.previous(this_year)
        earlier = assignments.propose_next_year(profile, last_year)
        if earlier and not all(p.already_carried for p in earlier):
            return last_year, earlier
    return this_year, proposals


class NextYearDialog(QDialog):
    def __init__(
        self,
        profile: Profile,
        from_year: str,
        proposals: list[Proposal],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.profile = profile
        self.from_year = from_year
        self.to_year = assignments.next_year(from_year)
        self.proposals = proposals
        self.changes = ChangeSummary()
        self.setWindowTitle(f"Start the {self.to_year} school year")
        self.resize(720, 460)
        intro = QLabel(
            f"Tick each {from_year} assignment to carry over to {self.to_year}; the others end "
            f"with {from_year}. Last year's assignments stay as they are, readable on each "
            "school's page."
        )
        intro.setWordWrap(True)
        self.boxes: list[tuple[QCheckBox, Proposal]] = []
        rows = QWidget()
        column = QVBoxLayout(rows)
        for proposal in proposals:
            box = QCheckBox(what_it_becomes(proposal))
            box.setAccessibleName(what_it_becomes(proposal))
            if proposal.note:
                box.setToolTip(proposal.note)
            if proposal.already_carried:
                box.setChecked(True)
                box.setEnabled(False)
            box.toggled.connect(self._update_button)
            column.addWidget(box)
            self.boxes.append((box, proposal))
        if not proposals:
            column.addWidget(QLabel(f"No {from_year} assignment is active to carry over."))
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(rows)
        scroll.setAccessibleName("Assignments to carry over")
        self.check_all = QPushButton("Check all")
        self.check_all.setAccessibleName("Check every assignment")
        self.check_all.clicked.connect(lambda: self.set_all(True))
        self.uncheck_all = QPushButton("Uncheck all")
        self.uncheck_all.setAccessibleName("Uncheck every assignment")
        self.uncheck_all.clicked.connect(lambda: self.set_all(False))
        toggles = QHBoxLayout()
        toggles.addWidget(self.check_all)
        toggles.addWidget(self.uncheck_all)
        toggles.addStretch(1)
        self.problem = QLabel()
        self.problem.setObjectName("errorText")
        self.problem.setWordWrap(True)
        self.problem.setVisible(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.carry_button = buttons.addButton("Carry over", QDialogButtonBox.ButtonRole.AcceptRole)
        self.carry_button.setDefault(True)
        buttons.accepted.connect(self.try_accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(toggles)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self._update_button()

    def set_all(self, checked: bool) -> None:
        for box, _proposal in self.boxes:
            if box.isEnabled():
                box.setChecked(checked)

    def confirmed(self) -> list[str]:
        return [p.assignment_id for box, p in self.boxes if box.isEnabled() and box.isChecked()]

    def _update_button(self, *_args: object) -> None:
        n = len(self.confirmed())
        self.carry_button.setText(
            f"Carry over {n} assignment{'s' if n != 1 else ''}" if n else "Carry over"
        )
        self.carry_button.setEnabled(n > 0)

    def try_accept(self) -> bool:
        try:
            self.changes = assignments.carry_over(self.profile, self.confirmed(), self.to_year)
        except CoachdeskError as exc:
            self.problem.setText(str(exc))
            self.problem.setVisible(True)
            return False
        bus_for(self.profile).publish(self.changes, initiator=self)
        self.accept()
        return True


def start_next_year(profile: Profile, parent: QWidget | None) -> ChangeSummary:
    """File ▸ Start the next school year…: the proposals, carried over once ticked."""
    try:
        from_year, proposals = years_to_start(profile)
    except CoachdeskError as exc:
        dialogs.show_error(parent, "Cannot start the next school year", str(exc))
        return ChangeSummary()
    dialog = NextYearDialog(profile, from_year, proposals, parent)
    if dialogs.run(dialog) != QDialog.DialogCode.Accepted:
        return ChangeSummary()
    n = len(dialog.confirmed())
    when = (
        "The caseload shows them now"
        if dialog.to_year == current_school_year()
        else f"The caseload shows {dialog.to_year} from 1 July"
    )
    dialogs.show_info(
        parent,
        "Carried over",
        f"Carried {n} assignment{'s' if n != 1 else ''} over to {dialog.to_year}. "
        f"{when}; {from_year}'s stay readable.",
    )
    return dialog.changes
