"""FormView: renders a FormDefinition with a response dict, for entry or read-only.

    view = FormView(definition, response, read_only=False)
    view.answer_changed.connect(lambda path, value: autosave(view.response()))

Every edit by the coach sends `answer_changed(path, value)`; a repeat row added or removed sends
the repeat's name with the whole list of rows. Relevance hides and shows fields live, refused
answers get their constraint message next to the field, and `show_problems()` also marks the
required fields still empty (call it when the coach finalizes). Nothing here touches a database.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from coachdesk.core.forms import responses as rs
from coachdesk.core.forms.evaluation import is_empty
from coachdesk.core.forms.model import FieldDef, FormDefinition
from coachdesk.core.forms.privacy import scan_classroom_text, scan_text
from coachdesk.ui import dialogs, work
from coachdesk.ui.forms.rows import FieldRow, NoteRow, RepeatBlock, Section

_CONTENT_WIDTH = 860
_SCAN_IN_BACKGROUND = 20_000  # characters


class FormView(QScrollArea):
    """A scrollable form; see the module docstring."""

    answer_changed = Signal(str, object)

    def __init__(
        self,
        definition: FormDefinition,
        response: dict[str, Any] | None = None,
        *,
        read_only: bool = False,
        today: dt.date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.definition = definition
        self.read_only = read_only
        self.today = today
        self._response: dict[str, Any] = copy.deepcopy(response or {})
        self._show_required = False
        self._rows: dict[str, QWidget] = {}  # path -> FieldRow, NoteRow, Section or RepeatBlock
        self._repeats: dict[str, RepeatBlock] = {}
        self._inputs: dict[str, FieldRow] = {}
        self._scanned: dict[str, tuple[str, str]] = {}  # path -> (answer scanned, warning)
        self.setWidgetResizable(True)
        self.setAccessibleName(definition.title)
        # Not a Tab stop of its own: Tab goes from the page's controls to the first answer, and
        # the scroll area brings each answer into view as it takes the focus.
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        page = QWidget()
        outer = QHBoxLayout(page)
        outer.setContentsMargins(24, 16, 24, 24)
        self._content = QWidget()
        self._content.setMaximumWidth(_CONTENT_WIDTH)
        self._layout = QVBoxLayout(self._content)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        outer.addWidget(self._content, 1)
        outer.addStretch(0)
        self._header()
        self._build(definition.fields, self._layout, None, None)
        self._layout.addStretch(1)
        self.setWidget(page)  # after building, so the scroll area sizes it to its contents
        if not read_only:
            self._response = rs.apply_calculations(definition, self._response, today=today)
        self._fill_inputs()
        self._refresh()

    # --- building --------------------------------------------------------------------------

    def _header(self) -> None:
        title = QLabel(self.definition.title)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        title.setFont(font)
        title.setWordWrap(True)  # a long title at twice the text on a small laptop
        self._layout.addWidget(title)
        notes = [self.definition.description] if self.definition.description else []
        notes.append(
            "Read-only: this note is shown with the form it was written in."
            if self.read_only
            else "Fields marked * are needed before the note can be finalized."
        )
        sub = QLabel("  ".join(notes))
        sub.setWordWrap(True)
        sub.setObjectName("subtle")
        self._layout.addWidget(sub)

    def _build(
        self, fields: tuple[FieldDef, ...], layout: QVBoxLayout, repeat: str | None, row: int | None
    ) -> None:
        line: QHBoxLayout | None = None  # short fields share a line, up to three abreast
        matrix = _matrix_fields(fields)
        for field in fields:
            if not _is_short(field) or field.name in matrix:
                line = None
            path = (
                field.name
                if repeat is None or row is None
                else rs.row_path(repeat, row, field.name)
            )
            if field.type == "group":
                section = Section(field, path)
                self._build(field.children, section.body, repeat, row)
                layout.addWidget(section)
                self._rows[path] = section
            elif field.type == "repeat":
                block = RepeatBlock(field)
                block.add_button.setVisible(not self.read_only)
                block.add_requested.connect(lambda f=field: self.add_row(f.name))
                block.remove_requested.connect(lambda i, f=field: self._ask_remove(f.name, i))
                layout.addWidget(block)
                self._rows[path] = block
                self._repeats[field.name] = block
                self._build_rows(field)
            elif field.type == "note":
                note = NoteRow(field, path)
                layout.addWidget(note)
                self._rows[path] = note
            else:
                field_row = FieldRow(field, path, inline=field.name in matrix)
                field_row.input.set_read_only(self.read_only)
                field_row.input.changed.connect(lambda value, p=path: self._changed(p, value))
                for widget in [field_row.input, *field_row.input.findChildren(QWidget)]:
                    widget.installEventFilter(self)
                if _is_short(field) and field.name not in matrix:
                    if line is None or line.count() > _SHORT_PER_LINE:
                        line = QHBoxLayout()
                        line.setSpacing(24)
                        line.addStretch(1)
                        layout.addLayout(line)
                    line.insertWidget(line.count() - 1, field_row, 0, Qt.AlignmentFlag.AlignTop)
                else:
                    layout.addWidget(field_row)
                self._rows[path] = field_row
                self._inputs[path] = field_row

    def _build_rows(self, field: FieldDef) -> None:
        block = self._repeats[field.name]
        for path in [p for p in self._rows if p.startswith(f"{field.name}[")]:
            self._rows.pop(path)
            self._inputs.pop(path, None)
        block.clear()
        rows = self._response.get(field.name) or []
        for index in range(len(rows)):
            frame = block.add_frame(index, read_only=self.read_only)
            self._build(field.children, frame.body, field.name, index)
        block.empty.setVisible(not rows)

    def _fill_inputs(self) -> None:
        for path, row in self._inputs.items():
            row.input.set_value(rs.answer_at(self._response, path))

    # --- keyboard ---------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.KeyPress and event.key() in (
            Qt.Key.Key_Return,
            Qt.Key.Key_Enter,
        ):
            multiline = isinstance(watched, QPlainTextEdit)
            ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
            if isinstance(watched, QLineEdit | QComboBox | QCheckBox | QPushButton) or (
                multiline and ctrl
            ):
                if isinstance(watched, QLineEdit):
                    watched.editingFinished.emit()
                self.focusNextChild()  # Enter moves on; in long text, Ctrl+Enter does
                return True
        return super().eventFilter(watched, event)

    # --- answers ----------------------------------------------------------------------------

    def response(self) -> dict[str, Any]:
        """A copy of the answers as they stand (waiting long-text edits included)."""
        for row in self._inputs.values():
            row.input.flush()
        return copy.deepcopy(self._response)

    def set_response(self, response: dict[str, Any]) -> None:
        """Show another response (e.g. after a merge); sends no change signals."""
        self._response = copy.deepcopy(response)
        for repeat in self._repeats.values():
            self._build_rows(repeat.field)
        self._fill_inputs()
        self._refresh()

    def _set_answer(self, path: str, value: Any) -> None:
        name, row, child = rs.split_path(path)
        if row is None:
            self._response[name] = value
        else:
            self._response[name][row][child] = value

    def _changed(self, path: str, value: Any) -> None:
        if self.read_only or rs.answer_at(self._response, path) == value:
            self._refresh_one(path)  # still show format problems (an unreadable date)
            return
        self._set_answer(path, value)
        self.answer_changed.emit(path, copy.deepcopy(value))
        self._recalculate()
        self._refresh()

    def add_row(self, repeat: str) -> int:
        """Add an empty row (with defaults) to a repeat; returns its index."""
        self.response()  # send a waiting long-text edit before the inputs are refilled
        field = self.definition.field(repeat)
        row = {c.name: c.default for c in _inputs_of(field) if c.default is not None}
        self._response.setdefault(repeat, []).append(row)
        self._after_rows_changed(field)
        index = len(self._response[repeat]) - 1
        first = next(iter(_inputs_of(field)), None)
        if first is not None:
            target = self._inputs.get(rs.row_path(repeat, index, first.name))
            if target is not None:
                target.input.focus_target().setFocus()
        return index

    def remove_row(self, repeat: str, index: int) -> None:
        """Remove one row of a repeat (no question asked)."""
        self.response()  # send a waiting long-text edit before the inputs are refilled
        rows = self._response.get(repeat) or []
        if 0 <= index < len(rows):
            del rows[index]
            self._after_rows_changed(self.definition.field(repeat))

    def _ask_remove(self, repeat: str, index: int) -> None:
        row = (self._response.get(repeat) or [{}])[index]
        if any(not is_empty(v) for v in row.values()):
            label = self.definition.field(repeat).label.lower()
            if not dialogs.confirm(
                self,
                f"Remove {label} {index + 1}?",
                f"This {label} has answers. Remove it and its answers?",
                yes="Remove",
            ):
                return
        self.remove_row(repeat, index)

    def _after_rows_changed(self, field: FieldDef) -> None:
        self._recalculate()
        self._build_rows(field)
        self._fill_inputs()
        self._refresh()
        self.answer_changed.emit(field.name, copy.deepcopy(self._response.get(field.name)))

    def _recalculate(self) -> None:
        before = self._response
        after = rs.apply_calculations(self.definition, before, today=self.today)
        for path, row in self._inputs.items():
            if row.field.calculation is None:
                continue
            old, new = rs.answer_at(before, path), rs.answer_at(after, path)
            row.input.set_value(new)
            if old != new:
                self.answer_changed.emit(path, new)
        self._response = after

    # --- problems ---------------------------------------------------------------------------

    def _refresh(self) -> None:
        shown = rs.relevance(self.definition, self._response, today=self.today)
        for path, widget in self._rows.items():
            widget.setVisible(shown.get(path, True))
        problems = {
            p.path: p
            for p in rs.check_response(
                self.definition, self._response, today=self.today, require=self._show_required
            )
        }
        for path, row in self._inputs.items():
            problem = problems.get(path)
            row.show_message(row.input.problem or (problem.message if problem else ""))
            if row.field.privacy == "no-student" or self._names_no_teacher(row):
                self._privacy(row)
        for name, block in self._repeats.items():
            problem = problems.get(name)
            block.show_message(problem.message if problem else "")

    def _refresh_one(self, path: str) -> None:
        row = self._inputs.get(path)
        if row is not None and row.input.problem:
            row.show_message(row.input.problem)

    def _names_no_teacher(self, row: FieldRow) -> bool:
        """A learning walk's text that must not name a teacher or a room (as finalize checks,
        core/forms/privacy.py scan_walk): not next steps, whose owners are adults by design."""
        if row.field.type not in ("text", "long_text") or row.field.is_internal:
            return False
        if not self.definition.repeats("classrooms"):
            return False
        repeat = self.definition.field(row.path.split("[", 1)[0]) if "[" in row.path else None
        return repeat is None or repeat.kind != "action_items"

    def _scan(self, row: FieldRow, value: str, today: dt.date) -> list:
        """(kind, message, start, end, advice) for what the note must not hold, in order."""
        found = []
        if row.field.privacy == "no-student":
            advice = "Notes never hold student names, initials, IDs or birth dates."
            found += [(*f, advice) for f in scan_text(value, today=today)]
        if self._names_no_teacher(row):
            advice = "A learning walk knows classrooms only by their visit number."
            found += [(*f, advice) for f in scan_classroom_text(value)]
        return sorted(found, key=lambda f: f[2])

    def _privacy(self, row: FieldRow) -> None:
        value = rs.answer_at(self._response, row.path)
        if not isinstance(value, str) or not value:
            row.show_privacy("")
            return
        cached = self._scanned.get(row.path)
        if cached is not None and cached[0] is value:
            row.show_privacy(cached[1])  # unchanged since the last scan (rows may be rebuilt)
            return
        if len(value) < _SCAN_IN_BACKGROUND:
            self._show_privacy(row, value, self._scan(row, value, self.today))
            return
        # A long paste is scanned off the GUI thread so typing never waits for it.
        today = self.today
        work.run_in_background(
            self,
            lambda: self._scan(row, value, today),
            on_success=lambda found: self._show_privacy(row, value, found),
        )

    def _show_privacy(self, row: FieldRow, value: str, found: list) -> None:
        if rs.answer_at(self._response, row.path) is not value:
            return  # the answer changed while it was being scanned; a newer scan follows
        text = ""
        if found:
            _kind, message, start, end, advice = found[0]
            more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
            text = f"Check before finalizing: “{value[start:end]}” {message}{more}. {advice}"
        self._scanned[row.path] = (value, text)
        row.show_privacy(text)

    def show_problems(self) -> list[rs.AnswerProblem]:
        """Mark refused and missing required answers; focus the first. Returns them."""
        self.response()  # send waiting long-text edits first
        self._show_required = True
        self._refresh()
        found = rs.check_response(self.definition, self._response, today=self.today)
        if found:
            self.focus_path(found[0].path)
        return found

    def focus_path(self, path: str) -> None:
        """Scroll to a field and put the cursor in it."""
        row = self._inputs.get(path)
        widget = row.input.focus_target() if row is not None else self._rows.get(path)
        if widget is not None:
            self.ensureWidgetVisible(widget)
            widget.setFocus()

    def field_row(self, path: str) -> FieldRow:
        """The row widget of an answer (for tests and for callers that decorate a field)."""
        return self._inputs[path]

    def repeat_block(self, name: str) -> RepeatBlock:
        return self._repeats[name]

    def is_shown(self, path: str) -> bool:
        """Whether the field at path is currently shown (relevance), regardless of scrolling."""
        widget = self._rows[path]
        return not widget.isHidden()


_SHORT_TYPES = ("integer", "decimal", "date", "time", "select_one")
_SHORT_PER_LINE = 3


def _is_short(field: FieldDef) -> bool:
    """A field whose input is narrow and label brief enough to sit beside others."""
    return field.type in _SHORT_TYPES and len(field.label) <= 32 and not field.hint


def _matrix_fields(fields: tuple[FieldDef, ...]) -> set[str]:
    """Names of select_one siblings sharing one choice list, three or more: shown as a grid."""
    by_list: dict[str, list[str]] = {}
    for field in fields:
        if field.type == "select_one" and field.choices is not None:
            by_list.setdefault(field.choices.name, []).append(field.name)
    return {name for names in by_list.values() if len(names) >= 3 for name in names}


def _inputs_of(field: FieldDef) -> list[FieldDef]:
    found: list[FieldDef] = []
    for child in field.children:
        if child.type == "group":
            found.extend(_inputs_of(child))
        elif child.is_input:
            found.append(child)
    return found
