"""Shared fixtures: headless Qt, an in-memory keyring, and real temporary profiles."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LANG", "C.UTF-8")

import datetime as dt  # noqa: E402
import shutil  # noqa: E402
from pathlib import Path  # noqa: E402

import keyring  # noqa: E402
import pytest  # noqa: E402
from keyring.backend import KeyringBackend  # noqa: E402
from keyring.errors import PasswordDeleteError  # noqa: E402

from coachdesk.core.store.profile import Profile, open_profile  # noqa: E402


class MemoryKeyring(KeyringBackend):
    """A keyring that lives in memory, so tests never touch the machine's real one."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.secrets.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


@pytest.fixture(autouse=True)
def memory_keyring(monkeypatch: pytest.MonkeyPatch) -> MemoryKeyring:
    backend = MemoryKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    monkeypatch.delenv("COACHDESK_DATA_DIR", raising=False)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def profile_dir(tmp_path: Path) -> Path:
    return tmp_path / "profile"


@pytest.fixture
def profile(profile_dir: Path) -> Profile:
    """A fresh, empty profile in a temporary folder."""
    opened = open_profile(profile_dir)
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A profile with the demo caseload, loaded once per test run (as of today)."""
    from coachdesk.core.demo import load_demo

    folder = tmp_path_factory.mktemp("demo-template") / "profile"
    template = open_profile(folder)
    load_demo(template)
    template.close()
    return folder


@pytest.fixture
def demo_dir(demo_template: Path, tmp_path: Path) -> Path:
    """A copy of the demo profile for one test to change as it likes."""
    folder = tmp_path / "demo-profile"
    shutil.copytree(demo_template, folder)
    return folder


@pytest.fixture
def demo(demo_dir: Path) -> Profile:
    """The demo profile, open."""
    opened = open_profile(demo_dir)
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def demo_templates(tmp_path_factory: pytest.TempPathFactory):
    """`demo_templates(day)`: a profile with the demo caseload loaded as of `day`, made once per
    test run for each day (the demo draws its dates from the day it is loaded)."""
    from coachdesk.core.demo import load_demo

    made: dict[dt.date, Path] = {}

    def template(day: dt.date) -> Path:
        if day not in made:
            folder = tmp_path_factory.mktemp(f"demo-template-{day.isoformat()}") / "profile"
            opened = open_profile(folder)
            load_demo(opened, today=day)
            opened.close()
            made[day] = folder
        return made[day]

    return template


@pytest.fixture
def demo_on(demo_templates, tmp_path: Path):
    """`demo_on(day)`: a copy of the demo profile loaded as of `day`, open, for a test that
    looks at Today on a fixed day or prints a demo visit: what is due, which visit is the latest
    of its kind and what its note says do not depend on the real date. Give a day that has
    come: the rules read a draft visit dated after the real today as planned."""
    opened: list[Profile] = []

    def open_on(day: dt.date) -> Profile:
        folder = tmp_path / f"demo-{day.isoformat()}-{len(opened)}"
        shutil.copytree(demo_templates(day), folder)
        opened.append(open_profile(folder))
        return opened[-1]

    yield open_on
    for profile in opened:
        profile.close()


@pytest.fixture(scope="session")
def postgres_server():
    """A throwaway PostgreSQL cluster for this test session (tests/support/postgres.py).

    Not skipped when PostgreSQL is missing: the hub's tests fail, saying what to install.
    """
    from tests.support.postgres import TestServer

    server = TestServer()
    try:
        server.start()
    except FileNotFoundError as exc:
        server.stop()
        pytest.fail(str(exc), pytrace=False)
    except BaseException:
        server.stop()
        raise
    yield server
    server.stop()


@pytest.fixture
def postgres_url(postgres_server) -> str:
    """A fresh, empty PostgreSQL database for one test: its SQLAlchemy URL."""
    url = postgres_server.new_database()
    yield url
    postgres_server.drop_database(url)
