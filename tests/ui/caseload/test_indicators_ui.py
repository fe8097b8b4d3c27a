"""Indicators, targets and measurements a coach sets and corrects on a school's page, from an
empty profile (issue 13): a DII with checkpoints, a measurement recorded, corrected (the history
shows both values), deleted and brought back; an MA benchmark by student group; retiring."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialog

from coachdesk.core.assignments import AssignmentFields, add_assigned_school
from coachdesk.core.organizations import OrganizationFields, add_district
from coachdesk.core.tracking_records.indicator_setup import list_indicators
from coachdesk.ui.caseload.indicator_dialog import IndicatorDialog
from coachdesk.ui.caseload.measurement_dialog import CorrectionDialog, MeasurementDialog
from coachdesk.ui.caseload.measurement_history_dialog import MeasurementHistoryDialog
from coachdesk.ui.caseload.measurements_dialog import MeasurementsDialog
from coachdesk.ui.caseload.school_page import SchoolPage
from coachdesk.ui.caseload.target_dialog import TargetDialog
from tests.support.ui import ChangeRecorder

TODAY = dt.date(2026, 12, 1)


def _school(profile, state: str, program: str) -> str:
    district = add_district(profile, name=f"{state} Riverton City Schools", state=state).id
    return add_assigned_school(
        profile,
        OrganizationFields("school", "Riverton School 9", state, parent_id=district),
        AssignmentFields(
            program, school_year="2026-27", receivership_year=2 if program == "NY_RCV" else None
        ),
        today=dt.date(2026, 9, 1),
    ).id


def _page(qtbot, profile, school_id: str) -> SchoolPage:
    page = SchoolPage(profile)
    qtbot.addWidget(page)
    page.progress_card.today = lambda: TODAY
    page.resize(1366, 768)
    page.show()
    qtbot.waitExposed(page)
    page.show_school(school_id)
    return page


def _type(qtbot, edit, text: str) -> None:
    edit.clear()
    qtbot.keyClicks(edit, text)


def _handler(*steps):
    """Answer each dialog with the step for its type, in order."""
    queue = list(steps)

    def handle(dialog) -> int:
        kind, step = queue.pop(0)
        assert isinstance(dialog, kind), f"expected {kind.__name__}, got {type(dialog).__name__}"
        return step(dialog)

    return handle


def _fill_dii(qtbot):
    def step(dialog: IndicatorDialog) -> int:
        assert dialog.kind_box.currentText() == "Level 1 DII (assigned by the state)"
        _type(qtbot, dialog.name_edit, "3-8 ELA: Level 2 and above")
        _type(qtbot, dialog.code_edit, "ela38")
        assert dialog.set_targets_next.isChecked()
        dialog.try_accept()
        return dialog.result()

    return IndicatorDialog, step


def _fill_target(qtbot, seen: dict):
    def step(dialog: TargetDialog) -> int:
        assert dialog.year == "2026-27"
        _type(qtbot, dialog.baseline_edit, "38")
        _type(qtbot, dialog.baseline_year_edit, "2025-26")
        _type(qtbot, dialog.target_edit, "46")
        tick, starts, ends, goal = dialog.checkpoint_rows["early"]
        # A window that closes before it opens is refused in the dialog, which keeps the rest.
        starts.setDate(QDate(2026, 9, 15))
        ends.setDate(QDate(2026, 9, 1))
        _type(qtbot, goal, "41")
        assert not dialog.try_accept()
        seen["refusal"] = dialog.error.text()
        assert dialog.target_edit.text() == "46"
        ends.setDate(QDate(2026, 10, 30))
        _type(qtbot, dialog.checkpoint_rows["mid"][3], "43")
        _type(qtbot, dialog.checkpoint_rows["eoy"][3], "46")
        dialog.try_accept()
        return dialog.result()

    return TargetDialog, step


def _record(value: str, day: dt.date):
    def step(dialog: MeasurementDialog) -> int:
        dialog.date_edit.setDate(QDate(day.year, day.month, day.day))
        dialog.value_edit.setText(value)
        dialog.checkpoint_box.setCurrentIndex(1)  # Early
        dialog.save()
        return dialog.result()

    return MeasurementDialog, step


def _plain(text: str) -> str:
    """The text with its no-break spaces read as spaces, as the coach reads them."""
    return text.replace("\u00a0", " ")


def _checkpoints(page) -> list[str]:
    return [t for b in page.progress_card.blocks for t in b.checkpoint_texts]


def test_a_coach_adds_a_dii_with_checkpoints_records_corrects_deletes_and_undoes(
    qtbot, profile, scripted_dialogs
):
    school = _school(profile, "NY", "NY_RCV")
    page = _page(qtbot, profile, school)
    card = page.progress_card
    heard = ChangeRecorder(profile)
    # An empty school says how to add the first indicator, with the button right there.
    assert card.empty_box.isVisible() and card.first_button.isVisible()
    assert "has no indicators yet" in card.empty.text()
    assert not card.record_button.isEnabled()

    seen: dict = {}
    scripted_dialogs.dialog_handler = _handler(_fill_dii(qtbot), _fill_target(qtbot, seen))
    qtbot.mouseClick(card.first_button, Qt.MouseButton.LeftButton)
    assert seen["refusal"] == "The early window ends Sep 1, 2026, before it starts (Sep 15, 2026)."
    assert heard.touched("indicator") and heard.touched("indicator_target")
    assert not card.empty_box.isVisible()
    [block] = card.blocks
    # Read without hovering: baseline with its year, the annual target, each checkpoint.
    assert block.isVisible()
    assert _plain(block.target_line.text()) == (
        "<b>2026-27</b>: baseline 38 (2025-26) → annual target <b>≥ 46</b>"
    )
    assert block.kind.text() == "Level 1 DII, percent, higher is better, All students"
    assert _checkpoints(page) == [
        "Early: Sep 15 – Oct 30, goal 41, no data",
        "Mid-year: Jan 5 – Feb 14, goal 43, upcoming",
        "End of year: May 1 – Jun 30, goal 46, upcoming",
    ]
    assert block.status.text() == "no data"

    scripted_dialogs.dialog_handler = _handler(_record("40", dt.date(2026, 10, 12)))
    qtbot.mouseClick(card.record_button, Qt.MouseButton.LeftButton)
    assert _checkpoints(page)[0] == "Early: Sep 15 – Oct 30, goal 41, missed (40 on Oct 12)"
    assert card.blocks[0].measurements_button.text() == "Measurements (1)…"

    history: dict = {}

    def correct(dialog: CorrectionDialog) -> int:
        assert dialog.value_edit.text() == "40"
        _type(qtbot, dialog.value_edit, "42")
        dialog.save()
        return dialog.result()

    def read_history(dialog: MeasurementHistoryDialog) -> int:
        history["rows"] = [row[2:4] for row in dialog.rows()]
        history["who"] = {row[1] for row in dialog.rows()}
        return QDialog.DialogCode.Rejected

    def measurements(dialog: MeasurementsDialog) -> int:
        assert [dialog.table.item(0, c).text() for c in range(3)] == ["Oct 12, 2026", "40", "Early"]
        qtbot.mouseClick(dialog.edit_button, Qt.MouseButton.LeftButton)
        assert dialog.table.item(0, 1).text() == "42"
        # The card behind the dialog follows at once.
        history["card_after_correction"] = _checkpoints(page)[0]
        qtbot.mouseClick(dialog.history_button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
        assert dialog.table.rowCount() == 0 and not dialog.undo_bar.isHidden()
        assert "Deleted the measurement of Oct 12, 2026 (42)" in dialog.undo_label.text()
        history["card_after_delete"] = _checkpoints(page)[0]
        qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
        assert dialog.table.rowCount() == 1 and dialog.table.item(0, 1).text() == "42"
        assert dialog.undo_bar.isHidden()
        return QDialog.DialogCode.Rejected

    scripted_dialogs.dialog_handler = _handler(
        (MeasurementsDialog, measurements),
        (CorrectionDialog, correct),
        (MeasurementHistoryDialog, read_history),
    )
    qtbot.mouseClick(card.blocks[0].measurements_button, Qt.MouseButton.LeftButton)
    assert history["rows"] == [["recorded", "40"], ["corrected value", "42"]]
    assert len(history["who"]) == 1 and "this laptop" in next(iter(history["who"]))
    assert history["card_after_correction"] == (
        "Early: Sep 15 – Oct 30, goal 41, met (42 on Oct 12)"
    )
    assert history["card_after_delete"] == "Early: Sep 15 – Oct 30, goal 41, no data"
    assert _checkpoints(page)[0] == "Early: Sep 15 – Oct 30, goal 41, met (42 on Oct 12)"
    assert card.blocks[0].status.text() != "no data"


def test_a_deletion_is_a_tombstone_and_its_history_says_so(qtbot, profile, scripted_dialogs):
    school = _school(profile, "NY", "NY_RCV")
    page = _page(qtbot, profile, school)
    card = page.progress_card
    scripted_dialogs.dialog_handler = _handler(
        _fill_dii(qtbot), _fill_target(qtbot, {}), _record("44", dt.date(2026, 10, 1))
    )
    card.add_indicator()
    card.record()
    rows: dict = {}

    def measurements(dialog: MeasurementsDialog) -> int:
        qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
        dialog.close()
        return QDialog.DialogCode.Rejected

    scripted_dialogs.dialog_handler = _handler((MeasurementsDialog, measurements))
    card.open_measurements(card.blocks[0].view.id)
    assert card.blocks[0].measurements_button.text() == "Measurements (0)…"
    stored = profile.quick_connection().execute("SELECT id, deleted_at FROM measurement").fetchall()
    assert len(stored) == 1 and stored[0][1] is not None
    dialog = MeasurementHistoryDialog(profile, stored[0][0], "ELA38")
    qtbot.addWidget(dialog)
    rows["what"] = [r[2] for r in dialog.rows()]
    assert rows["what"] == ["recorded", "deleted"]


def test_an_ma_benchmark_for_ml_and_swd_shows_one_indicator_per_group(
    qtbot, profile, scripted_dialogs
):
    school = _school(profile, "MA", "MA_SSOS")
    page = _page(qtbot, profile, school)
    card = page.progress_card

    def benchmark(dialog: IndicatorDialog) -> int:
        assert [dialog.kind_box.itemText(i) for i in range(dialog.kind_box.count())] == [
            "Benchmark, by student group",
            "Local indicator",
        ]
        assert dialog.groups.isVisibleTo(dialog)
        _type(qtbot, dialog.name_edit, "Grade 6 math interim benchmark")
        _type(qtbot, dialog.code_edit, "MATH6")
        assert dialog.group_boxes["All"].isChecked()
        dialog.group_boxes["ML"].click()
        dialog.group_boxes["SWD"].click()
        dialog.set_targets_next.setChecked(False)
        dialog.try_accept()
        return dialog.result()

    scripted_dialogs.dialog_handler = _handler((IndicatorDialog, benchmark))
    qtbot.mouseClick(card.add_button, Qt.MouseButton.LeftButton)
    names = {b.name.text() for b in card.blocks}
    assert names == {
        "<b>MATH6</b>  Grade 6 math interim benchmark",
        "<b>MATH6 · ML</b>  Grade 6 math interim benchmark",
        "<b>MATH6 · SWD</b>  Grade 6 math interim benchmark",
    }
    assert all("No target for 2026-27 yet" in b.target_line.text() for b in card.blocks)


@pytest.mark.parametrize("answer", [False, True])
def test_retiring_asks_what_it_does_and_undo_brings_the_indicator_back(
    qtbot, profile, scripted_dialogs, answer
):
    school = _school(profile, "NY", "NY_RCV")
    page = _page(qtbot, profile, school)
    card = page.progress_card
    scripted_dialogs.dialog_handler = _handler(_fill_dii(qtbot), _fill_target(qtbot, {}))
    card.add_indicator()
    scripted_dialogs.confirm_answers.append(answer)
    qtbot.mouseClick(card.blocks[0].retire_button, Qt.MouseButton.LeftButton)
    asked = [text for kind, _t, text in scripted_dialogs.shown if kind == "confirm"]
    assert "its targets and measurements are kept, and Undo brings it back" in asked[0]
    if not answer:
        assert len(card.blocks) == 1 and not card.undo_bar.isVisible()
        return
    assert card.blocks == [] and card.empty_box.isVisible()
    assert card.undo_bar.isVisible() and card.undo_label.text().startswith("Retired ELA38")
    assert list_indicators(profile, org_id=school) == []
    qtbot.mouseClick(card.undo_button, Qt.MouseButton.LeftButton)
    [block] = card.blocks
    assert _plain(block.target_line.text()).startswith("<b>2026-27</b>: baseline 38 (2025-26)")
    assert not card.undo_bar.isVisible()


def test_editing_an_indicator_keeps_its_target_and_refuses_a_clashing_code(
    qtbot, profile, scripted_dialogs
):
    school = _school(profile, "NY", "NY_RCV")
    page = _page(qtbot, profile, school)
    card = page.progress_card
    scripted_dialogs.dialog_handler = _handler(_fill_dii(qtbot), _fill_target(qtbot, {}))
    card.add_indicator()
    said: dict = {}

    def second(dialog: IndicatorDialog) -> int:
        dialog.kind_box.setCurrentIndex(1)  # Level 2
        _type(qtbot, dialog.name_edit, "Chronic absenteeism")
        _type(qtbot, dialog.code_edit, "CHRON")
        dialog.type_box.setCurrentIndex(dialog.type_box.findData("rate"))
        dialog.direction_box.setCurrentIndex(dialog.direction_box.findData("lower"))
        dialog.set_targets_next.setChecked(False)
        dialog.try_accept()
        return dialog.result()

    def rename(dialog: IndicatorDialog) -> int:
        assert dialog.name_edit.text() == "Chronic absenteeism"
        _type(qtbot, dialog.code_edit, "ELA38")
        assert not dialog.try_accept()
        said["clash"] = dialog.error.text()
        _type(qtbot, dialog.code_edit, "CA")
        _type(qtbot, dialog.name_edit, "Chronically absent students")
        dialog.try_accept()
        return dialog.result()

    scripted_dialogs.dialog_handler = _handler((IndicatorDialog, second), (IndicatorDialog, rename))
    card.add_indicator()
    chron = next(b for b in card.blocks if "CHRON" in b.name.text())
    assert chron.kind.text() == "Level 2 DII, rate, lower is better, All students"
    qtbot.mouseClick(chron.edit_button, Qt.MouseButton.LeftButton)
    assert said["clash"] == "Riverton School 9 already has an indicator ELA38 for All."
    texts = [b.name.text() for b in card.blocks]
    assert "<b>CA</b>  Chronically absent students" in texts
    ela = next(b for b in card.blocks if "ELA38" in b.name.text())
    assert "baseline 38 (2025-26)" in _plain(ela.target_line.text())


def test_next_years_targets_start_from_this_years_then_open_to_edit(
    qtbot, profile, scripted_dialogs
):
    school = _school(profile, "NY", "NY_RCV")
    page = _page(qtbot, profile, school)
    card = page.progress_card
    scripted_dialogs.dialog_handler = _handler(_fill_dii(qtbot), _fill_target(qtbot, {}))
    card.add_indicator()
    opened: dict = {}

    def next_year(dialog: TargetDialog) -> int:
        opened["year"] = dialog.year
        opened["target"] = dialog.target_edit.text()
        opened["early"] = dialog.checkpoint_rows["early"][1].date().toPython()
        _type(qtbot, dialog.target_edit, "50")
        dialog.try_accept()
        return dialog.result()

    scripted_dialogs.dialog_handler = _handler((TargetDialog, next_year))
    qtbot.mouseClick(card.next_year_button, Qt.MouseButton.LeftButton)
    assert opened == {"year": "2027-28", "target": "46", "early": dt.date(2027, 9, 15)}
    infos = [text for kind, _t, text in scripted_dialogs.shown if kind == "info"]
    assert infos[0].startswith("Copied 1 target from 2026-27 to 2027-28")
    stored = profile.quick_connection().execute(
        "SELECT school_year, annual_target FROM indicator_target ORDER BY school_year"
    )
    assert [tuple(r) for r in stored] == [("2026-27", "46.0"), ("2027-28", "50.0")]


def _view(**kw):
    from coachdesk.core.tracking_records.indicators import CheckpointView, IndicatorView

    base = dict(
        id="i",
        school_id="s",
        code="ELA38",
        name="ELA",
        subgroup="All",
        origin="assigned",
        value_type="percent",
        direction="higher",
        target_set=(),
        baseline=38.0,
        annual_target=46.0,
        checkpoints=(
            CheckpointView("early", dt.date(2026, 9, 15), dt.date(2026, 10, 30), 41.0),
            CheckpointView("mid", dt.date(2027, 1, 5), dt.date(2027, 2, 13), None),
        ),
        measurements=(),
        status="",
        reason="",
    )
    return IndicatorView(**(base | kw))


def test_a_checkpoint_lagging_its_goal_is_at_risk_while_open_and_missed_once_closed():
    from coachdesk.core.tracking_records.indicators import MeasurementView
    from coachdesk.ui.caseload.checkpoint_status import checkpoint_lines

    low = MeasurementView(dt.date(2026, 10, 1), 39.0, None, None, False)
    view = _view(measurements=(low,))
    assert [c.status for c in checkpoint_lines(view, dt.date(2026, 10, 2))] == [
        "at risk",
        "upcoming",
    ]
    assert [c.status for c in checkpoint_lines(view, dt.date(2027, 1, 10))] == [
        "missed",
        "no data",
    ]
    # Without a goal of its own, the mid-year checkpoint is judged by the straight line from
    # the baseline (38 on Jul 1) to the target (46 at the end of the year): about 42 in January.
    on_line = MeasurementView(dt.date(2027, 1, 20), 43.0, "mid", None, False)
    below = MeasurementView(dt.date(2027, 1, 20), 40.0, "mid", None, False)
    assert checkpoint_lines(_view(measurements=(low, on_line)), dt.date(2027, 1, 21))[1].status == (
        "on track"
    )
    assert checkpoint_lines(_view(measurements=(low, below)), dt.date(2027, 3, 1))[1].status == (
        "missed"
    )
    # Lower is better: 39 reaches a goal of 41.
    assert (
        checkpoint_lines(_view(direction="lower", measurements=(low,)), dt.date(2026, 10, 2))[
            0
        ].status
        == "met"
    )


def test_a_deleted_measurement_can_be_restored_later_from_show_deleted(
    qtbot, profile, scripted_dialogs
):
    school = _school(profile, "NY", "NY_RCV")
    page = _page(qtbot, profile, school)
    card = page.progress_card
    scripted_dialogs.dialog_handler = _handler(
        _fill_dii(qtbot), _fill_target(qtbot, {}), _record("44", dt.date(2026, 10, 1))
    )
    card.add_indicator()
    card.record()
    seen: dict = {}

    def delete(dialog: MeasurementsDialog) -> int:
        qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
        return QDialog.DialogCode.Rejected  # closed: the Undo offer goes with the dialog

    def restore(dialog: MeasurementsDialog) -> int:
        seen["empty"] = dialog.empty.text()
        dialog.show_deleted.click()
        seen["row"] = [dialog.table.item(0, c).text() for c in range(2)]
        seen["button"] = dialog.delete_button.text()
        seen["correctable"] = dialog.edit_button.isEnabled()
        qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
        seen["after"] = [dialog.table.item(0, c).text() for c in range(2)]
        return QDialog.DialogCode.Rejected

    scripted_dialogs.dialog_handler = _handler(
        (MeasurementsDialog, delete), (MeasurementsDialog, restore)
    )
    card.open_measurements(card.blocks[0].view.id)
    assert card.blocks[0].measurements_button.text() == "Measurements (0)…"
    card.open_measurements(card.blocks[0].view.id)
    assert seen["empty"] == (
        "No measurement to show: 1 deleted (tick Show deleted measurements to see it)."
    )
    assert seen["row"] == ["Oct 1, 2026", "44 (deleted)"]
    assert (seen["button"], seen["correctable"]) == ("Restore", False)
    assert seen["after"] == ["Oct 1, 2026", "44"]
    assert card.blocks[0].measurements_button.text() == "Measurements (1)…"
    assert _checkpoints(page)[0] == "Early: Sep 15 – Oct 30, goal 41, met (44 on Oct 1)"
