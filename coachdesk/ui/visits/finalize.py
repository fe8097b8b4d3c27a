"""What the coach sees when finalizing: missing answers, and possible student identity."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


def missing_text(missing: tuple[str, ...]) -> str:
    """The sentence listing the answers a note needs before it can be final."""
    lines = "\n".join(f"• {m}" for m in missing)
    return f"Answer these before finalizing the note:\n\n{lines}\n\nThe first one is selected."


class PrivacyWarningDialog(QDialog):
    """Shows the privacy warnings; "Finalize anyway" accepts, "Edit" goes back to the note."""

    def __init__(self, warnings: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("This note may identify a student")
        self.warnings = warnings
        intro = QLabel(
            "Notes never hold student names, initials, ID numbers or birth dates. "
            "coachdesk found these; check each one:"
        )
        intro.setWordWrap(True)
        listing = QLabel("\n".join(f"• {w}" for w in warnings))
        listing.setWordWrap(True)
        listing.setAccessibleName("Privacy warnings")
        after = QLabel(
            "Choose Edit to change the note, or Finalize anyway if these are not about students "
            "(for example an adult's initials or a room booking number)."
        )
        after.setWordWrap(True)
        buttons = QDialogButtonBox()
        self.edit_button = QPushButton("Edit")
        self.finalize_button = QPushButton("Finalize anyway")
        buttons.addButton(self.edit_button, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.addButton(self.finalize_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.edit_button.setDefault(True)  # the safe choice is the one Enter picks
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(listing)
        layout.addWidget(after)
        layout.addWidget(buttons)
        self.setMinimumWidth(480)
