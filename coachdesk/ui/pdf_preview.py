"""Preview a PDF (a visit summary, a caseload report) before printing or saving it.

    show_pdf_preview(parent, "/tmp/summary.pdf", title="Visit summary", suggested_name="x.pdf")

The dialog shows every page fitted to its width, with Print…, Save as PDF… and Close. Printing
renders each page (coachdesk.ui.pdf_pages) into the printer (`print_pdf`, also used by tests with
a QPrinter that writes a PDF file). Every modal goes through coachdesk.ui.dialogs.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QImage, QKeySequence, QPainter, QShortcut
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from coachdesk.core.errors import RefusedInput
from coachdesk.ui import dialogs
from coachdesk.ui.pdf_pages import PdfPages, PdfPageView
from coachdesk.ui.screen_fit import largest_size

logger = logging.getLogger(__name__)

# Pages are rendered at no more than this many dots per inch, then scaled by the printer: a
# 1200 dpi printer would otherwise need half a gigabyte per page.
MAX_PRINT_DPI = 300
ZOOM_STEP = 1.25


def print_pdf(document: PdfPages, printer: QPrinter) -> int:
    """Render the document's pages (the printer's page range, or all) into the printer.

    Returns the number of pages sent. Each page keeps its proportions and is centred in the
    printable area.
    """
    total = document.page_count
    if total == 0:
        raise RefusedInput("There is nothing to print: the document has no pages.")
    first, last = printer.fromPage(), printer.toPage()
    if first == 0 and last == 0:  # no range chosen: every page
        first, last = 1, total
    pages = range(max(first, 1) - 1, min(last, total))
    painter = QPainter()
    if not painter.begin(printer):
        raise RefusedInput("The printer could not be started. Check that it is on and try again.")
    sent = 0
    try:
        area = printer.pageRect(QPrinter.Unit.DevicePixel).toRect()
        area.moveTo(0, 0)
        dpi = min(printer.resolution(), MAX_PRINT_DPI)
        for page in pages:
            if sent:
                printer.newPage()
            image = document.render(page, dpi=dpi)
            painter.drawImage(_fitted(image, area), image)
            sent += 1
    finally:
        painter.end()
    return sent


def _fitted(image: QImage, area: QRect) -> QRect:
    """The largest rectangle of the image's shape that fits in area, centred."""
    size = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
    return QRect(
        area.x() + (area.width() - size.width()) // 2,
        area.y() + (area.height() - size.height()) // 2,
        size.width(),
        size.height(),
    )


class PdfPreviewDialog(QDialog):
    """A PDF shown page after page, fitted to the window's width."""

    def __init__(
        self,
        pdf_path: str | Path,
        *,
        title: str = "Preview",
        suggested_name: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.pdf_path = Path(pdf_path)
        self.suggested_name = suggested_name or self.pdf_path.name
        # Whether the document was printed or saved (a visit summary then asks whether the note
        # was shared with the school).
        self.delivered = False
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.resize(QSize(820, 960).boundedTo(largest_size(parent or self)))

        self.document = PdfPages(self.pdf_path)  # RefusedInput when it cannot be read
        self.finished.connect(self.document.close)

        self.view = PdfPageView(self.document, self)
        self.view.setAccessibleName(f"{title}, page view")
        self.view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        pages = self.document.page_count
        self.page_count_label = QLabel(f"{pages} page{'s' if pages != 1 else ''}", self)
        self.page_count_label.setAccessibleName("Number of pages")

        self.zoom_out_button = self._button("Zoom &out", "Make the pages smaller", self.zoom_out)
        self.fit_width_button = self._button("&Fit width", "Fit the pages to the window", self.fit)
        self.zoom_in_button = self._button("Zoom &in", "Make the pages larger", self.zoom_in)
        self.print_button = self._button("&Print…", "Print this document", self.print_document)
        self.save_button = self._button("&Save as PDF…", "Save a copy of this PDF", self.save_as)
        self.close_button = self._button("&Close", "Close the preview", self.reject)

        tools = QHBoxLayout()
        tools.addWidget(self.page_count_label)
        tools.addStretch(1)
        for button in (self.zoom_out_button, self.fit_width_button, self.zoom_in_button):
            tools.addWidget(button)
        actions = QHBoxLayout()
        actions.addStretch(1)
        for button in (self.print_button, self.save_button, self.close_button):
            actions.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(tools)
        layout.addWidget(self.view, 1)
        layout.addLayout(actions)

        QShortcut(QKeySequence.StandardKey.Print, self, activated=self.print_document)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save_as)
        QShortcut(QKeySequence.StandardKey.ZoomIn, self, activated=self.zoom_in)
        QShortcut(QKeySequence.StandardKey.ZoomOut, self, activated=self.zoom_out)
        self.close_button.setDefault(False)
        self.print_button.setDefault(True)
        self.view.setFocus()

    def _button(self, label: str, description: str, slot: object) -> QPushButton:
        button = QPushButton(label, self)
        button.setAccessibleName(label.replace("&", "").rstrip("…"))
        button.setAccessibleDescription(description)
        button.setToolTip(description)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    # --- zoom -------------------------------------------------------------------------------------

    def fit(self) -> None:
        self.view.fit_width()

    def zoom_in(self) -> None:
        self._zoom(ZOOM_STEP)

    def zoom_out(self) -> None:
        self._zoom(1 / ZOOM_STEP)

    def _zoom(self, factor: float) -> None:
        self.view.set_zoom(self.view.current_zoom() * factor)

    # --- print and save ---------------------------------------------------------------------------

    def print_document(self) -> None:
        """Ask for a printer and page range, then print."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.windowTitle())
        chooser = QPrintDialog(printer, self)
        chooser.setWindowTitle(f"Print {self.windowTitle()}")
        chooser.setMinMax(1, self.document.page_count)
        if dialogs.run(chooser) != QDialog.DialogCode.Accepted:
            return
        try:
            print_pdf(self.document, printer)
        except Exception as exc:  # a printer failure must never lose the dialog
            logger.exception("printing failed")
            dialogs.show_error(self, "Printing did not work", dialogs.describe(exc))
            return
        self.delivered = True

    def save_as(self) -> Path | None:
        """Copy the PDF to a place the coach chooses; returns where it went."""
        chosen = dialogs.save_file(self, "Save as PDF", self.suggested_name, "PDF files (*.pdf)")
        if not chosen:
            return None
        target = Path(chosen)
        if target.suffix.lower() != ".pdf":
            target = target.with_name(target.name + ".pdf")
        try:
            if target.resolve() != self.pdf_path.resolve():
                shutil.copyfile(self.pdf_path, target)
        except OSError as exc:
            dialogs.show_error(self, "The PDF was not saved", dialogs.describe(exc))
            return None
        self.delivered = True
        return target


def show_pdf_preview(
    parent: QWidget | None,
    pdf_path: str | Path,
    *,
    title: str = "Preview",
    suggested_name: str | None = None,
) -> bool:
    """Open the preview dialog modally (through coachdesk.ui.dialogs); True when the document
    was printed or saved before it closed."""
    try:
        preview = PdfPreviewDialog(
            pdf_path, title=title, suggested_name=suggested_name, parent=parent
        )
    except RefusedInput as exc:
        dialogs.show_error(parent, "The preview could not open", str(exc))
        return False
    dialogs.run(preview)
    return preview.delivered
