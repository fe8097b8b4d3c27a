"""The MA Instructional Priority on a district's page: the district's priority for the year.

The priority belongs to the district: it is edited on the district's page, and each of the
district's SSoS schools links to it (coachdesk/ui/caseload/school_page.py). Texts save when the
coach leaves a box or pauses typing, and whatever still waits is saved when the page changes
district or is hidden, so typing is never lost.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QSignalBlocker, QTimer, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from coachdesk.core.changes import ChangeSummary
from coachdesk.core.dates_text import date_and_time
from coachdesk.core.errors import CoachdeskError
from coachdesk.core.school_year import previous as previous_school_year
from coachdesk.core.store.profile import Profile
from coachdesk.core.tracking_records import plans
from coachdesk.ui import dialogs
from coachdesk.ui.change_bus import bus_for

logger = logging.getLogger(__name__)

PROGRAM = "MA_SSOS"
PAUSE_MS = 1000  # a pause in typing this long saves what was typed
SHOWN_RECORDS = ("instructional_priority", "contact", "organization")

# Field -> (label, hint), in the order the district writes them.
TEXTS = {
    "statement": (
        "Priority statement",
        "The district's concrete, narrow priority, e.g. every student explains their reasoning.",
    ),
    "inequity_addressed": (
        "Inequitable outcomes it addresses",
        "Which students are least well served now, and the evidence for it.",
    ),
    "district_actions": ("Key actions: district level", "What district leaders will do."),
    "school_actions": ("Key actions: school level", "What school leaders and SILTs will do."),
    "classroom_actions": ("Key actions: classroom level", "What teachers will do in lessons."),
    "dilt_focus": (
        "DILT focus for the year",
        "From the DILT self-assessment: how district leaders will work together on the priority.",
    ),
}


class PriorityText(QPlainTextEdit):
    """A plain-text box that grows with its text (the page scrolls, not the box) and says when
    the coach leaves it."""

    left = Signal()
    MIN_LINES = 2
    MAX_LINES = 12

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)  # Tab moves on, as in every other field of the page
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.document().contentsChanged.connect(self._fit)
        self._fit()

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        super().focusOutEvent(event)
        self.left.emit()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        lines = int(self.document().documentLayout().documentSize().height())
        lines = max(self.MIN_LINES, min(self.MAX_LINES, lines))
        margins = self.contentsMargins()
        height = (
            lines * self.fontMetrics().lineSpacing()
            + 2 * int(self.document().documentMargin())
            + margins.top()
            + margins.bottom()
            + 4
        )
        if height != self.height():
            self.setFixedHeight(height)


class PriorityCard(QFrame):
    """The district's Instructional Priority for the current school year."""

    def __init__(
        self,
        profile: Profile,
        parent: QWidget | None = None,
        *,
        pause_ms: int = PAUSE_MS,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.profile = profile
        self.bus = bus_for(profile)
        self.bus.subscribe(self.on_changed, watching=SHOWN_RECORDS)
        self.district_id: str | None = None
        self.district_name = ""
        self.school_year = ""
        self.priority: plans.PriorityView | None = None
        self._pending: set[str] = set()  # fields typed in since they were last saved
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(pause_ms)
        self._timer.timeout.connect(self.flush)

        self.title = QLabel("Instructional Priority")
        self.title.setObjectName("sectionTitle")
        self.about = QLabel()
        self.about.setObjectName("subtle")
        self.about.setWordWrap(True)
        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_empty())
        self.pages.addWidget(self._build_form())
        self.pages.currentChanged.connect(self._fit_pages)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.about)
        layout.addWidget(self.pages)
        self.hide()

    # --- building ---------------------------------------------------------------------------------

    def _publish(self, changes: ChangeSummary) -> None:
        """Tell the views showing these records; this one shows its own change already."""
        self.bus.publish(changes, initiator=self)

    def _build_empty(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        box.setContentsMargins(0, 4, 0, 0)
        self.empty_text = QLabel()
        self.empty_text.setWordWrap(True)
        self.start_button = QPushButton("Start the Instructional Priority")
        self.start_button.setAccessibleName("Start an empty Instructional Priority")
        self.start_button.clicked.connect(lambda: self.start(copy=False))
        self.copy_button = QPushButton("Start from last year's")
        self.copy_button.setAccessibleName("Start from last year's Instructional Priority")
        self.copy_button.clicked.connect(lambda: self.start(copy=True))
        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        box.addWidget(self.empty_text)
        box.addLayout(buttons)
        return page

    def _build_form(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        box.setContentsMargins(0, 4, 0, 0)
        self.editors: dict[str, PriorityText] = {}
        for field, (label, hint) in TEXTS.items():
            editor = PriorityText()
            editor.setAccessibleName(label)
            editor.setPlaceholderText(hint)
            editor.textChanged.connect(lambda f=field: self._typed(f))
            editor.left.connect(self.flush)
            caption = QLabel(f"<b>{label}</b>")
            caption.setBuddy(editor)
            box.addWidget(caption)
            box.addWidget(editor)
            self.editors[field] = editor

        self.contact_box = QComboBox()
        self.contact_box.setAccessibleName("Primary contact for SSoS")
        self.contact_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.contact_box.setMinimumContentsLength(20)
        self.contact_box.currentIndexChanged.connect(self._save_contact)
        contact_row = QHBoxLayout()
        contact_caption = QLabel("<b>Primary contact</b>")
        contact_caption.setBuddy(self.contact_box)
        contact_row.addWidget(contact_caption)
        contact_row.addWidget(self.contact_box, 1)
        box.addLayout(contact_row)
        self.contact_hint = QLabel()
        self.contact_hint.setObjectName("subtle")
        self.contact_hint.setWordWrap(True)
        box.addWidget(self.contact_hint)

        self.checklist_title = QLabel()
        box.addWidget(self.checklist_title)
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        self.checks: dict[str, QCheckBox] = {}
        for n, (step, label) in enumerate(plans.CHECKLIST_STEPS.items()):
            check = QCheckBox(label)
            check.setAccessibleName(label)
            check.toggled.connect(self._save_checklist)
            grid.addWidget(check, n // 2, n % 2)
            self.checks[step] = check
        box.addLayout(grid)
        self.save_note = QLabel("Saves as you type.")
        self.save_note.setObjectName("subtle")
        box.addWidget(self.save_note)
        return page

    def _fit_pages(self) -> None:
        # A stacked widget is as tall as its tallest page; the empty state must not be.
        for i in range(self.pages.count()):
            policy = (
                QSizePolicy.Policy.Preferred
                if i == self.pages.currentIndex()
                else (QSizePolicy.Policy.Ignored)
            )
            self.pages.widget(i).setSizePolicy(QSizePolicy.Policy.Preferred, policy)
        self.pages.adjustSize()

    def set_pause(self, ms: int) -> None:
        """How long a pause in typing saves what was typed."""
        self._timer.setInterval(ms)

    # --- showing ----------------------------------------------------------------------------------

    def show_district(self, district) -> None:
        """Show the IP of a district in SSoS this year (a DistrictDetail), or hide the card."""
        self.flush()
        in_ssos = district.program(PROGRAM)
        if in_ssos is None:
            self.district_id = None
            self.hide()
            return
        self.district_id = district.id
        self.district_name = district.name
        self.school_year = in_ssos.school_year
        self.show()
        self.refresh()

    def on_changed(self, changes: ChangeSummary, initiator: object) -> None:
        if not self.isHidden():
            self.refresh()

    def refresh(self) -> None:
        """Read the IP again; boxes with unsaved typing keep what the coach typed."""
        self.title.setText(f"Instructional Priority {self.school_year}")
        if self.district_id is None:
            self.priority = None
            return
        self.priority = plans.get_priority(self.profile, self.district_id, self.school_year)
        if self.priority is None:
            self._show_empty()
            return
        self._show_priority(self.priority)

    def _show_page(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        self._fit_pages()

    def _show_empty(self) -> None:
        self.about.setText(
            f"The priority of {self.district_name}, shared by all its schools in SSoS."
        )
        self.empty_text.setText(
            f"No Instructional Priority is recorded for {self.district_name} for "
            f"{self.school_year}. SSoS support is grounded in it: start it when the district "
            "submits or affirms its priority."
        )
        self.start_button.setText(f"Start the {self.school_year} priority")
        self.start_button.show()
        earlier = self._previous_year()
        self.copy_button.setVisible(earlier is not None)
        if earlier is not None:
            self.copy_button.setText(f"Start from {earlier}'s priority")
        self._show_page(0)

    def _show_priority(self, ip: plans.PriorityView) -> None:
        changed = ""
        if ip.changed_at is not None:
            changed = f" Last changed {date_and_time(ip.changed_at)} on {ip.changed_on}."
        self.about.setText(
            f"The priority of {self.district_name}, shared by all its schools in SSoS.{changed}"
        )
        for field, editor in self.editors.items():
            value = getattr(ip, field)
            if field in self._pending or editor.toPlainText().strip() == value:
                continue  # the coach's unsaved typing wins; equal text keeps the cursor put
            with QSignalBlocker(editor):
                editor.setPlainText(value)
        self._fill_contacts(ip)
        done = 0
        for step, check in self.checks.items():
            with QSignalBlocker(check):
                check.setChecked(step in ip.checklist_done)
            done += step in ip.checklist_done
        total = len(self.checks)
        self.checklist_title.setText(
            f"<b>Phase 1 checklist</b> (due by 30 Sep): {done} of {total} done"
        )
        self._show_page(1)

    def _fill_contacts(self, ip: plans.PriorityView) -> None:
        choices = plans.priority_contacts(self.profile, self.district_id or "")
        with QSignalBlocker(self.contact_box):
            self.contact_box.clear()
            self.contact_box.addItem("No primary contact named yet", "")
            for c in choices:
                if c.active or c.id == ip.primary_contact_id:
                    self.contact_box.addItem(c.label(), c.id)
            if ip.primary_contact_id and self.contact_box.findData(ip.primary_contact_id) < 0:
                self.contact_box.addItem("A contact no longer on record", ip.primary_contact_id)
            self.contact_box.setCurrentIndex(
                max(0, self.contact_box.findData(ip.primary_contact_id or ""))
            )
        self.contact_box.setToolTip(self.contact_box.currentText())
        hint = "The district leader who regularly plans and reflects on the priority with SSoS."
        if not choices:
            hint = (
                f"No contacts yet at {self.district_name} or its schools: add the district "
                "leader who plans with SSoS under the district's Contacts, then choose them here."
            )
        elif not ip.primary_contact_id and "primary_contact_named" in ip.checklist_done:
            hint = "The checklist says a primary contact is named: choose them here."
        self.contact_hint.setText(hint)

    def _previous_year(self) -> str | None:
        earlier = previous_school_year(self.school_year)
        found = plans.get_priority(self.profile, self.district_id or "", earlier)
        return earlier if found is not None else None

    # --- saving -----------------------------------------------------------------------------------

    def start(self, *, copy: bool) -> None:
        """Create the year's IP (empty, or from last year's texts) and show it for editing."""
        if self.district_id is None:
            return
        try:
            changes = plans.create_priority(
                self.profile,
                self.district_id,
                self.school_year,
                copy_from=self._previous_year() if copy else None,
            )
        except CoachdeskError as exc:
            dialogs.show_error(self, "Not started", str(exc))
            return
        self.refresh()
        self.editors["statement"].setFocus()
        self._publish(changes)

    def _typed(self, field: str) -> None:
        self._pending.add(field)
        self._timer.start()
        self.save_note.setText("Saving when you pause…")

    def flush(self) -> None:
        """Save every box typed in since its last save (on a pause, on leaving, on hiding)."""
        self._timer.stop()
        if not self._pending or self.priority is None or self.district_id is None:
            self._pending.clear()
            return
        ip = self.priority
        texts = {
            f: self.editors[f].toPlainText()
            for f in self._pending
            if self.editors[f].toPlainText().strip() != getattr(ip, f)
        }
        self._pending.clear()
        self.save_note.setText("Saves as you type.")
        if texts:
            self._write(texts=texts)

    def _save_contact(self) -> None:
        self._write(primary_contact_id=self.contact_box.currentData() or "")
        self.contact_box.setToolTip(self.contact_box.currentText())

    def _save_checklist(self) -> None:
        ticked = {step for step, check in self.checks.items() if check.isChecked()}
        self._write(checklist_done=ticked)

    def _write(self, *, texts: dict[str, str] | None = None, **fields) -> None:
        if self.district_id is None or self.priority is None:
            return
        try:
            changes = plans.update_priority(
                self.profile, self.district_id, self.school_year, **fields, **(texts or {})
            )
        except CoachdeskError as exc:
            # The typing stays in its box, so nothing is lost; the next edit tries again.
            dialogs.show_error(self, "Not saved", str(exc))
            return
        self.refresh()
        self._publish(changes)

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt override
        self.flush()  # the page changed area or closed: nothing waits on a hidden card
        super().hideEvent(event)
