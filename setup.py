"""Package list for setuptools; everything else is in pyproject.toml."""

from setuptools import find_packages, setup

setup(
    packages=find_packages(include=["coachdesk", "coachdesk.*"])
    + ["coachdesk.forms", "coachdesk.resources"],
)
