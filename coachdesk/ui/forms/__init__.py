"""The form renderer and the learning-walk capture screen (PySide6)."""

from __future__ import annotations

from coachdesk.ui.forms.renderer import FormView
from coachdesk.ui.forms.walk_capture import LearningWalkCapture

__all__ = ["FormView", "LearningWalkCapture"]
