"""Menu actions on the profile itself: your name, back up now, restore a backup, the daily
backup, and removing the demo caseload."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction

from coachdesk.core.store import backups
from coachdesk.core.store.profile import Profile
from coachdesk.ui import dialogs
from coachdesk.ui.announce import show_status
from coachdesk.ui.change_bus import bus_for
from coachdesk.ui.work import run_in_background

if TYPE_CHECKING:
    from coachdesk.ui.main_window import MainWindow

logger = logging.getLogger(__name__)


class ProfileActions:
    def __init__(self, window: MainWindow, profile: Profile) -> None:
        self.window = window
        self.profile = profile
        self.backup_action = QAction("&Back up now", window)
        self.backup_action.triggered.connect(self.back_up_now)
        self.restore_action = QAction("&Restore from a backup…", window)
        self.restore_action.triggered.connect(self.restore_backup)
        self.coach_action = QAction("Your &name, organization and contact…", window)
        self.coach_action.triggered.connect(self.edit_coach)
        self.remove_demo_action = QAction("Remove the &demo caseload…", window)
        self.remove_demo_action.setToolTip(
            "The fictional schools, visits and targets go; your own work stays"
        )
        self.remove_demo_action.triggered.connect(self.remove_demo)

    def actions(self) -> list[QAction]:
        return [self.coach_action, self.backup_action, self.restore_action, self.remove_demo_action]

    def remove_demo(self) -> None:
        """File ▸ Remove the demo caseload…: a backup first, then only demo records go."""
        from coachdesk.core.demo.removal import has_demo

        if not has_demo(self.profile):
            dialogs.show_info(
                self.window,
                "Demo caseload",
                "There is no demo caseload in this profile; everything in it is your own.",
            )
            return
        if not dialogs.confirm(
            self.window,
            "Remove the demo caseload?",
            "The demo's fictional districts, schools, contacts, visits, next steps and targets "
            "are removed. Your own schools, visits and notes stay, and so does a demo school "
            "where you recorded something of your own. A backup is taken first.",
            yes="Remove the demo",
        ):
            return

        def work():
            from coachdesk.core.demo.removal import remove_demo

            backups.take_backup(self.profile, reason="before-demo-removal")
            return remove_demo(self.profile)

        def done(removal) -> None:
            bus_for(self.profile).publish(removal.changes, initiator=self)
            dialogs.show_info(self.window, "Demo caseload", removal.sentence)

        run_in_background(
            self.window,
            work,
            on_success=done,
            on_failure=lambda exc: dialogs.show_error(
                self.window, "The demo was not removed", dialogs.describe(exc)
            ),
            label="Removing the demo caseload…",
        )

    def edit_coach(self) -> None:
        """The coach's name, organization and contact line, as they print on summaries."""
        from coachdesk.core.changes import ChangeSummary
        from coachdesk.core.coach import get_coach, set_coach
        from coachdesk.ui.caseload.form_dialog import FormDialog

        coach = get_coach(self.profile)
        dialog = FormDialog("Your name, organization and contact", parent=self.window)
        dialog.add_line("name", "Your name", coach.name)
        dialog.add_line(
            "employer",
            "Organization",
            coach.employer,
            hint="e.g. your SSP vendor, SSoS region or State Support Team",
        )
        dialog.add_line("work_email", "Work e-mail", coach.work_email, hint="name@ssp.org")
        dialog.add_line("work_phone", "Work phone", coach.work_phone, hint="518-555-0142")
        dialog.on_save(lambda v: set_coach(self.profile, **v))
        if dialogs.run(dialog):
            bus_for(self.profile).publish(dialog.result_value or ChangeSummary(), initiator=self)

    def back_up_now(self) -> None:
        run_in_background(
            self.window,
            lambda: backups.take_backup(self.profile, reason="manual"),
            on_success=lambda path: show_status(self.window, f"Backup written to {path}", 10_000),
            label="Backing up the profile…",
        )

    def daily_backup_if_due(self) -> None:
        """Take the start-up backup at most once a day, off the GUI thread."""
        if not backups.daily_backup_due(self.profile.backups_dir):
            return
        run_in_background(
            self.window,
            lambda: backups.take_backup(self.profile, reason="daily"),
            on_success=lambda path: logger.info("daily backup %s", path),
            # A failed daily backup must not interrupt the coach; it is logged and retried at
            # the next start.
            on_failure=lambda exc: show_status(
                self.window,
                f"The daily backup could not be written: {dialogs.describe(exc)}",
                15_000,
            ),
        )

    def check_integrity_then_back_up(self) -> None:
        """SQLite's quick_check off the GUI thread; a damaged file is met with a restore offer."""
        from coachdesk.core.store import quickcheck

        run_in_background(
            self.window,
            lambda: quickcheck.inspect_file(self.profile.db_path),
            on_success=self._integrity_checked,
            on_failure=lambda exc: logger.warning("integrity check failed to run: %s", exc),
        )

    def _integrity_checked(self, state) -> None:
        if state.healthy:
            self.daily_backup_if_due()
            return
        logger.error("profile damaged: %s", state.problem)
        latest = backups.latest_good_backup(self.profile.backups_dir)
        if latest is None:
            dialogs.show_error(
                self.window,
                "The profile is damaged",
                f"The profile {state.problem}, and no good backup was found. Keep working only "
                "with care and ask for help recovering the file.",
            )
            return
        if dialogs.confirm(
            self.window,
            "The profile is damaged",
            f"The profile {state.problem}. Restore the latest good backup ({latest.name})? "
            "The damaged file is kept aside in the profile folder.",
            yes="Restore the backup",
        ):
            self.profile.close()
            run_in_background(
                self.window,
                lambda: backups.restore(self.profile.directory, latest),
                on_success=self._restored,
                label="Restoring the profile…",
            )

    def restore_backup(self) -> None:
        chosen = dialogs.open_file(
            self.window,
            "Restore from a backup",
            "coachdesk backups (*.sqlite);;All files (*)",
        )
        if not chosen:
            return
        path = Path(chosen)
        try:
            backups.check_backup_file(path)
        except Exception as exc:  # a refused file: say why, change nothing
            dialogs.show_error(self.window, "Not restored", dialogs.describe(exc))
            return
        if not dialogs.confirm(
            self.window,
            "Restore from a backup",
            f"Replace the profile with {path.name}? The profile as it is now is backed up "
            "first, so this can be undone by restoring that backup.",
            yes="Restore",
        ):
            return
        self.profile.close()
        run_in_background(
            self.window,
            lambda: backups.restore(self.profile.directory, path),
            on_success=self._restored,
            label="Restoring the profile…",
        )

    def _restored(self, previous: Path | None) -> None:
        from coachdesk.core.changes import ChangeSummary

        # Every view shows data from the replaced file: every view reads again.
        bus_for(self.profile).publish(ChangeSummary.everything(), initiator=self)
        where = f" The previous profile is kept at {previous}." if previous else ""
        dialogs.show_info(self.window, "Restored", f"The profile was restored.{where}")
