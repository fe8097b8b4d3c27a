"""Reports ▸ each real state report on the demo, as a coach would use it from the window.

The NY quarterly report, the OH coaching log and the MA DILT report: the menu item opens the
dialog, Preview shows the pages the PDF has, Save as PDF… and Save CSV… write the files, and
Mark as submitted… (NY, OH) makes the Today item go away; the MA window's item clears when the
meeting is held, so its preview offers no such button. The caseload report keeps one program.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QDialog, QWidget

from coachdesk.core.caseload import list_caseload
from coachdesk.core.tracking_records.due import due_entries
from coachdesk.ui.reports.caseload_dialog import CaseloadReportDialog
from coachdesk.ui.reports.catalog import STATE_REPORTS
from coachdesk.ui.reports.report_preview import MarkSubmittedDialog, StateReportPreview
from coachdesk.ui.reports.state_report_dialog import StateReportDialog
from tests.support.ui import open_window, settle

TODAY = dt.date.today()
MENU_ITEMS = {
    "quarterly": "NY quarterly report",
    "coaching_log": "OH coaching log",
    "dilt": "MA progress-monitoring report (DILT)",
}


def _reports_menu(window):
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Reports")
    menu.aboutToShow.emit()  # as opening it does: the items follow the caseload
    return menu


def _trigger(window, words: str) -> None:
    action = next(
        a for a in _reports_menu(window).actions() if a.text().replace("&", "").startswith(words)
    )
    assert action.isEnabled(), action.toolTip()
    action.trigger()


def _text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def _chooser(qtbot, profile, report) -> tuple[QWidget, StateReportDialog]:
    """The dialog as the menu opens it: a child of a shown window (which owns it), shown;
    the caller keeps the window."""
    host = QWidget()
    qtbot.addWidget(host)
    host.show()
    dialog = StateReportDialog(profile, report, parent=host)
    dialog.show()
    qtbot.waitExposed(dialog)
    return host, dialog


@pytest.mark.parametrize("key", list(MENU_ITEMS))
def test_each_state_report_previews_and_saves_its_pdf_and_csv(
    key, qtbot, demo_dir, scripted_dialogs, tmp_path: Path
):
    window = open_window(qtbot, demo_dir)
    pdf_file, csv_file = tmp_path / "report.pdf", tmp_path / "report.csv"
    scripted_dialogs.file_answers = [str(pdf_file), str(csv_file)]
    seen: dict[str, object] = {}

    def answer(dialog) -> int:
        if isinstance(dialog, StateReportDialog):
            seen["org"] = dialog.org_box.currentText()
            seen["period"] = dialog.period_box.currentText()
            dialog.preview_button.click()
            return 0
        assert isinstance(dialog, StateReportPreview)
        seen["label"] = dialog.page_count_label.text()
        seen["mark shown"] = not dialog.mark_button.isHidden()
        dialog.save_button.click()
        dialog.csv_button.click()
        return 0

    scripted_dialogs.dialog_handler = answer
    _trigger(window, MENU_ITEMS[key])

    assert scripted_dialogs.errors() == []
    pages = len(PdfReader(pdf_file).pages)
    assert seen["label"] == f"{pages} page{'s' if pages != 1 else ''}"
    text = _text(pdf_file)
    assert str(seen["org"]) in text.replace("\n", " ")
    lines = csv_file.read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) > 1  # a header and rows
    # The district's reports list its schools; the school's report names the school.
    names = {str(seen["org"])} | {
        r.school_name for r in list_caseload(window.profile) if r.district_name == seen["org"]
    }
    assert any(name in "\n".join(lines[1:]) for name in names)
    # NY and OH reports are sent and marked submitted; MA's window clears with the meeting.
    assert seen["mark shown"] is (key != "dilt")


@pytest.mark.parametrize("key", ["quarterly", "coaching_log"])
def test_mark_as_submitted_makes_the_today_item_go_away(key, qtbot, demo_dir, scripted_dialogs):
    window = open_window(qtbot, demo_dir)
    report = STATE_REPORTS[key]
    today_view = window.today
    seen: dict[str, object] = {}

    def answer(dialog) -> int:
        if isinstance(dialog, StateReportDialog):
            dialog.preview_button.click()  # the school or district and period it chose
            return 0
        if isinstance(dialog, StateReportPreview):
            seen["key"] = dialog.rendered.data.due_key
            dialog.mark_button.click()
            seen["button"] = dialog.mark_button.text(), dialog.mark_button.isEnabled()
            return 0
        assert isinstance(dialog, MarkSubmittedDialog)
        return QDialog.DialogCode.Accepted if dialog.try_accept() else 0

    scripted_dialogs.dialog_handler = answer
    _trigger(window, MENU_ITEMS[key])
    settle(qtbot)

    due_key = seen["key"]
    assert isinstance(due_key, str) and due_key.startswith(report.rule_ids[0])
    assert seen["button"] == (f"Submitted {TODAY.strftime('%b')} {TODAY.day}, {TODAY.year}", False)
    assert not any(e.item.key == due_key for e in today_view.shown)
    assert not any(e.item.key == due_key for e in due_entries(window.profile, TODAY))


def test_the_overdue_ny_report_leaves_today_once_marked_from_its_preview(
    qtbot, demo_dir, scripted_dialogs
):
    window = open_window(qtbot, demo_dir)
    overdue = next(
        e for e in window.today.shown if e.item.rule_id == "ny.quarterly_report"
    )  # the demo's overdue Q1 report

    def answer(dialog) -> int:
        if isinstance(dialog, StateReportDialog):
            dialog.choose(org_id=overdue.item.school_id)
            assert dialog.due_line.text().endswith("(overdue).")
            dialog.preview_button.click()
            return 0
        if isinstance(dialog, StateReportPreview):
            assert dialog.rendered.data.due_key == overdue.item.key
            dialog.mark_button.click()
            return 0
        return QDialog.DialogCode.Accepted if dialog.try_accept() else 0

    scripted_dialogs.dialog_handler = answer
    _trigger(window, "NY quarterly report")
    settle(qtbot)
    assert not any(e.item.key == overdue.item.key for e in window.today.shown)
    assert ("info", "Marked submitted") in [(k, t) for k, t, _ in scripted_dialogs.shown]


def test_large_print_is_drawn_larger(qtbot, demo, scripted_dialogs):
    pages: list[int] = []
    scripted_dialogs.dialog_handler = lambda d: pages.append(d.document.page_count) or 0
    _window, dialog = _chooser(qtbot, demo, STATE_REPORTS["quarterly"])
    dialog.preview_button.click()
    dialog.large_print.click()
    dialog.preview_button.click()
    assert len(pages) == 2 and pages[1] > pages[0]


def test_the_caseload_report_keeps_the_program_chosen(qtbot, demo_dir, scripted_dialogs):
    window = open_window(qtbot, demo_dir)
    rows = list_caseload(window.profile)
    ny = {r.school_name for r in rows if r.program_code == "NY_RCV"}
    oh = {r.school_name for r in rows if r.program_code == "OH_NNPS"}
    texts: list[str] = []

    def answer(dialog) -> int:
        if isinstance(dialog, CaseloadReportDialog):
            programs = [dialog.program_box.itemText(i) for i in range(dialog.program_box.count())]
            assert programs == ["All programs", "MA SSoS", "NY Receivership", "OH NNPS"]
            dialog.choose("NY_RCV")
            return QDialog.DialogCode.Accepted if dialog.try_accept() else 0
        texts.append(_text(dialog.pdf_path).replace("\n", " "))
        return 0

    scripted_dialogs.dialog_handler = answer
    _trigger(window, "Caseload report")
    assert ("dialog", "PdfPreviewDialog", "Caseload status report") in scripted_dialogs.shown
    assert texts and all(name in texts[0] for name in ny)
    assert not any(name in texts[0] for name in oh)
