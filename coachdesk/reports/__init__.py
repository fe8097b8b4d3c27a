"""Qt-free reports: reportlab documents."""
