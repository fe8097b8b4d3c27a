"""Finalizing an OH check-in that records a new stage, element status or coaching reason offers
to record them on the school's page, one check box each; Apply writes the ticked ones."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QDialog

from coachdesk.core import visits
from coachdesk.core.caseload import list_caseload
from coachdesk.core.store.schema import CoachingFlag, StageRecord
from coachdesk.core.store.tracking_tables import ElementStatus
from coachdesk.ui.visits.finalize import PrivacyWarningDialog
from coachdesk.ui.visits.school_changes_dialog import SchoolChangesDialog
from tests.support.ui import ChangeRecorder, open_visit_page

HELD = dt.datetime(2026, 11, 24, 9, 0)


def _check_in(demo, stage="full"):
    school = next(r for r in list_caseload(demo) if r.program_code == "OH_NNPS")
    visit_id = visits.start_visit(demo, school.school_id, visit_type="check_in", starts_at=HELD)
    for field, value in {
        "check_in_date": HELD.date().isoformat(),
        "stage": stage,
        "el_evaluation": "developing",
        "specific_issue": "The team has not met since October.",
    }.items():
        visits.save_answer(demo, visit_id, field, value)
    return school.school_id, visit_id


def _stages(demo, school_id):
    with demo.reading() as session:
        return [
            (r.stage, r.effective)
            for r in session.query(StageRecord)
            .filter_by(org_id=school_id)
            .order_by(StageRecord.effective)
        ]


def test_finalizing_a_check_in_offers_the_stage_and_element_and_applies_the_ticked_ones(
    qtbot, demo, scripted_dialogs
):
    school_id, visit_id = _check_in(demo)
    page = open_visit_page(qtbot, demo, visit_id)
    heard = ChangeRecorder(demo)
    seen: dict = {}

    def handler(dialog):
        if isinstance(dialog, PrivacyWarningDialog):
            return QDialog.DialogCode.Accepted
        assert isinstance(dialog, SchoolChangesDialog)
        seen["title"] = dialog.windowTitle()
        seen["boxes"] = [box.text() for box, _change in dialog.boxes]
        seen["question"] = dialog.question.text()
        element = next(box for box, change in dialog.boxes if change.kind == "element")
        element.setChecked(False)  # the coach keeps the element as the page says
        dialog.apply_button.click()
        return dialog.result()

    scripted_dialogs.dialog_handler = handler
    assert page.finalize()

    assert seen["title"] == "Update the school's page"
    stage_line = next(b for b in seen["boxes"] if "stage" in b)
    assert stage_line.startswith("The note records stage Full Implementation; the school page says")
    assert any(
        b.startswith("The note records Program evaluation developing; the school page says")
        for b in seen["boxes"]
    )
    assert seen["question"] == "Record these changes on Nov 24, 2026?"
    assert _stages(demo, school_id)[-1] == ("Full Implementation", HELD.date())
    with demo.reading() as session:
        evaluation = session.query(ElementStatus).filter_by(org_id=school_id, element=5).all()
        assert all(row.status != "developing" for row in evaluation)  # not ticked: unchanged
    assert heard.touched("stage_record")


def test_not_now_leaves_the_school_page_as_it_was(qtbot, demo, scripted_dialogs):
    school_id, visit_id = _check_in(demo)
    before = _stages(demo, school_id)
    page = open_visit_page(qtbot, demo, visit_id)
    shown = []

    def handler(dialog):
        if isinstance(dialog, SchoolChangesDialog):
            shown.append(dialog)
            return QDialog.DialogCode.Rejected  # Not now
        return QDialog.DialogCode.Accepted

    scripted_dialogs.dialog_handler = handler
    assert page.finalize()
    assert len(shown) == 1 and _stages(demo, school_id) == before
    with demo.reading() as session:
        assert (
            session.query(CoachingFlag).filter_by(org_id=school_id, start=HELD.date()).all() == []
        )


def test_a_check_in_that_agrees_with_the_school_page_asks_nothing(qtbot, demo, scripted_dialogs):
    from coachdesk.core.visits.school_changes import STAGES

    school_id, visit_id = _check_in(demo)
    current = _stages(demo, school_id)[-1][0]
    same = next(code for code, name in STAGES.items() if name == current)
    visits.save_answer(demo, visit_id, "stage", same)
    visits.save_answer(demo, visit_id, "el_evaluation", None)
    page = open_visit_page(qtbot, demo, visit_id)
    scripted_dialogs.dialog_handler = lambda dialog: QDialog.DialogCode.Accepted
    assert page.finalize()
    assert "SchoolChangesDialog" not in [s[1] for s in scripted_dialogs.shown]
