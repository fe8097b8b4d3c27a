"""A walk through every area and dialog of the window, as a coach would open them.

`take_tour(window, folder, look)` shows each area and each dialog in turn and calls
`look(name, top_level_window)` while it is on screen. Dialogs opened through
coachdesk.ui.dialogs are shown for real (not executed modally), looked at, then cancelled.
The screen-fit, contrast and font-size tests and the screenshot script share it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from coachdesk.core import visits
from coachdesk.core.tracking_records.due import today_data  # noqa: F401  (warms the ORM)
from coachdesk.ui import dialogs

Look = Callable[[str, QWidget], None]

ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//NYSED//OISR//EN
BEGIN:VEVENT
UID:oisr-1@nysed.gov
DTSTART;VALUE=DATE:{day}
SUMMARY:OISR Receivership webinar: quarterly reporting and the continuation plan
END:VEVENT
END:VCALENDAR
"""


def settle(rounds: int = 4) -> None:
    """Let queued callbacks, layouts and paints run."""
    for _ in range(rounds):
        QCoreApplication.sendPostedEvents()
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)


class ShowingPresenter(dialogs.Presenter):
    """Shows each custom dialog without a modal loop, lets `look` see it, then cancels it."""

    def __init__(self, look: Look) -> None:
        self.look = look
        self.files: list[str] = []
        self.names: list[str] = []  # what the next dialog is called in the report
        self.accept: set[str] = set()  # names of dialogs to accept rather than cancel
        self.infos: list[tuple[str, str]] = []

    def error(self, parent, title, text):
        raise AssertionError(f"unexpected error dialog: {title}: {text}")

    def info(self, parent, title, text):
        self.infos.append((title, text))  # nothing waits on an information box

    def confirm(self, parent, title, text, *, yes):
        return False

    def open_file(self, parent, title, filter):
        return self.files.pop(0) if self.files else None

    def open_files(self, parent, title, filter):
        return [self.files.pop(0)] if self.files else []

    def save_file(self, parent, title, suggested, filter):
        return None

    def run(self, dialog):
        name = self.names.pop(0) if self.names else type(dialog).__name__
        dialog.show()
        settle()
        self.look(name, dialog)
        accepted = name in self.accept
        dialog.accept() if accepted else dialog.reject()
        dialog.deleteLater()
        settle(1)
        return QDialog.DialogCode.Accepted if accepted else QDialog.DialogCode.Rejected


def _school(window, program_code: str, *, name: str | None = None) -> str:
    rows = [r for r in window.caseload.list_view.visible_rows() if r.program_code == program_code]
    if name is not None:
        rows = [r for r in rows if r.school_name == name] or rows
    return sorted(rows, key=lambda r: r.school_name)[0].school_id


def _visit_with_follow_up(profile) -> str:
    """A visit with earlier next steps waiting to be reviewed (the follow-up panel shows)."""
    for row in visits.list_visits(profile):
        detail = visits.get_visit(profile, row.id)
        if detail.earlier_open_items and detail.definition is not None:
            return row.id
    raise AssertionError("the demo has no visit with earlier open next steps")


def _indicator_dialogs(card, presenter: ShowingPresenter) -> None:
    """Adding an indicator, its targets, its measurements and one measurement's history."""
    from coachdesk.core.tracking_records.measurement_corrections import list_measurements
    from coachdesk.ui.caseload.measurement_history_dialog import MeasurementHistoryDialog

    first = card.views[0].id
    presenter.names.append("indicator dialog")
    card.add_indicator()
    presenter.names.append("target dialog")
    card.set_targets(first)
    presenter.names.append("measurements dialog")
    card.open_measurements(first)
    measured = list_measurements(card.profile, first)
    presenter.names.append("measurement history dialog")
    dialogs.run(MeasurementHistoryDialog(card.profile, measured[0].id, card.views[0].name, card))


def take_tour(window, folder: Path, look: Look) -> list[str]:
    """Open each area and dialog of `window` in turn; returns the names looked at."""
    seen: list[str] = []

    def see(name: str, widget: QWidget) -> None:
        seen.append(name)
        look(name, widget)

    presenter = ShowingPresenter(see)
    restore = dialogs.replace_presenter(presenter)
    try:
        _tour(window, folder, see, presenter)
    finally:
        restore()
    return seen


def _tour(window, folder: Path, see: Look, presenter: ShowingPresenter) -> None:
    profile = window.profile
    folder.mkdir(parents=True, exist_ok=True)
    window.show()
    settle()

    window.show_area("today")
    settle()
    see("today", window)

    window.show_area("caseload")
    window.caseload.show_list()
    settle()
    see("caseload", window)

    # A New York school: indicators with charts, measurements by hand and from a file.
    window.caseload.open_school(_school(window, "NY_RCV"))
    settle()
    see("school page (NY)", window)
    page = window.caseload.school_page
    presenter.names.append("measurement dialog")
    page.progress_card.record()
    csv = folder / "measurements.csv"
    csv.write_text(
        "school,indicator,as_of,value\n"
        + "".join(f"X{n},ELA38,{dt.date.today()},4{n}\n" for n in range(12)),
        encoding="utf-8",
    )
    presenter.files.append(str(csv))
    presenter.names.append("measurement CSV import preview")
    page.progress_card.import_csv()
    _indicator_dialogs(page.progress_card, presenter)
    presenter.names.append("start a visit dialog")
    page.visits_panel.start_visit()
    presenter.names.append("contact dialog")
    page.contacts_panel.add_contact()

    # Ohio: stage, flags and the One-Year Action Plan.
    window.caseload.open_school(_school(window, "OH_NNPS", name="Washington Primary School"))
    settle()
    see("school page (OH)", window)
    page = window.caseload.school_page
    if page.status_panel.stage_button is not None:
        presenter.names.append("stage dialog")
        page.status_panel.change_stage()

    # The Ohio school's district: its schools, contacts and district lead check-ins.
    page.district_button.click()
    settle()
    see("district page (OH)", window)

    # Massachusetts: the school links to its district's Instructional Priority.
    window.caseload.open_school(_school(window, "MA_SSOS"))
    settle()
    see("school page (MA)", window)
    window.caseload.school_page.priority_link.click()
    settle()
    see("district page (MA)", window)
    district_page = window.caseload.district_page
    presenter.names.append("start a district visit dialog")
    district_page.start_visit()
    presenter.names.append("district contact dialog")
    district_page.contacts_panel.add_contact()

    # A visit with earlier next steps to follow up, then its printed summary.
    window.caseload.open_visit(_visit_with_follow_up(profile))
    settle()
    see("visit page with follow-up", window)
    visit_page = window.caseload.visit_page
    presenter.names.append("PDF preview (visit summary)")
    visit_page.print_summary()

    # A learning walk in walk mode.
    walk_school = next(
        r.school_id for r in visits.list_visits(profile) if r.form_title and "walk" in r.form_title
    )
    walk_id = visits.start_visit(
        profile, walk_school, visit_type="learning_walk", starts_at=dt.datetime.now()
    )
    window.caseload.open_visit(walk_id)
    settle()
    visit_page = window.caseload.visit_page
    visit_page.walk_button.setChecked(True)
    settle()
    walk = visit_page.walk
    walk.setFocus()
    for _ in walk.rows[1:]:  # down to the last look-for: it must scroll into view
        QTest.keyClick(walk, Qt.Key.Key_Down)
    settle()
    see("walk mode", window)
    visit_page.walk_button.setChecked(False)
    settle()

    from coachdesk.ui.visits.finalize import PrivacyWarningDialog

    presenter.names.append("privacy warning dialog")
    dialogs.run(
        PrivacyWarningDialog(
            (
                "“Jayden M.” looks like a student's name (Evidence, classroom 2).",
                "“#4417823” looks like a student id number (Next steps).",
            ),
            window,
        )
    )

    window.show_area("conflicts")
    settle()
    see("conflicts", window)
    window.show_area("trust")
    settle()
    see("trust", window)

    _sync_dialogs(window, profile, folder, presenter)

    presenter.names.extend(["caseload report dialog", "PDF preview (caseload report)"])
    presenter.accept.add("caseload report dialog")  # all programs, then the preview
    window.reports_menu.open_caseload_report()

    ics = folder / "oisr.ics"
    ics.write_text(ICS.format(day=f"{dt.date.today() + dt.timedelta(days=3):%Y%m%d}"))
    presenter.files.append(str(ics))
    presenter.names.extend(["events audience dialog", "events import preview"])
    presenter.accept.add("events audience dialog")  # its default choice, then the preview
    window.import_events()

    presenter.names.append("coach name dialog")
    window.profile_actions.edit_coach()
    presenter.names.append("about dialog")
    window._about()

    popup = window.open_search()
    popup.box.setText("reading")
    settle()
    see("search", popup)
    popup.close()

    window.show_area("caseload")
    window.caseload.show_list()
    settle()


def _sync_dialogs(window, profile, folder: Path, presenter: ShowingPresenter) -> None:
    """The export, passphrase, trust and packet dialogs, built as the actions build them."""
    from coachdesk.core.store.profile import open_profile
    from coachdesk.sync import keys, trust
    from coachdesk.ui.packet_actions import PacketRecipientsDialog
    from coachdesk.ui.sync_actions import PassphraseDialog, RecipientsDialog
    from coachdesk.ui.trust_page import TrustKeyDialog

    names = ["Dana Whitfield (supervisor)", "Lee Okafor", "Sam Rivera, Region 3 lead"]
    presenter.names.append("export recipients dialog")
    dialogs.run(RecipientsDialog(window, names))
    presenter.names.append("passphrase dialog")
    # As a coach meets it: the sentence keys.py raises where no keyring works, then the refusal
    # of a passphrase too easy to guess, with what was typed kept.
    dialogs.run(
        PassphraseDialog(
            window,
            reason="No system keyring works on this computer, so coachdesk keeps this device's "
            "keys in a file protected by a passphrase. Choose a passphrase in the app, or set "
            "COACHDESK_PASSPHRASE for scripts.",
        )
    )
    presenter.names.append("passphrase refused dialog")
    dialogs.run(
        PassphraseDialog(
            window,
            reason="This passphrase is too easy to guess: Add another word or two. Uncommon "
            "words are better.",
            typed="harbor",
        )
    )

    other = open_profile(folder / "other-device")
    try:
        offered = trust.read_public_key_file(trust.public_key_file(other, keys.device_keys(other)))
    finally:
        other.close()
    presenter.names.append("trust key dialog")
    dialogs.run(TrustKeyDialog(window, offered))

    from coachdesk.sync.packet import describe_visit

    visit_id = visits.list_visits(profile)[0].id
    presenter.names.append("packet recipients dialog")
    dialogs.run(PacketRecipientsDialog(window, names, describe_visit(profile, visit_id)))
