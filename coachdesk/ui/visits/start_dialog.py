"""The "Start a visit" dialog: which kind of visit (on which form), and when."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from coachdesk.core import forms
from coachdesk.core.visits import VISIT_TYPE_LABELS
from coachdesk.ui.date_input import DateTimeInput


@dataclass(frozen=True)
class VisitKind:
    visit_type: str
    form_id: str | None
    label: str


def visit_kinds(program_codes: tuple[str, ...]) -> list[VisitKind]:
    """Each visit type the school's programs have a form for, with that form's title."""
    kinds: list[VisitKind] = []
    for code in program_codes:
        for visit_type, type_label in VISIT_TYPE_LABELS.items():
            for definition in forms.forms_for_visit(code, visit_type):
                same = definition.title.casefold() == type_label.casefold()
                label = type_label if same else f"{type_label} · {definition.title}"
                if all(k.label != label for k in kinds):
                    kinds.append(VisitKind(visit_type, definition.form_id, label))
    if not kinds:  # a school with no program yet: a visit without a form
        kinds = [VisitKind(t, None, label) for t, label in VISIT_TYPE_LABELS.items()]
    return kinds


def _now_at_school(tz: str | None) -> dt.datetime:
    """The school's wall clock: a visit's times are the school's, and a laptop set to another
    zone (or left on UTC) would otherwise offer a start hours off."""
    if tz:
        import zoneinfo

        try:
            zone = zoneinfo.ZoneInfo(tz)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return dt.datetime.now()  # an unknown zone: the laptop's own clock, as before
        return dt.datetime.now(zone).replace(tzinfo=None)
    return dt.datetime.now()


class StartVisitDialog(QDialog):
    """Choose the visit type and its start; `chosen()` reads the answer after Accept."""

    def __init__(
        self,
        school_name: str,
        program_codes: tuple[str, ...],
        *,
        now: dt.datetime | None = None,
        tz: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Start a visit")
        self.kinds = visit_kinds(program_codes)
        self.kind_box = QComboBox()
        self.kind_box.setAccessibleName("Visit type")
        for kind in self.kinds:
            self.kind_box.addItem(kind.label)
        now = (now or _now_at_school(tz)).replace(second=0, microsecond=0)
        self.when_edit = DateTimeInput("Starts", now)
        self.purpose_edit = QLineEdit()
        self.purpose_edit.setAccessibleName("Purpose")
        self.purpose_edit.setPlaceholderText("Optional, e.g. Review mid-year DII data")
        heading = QLabel(f"A new visit note for <b>{_escape(school_name)}</b>.")
        form = QFormLayout()
        form.addRow("Visit type", self.kind_box)
        form.addRow("Starts", self.when_edit)
        form.addRow("Purpose", self.purpose_edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Start the visit")
        buttons.accepted.connect(self.try_accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    def choose(self, visit_type: str) -> None:
        """Select the first kind of this visit type (for tests and keyboard users)."""
        for index, kind in enumerate(self.kinds):
            if kind.visit_type == visit_type:
                self.kind_box.setCurrentIndex(index)
                return
        raise ValueError(f"no {visit_type} here")

    def try_accept(self) -> bool:
        """Start, unless the start cannot be read: then its sentence shows under it."""
        if self.when_edit.check():
            # The half that cannot be read, its text selected: typing replaces it.
            day, clock = self.when_edit.day, self.when_edit.clock
            wrong = (day if day.problem() else clock).edit
            wrong.setFocus(Qt.FocusReason.OtherFocusReason)
            wrong.selectAll()
            return False
        self.accept()
        return True

    def chosen(self) -> tuple[VisitKind, dt.datetime, str | None]:
        kind = self.kinds[self.kind_box.currentIndex()]
        when = self.when_edit.value()
        assert when is not None  # try_accept refuses a start it cannot read
        return kind, when.replace(second=0, microsecond=0), self.purpose_edit.text().strip() or None


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
