"""Benchmark (issue 17, "Scale"): 50 coaches' bundles for a school year, about 1,000,000
changes, imported into a supervisor's SQLite profile and into PostgreSQL through the hub, then
the roll-up on each.

Targets: each import under 5 minutes and under 500 MB of memory; build_rollup under 1 s on each.
The bundles come from 50 real coach profiles (benchmarks/hub_scale_bundles.py: one coach's year
each, with its change log, exported signed and unencrypted), cached in --bundles DIR so a second
run skips making them. Each import runs as its own process, the real command line
(`coachdesk --data-dir DIR import FOLDER`, `coachdesk hub import --db URL FOLDER`): its wall
seconds, its CPU seconds and its peak resident size are the child's own (os.wait4's rusage;
ru_maxrss, the whole process, not only Python's allocations). On PostgreSQL the server's own CPU
is not in the importer's figure: it is printed apart (from /proc). build_rollup is timed in a
fresh process too (median of --runs), not in the one that made the bundles. PostgreSQL is a
throwaway cluster (tests/support/postgres.py), stopped at the end even on failure. Prints
figures; asserts nothing about time.

    .venv/bin/python benchmarks/hub_scale.py [--coaches 50] [--changes-per-coach 20000]
        [--bundles DIR] [--skip-postgres] [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import keyring
from keyring.backend import KeyringBackend

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.support.postgres

from hub_scale_bundles import build_bundles, coach_keys, schools_for  # noqa: E402
from rollup import DAY  # noqa: E402

from coachdesk.core.store.profile import open_profile  # noqa: E402
from coachdesk.core.tracking_rules import shipped_rules  # noqa: E402
from coachdesk.reports.rollup_data import RollupFilter, build_rollup  # noqa: E402
from coachdesk.sync import trust  # noqa: E402

IMPORT_TARGET_S = 300.0
MEMORY_TARGET_MB = 500.0
ROLLUP_TARGET_S = 1.0


class _MemoryKeyring(KeyringBackend):
    """Keeps the coach profiles' keys away from the machine's real keyring."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--coaches", type=int, default=50)
    parser.add_argument("--changes-per-coach", type=int, default=20_000)
    parser.add_argument("--bundles", type=Path, help="keep (and reuse) the bundles here")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--runs", type=int, default=5, help="build_rollup runs on each target")
    parser.add_argument("--rollup-of", help=argparse.SUPPRESS)  # the child of _time_rollup
    parser.add_argument("--rollup-out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.rollup_of:
        _rollup_child(args.rollup_of, args.rollup_out, args.runs)
        return
    keyring.set_keyring(_MemoryKeyring())
    work = Path(tempfile.mkdtemp(prefix="coachdesk-scale-"))
    try:
        _run(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _run(args: argparse.Namespace, work: Path) -> None:
    # One cache folder per size: bundles of another size are never taken for these.
    bundles = (args.bundles or work / "bundles") / f"{args.changes_per_coach}-changes-a-coach"
    started, cpu = time.perf_counter(), time.process_time()
    made = build_bundles(bundles, work, args.coaches, args.changes_per_coach)
    if made:
        print(
            f"made {len(made)} bundles ({sum(made):,} changes) in "
            f"{time.perf_counter() - started:.0f} s (CPU {time.process_time() - cpu:.0f} s)"
        )
    files = sorted(bundles.glob("coach-*.coachdesk"))[: args.coaches]
    folder = work / "to-import"  # exactly --coaches bundles, whatever else the cache holds
    folder.mkdir()
    for path in files:
        (folder / path.name).symlink_to(path.resolve())
    size = sum(p.stat().st_size for p in files)
    print(
        f"{len(files)} bundles, {size / 2**20:.0f} MiB in all, about "
        f"{schools_for(args.changes_per_coach)} schools a coach; on {os.cpu_count()} cores"
    )
    keys = coach_keys(bundles, args.coaches)

    supervisor = open_profile(work / "supervisor")
    for name, offered in keys:
        trust.trust_key(supervisor, offered, name=name)
    supervisor.close()
    figures = _import("SQLite profile", ["--data-dir", str(work / "supervisor"), "import"], folder)
    supervisor = open_profile(work / "supervisor")
    try:
        _changes_in(supervisor, figures)
    finally:
        supervisor.close()
    sqlite_rollup = _time_rollup("SQLite profile", str(work / "supervisor"), args.runs)
    if args.skip_postgres:
        return
    hub_rollup = _postgres(folder, keys, args.runs)
    same = _rollup_key(sqlite_rollup) == _rollup_key(hub_rollup)
    print(f"the roll-ups on SQLite and PostgreSQL agree line for line: {'yes' if same else 'NO'}")


def _postgres(folder: Path, keys: list[tuple[str, Any]], runs: int) -> Any:
    from coachdesk.core.store.hub import open_hub
    from tests.support.postgres import TestServer

    server = TestServer()
    try:
        server.start()
        url = server.new_database()
        _cli(["hub", "init", "--db", url])
        hub = open_hub(url)
        try:
            for name, offered in keys:
                trust.trust_key(hub, offered, name=name)
        finally:
            hub.close()
        figures = _import(
            "PostgreSQL hub", ["hub", "import", "--db", url], folder, _postgres_cpu(server)
        )
        hub = open_hub(url)
        try:
            _changes_in(hub, figures)
        finally:
            hub.close()
        return _time_rollup("PostgreSQL hub", url, runs)
    finally:
        server.stop()


def _env() -> dict[str, str]:
    # Unencrypted bundles need no keys of the importer's own: no keyring is touched.
    return {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}


def _cli(argv: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "coachdesk", *argv],
        capture_output=True,
        text=True,
        env=_env(),
        cwd=ROOT,
    )
    if done.returncode != 0:
        raise RuntimeError(f"coachdesk {argv[0]} failed: {done.stdout}{done.stderr}")


def _import(
    target: str, argv: list[str], folder: Path, server_cpu: Callable[[], float] | None = None
) -> dict[str, float]:
    """Runs one import process; prints and returns its wall and CPU seconds and peak RSS (and
    the CPU seconds `server_cpu` counts meanwhile)."""
    load_before = os.getloadavg()
    server_before = server_cpu() if server_cpu else 0.0
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-m", "coachdesk", *argv, str(folder)],
            stdout=out,
            stderr=err,
            env=_env(),
            cwd=ROOT,
        )
        _pid, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        printed, complaints = out.read().decode(), err.read().decode()
    if child.returncode != 0:
        raise RuntimeError(f"the import into the {target} failed:\n{printed}\n{complaints}")
    cpu = usage.ru_utime + usage.ru_stime
    rss_mb = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024) / 1e6
    load = ", ".join(f"{v:.2f}" for v in os.getloadavg())
    print(f"import into the {target}: {printed.strip().splitlines()[-1]}")
    print(
        f"  wall {wall:.1f} s ({wall / IMPORT_TARGET_S:.2f} of the 5-minute target: "
        f"{_verdict(wall < IMPORT_TARGET_S)}); CPU {cpu:.1f} s of the importing process "
        f"(user {usage.ru_utime:.1f}, system {usage.ru_stime:.1f})"
    )
    print(
        f"  peak RSS of the importing process {rss_mb:.0f} MB ({rss_mb / MEMORY_TARGET_MB:.2f} "
        f"of the 500 MB target: {_verdict(rss_mb < MEMORY_TARGET_MB)}; os.wait4 ru_maxrss)"
    )
    if server_cpu:
        print(
            f"  CPU of the PostgreSQL server's processes meanwhile: "
            f"{server_cpu() - server_before:.1f} s (/proc: the postmaster, its live children "
            "and the backends it has reaped)"
        )
    print(f"  load average before {', '.join(f'{v:.2f}' for v in load_before)}, after {load}")
    return {"wall": wall, "cpu": cpu, "rss_mb": rss_mb}


def _postgres_cpu(server: Any) -> Callable[[], float]:
    """CPU seconds of a cluster's processes so far, read from /proc (Linux); 0 elsewhere."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    postmaster = int((server.folder / "data" / "postmaster.pid").read_text().split()[0])

    def fields(pid: int) -> list[str]:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat[stat.rindex(")") + 2 :].split()  # after "pid (name) "

    def used() -> float:
        if not Path("/proc").is_dir():
            return 0.0
        own = fields(postmaster)
        total = sum(int(v) for v in own[11:15])  # utime, stime, cutime, cstime
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    theirs = fields(int(entry.name))
                except (OSError, ValueError):
                    continue
                if int(theirs[1]) == postmaster:  # ppid
                    total += int(theirs[11]) + int(theirs[12])
        return total / tick

    return used


def _changes_in(profile: Any, figures: dict[str, float]) -> None:
    from sqlalchemy import func, select

    from coachdesk.core.store.schema import Change

    with profile.reading() as session:
        count = session.execute(select(func.count()).select_from(Change)).scalar_one()
    print(
        f"  {count:,} changes in its log afterwards: "
        f"{count / figures['wall']:,.0f} a second (wall), {count / figures['cpu']:,.0f} "
        "a CPU second"
    )


def _time_rollup(target: str, where: str, runs: int) -> dict[str, Any]:
    """Times build_rollup in a fresh process of its own (not this one, whose heap holds what
    making the bundles left); prints its figures and returns the roll-up as JSON."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "rollup.json"
        done = subprocess.run(
            [sys.executable, __file__, "--rollup-of", where, "--rollup-out", str(out)]
            + ["--runs", str(runs)],
            capture_output=True,
            text=True,
            env=_env(),
        )
        if done.returncode != 0:
            raise RuntimeError(f"the roll-up on the {target} failed: {done.stderr}")
        found = json.loads(out.read_text())
    totals, cpu, rollup = found["totals"], found["cpu"], found["rollup"]
    median = statistics.median(totals)
    load = ", ".join(f"{v:.2f}" for v in os.getloadavg())
    print(
        f"build_rollup on the {target} ({DAY}), in a fresh process: {len(rollup['schools']):,} "
        f"lines, {len(rollup['coaches'])} coaches, "
        f"{sum(line['overdue'] for line in rollup['schools']):,} overdue"
    )
    print(
        f"  median {median * 1000:.0f} ms (min {min(totals) * 1000:.0f}, max "
        f"{max(totals) * 1000:.0f}) over {runs} runs, CPU median "
        f"{statistics.median(cpu) * 1000:.0f} ms; {median / ROLLUP_TARGET_S:.2f} of the 1 s "
        f"target: {_verdict(median < ROLLUP_TARGET_S)}; load average {load}"
    )
    return dict(rollup)


def _rollup_child(where: str, out: Path, runs: int) -> None:
    """--rollup-of: build_rollup `runs` times on a profile folder or a hub URL."""
    from coachdesk.core.store.hub import open_hub
    from coachdesk.core.store.profile import Profile

    profile = open_hub(where) if "://" in where else Profile(Path(where))
    rules = shipped_rules()
    totals, cpu = [], []
    rollup = None
    try:
        for _ in range(runs):
            with profile.reading() as session:
                started, used = time.perf_counter(), time.process_time()
                rollup = build_rollup(session, RollupFilter(), today=DAY, rules=rules)
                totals.append(time.perf_counter() - started)
                cpu.append(time.process_time() - used)
    finally:
        profile.close()
    assert rollup is not None
    out.write_text(json.dumps({"totals": totals, "cpu": cpu, "rollup": rollup.as_json()}))


def _rollup_key(rollup: dict[str, Any]) -> Any:
    """What the two roll-ups must agree on: every line and every coach, not who prepared it."""
    return {k: v for k, v in rollup.items() if k != "prepared_by"}


def _verdict(met: bool) -> str:
    return "met" if met else "NOT met"


if __name__ == "__main__":
    main()
