"""Menu actions for bundles: export for my laptops, export for someone, import (also by
dropping files on the window), and import a folder of bundles at once (a supervisor's coaches'
bundles). Work runs through run_in_background with a progress bar; a passphrase is asked for
when the keys live in a passphrase-protected file.

One file imported says what it did in a sentence; several files, or a folder, end in one
summary (coachdesk/ui/rollup/folder_import.py): files imported, changes merged, per coach, and
each refused file with its reason.

    actions = SyncActions(window, profile)  # what an import changed is published on the bus
    file_menu.addActions(actions.actions())
    actions.accept_drops(window)
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coachdesk.core.store.profile import Profile
from coachdesk.ui import dialogs
from coachdesk.ui.change_bus import bus_for
from coachdesk.ui.work import run_in_background

logger = logging.getLogger(__name__)

BUNDLE_FILTER = "coachdesk bundles (*.coachdesk);;All files (*)"


class PassphraseDialog(QDialog):
    """Asks for the passphrase that protects this laptop's keys; `typed` is what the coach
    typed last time, kept when a new passphrase was refused as too easy to guess."""

    def __init__(self, parent: QWidget | None, *, reason: str, typed: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("Passphrase for your keys")
        self.setMinimumWidth(420)  # the reason is a sentence or two: read it on a few lines
        layout = QVBoxLayout(self)
        self.reason = QLabel(reason)
        self.reason.setWordWrap(True)
        layout.addWidget(self.reason)
        self.field = QLineEdit(typed)
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setAccessibleName("Passphrase")
        layout.addWidget(self.field)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


class RecipientsDialog(QDialog):
    """Choose whom a bundle is for (the trusted, unrevoked keys)."""

    def __init__(self, parent: QWidget | None, names: list[str]) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export for…")
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel("The bundle will be encrypted so that only these people can read it:")
        )
        self.names = QListWidget()
        self.names.setAccessibleName("People to export for")
        for name in names:
            item = QListWidgetItem(name)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.names.addItem(item)
        layout.addWidget(self.names)
        self.unencrypted = QCheckBox("Do not encrypt (anyone holding the file can read it)")
        layout.addWidget(self.unencrypted)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def chosen(self) -> list[str]:
        items = [self.names.item(i) for i in range(self.names.count())]
        return [i.text() for i in items if i.checkState() == Qt.CheckState.Checked]


def with_passphrase(
    parent: QWidget | None,
    work: Callable[..., Any],
    *,
    on_success: Callable[[Any], None],
    label: str,
    passphrase: str | None = None,
) -> None:
    """Run `work(passphrase=..., progress=...)`; if the keys need a passphrase, ask and retry.

    A new passphrase refused as too easy to guess is asked for again with the reason (zxcvbn's
    advice) and what was typed, so the coach can add to it rather than start over.
    """
    from coachdesk.sync.errors import PassphraseNeeded
    from coachdesk.sync.key_file import WeakPassphrase

    def failed(exc: BaseException) -> None:
        if isinstance(exc, PassphraseNeeded):
            typed = (passphrase or "") if isinstance(exc, WeakPassphrase) else ""
            dialog = PassphraseDialog(parent, reason=str(exc), typed=typed)
            if dialogs.run(dialog) == QDialog.DialogCode.Accepted and dialog.field.text():
                with_passphrase(
                    parent, work, on_success=on_success, label=label, passphrase=dialog.field.text()
                )
            return
        dialogs.show_error(parent, "That did not work", dialogs.describe(exc))

    def job(progress: Callable[[int, int], None]) -> Any:
        return work(passphrase=(lambda: passphrase) if passphrase else None, progress=progress)

    run_in_background(parent, job, on_success=on_success, on_failure=failed, label=label)


def import_review(report: Any, held: Any) -> str:
    """What an import did, one paragraph per bundle, as the coach reads it after importing.

    Each bundle is named by who signed it as this profile trusts them (the trusted name); the
    name a sender gives its own laptop is never shown here, so it cannot pass for someone else.
    Changes held back for being stamped too far ahead of this laptop's clock are said last."""
    from coachdesk.sync.held_changes import after_import

    lines = [r.sentence() for r in report.imported] + [r.sentence() for r in report.rejected]
    still_held = after_import(report.imported, held)
    if still_held:
        lines.append(still_held)
    return "\n\n".join(lines)


def choose_folder(parent: QWidget | None, title: str) -> Path | None:
    """Ask for a folder (through dialogs.run, so tests answer it like any dialog)."""
    dialog = QFileDialog(parent, title)
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    if dialogs.run(dialog) != QDialog.DialogCode.Accepted:
        return None
    chosen = dialog.selectedFiles()
    return Path(chosen[0]) if chosen else None


class SyncActions(QObject):
    """Export and import actions for a window; what an import changed goes on the change bus."""

    def __init__(self, parent: QWidget, profile: Profile) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.profile = profile
        self.export_mine_action = QAction("Export for &my other laptops…", parent)
        self.export_mine_action.triggered.connect(self.export_for_my_laptops)
        self.export_to_action = QAction("Export &for someone…", parent)
        self.export_to_action.triggered.connect(self.export_for_someone)
        self.import_action = QAction("&Import bundles…", parent)
        self.import_action.setShortcut("Ctrl+I")
        self.import_action.triggered.connect(self.import_chosen)
        self.import_folder_action = QAction("Import a f&older of bundles…", parent)
        self.import_folder_action.setToolTip(
            "Import every bundle in a folder (your coaches' bundles, say), with one summary"
        )
        self.import_folder_action.triggered.connect(self.import_folder)

    def actions(self) -> list[QAction]:
        return [
            self.export_mine_action,
            self.export_to_action,
            self.import_action,
            self.import_folder_action,
        ]

    # --- export -----------------------------------------------------------------------------------

    def export_for_my_laptops(self) -> None:
        self._export(to=None, encrypt=True, suggested="my-laptops.coachdesk")

    def export_for_someone(self) -> None:
        from coachdesk.sync import trust

        names = trust.recipient_names(self.profile)
        if not names:
            dialogs.show_info(
                self.parent_widget,
                "Nobody to export for yet",
                "Trust someone's public key first, on the Trust page.",
            )
            return
        dialog = RecipientsDialog(self.parent_widget, names)
        if dialogs.run(dialog) != QDialog.DialogCode.Accepted:
            return
        chosen = dialog.chosen()
        if not chosen and not dialog.unencrypted.isChecked():
            dialogs.show_error(self.parent_widget, "Nobody chosen", "Tick at least one person.")
            return
        suggested = (chosen[0] if chosen else "bundle").lower().replace(" ", "-") + ".coachdesk"
        self._export(
            to=chosen or None, encrypt=not dialog.unencrypted.isChecked(), suggested=suggested
        )

    def _export(self, *, to: list[str] | None, encrypt: bool, suggested: str) -> None:
        from coachdesk.sync.export import export_bundle

        chosen = dialogs.save_file(
            self.parent_widget, "Save the bundle as", suggested, BUNDLE_FILTER
        )
        if not chosen:
            return
        path = Path(chosen)
        include_demo = self._ask_include_demo()
        with_passphrase(
            self.parent_widget,
            lambda passphrase, progress: export_bundle(
                self.profile,
                path,
                to=to,
                encrypt=encrypt,
                passphrase=passphrase,
                progress=progress,
                include_demo=include_demo,
            ),
            on_success=lambda result: dialogs.show_info(
                self.parent_widget, "Bundle written", result.sentence()
            ),
            label="Writing the bundle…",
        )

    def _ask_include_demo(self) -> bool:
        """The demo caseload stays on this laptop unless the coach asks for it to go too."""
        from coachdesk.core.demo.removal import has_demo

        if not has_demo(self.profile):
            return False
        return dialogs.confirm(
            self.parent_widget,
            "Send the demo caseload too?",
            "This profile holds the demo caseload. Bundles leave it out, so a colleague or "
            "supervisor never receives fictional schools. Send it too (for example to try "
            "coachdesk on your other laptop)?",
            yes="Send the demo too",
        )

    # --- import -----------------------------------------------------------------------------------

    def import_chosen(self) -> None:
        chosen = dialogs.open_files(self.parent_widget, "Import bundles", BUNDLE_FILTER)
        if chosen:
            self.import_paths([Path(p) for p in chosen])

    def import_folder(self) -> None:
        """Choose a folder and import every bundle in it, with one summary at the end."""
        folder = choose_folder(self.parent_widget, "Import a folder of bundles")
        if folder is not None:
            self.import_paths([folder])

    def import_paths(self, paths: list[Path]) -> None:
        """Import these files (and the bundles in these folders) in the background and report
        what changed: one file in a sentence, more in one summary."""
        if len(paths) > 1 or any(p.is_dir() for p in paths):
            self._import_many(paths)
            return
        from coachdesk.sync.held_changes import held_in
        from coachdesk.sync.importer import import_files

        def work(passphrase: Any, progress: Callable[[int, int], None]) -> tuple[Any, Any]:
            report = import_files(self.profile, paths, passphrase=passphrase, progress=progress)
            return report, held_in(self.profile)

        with_passphrase(self.parent_widget, work, on_success=self._imported, label="Importing…")

    def _imported(self, done: tuple[Any, Any]) -> None:
        report, held = done
        bus_for(self.profile).publish(report.changes, initiator=self)
        text = import_review(report, held)
        if report.rejected:
            title = (
                "Not imported"
                if len(report.rejected) + len(report.imported) == 1
                else ("Some bundles were not imported")
            )
            dialogs.show_error(self.parent_widget, title, text)
        else:
            dialogs.show_info(self.parent_widget, "Imported", text)

    def _import_many(self, paths: list[Path]) -> None:
        from coachdesk.sync.bundle_files import bundle_paths
        from coachdesk.sync.held_changes import held_in
        from coachdesk.sync.importer import import_files

        def work(passphrase: Any, progress: Callable[[int, int], None]) -> tuple[Any, ...]:
            # Listing a folder is work too (a network drive can be slow): off the GUI thread.
            files, refused = bundle_paths(paths)
            report = import_files(self.profile, files, passphrase=passphrase, progress=progress)
            return report, refused, held_in(self.profile)

        with_passphrase(
            self.parent_widget, work, on_success=self._imported_many, label="Importing bundles…"
        )

    def _imported_many(self, done: tuple[Any, ...]) -> None:
        from coachdesk.ui.announce import announce
        from coachdesk.ui.rollup.folder_import import (
            ImportSummaryDialog,
            folder_summary,
            refused_files,
        )

        report, refused, held = done
        bus_for(self.profile).publish(report.changes, initiator=self)
        summary = folder_summary(report, refused_files(refused), held)
        announce(self.parent_widget, summary.headline(), urgent=bool(summary.refused))
        dialogs.run(ImportSummaryDialog(self.parent_widget, summary))

    def merge_held_due(self) -> None:
        """Merge the held changes this laptop's clock has reached since they arrived (called
        once the window has painted); what they change goes on the bus like an import."""
        from coachdesk.sync.held_changes import merge_due

        run_in_background(
            self.parent_widget,
            lambda: merge_due(self.profile),
            on_success=lambda changes: bus_for(self.profile).publish(changes, initiator=self),
        )

    # --- drag and drop ----------------------------------------------------------------------------

    def accept_drops(self, widget: QWidget) -> None:
        """Let bundle files dropped on `widget` be imported."""
        widget.setAcceptDrops(True)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802  (Qt's name)
        if event.type() in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            if event.mimeData().hasUrls():  # type: ignore[attr-defined]
                event.acceptProposedAction()  # type: ignore[attr-defined]
                return True
        if event.type() == QEvent.Type.Drop and event.mimeData().hasUrls():  # type: ignore[attr-defined]
            paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]  # type: ignore[attr-defined]
            if paths:
                event.acceptProposedAction()  # type: ignore[attr-defined]
                self.import_paths(paths)
                return True
        return super().eventFilter(watched, event)
