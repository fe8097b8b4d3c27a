"""The form renderer: every field type, relevance, constraints, repeats, read-only, paste."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLineEdit

from coachdesk.core.forms import find_definition, parse_form
from coachdesk.ui.forms.renderer import FormView
from coachdesk.ui.forms.rows import INTERNAL_BADGE

ALL_TYPES = """
settings: {form_id: all_types, version: 1, title: Every type, program: NY_RCV, applies_to: [onsite]}
choices:
  colour: [{name: red, label: Red}, {name: blue, label: Blue}, {name: green, label: Green}]
  scale: [{name: low, label: Low}, {name: mid, label: Middle}, {name: high, label: High}]
fields:
  - {type: text, name: title, label: Title, required: true}
  - {type: long_text, name: story, label: Story}
  - {type: integer, name: count, label: Count, constraint: ". >= 10",
     constraint_message: At least ten.}
  - {type: decimal, name: share, label: Share}
  - {type: date, name: day, label: Day}
  - {type: time, name: at, label: At}
  - {type: select_one, name: colour, label: Colour, choices: colour}
  - {type: select_multiple, name: colours, label: Colours, choices: colour}
  - {type: rating, name: level, label: Level, choices: scale}
  - {type: note, name: tip, label: A note for the coach., relevant: "${colour} = 'red'"}
  - {type: text, name: why_red, label: 'Why red?', relevant: "selected(${colours}, 'red')"}
  - {type: long_text, name: secret, label: Private, privacy: internal}
"""


@pytest.fixture
def all_types():
    result = parse_form(ALL_TYPES, "all_types.yaml")
    assert not result.problems, [str(p) for p in result.problems]
    return result.definition


@pytest.fixture
def view(qtbot, all_types):
    shown = FormView(all_types, {}, today=dt.date(2026, 3, 10))
    qtbot.addWidget(shown)
    shown.resize(1000, 800)
    shown.show()
    changes: list[tuple[str, object]] = []
    shown.answer_changed.connect(lambda p, v: changes.append((p, v)))
    shown.changes = changes
    return shown


def test_each_field_type_sends_a_typed_answer(qtbot, view):
    qtbot.keyClicks(view.field_row("title").input.edit, "Walkthrough")
    qtbot.keyClicks(view.field_row("count").input.edit, "12")
    qtbot.keyClicks(view.field_row("share").input.edit, "0.5")
    day = view.field_row("day").input.edit
    qtbot.keyClicks(day, "3/9/2026")
    qtbot.keyClick(day, Qt.Key.Key_Return)
    at = view.field_row("at").input.edit
    qtbot.keyClicks(at, "2:15 pm")
    qtbot.keyClick(at, Qt.Key.Key_Return)
    combo = view.field_row("colour").input.combo
    combo.setCurrentIndex(2)
    combo.activated.emit(2)
    view.field_row("colours").input.boxes[0][1].click()
    view.field_row("level").input.buttons[2][1].click()
    story = view.field_row("story").input
    story.edit.setPlainText("A long story")
    answers = view.response()
    assert answers["title"] == "Walkthrough"
    assert answers["count"] == 12 and answers["share"] == 0.5
    assert answers["day"] == "2026-03-09" and answers["at"] == "14:15"
    # Stored as ISO; the boxes read as a US coach writes them.
    assert day.text() == "Mar 9, 2026" and at.text() == "2:15 PM"
    assert answers["colour"] == "blue" and answers["colours"] == ["red"]
    assert answers["level"] == "high" and answers["story"] == "A long story"
    assert ("count", 12) in view.changes and ("colours", ["red"]) in view.changes
    assert view.changes[-1] == ("story", "A long story")


def test_unreadable_date_shows_a_sentence(qtbot, view):
    day = view.field_row("day")
    qtbot.keyClicks(day.input.edit, "next week")
    qtbot.keyClick(day.input.edit, Qt.Key.Key_Return)
    assert not day.message.isHidden()
    assert "Enter a date such as Oct 14, 2026" in day.message.text()


def test_relevance_hides_and_shows_live(qtbot, view):
    assert not view.is_shown("why_red") and not view.is_shown("tip")
    view.field_row("colours").input.boxes[0][1].click()
    assert view.is_shown("why_red")
    view.field_row("colours").input.boxes[0][1].click()
    assert not view.is_shown("why_red")


def test_constraint_message_appears_next_to_the_field(qtbot, view):
    row = view.field_row("count")
    qtbot.keyClicks(row.input.edit, "3")
    assert row.message.text() == "At least ten." and not row.message.isHidden()
    qtbot.keyClicks(row.input.edit, "0")
    assert row.message.isHidden()


def test_required_marks_appear_only_when_the_coach_finalizes(qtbot, view):
    title = view.field_row("title")
    assert title.label.text().endswith("*")
    assert title.message.isHidden()
    problems = view.show_problems()
    assert [p.path for p in problems] == ["title"]
    assert not title.message.isHidden()
    assert title.input.edit.hasFocus()


def test_internal_fields_carry_a_visible_badge(view):
    assert view.field_row("secret").badge.text() == INTERNAL_BADGE
    assert view.field_row("story").badge is None


def test_enter_moves_to_the_next_field_and_inputs_have_names(qtbot, view):
    title = view.field_row("title").input.edit
    title.setFocus()
    qtbot.keyClick(title, Qt.Key.Key_Return)
    assert view.field_row("story").input.edit.hasFocus()
    for path in ("title", "count", "day", "colour"):
        assert view.field_row(path).input.focus_target().accessibleName()
    assert view.field_row("title").input.focus_target().accessibleName() == "Title (required)"


def test_repeats_add_and_remove_rows(qtbot, scripted_dialogs):
    ny = find_definition("ny_rcv_monthly_visit", 1)
    view = FormView(ny, {})
    qtbot.addWidget(view)
    changes = []
    view.answer_changed.connect(lambda p, v: changes.append((p, v)))
    qtbot.mouseClick(view.repeat_block("next_steps").add_button, Qt.MouseButton.LeftButton)
    assert changes[-1] == ("next_steps", [{"step_status": "open"}])  # defaults filled in
    qtbot.keyClicks(view.field_row("next_steps[0].step").input.edit, "Share the tracker")
    assert changes[-1] == ("next_steps[0].step", "Share the tracker")
    view.add_row("next_steps")
    assert len(view.response()["next_steps"]) == 2
    # Removing a row with answers asks first; "Cancel" keeps it.
    scripted_dialogs.confirm_answers = [False]
    view.repeat_block("next_steps").frames[0].remove_button.click()
    assert len(view.response()["next_steps"]) == 2
    scripted_dialogs.confirm_answers = [True]
    view.repeat_block("next_steps").frames[0].remove_button.click()
    assert view.response()["next_steps"] == [{"step_status": "open"}]
    assert changes[-1] == ("next_steps", [{"step_status": "open"}])


def test_read_only_shows_answers_without_letting_them_change(qtbot):
    ny = find_definition("ny_rcv_monthly_visit", 1)
    answers = {"visit_date": "2026-03-09", "next_steps": [{"step": "Share", "owner": "Principal"}]}
    view = FormView(ny, answers, read_only=True)
    qtbot.addWidget(view)
    date = view.field_row("visit_date").input.edit
    assert date.text() == "Mar 9, 2026" and date.isReadOnly()
    assert view.response()["visit_date"] == "2026-03-09"
    assert view.field_row("visit_date").input.button.isHidden()  # no calendar to pick from
    assert view.field_row("next_steps[0].owner").input.edit.isReadOnly()
    assert view.repeat_block("next_steps").add_button.isHidden()
    assert view.repeat_block("next_steps").frames[0].remove_button.isHidden()
    assert not view.field_row("purpose").input.boxes[0][1].isEnabled()


def test_a_one_megabyte_paste_lands_whole_and_is_sent_once(qtbot, view):
    line = "Teachers used the shared protocol to look at student work in grade teams. "
    text = "\n".join([line] * (1_048_576 // (len(line) + 1) + 1))
    QGuiApplication.clipboard().setText(text)
    story = view.field_row("story").input
    story.edit.setFocus()
    with qtbot.waitSignal(view.answer_changed, timeout=5000) as sent:
        story.edit.paste()
    assert sent.args[0] == "story" and len(sent.args[1]) >= 1_048_576
    assert view.changes.count(("story", text)) == 1
    assert view.response()["story"] == text


def test_privacy_warning_under_a_no_student_field(qtbot, view):
    row = view.field_row("title")
    qtbot.keyClicks(row.input.edit, "Visit with J.M.")
    assert not row.privacy.isHidden() and "J.M." in row.privacy.text()


def test_every_shipped_form_renders_with_rows(qtbot):
    for form_id in (
        "ny_rcv_monthly_visit",
        "ma_ssos_visit",
        "ma_learning_walk",
        "ma_pm_meeting",
        "oh_nnps_check_in",
    ):
        definition = find_definition(form_id, 1)
        view = FormView(definition, {})
        qtbot.addWidget(view)
        for repeat in definition.repeats():
            view.add_row(repeat.name)
        assert all(isinstance(w, QLineEdit) or w for w in view.findChildren(QLineEdit))
        assert view.response()  # rows were added


def test_rating_keys_and_clicking_the_chosen_rating_again_clears_it(qtbot, view):
    rating = view.field_row("level").input
    qtbot.keyClicks(rating, "2")
    assert view.response()["level"] == "mid"
    rating.buttons[1][1].click()
    assert view.response()["level"] is None


def test_calculated_and_read_only_dates_and_times_read_as_us_text(qtbot):
    source = """
settings: {form_id: shown_times, version: 1, title: Shown, program: NY_RCV, applies_to: [onsite]}
fields:
  - {type: date, name: written, label: Written, calculation: "today()"}
  - {type: time, name: arrived, label: Arrived, read_only: true}
"""
    result = parse_form(source, "shown_times.yaml")
    assert not result.problems, [str(p) for p in result.problems]
    shown = FormView(result.definition, {"arrived": "13:05"}, today=dt.date(2026, 3, 10))
    qtbot.addWidget(shown)
    assert shown.field_row("written").input.text.text() == "Mar 10, 2026"
    assert shown.field_row("arrived").input.text.text() == "1:05 PM"
    assert shown.response()["written"] == "2026-03-10"


def test_a_walk_says_as_the_coach_types_that_evidence_names_a_teacher_or_a_room(qtbot):
    view = FormView(find_definition("ma_learning_walk", 1), {})
    qtbot.addWidget(view)
    view.add_row("classrooms")
    row = view.field_row("classrooms[0].ev_target")
    qtbot.keyClicks(row.input.edit, "Target posted in Room 214")
    assert not row.privacy.isHidden()
    assert "“Room 214” gives a room number" in row.privacy.text()
    assert "only by their visit number" in row.privacy.text()
    row.input.edit.clear()
    qtbot.keyClicks(row.input.edit, "Target posted and read aloud")
    assert row.privacy.isHidden() or not row.privacy.text()
