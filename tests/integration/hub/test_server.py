"""The test PostgreSQL: a real server, a fresh database per test, a clear failure without it."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text


def test_each_test_gets_an_empty_database_of_its_own(postgres_server, postgres_url):
    engine = create_engine(postgres_url)
    try:
        with engine.begin() as conn:
            version = conn.execute(text("SHOW server_version_num")).scalar_one()
            conn.execute(text("CREATE TABLE seen (n integer)"))
            tables = conn.execute(
                text("SELECT count(*) FROM information_schema.tables WHERE table_schema='public'")
            ).scalar_one()
    finally:
        engine.dispose()
    assert int(version) >= 130000
    assert tables == 1
    other = postgres_server.new_database()
    assert other != postgres_url
    engine = create_engine(other)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT to_regclass('seen')")).scalar() is None
    finally:
        engine.dispose()
        postgres_server.drop_database(other)


def test_without_postgresql_the_tests_say_what_to_install(tmp_path, monkeypatch):
    from tests.support import postgres

    monkeypatch.setenv("COACHDESK_PG_BINDIR", str(tmp_path))
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(postgres, "DEBIAN_VERSIONS", tmp_path / "none")
    server = postgres.TestServer()
    with pytest.raises(FileNotFoundError) as refused:
        server.start()
    assert str(refused.value) == postgres.INSTALL_HINT
    assert "apt-get install postgresql" in str(refused.value)
    assert server.folder is None  # nothing made, nothing left behind
