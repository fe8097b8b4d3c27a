"""Reports ▸ Caseload report…: the supervisor's caseload status report, for one program or all.

    open_caseload_report(parent, profile)

A small dialog chooses the program (the ones on this year's caseload, or all) and large print;
the report is then drawn off the GUI thread and previewed (ui/visit_summary_actions.py
preview_rendered_pdf: Print…, Save as PDF…).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import QCheckBox, QDialog, QWidget

from coachdesk.core.caseload import list_caseload
from coachdesk.core.store.profile import Profile
from coachdesk.ui import dialogs
from coachdesk.ui.caseload.form_dialog import FormDialog
from coachdesk.ui.reports.rendering import file_name

ALL_PROGRAMS = ""
PREVIEW_TITLE = "Caseload status report"


def caseload_programs(profile: Profile) -> list[tuple[str, str]]:
    """(code, name) of the programs on this year's caseload, in the caseload's order."""
    seen: dict[str, str] = {}
    for row in list_caseload(profile):
        seen.setdefault(row.program_code, row.program_name)
    return sorted(seen.items(), key=lambda pair: pair[1])


class CaseloadReportDialog(FormDialog):
    """The program to report on and the print size; Preview… opens the report."""

    def __init__(self, profile: Profile, *, parent: QWidget | None = None) -> None:
        super().__init__("Caseload report", save_label="Preview…", parent=parent)
        self.programs = caseload_programs(profile)
        choices = [("All programs", ALL_PROGRAMS)] + [(name, code) for code, name in self.programs]
        self.program_box = self.add_choice("program", "Program", choices, ALL_PROGRAMS)
        self.large_print = QCheckBox("&Large print")
        self.large_print.setAccessibleName("Large print")
        self.large_print.setToolTip("Larger type, for reading on paper or on a small screen")
        self.form.addRow("", self.large_print)
        self.program_box.setFocus()

    def choose(self, program_code: str) -> None:
        self.program_box.setCurrentIndex(self.program_box.findData(program_code))

    def chosen(self) -> tuple[str | None, bool]:
        """The program code (None for all) and whether large print was asked for."""
        return (self.program_box.currentData() or None), self.large_print.isChecked()


def render_caseload_file(
    profile: Profile, folder: Path, *, program: str | None = None, large_print: bool = False
):
    """The caseload report for one program (or all), drawn into `folder` (on a worker thread)."""
    from coachdesk.core.programs import programs
    from coachdesk.reports.caseload_report import render_caseload_report
    from coachdesk.reports.caseload_source import build_caseload_report
    from coachdesk.ui.visit_summary_actions import SummaryFile

    data = build_caseload_report(profile, program=program)  # prepared by: the profile's coach
    name = file_name(
        dt.date.today().isoformat(),
        programs()[program].name if program else "",
        f"caseload status {data.school_year}",
        suffix=".pdf",
    )
    result = render_caseload_report(data, folder / name, large_print=large_print)
    return SummaryFile(path=folder / name, suggested_name=name, pages=result.pages)


def open_caseload_report(parent: QWidget | None, profile: Profile) -> None:
    """Choose the program and print size, then preview the report."""
    from coachdesk.ui.visit_summary_actions import preview_rendered_pdf

    dialog = CaseloadReportDialog(profile, parent=parent)
    try:
        if dialogs.run(dialog) != QDialog.DialogCode.Accepted:
            return
        program, large = dialog.chosen()
    finally:
        dialog.deleteLater()  # not kept hidden under the window once closed
    preview_rendered_pdf(
        parent,
        lambda folder: render_caseload_file(profile, folder, program=program, large_print=large),
        title=PREVIEW_TITLE,
        label="Preparing the caseload report…",
        failure="The caseload report could not be prepared",
    )
