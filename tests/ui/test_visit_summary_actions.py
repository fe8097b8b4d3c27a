"""Print summary…: rendered in the background, then previewed with the right pages."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from coachdesk.core.visits import get_visit, list_visits
from coachdesk.ui.pdf_preview import PdfPreviewDialog
from coachdesk.ui.visit_summary_actions import preview_visit_summary, suggested_name


@pytest.fixture
def temporary_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where the summary's temporary file goes, to see that nothing is left behind."""
    folder = tmp_path / "temporary"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_preview_opens_with_the_summary_pages(
    demo, qtbot, scripted_dialogs, temporary_folder: Path
) -> None:
    row = next(r for r in list_visits(demo) if r.visit_type == "learning_walk")
    visit = get_visit(demo, row.id)
    seen: dict[str, object] = {}

    def look(dialog: PdfPreviewDialog) -> int:
        seen["pages"] = dialog.document.page_count
        seen["label"] = dialog.page_count_label.text()
        seen["name"] = dialog.suggested_name
        seen["path"] = dialog.pdf_path
        seen["pdf_pages"] = len(PdfReader(dialog.pdf_path).pages)
        seen["text"] = PdfReader(dialog.pdf_path).pages[0].extract_text()
        return 0

    scripted_dialogs.dialog_handler = look
    preview_visit_summary(None, demo, row.id)

    assert scripted_dialogs.shown == [("dialog", "PdfPreviewDialog", "Visit summary")]
    assert seen["pages"] == seen["pdf_pages"] and 1 <= seen["pages"] <= 2
    assert seen["label"] == f"{seen['pages']} page{'s' if seen['pages'] != 1 else ''}"
    date = visit.starts_at.date().isoformat()
    assert seen["name"] == f"{date} {visit.school_name} visit summary.pdf"
    assert visit.school_name in seen["text"]
    assert Path(seen["path"]).is_relative_to(temporary_folder)
    assert list(temporary_folder.iterdir()) == []  # the temporary copy goes with the preview


def test_an_unknown_visit_shows_one_error_and_no_preview(
    demo, qtbot, scripted_dialogs, temporary_folder: Path
) -> None:
    preview_visit_summary(None, demo, "no-such-visit")
    assert scripted_dialogs.shown == [
        ("error", "The summary could not be prepared", "There is no visit with id no-such-visit.")
    ]
    assert list(temporary_folder.iterdir()) == []


def test_suggested_names_are_safe_file_names() -> None:
    assert suggested_name("2026-11-18", "Lincoln Park Elementary") == (
        "2026-11-18 Lincoln Park Elementary visit summary.pdf"
    )
    assert suggested_name("2026-11-18", 'P.S. 12 / "Annex": East?') == (
        "2026-11-18 P.S. 12 Annex East visit summary.pdf"
    )
