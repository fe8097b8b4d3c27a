"""Benchmark: export and import of 100,000 changes, against a raw sqlite3 insert of the same rows,
and bundle verification throughput.

Targets (the project's issue 5): import + merge of 100,000 changes under 10 s on a 2-core laptop;
verification at 200 MB/s or more. Issue 15: the import, author signatures included, within 4x of
the raw insert of the same rows. Prints medians and ratios, and the import's peak memory; the
import's and the raw insert's CPU seconds too (time.process_time), which a busy machine disturbs
less than the elapsed times the targets are stated in.

    /tmp/venv/bin/python benchmarks/sync.py [--runs 3] [--changes 100000]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

import keyring
from keyring.backend import KeyringBackend
from sqlalchemy import text

from coachdesk.core.store.profile import DB_NAME, Profile, open_profile
from coachdesk.core.store.schema import Contact, Organization
from coachdesk.sync import trust
from coachdesk.sync.envelope import open_envelope, seal
from coachdesk.sync.export import build_bundle
from coachdesk.sync.importer import import_bytes
from coachdesk.sync.keys import device_keys
from coachdesk.sync.reader import open_bundle, read_changes

IMPORT_TARGET_S = 10.0
VERIFY_TARGET_MBS = 200.0
IMPORT_RATIO_TARGET = 4.0  # import / raw sqlite3 insert of the same rows (issue 15)


class _MemoryKeyring(KeyringBackend):
    """Keeps the benchmark away from the machine's real keyring."""

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


def _fill(profile: Profile, changes: int) -> None:
    """Schools with contacts (9 logged fields each) until about `changes` changes exist."""
    records = changes // 9
    schools = max(1, records // 10)
    with profile.writing() as write:
        session = write.session
        ids = []
        for n in range(schools):
            school = Organization(kind="school", name=f"School {n}", state="NY", city="Albany")
            session.add(school)
            ids.append(school)
        session.flush()
        for n in range(records - schools):
            session.add(
                Contact(
                    org_id=ids[n % schools].id,
                    name=f"Contact {n}",
                    role="teacher",
                    work_email=f"c{n}@school.example.org",
                )
            )


def _raw_sqlite_insert(rows: list[tuple], folder: Path) -> tuple[float, float]:
    """The same change rows into a table of the same shape, with plain sqlite3; returns
    (seconds, CPU seconds)."""
    path = folder / "raw.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute(
        "CREATE TABLE change (change_id TEXT PRIMARY KEY, record_type TEXT, record_id TEXT,"
        " field TEXT, value TEXT, hlc TEXT, device_id TEXT, supersedes TEXT, bundle_id TEXT)"
    )
    conn.execute("CREATE INDEX ix_rf ON change (record_type, record_id, field)")
    conn.execute("CREATE INDEX ix_hlc ON change (hlc)")
    started, cpu = time.perf_counter(), time.process_time()
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany("INSERT INTO change VALUES (?,?,?,?,?,?,?,?,'b')", rows)
    conn.execute("COMMIT")
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    conn.close()
    path.unlink()
    return elapsed, cpu


def _copy(source: Path, target: Path) -> None:
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    with sqlite3.connect(source / DB_NAME) as src, sqlite3.connect(target / DB_NAME) as dst:
        src.backup(dst)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--changes", type=int, default=100_000)
    args = parser.parse_args()
    keyring.set_keyring(_MemoryKeyring())
    root = Path(tempfile.mkdtemp(prefix="coachdesk-sync-bench-"))
    try:
        _run(root, args.runs, args.changes)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _run(root: Path, runs: int, wanted: int) -> None:
    dana, lee = open_profile(root / "dana"), open_profile(root / "lee")
    dana_keys, lee_keys = device_keys(dana), device_keys(lee)
    offer = trust.read_public_key_file(trust.public_key_file(dana, dana_keys))
    trust.trust_key(lee, offer, name="Dana")
    offer = trust.read_public_key_file(trust.public_key_file(lee, lee_keys))
    trust.trust_key(dana, offer, name="Lee")
    started = time.perf_counter()
    _fill(dana, wanted)
    print(f"generated the profile in {time.perf_counter() - started:.1f} s")
    recipients = trust.recipients_named(dana, ["Lee"])

    export_times = []
    for _ in range(runs):
        started = time.perf_counter()
        data, header = build_bundle(dana, dana_keys, recipients)
        export_times.append(time.perf_counter() - started)
    count = header.change_count
    print(f"bundle: {count:,} changes, {len(data) / 2**20:.1f} MiB, encrypted to Lee")
    print(f"export (build, sign, encrypt): median {statistics.median(export_times):.2f} s")

    lee.close()
    template = root / "lee-template"
    _copy(lee.directory, template)
    import_times, import_cpu, read_times = [], [], []
    for n in range(runs):
        target = root / f"lee{n}"
        _copy(template, target)
        profile = Profile(target)
        device_keys(profile)
        started = time.perf_counter()
        read_changes(profile, open_bundle(profile, data), keys=lee_keys)
        read_times.append(time.perf_counter() - started)
        started, cpu = time.perf_counter(), time.process_time()
        result = import_bytes(profile, data, keys=lee_keys)
        import_times.append(time.perf_counter() - started)
        import_cpu.append(time.process_time() - cpu)
        assert result.new_changes == count, result
        profile.close()
    peak = _import_peak(root, template, data, lee_keys, count)

    with dana.reading() as session:
        rows = [
            tuple(r)
            for r in session.execute(
                text(
                    "SELECT change_id, record_type, record_id, field, value, hlc, device_id,"
                    " supersedes FROM change"
                )
            )
        ]
    raw = [_raw_sqlite_insert(rows, root) for _ in range(runs)]
    median_import = statistics.median(import_times)
    median_raw = statistics.median(elapsed for elapsed, _cpu in raw)
    median_raw_cpu = statistics.median(cpu for _elapsed, cpu in raw)
    print(
        f"import (verify, decrypt, check, merge, commit): median {median_import:.2f} s "
        f"(of which verify + decrypt + parse {statistics.median(read_times):.2f} s; "
        f"CPU {statistics.median(import_cpu):.2f} s); "
        f"target < {IMPORT_TARGET_S:.0f} s: {_verdict(median_import < IMPORT_TARGET_S)}"
    )
    ratio = median_import / median_raw
    print(
        f"raw sqlite3 insert of the same {len(rows):,} rows: median {median_raw:.2f} s "
        f"(CPU {median_raw_cpu:.2f} s); import / raw = {ratio:.1f}x (CPU "
        f"{statistics.median(import_cpu) / median_raw_cpu:.1f}x); "
        f"target <= {IMPORT_RATIO_TARGET:.0f}x: {_verdict(ratio <= IMPORT_RATIO_TARGET)}"
    )
    print(
        f"import peak memory: {peak / 2**20:.0f} MiB allocated by Python at most during one "
        f"import (tracemalloc, an extra untimed run); the whole benchmark's peak resident "
        f"size {_max_rss()}"
    )

    # Verification: signature over every byte plus trust and header checks, on the real bundle
    # and on a large one (128 MiB of incompressible payload) for the steady-state rate.
    reps = []
    profile = Profile(template)
    for _ in range(max(runs, 5)):
        started = time.perf_counter()
        open_bundle(profile, data)
        reps.append(time.perf_counter() - started)
    small = len(data) / 2**20 / statistics.median(reps)
    big_payload = os.urandom(128 * 2**20)
    big = seal(b'{"x":1}', big_payload, dana_keys.signing)
    reps = []
    for _ in range(max(runs, 5)):
        started = time.perf_counter()
        envelope = open_envelope(big)
        hashlib.sha256(envelope.payload).hexdigest()  # the header's payload hash, as open_bundle
        reps.append(time.perf_counter() - started)
    large = len(big) / 2**20 / statistics.median(reps)
    profile.close()
    print(
        f"verification: {small:,.0f} MiB/s on the {len(data) / 2**20:.1f} MiB bundle "
        f"(includes trust lookup), {large:,.0f} MiB/s on a 128 MiB bundle; "
        f"target >= {VERIFY_TARGET_MBS:.0f}: {_verdict(min(small, large) >= VERIFY_TARGET_MBS)}"
    )
    dana.close()


def _import_peak(root: Path, template: Path, data: bytes, keys: Any, count: int) -> int:
    """The most memory Python held at once during one import (not timed: tracing slows it)."""
    target = root / "lee-peak"
    _copy(template, target)
    profile = Profile(target)
    device_keys(profile)
    tracemalloc.start()
    try:
        result = import_bytes(profile, data, keys=keys)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        profile.close()
    assert result.new_changes == count, result
    return peak


def _max_rss() -> str:
    """The process's peak resident size (whole benchmark), where the platform reports it."""
    try:
        import resource
    except ImportError:  # Windows
        return "not reported here"
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux, bytes on macOS
    return f"{(peak if sys.platform == 'darwin' else peak * 1024) / 2**20:.0f} MiB"


def _verdict(met: bool) -> str:
    return "MET" if met else "MISSED"


if __name__ == "__main__":
    main()
