"""What a screen reader hears (issue 16): search results, the save status, check boxes, areas.

Each test reads what Qt's accessibility layer exposes (QAccessible.queryAccessibleInterface),
the same tree AT-SPI, UI Automation and NSAccessibility hand to a screen reader, and what the
window announces (coachdesk/ui/announce.py, heard here through `listening()`).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible

from coachdesk.core.dates_text import medium_date
from coachdesk.core.forms import parse_form
from coachdesk.ui.announce import announce, listening
from coachdesk.ui.forms.renderer import FormView
from coachdesk.ui.visits.search_popup import COUNT_PAUSE_MS, HIT_ROLE, hit_title
from tests.support.ui import answer_start_dialog, choose, open_school, open_window, settle, tick
from tests.ui.accessibility_tree import walk

Role = QAccessible.Role
NAME = QAccessible.Text.Name
DESCRIPTION = QAccessible.Text.Description


def _read(widget) -> tuple[str, str]:
    """(name, description) a screen reader is given for this widget."""
    iface = QAccessible.queryAccessibleInterface(widget)
    return iface.text(NAME), iface.text(DESCRIPTION)


# --- search ---------------------------------------------------------------------------------------


def test_every_search_result_reads_its_school_what_date_and_words(qtbot, demo_dir):
    window = open_window(qtbot, demo_dir)
    popup = window.open_search()
    with listening() as heard:
        qtbot.keyClicks(popup.box, "princip")
        # The count is said once, when typing pauses, not for each letter typed.
        qtbot.waitUntil(lambda: bool(heard), timeout=3000)
        qtbot.wait(COUNT_PAUSE_MS + 200)
    assert [a.text for a in heard] == [popup.summary.text()]
    assert popup.summary.text().endswith(" schools") and " results in " in popup.summary.text()
    assert len(popup.hits) > 5
    tree = QAccessible.queryAccessibleInterface(popup.results)
    # Every row, also those scrolled out of sight: a screen reader reaches them by arrow keys.
    items = [tree.child(n) for n in range(tree.childCount())]
    items = [i for i in items if i.role() == Role.TreeItem]
    names = [i.text(NAME) for i in items]
    # In the order shown: each school's heading, then its results.
    shown = []
    for g in range(popup.results.topLevelItemCount()):
        group = popup.results.topLevelItem(g)
        shown.append(None)
        shown.extend(group.child(n).data(0, HIT_ROLE) for n in range(group.childCount()))
    assert len(names) == len(shown) == len(popup.hits) + len({h.school_name for h in popup.hits})
    for name, hit in zip(names, shown, strict=True):
        if hit is None:
            assert name.endswith((" results", " 1 result"))
            continue
        assert name.startswith(f"{hit.school_name}, {hit_title(hit)}")
        assert "princip" in name.lower() and "[" not in name and "<b>" not in name
        if hit.date:
            assert medium_date(dt.date.fromisoformat(hit.date)) in name
    every = [tree.child(n) for n in range(tree.childCount())]
    assert [i.text(NAME) for i in every if i.role() == Role.ColumnHeader] == ["Result"]  # not "1"
    clear = [i for i in walk(QAccessible.queryAccessibleInterface(popup.box))]
    assert all(i.text(NAME) for i in clear if i.role() == Role.Button)

    # Down and Up keep the keyboard in the box: each hit they move to is said.
    with listening() as heard:
        qtbot.keyClick(popup.box, Qt.Key.Key_Down)
        qtbot.keyClick(popup.box, Qt.Key.Key_Down)
        qtbot.keyClick(popup.box, Qt.Key.Key_Up)
    # The first result is current from the start (Enter opens it): Down goes to the second.
    first, second = [hit for hit in shown if hit is not None][1:3]
    said = [a.text for a in heard]
    assert len(said) == 3 and said[0] == said[2] != said[1]
    assert said[0].startswith(f"{first.school_name}, {hit_title(first)}")
    assert said[1].startswith(f"{second.school_name}, {hit_title(second)}")


# --- the save status and other announcements ------------------------------------------------------


def _new_visit(qtbot, window, scripted_dialogs):
    """A visit started five minutes ago at a New York school, open on its page."""
    school = open_school(window, "NY_RCV")
    now = dt.datetime.now(ZoneInfo(school.school.tz)).replace(tzinfo=None, second=0, microsecond=0)
    answer_start_dialog(scripted_dialogs, "onsite", now - dt.timedelta(minutes=5))
    school.visits_panel.timeline.start_button.click()
    return window.caseload.visit_page


def test_the_save_status_is_announced_when_it_changes_and_read_as_it_is(
    qtbot, demo_dir, scripted_dialogs
):
    window = open_window(qtbot, demo_dir)
    page = _new_visit(qtbot, window, scripted_dialogs)
    editor = page.form.field_row("lead_strategies").input.focus_target()
    with listening() as heard:
        editor.setFocus()
        qtbot.keyClicks(editor, "Walked the plan with the principal.")
        page.flush()
        qtbot.keyClicks(editor, " Then the data wall.")
        page.flush()
        settle(qtbot)
    said = [a.text for a in heard if a.source is page.saved_label]
    assert said and said[0].startswith("Saved ") and said[0][-2:] in ("AM", "PM")
    assert len(said) == len(set(said))  # the same minute's "Saved" is said once
    assert not any(a.urgent for a in heard)
    # The label is read as what it says, and what it is comes as its description.
    assert _read(page.saved_label) == (page.saved_label.text(), "Save status")

    with listening() as heard:
        page.saver.answer_changed("no_such_answer", "x")
        page.flush()
        settle(qtbot)
    refused = [a for a in heard if a.source is page.saved_label]
    assert len(refused) == 1 and refused[0].urgent
    assert refused[0].text.startswith("Not saved: ") and len(refused[0].text) > 20
    assert scripted_dialogs.errors()[-1:]  # and the sentence is shown


def test_finalizing_a_note_is_announced(qtbot, demo_dir, scripted_dialogs):
    window = open_window(qtbot, demo_dir)
    page = _new_visit(qtbot, window, scripted_dialogs)
    tick(page.form, "purpose", 0)
    choose(page.form, "dii_reviewed", "no")
    page.flush()
    with listening() as heard:
        assert page.finalize() is True
    assert [a.text for a in heard if a.source is page] == [
        f"Note finalized: On-site visit at {page.visit.school_name}."
    ]


def test_a_backup_written_is_said_as_well_as_shown_in_the_status_bar(qtbot, demo_dir):
    window = open_window(qtbot, demo_dir)
    with listening() as heard:
        window.profile_actions.back_up_now()
        settle(qtbot)
    shown = window.statusBar().currentMessage()
    assert shown.startswith("Backup written to ") and shown.endswith(".sqlite")
    assert [(a.text, a.source) for a in heard] == [(shown, window.statusBar())]


def test_a_visit_key_that_can_do_nothing_says_why_as_well_as_showing_it(qtbot, demo_dir):
    window = open_window(qtbot, demo_dir)
    window.show_area("caseload")
    with listening() as heard:
        window.visit_menu.finalize_action.trigger()  # Ctrl+Shift+F with no note open
    shown = window.statusBar().currentMessage()
    assert shown == "Open a visit note you can edit to finalize it."
    assert [(a.text, a.source) for a in heard] == [(shown, window.statusBar())]


def test_an_announcement_says_its_words_once_spaced(qtbot):
    from PySide6.QtWidgets import QLabel

    label = QLabel()
    qtbot.addWidget(label)
    with listening() as heard:
        announce(label, "  Imported 3 changes\n from Dana.  ")
        announce(label, "   ")  # nothing to say: nothing said
    assert [(a.text, a.urgent) for a in heard] == [("Imported 3 changes from Dana.", False)]


# --- check boxes and rating buttons ---------------------------------------------------------------

OPTIONS = """
settings: {form_id: options, version: 1, title: Options, program: NY_RCV, applies_to: [onsite]}
choices:
  purpose: [{name: plan, label: Review the plan}, {name: coach, label: Coach the principal}]
  scale: [{name: low, label: Low}, {name: high, label: High}]
fields:
  - {type: select_multiple, name: purpose, label: Purpose of the visit, choices: purpose,
     required: true}
  - {type: select_multiple, name: focus, label: Coaching focus, choices: purpose,
     hint: Pick all that apply.}
  - {type: rating, name: level, label: Level, choices: scale, required: true}
"""


@pytest.fixture
def options_form(qtbot):
    result = parse_form(OPTIONS, "options.yaml")
    assert not result.problems, [str(p) for p in result.problems]
    view = FormView(result.definition, {}, today=dt.date(2026, 3, 10))
    qtbot.addWidget(view)
    view.show()
    return view


def test_a_check_box_is_named_by_its_option_and_described_by_its_question(options_form):
    purpose = [box for _n, box in options_form.field_row("purpose").input.boxes]
    assert [_read(b) for b in purpose] == [
        ("Review the plan", "Purpose of the visit (required)"),
        ("Coach the principal", "Purpose of the visit (required)"),
    ]
    focus = [box for _n, box in options_form.field_row("focus").input.boxes]
    assert _read(focus[0]) == ("Review the plan", "Coaching focus. Pick all that apply.")
    level = [b for _n, b in options_form.field_row("level").input.buttons]
    assert [_read(b) for b in level] == [
        ("Low (key 1)", "Level (required)"),
        ("High (key 2)", "Level (required)"),
    ]


# --- areas ----------------------------------------------------------------------------------------


def test_each_area_is_a_named_region(qtbot, demo_dir, scripted_dialogs):
    window = open_window(qtbot, demo_dir)
    window.show_area("today")
    assert _read(window.stack.currentWidget())[0] == "Today"
    window.show_area("caseload")
    assert _read(window.stack.currentWidget())[0] == "Caseload"
    school = open_school(window, "NY_RCV")
    assert _read(window.caseload.currentWidget())[0] == f"School: {school.school.name}"
    page = _new_visit(qtbot, window, scripted_dialogs)
    assert _read(window.caseload.currentWidget())[0] == (
        f"Visit: On-site visit at {school.school.name}"
    )
    assert window.caseload.currentWidget() is page
