"""Qt-free core: the profile store, services and rules. Never imports PySide6."""
