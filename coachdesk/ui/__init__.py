"""The PySide6 window: views, table models, dialogs and the background-work helper."""
