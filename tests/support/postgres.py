"""A throwaway PostgreSQL server for the hub's tests: a real server, not a mock.

`TestServer.start()` runs initdb into a temporary folder and starts that cluster with pg_ctl,
listening on a unix socket in the folder only (no TCP port to collide with another run); `stop()`
stops it and removes the folder. initdb refuses to run as root, so as root (CI) the cluster
belongs to the `postgres` user Debian's package creates (or `nobody`). Each test gets a fresh
database of its own (`new_database`), made from template0, so tests never see each other's rows.

Durability is switched off (fsync, synchronous_commit, full_page_writes): the cluster is thrown
away, and the tests are about transactions and locks, which these settings do not change.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

INSTALL_HINT = (
    "The hub's tests need a PostgreSQL server: install it (on Debian or Ubuntu: "
    "apt-get install postgresql) or set COACHDESK_PG_BINDIR to the folder of initdb and pg_ctl."
)
SUPERUSER = "postgres"
DEBIAN_VERSIONS = Path("/usr/lib/postgresql")  # Debian's packages: one folder per major version


def find_bindir() -> Path | None:
    """The folder with initdb and pg_ctl: COACHDESK_PG_BINDIR, Debian's newest, or PATH."""
    wanted = os.environ.get("COACHDESK_PG_BINDIR")
    candidates = [Path(wanted)] if wanted else []
    if DEBIAN_VERSIONS.is_dir():
        versions = [p for p in DEBIAN_VERSIONS.iterdir() if p.name.isdigit()]
        candidates += [p / "bin" for p in sorted(versions, key=lambda p: int(p.name), reverse=True)]
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(Path(initdb).resolve().parent)
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    return None


def _run_as() -> str | None:
    """Who runs the server: this user, or as root a user initdb accepts."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return name
    raise RuntimeError("Running as root, the hub's tests need a `postgres` or `nobody` user.")


class TestServer:
    """One cluster in a temporary folder, reached on a unix socket there."""

    def __init__(self) -> None:
        self.bindir: Path | None = None
        self.folder: Path | None = None
        self._user: str | None = None

    @property
    def socket_dir(self) -> Path:
        assert self.folder is not None
        return self.folder / "socket"

    def _command(self, *args: str) -> list[str]:
        if self._user is None:
            return list(args)
        runuser = shutil.which(
            "runuser", path=os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"])
        )
        if runuser is None:
            raise RuntimeError("Running as root, the hub's tests need runuser (util-linux).")
        return [runuser, "-u", self._user, "--", *args]

    def _run(self, *args: str) -> None:
        done = subprocess.run(
            self._command(*args),
            capture_output=True,
            text=True,
            timeout=120,
            stdin=subprocess.DEVNULL,
            env={**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"},
        )
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(args[:2])} failed: {done.stdout}{done.stderr}")

    def start(self) -> None:
        self.bindir = find_bindir()
        if self.bindir is None:
            raise FileNotFoundError(INSTALL_HINT)
        self._user = _run_as()
        # /tmp, not pytest's own temporary folder: that one is the test user's alone, and the
        # server's user must reach its data folder and socket (a socket path has ~100 bytes).
        self.folder = Path(tempfile.mkdtemp(prefix="coachdesk-pg-"))
        data = self.folder / "data"
        self.socket_dir.mkdir()
        if self._user is not None:
            info = pwd.getpwnam(self._user)
            for path in (self.folder, self.socket_dir):
                os.chown(path, info.pw_uid, info.pw_gid)
        self._run(
            str(self.bindir / "initdb"),
            "-D",
            str(data),
            "-U",
            SUPERUSER,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        options = (
            f"-c listen_addresses='' -c unix_socket_directories='{self.socket_dir}' "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=60"
        )
        self._run(
            str(self.bindir / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(self.folder / "server.log"),
            "-w",
            "-t",
            "60",
            "start",
        )

    def stop(self) -> None:
        if self.folder is None:
            return
        try:
            if self.bindir is not None and (self.folder / "data" / "postmaster.pid").exists():
                self._run(
                    str(self.bindir / "pg_ctl"),
                    "-D",
                    str(self.folder / "data"),
                    "-m",
                    "fast",
                    "-w",
                    "stop",
                )
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None

    def url(self, database: str = "postgres") -> str:
        """The SQLAlchemy URL of a database on this server (psycopg 3, over the socket)."""
        return f"postgresql+psycopg://{SUPERUSER}@/{database}?host={self.socket_dir}"

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(
            dbname="postgres", user=SUPERUSER, host=str(self.socket_dir), autocommit=True
        ) as conn:
            conn.execute(sql)

    def new_database(self, *, template: str | None = None) -> str:
        """A fresh database, empty or a copy of the database at URL `template`; returns its URL.

        A template must have no open connections (dispose its engine first).
        """
        name = "test_" + uuid.uuid4().hex[:12]
        source = self.name_of(template) if template else "template0"
        self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{source}" ENCODING \'UTF8\'')
        return self.url(name)

    @staticmethod
    def name_of(url: str) -> str:
        return url.split("?", 1)[0].rsplit("/", 1)[1]

    def drop_database(self, url: str) -> None:
        name = self.name_of(url)
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
