"""Print summary…: a visit's one-to-two page summary for the principal, previewed first.

    preview_visit_summary(parent, profile, visit_id)

The summary is built and drawn off the GUI thread into a temporary file, then shown in the PDF
preview (Print…, Save as PDF…). The temporary file is removed when the preview closes; a saved
copy is the coach's own. Once it was printed or saved, a final note not yet shared asks whether
it was shared with the school (ui/share_note.py). When possible student identifiers were masked
in what prints (reports/masking.py), the coach is told where before the preview opens.
"""

from __future__ import annotations

import logging
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import QWidget

from coachdesk.core.store.profile import Profile
from coachdesk.ui import dialogs
from coachdesk.ui.pdf_preview import show_pdf_preview
from coachdesk.ui.work import run_in_background

logger = logging.getLogger(__name__)

PREVIEW_TITLE = "Visit summary"
MASKED_TITLE = "Some words print as [withheld]"
# Characters no file name may hold on Windows, macOS or Linux.
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]+')


@dataclass(frozen=True)
class SummaryFile:
    """A rendered summary waiting in a temporary folder, and what to call it when saved."""

    path: Path
    suggested_name: str
    pages: int
    masked: tuple[str, ...] = ()  # where student identifiers print masked
    walk: bool = False  # a learning walk's, where teachers' names and rooms are masked too


def suggested_name(visit_date: str, school: str) -> str:
    """A file name like "2026-11-18 Lincoln Park Elementary School visit summary.pdf"."""
    school = " ".join(_UNSAFE.sub(" ", school).split()).strip(". ") or "School"
    return f"{visit_date} {school} visit summary.pdf"


def render_summary_file(
    profile: Profile, visit_id: str, folder: Path, *, large_print: bool = False
) -> SummaryFile:
    """Build and draw the visit's summary into `folder` (runs on a worker thread)."""
    from coachdesk.reports.visit_source import build_visit_summary
    from coachdesk.reports.visit_summary import render_visit_summary

    data = build_visit_summary(profile, visit_id)  # student identifiers already masked
    name = suggested_name(data.header.visit_date.isoformat(), data.header.school)
    path = folder / name
    result = render_visit_summary(data, path, large_print=large_print)
    return SummaryFile(
        path=path,
        suggested_name=name,
        pages=result.pages,
        masked=data.masked,
        walk=data.learning_walk is not None,
    )


def preview_visit_summary(
    parent: QWidget | None, profile: Profile, visit_id: str, *, large_print: bool = False
) -> None:
    """Render the visit's summary in the background, then open the print preview; after it
    was printed or saved, ask whether to mark the note shared with the school."""
    from coachdesk.ui.share_note import ask_to_share

    preview_rendered_pdf(
        parent,
        lambda folder: render_summary_file(profile, visit_id, folder, large_print=large_print),
        title=PREVIEW_TITLE,
        label="Preparing the summary…",
        failure="The summary could not be prepared",
        delivered=lambda: ask_to_share(parent, profile, visit_id),
    )


def preview_rendered_pdf(
    parent: QWidget | None,
    render: Callable[[Path], SummaryFile],
    *,
    title: str,
    label: str,
    failure: str,
    delivered: Callable[[], object] | None = None,
) -> None:
    """Render a PDF into a temporary folder off the GUI thread, then open the preview.

    The temporary file is removed when the preview closes; a saved copy is the coach's own.
    `delivered` runs after the preview closed when the PDF was printed or saved.
    """
    folder = Path(tempfile.mkdtemp(prefix="coachdesk-report-"))

    def clean_up() -> None:
        shutil.rmtree(folder, ignore_errors=True)

    def rendered(summary: SummaryFile) -> None:
        try:
            if summary.masked:  # told before the preview, where it is read with the PDF
                from coachdesk.reports.masking import masked_sentence

                told = masked_sentence(summary.masked, walk=summary.walk)
                dialogs.show_info(parent, MASKED_TITLE, told)
            sent = show_pdf_preview(
                parent, summary.path, title=title, suggested_name=summary.suggested_name
            )
        finally:
            clean_up()
        if sent and delivered is not None:
            delivered()

    def failed(exc: BaseException) -> None:
        clean_up()
        logger.warning("%s: %s", failure, exc)
        dialogs.show_error(parent, failure, dialogs.describe(exc))

    run_in_background(
        parent,
        lambda: render(folder),
        on_success=rendered,
        on_failure=failed,
        label=label,
    )
