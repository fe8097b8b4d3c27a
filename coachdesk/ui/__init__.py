"""The PySide6 window: views, table models, dialogs and the background-work helper."""

import sys

import PySide6.QtCore  # noqa: F401  loads shiboken's import hook, which the lines below tame


def _skip_pysides_source_scan() -> None:
    """Spare every later import PySide6's read of the imported module's source.

    After PySide6 is loaded, each import calls `shibokensupport.feature._mod_uses_pyside`, which
    reads the module's whole source (inspect.getsource) to see whether it might use
    `from __feature__ import ...`; coachdesk never does (tests/unit/test_pyside_features.py). The
    answer "no" is what an installed coachdesk gets anyway: PyInstaller ships no source, so
    the scan finds none. About 15 ms of start-up and 40 ms of the ORM's first import.
    """
    feature = sys.modules.get("shibokensupport.feature")
    if feature is not None and callable(getattr(feature, "_mod_uses_pyside", None)):
        feature._mod_uses_pyside = lambda module: False


_skip_pysides_source_scan()
