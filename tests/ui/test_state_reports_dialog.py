"""Reports ▸ a state report, driven as a coach would: choose, preview, save, mark submitted.

The window is tested here against a stand-in report that follows the state report contract of
issue 14 (the functions below, named as the NY quarterly report's are), so the dialog's
behaviour is pinned whatever each real report prints; tests/ui/test_state_reports_real.py runs
the real reports through the same window.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialog, QWidget

from coachdesk.core.caseload import list_caseload
from coachdesk.core.errors import NotFound, RefusedInput
from coachdesk.core.school_quarters import parse_quarter, quarter_of
from coachdesk.core.store.tracking_tables import Obligation
from coachdesk.core.tracking_records.due import due_entries
from coachdesk.reports.pdf_layout import RenderResult
from coachdesk.ui.reports import catalog
from coachdesk.ui.reports.report_preview import MarkSubmittedDialog, StateReportPreview
from coachdesk.ui.reports.state_report_dialog import StateReportDialog
from tests.support.ui import ChangeRecorder, open_window, settle

# --- a stand-in report, to the contract -----------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class FakeQuarterlyData:
    title: str
    org_name: str
    period_label: str
    prepared_by: str
    due_key: str | None
    generated_at: dt.datetime
    schools_visited: tuple[str, ...]


def quarterly_orgs(profile) -> list[tuple[str, str]]:
    rows = [r for r in list_caseload(profile) if r.program_code == "NY_RCV"]
    return sorted(((r.school_id, r.school_name) for r in rows), key=lambda pair: pair[1])


def quarterly_periods(today: dt.date) -> list[str]:
    current = quarter_of(today)
    following = dataclasses.replace(current, number=current.number + 1)  # not begun yet
    earlier = [dataclasses.replace(current, number=n) for n in range(current.number - 1, 0, -1)]
    return [q.code for q in (following, current, *earlier)]


def build_quarterly_report(profile, *, org_id: str, period: str, today=None):
    names = dict(quarterly_orgs(profile))
    if org_id not in names:
        raise NotFound(f"There is no NY Receivership school with id {org_id}.")
    quarter = parse_quarter(period)
    if quarter.calendar_window()[0] > (today or dt.date.today()):
        raise RefusedInput(f"{quarter.label} has not begun; choose a quarter that has.")
    return FakeQuarterlyData(
        title="Quarterly progress report",
        org_name=names[org_id],
        period_label=quarter.label,
        prepared_by="Demo Coach",
        due_key=f"ny.quarterly_report:{org_id}:{quarter.school_year} Q{quarter.number}",
        generated_at=dt.datetime(2026, 12, 1, 9, 0).astimezone(),
        schools_visited=("=SUM(A1)", names[org_id]),
    )


def render_quarterly_report(data, out, *, large_print: bool = False) -> RenderResult:
    from reportlab.pdfgen.canvas import Canvas

    pages = 3 if large_print else 2
    canvas = Canvas(str(out))
    for number in range(1, pages + 1):
        canvas.drawString(72, 720, f"{data.title}: {data.org_name}, {data.period_label}")
        canvas.drawString(72, 700, f"Page {number} of {pages}")
        canvas.showPage()
    canvas.save()
    return RenderResult(pages=pages)


def write_quarterly_csv(data, out) -> None:
    with open(out, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["School", "Quarter", "Visited"])
        for name in data.schools_visited:
            guarded = "'" + name if name[:1] in "=+-@" else name
            writer.writerow([data.org_name, data.period_label, guarded])


# --- fixtures -------------------------------------------------------------------------------------

TODAY = dt.date.today()


@pytest.fixture
def stand_in(monkeypatch: pytest.MonkeyPatch) -> catalog.StateReport:
    """The NY quarterly report's catalog entry, pointed at the stand-in above."""
    report = dataclasses.replace(
        catalog.STATE_REPORTS["quarterly"], source_module=__name__, report_module=__name__
    )
    monkeypatch.setitem(catalog.STATE_REPORTS, "quarterly", report)
    return report


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


def _menu(window, title: str):
    return next(a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == title)


def _action(menu, words: str):
    return next(a for a in menu.actions() if a.text().replace("&", "").startswith(words))


def _overdue_report(profile):
    """The demo's overdue NY quarterly report, as Today lists it."""
    return next(
        e
        for e in due_entries(profile, TODAY)
        if e.item.rule_id == "ny.quarterly_report" and e.item.due < TODAY
    )


class Coach:
    """Answers the dialogs in turn, as a coach would click through them."""

    def __init__(self, qtbot, scripted) -> None:
        self.qtbot = qtbot
        self.seen: dict[str, object] = {}
        self.on_chooser = None
        self.on_preview = None
        self.on_mark = None
        scripted.dialog_handler = self.answer

    def answer(self, dialog) -> int:
        if isinstance(dialog, StateReportDialog):
            self.seen["chooser"] = dialog
            dialog.show()  # as exec() would
            self.qtbot.waitExposed(dialog)
            return self.on_chooser(dialog) if self.on_chooser else 0
        if isinstance(dialog, StateReportPreview):
            self.seen["preview"] = dialog
            self.seen["pages"] = dialog.page_count_label.text()
            return self.on_preview(dialog) if self.on_preview else 0
        if isinstance(dialog, MarkSubmittedDialog):
            self.seen["mark"] = dialog
            return self.on_mark(dialog) if self.on_mark else 0
        raise AssertionError(f"unexpected dialog {dialog!r}")


# --- the menu -------------------------------------------------------------------------------------


def test_the_reports_menu_disables_the_state_reports_of_programs_not_on_the_caseload(
    qtbot, profile_dir, stand_in
):
    window = open_window(qtbot, profile_dir)
    menu = _menu(window, "Reports")
    menu.aboutToShow.emit()
    assert _action(menu, "Caseload report").isEnabled()
    ny = _action(menu, "NY quarterly report")
    assert not ny.isEnabled()
    assert ny.toolTip() == (
        "No school of yours is in NY Receivership this year: assign one on the Caseload to "
        "make the NY quarterly report."
    )
    assert menu.toolTipsVisible()  # so the coach sees why


def test_on_the_demo_the_ny_report_opens_with_the_overdue_quarter_chosen(
    qtbot, demo_dir, stand_in, scripted_dialogs
):
    window = open_window(qtbot, demo_dir)
    overdue = _overdue_report(window.profile)
    menu = _menu(window, "Reports")
    menu.aboutToShow.emit()
    action = _action(menu, "NY quarterly report")
    assert action.isEnabled()
    coach = Coach(qtbot, scripted_dialogs)

    def look(dialog: StateReportDialog) -> int:
        dialog.choose(org_id=overdue.item.school_id)
        coach.seen["period"] = dialog.period_box.currentText()
        coach.seen["due"] = dialog.due_line.text()
        coach.seen["orgs"] = [dialog.org_box.itemText(i) for i in range(dialog.org_box.count())]
        coach.seen["label"] = dialog.org_box.accessibleName()
        return 0

    coach.on_chooser = look
    action.trigger()
    period = overdue.item.key.rsplit(":", 1)[1]  # "2026-27 Q1"
    assert coach.seen["period"] == parse_quarter(period).label
    assert coach.seen["due"] == (
        f"Due: {overdue.item.what}, {overdue.item.due.strftime('%b')} "
        f"{overdue.item.due.day}, {overdue.item.due.year} (overdue)."
    )
    assert coach.seen["orgs"] == [name for _id, name in quarterly_orgs(window.profile)]
    assert coach.seen["label"] == "School"


# --- preview, save, mark submitted ----------------------------------------------------------------


def test_a_coach_previews_saves_the_pdf_and_the_csv_and_marks_it_submitted(
    qtbot, demo_dir, stand_in, scripted_dialogs, tmp_path: Path
):
    window = open_window(qtbot, demo_dir)
    overdue = _overdue_report(window.profile)
    key = overdue.item.key
    today_view = window.today
    assert any(e.item.key == key for e in today_view.shown)
    heard = ChangeRecorder(window.profile)
    coach = Coach(qtbot, scripted_dialogs)
    pdf_file, csv_file = tmp_path / "out" / "report", tmp_path / "out" / "report.csv"
    pdf_file.parent.mkdir()
    scripted_dialogs.file_answers = [str(pdf_file), str(csv_file)]

    def choose(dialog: StateReportDialog) -> int:
        dialog.choose(org_id=overdue.item.school_id)
        qtbot.keyClick(dialog.org_box, Qt.Key.Key_Return)  # Enter: Preview, the default button
        return 0  # then the coach closes the chooser

    def in_preview(preview: StateReportPreview) -> int:
        assert preview.mark_button.isVisible() or not preview.isVisible()
        preview.save_button.click()
        preview.csv_button.click()
        preview.mark_button.click()
        coach.seen["after"] = preview.mark_button.text(), preview.mark_button.isEnabled()
        return 0

    def mark(dialog: MarkSubmittedDialog) -> int:
        assert dialog.day_edit.date() == QDate(TODAY.year, TODAY.month, TODAY.day)
        sent = TODAY - dt.timedelta(days=2)
        dialog.day_edit.setDate(QDate(sent.year, sent.month, sent.day))
        qtbot.keyClicks(dialog.note_edit, "Sent through the OISR portal.")
        return QDialog.DialogCode.Accepted if dialog.try_accept() else 0

    coach.on_chooser, coach.on_preview, coach.on_mark = choose, in_preview, mark
    _action(_menu(window, "Reports"), "NY quarterly report").trigger()
    settle(qtbot)

    school = overdue.school_name
    label = parse_quarter(key.rsplit(":", 1)[1]).label
    title = f"Quarterly progress report: {school}, {label}"
    assert ("dialog", "StateReportPreview", title) in scripted_dialogs.shown
    assert coach.seen["pages"] == "2 pages"
    assert ("save_file", "Save as PDF", f"{school} Quarterly progress report {label}.pdf") in (
        scripted_dialogs.shown
    )
    saved = pdf_file.with_name("report.pdf")
    assert len(PdfReader(saved).pages) == 2
    assert f"{school}, {label}" in PdfReader(saved).pages[0].extract_text()
    with csv_file.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["School", "Quarter", "Visited"]
    assert rows[1] == [school, label, "'=SUM(A1)"]
    assert not list(csv_file.parent.glob(".*.part"))  # written through a temporary file

    sent = TODAY - dt.timedelta(days=2)
    assert coach.seen["after"] == (
        f"Submitted {sent.strftime('%b')} {sent.day}, {sent.year}",
        False,
    )
    assert (
        "info",
        "Marked submitted",
        f"The Quarterly progress report for {school}, {label}, is marked submitted on "
        f"{sent.strftime('%b')} {sent.day}, {sent.year}. Today no longer lists it.",
    ) in scripted_dialogs.shown
    assert heard.touched("obligation")
    assert not any(e.item.key == key for e in today_view.shown)  # Today heard it
    year, quarter = key.rsplit(":", 1)[1].split(" ")  # "2026-27", "Q1"
    with window.profile.reading() as session:
        row = (
            session.query(Obligation)
            .filter_by(org_id=overdue.item.school_id, kind=quarter, period=year)
            .one()
        )
        assert (row.status, row.submitted_on, row.note) == (
            "submitted",
            sent,
            "Sent through the OISR portal.",
        )


def test_a_day_in_the_future_is_refused_in_the_mark_dialog_and_nothing_closes(
    qtbot, demo_dir, stand_in, scripted_dialogs
):
    window = open_window(qtbot, demo_dir)
    overdue = _overdue_report(window.profile)
    coach = Coach(qtbot, scripted_dialogs)
    refused: list[tuple[bool, str]] = []

    def mark(dialog: MarkSubmittedDialog) -> int:
        later = TODAY + dt.timedelta(days=3)
        dialog.day_edit.setDate(QDate(later.year, later.month, later.day))
        refused.append((dialog.try_accept(), dialog.error.text()))
        return 0  # the coach cancels

    coach.on_chooser = lambda d: d.choose(org_id=overdue.item.school_id) or d.preview() or 0

    def in_preview(preview: StateReportPreview) -> int:
        preview.mark_button.click()
        coach.seen["still offered"] = preview.mark_button.isEnabled()
        return 0

    coach.on_preview, coach.on_mark = in_preview, mark
    _action(_menu(window, "Reports"), "NY quarterly report").trigger()
    assert refused and refused[0][0] is False and "future" in refused[0][1].lower()
    assert coach.seen["still offered"] is True
    assert any(e.item.key == overdue.item.key for e in due_entries(window.profile, TODAY))


def test_large_print_makes_the_longer_pdf(qtbot, demo, stand_in, scripted_dialogs):
    coach = Coach(qtbot, scripted_dialogs)
    _window, dialog = _chooser(qtbot, demo, stand_in)
    dialog.choose(period=quarter_of(TODAY).code)
    dialog.large_print.click()
    dialog.preview_button.click()
    assert coach.seen["pages"] == "3 pages"


def test_a_refused_period_shows_its_sentence_in_the_dialog_and_no_preview(
    qtbot, demo, stand_in, scripted_dialogs
):
    _window, dialog = _chooser(qtbot, demo, stand_in)
    coming = dialog.period_box.itemData(0)  # the quarter after this one
    dialog.choose(period=coming)
    dialog.preview_button.click()
    assert dialog.error.isVisible()
    assert dialog.error.text() == (
        f"{parse_quarter(coming).label} has not begun; choose a quarter that has."
    )
    assert not any(kind == "dialog" for kind, *_ in scripted_dialogs.shown)
    assert dialog.preview_button.isEnabled() and not dialog.status.isVisible()
    dialog.choose(org_id=dialog.org_box.itemData(1))  # choosing again clears the sentence
    assert not dialog.error.isVisible()


def test_the_dialog_is_usable_by_keyboard_and_named_for_a_screen_reader(
    qtbot, demo, stand_in, scripted_dialogs
):
    _window, dialog = _chooser(qtbot, demo, stand_in)
    assert dialog.focusWidget() is dialog.org_box
    names = [dialog.org_box, dialog.period_box, dialog.large_print, dialog.preview_button]
    assert [w.accessibleName() for w in names] == ["School", "Quarter", "Large print", "Preview"]
    order = []
    widget = dialog.org_box
    for _ in range(4):
        order.append(widget)
        widget = widget.nextInFocusChain()
        while not widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            widget = widget.nextInFocusChain()
    assert order == names
    qtbot.keyClick(dialog.org_box, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_a_report_that_cannot_open_says_why_in_one_sentence(
    qtbot, demo, stand_in, scripted_dialogs, monkeypatch: pytest.MonkeyPatch
):
    import sys

    from coachdesk.ui.reports.state_report_dialog import open_state_report

    def refuse(profile):
        raise RefusedInput("The rules file ny_rcv.toml could not be read.")

    monkeypatch.setattr(sys.modules[__name__], "quarterly_orgs", refuse)
    open_state_report(None, demo, stand_in)
    assert scripted_dialogs.shown == [
        (
            "error",
            "The NY quarterly report cannot open",
            "The rules file ny_rcv.toml could not be read.",
        )
    ]


def test_a_due_items_period_picks_the_report_period_it_is_for():
    from coachdesk.ui.reports.catalog import quarter_of_due, window_of_due

    assert quarter_of_due("2026-27 Q2") == "2026-Q2"
    assert window_of_due("2026-27 mid") == "2026-27 mid"
    assert window_of_due("2026-27 eoy") == "2026-27 end"  # the MA rules' name for the end window
    assert window_of_due("2026-27") is None and quarter_of_due("2026-27") is None
