"""A non-editable install carries the form packs and resources inside the package, and the
wheel builds without setuptools warnings (they become errors in setuptools' 2027 releases)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from coachdesk import __version__

ROOT = Path(__file__).resolve().parents[2]
# Left-overs of earlier builds in the checkout would hide a broken package list.
_NOT_SOURCES = shutil.ignore_patterns(
    ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".hypothesis", "out"
)


@dataclass(frozen=True)
class BuiltWheel:
    path: Path
    log: str


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> BuiltWheel:
    source = tmp_path_factory.mktemp("source") / "coachdesk"
    shutil.copytree(ROOT, source, ignore=_NOT_SOURCES)
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-v",  # the backend's own output, where setuptools prints its warnings
            "-w",
            str(out),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    return BuiltWheel(next(out.glob("coachdesk-*.whl")), result.stdout + result.stderr)


@pytest.fixture(scope="module")
def wheel(built) -> Path:
    return built.path


def test_the_wheel_builds_without_setuptools_warnings(built):
    for warning in (
        "BuildBackendWarning",
        "absent from the `packages` configuration",
        "deprecated",
    ):
        assert warning not in built.log, next(
            line for line in built.log.splitlines() if warning in line
        )


def test_the_wheel_declares_its_licence_as_spdx(wheel):
    with zipfile.ZipFile(wheel) as archive:
        metadata = archive.read(f"coachdesk-{__version__}.dist-info/METADATA").decode()
        names = archive.namelist()
    assert "License-Expression: LicenseRef-Proprietary" in metadata.splitlines()
    assert not any(line.startswith("License: ") for line in metadata.splitlines())
    for licence in ("LICENSE", "LICENSE-CJK", "LICENSE-Emoji"):  # each embedded font's own
        assert f"coachdesk-{__version__}.dist-info/licenses/resources/fonts/{licence}" in names


def test_the_wheel_ships_forms_resources_and_migrations(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped_forms = {
        p.relative_to(ROOT / "forms").as_posix()
        for p in (ROOT / "forms").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert shipped_forms and all(f"coachdesk/forms/{f}" in names for f in shipped_forms)
    for needed in (
        "coachdesk/resources/programs/ny_rcv.toml",
        "coachdesk/resources/demo/caseload.toml",
        "coachdesk/resources/fonts/DejaVuSans.ttf",
        "coachdesk/resources/icons/coachdesk-16.png",
        "coachdesk/resources/icons/coachdesk-512.png",
        "coachdesk/core/store/migrations/env.py",
        "coachdesk/core/store/migrations/script.py.mako",
        "coachdesk/core/store/migrations/versions/0001_caseload.py",
    ):
        assert needed in names, needed
    assert not [n for n in names if n.endswith(".pyc") or "__pycache__" in n]


def test_an_installed_wheel_finds_its_forms_and_loads_the_demo(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    probe = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from pathlib import Path;"
        "from coachdesk.core.bundled import forms_dir, resources_dir;"
        "assert Path(sys.argv[1]) in forms_dir().parents, forms_dir();"
        "from coachdesk.cli import main;"
        "raise SystemExit(main(['--data-dir', sys.argv[2], 'demo']))"
    )
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    result = subprocess.run(
        [sys.executable, "-c", probe, str(target), str(tmp_path / "profile")],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "records added" in result.stdout
