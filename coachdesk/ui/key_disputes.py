"""On the Trust page, above the list: two key changes from one key, for the coach to settle.

    ⚠ Two different new keys claim to replace Lee's key. Call Lee and compare the fingerprint
      on their Trust page; keep the one that matches.
      12345 67890 …   its device calls itself “Lee's laptop”; arrived Nov 23, 2026   [Keep this key]
      54321 09876 …   its device calls itself “Lee's laptop”; arrived Nov 24, 2026   [Keep this key]

Where the card is too narrow for that (twice the text on a 1024-pixel laptop), each fingerprint
goes on two lines of four groups, with the device's words below it and the Keep button beside.
Until the coach keeps one, neither new key is trusted (sync/rotation.py). Keeping one revokes
the others. The page reloads the panel (`refresh`) whenever it reloads its list, which it does
on every `trusted_key` change; the panel publishes its own settlement on the change bus.

    panel = KeyDisputePanel(profile); layout.addWidget(panel); panel.refresh()
"""

from __future__ import annotations

import math

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent, QTextDocument
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from coachdesk.core.changes import ChangeSummary
from coachdesk.core.store.profile import Profile
from coachdesk.sync import rotation, trust
from coachdesk.ui import dialogs
from coachdesk.ui.change_bus import bus_for
from coachdesk.ui.style import set_role
from coachdesk.ui.work import run_in_background


class FingerprintLabel(QLabel):
    """A fingerprint, large and monospaced, on one line where it fits, else on two lines of
    whole groups (never cut, never broken inside a group): it is read aloud digit for digit.
    `text()` is the fingerprint as shown (its two halves joined by a line break when wrapped)."""

    def __init__(self, fingerprint: str, parent: QWidget | None = None) -> None:
        super().__init__(fingerprint, parent)
        self.fingerprint = fingerprint
        self.setObjectName("fingerprint")  # large and monospaced (style.py)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        groups = fingerprint.split()
        half = (len(groups) + 1) // 2
        self._halves = (" ".join(groups[:half]), " ".join(groups[half:]))

    def _size_of(self, text: str) -> QSize:
        """The room `text` takes in this label, measured as QLabel measures selectable text."""
        document = QTextDocument()
        document.setDefaultFont(self.font())
        document.setDocumentMargin(0)
        document.setPlainText(text)
        size = document.size()
        margins = self.contentsMargins()
        return QSize(
            math.ceil(size.width()) + margins.left() + margins.right(),
            math.ceil(size.height()) + margins.top() + margins.bottom(),
        )

    def _one_line(self) -> int:
        return self._size_of(self.fingerprint).width()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return self._size_of(self.fingerprint)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        halves = self._size_of("\n".join(self._halves))
        return QSize(halves.width(), self.sizeHint().height())

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt override
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        shown = self.fingerprint if width >= self._one_line() else "\n".join(self._halves)
        return self._size_of(shown).height()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        wide = event.size().width() >= self._one_line()
        shown = self.fingerprint if wide else "\n".join(self._halves)
        if self.text() != shown:
            self.setText(shown)


class DisputeCard(QFrame):
    """One dispute: what happened and what to do, then each new key with its Keep button."""

    def __init__(self, dispute: rotation.KeyDispute, panel: KeyDisputePanel) -> None:
        super().__init__(panel)
        self.dispute = dispute
        self.setObjectName("card")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        self.sentence = QLabel(f"⚠ {dispute.sentence()}")
        self.sentence.setWordWrap(True)
        set_role(self.sentence, "note")
        self.sentence.setAccessibleName(f"Key dispute for {dispute.name}")
        layout.addWidget(self.sentence)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(12)
        self.keep_buttons: dict[str, QPushButton] = {}
        self.rows: list[tuple[FingerprintLabel, QLabel, QPushButton]] = []
        for row, claim in enumerate(dispute.claims):
            fingerprint = FingerprintLabel(claim.fingerprint)
            fingerprint.setAccessibleName(f"New key {row + 1} for {dispute.name}: fingerprint")
            arrived = trust.shown_day(claim.trusted_at)
            # The device name is the sender's own choice: shown as theirs, after the fingerprint.
            where = QLabel(f"its device calls itself “{claim.device_name}”; arrived {arrived}")
            where.setWordWrap(True)
            set_role(where, "subtle")
            keep = QPushButton("Keep this key")
            keep.setAccessibleName(f"Keep the key {claim.fingerprint} for {dispute.name}")
            keep.setToolTip(f"Only if {dispute.name} reads you this fingerprint")
            keep.clicked.connect(lambda _checked=False, key=claim: panel.keep(dispute, key))
            self.keep_buttons[claim.key_id] = keep
            self.rows.append((fingerprint, where, keep))
        layout.addLayout(self.grid)
        self._wide: bool | None = None
        self._arrange(wide=True)

    def _wide_width(self) -> int:
        """The width a card needs for each key on one line: fingerprint, words, Keep."""
        fingerprint, where, _keep = self.rows[0]
        words = where.fontMetrics().averageCharWidth() * 16  # the device's words, wrapped
        buttons = max(k.sizeHint().width() for _f, _w, k in self.rows)
        frame, inner = self.contentsMargins(), self.layout().contentsMargins()
        margins = frame.left() + frame.right() + inner.left() + inner.right()
        spacing = 2 * self.grid.horizontalSpacing()
        return fingerprint.sizeHint().width() + words + buttons + spacing + margins

    def _arrange(self, *, wide: bool) -> None:
        """Each key on one row of the grid, or (narrow) its words under its fingerprint."""
        if wide == self._wide:
            return
        self._wide = wide
        for row in self.rows:
            for widget in row:
                self.grid.removeWidget(widget)
        for n, (fingerprint, where, keep) in enumerate(self.rows):
            # Wide, the fingerprint keeps its one line; narrow, it may take two.
            fixed = QSizePolicy.Policy.Fixed if wide else QSizePolicy.Policy.Preferred
            fingerprint.setSizePolicy(fixed, QSizePolicy.Policy.Preferred)
            if wide:
                self.grid.addWidget(fingerprint, n, 0)
                self.grid.addWidget(where, n, 1)
                self.grid.addWidget(keep, n, 2)
            else:
                self.grid.addWidget(fingerprint, 2 * n, 0)
                self.grid.addWidget(where, 2 * n + 1, 0)
                self.grid.addWidget(keep, 2 * n, 1, 2, 1, Qt.AlignmentFlag.AlignVCenter)
        for column in range(3):
            self.grid.setColumnStretch(column, 0)
        self.grid.setColumnStretch(1 if wide else 0, 1)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        # As narrow as the narrow arrangement, whichever is shown now: it is chosen on resize.
        arranged = super().minimumSizeHint()
        fingerprint, where, _keep = self.rows[0]
        inner = self.layout().contentsMargins()
        frame = self.contentsMargins()
        buttons = max(k.sizeHint().width() for _f, _w, k in self.rows)
        narrow = (
            max(fingerprint.minimumSizeHint().width(), where.minimumSizeHint().width())
            + self.grid.horizontalSpacing()
            + buttons
            + inner.left()
            + inner.right()
            + frame.left()
            + frame.right()
        )
        sentence = self.sentence.minimumSizeHint().width() + inner.left() + inner.right()
        return QSize(max(narrow, sentence), arranged.height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._arrange(wide=event.size().width() >= self._wide_width())


class KeyDisputePanel(QWidget):
    """Every open key dispute on this profile; hidden when there is none."""

    def __init__(self, profile: Profile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.profile = profile
        self.bus = bus_for(profile)
        self.cards: list[DisputeCard] = []
        self.setAccessibleName("Key disputes")
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.hide()

    def refresh(self) -> None:
        run_in_background(
            self, lambda: rotation.key_disputes(self.profile), on_success=self.show_disputes
        )

    def show_disputes(self, disputes: list[rotation.KeyDispute]) -> None:
        for card in self.cards:
            self.box.removeWidget(card)
            card.deleteLater()
        self.cards = [DisputeCard(d, self) for d in disputes]
        previous: QWidget = self
        for card in self.cards:
            self.box.addWidget(card)
            for button in card.keep_buttons.values():  # Tab reaches them where they are shown
                QWidget.setTabOrder(previous, button)
                previous = button
        self.setVisible(bool(self.cards))

    def keep(self, dispute: rotation.KeyDispute, key: trust.TrustedKeyInfo) -> None:
        """Keep one new key after the coach compared fingerprints; the others are revoked."""
        others = [c.fingerprint for c in dispute.claims if c.key_id != key.key_id]
        if not dialogs.confirm(
            self,
            f"Keep this key for {dispute.name}?",
            f"Keep it only if {dispute.name} read you this fingerprint from their Trust page:"
            f"\n\n{key.fingerprint}\n\nThe other new key ({', '.join(others)}) will be revoked, "
            "and bundles signed with it refused. A revoked key cannot be trusted again.",
            yes="Keep this key",
        ):
            return
        run_in_background(
            self,
            lambda: rotation.settle_dispute(self.profile, dispute.old.key_id, key.key_id),
            on_success=self._settled,
        )

    def _settled(self, settled: rotation.Settlement) -> None:
        dialogs.show_info(self, "Key dispute settled", settled.sentence())
        self.refresh()
        self.bus.publish(ChangeSummary.of({"trusted_key": [settled.kept]}), initiator=self)
