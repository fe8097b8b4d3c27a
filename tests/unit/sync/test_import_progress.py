"""Import progress: the bar moves through verification, then merging rows, and ends full."""

from __future__ import annotations

from coachdesk.core.store.schema import Organization
from coachdesk.sync.importer import STEPS, import_bytes, import_files
from coachdesk.sync.merge import merge_changes
from coachdesk.sync.reader import open_bundle, read_changes

SCHOOLS = 600  # 9 logged fields each: 5,400 changes, more than one chunk of stored rows


def _many_schools(profile, count: int = SCHOOLS) -> None:
    with profile.writing() as write:
        for n in range(count):
            write.session.add(Organization(kind="school", name=f"School {n}", state="NY"))


def _increasing_to_the_end(calls: list[tuple[int, int]], total: int) -> None:
    assert calls, "progress was never reported"
    assert {t for _d, t in calls} == {total}
    dones = [d for d, _t in calls]
    assert dones == sorted(set(dones)), f"not strictly increasing: {dones}"
    assert dones[-1] == total


def test_merging_reports_each_pass_over_the_rows(pair):
    dana, lee = pair
    _many_schools(dana.profile)
    opened = open_bundle(lee.profile, dana.bundle())
    changes = read_changes(lee.profile, opened)
    calls: list[tuple[int, int]] = []
    with lee.profile.writing(capture=False) as write:
        merge_changes(
            write.session,
            changes,
            bundle_id=opened.header.bundle_id,
            progress=lambda done, total: calls.append((done, total)),
        )
    n = len(changes)
    assert n > 5000
    _increasing_to_the_end(calls, 3 * n)
    dones = [d for d, _t in calls]
    assert dones[:2] == [5000, n]  # stored in chunks
    assert 2 * n in dones  # heads moved


def test_importing_one_large_bundle_moves_through_verification_then_merging(pair):
    dana, lee = pair
    _many_schools(dana.profile)
    calls: list[tuple[int, int]] = []
    result = import_bytes(
        lee.profile, dana.bundle(), progress=lambda done, total: calls.append((done, total))
    )
    assert result.created["organization"] == SCHOOLS
    _increasing_to_the_end(calls, STEPS)
    dones = [d for d, _t in calls]
    assert dones[0] < dones[1] < STEPS // 2  # verified, then read, before any row is merged
    merging = [d for d in dones if STEPS // 2 <= d < STEPS]
    assert len(merging) >= 3, f"the bar should move while rows merge: {dones}"


def test_several_files_report_one_bar_that_ends_full_even_when_one_is_refused(pair, tmp_path):
    dana, lee = pair
    _many_schools(dana.profile, 50)
    good = tmp_path / "good.coachdesk"
    good.write_bytes(dana.bundle())
    bad = tmp_path / "bad.coachdesk"
    damaged = bytearray(good.read_bytes())
    damaged[200] ^= 1
    bad.write_bytes(bytes(damaged))
    calls: list[tuple[int, int]] = []
    report = import_files(
        lee.profile,
        [bad, good, good],
        backup=False,
        progress=lambda done, total: calls.append((done, total)),
    )
    assert [r.error.code for r in report.rejected] == ["damaged"]
    assert [r.already_imported for r in report.imported] == [False, True]
    _increasing_to_the_end(calls, 3 * STEPS)
    assert (STEPS, 3 * STEPS) in calls and (2 * STEPS, 3 * STEPS) in calls
