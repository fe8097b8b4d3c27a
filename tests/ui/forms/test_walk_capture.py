"""The learning-walk capture screen: single-key ratings, classrooms, running tally."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from coachdesk.core.forms import find_definition
from coachdesk.ui.forms.walk_capture import LearningWalkCapture


@pytest.fixture
def capture(qtbot):
    widget = LearningWalkCapture(find_definition("ma_learning_walk", 1), {})
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    widget.setFocus()
    changes = []
    widget.answer_changed.connect(lambda p, v: changes.append((p, v)))
    widget.changes = changes
    return widget


def test_keys_rate_the_highlighted_look_for_and_move_on(qtbot, capture):
    for key in "1230":
        qtbot.keyClicks(capture, key)
    row = capture.response()["classrooms"][0]
    assert row["visit_number"] == 1
    assert [row["lf_target"], row["lf_task"], row["lf_discourse"], row["lf_checks"]] == [
        "observed",
        "partly",
        "not_observed",
        "not_applicable",
    ]
    assert capture.current_look_for == 4
    assert capture.changes[0] == ("classrooms[0].lf_target", "observed")


def test_arrows_move_the_highlight_and_a_repeated_key_clears(qtbot, capture):
    qtbot.keyClick(capture, Qt.Key.Key_Down)
    qtbot.keyClick(capture, Qt.Key.Key_Down)
    qtbot.keyClick(capture, Qt.Key.Key_Up)
    qtbot.keyClicks(capture, "1")
    assert capture.response()["classrooms"][0]["lf_task"] == "observed"
    qtbot.keyClick(capture, Qt.Key.Key_Up)
    qtbot.keyClicks(capture, "1")
    assert capture.response()["classrooms"][0]["lf_task"] is None


def test_page_down_goes_to_a_new_classroom_and_page_up_back(qtbot, capture):
    qtbot.keyClicks(capture, "1")
    qtbot.keyClick(capture, Qt.Key.Key_PageDown)
    assert capture.classroom_index == 1 and capture.title.text() == "Classroom 2 of 2"
    qtbot.keyClicks(capture, "3")
    qtbot.keyClick(capture, Qt.Key.Key_PageUp)
    assert capture.classroom_index == 0
    assert capture.rows[0].buttons["observed"].isChecked()
    rooms = capture.response()["classrooms"]
    assert [r["visit_number"] for r in rooms] == [1, 2]
    assert rooms[1]["lf_target"] == "not_observed"


def test_running_tally_follows_the_ratings(qtbot, capture):
    qtbot.keyClicks(capture, "1")
    qtbot.keyClick(capture, Qt.Key.Key_PageDown)
    qtbot.keyClicks(capture, "2")
    qtbot.keyClick(capture, Qt.Key.Key_PageDown)
    qtbot.keyClicks(capture, "3")
    text = capture.tally_text()
    assert "3 classroom(s)" in text
    assert "1 of 3</b> observed (33%) · 1 partly" in text


def test_evidence_is_typed_without_rating_and_escape_returns(qtbot, capture):
    qtbot.keyClicks(capture, "e")
    evidence = capture.rows[0].evidence
    assert evidence.hasFocus()
    qtbot.keyClicks(evidence, "Posted target read aloud 2x")
    qtbot.keyClick(evidence, Qt.Key.Key_Escape)
    assert capture.hasFocus()
    row = capture.response()["classrooms"][0]
    assert row["ev_target"] == "Posted target read aloud 2x"
    assert "lf_target" not in row  # the digit typed in the evidence was not a rating


def test_grade_band_and_content_area_are_set_per_classroom(qtbot, capture):
    capture.grade_combo.setCurrentIndex(2)
    capture.grade_combo.activated.emit(2)
    assert capture.response()["classrooms"][0]["grade_band"] == "g3_5"
    assert ("classrooms[0].grade_band", "g3_5") in capture.changes
