"""Report fixtures: the demo caseload loaded as of a fixed day, for a test whose PDF depends on
which demo visit it prints (the demo draws its visits from the day it is loaded)."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from coachdesk.core.store.profile import Profile, open_profile


@pytest.fixture(scope="session")
def demo_templates_by_day(tmp_path_factory: pytest.TempPathFactory) -> Callable[[dt.date], Path]:
    """A profile holding the demo as loaded on `day`, made once per test run for each day."""
    from coachdesk.core.demo import load_demo

    made: dict[dt.date, Path] = {}

    def template(day: dt.date) -> Path:
        if day not in made:
            folder = tmp_path_factory.mktemp(f"demo-as-of-{day.isoformat()}") / "profile"
            opened = open_profile(folder)
            load_demo(opened, today=day)
            opened.close()
            made[day] = folder
        return made[day]

    return template


@pytest.fixture
def demo_as_of(
    demo_templates_by_day: Callable[[dt.date], Path], tmp_path: Path
) -> Iterator[Callable[[dt.date], Profile]]:
    """`demo_as_of(day)`: an open copy of the demo profile loaded on `day`: the same visits,
    with the same notes, whatever the real date."""
    opened: list[Profile] = []

    def open_on(day: dt.date) -> Profile:
        folder = tmp_path / f"demo-as-of-{day.isoformat()}-{len(opened)}"
        shutil.copytree(demo_templates_by_day(day), folder)
        opened.append(open_profile(folder))
        return opened[-1]

    yield open_on
    for profile in opened:
        profile.close()
