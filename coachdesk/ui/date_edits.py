"""Qt's date and time editors showing what dates_text writes: "Dec 1, 2026", "9:30 AM".

A QDateTimeEdit needs a Qt display format rather than a Babel one; these are the Qt spellings of
coachdesk.core.dates_text's US forms, so an editor and the text beside it agree.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QDateTimeEdit

# Month names and AM/PM in US English whatever the laptop's own locale, as dates_text does.
US_ENGLISH = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)

DATE = "MMM d, yyyy"  # Dec 1, 2026
DATE_AND_TIME = "ddd, MMM d, yyyy  h:mm AP"  # Tue, Dec 1, 2026  9:30 AM
TIME = "h:mm AP"  # 9:30 AM


def show_as(edit: QDateTimeEdit, display_format: str) -> QDateTimeEdit:
    """Make a date, time or date-and-time editor show US forms; returns the editor."""
    edit.setLocale(US_ENGLISH)
    edit.setDisplayFormat(display_format)
    return edit
