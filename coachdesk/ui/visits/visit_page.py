"""The visit page: header, details, follow-up of earlier next steps, and the note's form.

Every answer saves as it is typed (see autosave.py); leaving the page saves what is waiting.
Opening a note writes nothing. What can change (a draft, a final note only after Amend, never a
note whose form version is no longer shipped or cannot be read) is decided in core
(`core/visits/life.py`) and only read here; a read-only note shows a banner saying why.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from coachdesk.core import schools, visits
from coachdesk.core.changes import ChangeSummary
from coachdesk.core.dates_text import clock_time, local_date, medium_date, time_span, weekday_date
from coachdesk.core.errors import CoachdeskError
from coachdesk.core.store.profile import Profile
from coachdesk.core.visits import STATUS_LABELS, VisitDetail
from coachdesk.core.visits.times import answers_from_times
from coachdesk.sync import conflicts
from coachdesk.ui import dialogs, shortcuts
from coachdesk.ui.announce import StatusAnnouncer, announce
from coachdesk.ui.change_bus import bus_for, initiator_is_inside
from coachdesk.ui.conflict_notes import ConflictNotes
from coachdesk.ui.flow_layout import FlowLayout
from coachdesk.ui.forms import FormView, LearningWalkCapture
from coachdesk.ui.visits.autosave import AnswerSaver
from coachdesk.ui.visits.details_panel import VisitDetailsPanel
from coachdesk.ui.visits.finalize import PrivacyWarningDialog, missing_text
from coachdesk.ui.visits.follow_up import FollowUpPanel

NARROW_WIDTH = 1000  # below this the details column starts hidden, behind a button
SHOWN_RECORDS = ("visit", "visit_answer", "action_item", "contact", "organization")


class VisitPage(QWidget):
    """One visit. Emits `back` (to the school); every save is published on the change bus."""

    back = Signal()
    open_conflicts = Signal()  # the coach pressed the conflict badge

    def __init__(self, profile: Profile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.profile = profile
        self.visit: VisitDetail | None = None
        self.school: schools.SchoolDetail | None = None
        self.form: FormView | None = None
        self.walk: LearningWalkCapture | None = None
        self.bus = bus_for(profile)
        self.bus.subscribe(self.on_changed, watching=SHOWN_RECORDS)
        self.saver = AnswerSaver(profile, self)
        self.saver.saved.connect(self._answers_saved)
        self.saver.failed.connect(self._save_failed)
        self.saver.pending_changed.connect(self._pending)

        self.back_button = QPushButton("← School")
        self.back_button.setToolTip("Back to the school (Alt+Left)")
        self.back_button.clicked.connect(self.leave)
        back = QShortcut(QKeySequence(Qt.Modifier.ALT | Qt.Key.Key_Left), self, self.leave)
        # Only while the coach is on this page: the school page has the same key for its back.
        back.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.title = QLabel()
        self.title.setObjectName("areaTitle")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.subtitle = QLabel()
        self.subtitle.setObjectName("subtle")
        from coachdesk.ui.conflicts_view import ConflictBadge

        self.conflict_badge = ConflictBadge()
        self.conflict_badge.clicked.connect(self.open_conflicts.emit)
        self.conflict_notes = ConflictNotes(self.open_conflicts.emit)  # on answers in conflict
        self.amended = QLabel()
        self.amended.setObjectName("errorText")
        self.saved_label = QLabel()
        self.saved_label.setObjectName("subtle")
        # Its name is what it says; the change is announced (coachdesk/ui/announce.py).
        self.saved_label.setAccessibleDescription("Save status")
        self.save_status = StatusAnnouncer(self.saved_label)
        self.saved_label.setMinimumWidth(110)
        self.walk_button = QPushButton("Walk mode")
        self.walk_button.setCheckable(True)
        self.walk_button.setToolTip("Rate classrooms one screen at a time, a key per rating")
        self.walk_button.toggled.connect(self.set_walk_mode)
        self.side_button = QPushButton("Details and follow-up")
        self.side_button.setCheckable(True)
        self.side_button.setChecked(True)
        self.side_button.setToolTip("Show or hide the visit details and earlier next steps")
        self.side_button.toggled.connect(self._show_side)
        self._narrow = False
        self.finalize_button = QPushButton("Finalize…")
        self.finalize_button.setToolTip(
            shortcuts.tip("Check the note and mark it final", "finalize")
        )
        self.finalize_button.clicked.connect(self.finalize)
        self.amend_button = QPushButton("Amend")
        self.amend_button.setToolTip("Reopen this final note; the final version stays in history")
        self.amend_button.clicked.connect(self.amend)
        self.print_button = QPushButton("Print summary…")
        # Ctrl+P belongs to the window's Visit menu (ui/visit_menu.py), which acts on this page.
        self.print_button.setToolTip(
            shortcuts.tip(
                "The principal's one-to-two page summary: preview, print or save as PDF",
                "print_summary",
            )
        )
        self.print_button.clicked.connect(self.print_summary)
        self.packet_button = QPushButton("Send packet…")
        self.packet_button.setToolTip(
            "One signed, encrypted file with this visit's records and its summary PDF, for your "
            "supervisor or a colleague"
        )
        self.packet_button.clicked.connect(self.send_packet)
        self.share_button = QPushButton("Mark as shared…")
        self.share_button.setToolTip("Record the day this final note reached the school")
        self.share_button.clicked.connect(self.mark_shared)

        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setProperty("role", "banner")  # colours: style.py
        self.banner.setAccessibleName("Read-only note")

        self.details = VisitDetailsPanel(profile)
        self.follow_up = FollowUpPanel(profile)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 6, 0)
        side_layout.addWidget(self.follow_up)
        side_layout.addWidget(self.details)
        side_layout.addStretch(1)
        side_scroll = QScrollArea()
        side_scroll.setWidgetResizable(True)
        side_scroll.setFrameShape(QFrame.Shape.NoFrame)
        side_scroll.setWidget(side)
        side_scroll.setMinimumWidth(320)
        side_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        # Not a Tab stop of its own (it has nothing to say): Tab goes to the controls inside it,
        # and the scroll area brings each one into view.
        side_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.side = side_scroll
        self.form_stack = QStackedWidget()
        self.no_form = QLabel()
        self.no_form.setWordWrap(True)
        self.no_form.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.no_form.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.form_stack.addWidget(self.no_form)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(side_scroll)
        self.splitter.addWidget(self.form_stack)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([360, 900])
        self.splitter.setCollapsible(1, False)

        # Title on its own line (school names are long); the actions sit under it, on the right.
        # Where the line is short (twice the text on a small laptop) the title and the visit's
        # type and time wrap onto a second line, whole.
        for label in (self.title, self.subtitle):
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            label.setWordWrap(True)
        top = QGridLayout()
        top.addWidget(self.back_button, 0, 0, Qt.AlignmentFlag.AlignVCenter)
        top.addWidget(self.title, 0, 1, 1, 2)
        facts = QVBoxLayout()
        facts.addWidget(self.subtitle)
        facts.addWidget(self.amended)
        facts.addWidget(self.conflict_badge, 0, Qt.AlignmentFlag.AlignLeft)
        top.addLayout(facts, 1, 1)
        actions = FlowLayout()  # wraps onto a second line when the window is narrow
        for widget in (
            self.saved_label,
            self.side_button,
            self.walk_button,
            self.amend_button,
            self.finalize_button,
            self.print_button,
            self.packet_button,
            self.share_button,
        ):
            actions.addWidget(widget)
        self._top, self._actions = top, actions
        self._actions_below = False
        top.addLayout(actions, 1, 2, Qt.AlignmentFlag.AlignTop)
        top.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)  # the window already has a margin
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(self.splitter, 1)

    # --- showing ----------------------------------------------------------------------------

    def show_visit(self, visit_id: str) -> None:
        """Show a visit (saving anything still waiting on the one shown before)."""
        self.flush()
        self.saver.set_visit(visit_id)
        self.visit = visits.get_visit(self.profile, visit_id)
        self.school = schools.get_school(self.profile, self.visit.school_id)
        self.saved_label.setText("Saves as you type" if self.writable else "")
        self.save_status.forget()
        self._build_form()
        self._show_header()
        if self._narrow:
            self.side_button.setChecked(self._side_wanted())

    def reload(self) -> None:
        """Show the stored visit again (after a change made elsewhere)."""
        if self.visit is None:
            return
        self.flush()
        self.visit = visits.get_visit(self.profile, self.visit.id)
        self._build_form()
        self._show_header()

    @property
    def writable(self) -> bool:
        """Whether the note can be changed now (core decides: `VisitDetail.permissions`)."""
        return self.visit is not None and self.visit.permissions.edit

    def _show_header(self) -> None:
        v = self.visit
        assert v is not None and self.school is not None
        self.title.setText(v.school_name)
        self.setAccessibleName(f"Visit: {v.type_label} at {v.school_name}")  # a named region
        self.conflict_badge.show_fields(conflicts.visit_conflicts(self.profile, v.id))
        self._show_answer_conflicts()
        # starts_at and ends_at are already the school's wall-clock times.
        when = f"{weekday_date(v.starts_at, year=True)}, {time_span(v.starts_at, v.ends_at)}"
        status = STATUS_LABELS.get(v.status, "")
        if v.shared_on is not None:  # the day it reached the school, not only that it did
            status = f"{status} {medium_date(v.shared_on)}"
        self.subtitle.setText(" · ".join((v.type_label, when, status)))
        self.amended.setVisible(v.status != "draft" and v.last_amended_at is not None)
        if v.amended_at is not None:
            self.amended.setText("Amending: finalize again when done")
        elif v.last_amended_at is not None:
            day = local_date(dt.datetime.fromisoformat(v.last_amended_at), self.school.tz)
            self.amended.setText(f"Amended {medium_date(day)} after finalizing")
        final = v.status != "draft"
        # Finalize shows whenever the note is open for changes; a visit that has not started yet
        # is refused with the day it can be finalized when the coach presses it.
        self.finalize_button.setVisible(v.permissions.edit)
        self.finalize_button.setText("Finalize again…" if final else "Finalize…")
        self.amend_button.setVisible(v.permissions.amend)
        self.share_button.setVisible(v.status == "final" and v.amended_at is None)
        has_walk = v.definition is not None and bool(v.definition.repeats("classrooms"))
        self.walk_button.setVisible(has_walk)
        if not v.editable:
            self.banner.setText(
                "Read-only. "
                + (
                    v.form_problem
                    or "This note was written on a version of its form that is no longer "
                    "shipped. It is shown exactly as written and cannot be changed."
                )
            )
        self.banner.setVisible(not v.editable)
        self.details.show_visit(v, self.school, editable=v.permissions.edit)
        self.follow_up.show_visit(v, editable=v.permissions.edit)
        self._follow_up_first()
        self._place_actions(self.width())

    def _follow_up_first(self) -> None:
        """Tab reaches the earlier next steps right after the page's actions, where they show
        (above the details): they are made anew for each visit, so they would come last."""
        previous: QWidget = self.share_button  # the last of the actions above them
        for button in self.follow_up.buttons.values():
            QWidget.setTabOrder(previous, button)
            previous = button

    def _build_form(self) -> None:
        v = self.visit
        assert v is not None
        self.walk_button.setChecked(False)
        self._drop_walk()
        if self.form is not None:
            self.form_stack.removeWidget(self.form)
            self.form.hide()
            self.form.deleteLater()
        self.form = None
        if v.definition is None:
            self.no_form.setText(_answers_text(v))
            self.form_stack.setCurrentWidget(self.no_form)
            return
        response = dict(v.response)
        self._prefill(response)
        self.form = FormView(
            v.definition, response, read_only=not self.writable, today=v.starts_at.date()
        )
        self.form.answer_changed.connect(self.saver.answer_changed)
        self.form_stack.addWidget(self.form)
        self.form_stack.setCurrentWidget(self.form)

    def _prefill(self, response: dict[str, Any]) -> None:
        """A new note's date field shows the visit's date, so the coach need not type it.

        Only shown: opening a note writes nothing. The date is the visit's own, so it is kept
        with the first real edit of it, and finalizing stores it with the other answers.
        """
        v = self.visit
        if v is None or v.definition is None or not self.writable:
            return
        for field in v.definition.fields:
            if field.bind == "visit.date" and not response.get(field.name):
                response[field.name] = v.starts_at.date().isoformat()

    # --- walk mode --------------------------------------------------------------------------

    def set_walk_mode(self, on: bool) -> None:
        """Show the learning-walk capture (one classroom per screen) or the whole form."""
        v = self.visit
        if v is None or v.definition is None or self.form is None:
            return
        if on:
            self._drop_walk()
            self.walk = LearningWalkCapture(
                v.definition, self.form.response(), read_only=not self.writable
            )
            self.walk.answer_changed.connect(self.saver.answer_changed)
            # On a small screen the capture scrolls rather than squeezing its rating buttons.
            self.walk.setMinimumHeight(self.walk.sizeHint().height())
            self.walk_scroll = QScrollArea()
            self.walk_scroll.setWidgetResizable(True)
            self.walk_scroll.setFrameShape(QFrame.Shape.NoFrame)
            self.walk_scroll.setWidget(self.walk)
            self.form_stack.addWidget(self.walk_scroll)
            self.form_stack.setCurrentWidget(self.walk_scroll)
            self.walk.setFocus()
            self.walk_button.setText("Back to the form")
        else:
            if self.walk is not None:
                self.form.set_response(self.walk.response())
                self._drop_walk()
            self.form_stack.setCurrentWidget(self.form)
            self.walk_button.setText("Walk mode")
        # Walking between rooms, the capture takes the whole page.
        self.side.setVisible(not on and self.side_button.isChecked())
        self.side_button.setVisible(not on)
        self.flush()

    def _drop_walk(self) -> None:
        """Remove the capture screen (a hidden page's minimum size would still count)."""
        if self.walk is None:
            return
        self.form_stack.removeWidget(self.walk_scroll)
        self.walk_scroll.hide()
        self.walk_scroll.deleteLater()
        self.walk = None

    # --- saving -----------------------------------------------------------------------------

    def flush(self) -> None:
        """Save every answer still waiting (long text being typed included)."""
        if self.form is not None and not self.form.read_only:
            self.form.response()  # a long-text box sends its waiting edit
        self.saver.flush()

    def leave(self) -> None:
        """Save what waits and go back to the school."""
        self.flush()
        self.back.emit()

    def _side_wanted(self) -> bool:
        """Details and follow-up show beside the form, or on a narrow window only when earlier
        next steps wait to be followed up (the coach reviews them first)."""
        if not self._narrow:
            return True
        v = self.visit
        if v is None or not self.writable:
            return False
        return any(i.reviewed_in_visit_id != v.id for i in v.earlier_open_items)

    def _show_side(self, on: bool) -> None:
        self.side.setVisible(on and not self.walk_button.isChecked())
        self._size_columns(self.width())

    def _size_columns(self, width: int) -> None:
        # The form gets the room; the details column keeps about a third, 320–400 pixels.
        side = max(320, min(400, int(width * 0.32)))
        self.splitter.setSizes([side, max(width - side, 100)])

    def _place_actions(self, width: int) -> None:
        # The visit's type and time must stay readable: when they and the buttons do not fit on
        # one line, the buttons move to a line of their own.
        subtitle = self.subtitle.fontMetrics().horizontalAdvance(self.subtitle.text())
        needed = (
            self.back_button.sizeHint().width()
            + subtitle  # on one line (a wrapping label's size hint is narrower)
            + self._actions.sizeHint().width()
            + 40
        )
        below = width < needed
        if below == self._actions_below:
            return
        self._actions_below = below
        self._top.removeItem(self._actions)
        if below:  # the whole width, under the back button too: fewer lines where it wraps
            self._top.addLayout(self._actions, 2, 0, 1, 3)
        else:
            self._top.addLayout(self._actions, 1, 2, Qt.AlignmentFlag.AlignTop)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        width = event.size().width()
        self._place_actions(width)
        narrow = width < NARROW_WIDTH
        if narrow != self._narrow:  # on a small screen the form comes first
            self._narrow = narrow
            self.side_button.setChecked(self._side_wanted())
        if width != event.oldSize().width():
            self._size_columns(width)
        super().resizeEvent(event)

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt override
        self.flush()  # the coach switched area or page: nothing waits on a hidden page
        super().hideEvent(event)

    def _pending(self, waiting: bool) -> None:
        if waiting:
            self.saved_label.setText("Saving…")

    def _show_answer_conflicts(self) -> int:
        """Mark the answers in conflict on the form (before the coach types); how many."""
        found = conflicts.answer_conflicts(self.profile, self.visit.id) if self.visit else {}
        self.conflict_notes.show_on(self.form, found)
        return len(found)

    def _answers_saved(self, changes: ChangeSummary) -> None:
        # An edit of an answer in conflict keeps the other version (core/store/changelog.py):
        # the status says so, and the answer's line stays until the coach chooses.
        open_ = self._show_answer_conflicts()
        still = f" · {open_} answer{'s' if open_ != 1 else ''} in conflict" if open_ else ""
        status = f"Saved {clock_time(dt.datetime.now())}{still}"
        self.saved_label.setText(status)
        self.save_status.say(status)
        self.bus.publish(changes, initiator=self)
        if changes.touches("visit") and self.visit is not None:
            # A bound date or time moved the visit: the header and details show it.
            self.visit = visits.get_visit(self.profile, self.visit.id)
            self._show_header()

    def _save_failed(self, message: str) -> None:
        self.saved_label.setText("Not saved")
        self.save_status.say(f"Not saved: {message}", urgent=True)
        dialogs.show_error(self, "An answer was not saved", message)

    def _details_saved(self) -> None:
        if self.visit is not None:  # the header shows the new type and times
            self.visit = visits.get_visit(self.profile, self.visit.id)
            self._show_header()
            if self.form is not None and self.visit.definition is not None:
                # ...and so do the note's date and time fields.
                bound = answers_from_times(
                    self.visit.definition, self.visit.starts_at, self.visit.ends_at
                )
                shown = self.form.response()
                if any(shown.get(k) != v for k, v in bound.items()):
                    self.form.set_response({**shown, **bound})

    def on_changed(self, changes: ChangeSummary, initiator: object) -> None:
        """Show changes made elsewhere (an import, another page); this page's own are shown."""
        if self.visit is None:
            return
        if initiator_is_inside(self, initiator):
            # The details panel changed the visit's type or times: the header and the note's
            # date and time fields show them. Other panels here show their own changes.
            if initiator is self.details:
                self._details_saved()
            return
        if changes.touches("visit", "visit_answer", "action_item"):
            self.reload()
        else:  # a contact or the school changed: the attendee choices and the title
            self.school = schools.get_school(self.profile, self.visit.school_id)
            self._show_header()

    # --- finalizing -------------------------------------------------------------------------

    def finalize(self) -> bool:
        """Check the note and mark it final; returns True when it is final."""
        if self.visit is None:
            return False
        self.flush()
        try:
            check = visits.check_before_finalizing(self.profile, self.visit.id)
        except CoachdeskError as exc:
            dialogs.show_error(self, "Not finalized", str(exc))
            return False
        if check.refusal is not None:  # not started yet, or no longer open for changes
            dialogs.show_error(self, "Not finalized", check.refusal)
            return False
        if check.missing:
            dialogs.show_error(self, "Not ready to finalize", missing_text(check.missing))
            if self.form is not None:
                self.walk_button.setChecked(False)
                self.form.show_problems()  # marks them and puts the cursor in the first
            return False
        accept = False
        if check.privacy:
            dialog = PrivacyWarningDialog(check.privacy, self)
            if dialogs.run(dialog) != PrivacyWarningDialog.DialogCode.Accepted:
                self._focus_privacy()
                return False
            accept = True
        try:
            changes = visits.finalize_visit(
                self.profile, self.visit.id, accept_privacy_warnings=accept
            )
        except CoachdeskError as exc:
            dialogs.show_error(self, "Not finalized", str(exc))
            return False
        self.bus.publish(changes, initiator=self)
        self.reload()
        # The answer being typed is read-only now (and made anew): the cursor goes to what comes
        # next for a final note, its summary.
        self.print_button.setFocus(Qt.FocusReason.OtherFocusReason)
        announce(self, f"Note finalized: {self.visit.type_label} at {self.visit.school_name}.")
        from coachdesk.ui.visits.school_changes_dialog import offer_school_changes

        offer_school_changes(self, self.profile, self.visit.id)  # an OH check-in's stage...
        return True

    def _focus_privacy(self) -> None:
        if self.form is None or self.visit is None or self.visit.definition is None:
            return
        from coachdesk.core.forms import scan_response

        findings = scan_response(
            self.visit.definition, self.form.response(), today=self.visit.starts_at.date()
        )
        if findings:
            self.form.focus_path(findings[0].path)

    def print_summary(self) -> None:
        """Preview the principal's summary, with Print and Save as PDF (saving answers first)."""
        from coachdesk.ui.visit_summary_actions import preview_visit_summary

        if self.visit is None:
            return
        self.flush()
        preview_visit_summary(self, self.profile, self.visit.id)

    def send_packet(self) -> None:
        """Send packet…: the visit's records and summary PDF, signed (saving answers first)."""
        from coachdesk.ui.packet_actions import send_packet

        if self.visit is None:
            return
        self.flush()
        send_packet(self, self.profile, self.visit.id)

    def mark_shared(self) -> None:
        """Mark as shared…: the day this final note reached the school (the page follows the
        bus)."""
        from coachdesk.ui.share_note import ask_to_share

        if self.visit is not None:
            ask_to_share(self, self.profile, self.visit.id)

    def amend(self) -> None:
        """Reopen a final note for changes."""
        if self.visit is None:
            return
        try:
            changes = visits.amend_visit(self.profile, self.visit.id)
        except CoachdeskError as exc:
            dialogs.show_error(self, "Not reopened", str(exc))
            return
        self.bus.publish(changes, initiator=self)
        self.reload()


def _answers_text(v: VisitDetail) -> str:
    """The stored answers as plain text, for a note whose form cannot be shown at all."""
    if not v.response:
        return "This note has no answers."
    lines = []
    for name, value in v.response.items():
        lines.append(f"{name}: {value}")
    return "\n".join(lines)
