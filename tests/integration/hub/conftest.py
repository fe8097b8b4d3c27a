"""The hub's fixtures: a hub on the test PostgreSQL, and the demo caseload on SQLite or on it."""

from __future__ import annotations

import pytest

from coachdesk.core.store.hub import HubProfile, init_hub


@pytest.fixture
def hub(postgres_url) -> HubProfile:
    """A new, empty hub (`coachdesk hub init` done) in a fresh database."""
    opened, _ = init_hub(postgres_url)
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def demo_hub_template(postgres_server) -> str:
    """A hub holding the demo caseload, made once per session; tests take copies of it."""
    from coachdesk.core.demo import load_demo

    url = postgres_server.new_database()
    made, _ = init_hub(url)
    load_demo(made)
    made.close()
    return url


@pytest.fixture
def demo_hub(postgres_server, demo_hub_template) -> HubProfile:
    """A copy of the demo hub for one test to change as it likes."""
    url = postgres_server.new_database(template=demo_hub_template)
    opened = HubProfile(url)
    yield opened
    opened.close()
    postgres_server.drop_database(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def demo_store(request):
    """The demo caseload in a coach's SQLite profile, then in a PostgreSQL hub: one test, both."""
    return request.getfixturevalue("demo" if request.param == "sqlite" else "demo_hub")
