"""On the Trust page, above the list: two key changes from one key, for the coach to settle.

    ⚠ Two different new keys claim to replace Lee's key. Call Lee and compare the fingerprint
      on their Trust page; keep the one that matches.
      12345 67890 …   its device calls itself “Lee's laptop”; arrived Nov 23, 2026   [Keep this key]
      54321 09876 …   its device calls itself “Lee's laptop”; arrived Nov 24, 2026   [Keep this key]

Until the coach keeps one, neither new key is trusted (sync/rotation.py). Keeping one revokes
the others. The page reloads the panel (`refresh`) whenever it reloads its list, which it does
on every `trusted_key` change; the panel publishes its own settlement on the change bus.

    panel = KeyDisputePanel(profile); layout.addWidget(panel); panel.refresh()
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
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
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        self.keep_buttons: dict[str, QPushButton] = {}
        for row, claim in enumerate(dispute.claims):
            fingerprint = QLabel(claim.fingerprint)
            fingerprint.setObjectName("fingerprint")  # large and monospaced (style.py)
            fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
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
            grid.addWidget(fingerprint, row, 0)
            grid.addWidget(where, row, 1)
            grid.addWidget(keep, row, 2)
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid)


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
