"""The profile's SQLite file itself: its name in the profile folder, an engine with coachdesk's
pragmas and transaction handling, and migrating the file to the newest data format.

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


def make_engine(db_path: Path) -> Engine:
    """An engine with coachdesk's pragmas and transaction handling."""
    from sqlalchemy import create_engine, event

    engine = create_engine(
        f"sqlite:///{db_path}",
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


def migrate(db_path: Path) -> None:
    """Bring the file to the newest data format in one transaction (Alembic)."""
    from alembic import command
    from alembic.config import Config

    from coachdesk.core.store.schema import ProfileFact

    engine = make_engine(db_path)
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
