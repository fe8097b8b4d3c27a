"""The PDF preview: pages shown, saved, printed (to a PDF file, never a real printer)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialog

from coachdesk.reports.visit_summary import render_visit_summary
from coachdesk.ui.pdf_preview import PdfPreviewDialog, print_pdf, show_pdf_preview
from tests.unit.reports import samples


@pytest.fixture
def summary_pdf(tmp_path: Path) -> Path:
    path = tmp_path / "summary.pdf"
    result = render_visit_summary(samples.ny_typical(), path)
    assert result.pages == 2
    return path


@pytest.fixture
def preview(qtbot, summary_pdf: Path) -> PdfPreviewDialog:
    dialog = PdfPreviewDialog(summary_pdf, title="Visit summary", suggested_name="harborview.pdf")
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def test_preview_shows_the_page_count(preview: PdfPreviewDialog) -> None:
    assert preview.document.page_count == 2
    assert len(preview.view.page_labels) == 2
    assert preview.page_count_label.text() == "2 pages"
    assert preview.windowTitle() == "Visit summary"


def test_save_as_writes_a_copy_of_the_pdf(
    preview: PdfPreviewDialog, summary_pdf: Path, tmp_path: Path, scripted_dialogs, qtbot
) -> None:
    target = tmp_path / "out" / "for the principal"
    target.parent.mkdir()
    scripted_dialogs.file_answers.append(str(target))
    preview.save_button.click()
    saved = target.with_name("for the principal.pdf")  # the .pdf suffix is added
    assert saved.read_bytes() == summary_pdf.read_bytes()
    assert scripted_dialogs.shown[0] == ("save_file", "Save as PDF", "harborview.pdf")
    assert scripted_dialogs.errors() == []


def test_save_as_cancelled_writes_nothing(
    preview: PdfPreviewDialog, tmp_path: Path, scripted_dialogs
) -> None:
    scripted_dialogs.file_answers.append(None)
    assert preview.save_as() is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["summary.pdf"]


def test_save_into_a_missing_folder_says_so(
    preview: PdfPreviewDialog, tmp_path: Path, scripted_dialogs
) -> None:
    scripted_dialogs.file_answers.append(str(tmp_path / "no such folder" / "x.pdf"))
    assert preview.save_as() is None
    assert len(scripted_dialogs.errors()) == 1
    assert "Nothing was changed" in scripted_dialogs.errors()[0]


def test_print_renders_every_page_into_the_printer(
    preview: PdfPreviewDialog, tmp_path: Path
) -> None:
    printed = tmp_path / "printed.pdf"
    sent = print_pdf(preview.document, pdf_printer(printed))
    assert sent == 2
    assert len(PdfReader(printed).pages) == 2


def test_print_respects_a_page_range(preview: PdfPreviewDialog, tmp_path: Path) -> None:
    printed = tmp_path / "page2.pdf"
    printer = pdf_printer(printed)
    printer.setFromTo(2, 2)
    assert print_pdf(preview.document, printer) == 1
    assert len(PdfReader(printed).pages) == 1


def test_print_button_goes_through_the_print_dialog(
    preview: PdfPreviewDialog, tmp_path: Path, scripted_dialogs
) -> None:
    printed = tmp_path / "from-button.pdf"

    def accept(chooser) -> int:
        printer = chooser.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        return QDialog.DialogCode.Accepted

    scripted_dialogs.dialog_handler = accept
    preview.print_button.click()
    assert ("dialog", "QPrintDialog", "Print Visit summary") in scripted_dialogs.shown
    assert len(PdfReader(printed).pages) == 2
    assert scripted_dialogs.errors() == []


def test_buttons_are_named_for_assistive_technology(preview: PdfPreviewDialog) -> None:
    names = {
        b.accessibleName()
        for b in (preview.print_button, preview.save_button, preview.close_button)
    }
    assert names == {"Print", "Save as PDF", "Close"}
    assert preview.view.accessibleName() == "Visit summary, page view"


def test_pages_fill_the_width_and_zoom_in_and_out(preview: PdfPreviewDialog, qtbot) -> None:
    view = preview.view
    preview.resize(700, 600)

    def fills_the_width() -> bool:  # the page fills the view's width but for the margins
        width = view.viewport().width()
        return width - 40 <= view.page_labels[0].width() <= width

    qtbot.waitUntil(fills_the_width)
    fitted = view.page_labels[0].width()
    preview.zoom_in_button.click()
    assert not view.fits_width
    assert view.page_labels[0].width() == pytest.approx(fitted * 1.25, abs=3)
    preview.zoom_out_button.click()
    preview.zoom_out_button.click()
    assert view.page_labels[0].width() == pytest.approx(fitted / 1.25, abs=3)
    preview.fit_width_button.click()
    assert view.fits_width
    assert view.page_labels[0].width() == pytest.approx(fitted, abs=2)


def test_the_pages_show_the_summary(preview: PdfPreviewDialog, qtbot) -> None:
    """The rendered page is the document: mostly white paper with dark text on it."""
    qtbot.waitUntil(lambda: preview.view.page_labels[0].pixmap().width() > 100)
    image = preview.view.page_labels[0].pixmap().toImage()
    dark = sum(
        1
        for y in range(0, image.height(), 4)
        for x in range(0, image.width(), 4)
        if image.pixelColor(x, y).lightness() < 100
    )
    samples_taken = (image.height() // 4) * (image.width() // 4)
    assert 0.005 < dark / samples_taken < 0.3


def test_a_file_that_is_not_a_pdf_is_reported(tmp_path: Path, scripted_dialogs) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_text("not a pdf")
    show_pdf_preview(None, broken, title="Visit summary")
    assert len(scripted_dialogs.errors()) == 1
    assert "could not be opened" in scripted_dialogs.errors()[0]
