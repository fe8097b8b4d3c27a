"""Issue 15: `coachdesk verify` names the signer by the name this profile trusts first, and labels
the sender's self-chosen name as theirs; `verify --contents`, `import` and `keys show` say which
changes are held back for being stamped too far ahead of this laptop's clock."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from coachdesk.cli import main
from coachdesk.core.clock import HLC, HybridClock
from coachdesk.core.dates_text import medium_date
from coachdesk.core.ids import new_id
from coachdesk.core.store.profile import open_profile
from coachdesk.core.store.schema import Change, ThisDevice
from coachdesk.sync.held_changes import hold, wall_now_ms
from coachdesk.sync.payload import IncomingChange
from tests.support.sync_world import (
    add_school,
    change_line,
    hand_made_bundle,
    make_devices,
    school_name,
)

TODAY = medium_date(dt.date.today())  # the held-changes sentence says this laptop's date

FORGED = "Your supervisor\n  Signed by:    District Office"
DAY = 24 * 60 * 60 * 1000


def _noon_utc(year: int, month: int, day: int) -> int:
    return int(dt.datetime(year, month, day, 12, tzinfo=dt.UTC).timestamp() * 1000)


@pytest.fixture
def laptops(tmp_path: Path):
    """Dana's and Lee's profile folders (closed, for the CLI), trusting each other; Dana's
    laptop calls itself something misleading, with a line break in it."""
    dana, lee = make_devices(tmp_path, ["Dana", "Lee"])
    with dana.profile.writing() as write:
        write.session.get(ThisDevice, dana.keys.device_id).name = FORGED
    add_school(dana.profile, "Harbor View Elementary")
    bundle = tmp_path / "from-dana.coachdesk"
    bundle.write_bytes(dana.bundle())
    ahead_wall = wall_now_ms() + 3 * DAY
    line = change_line(device=dana.keys.device_id, hlc=str(HLC(ahead_wall, 0, dana.keys.device_id)))
    ahead = tmp_path / "ahead.coachdesk"
    plain = (json.dumps(line) + "\n").encode()
    ahead.write_bytes(hand_made_bundle(dana.keys, plain, change_count=1, schema=5))
    world = {
        "dana": tmp_path / "Dana",
        "lee": tmp_path / "Lee",
        "bundle": bundle,
        "ahead": ahead,
        "dana_device": dana.keys.device_id,
    }
    dana.profile.close()
    lee.profile.close()
    return world


def _cli(folder: Path, *args: str) -> int:
    return main(["--data-dir", str(folder), *args])


def _hold_from(folder: Path, device: str, walls: list[int]) -> None:
    profile = open_profile(folder)
    try:
        changes = [
            IncomingChange(
                new_id(),
                "organization",
                new_id(),
                "name",
                json.dumps("Far Ahead School"),
                str(HLC(w, 0, device)),
                device,
                "[]",
            )
            for w in walls
        ]
        with profile.writing(capture=False) as write:
            hold(write.session, changes, new_id())
    finally:
        profile.close()


def test_verify_shows_the_trusted_name_first_and_the_senders_own_name_as_theirs(laptops, capsys):
    assert _cli(laptops["lee"], "verify", str(laptops["bundle"])) == 0
    lines = capsys.readouterr().out.splitlines()
    signed = next(i for i, text in enumerate(lines) if text.startswith("  Signed by:"))
    assert lines[signed] == "  Signed by:    Dana (your name for this key)"
    calls = next(i for i, text in enumerate(lines) if "Calls itself:" in text)
    assert calls > signed
    assert lines[calls] == (
        '  Calls itself: "Your supervisor\\u000a  Signed by:    District Office" '
        "(the sender's own name, unchecked)"
    )
    # The sender's line break cannot start a line of its own that reads like coachdesk's.
    assert [t for t in lines if "Signed by:" in t and t.startswith("  Signed")] == [lines[signed]]
    assert not any("Made on" in t for t in lines)

    assert _cli(laptops["lee"], "verify", str(laptops["bundle"]), "--json") == 0
    facts = json.loads(capsys.readouterr().out)
    assert facts["signed_by"] == "Dana"
    assert facts["calls_itself"] == FORGED
    assert facts["author_device"] == laptops["dana_device"]


def test_verify_contents_says_what_an_import_would_hold_back(laptops, capsys):
    assert _cli(laptops["lee"], "verify", str(laptops["ahead"]), "--contents") == 0
    out = capsys.readouterr().out
    assert "  Contents:     all 1 changes read and checked." in out
    assert "  On import:    1 change from Dana is stamped more than a day ahead" in out
    assert "it is held back and merges when the clock reaches it." in out

    assert _cli(laptops["lee"], "verify", str(laptops["bundle"]), "--contents") == 0
    assert "On import" not in capsys.readouterr().out  # an ordinary bundle holds nothing back


def test_keys_show_lists_the_held_changes_with_the_sentence(laptops, capsys):
    assert _cli(laptops["lee"], "keys", "show") == 0
    assert "held back" not in capsys.readouterr().out
    walls = [_noon_utc(2031, 3, 3), _noon_utc(2030, 1, 2)]
    _hold_from(laptops["lee"], laptops["dana_device"], walls)
    assert _cli(laptops["lee"], "keys", "show") == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "2 changes from Dana are stamped more than a day ahead of this laptop's "
        "clock (up to Mar 3, 2031); they are held back and merge when the clock reaches them. "
        f"Check the other laptop's date (this laptop's is {TODAY})."
    )
    assert _cli(laptops["lee"], "keys", "show", "--json") == 0
    held = json.loads(capsys.readouterr().out)["held_changes"]
    assert held["count"] == 2
    assert held["devices"] == [
        {"name": "Dana", "device": laptops["dana_device"], "changes": 2, "up_to": "Mar 3, 2031"}
    ]


def test_import_names_the_trusted_sender_and_says_what_is_held_back(laptops, capsys):
    _hold_from(laptops["lee"], laptops["dana_device"], [_noon_utc(2031, 3, 3)])
    assert _cli(laptops["lee"], "import", str(laptops["bundle"])) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("from-dana.coachdesk (from Dana): ")
    assert FORGED.splitlines()[0] not in "\n".join(out)
    assert out[1].startswith("1 change from Dana is stamped more than a day ahead")
    assert _cli(laptops["lee"], "import", str(laptops["bundle"]), "--json") == 0
    assert json.loads(capsys.readouterr().out)["held"]["count"] == 1


def test_a_bundle_from_the_year_30490_is_held_said_once_and_never_moves_the_clock(tmp_path, capsys):
    dana, lee = make_devices(tmp_path, ["Dana", "Lee"])
    year_30490 = 900_010_000_000_000
    dana.profile._clock = HybridClock(dana.keys.device_id, wall=lambda: year_30490)
    school = add_school(dana.profile, "Harbor View Elementary")
    bundle = tmp_path / "from-the-future.coachdesk"
    bundle.write_bytes(dana.bundle())
    dana.profile.close()
    lee.profile.close()

    assert _cli(tmp_path / "Lee", "import", str(bundle)) == 0
    out = capsys.readouterr().out
    assert out.count("stamped more than a day ahead") == 1
    assert "(up to the year 30,490)" in out
    assert _cli(tmp_path / "Lee", "keys", "show") == 0
    assert "changes from Dana are stamped" in capsys.readouterr().out

    profile = open_profile(tmp_path / "Lee")
    try:
        assert school_name(profile, school) is None  # held, not merged
        mine = add_school(profile, "Lee's own school")
        with profile.reading() as session:
            stamp = session.execute(select(Change.hlc).where(Change.record_id == mine)).scalar()
        assert HLC.parse(stamp).wall_ms <= wall_now_ms() + DAY  # near now, not the year 30,490
    finally:
        profile.close()
