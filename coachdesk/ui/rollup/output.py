"""Export CSV… and Print… of the Roll-up area: the roll-up as shown, written off the GUI thread.

export_rollup_csv(parent, rollup)   # asks where, writes reports/rollup_csv.py's CSV
preview_rollup(parent, rollup)      # renders reports/rollup_report.py's landscape PDF, then
                                    # the print preview (Print…, Save as PDF…)
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QWidget

from coachdesk.ui import dialogs
from coachdesk.ui.announce import announce
from coachdesk.ui.work import run_in_background

logger = logging.getLogger(__name__)

CSV_FILTER = "CSV files (*.csv);;All files (*)"


def file_stem(rollup: Any) -> str:
    """'2026-11-18 roll-up', with the program when the roll-up is filtered to one."""
    stem = f"{rollup.as_of.isoformat()} roll-up"
    if rollup.filter.program:
        stem += f" {rollup.filter.program}"
    return stem


def export_rollup_csv(parent: QWidget, rollup: Any) -> None:
    """Ask where to save the roll-up as CSV, then write it in the background."""
    from coachdesk.reports.rollup_csv import write_rollup_csv

    chosen = dialogs.save_file(
        parent, "Save the roll-up as", f"{file_stem(rollup)}.csv", CSV_FILTER
    )
    if not chosen:
        return
    path = Path(chosen)
    if path.suffix.lower() != ".csv":
        path = path.with_name(path.name + ".csv")

    def written(rows: int) -> None:
        sentence = f"The roll-up ({rows} lines) was saved to {path}."
        announce(parent, sentence)
        dialogs.show_info(parent, "Roll-up saved", sentence)

    run_in_background(
        parent,
        lambda: write_rollup_csv(rollup, path),
        on_success=written,
        label="Writing the roll-up…",
    )


def preview_rollup(parent: QWidget, rollup: Any) -> None:
    """Render the landscape roll-up report in the background, then open the print preview."""
    from coachdesk.ui.visit_summary_actions import SummaryFile, preview_rendered_pdf

    name = f"{file_stem(rollup)}.pdf"

    def render(folder: Path) -> SummaryFile:
        from coachdesk.reports.rollup_report import render_rollup_report

        path = folder / name
        result = render_rollup_report(rollup, path)
        return SummaryFile(path=path, suggested_name=name, pages=result.pages)

    preview_rendered_pdf(
        parent,
        render,
        title="Coaching roll-up",
        label="Preparing the roll-up…",
        failure="The roll-up could not be prepared",
    )
