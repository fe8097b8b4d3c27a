"""The profile's SQLite file itself: its name in the profile folder, an engine with coachdesk's
pragmas and transaction handling, and migrating the file to the newest data format.

The state hub runs the same schema on PostgreSQL: make_engine and migrate also take a database
URL (postgresql://...); the SQLite pragmas and BEGIN IMMEDIATE stay in their SQLite-only spot,
PostgreSQL gets its own settings and an advisory write lock (_make_server_engine).

Opening a profile (coachdesk/core/store/profile.py) and restoring a backup
(coachdesk/core/store/backups.py) both use these; this module uses neither, so the lifecycle's
modules depend one way: profile -> backups -> database.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from coachdesk import __version__
from coachdesk.core.store.versions import HEAD

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

DB_NAME = "coachdesk.sqlite"
BACKUPS_FOLDER = "backups"  # beside the file, in the profile folder


# Writers to one PostgreSQL database take this transaction-level advisory lock first, as SQLite's
# BEGIN IMMEDIATE takes the file's write lock: imports into a hub from several processes merge
# one at a time, each seeing what the one before it committed (the ledger check included).
PG_WRITE_LOCK = 0x636F6163  # "coac"


def is_url(target: Path | str) -> bool:
    """True for a database URL (postgresql://...), False for a profile's SQLite file."""
    return isinstance(target, str) and "://" in target


def normalize_url(url: str) -> str:
    """postgresql:// and postgres:// go through psycopg 3, the driver coachdesk installs."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(target: Path | str) -> Engine:
    """An engine with coachdesk's settings and transaction handling.

    A Path is a profile's SQLite file; a URL string a server database (the state hub, on
    PostgreSQL). Either way, a connection opened with execution option `coachdesk_immediate`
    holds the database's write lock from its first statement.
    """
    if is_url(target):
        return _make_server_engine(normalize_url(str(target)))
    from sqlalchemy import create_engine, event

    engine = create_engine(
        f"sqlite:///{target}",
        connect_args={"timeout": 30, "check_same_thread": False},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, record: Any) -> None:
        # SQLite-only spot. Take transaction control from the sqlite3 module so that writes can
        # start with BEGIN IMMEDIATE (no lock upgrade deadlocks between app and CLI).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        # FULL: a committed edit survives a power cut, not only a crash; edits are small.
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get("coachdesk_immediate")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def _make_server_engine(url: str) -> Engine:
    """PostgreSQL-only spot: READ COMMITTED (the server's default), UTC, and the write lock."""
    from sqlalchemy import create_engine, event
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        from coachdesk.core.errors import RefusedInput

        raise RefusedInput(
            f"coachdesk runs on SQLite profiles and PostgreSQL databases, not on "
            f"{parsed.get_backend_name()} ({parsed.render_as_string(hide_password=True)})."
        )
    try:
        import psycopg  # noqa: F401  (the driver: the optional 'hub' extra)
    except ImportError:
        from coachdesk.core.errors import RefusedInput

        raise RefusedInput(
            "PostgreSQL needs the psycopg driver, which this coachdesk does not include; "
            "install coachdesk with its hub extra (pip install 'coachdesk[hub]')."
        ) from None
    engine = create_engine(
        url,
        pool_pre_ping=True,
        connect_args={"options": "-c timezone=UTC -c lock_timeout=300s", "connect_timeout": 30},
    )

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        if conn.get_execution_options().get("coachdesk_immediate"):
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_WRITE_LOCK})")

    return engine


def defer_foreign_keys(db: Any) -> None:
    """Check foreign keys at commit for the rest of this transaction (a Session or Connection).

    Sync's spot: a bundle may carry a record before its parent. SQLite's PRAGMA
    defer_foreign_keys; PostgreSQL's SET CONSTRAINTS ALL DEFERRED, which works because every
    foreign key there is DEFERRABLE (migrations/env.py).
    """
    from sqlalchemy import text

    bind = db.get_bind() if hasattr(db, "get_bind") else db
    if bind.dialect.name == "sqlite":
        db.execute(text("PRAGMA defer_foreign_keys=ON"))
    else:
        db.execute(text("SET CONSTRAINTS ALL DEFERRED"))


def migrate(target: Path | str) -> None:
    """Bring the file (or server database) to the newest data format in one transaction."""
    from alembic import command
    from alembic.config import Config

    from coachdesk.core.store.schema import ProfileFact

    engine = make_engine(target)
    try:
        with engine.connect().execution_options(coachdesk_immediate=True) as conn:
            with conn.begin():
                config = Config()
                config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
                config.attributes["connection"] = conn
                command.upgrade(config, "head")
                for key, value in (
                    ("data_format", str(HEAD.number)),
                    ("written_by", __version__),
                ):
                    conn.execute(ProfileFact.__table__.delete().where(ProfileFact.key == key))
                    conn.execute(ProfileFact.__table__.insert().values(key=key, value=value))
    finally:
        engine.dispose()
