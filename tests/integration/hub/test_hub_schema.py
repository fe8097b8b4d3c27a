"""The same Alembic migrations on SQLite and on PostgreSQL: the same tables and columns."""

from __future__ import annotations

import sys

import pytest
from sqlalchemy import inspect, text

from coachdesk.core.errors import RefusedInput
from coachdesk.core.store import search_index
from coachdesk.core.store.database import make_engine, migrate
from coachdesk.core.store.versions import HEAD


def _tables(engine) -> dict[str, list[tuple[str, bool]]]:
    with engine.connect() as conn:
        found = inspect(conn)
        return {
            name: sorted((c["name"], c["nullable"]) for c in found.get_columns(name))
            for name in found.get_table_names()
            if not search_index.is_index_table(name)
        }


def test_the_migrations_make_the_same_schema_on_sqlite_and_postgresql(tmp_path, postgres_url):
    sqlite_file = tmp_path / "coachdesk.sqlite"
    migrate(sqlite_file)
    migrate(postgres_url)
    engines = [make_engine(sqlite_file), make_engine(postgres_url)]
    try:
        on_sqlite, on_postgres = (_tables(e) for e in engines)
        with engines[1].connect() as conn:
            revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            indexes = {
                row[0]
                for row in conn.execute(
                    text("SELECT indexname FROM pg_indexes WHERE indexname LIKE 'search_%'")
                )
            }
    finally:
        for engine in engines:
            engine.dispose()
    assert on_postgres == on_sqlite
    assert "visit_answer" in on_postgres and "change" in on_postgres
    assert revision == HEAD.revision
    # PostgreSQL's search: one expression index per searched table, no FTS5 tables.
    assert indexes == {search_index.index_table(s) for s in search_index.SOURCES}


def test_a_url_of_another_server_is_refused_in_one_sentence():
    with pytest.raises(RefusedInput) as refused:
        make_engine("mysql://someone:secret@db/coachdesk")
    message = str(refused.value)
    assert message.startswith("coachdesk runs on SQLite profiles and PostgreSQL databases")
    assert "secret" not in message and message.count(". ") == 0


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_foreign_keys_deferred_are_checked_at_commit_on_both(dialect, tmp_path, request):
    """A bundle may carry a record before its parent: deferred, the parent may come later in
    the same transaction; a parent that never comes fails the commit; not deferred, at once."""
    from sqlalchemy.exc import IntegrityError

    from coachdesk.core.store.database import defer_foreign_keys
    from coachdesk.core.store.schema import Contact, Organization

    target = (
        tmp_path / "coachdesk.sqlite"
        if dialect == "sqlite"
        else request.getfixturevalue("postgres_url")
    )
    migrate(target)
    engine = make_engine(target)
    common = {"created_by": "d", "created_hlc": "h", "updated_hlc": "h"}
    contact = {"org_id": "o1", "name": "Ana", "role": "principal", "active": True, **common}
    school = {"id": "o1", "kind": "school", "name": "Harbor", "state": "NY", "tz": "UTC", **common}
    try:
        with engine.connect() as conn, conn.begin():
            defer_foreign_keys(conn)
            conn.execute(Contact.__table__.insert().values(id="c1", **contact))
            conn.execute(Organization.__table__.insert().values(**school))
        with pytest.raises(IntegrityError), engine.connect() as conn, conn.begin():
            defer_foreign_keys(conn)
            conn.execute(Contact.__table__.insert().values(id="c2", **contact | {"org_id": "o2"}))
        with pytest.raises(IntegrityError), engine.connect() as conn, conn.begin():
            conn.execute(Contact.__table__.insert().values(id="c3", **contact | {"org_id": "o3"}))
        with engine.connect() as conn:
            ids = conn.execute(text("SELECT id FROM contact ORDER BY id")).scalars().all()
    finally:
        engine.dispose()
    assert ids == ["c1"]


def test_without_the_driver_a_hub_url_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as in the desktop build, which lacks it
    with pytest.raises(RefusedInput) as refused:
        make_engine("postgresql://hub@dbhost/coachdesk")
    assert "pip install 'coachdesk[hub]'" in str(refused.value)
