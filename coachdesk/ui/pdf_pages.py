"""PDF pages as images, for the preview and for printing.

PDFium (through pypdfium2) renders the pages: it is the engine inside Qt's own PDF module, which
coachdesk cannot use on Python 3.11 (see pyproject.toml). `PdfPages` opens and renders a file;
`PdfPageView` shows every page one below the other, fitted to its width or at a chosen zoom.
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2
import pypdfium2.raw as pdfium_c
from PySide6.QtCore import QSize, QSizeF, Qt, QTimer
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from coachdesk.core.errors import RefusedInput

POINTS_PER_INCH = 72
# The space between pages and around them, in pixels.
PAGE_GAP = 12
MIN_ZOOM, MAX_ZOOM = 0.25, 4.0


class PdfPages:
    """An opened PDF file: its page count, page sizes and pages rendered to QImages."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            # Read into memory: the file can then be replaced or deleted while the preview is
            # open. PDFium parses it again for each page drawn (well under a millisecond for
            # our documents), so no native document stays open between drawings.
            self._bytes = self.path.read_bytes()
            document = pypdfium2.PdfDocument(self._bytes)
        except (OSError, pypdfium2.PdfiumError) as exc:
            reason = getattr(exc, "strerror", None) or "it is not a readable PDF"
            raise RefusedInput(
                f"The PDF {self.path.name} could not be opened ({reason}). Create it again and "
                "retry."
            ) from exc
        try:
            self._sizes = [QSizeF(*page.get_size()) for page in document]
        finally:
            document.close()
        self.closed = False

    @property
    def page_count(self) -> int:
        return len(self._sizes)

    def page_size(self, index: int) -> QSizeF:
        """The page's size in points (1/72 inch)."""
        return self._sizes[index]

    def render(self, index: int, *, dpi: float) -> QImage:
        """The page drawn on white at dpi dots per inch."""
        document = pypdfium2.PdfDocument(self._bytes)
        try:
            bitmap = document[index].render(
                scale=dpi / POINTS_PER_INCH,
                may_draw_forms=False,
                rev_byteorder=True,  # RGBA byte order, which QImage reads the same on every CPU
                force_bitmap_format=pdfium_c.FPDFBitmap_BGRA,
            )
            image = QImage(
                bytes(bitmap.buffer),
                bitmap.width,
                bitmap.height,
                bitmap.stride,
                QImage.Format.Format_RGBA8888,
            )
            # copy(): the QImage must own its pixels once the bitmap and the bytes are gone.
            return image.copy()
        finally:
            document.close()

    def close(self) -> None:
        """The preview is done with: later resizes draw nothing."""
        self.closed = True


class PdfPageView(QScrollArea):
    """Every page of a document, one below the other, fitted to the width or zoomed."""

    def __init__(self, pages: PdfPages, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pages = pages
        self.fits_width = True
        self.zoom_factor = 1.0  # 1.0 is the page's printed size on this screen
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        # Always there, so that fitting to the width never makes it come and go.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self._sheet = QWidget(self)
        self._sheet.setObjectName("pdfSheet")
        column = QVBoxLayout(self._sheet)
        column.setContentsMargins(PAGE_GAP, PAGE_GAP, PAGE_GAP, PAGE_GAP)
        column.setSpacing(PAGE_GAP)
        self.page_labels: list[QLabel] = []
        for index in range(pages.page_count):
            label = QLabel(self._sheet)
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            label.setAccessibleName(f"Page {index + 1} of {pages.page_count}")
            column.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
            self.page_labels.append(label)
        column.addStretch(1)
        self.setWidget(self._sheet)
        # Resizing re-renders the pages; wait until the resizing stops.
        self._rerender = QTimer(self, singleShot=True, interval=60)
        self._rerender.timeout.connect(self.render_pages)
        self._rendered_at: tuple[bool, float, int] | None = None

    def fit_width(self) -> None:
        self.fits_width = True
        self.render_pages()

    def set_zoom(self, factor: float) -> None:
        self.fits_width = False
        self.zoom_factor = max(MIN_ZOOM, min(MAX_ZOOM, factor))
        self.render_pages()

    def current_zoom(self) -> float:
        """The zoom in use: when fitted to the width, the factor that fitting gives."""
        if not self.fits_width or not self.pages.page_count:
            return self.zoom_factor
        widest = max(self.pages.page_size(i).width() for i in range(self.pages.page_count))
        available = self.viewport().width() - 2 * PAGE_GAP
        return max(MIN_ZOOM, available / (widest / POINTS_PER_INCH * self._screen_dpi()))

    def render_pages(self) -> None:
        if self.pages.closed:  # a resize after the dialog closed
            return
        zoom = self.current_zoom()
        key = (self.fits_width, round(zoom, 3), self.viewport().width())
        if key == self._rendered_at:
            return
        self._rendered_at = key
        # Fitted pages never need sideways scrolling; zoomed ones may.
        self.setHorizontalScrollBarPolicy(
            Qt.ScrollBarPolicy.ScrollBarAlwaysOff
            if self.fits_width
            else Qt.ScrollBarPolicy.ScrollBarAsNeeded
        )
        dpi = self._screen_dpi() * zoom
        ratio = self.devicePixelRatioF()
        for index, label in enumerate(self.page_labels):
            image = self.pages.render(index, dpi=dpi * ratio)
            pixmap = QPixmap.fromImage(image)
            pixmap.setDevicePixelRatio(ratio)
            label.setPixmap(pixmap)
            label.setFixedSize(QSize(round(image.width() / ratio), round(image.height() / ratio)))

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        self.render_pages()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        if self.fits_width:
            self._rerender.start()

    def _screen_dpi(self) -> float:
        return float(self.logicalDpiX() or 96)
