"""The File menu's caseload entries: import schools from a file, export the caseload, start the
next school year. Light to import (the dialogs load when chosen: they need the ORM)."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from coachdesk.core.store.profile import Profile


def caseload_file_actions(window: QWidget, profile: Profile) -> list[QAction]:
    """Import schools from a file…, Export the caseload to a file…, Start the next school year…"""

    def import_file() -> None:
        from coachdesk.ui.caseload.caseload_file_dialog import import_schools_file

        import_schools_file(profile, window)

    def export_file() -> None:
        from coachdesk.ui.caseload.caseload_file_dialog import export_caseload_file

        export_caseload_file(profile, window)

    def next_year() -> None:
        from coachdesk.ui.caseload.next_year_dialog import start_next_year

        start_next_year(profile, window)  # the dialog publishes what it wrote

    found = []
    for text, tip, slot in (
        (
            "Import &schools from a file…",
            "Districts and schools from a CSV file, such as the state directory's export",
            import_file,
        ),
        (
            "E&xport the caseload to a file…",
            "Every district and school, as a CSV file",
            export_file,
        ),
        (
            "Start the &next school year…",
            "Carry this year's assignments over, each once you tick it",
            next_year,
        ),
    ):
        action = QAction(text, window)
        action.setToolTip(tip)
        action.triggered.connect(lambda *_, run=slot: run())
        found.append(action)
    return found
