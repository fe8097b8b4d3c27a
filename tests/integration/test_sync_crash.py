"""THREATS.md, crashes: kill -9 during an import leaves the profile as it was before or as it
is after the import, never in between; kill -9 during an export never leaves a half-written
bundle under the final name."""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import sqlite3
import time
from pathlib import Path

import pytest
from sqlalchemy import event

from coachdesk.core.store.profile import DB_NAME, Profile, open_profile
from coachdesk.core.store.schema import Contact, Organization
from coachdesk.sync.export import export_bundle
from coachdesk.sync.importer import import_bytes
from coachdesk.sync.reader import open_bundle
from tests.support.sync_world import make_devices, snapshot

pytestmark = pytest.mark.slow

STEP_KILLS = 170
TIMED_KILLS = 50
EXPORT_KILLS = 40


def _fill(profile: Profile, schools: int) -> None:
    with profile.writing() as write:
        for n in range(schools):
            school = Organization(kind="school", name=f"School {n}", state="NY", city="Albany")
            write.session.add(school)
            write.session.flush()
            for role in ("principal", "assistant principal"):
                write.session.add(Contact(org_id=school.id, name=f"{role} {n}", role=role))


def _copy(source: Path, target: Path) -> None:
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    with sqlite3.connect(source / DB_NAME) as src, sqlite3.connect(target / DB_NAME) as dst:
        src.backup(dst)


def _count_steps(profile: Profile, kill_at: int | None) -> list[int]:
    """Count SQLite VM progress callbacks on the profile's connections; SIGKILL at one."""
    steps = [0]

    def on_connect(dbapi_connection, _record) -> None:
        def tick() -> int:
            steps[0] += 1
            if steps[0] == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)
            return 0

        dbapi_connection.set_progress_handler(tick, 500)

    event.listen(profile.engine, "connect", on_connect)
    return steps


def _run_child(work) -> int:
    pid = os.fork()
    if pid == 0:  # the child: do the work, never return into pytest
        try:
            work()
        finally:
            os._exit(0)
    return pid


def test_kill_9_during_import_leaves_before_or_after(tmp_path):
    dana, lee = make_devices(tmp_path, ["Dana", "Lee"])
    _fill(dana.profile, 150)
    bundle = dana.bundle(encrypt_to=["Lee"])
    lee_keys = lee.keys
    before = snapshot(lee.profile)
    lee.profile.close()
    template = tmp_path / "lee-template"
    _copy(lee.profile.directory, template)

    trial = tmp_path / "trial"
    _copy(template, trial)
    probe = Profile(trial)
    steps = _count_steps(probe, kill_at=None)
    started = time.perf_counter()
    import_bytes(probe, bundle, keys=lee_keys)
    duration = time.perf_counter() - started
    total_steps = steps[0]
    after = snapshot(probe)
    probe.close()
    assert after != before

    seed = random.randrange(2**32)
    rng = random.Random(seed)
    outcomes = {"before": 0, "after": 0}
    kinds = ["step"] * STEP_KILLS + ["timed"] * TIMED_KILLS
    for kind in kinds:
        _copy(template, trial)
        # Up to 10% past the last step: the process then dies just after its commit.
        kill_at = rng.randint(1, total_steps * 11 // 10)

        def work(kill_at=kill_at, kind=kind) -> None:
            profile = Profile(trial)
            if kind == "step":
                _count_steps(profile, kill_at=kill_at)
            import_bytes(profile, bundle, keys=lee_keys)
            os.kill(os.getpid(), signal.SIGKILL)  # a crash right after the commit, too

        pid = _run_child(work)
        if kind == "timed":
            time.sleep(rng.uniform(0, duration * 1.3))
            with contextlib.suppress(ProcessLookupError):  # it may have finished first
                os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        reopened = open_profile(trial)  # runs the integrity check; raises if damaged
        state = snapshot(reopened)
        reopened.close()
        assert state in (before, after)
        outcomes["before" if state == before else "after"] += 1
    print(
        f"\nkill -9 during import (seed {seed}): {len(kinds)} kills "
        f"({STEP_KILLS} at random SQLite steps of {total_steps}, {TIMED_KILLS} at random times "
        f"within {duration:.2f} s): {outcomes}"
    )
    assert outcomes["before"] > 0 and outcomes["after"] > 0


def test_kill_9_during_export_never_leaves_a_partial_bundle(tmp_path):
    (dana,) = make_devices(tmp_path, ["Dana"])
    _fill(dana.profile, 150)
    dana.keys  # noqa: B018  created before forking, so children only read them
    target = tmp_path / "out" / "dana.coachdesk"
    target.parent.mkdir()
    started = time.perf_counter()
    export_bundle(dana.profile, target)
    duration = time.perf_counter() - started
    size = target.stat().st_size
    target.unlink()

    seed = random.randrange(2**32)
    rng = random.Random(seed)
    outcomes = {"no file": 0, "complete file": 0}
    # Where the process dies: halfway through writing, at the fsync, at the rename, just after
    # the rename (before the folder is synced), or at a random moment.
    stages = ["write", "fsync", "replace", "open", None]
    for n in range(EXPORT_KILLS):
        stage = stages[n % len(stages)]

        def work(stage=stage, size=size) -> None:
            if stage == "write":
                # The file-size limit stops the process (SIGXFSZ) halfway through the write.
                import resource

                half = size // 2
                resource.setrlimit(resource.RLIMIT_FSIZE, (half, half))
            elif stage in ("fsync", "replace", "open"):
                setattr(os, stage, lambda *a: os.kill(os.getpid(), signal.SIGKILL))
            export_bundle(dana.profile, target)
            os.kill(os.getpid(), signal.SIGKILL)

        pid = _run_child(work)
        if stage is None:
            time.sleep(rng.uniform(0, duration * 1.3))
            with contextlib.suppress(ProcessLookupError):  # it may have finished first
                os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        if target.exists():
            open_bundle(dana.profile, target.read_bytes())  # whole and verifiable, or raises
            outcomes["complete file"] += 1
            target.unlink()
        else:
            outcomes["no file"] += 1
        for leftover in target.parent.glob(".*.partial"):
            leftover.unlink()
    print(f"\nkill -9 during export (seed {seed}): {EXPORT_KILLS} kills: {outcomes}")
    assert outcomes["no file"] > 0 and outcomes["complete file"] > 0
