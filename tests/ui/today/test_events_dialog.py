"""File ▸ Import events… in the window: choose whom a calendar is for, preview, confirm."""

from __future__ import annotations

from coachdesk.ui.main_window import MainWindow
from coachdesk.ui.today.events_dialog import AudienceDialog, EventsPreviewDialog

ICS = (
    "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//t//t//EN\n"
    "BEGIN:VEVENT\nUID:a\nDTSTART;VALUE=DATE:{day}\nSUMMARY:OISR session\nEND:VEVENT\n"
    "END:VCALENDAR\n"
)


def test_a_calendar_is_imported_for_the_chosen_program_and_shows_on_today(
    qtbot, demo, scripted_dialogs, tmp_path
):
    import datetime as dt

    day = dt.date.today() + dt.timedelta(days=2)
    path = tmp_path / "oisr.ics"
    path.write_text(ICS.format(day=f"{day:%Y%m%d}"), encoding="utf-8")
    window = MainWindow(demo)
    qtbot.addWidget(window)
    window.show_area("today")
    seen = {}

    def answer(dialog):
        if isinstance(dialog, AudienceDialog):
            labels = [c.label for c in dialog.choices]
            dialog.box.setCurrentIndex(next(i for i, t in enumerate(labels) if "NY" in t))
            return 1
        assert isinstance(dialog, EventsPreviewDialog)
        seen["heading"] = dialog.preview.sentence
        seen["rows"] = dialog.table.rowCount()
        return 1

    scripted_dialogs.file_answers = [str(path)]
    scripted_dialogs.dialog_handler = answer
    window.import_events()
    assert seen["rows"] == 1 and "1 event(s) ready" in seen["heading"]
    assert not scripted_dialogs.errors()
    listed = [e for e in window.today.entries if e.item.rule_id == "all.event"]
    assert listed and all(e.item.what == "OISR session" for e in listed)
    assert {e.program_code for e in listed} == {"NY_RCV"}


def test_cancelling_the_preview_writes_nothing(qtbot, demo, scripted_dialogs, tmp_path):
    path = tmp_path / "events.csv"
    path.write_text("date,title,program\n2027-01-20,OISR session,NY_RCV\n", encoding="utf-8")
    before = demo.quick_connection().execute("SELECT count(*) FROM obligation").fetchone()[0]
    window = MainWindow(demo)
    qtbot.addWidget(window)
    scripted_dialogs.file_answers = [str(path)]
    scripted_dialogs.dialog_handler = lambda dialog: 0  # Cancel
    window.import_events()
    after = demo.quick_connection().execute("SELECT count(*) FROM obligation").fetchone()[0]
    assert after == before
