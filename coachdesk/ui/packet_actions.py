"""Send packet…: one visit's records and its summary PDF, signed, for a supervisor or colleague.

    send_packet(parent, profile, visit_id)

Asks whom it is for (the trusted keys; encrypted for them, as DESIGN.md section 5 asks of
anything leaving the coach's laptops) and where to save it, then writes the packet in the
background and says what was written; a final note not yet shared then asks whether it was
shared with the school (ui/share_note.py). Receiving a packet needs nothing new: File ▸ Import
bundles… and dropping the file on the window merge it like any bundle.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QLabel, QVBoxLayout, QWidget

from coachdesk.core.errors import CoachdeskError
from coachdesk.core.store.profile import Profile
from coachdesk.ui import dialogs
from coachdesk.ui.sync_actions import BUNDLE_FILTER, RecipientsDialog, with_passphrase

if TYPE_CHECKING:  # the sync layer loads the ORM: imported when a packet is sent, not at start-up
    from coachdesk.sync.packet import PacketResult, PacketVisit

logger = logging.getLogger(__name__)

TITLE = "Send visit packet"


class PacketRecipientsDialog(RecipientsDialog):
    """Choose whom a visit packet is for; says what it carries and what stays behind."""

    def __init__(self, parent: QWidget | None, names: list[str], visit: PacketVisit) -> None:
        super().__init__(parent, names)
        self.setWindowTitle(TITLE + "…")
        self.names.setAccessibleName("People to send the packet to")
        draft = " The note is a draft, so the PDF is marked DRAFT." if visit.draft else ""
        about = QLabel(
            f"The packet carries the {visit.visit_type.lower()} at {visit.school} on "
            f"{visit.shown_date}: its answers and next steps, the school's record and the "
            f"principal's summary PDF.{draft} Answers marked internal stay on your own laptops."
        )
        about.setWordWrap(True)
        for label in self.findChildren(QLabel):  # the export dialog's wording, said of a packet
            label.setText("It will be encrypted so that only these people can read it:")
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(0, about)


def send_packet(parent: QWidget | None, profile: Profile, visit_id: str) -> None:
    """Ask for recipients and a file, then write the visit's packet in the background."""
    from coachdesk.sync import trust
    from coachdesk.sync.packet import describe_visit, packet_file_name, write_packet

    try:
        visit = describe_visit(profile, visit_id)
    except CoachdeskError as exc:
        dialogs.show_error(parent, "No packet written", str(exc))
        return
    names = trust.recipient_names(profile)
    if not names:
        dialogs.show_info(
            parent,
            "Nobody to send to yet",
            "A packet is encrypted for the people it is for. Trust your supervisor's or "
            "colleague's public key first, on the Trust page.",
        )
        return
    dialog = PacketRecipientsDialog(parent, names, visit)
    if dialogs.run(dialog) != QDialog.DialogCode.Accepted:
        return
    chosen = dialog.chosen()
    encrypt = not dialog.unencrypted.isChecked()
    if not chosen and encrypt:
        dialogs.show_error(parent, "Nobody chosen", "Tick at least one person.")
        return
    answer = dialogs.save_file(
        parent, "Save the visit packet as", packet_file_name(visit), BUNDLE_FILTER
    )
    if not answer:
        return
    path = Path(answer)

    def written(result: PacketResult) -> None:
        from coachdesk.ui.share_note import ask_to_share

        dialogs.show_info(parent, "Packet written", result.sentence())
        ask_to_share(parent, profile, visit_id)

    with_passphrase(
        parent,
        lambda passphrase, progress: write_packet(
            profile,
            visit_id,
            path,
            to=chosen if encrypt else None,
            encrypt=encrypt,
            passphrase=passphrase,
            progress=progress,
        ),
        on_success=written,
        label="Writing the visit packet…",
    )


def save_packet_pdf(parent: QWidget | None, profile: Profile) -> None:
    """File ▸ Save the PDF from a visit packet…: for the supervisor or colleague who received
    one. The packet is verified (and decrypted) first; nothing is merged."""
    from coachdesk.sync.packet import open_packet_file, save_attachment

    chosen = dialogs.open_file(parent, "Choose a visit packet", BUNDLE_FILTER)
    if not chosen:
        return
    source = Path(chosen)

    def read(passphrase, progress):
        return open_packet_file(profile, source, passphrase=passphrase)

    def opened(contents) -> None:
        answer = dialogs.save_file(
            parent, "Save the visit summary as", contents.attachment.name, "PDF files (*.pdf)"
        )
        if not answer:
            return
        target = Path(answer)
        if target.suffix.lower() != ".pdf":
            target = target.with_name(target.name + ".pdf")
        try:
            save_attachment(contents, target)
        except OSError as exc:
            dialogs.show_error(
                parent, "The PDF was not saved", f"{target} could not be written: {exc.strerror}."
            )
            return
        dialogs.show_info(
            parent,
            "PDF saved",
            f"Saved the summary of {contents.visit.describe()} to {target}. "
            "To add the visit itself to your caseload, import the packet (File ▸ Import bundles…).",
        )

    with_passphrase(parent, read, on_success=opened, label="Checking the visit packet…")
