"""Issue 15 in the window: the import review names each bundle's sender by the name this profile
trusts (never by the name the sender gave its own laptop), and says which changes are held back
for being stamped too far ahead of this laptop's clock; the Trust page says so too."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtWidgets import QWidget
from sqlalchemy import select

from coachdesk.core.clock import HLC, HybridClock
from coachdesk.core.dates_text import medium_date
from coachdesk.core.ids import new_id
from coachdesk.core.store.schema import Change, ThisDevice
from coachdesk.sync.held_changes import held_in, hold, release_due, wall_now_ms
from coachdesk.sync.payload import IncomingChange, carried_columns
from coachdesk.ui.sync_actions import SyncActions, import_review
from coachdesk.ui.trust_page import TrustPage
from tests.support.sync_world import add_school, make_devices, school_name
from tests.support.ui import ChangeRecorder, settle

TODAY = medium_date(dt.date.today())  # the held-changes sentence says this laptop's date

FORGED = "Your supervisor (District Office)"
HELD = (
    "2 changes from Dana are stamped more than a day ahead of this laptop's clock "
    "(up to Mar 3, 2031); they are held back and merge when the clock reaches them. "
    f"Check the other laptop's date (this laptop's is {TODAY})."
)


def _noon_utc(year: int, month: int, day: int) -> int:
    return int(dt.datetime(year, month, day, 12, tzinfo=dt.UTC).timestamp() * 1000)


@pytest.fixture
def devices(tmp_path: Path):
    made = make_devices(tmp_path, ["Dana", "Lee"])
    dana = made[0]
    with dana.profile.writing() as write:  # Dana's laptop calls itself something misleading
        write.session.get(ThisDevice, dana.keys.device_id).name = FORGED
    yield made
    for d in made:
        d.profile.close()


def _hold_from_dana(dana, lee) -> None:
    device = dana.keys.device_id
    changes = [
        IncomingChange(
            new_id(),
            "organization",
            new_id(),
            "name",
            json.dumps("Far Ahead School"),
            str(HLC(wall, 0, device)),
            device,
            "[]",
        )
        for wall in (_noon_utc(2030, 6, 1), _noon_utc(2031, 3, 3))
    ]
    with lee.profile.writing(capture=False) as write:
        hold(write.session, changes, new_id())


def _import(qtbot, lee, bundle: Path) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    SyncActions(window, lee.profile).import_paths([bundle])
    settle(qtbot)


def test_the_import_review_names_the_trusted_sender_and_what_is_held_back(
    qtbot, devices, tmp_path, scripted_dialogs
):
    dana, lee = devices
    school = add_school(dana.profile, "Harbor View Elementary")
    bundle = tmp_path / "from-dana.coachdesk"
    bundle.write_bytes(dana.bundle())
    _hold_from_dana(dana, lee)
    _import(qtbot, lee, bundle)
    assert school_name(lee.profile, school) == "Harbor View Elementary"
    kind, title, text = scripted_dialogs.shown[-1]
    assert (kind, title) == ("info", "Imported")
    paragraphs = text.split("\n\n")
    assert paragraphs[0].startswith("from-dana.coachdesk (from Dana): ")
    assert "Your supervisor" not in text and "District Office" not in text
    assert paragraphs[-1] == HELD


def test_an_import_with_nothing_held_back_says_nothing_about_it(
    qtbot, devices, tmp_path, scripted_dialogs
):
    dana, lee = devices
    add_school(dana.profile, "Harbor View Elementary")
    bundle = tmp_path / "from-dana.coachdesk"
    bundle.write_bytes(dana.bundle())
    _import(qtbot, lee, bundle)
    kind, title, text = scripted_dialogs.shown[-1]
    assert (kind, title) == ("info", "Imported")
    assert "(from Dana)" in text and "held back" not in text


def test_the_trust_page_says_what_is_held_back_and_drops_the_line_once_merged(
    qtbot, devices, scripted_dialogs
):
    dana, lee = devices
    page = TrustPage(lee.profile)
    qtbot.addWidget(page)
    page.resize(1000, 560)
    page.show()
    settle(qtbot)
    assert page.held.isHidden()

    _hold_from_dana(dana, lee)
    page.hide()
    page.show()  # back to the page after an import
    settle(qtbot)
    assert not page.held.isHidden()
    assert page.held.text() == HELD
    assert page.held.accessibleName() == "Changes held back"

    with lee.profile.writing(capture=False) as write:
        assert len(release_due(write.session, _noon_utc(2031, 3, 3))) == 2
    page.hide()
    page.show()
    settle(qtbot)
    assert page.held.isHidden()


def test_a_bundle_that_says_what_it_held_back_is_not_followed_by_the_same_sentence(
    devices,
):
    dana, lee = devices
    _hold_from_dana(dana, lee)
    held = held_in(lee.profile)
    told = SimpleNamespace(held=held.sentence(), sentence=lambda: "b (from Dana): 1 coach. " + HELD)
    report = SimpleNamespace(imported=[told], rejected=[])
    assert import_review(report, held).count("stamped more than a day ahead") == 1
    quiet = SimpleNamespace(held="", sentence=lambda: "b (from Dana): nothing new.")
    report = SimpleNamespace(imported=[quiet], rejected=[])
    assert import_review(report, held) == "b (from Dana): nothing new.\n\n" + HELD


def test_held_changes_the_clock_has_reached_merge_when_the_window_opens(
    qtbot, devices, scripted_dialogs
):
    dana, lee = devices
    school = add_school(dana.profile, "Harbor View Elementary")
    with dana.profile.reading() as session:
        rows = session.execute(select(*carried_columns()).where(Change.record_id == school))
        arrived = [IncomingChange(*row) for row in rows]
    with lee.profile.writing(capture=False) as write:  # held when they arrived; due by now
        hold(write.session, arrived, new_id())
    window = QWidget()
    qtbot.addWidget(window)
    heard = ChangeRecorder(lee.profile)
    actions = SyncActions(window, lee.profile)
    actions.merge_held_due()
    settle(qtbot)
    assert school_name(lee.profile, school) == "Harbor View Elementary"
    assert heard.summaries[-1].ids("organization") == {school}
    assert heard.initiators[-1] is actions
    assert held_in(lee.profile).count == 0
    assert scripted_dialogs.shown == []  # nothing to answer: the caseload simply shows it


def test_importing_a_bundle_from_a_laptop_years_ahead_says_it_is_held_back_once(
    qtbot, devices, tmp_path, scripted_dialogs
):
    dana, lee = devices
    two_years = 2 * 366 * 24 * 3600 * 1000
    now = wall_now_ms()
    dana.profile._clock = HybridClock(dana.keys.device_id, wall=lambda: now + two_years)
    school = add_school(dana.profile, "Harbor View Elementary")
    bundle = tmp_path / "from-dana.coachdesk"
    bundle.write_bytes(dana.bundle())
    _import(qtbot, lee, bundle)
    kind, title, text = scripted_dialogs.shown[-1]
    assert (kind, title) == ("info", "Imported")
    assert text.startswith("from-dana.coachdesk (from Dana): ")
    assert text.count("stamped more than a day ahead of this laptop's clock") == 1
    assert "changes from Dana are stamped" in text and FORGED not in text
    assert school_name(lee.profile, school) is None


def test_held_changes_whose_time_has_come_merge_when_the_window_opens(qtbot, tmp_path, monkeypatch):
    from coachdesk.sync import held_changes
    from coachdesk.ui import app
    from coachdesk.ui.main_window import MainWindow

    dana, lee = make_devices(tmp_path, ["Dana", "Lee"])
    ahead = wall_now_ms() + 3 * 24 * 3600 * 1000  # Dana's laptop is three days fast
    dana.profile._clock = HybridClock(dana.keys.device_id, wall=lambda: ahead)
    school = add_school(dana.profile, "Three Days Ahead Elementary")
    lee.take(dana.bundle())
    assert school_name(lee.profile, school) is None and held_in(lee.profile).count
    # Four days later Lee opens coachdesk: what was held merges without another import.
    later = ahead + 24 * 3600 * 1000
    monkeypatch.setattr(held_changes, "wall_now_ms", lambda: later)
    window = MainWindow(lee.profile)
    qtbot.addWidget(window)
    recorder = ChangeRecorder(lee.profile)
    app._after_first_paint(window, checked=True)
    qtbot.waitUntil(lambda: school_name(lee.profile, school) is not None, timeout=10_000)
    settle(qtbot)
    assert school_name(lee.profile, school) == "Three Days Ahead Elementary"
    assert held_in(lee.profile).count == 0
    assert recorder.touched("organization")  # the caseload hears it, as after an import
    dana.profile.close()
