"""Driving the window as a coach would: open it, open a school, start a visit, type answers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QDateTime, QObject
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from coachdesk.core.store.profile import open_profile
from coachdesk.ui.main_window import MainWindow
from coachdesk.ui.visits.finalize import PrivacyWarningDialog
from coachdesk.ui.visits.start_dialog import StartVisitDialog


def open_window(qtbot, profile_dir, *, size: tuple[int, int] | None = (1280, 800)):
    """The main window on this profile, shown (at this size, or its own) and exposed."""
    window = MainWindow(open_profile(profile_dir))
    qtbot.addWidget(window)
    if size is not None:
        window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    return window


def open_visit_page(qtbot, profile, visit_id: str):
    """A visit page on its own, shown at a laptop's size, with the visit open."""
    from coachdesk.ui.visits.visit_page import VisitPage

    page = VisitPage(profile)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    page.show_visit(visit_id)
    return page


def settle(qtbot) -> None:
    """Let the callbacks the synchronous pool queued run (they run when events are processed)."""
    # A short fixed drain on purpose: callers then assert that something did or did not happen,
    # and "did not" has no condition to wait for.
    for _ in range(5):
        QApplication.processEvents()
        qtbot.wait(5)


def open_school(window, program_code: str, *, index: int = 0):
    rows = [r for r in window.caseload.list_view.visible_rows() if r.program_code == program_code]
    row = sorted(rows, key=lambda r: r.school_name)[index]
    window.caseload.open_school(row.school_id)
    return window.caseload.school_page


def answer_start_dialog(scripted, visit_type: str, when: dt.datetime | None = None) -> None:
    """Make the next "Start a visit" dialog choose this type (and time) and press Start."""

    def handler(dialog):
        if isinstance(dialog, StartVisitDialog):
            dialog.choose(visit_type)
            if when is not None:
                dialog.when_edit.setDateTime(QDateTime(when))
            return QDialog.DialogCode.Accepted
        if isinstance(dialog, PrivacyWarningDialog):
            return QDialog.DialogCode.Accepted  # "Finalize anyway"
        return QDialog.DialogCode.Rejected

    scripted.dialog_handler = handler


def type_text(qtbot, form, path: str, text: str) -> None:
    """Type into a text, long-text or date answer and leave it (Tab), as a coach would."""
    target = form.field_row(path).input.focus_target()
    target.setFocus()
    qtbot.keyClicks(target, text)
    if hasattr(target, "editingFinished"):
        target.editingFinished.emit()


def tick(form, path: str, index: int = 0) -> None:
    """Tick one box of a select-multiple answer."""
    form.field_row(path).input.boxes[index][1].click()


def choose(form, path: str, value: str) -> None:
    """Choose an option of a select-one answer from its list."""
    combo = form.field_row(path).input.combo
    index = combo.findData(value)
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


class ChangeRecorder(QObject):
    """Hears every change published on a profile's bus, as any view would: `summaries` holds
    them in order, `initiators` who made each write."""

    def __init__(self, profile, parent: QObject | None = None) -> None:
        from coachdesk.core.record_types import ALL_RECORD_TYPES
        from coachdesk.ui.change_bus import bus_for

        super().__init__(parent)
        self.summaries: list = []
        self.initiators: list = []
        bus_for(profile).subscribe(self.heard, watching=ALL_RECORD_TYPES)

    def heard(self, changes, initiator) -> None:
        self.summaries.append(changes)
        self.initiators.append(initiator)

    def touched(self, record_type: str) -> bool:
        return any(c.touches(record_type) for c in self.summaries)


def publish_import(profile, changes) -> None:
    """Publish changes as an import does (no view made them), for the views to show."""
    from coachdesk.ui.change_bus import bus_for

    bus_for(profile).publish(changes, initiator=None)


@contextmanager
def focus_changes(qtbot, window, *, activate: bool = True) -> Iterator[list[QWidget]]:
    """Every control that takes the keyboard inside the block, in order (the window active,
    as a coach's is, so that Qt moves the keyboard as it does on a desktop): what a screen
    reader says, one control at a time. `activate=False` for a block that starts in another
    window (a popup) or with the window already made active."""
    settle(qtbot)
    if activate:
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
    focused: list[QWidget] = []

    def landed(_old, new) -> None:
        if new is not None:
            focused.append(new)

    app = QApplication.instance()
    app.focusChanged.connect(landed)
    try:
        yield focused
        settle(qtbot)
    finally:
        app.focusChanged.disconnect(landed)
