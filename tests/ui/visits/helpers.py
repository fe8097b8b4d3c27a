"""The visit screens' tests drive the window through the shared UI helpers (tests/support/ui.py)."""

from tests.support.ui import answer_start_dialog, choose, open_school, open_window, tick, type_text

__all__ = ["answer_start_dialog", "choose", "open_school", "open_window", "tick", "type_text"]
