"""The progress card on a school page, the measurement dialog and the CSV import preview."""

from __future__ import annotations

import datetime as dt

from coachdesk.ui.caseload.import_dialog import ImportPreviewDialog
from coachdesk.ui.caseload.measurement_dialog import MeasurementDialog
from coachdesk.ui.caseload.progress_card import ProgressCard
from tests.support.ui import ChangeRecorder


def _ny_school(demo) -> tuple[str, str]:
    row = (
        demo.quick_connection()
        .execute(
            "SELECT o.id, o.state_id FROM organization o JOIN assignment a ON a.org_id = o.id "
            "WHERE a.program_code = 'NY_RCV' ORDER BY o.name LIMIT 1"
        )
        .fetchone()
    )
    return row[0], row[1]


def _card(qtbot, demo):
    card = ProgressCard(demo)
    qtbot.addWidget(card)
    card.show_school(_ny_school(demo)[0])
    return card


def test_the_card_lists_ten_diis_with_status_and_a_chart(qtbot, demo):
    card = _card(qtbot, demo)
    assert len(card.views) == 10
    assert card.summary.text().startswith("10 indicators:")
    charts = [b.chart for b in card.blocks]
    assert len(charts) == 10
    charts[0].grab()  # paints without error


def test_recording_a_measurement_by_hand_refuses_a_bad_value_then_saves(
    qtbot, demo, scripted_dialogs
):
    saved = ChangeRecorder(demo)
    card = _card(qtbot, demo)
    ela = next(i for i, v in enumerate(card.views) if v.code == "ELA38")
    before = len(card.views[ela].measurements)

    def fill(dialog: MeasurementDialog) -> int:
        dialog.indicator_box.setCurrentIndex(ela)
        dialog.value_edit.setText("lots")
        dialog.save()
        assert "not a number" in dialog.error.text() and not dialog.changes
        dialog.value_edit.setText("44.5")
        dialog.save()
        return dialog.result()

    scripted_dialogs.dialog_handler = fill
    card.record()
    assert saved.touched("measurement")
    card.refresh()
    assert len(card.views[ela].measurements) == before + 1
    assert card.views[ela].latest().value == 44.5


def test_the_import_preview_shows_refused_rows_and_imports_only_on_confirmation(
    qtbot, demo, scripted_dialogs, tmp_path
):
    school_id, state_id = _ny_school(demo)
    day = dt.date.today().isoformat()
    path = tmp_path / "data.csv"
    path.write_text(
        f"school,indicator,as_of,value\n{state_id},ELA38,{day},45\n{state_id},PLC,{day},maybe\n",
        encoding="utf-8",
    )
    saved = ChangeRecorder(demo)
    card = _card(qtbot, demo)
    seen = {}

    def look(dialog: ImportPreviewDialog) -> int:
        seen["rows"] = dialog.table.rowCount()
        seen["refused"] = [dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())]
        seen["button"] = dialog.import_button.text()
        return 0  # the coach cancels

    scripted_dialogs.file_answers = [str(path)]
    scripted_dialogs.dialog_handler = look
    card.import_csv()
    assert seen == {"rows": 2, "refused": ["ready", "refused"], "button": "Import 1 row(s)"}
    assert saved.summaries == []  # cancelled: nothing written

    scripted_dialogs.file_answers = [str(path)]
    scripted_dialogs.dialog_handler = lambda dialog: 1
    card.import_csv()
    assert saved.touched("measurement")
