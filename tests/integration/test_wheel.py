"""A non-editable install carries the form packs and resources inside the package."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    return next(out.glob("coachdesk-*.whl"))


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
        "coachdesk/core/store/migrations/env.py",
        "coachdesk/core/store/migrations/versions/0001_caseload.py",
    ):
        assert needed in names, needed


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
