"""In the visit editor, a line on each answer that is in conflict, before the coach types:

    ⚠ Lee's version of this answer differs (edited on two laptops). Both are kept until you
      choose under Conflicts. Open Conflicts   (a link)

An edit of such an answer is made on the version the note shows; the other laptop's version
stays (core/store/changelog.py), so the line stays until the coach chooses under Conflicts.
Pressing it opens the Conflicts area.

    notes = ConflictNotes(open_conflicts=page.open_conflicts.emit)
    notes.show_on(form, conflicts.answer_conflicts(profile, visit_id))
"""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QWidget

from coachdesk.sync.conflicts import AnswerConflict
from coachdesk.ui.forms import FormView
from coachdesk.ui.forms.rows import FieldRow
from coachdesk.ui.style import set_role


def note_text(conflict: AnswerConflict) -> str:
    """The line's words: whose version differs, and what happens to it."""
    who = " and ".join(conflict.others) or "another laptop"
    owner = "Your other version" if who == "this laptop" else f"{who}'s version"
    return (
        f"⚠ {owner} of this answer differs (edited on two laptops). Both are kept until you "
        "choose under Conflicts."
    )


class ConflictNote(QLabel):
    """One answer's conflict line, in the warning colours, with a link to Conflicts: one Tab
    stop, where Enter or Space opens Conflicts (a label's links alone took a second Tab, and
    Enter did nothing on the first)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        set_role(self, "note")  # a warning's colours, in light and dark (style.py)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setContentsMargins(6, 3, 6, 3)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.linkActivated.emit("conflicts")
            return
        super().keyPressEvent(event)

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: N802, A002 - Qt override
        return QWidget.focusNextPrevChild(self, next)  # Tab leaves, not to the link inside

    def show_conflict(self, conflict: AnswerConflict) -> None:
        words = note_text(conflict)
        self.setText(f'{html.escape(words, quote=False)} <a href="conflicts">Open Conflicts</a>')
        self.setAccessibleName(f"{conflict.field_label}: in conflict. {words[2:]}")
        self.setToolTip("Compare the versions and choose under Conflicts")
        self.show()


class ConflictNotes:
    """The conflict lines of one form: added to the rows of answers in conflict, hidden when an
    answer is no longer in conflict."""

    def __init__(self, open_conflicts: Callable[[], None]) -> None:
        self.open_conflicts = open_conflicts
        self.notes: dict[str, ConflictNote] = {}
        self.form: FormView | None = None

    def show_on(self, form: FormView | None, found: dict[str, AnswerConflict]) -> None:
        if form is not self.form:  # a new form: its rows are new too
            self.notes = {}
            self.form = form
        if form is None:
            return
        for name, note in self.notes.items():
            note.setVisible(name in found)
        for name, conflict in found.items():
            note = self.notes.get(name) or self._add(form, name)
            if note is not None:
                note.show_conflict(conflict)

    def _add(self, form: FormView, name: str) -> ConflictNote | None:
        try:
            row: QWidget = form.field_row(name)
            at = 1  # under the label
        except KeyError:
            try:
                row = form.repeat_block(name)
                at = 1
            except KeyError:
                return None  # a field the form does not show (the header badge names it)
        layout = row.layout()
        if layout is None:
            return None
        note = ConflictNote(row)
        note.linkActivated.connect(lambda _link: self.open_conflicts())
        layout.insertWidget(min(at, layout.count()), note)  # type: ignore[attr-defined]
        # Tab reaches the line just before its answer, where it shows (made later, it came last).
        answer = row.input.focus_target() if isinstance(row, FieldRow) else row.add_button
        QWidget.setTabOrder(answer.previousInFocusChain(), note)
        QWidget.setTabOrder(note, answer)
        self.notes[name] = note
        return note
