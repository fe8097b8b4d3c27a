"""The first launch as a new coach meets it: set up my caseload, or explore the demo."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from coachdesk.core import coach
from coachdesk.core.caseload import list_caseload
from coachdesk.core.organizations import list_organizations
from coachdesk.ui.first_run import DEMO, SET_UP, FirstRunDialog, start_new_profile
from coachdesk.ui.guided_start import GuidedStart
from coachdesk.ui.main_window import MainWindow
from tests.support.ui import settle


def _opener(qtbot, profile, opened: list):
    def open_window():
        window = MainWindow(profile)
        qtbot.addWidget(window)
        window.resize(1366, 768)
        window.show()
        opened.append(window)
        return window

    return open_window


def test_the_first_launch_offers_my_own_caseload_first(qtbot):
    dialog = FirstRunDialog()
    qtbot.addWidget(dialog)
    assert dialog.set_up_button.isDefault()
    assert "demo" in dialog.demo_button.text().lower()
    qtbot.mouseClick(dialog.demo_button, Qt.MouseButton.LeftButton)
    assert dialog.choice == DEMO


def _fill_guided_start(qtbot, wizard: GuidedStart) -> None:
    wizard.show()
    wizard.about.name.insert("Øyelaran Adébáyọ̀")  # QTest types ASCII only; a paste
    qtbot.keyClicks(wizard.about.employer, "Capital Region SSP")
    qtbot.keyClicks(wizard.about.email, "oyelaran at capitalssp")
    wizard.next()
    assert wizard.currentPage() is wizard.about  # a contact line that is not one is refused
    assert "is not an e-mail address" in wizard.about.error.text()
    wizard.about.email.clear()
    qtbot.keyClicks(wizard.about.email, "oyelaran@capitalssp.org")
    qtbot.keyClicks(wizard.about.phone, "518-555-0142")
    wizard.next()
    assert wizard.currentPage() is wizard.programs
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()  # choose one first
    wizard.programs.boxes["NY_RCV"].setChecked(True)
    wizard.next()
    page = wizard.schools
    assert page.school_id_label.text() == "BEDS code"
    qtbot.keyClicks(page.district_name, "Albany City SD")
    qtbot.keyClicks(page.district_id, "010100010000")
    qtbot.keyClick(page.district_id, Qt.Key.Key_Return)
    assert page.added.count() == 1
    qtbot.keyClicks(page.school_name, "Arbor Hill Elementary")
    qtbot.keyClicks(page.school_id, "0101-0001-0001")  # typed with dashes
    qtbot.keyClicks(page.grades, "PK-6")
    qtbot.keyClick(page.grades, Qt.Key.Key_Return)
    assert page.added.count() == 2 and page.error.isHidden()
    qtbot.keyClicks(page.school_name, "Too Short ES")
    qtbot.keyClicks(page.school_id, "12345")
    qtbot.keyClick(page.school_id, Qt.Key.Key_Return)
    page.add_school()
    assert not page.error.isHidden() and "12 digits" in page.error.text()
    assert page.school_name.text() == "Too Short ES"  # the typing stays to be corrected


def test_setting_up_my_caseload_from_an_empty_profile(qtbot, profile, scripted_dialogs):
    def answer(dialog):
        if isinstance(dialog, FirstRunDialog):
            dialog.choice = SET_UP
            return 1
        assert isinstance(dialog, GuidedStart)
        _fill_guided_start(qtbot, dialog)
        dialog.grab().save("/tmp/shots/guided-start-schools.png")
        dialog.next()  # Open my caseload
        return 1

    scripted_dialogs.dialog_handler = answer
    opened: list = []
    start_new_profile(profile, _opener(qtbot, profile, opened), ask=True)
    settle(qtbot)
    qtbot.waitUntil(lambda: any(s[1] == "GuidedStart" for s in scripted_dialogs.shown))
    assert coach.get_coach(profile).name == "Øyelaran Adébáyọ̀"
    assert coach.get_coach(profile).contact_line == "oyelaran@capitalssp.org · 518-555-0142"
    assert coach.my_programs(profile) == ("NY_RCV",)
    rows = list_caseload(profile)
    assert [(r.school_name, r.program_code) for r in rows] == [("Arbor Hill Elementary", "NY_RCV")]
    school = next(o for o in list_organizations(profile) if o.kind == "school")
    assert school.state_id == "010100010001" and school.grade_span == "PK-6"
    # The window behind the wizard shows the school already: the wizard published its writes.
    [window] = opened
    assert [r.school_name for r in window.caseload.list_view.visible_rows()] == [
        "Arbor Hill Elementary"
    ]


def test_exploring_the_demo_loads_it_and_says_how_to_remove_it(qtbot, profile, scripted_dialogs):
    def answer(dialog):
        dialog.choice = DEMO
        return 1

    scripted_dialogs.dialog_handler = answer
    opened: list = []
    start_new_profile(profile, _opener(qtbot, profile, opened), ask=True)
    qtbot.waitUntil(lambda: bool(opened), timeout=30_000)
    assert len(list_caseload(profile)) == 25
    assert "Remove the demo" in opened[0].statusBar().currentMessage()
