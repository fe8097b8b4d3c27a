"""A coach's whole visit, in the main window: start, fill, finalize, follow up, amend, find."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt

from coachdesk.core import visits
from tests.ui.visits.helpers import (
    answer_start_dialog,
    choose,
    open_school,
    open_window,
    tick,
    type_text,
)

WORD = "zebrafinch"  # a word the demo never uses, so the search finds only this note


def wait_saved(qtbot, page, path: str, text: str) -> None:
    """Wait until this answer is stored as typed and no other answer waits to be saved."""

    def saved() -> bool:
        stored = visits.get_visit(page.saver.profile, page.visit.id).response.get(path)
        return stored == text and not page.saver.has_pending()

    qtbot.waitUntil(saved, timeout=3000)


def test_a_whole_visit_from_start_to_search(qtbot, demo_dir, scripted_dialogs):
    window = open_window(qtbot, demo_dir)
    profile = window.profile
    school = open_school(window, "NY_RCV")
    school_id = school.school.id
    timeline = school.visits_panel.timeline
    visits_before = len(timeline.rows)
    assert visits_before > 0
    assert timeline.rows == sorted(timeline.rows, key=lambda r: r.starts_at, reverse=True)

    # Start a visit: it opens at once, on the NY monthly form, dated today. It began a few
    # minutes ago by the school's clock (a visit can be finalized once it has started).
    school_now = dt.datetime.now(ZoneInfo(school.school.tz)).replace(tzinfo=None)
    start = school_now.replace(second=0, microsecond=0) - dt.timedelta(minutes=5)
    answer_start_dialog(scripted_dialogs, "onsite", start)
    timeline.start_button.click()
    page = window.caseload.visit_page
    assert window.caseload.currentWidget() is page
    assert page.title.text() == school.school.name
    assert "Draft" in page.subtitle.text() and "On-site visit" in page.subtitle.text()
    form = page.form
    assert form is not None and form.definition.form_id == "ny_rcv_monthly_visit"
    first_id = page.visit.id

    # Finalizing now is refused: the required answers are listed and the first is selected.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    assert page.finalize() is False
    kind, title, text = scripted_dialogs.shown[-1]
    assert kind == "error" and "Purpose of the visit" in text
    assert form.field_row("purpose").input.boxes[0][1].hasFocus()

    # Fill the required answers, a note, and one next step.
    tick(form, "purpose", 0)
    choose(form, "dii_reviewed", "no")
    type_text(qtbot, form, "lead_strategies", f"Walked the {WORD} plan with the principal.")
    qtbot.mouseClick(form.repeat_block("next_steps").add_button, Qt.MouseButton.LeftButton)
    type_text(qtbot, form, "next_steps[0].step", "Share the attendance data wall")
    type_text(qtbot, form, "next_steps[0].owner", "Principal")
    type_text(qtbot, form, "next_steps[0].due", (start.date() + dt.timedelta(days=14)).isoformat())
    wait_saved(qtbot, page, "lead_strategies", f"Walked the {WORD} plan with the principal.")
    assert scripted_dialogs.errors()[1:] == []
    stored = visits.get_visit(profile, first_id)
    assert stored.response["lead_strategies"] == f"Walked the {WORD} plan with the principal."
    assert [(i.text, i.owner) for i in stored.action_items] == [
        ("Share the attendance data wall", "Principal")
    ]

    assert page.finalize() is True
    assert visits.get_visit(profile, first_id).status == "final"
    assert "Final" in page.subtitle.text()
    assert page.form.read_only and page.amend_button.isVisible()

    # Back on the school page, the new visit is in the timeline as Final (planned visits, dated
    # ahead, sit above it).
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    page.back_button.setFocus()
    assert page.back_button.hasFocus()
    qtbot.keyClick(page.back_button, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.caseload.currentWidget() is school
    assert len(timeline.rows) == visits_before + 1
    assert next(r.status for r in timeline.rows if r.id == first_id) == "final"
    assert timeline.rows == sorted(timeline.rows, key=lambda r: r.starts_at, reverse=True)
    assert "Share the attendance data wall" in [
        r[0] for r in school.visits_panel.next_steps.shown_rows()
    ]

    # The next visit shows the step as follow-up; marking it done closes it.
    answer_start_dialog(scripted_dialogs, "onsite", start + dt.timedelta(days=1))
    timeline.start_button.click()
    second_id = page.visit.id
    assert second_id != first_id
    earlier = {i.text: i.id for i in page.visit.earlier_open_items}
    assert "Share the attendance data wall" in earlier
    assert page.follow_up.isVisible()
    item_id = earlier["Share the attendance data wall"]
    page.follow_up.buttons[(item_id, "done")].click()
    assert dict(page.follow_up.shown_items())[item_id] == "Done"
    assert item_id not in {i.id for i in visits.open_action_items(profile, school_id=school_id)}
    page.leave()
    assert "Share the attendance data wall" not in [
        r[0] for r in school.visits_panel.next_steps.shown_rows()
    ]

    # Amend the final note: the header says so, and the history keeps the final version.
    index = timeline.visit_ids().index(first_id)
    timeline.table.setCurrentItem(timeline.table.topLevelItem(index))
    qtbot.keyClick(timeline.table, Qt.Key.Key_Return)
    assert page.visit.id == first_id and page.amend_button.isVisible()
    page.amend_button.click()
    assert page.amended.isVisible() and not page.form.read_only
    edit = page.form.field_row("lead_strategies").input.focus_target()
    edit.setFocus()
    edit.selectAll()
    amended = f"Walked the {WORD} plan with the principal and the data team."
    qtbot.keyClicks(edit, amended)
    wait_saved(qtbot, page, "lead_strategies", amended)
    assert page.finalize() is True
    # Final again, and still marked as amended (with the day) for whoever reads it later.
    assert page.form.read_only and page.amended.isVisible()
    assert page.amended.text().startswith("Amended ")
    history = [value for _hlc, value in visits.answer_history(profile, first_id, "lead_strategies")]
    assert history[-1] == f"Walked the {WORD} plan with the principal and the data team."
    assert f"Walked the {WORD} plan with the principal." in history[:-1]

    # Ctrl+K finds the note and Enter opens it.
    page.leave()
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    popup = window.findChild(type(window.open_search()))
    popup.box.clear()
    qtbot.keyClicks(popup.box, WORD[:6])
    shown = popup.shown()
    assert shown and shown[0][0] == school.school.name
    assert f"<b>{WORD}</b>" in shown[0][1]
    qtbot.keyClick(popup.box, Qt.Key.Key_Return)
    assert window.caseload.currentWidget() is page and page.visit.id == first_id
    assert not popup.isVisible()
