"""The Conflicts view: fields edited on two laptops at once, side by side, resolved by a choice
or by the merged text.

    view = ConflictsView(profile); window.add_area("conflicts", "Conflicts", view)

It listens on the change bus for every synced record type (an import can bring a conflict on
any of them, and an edit can settle one), and reads the list again when next shown.

`ConflictBadge` sits on the school and visit pages (DESIGN section 5): it shows how many fields of
the record are in conflict (`conflicts.record_conflicts`, `conflicts.visit_conflicts`) and opens
this view when pressed.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from coachdesk.core.changes import ChangeSummary
from coachdesk.core.errors import CoachdeskError
from coachdesk.core.record_types import SYNCED_RECORD_TYPES
from coachdesk.core.store.profile import Profile
from coachdesk.sync import conflicts
from coachdesk.ui import dialogs
from coachdesk.ui.change_bus import bus_for
from coachdesk.ui.style import set_role
from coachdesk.ui.work import run_in_background


class ConflictBadge(QPushButton):
    """'⚠ 2 conflicts' on a record's page when fields of it were edited on two laptops at once;
    hidden otherwise. Pressing it opens the Conflicts area (`clicked`)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        set_role(self, "note")  # a warning's colours, in light and dark (style.py)
        self.setFlat(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.show_fields(())

    def show_fields(self, fields: tuple[str, ...]) -> None:
        count = len(fields)
        self.setVisible(bool(count))
        self.setText(f"⚠ {count} conflict{'s' if count != 1 else ''}")
        names = ", ".join(f.replace("_", " ") for f in fields)
        self.setToolTip(
            f"Edited on two laptops at once: {names}. Press to resolve under Conflicts."
        )
        self.setAccessibleName(self.toolTip())


class ConflictsView(QWidget):
    def __init__(self, profile: Profile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.profile = profile
        self.setAccessibleName("Conflicts")  # a named region for a screen reader
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h2>Conflicts</h2>"))
        self.empty = QLabel("No conflicts: every field has one current version.")
        layout.addWidget(self.empty)
        splitter = QSplitter()
        self.list = QListWidget()
        self.list.setAccessibleName("Fields in conflict")
        self.list.setWordWrap(True)
        self.list.setSpacing(3)  # two-line entries read apart
        self.list.currentItemChanged.connect(lambda item, _old: self._open(item))
        splitter.addWidget(self.list)
        self.detail = QScrollArea()
        self.detail.setWidgetResizable(True)
        # Not a Tab stop of its own: Tab goes from the list to the versions and their buttons.
        self.detail.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([280, 620])
        layout.addWidget(splitter, 1)
        self.current: conflicts.ConflictDetail | None = None
        self.proposal_edit: QPlainTextEdit | None = None
        self.problem: QLabel | None = None  # why the last choice was refused, on the open page
        self._stale = False
        self._focus_list = False  # a choice was made from the keyboard: the list comes next
        bus_for(profile).subscribe(self.on_changed, watching=SYNCED_RECORD_TYPES)
        self.refresh()

    def refresh(self) -> None:
        run_in_background(
            self, lambda: conflicts.list_conflicts(self.profile), on_success=self._show_list
        )

    def on_changed(self, changes: ChangeSummary, initiator: object) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True  # read when next shown, not on every autosave elsewhere

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        if self._stale:
            self._stale = False
            self.refresh()
        super().showEvent(event)

    def _show_list(self, listed: list[conflicts.ConflictSummary]) -> None:
        self.list.clear()
        self.empty.setVisible(not listed)
        for c in listed:
            # What the coach recognises first: an answer's label, then where it is.
            if c.record_type == conflicts.ANSWER:
                text = f"{c.field_label} ({c.versions} versions)\n{c.record_label}"
            else:
                text = f"{c.record_label}: {c.field_label} ({c.versions} versions)"
            item = QListWidgetItem(text)
            item.setToolTip(text)
            item.setData(Qt.ItemDataRole.UserRole, (c.record_type, c.record_id, c.field))
            self.list.addItem(item)
        if listed:
            self.list.setCurrentRow(0)
        else:
            self.detail.setWidget(QWidget())
        if self._focus_list:  # the page the choice was made on is gone: the next conflict
            self._focus_list = False
            self.list.setFocus(Qt.FocusReason.OtherFocusReason)

    def _open(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        key = item.data(Qt.ItemDataRole.UserRole)
        run_in_background(
            self,
            lambda: conflicts.conflict_detail(self.profile, *key),
            on_success=self._show_detail,
        )

    def _show_detail(self, detail: conflicts.ConflictDetail) -> None:
        self.current = detail
        page = QWidget()
        layout = QVBoxLayout(page)
        s = detail.summary
        if s.record_type == conflicts.ANSWER:
            title = QLabel(f"<b>{html.escape(s.field_label)}</b> — {html.escape(s.record_label)}")
            title.setAccessibleName(f"The answer to {s.field_label} in {s.record_label}")
        else:
            title = QLabel(f"<b>{html.escape(s.record_label)}</b> — {html.escape(s.field_label)}")
        title.setWordWrap(True)
        layout.addWidget(title)
        note = QLabel(
            "These versions were written on different laptops without either seeing the other. "
            "The record shows the newest until you choose. Nothing is lost: the versions you do "
            "not keep stay in the history."
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        side_by_side = QHBoxLayout()
        # Boxes as tall as the longest version (up to ten lines, then they scroll), so the
        # merged text and its button stay in view on a small screen.
        lines = min(10, max(_lines(v.text) for v in detail.versions) + 1)
        for version in detail.versions:
            box = self._version_box(version)
            _fit(box.findChild(QPlainTextEdit), lines)
            side_by_side.addWidget(box)
        layout.addLayout(side_by_side)
        if detail.base is not None:
            before = QLabel(f"Before both edits it read: {detail.base.text}")
            before.setWordWrap(True)
            before.setTextFormat(Qt.TextFormat.PlainText)
            layout.addWidget(before)
        self.proposal_edit = None
        if detail.proposal is not None:
            box = QGroupBox(
                "Both edits merged"
                if detail.proposal_clean
                else "Both edits merged — fix the marked part before keeping it"
            )
            inner = QVBoxLayout(box)
            self.proposal_edit = QPlainTextEdit(detail.proposal)
            self.proposal_edit.setAccessibleName("Merged text")
            self.proposal_edit.setTabChangesFocus(True)  # Tab goes on to its button
            _fit(self.proposal_edit, min(14, _lines(detail.proposal) + 2))
            inner.addWidget(self.proposal_edit)
            keep = QPushButton("Keep the merged text")
            keep.setAccessibleName("Keep the merged text")
            keep.setAutoDefault(True)  # Enter presses it, as Space does
            keep.clicked.connect(lambda: self.resolve(self.proposal_edit.toPlainText()))
            inner.addWidget(keep)
            layout.addWidget(box)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        set_role(self.problem, "error")
        self.problem.setAccessibleName("Why that was not kept")
        self.problem.hide()
        layout.addWidget(self.problem)
        layout.addStretch(1)
        self.detail.setWidget(page)

    def _version_box(self, version: conflicts.ConflictVersion) -> QGroupBox:
        shown = " — shown now" if version.shown else ""
        box = QGroupBox(f"{version.written_by}, {version.written_at}{shown}")
        inner = QVBoxLayout(box)
        text = QPlainTextEdit(version.text)
        text.setReadOnly(True)
        text.setAccessibleName(f"Version by {version.written_by}")
        inner.addWidget(text)
        keep = QPushButton(f"Keep {version.written_by}'s version")
        keep.setAccessibleName(keep.text())
        keep.setAutoDefault(True)  # Enter presses it, as Space does
        keep.clicked.connect(lambda: self.resolve(version.value))
        if not version.readable:  # a damaged answer: never written back as a choice
            keep.setEnabled(False)
            keep.setToolTip("This version cannot be read, so it cannot be kept")
        inner.addWidget(keep)
        return box

    def resolve(self, value: Any) -> None:
        """Keep `value` for the open conflict."""
        detail = self.current
        if detail is None:
            return
        s = detail.summary
        run_in_background(
            self,
            lambda: conflicts.resolve_conflict(
                self.profile, s.record_type, s.record_id, s.field, value
            ),
            on_success=self._resolved,
            on_failure=self._refused,
        )

    def _refused(self, exc: BaseException) -> None:
        """A refused choice: its sentence on the page, and the merged text as typed."""
        if isinstance(exc, CoachdeskError) and self.problem is not None:
            self.problem.setText(str(exc))
            self.problem.show()
        else:
            dialogs.show_error(self, "That was not kept", dialogs.describe(exc))

    def _resolved(self, changes: ChangeSummary) -> None:
        focus = QApplication.focusWidget()
        self._focus_list = focus is not None and self.detail.isAncestorOf(focus)
        bus_for(self.profile).publish(changes, initiator=self)
        self.refresh()


def _lines(text: str) -> int:
    """About how many lines a text takes in a version's box (long lines wrap)."""
    return sum(1 + len(line) // 48 for line in text.split("\n"))


def _fit(edit: QPlainTextEdit | None, lines: int) -> None:
    if edit is not None:
        edit.setFixedHeight(edit.fontMetrics().lineSpacing() * max(lines, 2) + 14)
