"""The Trust page: this laptop's fingerprint, the keys this profile trusts, and the actions to
share a public key, trust one (after comparing fingerprints aloud, or from a key change file
signed by a key already trusted), change this laptop's keys, and revoke one.

    page = TrustPage(profile); window.add_area("trust", "Trust", page)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coachdesk.core.changes import ChangeSummary
from coachdesk.core.store.profile import Profile
from coachdesk.sync import keys, rotation, trust
from coachdesk.sync.held_changes import HeldSummary, held_in
from coachdesk.ui import dialogs
from coachdesk.ui.change_bus import bus_for
from coachdesk.ui.flow_layout import FlowLayout
from coachdesk.ui.item_views import tab_leaves
from coachdesk.ui.key_disputes import FingerprintLabel, KeyDisputePanel
from coachdesk.ui.screen_fit import largest_size
from coachdesk.ui.style import set_role
from coachdesk.ui.sync_actions import with_passphrase
from coachdesk.ui.work import run_in_background

KEY_FILTER = "coachdesk public keys (*.coachdesk-key);;All files (*)"
COLUMNS = ("Name", "Fingerprint", "Device", "Status")


class TrustKeyDialog(QDialog):
    """Shows an offered key's fingerprint and asks for a name before trusting it."""

    def __init__(self, parent: QWidget | None, offered: trust.OfferedKey) -> None:
        super().__init__(parent)
        self.setWindowTitle("Trust this key?")
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"This key file comes from the device “{offered.device_name}”. Before you trust it, "
            "read this fingerprint aloud with its owner (by phone or in person). It must match "
            "the one their coachdesk shows on its Trust page, digit for digit."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.fingerprint = FingerprintLabel(offered.fingerprint)  # two lines if need be
        self.fingerprint.setAccessibleName("Fingerprint to compare")
        layout.addWidget(self.fingerprint)
        layout.addWidget(QLabel("Whose key is it?"))
        self.name = QLineEdit()
        self.name.setPlaceholderText("e.g. Dana Ortiz (supervisor)")
        self.name.setAccessibleName("Name for this key")
        layout.addWidget(self.name)
        self.own = QCheckBox("It is one of my own laptops")
        layout.addWidget(self.own)
        buttons = QDialogButtonBox()
        self.trust_button = buttons.addButton(
            "The fingerprints match: trust it", QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        # No wider than four fifths of the screen (twice the text on a 1024-pixel laptop: the
        # fingerprint goes on two lines), and tall enough for its text wrapped at that width.
        hint = super().sizeHint()
        width = min(hint.width(), largest_size(self).width() * 4 // 5)
        return QSize(width, max(hint.height(), self.layout().totalHeightForWidth(width)))


class KeysTable(QTableWidget):
    """The trusted keys: room for the header and three keys at least, and whatever the page has
    left (it asks for no more, so the page scrolls only when that much does not fit)."""

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        rows = 3 * self.verticalHeader().defaultSectionSize()
        height = (
            self.horizontalHeader().sizeHint().height()
            + rows
            + self.horizontalScrollBar().sizeHint().height()
            + 2 * self.frameWidth()
        )
        return QSize(super().minimumSizeHint().width(), height)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(super().sizeHint().width(), self.minimumSizeHint().height())

    def fit_columns(self) -> None:
        """The last column fills the width where every column fits whole; where they do not,
        the list scrolls sideways to it rather than cut a key's status short."""
        header = self.horizontalHeader()
        needed = sum(
            max(header.sectionSizeHint(c), self.sizeHintForColumn(c))
            for c in range(self.columnCount())
        )
        header.setStretchLastSection(needed <= self.viewport().width())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self.fit_columns()


class TrustPage(QWidget):
    """Whom this profile accepts bundles from."""

    def __init__(self, profile: Profile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.profile = profile
        page = QVBoxLayout(self)
        # All but the actions scrolls when the room is short (twice the text on a small screen,
        # with a key dispute to settle): the actions stay in view below.
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to what it holds
        inside = QWidget()
        layout = QVBoxLayout(inside)
        layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel("<h2>Trust</h2>")
        layout.addWidget(title)
        self.mine = QLabel("Loading this laptop's keys…")
        self.mine.setWordWrap(True)
        self.mine.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.mine)
        self.disputes = KeyDisputePanel(profile)  # two key changes from one key, to settle
        layout.addWidget(self.disputes)
        self.setAccessibleName("Trust")  # a named region for a screen reader
        self.table = tab_leaves(KeysTable(0, len(COLUMNS)))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setAccessibleName("Trusted keys")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        # Changes stamped more than a day ahead of this laptop's clock wait, named here by the
        # trusted name of the device that stamped them (coachdesk/sync/held_changes.py).
        self.held = QLabel()
        self.held.setWordWrap(True)
        self.held.setAccessibleName("Changes held back")
        set_role(self.held, "note")
        self.held.hide()
        layout.addWidget(self.held)
        self.scroll.setWidget(inside)
        page.addWidget(self.scroll, 1)
        actions = QWidget()
        row = FlowLayout(actions, left=True)  # wraps at twice the text on a small screen
        self.share_button = QPushButton("Save my public key…")
        self.share_button.clicked.connect(self.save_public_key)
        self.trust_button = QPushButton("Trust a key file…")
        self.trust_button.clicked.connect(self.trust_key_file)
        self.revoke_button = QPushButton("Revoke the selected key…")
        self.revoke_button.clicked.connect(self.revoke_selected)
        self.rotate_button = QPushButton("Change my keys…")
        self.rotate_button.clicked.connect(self.change_my_keys)
        buttons = (self.share_button, self.trust_button, self.revoke_button, self.rotate_button)
        for button in buttons:
            button.setAccessibleName(button.text().rstrip("…"))
            row.addWidget(button)
        page.addWidget(actions)
        self._keys: list[trust.TrustedKeyInfo] = []
        self._loaded = False
        self.bus = bus_for(profile)
        self.bus.subscribe(self.on_changed, watching=("trusted_key",))

    def _trust_written(self, key: str) -> None:
        """Show the new trust here, and tell the views that name devices by their keys."""
        self.refresh()
        self.bus.publish(ChangeSummary.of({"trusted_key": [key]}), initiator=self)

    def on_changed(self, changes: ChangeSummary, initiator: object) -> None:
        """A key trusted or changed elsewhere (an imported key change): read the list again."""
        if self._loaded:
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802  (Qt's name)
        # Loaded when first shown, not at start-up: opening the keys may ask for a passphrase.
        super().showEvent(event)
        if not self._loaded:
            self._loaded = True
            self.refresh()
        else:  # an import since it was last shown may have held changes back, or merged them
            self._show_held(held_in(self.profile))

    def _show_held(self, held: HeldSummary) -> None:
        self.held.setText(held.sentence())
        self.held.setVisible(bool(held.count))

    def refresh(self) -> None:
        """Reload the list (and create this laptop's keys on first use)."""
        with_passphrase(
            self,
            lambda passphrase, progress: (
                keys.device_keys(self.profile, passphrase=passphrase),
                keys.storage_of(self.profile),
                trust.list_keys(self.profile),
                held_in(self.profile),
            ),
            on_success=self._show,
            label="Opening your keys…",
        )

    def _show(
        self, loaded: tuple[Any, keys.KeyStorage, list[trust.TrustedKeyInfo], HeldSummary]
    ) -> None:
        mine, storage, listed, held = loaded
        self._show_held(held)
        self.disputes.refresh()
        self.mine.setText(
            # The fingerprint is never broken across lines: it goes whole to the next one.
            "This laptop's fingerprint: <b style='font-family: monospace; white-space: nowrap'>"
            f"{mine.fingerprint}</b><br>Read it aloud to whoever trusts your key. Your private "
            f"keys are kept {storage.description}."
        )
        self._keys = [k for k in listed if not k.this_device]
        self.table.setRowCount(len(self._keys))
        for r, k in enumerate(self._keys):
            status = k.status()
            if k.own and not k.revoked:
                status += " · my laptop"
            if k.replaced and not k.revoked:
                status += " · bundles it signed before still import"
            for c, text in enumerate((k.name, k.fingerprint, k.device_name, status)):
                item = QTableWidgetItem(text)
                if k.revoked or k.replaced:
                    item.setForeground(Qt.GlobalColor.gray)
                self.table.setItem(r, c, item)
        self.table.fit_columns()

    def save_public_key(self) -> None:
        chosen = dialogs.save_file(self, "Save my public key", "my-key.coachdesk-key", KEY_FILTER)
        if not chosen:
            return
        from coachdesk.sync.export import write_atomically

        def work(passphrase, progress) -> str:
            mine = keys.device_keys(self.profile, passphrase=passphrase)
            write_atomically(Path(chosen), trust.public_key_file(self.profile, mine))
            return mine.fingerprint

        with_passphrase(
            self,
            work,
            on_success=lambda fingerprint: dialogs.show_info(
                self,
                "Public key saved",
                f"Saved to {chosen}. Give the file to the other coach, then read them your "
                f"fingerprint aloud:\n\n{fingerprint}",
            ),
            label="Saving your public key…",
        )

    def trust_key_file(self) -> None:
        chosen = dialogs.open_file(self, "Trust a key file", KEY_FILTER)
        if not chosen:
            return
        from coachdesk.sync.reader import read_bundle_file

        run_in_background(
            self,
            lambda: rotation.read_key_file(read_bundle_file(Path(chosen))),
            on_success=self._confirm_and_trust,
        )

    def _confirm_and_trust(self, offered: trust.OfferedKey | rotation.KeyRotation) -> None:
        if isinstance(offered, rotation.KeyRotation):
            # Signed by a key this profile trusts: no fingerprint ceremony, just say what it did.
            run_in_background(
                self,
                lambda: rotation.accept_rotation(self.profile, offered),
                on_success=self._rotation_accepted,
            )
            return
        dialog = TrustKeyDialog(self, offered)
        if dialogs.run(dialog) != QDialog.DialogCode.Accepted:
            return
        name, own = dialog.name.text(), dialog.own.isChecked()
        run_in_background(
            self,
            lambda: trust.trust_key(self.profile, offered, name=name, own=own),
            on_success=lambda info: self._trust_written(info.key_id),
        )

    def _rotation_accepted(self, accepted: rotation.RotationAccepted) -> None:
        title = "Two new keys for one key" if accepted.disputed else "Key change accepted"
        dialogs.show_info(self, title, accepted.sentence())
        self._trust_written(accepted.new_fingerprint)

    def change_my_keys(self) -> None:
        """Make new keys for this laptop and save the key change file for the others."""
        if not dialogs.confirm(
            self,
            "Change this laptop's keys?",
            "coachdesk makes new keys for this laptop and saves a key change file, signed with "
            "the current key. Give that file to everyone who trusts this laptop: their coachdesk "
            "accepts the new key from it without comparing fingerprints. Bundles signed before "
            "the change still import everywhere.",
            yes="Change my keys",
        ):
            return
        chosen = dialogs.save_file(
            self, "Save the key change file", "my-new-key.coachdesk-key", KEY_FILTER
        )
        if not chosen:
            return
        with_passphrase(
            self,
            lambda passphrase, progress: rotation.rotate_keys(
                self.profile, Path(chosen), passphrase=passphrase
            ),
            on_success=self._rotated,
            label="Changing your keys…",
        )

    def _rotated(self, done: rotation.RotationDone) -> None:
        dialogs.show_info(self, "New keys made", done.sentence())
        self._trust_written(done.new_fingerprint)

    def selected_key(self) -> trust.TrustedKeyInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self._keys[rows[0].row()] if rows else None

    def revoke_selected(self) -> None:
        key = self.selected_key()
        if key is None or key.revoked:
            dialogs.show_info(self, "Revoke a key", "Select a trusted key in the list first.")
            return
        if not dialogs.confirm(
            self,
            "Revoke this key?",
            f"From now on, bundles signed by {key.name}'s key ({key.fingerprint}) will be "
            "refused, and so will bundles signed by any key it introduced by a key change. "
            "What was already imported stays. A revoked key cannot be trusted again.",
            yes="Revoke",
        ):
            return
        run_in_background(
            self, lambda: trust.revoke(self.profile, key.key_id), on_success=self._revoked
        )

    def _revoked(self, done: trust.Revocation) -> None:
        dialogs.show_info(self, "Key revoked", done.sentence())
        self._trust_written(done.key.key_id)
