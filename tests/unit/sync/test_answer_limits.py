"""The longest answer the app saves travels in a bundle: what the app saves and what a bundle
reader accepts are one set of limits (coachdesk/core/sync_limits.py)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from coachdesk.core import visits
from coachdesk.core.caseload import list_caseload
from coachdesk.core.demo import caseload as demo_caseload
from coachdesk.core.errors import RefusedInput
from coachdesk.core.sync_limits import VALUE_BYTES, carried_bytes
from coachdesk.sync.export import export_bundle
from coachdesk.sync.importer import import_files

# Each piece takes more room in a bundle than it has characters: a quote and a backslash are
# escaped twice, a line break becomes four bytes, a Chinese character three.
PIECE = 'He said "use the \\ rubric"\n王小明 '


def _text(length: int) -> str:
    return (PIECE * (length // len(PIECE) + 1))[:length]


def _at_most(limit: int) -> str:
    """The longest run of PIECE whose answer still takes no more than `limit` bundle bytes."""
    low, high = 0, limit
    while low < high:
        mid = (low + high + 1) // 2
        answer = json.dumps(_text(mid), ensure_ascii=False)
        if carried_bytes(answer) <= limit:  # the answer as it is stored, then carried
            low = mid
        else:
            high = mid - 1
    return _text(low)


def _visit(profile) -> str:
    with profile.writing() as write:
        demo_caseload.load(write.session, today=dt.date.today())
    school = next(r for r in list_caseload(profile) if r.program_code == "NY_RCV")
    return visits.start_visit(
        profile,
        school.school_id,
        visit_type="onsite",
        starts_at=dt.datetime.now().replace(microsecond=0),
    )


def test_an_answer_at_the_limit_saves_travels_and_arrives_whole(pair, tmp_path):
    coach, colleague = pair
    visit = _visit(coach.profile)
    longest = _at_most(VALUE_BYTES)
    assert len(longest) < VALUE_BYTES  # fewer characters than bytes: the escapes count
    visits.save_answer(coach.profile, visit, "challenges", longest)
    bundle = tmp_path / "for-lee.coachdesk"
    export_bundle(coach.profile, bundle, to=[colleague.name])
    report = import_files(colleague.profile, [bundle])
    assert not report.rejected
    assert visits.get_visit(colleague.profile, visit).response["challenges"] == longest


def test_one_more_character_is_refused_with_a_sentence_and_the_answer_stays(pair):
    coach, _colleague = pair
    visit = _visit(coach.profile)
    visits.save_answer(coach.profile, visit, "challenges", "What the coach typed first.")
    too_long = _text(len(_at_most(VALUE_BYTES)) + 1)  # the next character no longer fits
    with pytest.raises(RefusedInput, match="too long to share"):
        visits.save_answer(coach.profile, visit, "challenges", too_long)
    assert visits.get_visit(coach.profile, visit).response["challenges"] == (
        "What the coach typed first."
    )
    with pytest.raises(RefusedInput, match="one answer can hold"):
        visits.save_answer(coach.profile, visit, "challenges", "x" * 3_000_000)


def test_a_line_longer_than_the_limit_is_refused_even_when_it_arrives_whole():
    """A line can arrive complete across two decompressed chunks; it is measured too."""
    import zlib

    from coachdesk.core.sync_limits import CHANGE_LINE_BYTES
    from coachdesk.sync.errors import BundleError
    from coachdesk.sync.payload import decode_changes

    plain = b'"' + b"y" * CHANGE_LINE_BYTES + b'"\n'  # valid JSON, two bytes over the limit
    with pytest.raises(BundleError, match="far too long"):
        decode_changes(zlib.compress(plain), plain_size=len(plain), change_count=1)
