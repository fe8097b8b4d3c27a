"""Fixtures for sync tests: devices that trust each other."""

from __future__ import annotations

import pytest

from tests.support.sync_world import make_devices


@pytest.fixture
def pair(tmp_path):
    """Dana's laptop and Lee's laptop, each trusting the other."""
    devices = make_devices(tmp_path, ["Dana", "Lee"])
    yield devices
    for d in devices:
        d.profile.close()


@pytest.fixture
def trio(tmp_path):
    devices = make_devices(tmp_path, ["Dana", "Lee", "Sam"])
    yield devices
    for d in devices:
        d.profile.close()
