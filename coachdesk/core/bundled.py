"""Where the files shipped with coachdesk (forms/ and resources/) are found."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent


def _locate(name: str) -> Path:
    # Installed from a wheel the folders sit inside the package; in a source checkout (editable
    # install, tests) they sit beside it at the top of the repository.
    inside = _PACKAGE / name
    if inside.is_dir():
        return inside
    return _PACKAGE.parent / name


def resources_dir() -> Path:
    """The folder of program rules, demo caseload, fonts and icons."""
    return _locate("resources")


def forms_dir() -> Path:
    """The folder of the shipped form packs, one sub-folder per program."""
    return _locate("forms")
