"""A dark palette like the one Qt's Fusion style uses under a system dark colour scheme."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

R = QPalette.ColorRole
G = QPalette.ColorGroup


def dark_palette() -> QPalette:
    """Light text on dark windows and fields, as a coach's dark-mode laptop shows them."""
    palette = QPalette()
    colours = {
        R.Window: "#353535",
        R.WindowText: "#f0f0f0",
        R.Base: "#1e1e1e",
        R.AlternateBase: "#2a2a2a",
        R.Text: "#f0f0f0",
        R.Button: "#3c3c3c",
        R.ButtonText: "#f0f0f0",
        R.BrightText: "#ff6b6b",
        R.ToolTipBase: "#2a2a2a",
        R.ToolTipText: "#f0f0f0",
        R.PlaceholderText: "#a0a0a0",
        R.Highlight: "#2f65ca",
        R.HighlightedText: "#ffffff",
        R.Link: "#8ab4f8",
        R.Light: "#505050",
        R.Midlight: "#454545",
        R.Mid: "#2c2c2c",
        R.Dark: "#232323",
        R.Shadow: "#141414",
    }
    for role, value in colours.items():
        palette.setColor(role, QColor(value))
    for role in (R.WindowText, R.Text, R.ButtonText):
        palette.setColor(G.Disabled, role, QColor("#8c8c8c"))
    return palette
