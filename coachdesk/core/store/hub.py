"""The state hub: the same schema, services and sync code on a PostgreSQL database.

A hub is a Profile whose engine is a server database's (core/store/database.py make_engine with a
URL) rather than a folder's SQLite file, so the importer, trust and search take it unchanged:
`writing()` is one transaction holding the hub's write lock (an advisory lock, as BEGIN IMMEDIATE
on SQLite), `reading()` a session, `clock` and `device_id` the hub's own identity (its
this_device row, made by `init_hub`, like a new profile's).

What a hub does not have is a folder: no backups (the server's own backups are the place for
that), no log file beside the data and no key files. A hub imports signed, unencrypted bundles
from the coaches it trusts; it never opens an encrypted one (those are for a person's laptop).
"""

from __future__ import annotations

import datetime as dt
import logging
import platform
from pathlib import Path
from typing import TYPE_CHECKING

from coachdesk.core.errors import NewerProfileError, RefusedInput
from coachdesk.core.store.database import is_url, make_engine, migrate, normalize_url
from coachdesk.core.store.profile import Profile
from coachdesk.core.store.versions import HEAD, KNOWN_REVISIONS

if TYPE_CHECKING:
    import sqlite3

    from sqlalchemy.engine import Engine

logger = logging.getLogger(__name__)

NO_FOLDER = (
    "The state hub keeps no files of its own (no keys, no backups): it imports signed, "
    "unencrypted bundles only; ask the coach to export with --unencrypted."
)


class HubProfile(Profile):
    """A hub database, opened; cheap to create, connecting on first use."""

    dialect = "postgresql"

    def __init__(self, url: str) -> None:
        if not is_url(url):
            raise RefusedInput(
                f"{url!r} is not a database URL; give the hub's, such as "
                "postgresql://hub@dbhost/coachdesk."
            )
        self.url = normalize_url(url)
        super().__init__(Path(self.url))

    @property
    def directory(self) -> Path:
        raise RefusedInput(NO_FOLDER)

    @directory.setter
    def directory(self, value: Path) -> None:
        """Profile.__init__ sets a folder; a hub has none (reading it refuses, above)."""

    @property
    def engine(self) -> Engine:
        with self._engine_lock:
            if self._engine is None:
                self._engine = make_engine(self.url)
            return self._engine

    def quick_connection(self) -> sqlite3.Connection:
        raise RefusedInput("The state hub is a server database; it has no SQLite file to read.")

    def fact(self, key: str) -> str | None:
        from sqlalchemy import select

        from coachdesk.core.store.schema import ProfileFact

        with self.reading() as session:
            return session.execute(
                select(ProfileFact.value).where(ProfileFact.key == key)
            ).scalar_one_or_none()

    def shown(self) -> str:
        """The URL without its password, for messages."""
        return shown_url(self.url)


def shown_url(url: str) -> str:
    """A database URL as a person wrote it, without its password."""
    from urllib.parse import unquote

    from sqlalchemy.engine import make_url

    shown = unquote(make_url(url).render_as_string(hide_password=True))
    return shown.replace("postgresql+psycopg://", "postgresql://", 1)


HUB_ROLE = "hub"  # profile_fact 'role' of a hub database


def revision_of(url: str) -> str | None:
    """The database's Alembic revision, or None for a database coachdesk has not set up."""
    from sqlalchemy import inspect, text
    from sqlalchemy.exc import OperationalError

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return None
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except OperationalError as exc:
        # The first connection: a server that is down, a wrong name or password.
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else "no answer"
        raise RefusedInput(
            f"coachdesk cannot reach the database {shown_url(url)} ({reason})."
        ) from None
    finally:
        engine.dispose()


def init_hub(url: str, *, name: str | None = None) -> tuple[HubProfile, str]:
    """Create or migrate the hub's schema and its identity; returns the hub and what was done.

    Refuses a database written by a newer coachdesk (left unchanged). Running it again on an
    up-to-date hub changes nothing.
    """
    hub = HubProfile(url)
    revision = revision_of(hub.url)
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise NewerProfileError(
            f"The database {hub.shown()} was set up by a newer coachdesk (data format "
            f"revision {revision}); install the newest coachdesk to use it. It has not been "
            "changed."
        )
    if revision == HEAD.revision:
        done = "is up to date"
    else:
        migrate(hub.url)
        done = "was created" if revision is None else f"was migrated to data format {HEAD.number}"
    _ensure_identity(hub, name=name)
    logger.info("hub %s %s", hub.shown(), done)
    return hub, done


def _ensure_identity(hub: HubProfile, *, name: str | None) -> None:
    from sqlalchemy import select

    from coachdesk.core.ids import new_id
    from coachdesk.core.store.schema import ProfileFact, ThisDevice

    # The device row must exist before the clock can be read, so it goes in first, outside the
    # change log (as a new profile's does): it is this database's identity, not a synced record.
    # Under the write lock, so two `hub init` at once make one identity.
    with hub.engine.connect().execution_options(coachdesk_immediate=True) as conn:
        with conn.begin():
            if conn.execute(select(ThisDevice.device_id)).first() is None:
                now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
                label = name or f"coachdesk hub on {platform.node() or 'this server'}"
                conn.execute(
                    ThisDevice.__table__.insert().values(
                        device_id=new_id(), name=label[:200], created_at=now
                    )
                )
            if (
                conn.execute(select(ProfileFact.key).where(ProfileFact.key == "role")).first()
                is None
            ):
                conn.execute(ProfileFact.__table__.insert().values(key="role", value=HUB_ROLE))


def open_hub(url: str) -> HubProfile:
    """An existing hub; refuses a database `coachdesk hub init` has not set up or must migrate."""
    hub = HubProfile(url)
    revision = revision_of(hub.url)
    if revision is None:
        raise RefusedInput(
            f"The database {hub.shown()} holds no coachdesk hub yet; run "
            f"`coachdesk hub init --db {hub.shown()}` first."
        )
    if revision != HEAD.revision:
        raise RefusedInput(
            f"The hub {hub.shown()} is in an older or newer data format ({revision}, this "
            f"coachdesk writes {HEAD.revision}); run `coachdesk hub init --db {hub.shown()}`."
        )
    return hub
