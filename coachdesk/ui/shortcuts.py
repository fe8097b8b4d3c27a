"""The keys of the main actions, in one table, shown in the menus and in the buttons' tooltips.

    shortcuts.give(action, "finalize")          # the action's shortcut, and a tooltip naming it
    shortcuts.tip("Check the note", "finalize") # "Check the note (Ctrl+Shift+F)" for a button

Standard keys where Qt has one (New, Print, Help), so each platform gets its own spelling
(Cmd on a Mac). The others were chosen not to clash with the keys already in the window
(Ctrl+F filter, Ctrl+K search, Ctrl+1 to Ctrl+5 areas, Ctrl+Q quit, Alt+Left back, Ctrl+I
import) nor with a text field's own keys (Ctrl+E moves to the end of a line on Linux).
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence

StandardKey = QKeySequence.StandardKey

# A standard key, or the portable text of one; made into a QKeySequence when asked for (a
# standard key needs the running application's platform to say what it is).
KEYS: dict[str, StandardKey | str] = {
    "start_visit": StandardKey.New,  # Ctrl+N
    "finalize": "Ctrl+Shift+F",
    "print_summary": StandardKey.Print,  # Ctrl+P
    "export": "Ctrl+Shift+E",
    "import": "Ctrl+I",
    "back_up": "Ctrl+Shift+B",
    "help": StandardKey.HelpContents,  # F1
}

# Keys that act inside a page or a field rather than from a menu, for the help's list.
IN_PAGE_KEYS: tuple[tuple[str, str], ...] = (
    ("Tab, Shift+Tab", "the next or previous control; arrow keys move inside a table or list"),
    ("Enter", "open the selected school, visit or next step"),
    ("Alt+Left", "back to where you came from"),
    ("Alt+Down or F4", "open the calendar of a date field; Escape closes it"),
    ("Escape", "close a dialog or a calendar without saving; on a page, back (typing is kept)"),
)


def key(name: str) -> QKeySequence:
    """The action's key on this platform."""
    return QKeySequence(KEYS[name])


def shown(name: str) -> str:
    """The key as the coach reads it on this platform ("Ctrl+Shift+F")."""
    return key(name).toString(QKeySequence.SequenceFormat.NativeText)


def tip(text: str, name: str) -> str:
    """A tooltip that ends with the action's key: "Check the note and mark it final (F)"."""
    return f"{text} ({shown(name)})"


def give(action: QAction, name: str, *, about: str | None = None) -> QAction:
    """Give the action its key, and a tooltip saying what it does and the key; returns it."""
    action.setShortcut(key(name))
    words = about or action.toolTip() or action.text().replace("&", "").rstrip("…")
    action.setToolTip(tip(words, name))
    return action
