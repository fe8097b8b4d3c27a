"""coachdesk: an offline-first workbench for state school-improvement coaches."""

__version__ = "0.5.0"
