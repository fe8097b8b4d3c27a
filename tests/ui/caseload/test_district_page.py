"""The district page: its contacts, schools, district visits and the MA Instructional Priority,
reached from a school's page, from Today and from search (issue 12)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from coachdesk.core import assignments, organizations, schools, visits
from coachdesk.core.contact_roles import NOT_A_SCHOOL_ROLE
from coachdesk.core.organizations import get_organization, list_organizations
from coachdesk.core.tracking_records.plans import get_priority
from coachdesk.core.tracking_rules.dates import short_day
from coachdesk.ui.caseload.form_dialog import FormDialog
from coachdesk.ui.visits.start_dialog import StartVisitDialog
from tests.support.ui import ChangeRecorder, open_school, settle


def _window(qtbot, demo, **options):
    from coachdesk.ui.main_window import MainWindow

    window = MainWindow(demo, **options)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    window.show_area("caseload")
    return window


def _district(demo, state: str, name_part: str = ""):
    return next(
        d
        for d in list_organizations(demo, kind="district")
        if d.state == state and name_part in d.name
    )


def _table_rows(table) -> list[list[str]]:
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def _tree_rows(tree) -> list[list[str]]:
    return [
        [tree.topLevelItem(r).text(c) for c in range(tree.columnCount())]
        for r in range(tree.topLevelItemCount())
    ]


def _alt_left(qtbot, window, widget) -> None:
    """Press Alt+Left (Back) in the window, with the focus on `widget`."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)


def _fill_contact(name: str, role: str, seen: list[FormDialog]):
    """A dialog handler that types a contact's name and role and presses Save."""

    def handler(dialog):
        if not isinstance(dialog, FormDialog):
            return QDialog.DialogCode.Rejected
        seen.append(dialog)
        dialog.inputs["name"].setText(name)
        dialog.inputs["role"].setEditText(role)
        dialog.inputs["work_email"].setText("lead@district.example.org")
        if dialog.try_accept():
            return QDialog.DialogCode.Accepted
        return QDialog.DialogCode.Rejected  # the coach reads the sentence, then cancels

    return handler


def test_the_ma_district_page_shows_its_contacts_schools_partnership_visits_and_ip(qtbot, demo):
    window = _window(qtbot, demo)
    school_page = open_school(window, "MA_SSOS")
    district = get_organization(demo, school_page.school.district_id)
    # The district leader is entered once, on the district (the demo's Ashgrove has Luis
    # Figueroa as its primary contact), and listed on its schools' pages.
    assert school_page.district_button.text().startswith(district.name)
    assert school_page.priority_link.text() == (f"Instructional Priority: see {district.name}")
    qtbot.mouseClick(school_page.district_button, Qt.MouseButton.LeftButton)

    page = window.caseload.district_page
    assert window.caseload.currentWidget() is page
    assert page.title.text() == district.name
    assert "MA SSoS" in page.subtitle.text()
    assert [c[:2] for c in _table_rows(page.contacts_panel.table)] == [
        ["Luis Figueroa", "Primary contact"]
    ]
    its_schools = sorted(
        o.name for o in list_organizations(demo, kind="school") if o.parent_id == district.id
    )
    assert sorted(row[0] for row in _tree_rows(page.schools)) == its_schools
    partnership = [row for row in _tree_rows(page.school_visits) if row[2] == "On-site visit"]
    assert partnership and {row[1] for row in partnership} <= set(its_schools)
    year = page.district.school_year
    ip = get_priority(demo, district.id, year)
    assert page.priority_card.isVisibleTo(page)
    assert page.priority_card.title.text() == f"Instructional Priority {year}"
    assert page.priority_card.editors["statement"].toPlainText() == ip.statement

    # Back (Alt+Left) returns to the school the coach came from.
    _alt_left(qtbot, window, page.back_button)
    assert window.caseload.currentWidget() is school_page


def test_the_school_page_no_longer_edits_the_ip_and_its_link_opens_it_on_the_district(qtbot, demo):
    window = _window(qtbot, demo)
    school_page = open_school(window, "MA_SSOS")
    assert not hasattr(school_page, "priority_card")
    assert school_page.priority_link.isVisibleTo(school_page)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.mouseClick(school_page.priority_link, Qt.MouseButton.LeftButton)
    page = window.caseload.district_page
    qtbot.waitUntil(lambda: page.priority_card.editors["statement"].hasFocus())
    assert page.back_button.text() == f"← {school_page.school.name}"

    oh_page = open_school(window, "OH_NNPS")
    assert not oh_page.priority_link.isVisibleTo(oh_page)


def test_editing_the_ip_on_the_district_page_is_saved(qtbot, demo):
    district = _district(demo, "MA")
    saved = ChangeRecorder(demo)
    window = _window(qtbot, demo)
    window.caseload.open_district(district.id)
    page = window.caseload.district_page
    year = page.district.school_year
    card = page.priority_card
    card.set_pause(60_000)  # only leaving the box saves within this test
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    statement = card.editors["statement"]
    statement.setFocus()
    statement.selectAll()
    qtbot.keyClicks(statement, "Every student explains their reasoning in writing.")
    assert "in writing" not in get_priority(demo, district.id, year).statement
    card.editors["inequity_addressed"].setFocus()
    qtbot.waitUntil(lambda: "in writing" in get_priority(demo, district.id, year).statement)
    assert get_priority(demo, district.id, year).statement == (
        "Every student explains their reasoning in writing."
    )
    assert saved.touched("instructional_priority")


def _oh_district_checked_in_today(demo) -> str:
    """A new OH district with one NNPS school, checked in with today, nothing planned after."""
    district = organizations.add_district(demo, name="Lakeview City Schools", state="OH")
    school = organizations.add_school(
        demo, name="Lakeview Elementary School", district_id=district.id
    )
    assignments.assign(demo, school.id, assignments.AssignmentFields("OH_NNPS"))
    visits.start_visit(
        demo,
        school.id,
        visit_type="check_in",
        starts_at=dt.datetime.combine(dt.date.today(), dt.time(9, 30)),
    )
    return district.id


def _day_after_a_check_in(held: dt.date) -> dt.date:
    """The day Today lists the district's next check-in, a month after `held`, on every day of
    the year: the day after (Today looks 30 days ahead, and a month can have 31), or on the last
    day of the school year that day itself (the next day a new year begins, whose check-ins
    count from 1 July). The demo's own OH districts have one only on some days: their schools'
    planned check-ins, drawn for the day the demo is loaded, often cover the month."""
    after = held + dt.timedelta(days=1)
    return held if (after.month, after.day) == (7, 1) else after


def test_an_oh_district_check_in_on_today_opens_the_district_page(qtbot, demo):
    district_id = _oh_district_checked_in_today(demo)
    held = dt.date.today()
    day = _day_after_a_check_in(held)
    window = _window(qtbot, demo, today=lambda: day)
    window.show_area("today")
    today = window.today
    assert today.day == day
    entry = next(
        e
        for e in today.entries
        if e.item.rule_id == "oh.check_in" and e.item.school_id == district_id
    )
    assert entry.item.explanation.endswith(f"the last was {short_day(held)}.")
    group = entry.group
    position = today.model.members(group).index(entry)
    if not today.entry_index(group, position).isValid():  # "Coming up" opens folded
        model = today.model
        heading = next(
            r
            for r in range(model.rowCount())
            if today.entry_of(model.index(r, 0)) is None
            and group.value in str(model.index(r, 0).data())
        )
        assert today.toggle_group(heading)
    index = today.entry_index(group, position)
    today.tree.setCurrentIndex(index)
    today.open_button.click()

    assert window.current_area() == "caseload"
    page = window.caseload.district_page
    assert window.caseload.currentWidget() is page
    assert page.title.text() == entry.school_name
    assert "OH NNPS" in page.programs_value.text()
    # What Today read (the check-in at its school) is on the page, not "0 visits".
    check_ins = [row for row in _tree_rows(page.school_visits) if row[2] == "Check-in"]
    assert [row[1] for row in check_ins] == ["Lakeview Elementary School"]


def test_a_district_check_in_started_on_the_page_is_the_districts(qtbot, demo, scripted_dialogs):
    district = _district(demo, "OH")
    window = _window(qtbot, demo)
    window.caseload.open_district(district.id)
    page = window.caseload.district_page
    offered: list[str] = []

    def start_check_in(dialog):
        if not isinstance(dialog, StartVisitDialog):
            return QDialog.DialogCode.Rejected
        offered.extend(k.visit_type for k in dialog.kinds)
        dialog.choose("check_in")
        return QDialog.DialogCode.Accepted

    scripted_dialogs.dialog_handler = start_check_in
    qtbot.mouseClick(page.timeline.start_button, Qt.MouseButton.LeftButton)

    assert "check_in" in offered and "learning_walk" not in offered
    visit_page = window.caseload.visit_page
    assert window.caseload.currentWidget() is visit_page
    assert visit_page.visit.school_id == district.id
    [row] = visits.list_visits(demo, school_id=district.id)
    assert row.form_title == "NNPS check-in"
    # Back from the visit goes to the district page, which lists it.
    window.caseload.go_back()
    assert window.caseload.currentWidget() is page
    assert page.timeline.visit_ids() == [row.id]


def test_a_district_contact_added_once_appears_on_each_of_its_schools_pages(
    qtbot, demo, scripted_dialogs
):
    district = _district(demo, "MA")
    window = _window(qtbot, demo)
    window.caseload.open_district(district.id)
    page = window.caseload.district_page
    seen: list[FormDialog] = []
    scripted_dialogs.dialog_handler = _fill_contact("Dana Ruiz", "assistant superintendent", seen)
    before = [r[:2] for r in _table_rows(page.contacts_panel.table)]
    qtbot.mouseClick(page.contacts_panel.add_button, Qt.MouseButton.LeftButton)
    after = [r[:2] for r in _table_rows(page.contacts_panel.table)]
    assert ["Dana Ruiz", "Assistant Superintendent"] in after and len(after) == len(before) + 1
    roles = [seen[0].inputs["role"].itemText(i) for i in range(seen[0].inputs["role"].count())]
    assert roles[:2] == ["Superintendent", "Primary contact"]  # MA SSoS's own list

    school_ids = page.schools.ids()
    assert len(school_ids) >= 2
    for n, school_id in enumerate(school_ids):
        page.schools.setCurrentItem(page.schools.topLevelItem(n))
        qtbot.keyClick(page.schools, Qt.Key.Key_Return)  # Enter opens the school
        school_page = window.caseload.school_page
        assert window.caseload.currentWidget() is school_page
        assert school_page.school.id == school_id
        rows = _table_rows(school_page.contacts_panel.table)
        assert ["Dana Ruiz", "Assistant Superintendent (district)"] in [r[:2] for r in rows]
        panel = school_page.contacts_panel
        panel.table.selectRow([r[0] for r in rows].index("Dana Ruiz"))
        assert not panel.edit_button.isEnabled()  # edited once, on the district's page
        _alt_left(qtbot, window, school_page.back_button)
        assert window.caseload.currentWidget() is page
    names = [c.name for c in schools.get_school(demo, district.id).contacts]
    assert names.count("Dana Ruiz") == 1
    # On a school's page, Enter on the district's contact opens the district's page.
    page.schools.setCurrentItem(page.schools.topLevelItem(0))
    qtbot.keyClick(page.schools, Qt.Key.Key_Return)
    panel = window.caseload.school_page.contacts_panel
    row = [r[0] for r in _table_rows(panel.table)].index("Dana Ruiz")
    panel.table.setCurrentCell(row, 0)
    qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    assert window.caseload.currentWidget() is page


def test_a_parent_of_jordan_role_is_refused_with_the_sentence(qtbot, demo, scripted_dialogs):
    district = _district(demo, "OH")
    window = _window(qtbot, demo)
    window.caseload.open_district(district.id)
    page = window.caseload.district_page
    seen: list[FormDialog] = []
    scripted_dialogs.dialog_handler = _fill_contact("Chris Allen", "Parent of Jordan", seen)
    qtbot.mouseClick(page.contacts_panel.add_button, Qt.MouseButton.LeftButton)

    [dialog] = seen
    assert dialog.error.text() == f"“Parent of Jordan” is not a school role. {NOT_A_SCHOOL_ROLE}"
    assert dialog.inputs["name"].text() == "Chris Allen"  # what was typed stays
    assert page.contacts_panel.table.rowCount() == 0
    assert schools.get_school(demo, district.id).contacts == ()


def test_a_search_hit_for_a_district_contact_opens_the_district_page(qtbot, demo):
    from coachdesk.core.visits.search import search
    from coachdesk.ui.visits.search_popup import open_hit

    district = _district(demo, "NY")
    schools.add_contact(demo, district.id, name="Wilhelmina Okonkwo", role="District Office")
    window = _window(qtbot, demo)
    [hit] = [h for h in search(demo, "Okonkwo") if h.kind == "contact"]
    open_hit(window, hit)
    settle(qtbot)
    page = window.caseload.district_page
    assert window.caseload.currentWidget() is page
    assert page.title.text() == district.name
    assert "Wilhelmina Okonkwo" in [r[0] for r in _table_rows(page.contacts_panel.table)]


def test_a_ny_district_says_its_visits_are_at_its_schools(qtbot, demo, scripted_dialogs):
    district = _district(demo, "NY")
    window = _window(qtbot, demo)
    window.caseload.open_district(district.id)
    page = window.caseload.district_page
    assert "NY Receivership works with schools" in page.timeline.empty.text()
    assert _tree_rows(page.school_visits)  # its schools' visits are listed
    qtbot.mouseClick(page.timeline.start_button, Qt.MouseButton.LeftButton)
    [(kind, title, text)] = scripted_dialogs.shown
    assert (kind, title) == ("info", "Visits are at its schools")
    assert "start the visit on one of its schools' pages" in text
    assert visits.list_visits(demo, school_id=district.id) == []


def test_a_district_s_details_are_edited_from_its_page(qtbot, demo, scripted_dialogs):
    district = _district(demo, "MA")
    window = _window(qtbot, demo)
    window.caseload.open_district(district.id)
    page = window.caseload.district_page

    def edit(dialog):
        dialog.address.setText("12 Main Street, Ashgrove, MA 01001")
        return QDialog.DialogCode.Accepted if dialog.try_accept() else QDialog.DialogCode.Rejected

    scripted_dialogs.dialog_handler = edit
    qtbot.mouseClick(page.edit_button, Qt.MouseButton.LeftButton)
    assert get_organization(demo, district.id).address == "12 Main Street, Ashgrove, MA 01001"
    assert page.address_value.text() == "12 Main Street, Ashgrove, MA 01001"  # heard on the bus
