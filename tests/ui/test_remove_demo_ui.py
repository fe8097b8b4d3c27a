"""File ▸ Remove the demo caseload… as a coach who tried the demo, then added a real school."""

from __future__ import annotations

from coachdesk.core import organizations
from coachdesk.core.store import backups
from tests.support.ui import open_window, settle


def test_removing_the_demo_leaves_my_own_school_and_a_backup(qtbot, demo_dir, scripted_dialogs):
    window = open_window(qtbot, demo_dir)
    profile = window.profile
    district = organizations.add_district(profile, name="Albany City SD", state="NY")
    organizations.add_school(profile, name="Arbor Hill Elementary", district_id=district.id)
    window.show_area("caseload")
    held = len(organizations.list_organizations(profile))

    scripted_dialogs.confirm_answers = [False]
    window.profile_actions.remove_demo_action.trigger()
    settle(qtbot)
    assert len(organizations.list_organizations(profile)) == held  # said no: nothing removed

    scripted_dialogs.confirm_answers = [True]
    window.profile_actions.remove_demo_action.trigger()
    qtbot.waitUntil(lambda: scripted_dialogs.shown[-1][0] == "info", timeout=20_000)
    kind, title, text = scripted_dialogs.shown[-1]
    assert text.startswith("Removed the demo caseload") and "Your own records are unchanged" in text
    rows = window.caseload.list_view.visible_rows()  # the list heard the removal
    assert [r.school_name for r in rows] == ["Arbor Hill Elementary"]
    names = {o.name for o in organizations.list_organizations(profile)}
    assert names == {"Albany City SD", "Arbor Hill Elementary"}
    assert any(b.reason == "before-demo-removal" for b in backups.list_backups(profile.backups_dir))


def test_removing_the_demo_from_my_own_profile_says_there_is_none(
    qtbot, profile_dir, scripted_dialogs
):
    window = open_window(qtbot, profile_dir)
    window.profile_actions.remove_demo_action.trigger()
    assert scripted_dialogs.shown == [
        (
            "info",
            "Demo caseload",
            "There is no demo caseload in this profile; everything in it is your own.",
        )
    ]
