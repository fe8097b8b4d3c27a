"""The application's look: quiet, readable, with clear section titles."""

STYLE_SHEET = """
QLabel#areaTitle { font-size: 18pt; font-weight: 600; }
QLabel#sectionTitle { font-size: 12pt; font-weight: 600; padding-bottom: 4px; }
QLabel#subtle { color: #5f6670; }
QLabel#errorText { color: #b3261e; font-weight: 600; }
QFrame#card {
    border: 1px solid #d5d9de; border-radius: 6px; background: palette(base); padding: 6px;
}
QListWidget#nav { font-size: 11pt; border: none; background: palette(window); }
QListWidget#nav::item { padding: 8px 10px; }
QListWidget#nav::item:selected { background: #dbe6f4; color: #0b3d75; border-radius: 4px; }
QTableView { gridline-color: #e3e6ea; }
QHeaderView::section { padding: 4px 6px; font-weight: 600; }
"""
