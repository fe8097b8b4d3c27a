"""`coachdesk due close|reopen` and `coachdesk visits share|unshare` in real processes."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.cli import coachdesk, ok

DAY = "2026-10-20"  # the NY Q1 reports (due Oct 30) are listed


def _items(folder: Path, day: str = DAY) -> list[dict]:
    return json.loads(ok(coachdesk(folder, "due", "--on", day, "--json")).stdout)["items"]


def test_a_report_is_closed_with_a_day_and_a_note_then_reopened(demo_dir):
    listed = [i for i in _items(demo_dir) if i["rule"] == "ny.quarterly_report"]
    assert listed, "the demo lists NY quarterly reports before they are due"
    report = listed[0]
    assert report["closable"] is True and report["how"] == "Mark as submitted"
    assert report["close"]["kind"] == "Q1" and report["close"]["period"] == "2026-27"

    out = ok(
        coachdesk(
            demo_dir, "due", "close", report["key"], "--on", "2026-10-19", "--note", "Via portal"
        )
    )
    assert "Marked done on Oct 19, 2026" in out.stdout
    assert report["key"] not in {i["key"] for i in _items(demo_dir)}

    ok(coachdesk(demo_dir, "due", "reopen", report["key"]))
    assert report["key"] in {i["key"] for i in _items(demo_dir)}
    again = coachdesk(demo_dir, "due", "reopen", report["key"])
    assert again.returncode == 1 and len(again.stderr.strip().splitlines()) == 1
    assert "nothing to reopen" in again.stderr


def test_every_item_in_due_json_has_a_key_and_says_how_it_is_cleared(demo_dir):
    items = _items(demo_dir, "2026-12-01")
    assert items
    for item in items:
        assert item["key"].startswith(item["rule"] + ":")
        assert isinstance(item["closable"], bool) and item["how"]


def test_refusals_are_one_line_with_exit_1(demo_dir):
    for args in (
        ("due", "close", "not-a-key"),
        ("due", "close", "ny.quarterly_report:x:2026-27 Q1", "--on", "2026-13-01"),
        ("visits", "share", "no-such-visit"),
    ):
        out = coachdesk(demo_dir, *args)
        assert out.returncode == 1, args
        assert out.stdout == "" and len(out.stderr.strip().splitlines()) == 1, out.stderr


def test_a_final_note_is_shared_by_hand_and_unshared(demo_dir):
    visits = json.loads(ok(coachdesk(demo_dir, "visits", "--json")).stdout)
    final = next(v for v in visits if v["status"] == "final")
    out = ok(coachdesk(demo_dir, "visits", "share", final["id"], "--on", final["date"]))
    assert "marked shared" in out.stdout
    after = json.loads(ok(coachdesk(demo_dir, "visits", "--json")).stdout)
    assert next(v for v in after if v["id"] == final["id"])["status"] == "shared"
    assert not [
        i
        for i in _items(demo_dir, "2026-12-01")
        if i["rule"] == "all.note_unshared" and i["open"]["record_id"] == final["id"]
    ]
    ok(coachdesk(demo_dir, "visits", "unshare", final["id"]))

    draft = next(v for v in visits if v["status"] == "draft")
    refused = coachdesk(demo_dir, "visits", "share", draft["id"])
    assert refused.returncode == 1 and "finalize it before sharing" in refused.stderr
