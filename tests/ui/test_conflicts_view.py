"""A visit answer edited on two laptops, as the coach meets it: in the Conflicts view (the answer in
words, the merged text kept or refused with its sentence) and in the visit editor (the answer
marked before typing; an edit keeps the other version)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QPlainTextEdit, QPushButton

from coachdesk.core import visits
from coachdesk.sync import conflicts
from coachdesk.ui.conflicts_view import ConflictsView
from tests.support.sync_world import coach_with_visit, make_devices
from tests.support.ui import ChangeRecorder, open_visit_page, settle

BASE = "Substitute coverage kept teams apart.\nThe schedule has no common planning.\n"
LEE = BASE.replace("apart", "apart in October")
DANA = BASE + "Two new teachers started.\n"


@pytest.fixture
def conflict(tmp_path):
    """Dana's laptop after taking Lee's edit of the same answer ('Implementation challenges')."""
    dana, lee = make_devices(tmp_path, ["Dana", "Lee"])
    visit, _school, _internal = coach_with_visit(dana.profile)
    visits.save_answer(dana.profile, visit, "challenges", BASE)
    lee.take(dana.bundle())
    visits.save_answer(lee.profile, visit, "challenges", LEE)
    visits.save_answer(dana.profile, visit, "challenges", DANA)
    dana.take(lee.bundle())
    yield dana, lee, visit
    for d in (dana, lee):
        d.profile.close()


def _view(qtbot, profile):
    view = ConflictsView(profile)
    qtbot.addWidget(view)
    view.resize(1100, 640)
    view.show()
    settle(qtbot)
    return view


def _button(widget, text):
    return next(b for b in widget.findChildren(QPushButton) if b.text() == text)


def test_an_answer_in_conflict_is_shown_in_words_and_the_merged_text_kept(qtbot, conflict):
    dana, _lee, visit = conflict
    view = _view(qtbot, dana.profile)
    school = visits.get_visit(dana.profile, visit).school_name
    first, where = view.list.item(0).text().split("\n")
    assert first == "Implementation challenges (2 versions)"
    assert where.startswith(f"{school}, on-site visit of Nov 18, 2026")
    page = view.detail.widget()
    texts = {e.accessibleName(): e.toPlainText() for e in page.findChildren(QPlainTextEdit)}
    assert texts["Version by Lee"] == LEE.strip()
    assert texts["Version by this laptop"] == DANA.strip()
    merged = "Substitute coverage kept teams apart in October.\n" + DANA.split("\n", 1)[1]
    assert texts["Merged text"] == merged
    titles = [b.title() for b in page.findChildren(QGroupBox)]
    assert "Both edits merged" in titles
    recorded = ChangeRecorder(dana.profile)
    qtbot.mouseClick(_button(page, "Keep the merged text"), Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert visits.get_visit(dana.profile, visit).response["challenges"] == merged
    assert recorded.summaries and recorded.summaries[0].touches("visit_answer")
    assert view.list.count() == 0 and view.empty.isVisible()


def test_merged_text_with_marks_left_in_is_refused_on_the_page_and_kept_as_typed(qtbot, conflict):
    dana, _lee, visit = conflict
    view = _view(qtbot, dana.profile)
    edit = view.proposal_edit
    edit.selectAll()
    qtbot.keyClicks(edit, "<<<<<<< Dana")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    qtbot.keyClicks(edit, "ours")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    qtbot.keyClicks(edit, "=======")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    qtbot.keyClicks(edit, ">>>>>>> Lee")
    typed = edit.toPlainText()
    qtbot.mouseClick(
        _button(view.detail.widget(), "Keep the merged text"), Qt.MouseButton.LeftButton
    )
    settle(qtbot)
    assert view.problem.isVisible()
    assert "between <<<<<<< and >>>>>>> marks" in view.problem.text()
    assert view.proposal_edit.toPlainText() == typed
    assert visits.get_visit(dana.profile, visit).response["challenges"] == DANA
    assert view.list.count() == 1


def test_the_visit_editor_marks_the_answer_and_an_edit_keeps_lees_version(qtbot, conflict):
    dana, lee, visit = conflict
    page = open_visit_page(qtbot, dana.profile, visit)
    row = page.form.field_row("challenges")
    note = page.conflict_notes.notes["challenges"]
    assert note.isVisible() and note.parent() is row
    assert "Lee's version of this answer differs" in note.text()
    assert "Open Conflicts" in note.text()
    assert "Implementation challenges" in page.conflict_badge.accessibleName()
    opened = []
    page.open_conflicts.connect(lambda: opened.append(True))
    note.linkActivated.emit("conflicts")
    assert opened == [True]
    # The coach types into the answer anyway: Lee's version is not dropped.
    editor = row.input.focus_target()
    editor.setFocus()
    qtbot.keyClicks(editor, " Coverage improved in November.")
    page.flush()
    settle(qtbot)
    assert page.saved_label.text().endswith("· 1 answer in conflict")
    assert note.isVisible()
    detail = conflicts.conflict_detail(
        dana.profile, "visit_answer", conflicts.list_conflicts(dana.profile)[0].record_id, "value"
    )
    assert {v.written_by: v.text for v in detail.versions}["Lee"] == LEE.strip()
    assert "Coverage improved in November." in detail.versions[0].text
