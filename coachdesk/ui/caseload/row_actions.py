"""What the caseload list does to its schools: add, edit details, assign, end, archive.

The actions act on the selected row; the caseload's context menu and the window's Edit menu
show the same ones. Each write publishes its ChangeSummary on the change bus with this
view as the initiator, and the view shows it itself (the bus skips the initiator). The
dialogs are imported when first opened: they need the ORM, kept off the start-up path.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction

from coachdesk.core.changes import ChangeSummary
from coachdesk.core.errors import CoachdeskError
from coachdesk.ui import dialogs
from coachdesk.ui.change_bus import bus_for

if TYPE_CHECKING:
    from coachdesk.ui.caseload.caseload_view import CaseloadView


class RowActions(QObject):
    def __init__(self, view: CaseloadView) -> None:
        super().__init__(view)
        self.view = view
        self.edit = self._action("&Edit school details…", self.edit_selected)
        self.assign = self._action("Assign to a &program…", self.assign_selected)
        self.end = self._action("E&nd this assignment…", self.end_selected)
        self.archive = self._action("&Archive…", self.archive_selected)
        self.unarchive = self._action("&Unarchive", self.unarchive_selected)
        view.table.selectionModel().currentChanged.connect(lambda *_: self.update())
        view.model.modelReset.connect(self.update)
        self.update()

    def _action(self, text: str, slot) -> QAction:
        action = QAction(text, self.view)
        action.triggered.connect(lambda *_: slot())
        return action

    def menu_actions(self) -> list[QAction]:
        return [self.edit, self.assign, self.end, self.archive, self.unarchive]

    def update(self) -> None:
        """Enable what fits the selected row (Unarchive only on an archived school)."""
        row = self.view.current_row()
        archived = row is not None and self.view.is_archived(row.school_id)
        self.edit.setEnabled(row is not None)
        self.assign.setEnabled(row is not None and not archived)
        self.end.setEnabled(row is not None and bool(row.assignment_id) and not archived)
        self.archive.setEnabled(row is not None and not archived)
        self.unarchive.setEnabled(archived)
        self.unarchive.setVisible(archived or self.view.archived_box.isChecked())

    # --- the write, shown here and published -----------------------------------------------------

    def _written(self, changes: ChangeSummary, school_id: str | None = None) -> None:
        bus_for(self.view.profile).publish(changes, initiator=self.view)
        self.view._with_organizations = True
        self.view.reload()
        if school_id is not None:
            self.view.select_school(school_id)
        self.view.table.setFocus()

    def _selected(self):
        return self.view.current_row()

    # --- adding ----------------------------------------------------------------------------------

    def add_school(self) -> None:
        from coachdesk.ui.caseload.organization_dialog import add_organization

        row = self._selected()
        written = add_organization(
            self.view.profile, self.view, district_id=row.district_id if row else None
        )
        if written is not None:
            self._shown(written.id)

    def add_district(self) -> None:
        from coachdesk.ui.caseload.organization_dialog import add_organization

        written = add_organization(self.view.profile, self.view, kind="district")
        if written is not None:
            self._shown(written.id)

    def _shown(self, school_id: str) -> None:
        # The dialog published its write (it was the initiator, so this view heard it already).
        if not self.view.select_school(school_id):
            self.view.table.setFocus()

    def import_file(self) -> None:
        from coachdesk.ui.caseload.caseload_file_dialog import import_schools_file

        import_schools_file(self.view.profile, self.view)

    # --- on the selected school -----------------------------------------------------------------

    def edit_selected(self) -> None:
        from coachdesk.ui.caseload.organization_dialog import edit_organization_details

        row = self._selected()
        if row is None:
            return
        written = edit_organization_details(self.view.profile, row.school_id, self.view)
        if written is not None:
            self._shown(row.school_id)

    def assign_selected(self) -> None:
        from coachdesk.ui.caseload.assign_dialog import assign_organization

        row = self._selected()
        written = assign_organization(self.view.profile, self.view, row.school_id if row else None)
        if written is not None and row is not None:
            self._shown(row.school_id)

    def end_selected(self) -> None:
        from coachdesk.core.assignments import end_assignment

        row = self._selected()
        if row is None or not row.assignment_id:
            return
        if not dialogs.confirm(
            self.view,
            "End this assignment",
            f"End {row.school_name}'s {row.program_name} assignment for {row.school_year}? "
            "It leaves the caseload; its visits and notes stay, readable on its page.",
            yes="End the assignment",
        ):
            return
        self._write(lambda: end_assignment(self.view.profile, row.assignment_id), None)

    def archive_selected(self) -> None:
        from coachdesk.core.organizations import archive_organization

        row = self._selected()
        if row is None or self.view.is_archived(row.school_id):
            return
        if not dialogs.confirm(
            self.view,
            "Archive",
            f"Archive {row.school_name}? It leaves the caseload list. Its visits, notes and "
            "contacts stay, and you can bring it back: tick “Show archived” and choose "
            "Unarchive.",
            yes="Archive",
        ):
            return
        self._write(lambda: archive_organization(self.view.profile, row.school_id), None)

    def unarchive_selected(self) -> None:
        from coachdesk.core.organizations import unarchive_organization

        row = self._selected()
        if row is None or not self.view.is_archived(row.school_id):
            return
        self._write(lambda: unarchive_organization(self.view.profile, row.school_id), row.school_id)

    def _write(self, write, school_id: str | None) -> None:
        try:
            changes = write()
        except CoachdeskError as exc:
            dialogs.show_error(self.view, "Not changed", str(exc))
            return
        self._written(changes, school_id)
