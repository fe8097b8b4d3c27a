"""Learning-walk capture: one classroom per screen, a key per rating, a running tally.

Built for walking between rooms with a laptop on one arm: the keys 1 observed, 2 partly,
3 not observed and 0 not applicable rate the highlighted look-for and move to the next; Up and
Down move the highlight; E writes evidence for it (Esc or Enter comes back); Page Down goes to
the next classroom (adding one after the last) and Page Up back. Classrooms are numbered only.

It edits the classrooms repeat of a learning-walk response and sends the same
`answer_changed(path, value)` as FormView, so the caller autosaves both the same way.
"""

from __future__ import annotations

import copy
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QBoxLayout,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from coachdesk.core.forms import responses as rs
from coachdesk.core.forms.model import FieldDef, FormDefinition
from coachdesk.core.forms.walks import look_fors, summarize_walk
from coachdesk.ui.flow_layout import FlowLayout
from coachdesk.ui.forms.choice_inputs import CHOICE_ROLE, RATING_KEYS
from coachdesk.ui.style import hex_colour, on_scheme_change, set_role

STACK_TALLY_BELOW = 900  # narrower than this (a 1024-pixel laptop), the tally goes under
GAP = 16  # between the screen's parts, and between the controls of a line


class LookForRow(QFrame):
    def __init__(self, field: FieldDef, evidence: FieldDef | None) -> None:
        super().__init__()
        self.field = field
        self.evidence_field = evidence
        self.setObjectName("lookFor")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(4)
        self.label = QLabel(field.label)
        self.label.setWordWrap(True)
        font = self.label.font()
        font.setBold(True)
        self.label.setFont(font)
        layout.addWidget(self.label)
        buttons = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for choice in field.choices.choices if field.choices else ():
            key = RATING_KEYS.get(choice.name, "")
            button = QPushButton(f"{key}  {choice.label}" if key else choice.label)
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys go to the capture screen
            button.setAccessibleName(f"{choice.label} (key {key})" if key else choice.label)
            button.setAccessibleDescription(field.label)
            button.setMinimumWidth(120)
            button.setProperty("role", CHOICE_ROLE)
            buttons.addWidget(button)
            self.buttons[choice.name] = button
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.evidence: QLineEdit | None = None
        if evidence is not None:
            self.evidence = QLineEdit()
            self.evidence.setPlaceholderText("Evidence: what you saw or heard (E to write here)")
            self.evidence.setAccessibleName(f"Evidence for: {field.label}")
            layout.addWidget(self.evidence)

    def show_rating(self, value: Any) -> None:
        for name, button in self.buttons.items():
            button.setChecked(name == value)

    def set_current(self, flag: bool) -> None:
        """Outline and tint the look-for being rated (colours: QFrame#lookFor in style.py)."""
        if self.property("current") != flag:
            self.setProperty("current", flag)
            self.style().unpolish(self)
            self.style().polish(self)
            for child in self.findChildren(QWidget):
                child.style().unpolish(child)
                child.style().polish(child)
            self.update()


class LearningWalkCapture(QWidget):
    """See the module docstring."""

    answer_changed = Signal(str, object)

    def __init__(
        self,
        definition: FormDefinition,
        response: dict[str, Any] | None = None,
        *,
        repeat_name: str | None = None,
        read_only: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        repeats = [r for r in definition.repeats("classrooms") if repeat_name in (None, r.name)]
        if not repeats:
            raise ValueError(f"{definition.key} has no classrooms repeat")
        self.definition = definition
        self.repeat = repeats[0]
        self.read_only = read_only
        self._response: dict[str, Any] = copy.deepcopy(response or {})
        self._fields = look_fors(definition, self.repeat)
        children = {c.name: c for c in _inputs(self.repeat)}
        self._evidence = {c.evidence_for: c for c in children.values() if c.evidence_for}
        self._grade = next((c for c in children.values() if c.bind == "classroom.grade_band"), None)
        self._area = next(
            (c for c in children.values() if c.bind == "classroom.content_area"), None
        )
        self._index = 0
        self._current = 0
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Learning walk capture")
        self._build()
        if not self._rows() and not read_only:
            self.new_classroom()
        self._show()
        on_scheme_change(self._show)  # the tally's note is written in a colour

    # --- building ---------------------------------------------------------------------------

    def _build(self) -> None:
        # The tally sits beside the look-fors on a wide screen and under them on a narrow one.
        outer = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._outer = outer
        self._viewport: QWidget | None = None
        outer.setContentsMargins(16, 12, 16, 12)
        outer.setSpacing(GAP)
        left = QVBoxLayout()
        self._left = left
        top = QHBoxLayout()
        self.title = QLabel()
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.title.setFont(font)
        top.addWidget(self.title, 1)
        self.previous_button = QPushButton("◀ Previous (PgUp)")
        self.next_button = QPushButton("Next (PgDn) ▶")
        # Beside the title; one under the other where the line is short (twice the text on a
        # small laptop), so the look-fors never need more than the screen's width.
        steps = FlowLayout(spacing=GAP)
        for button in (self.previous_button, self.next_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            steps.addWidget(button)
        top.addLayout(steps)
        self.previous_button.clicked.connect(self.previous_classroom)
        self.next_button.clicked.connect(self.next_classroom)
        left.addLayout(top)
        self.progress = QLabel()
        self.progress.setObjectName("subtle")
        left.addWidget(self.progress)
        context = FlowLayout(spacing=GAP, left=True)  # the area under the grade if need be
        self.grade_combo = self._combo(self._grade, context)
        self.area_combo = self._combo(self._area, context)
        left.addLayout(context)
        self.rows: list[LookForRow] = []
        for index, field in enumerate(self._fields):
            row = LookForRow(field, self._evidence.get(field.name))
            for name, button in row.buttons.items():
                button.clicked.connect(lambda _c, i=index, n=name: self.rate(n, look_for=i))
            if row.evidence is not None:
                row.evidence.textEdited.connect(lambda _t, i=index: self._evidence_edited(i))
                row.evidence.installEventFilter(self)
            left.addWidget(row)
            self.rows.append(row)
        left.addStretch(1)
        legend = QLabel(
            "Keys: 1 observed · 2 partly · 3 not observed · 0 N/A · ↑ ↓ look-for · "
            "E evidence · PgDn next classroom · PgUp previous"
        )
        legend.setObjectName("subtle")
        legend.setWordWrap(True)
        left.addWidget(legend)
        outer.addLayout(left, 3)
        self.tally = QLabel()
        self.tally.setWordWrap(True)
        self.tally.setTextFormat(Qt.TextFormat.RichText)
        self.tally.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.tally.setAccessibleName("Running tally")
        set_role(self.tally, "tally")
        self.tally.setMinimumWidth(240)
        outer.addWidget(self.tally, 2)
        for keys, action in (
            (QKeySequence.StandardKey.MoveToNextPage, self.next_classroom),
            (QKeySequence.StandardKey.MoveToPreviousPage, self.previous_classroom),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(action)

    def _combo(self, field: FieldDef | None, layout: FlowLayout) -> QComboBox | None:
        if field is None:
            return None
        pair = QWidget()  # the label and its choice stay on one line together
        line = QHBoxLayout(pair)
        line.setContentsMargins(0, 0, 0, 0)
        line.setSpacing(GAP)
        label = QLabel(field.label)
        combo = QComboBox()
        combo.addItem("Choose…", None)
        for choice in field.choices.choices if field.choices else ():
            combo.addItem(choice.label, choice.name)
        combo.setAccessibleName(field.label)
        combo.setMinimumWidth(200)
        label.setBuddy(combo)
        combo.activated.connect(lambda _i, f=field, c=combo: self._set(f.name, c.currentData()))
        combo.setEnabled(not self.read_only)
        line.addWidget(label)
        line.addWidget(combo)
        layout.addWidget(pair)
        return combo

    # --- state ------------------------------------------------------------------------------

    def _rows(self) -> list[dict[str, Any]]:
        return self._response.setdefault(self.repeat.name, [])

    def response(self) -> dict[str, Any]:
        """A copy of the response, classrooms included."""
        return copy.deepcopy(self._response)

    @property
    def classroom_index(self) -> int:
        """The classroom on screen (0-based)."""
        return self._index

    @property
    def current_look_for(self) -> int:
        return self._current

    def _set(self, child: str, value: Any) -> None:
        if self.read_only or not self._rows():
            return
        row = self._rows()[self._index]
        if row.get(child) == value:
            return
        row[child] = value
        self.answer_changed.emit(rs.row_path(self.repeat.name, self._index, child), value)
        self._show()

    def rate(self, rating: str, *, look_for: int | None = None) -> None:
        """Rate a look-for in this classroom (the highlighted one by default) and move on."""
        index = self._current if look_for is None else look_for
        if not 0 <= index < len(self._fields):
            return
        field = self._fields[index]
        current = self._rows()[self._index].get(field.name) if self._rows() else None
        self._current = index
        self._set(field.name, None if current == rating else rating)
        if look_for is None and current != rating:
            self._current = min(index + 1, len(self._fields) - 1)
        self._show()
        self.setFocus()

    def _evidence_edited(self, index: int) -> None:
        row = self.rows[index]
        if row.evidence is None or row.evidence_field is None:
            return
        self._current = index
        text = row.evidence.text() or None
        self._set(row.evidence_field.name, text)

    def new_classroom(self) -> None:
        """Add a classroom after the last and show it."""
        if self.read_only:
            return
        self._rows().append({})
        self._response = rs.apply_calculations(self.definition, self._response)
        self._index = len(self._rows()) - 1
        self._current = 0
        self.answer_changed.emit(self.repeat.name, copy.deepcopy(self._rows()))
        self._show()

    def next_classroom(self) -> None:
        """Show the next classroom; after the last one, start a new one."""
        if self._index + 1 < len(self._rows()):
            self._index += 1
            self._current = 0
            self._show()
        else:
            self.new_classroom()
        self.setFocus()

    def previous_classroom(self) -> None:
        if self._index > 0:
            self._index -= 1
            self._current = 0
            self._show()
        self.setFocus()

    # --- keys -------------------------------------------------------------------------------

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        text, key = event.text(), event.key()
        by_key = {v: k for k, v in RATING_KEYS.items()}
        if text in by_key and not self.read_only:
            self.rate(by_key[text])
        elif key == Qt.Key.Key_Down:
            self._current = min(self._current + 1, len(self._fields) - 1)
            self._show()
        elif key == Qt.Key.Key_Up:
            self._current = max(self._current - 1, 0)
            self._show()
        elif text.lower() == "e" and self.rows and self.rows[self._current].evidence is not None:
            self.rows[self._current].evidence.setFocus()
        else:
            super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self._viewport and event.type() == QEvent.Type.Resize:
            self._choose_direction()
            return False
        if event.type() == QEvent.Type.KeyPress and event.key() in (
            Qt.Key.Key_Escape,
            Qt.Key.Key_Return,
            Qt.Key.Key_Enter,
        ):
            self.setFocus()  # back to rating keys
            return True
        return super().eventFilter(watched, event)

    # --- showing ----------------------------------------------------------------------------

    def _show(self) -> None:
        rows = self._rows()
        count = len(rows)
        row = rows[self._index] if rows else {}
        self.title.setText(f"Classroom {self._index + 1} of {count}" if rows else "No classrooms")
        rated = sum(1 for f in self._fields if row.get(f.name))
        self.progress.setText(f"{rated} of {len(self._fields)} look-fors rated in this classroom")
        self.previous_button.setEnabled(self._index > 0)
        last = self._index + 1 >= count
        self.next_button.setText("New classroom (PgDn) ▶" if last else "Next (PgDn) ▶")
        self.next_button.setEnabled(not (last and self.read_only))
        for combo, field in ((self.grade_combo, self._grade), (self.area_combo, self._area)):
            if combo is not None and field is not None:
                found = combo.findData(row.get(field.name))
                combo.setCurrentIndex(max(found, 0))
        for index, look_for in enumerate(self.rows):
            look_for.show_rating(row.get(look_for.field.name))
            look_for.set_current(index == self._current)
            if look_for.evidence is not None and look_for.evidence_field is not None:
                wanted = row.get(look_for.evidence_field.name) or ""
                if look_for.evidence.text() != wanted:
                    look_for.evidence.setText(wanted)
                look_for.evidence.setReadOnly(self.read_only)
            for button in look_for.buttons.values():
                button.setEnabled(not self.read_only)
        self.tally.setText(self._tally_html())
        QTimer.singleShot(0, self, self._keep_current_in_view)  # not after the widget is gone

    def _keep_current_in_view(self) -> None:
        """Scroll the page (when it scrolls) so the look-for being rated is in full view."""
        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        if parent is not None and 0 <= self._current < len(self.rows):
            parent.ensureWidgetVisible(self.rows[self._current], 0, 12)

    def _scroll_area(self) -> QScrollArea | None:
        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        return parent

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        scroll = self._scroll_area()
        if scroll is not None and self._viewport is None:
            # In a scroll area this widget never gets narrower than its minimum: the width
            # there is to be had is the viewport's.
            self._viewport = scroll.viewport()
            self._viewport.installEventFilter(self)
        self._choose_direction()
        super().showEvent(event)

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        self._choose_direction()
        super().resizeEvent(event)

    def _choose_direction(self) -> None:
        """The tally beside the look-fors when both fit the width there is, else below them."""
        available = self._viewport.width() if self._viewport is not None else self.width()
        margins = self._outer.contentsMargins()
        side_by_side = (
            self._left.minimumSize().width()
            + self.tally.minimumSizeHint().width()
            + self._outer.spacing()
            + margins.left()
            + margins.right()
        )
        narrow = available < max(STACK_TALLY_BELOW, side_by_side)
        direction = QBoxLayout.Direction.TopToBottom if narrow else QBoxLayout.Direction.LeftToRight
        if self._outer.direction() != direction:
            self._outer.setDirection(direction)

    def _tally_html(self) -> str:
        summary = summarize_walk(self.definition, self._response, self.repeat.name)
        lines = [f"<b>Running tally</b> · {summary.classrooms} classroom(s)<br>"]
        for tally in summary.overall:
            if tally.share_observed is None:
                figure = "not yet seen"
            else:
                figure = (
                    f"<b>{tally.observed} of {tally.seen}</b> observed "
                    f"({tally.share_observed:.0%}) · {tally.partly} partly"
                )
            if tally.not_applicable:
                figure += f" · {tally.not_applicable} N/A"
            lines.append(f"<p style='margin:6px 0'>{_escape(tally.label)}<br>{figure}</p>")
        lines.append(
            f"<p style='color:{hex_colour('subtle')}'>Share observed counts observed only; "
            "partly is shown "
            "apart and N/A is left out.</p>"
        )
        return "".join(lines)

    def tally_text(self) -> str:
        """The running tally as plain text (what the side panel says)."""
        return self.tally.text().replace("<br>", "\n")


def _inputs(field: FieldDef) -> list[FieldDef]:
    found: list[FieldDef] = []
    for child in field.children:
        found.extend(_inputs(child) if child.type == "group" else [child])
    return found


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
