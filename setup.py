"""The package list for setuptools (the rest of the configuration is in pyproject.toml).

Listed explicitly because `packages.find` cannot see the remapped folders: forms/ and
resources/ sit at the top of the repository (DESIGN.md section 1) and are installed as
coachdesk/forms and coachdesk/resources (`package-dir` in pyproject.toml). Every folder that
ends up inside the package is named here, the data-only ones included (the form packs, the
resources and Alembic's migrations, which have no __init__.py): setuptools warns about, and
will one day stop shipping, files in folders missing from this list.
"""

from setuptools import find_namespace_packages, setup

_NOT_PACKAGES = ["*__pycache__*"]


def _folder_as(package: str, folder: str) -> list[str]:
    """`package` and every sub-folder of `folder` as its sub-packages."""
    inside = find_namespace_packages(where=folder, exclude=_NOT_PACKAGES)
    return [package] + [f"{package}.{name}" for name in inside]


setup(
    packages=_folder_as("coachdesk", "coachdesk")
    + _folder_as("coachdesk.forms", "forms")
    + _folder_as("coachdesk.resources", "resources"),
)
