""" "Follow-up from earlier visits": the next steps still open when this visit starts.

Each can be marked done, carried on (stays open, noted as reviewed here) or dropped, which is
what the coach and principal go through at the start of a visit.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from coachdesk.core import visits
from coachdesk.core.changes import ChangeSummary
from coachdesk.core.dates_text import medium_date
from coachdesk.core.errors import CoachdeskError
from coachdesk.core.store.profile import Profile
from coachdesk.core.visits import ActionItemView, VisitDetail
from coachdesk.ui import dialogs
from coachdesk.ui.change_bus import bus_for
from coachdesk.ui.flow_layout import FlowLayout
from coachdesk.ui.style import hex_colour, on_scheme_change

OUTCOME_TEXT = {"done": "Done", "carried": "Carried on", "dropped": "Dropped"}
BUTTONS = (("done", "Done"), ("carried", "Carry on"), ("dropped", "Drop"))


def outcome_of(item: ActionItemView, visit_id: str) -> str | None:
    """What this visit decided about an earlier item, if it has been reviewed here."""
    if item.reviewed_in_visit_id != visit_id:
        return None
    return "carried" if item.status == "open" else item.status


class FollowUpPanel(QFrame):
    """Lists earlier open next steps with Done / Carry on / Drop buttons."""

    def __init__(self, profile: Profile, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.profile = profile
        self.bus = bus_for(profile)
        self.visit: VisitDetail | None = None
        self._editable = False
        on_scheme_change(self._rewrite)  # the overdue dates are written in a colour
        self.buttons: dict[tuple[str, str], QPushButton] = {}  # (item id, outcome) -> button
        self.outcome_labels: dict[str, QLabel] = {}
        self._blocks: dict[QObject, QWidget] = {}  # button -> the item it belongs to
        self.title = QLabel("Follow-up from earlier visits")
        self.title.setObjectName("sectionTitle")
        self.title.setWordWrap(True)  # twice the text in a narrow column
        self.hint = QLabel(
            "Go through these with the school first: mark each done, carry it on, or drop it."
        )
        self.hint.setObjectName("subtle")
        self.hint.setWordWrap(True)
        self.list_layout = QVBoxLayout()
        self.list_layout.setSpacing(10)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addLayout(self.list_layout)

    def _publish(self, changes: ChangeSummary) -> None:
        """Tell the views showing these records; this one shows its own change already."""
        self.bus.publish(changes, initiator=self)

    def show_visit(self, visit: VisitDetail, *, editable: bool) -> None:
        """Show the earlier items of this visit (hidden when there are none)."""
        self.visit = visit
        self._editable = editable
        while self.list_layout.count():
            widget = self.list_layout.takeAt(0).widget()
            if widget is not None:
                widget.hide()  # at once: deleteLater alone leaves it drawn until the next loop
                widget.deleteLater()
        self.buttons.clear()
        self.outcome_labels.clear()
        self._blocks.clear()
        for item in visit.earlier_open_items:
            self.list_layout.addWidget(self._item_block(item, visit, editable=editable))
        self.setVisible(bool(visit.earlier_open_items))

    def _rewrite(self) -> None:
        if self.visit is not None:
            self.show_visit(self.visit, editable=self._editable)

    def _item_block(self, item: ActionItemView, visit: VisitDetail, *, editable: bool) -> QWidget:
        """One earlier next step: what, who and when, then its three buttons."""
        block = QWidget()
        layout = QVBoxLayout(block)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        when = f"agreed {medium_date(item.visit_date)}" if item.visit_date else ""
        due = f"due {medium_date(item.due)}" if item.due else "no due date"
        late = item.overdue_on(visit.starts_at.date())
        if late:
            due = f"<span style='color:{hex_colour('danger')}'><b>{due}, overdue</b></span>"
        facts = " · ".join(filter(None, (_escape(item.owner or ""), due, when)))
        text = QLabel(f"{_escape(item.text or '(no text)')}<br><small>{facts}</small>")
        text.setWordWrap(True)
        layout.addWidget(text)
        row = QHBoxLayout()
        outcome = outcome_of(item, visit.id)
        status = QLabel(OUTCOME_TEXT[outcome] if outcome else "")
        status.setObjectName("subtle")
        row.addWidget(status, 1)
        self.outcome_labels[item.id] = status
        choices = FlowLayout(spacing=2)  # as the row spaced them; wraps where the column is narrow
        row.addLayout(choices)
        for key, label in BUTTONS:
            button = QPushButton(label)
            button.setCheckable(True)
            button.setChecked(outcome == key)
            button.setEnabled(editable)
            button.setAccessibleName(f"{label}: {item.text}")
            button.clicked.connect(lambda _checked, i=item.id, k=key: self.record(i, k))
            choices.addWidget(button)
            self.buttons[(item.id, key)] = button
            self._blocks[button] = block
            button.installEventFilter(self)
        layout.addLayout(row)
        return block

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.FocusIn and watched in self._blocks:
            # Tab reached an item's buttons: the column scrolls to show the whole item (what the
            # step is, who, when), not only the button.
            block, parent = self._blocks[watched], self.parentWidget()
            while parent is not None and not isinstance(parent, QScrollArea):
                parent = parent.parentWidget()
            if parent is not None:
                parent.ensureWidgetVisible(block, 0, 0)
        return super().eventFilter(watched, event)

    def record(self, item_id: str, outcome: str) -> None:
        """Record the outcome of an earlier item at this visit."""
        if self.visit is None:
            return
        try:
            changes = visits.follow_up(
                self.profile,
                item_id,
                at_visit=self.visit.id,
                outcome=outcome,
                on=self.visit.starts_at.date(),
            )
        except CoachdeskError as exc:
            dialogs.show_error(self, "Not saved", str(exc))
            return
        for key, _label in BUTTONS:
            self.buttons[(item_id, key)].setChecked(key == outcome)
        self.outcome_labels[item_id].setText(OUTCOME_TEXT[outcome])
        self._publish(changes)

    def shown_items(self) -> list[tuple[str, str]]:
        """(item id, outcome text) in the order shown."""
        return [(item_id, label.text()) for item_id, label in self.outcome_labels.items()]


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


__all__ = ["FollowUpPanel", "outcome_of"]
