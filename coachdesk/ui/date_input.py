"""The one date input (and its time companion) every form and dialog in the window uses.

    DateInput("Measured on", optional=False)     # typed, or picked from a calendar popup
    TimeInput("Ends", optional=True)             # typed: 9:30 AM, 930a, 14:05
    DateTimeInput("Starts")                      # the two side by side

Each is one Tab stop (Qt's own date editors keep Tab to step through their sections, so a coach
working by keyboard was stuck in them). The date is typed as a US coach writes it (11/3/2026,
11/3/26, Nov 3 2026, 2026-11-03, today, tomorrow: date_edits.read_typed_date) or picked from a
calendar that Alt+Down or F4 opens and Escape closes. What cannot be read is said in one sentence
under the field, and `problem()` returns that sentence so a dialog refuses to save rather than
storing an empty date. An empty optional field is no date (None), never a made-up one.

For the code that used Qt's editors they answer the same few calls: date()/setDate(),
time()/setTime(), dateTime()/setDateTime() and the editingFinished signal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QDate, QDateTime, QEvent, QObject, QSize, Qt, QTime, Signal
from PySide6.QtGui import QKeyEvent, QTextCharFormat
from PySide6.QtWidgets import (
    QBoxLayout,
    QCalendarWidget,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from coachdesk.core import dates_text
from coachdesk.ui import date_edits
from coachdesk.ui.style import set_role

DATE_EXAMPLES = "11/3/2026, Nov 3, 2026 or today"
TIME_EXAMPLES = "9:30 AM or 14:30"

# The calendar's own controls, by the object names Qt gives them, and what they are called.
CALENDAR_NAMES = {
    "qt_calendar_prevmonth": "Previous month",
    "qt_calendar_nextmonth": "Next month",
    "qt_calendar_monthbutton": "Choose the month",
    "qt_calendar_yearbutton": "Choose the year",
}


def show_problem(label: QLabel, problem: str) -> None:
    """Show the sentence under its field (or hide it), growing a dialog that needs the room."""
    label.setText(problem)
    label.setVisible(bool(problem))
    window = label.window()
    layout = window.layout() if isinstance(window, QDialog) else None
    if problem and layout is not None:
        layout.activate()
        needed = (
            layout.totalHeightForWidth(window.width())
            if layout.hasHeightForWidth()
            else layout.totalSizeHint().height()
        )
        if needed > window.height():
            window.resize(window.width(), needed)


class _TypedInput(QWidget):
    """A line to type in, an optional button beside it, and the sentence when it cannot be read."""

    editingFinished = Signal()  # noqa: N815 - the name Qt's editors use

    def __init__(self, name: str, *, optional: bool, placeholder: str) -> None:
        super().__init__()
        self.optional = optional
        self.said = ""
        self.speak: Callable[[], None] | None = None
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(placeholder)
        self.row = QHBoxLayout()
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.setSpacing(4)
        self.row.addWidget(self.edit, 1)
        self.problem_label = QLabel()
        self.problem_label.setWordWrap(True)
        set_role(self.problem_label, "error")
        self.problem_label.setVisible(False)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addLayout(self.row)
        column.addWidget(self.problem_label)
        self.setFocusProxy(self.edit)
        self.edit.editingFinished.connect(self._finished)
        self.setAccessibleName(name)

    def setAccessibleName(self, name: str) -> None:  # noqa: N802 - Qt's spelling
        self.name = name
        self.edit.setAccessibleName(name)
        self.problem_label.setAccessibleName(f"{name}: problem")

    def text(self) -> str:
        return self.edit.text()

    def problem(self) -> str:
        """The sentence saying why the typed text is not usable; empty when it is."""
        return self._read(self.edit.text())[1]

    def check(self) -> str:
        """Show under the field why it cannot be used (or nothing); returns that sentence."""
        problem = self.problem()
        self._say(problem)
        return problem

    def _read(self, text: str) -> tuple[object, str]:
        raise NotImplementedError

    def _shown(self, value: object) -> str:
        raise NotImplementedError

    def _finished(self) -> None:
        value, problem = self._read(self.edit.text())
        if value is not None and self.edit.text() != self._shown(value):
            self.edit.setText(self._shown(value))
        self._say(problem)
        self.editingFinished.emit()

    def _say(self, problem: str) -> None:
        self.said = problem
        self.edit.setAccessibleDescription(problem)
        if self.speak is not None:  # a DateTimeInput says it under both halves
            self.speak()
        else:
            show_problem(self.problem_label, problem)

    def _set(self, value: object) -> None:
        self.edit.setText("" if value is None else self._shown(value))
        self.edit.setCursorPosition(0)
        self._say("")


class DateInput(_TypedInput):
    """A date typed or picked from the calendar (Alt+Down or F4); `value()` is a date or None."""

    dateChanged = Signal(QDate)  # noqa: N815 - Qt's name; a readable date that differs

    def __init__(
        self,
        name: str,
        value: dt.date | None = None,
        *,
        optional: bool = False,
        weekday: bool = False,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        self.weekday = weekday
        self.today = today
        self._last: dt.date | None = None
        super().__init__(name, optional=optional, placeholder="e.g. 11/3/2026")
        # A long date as shown, and a digit more for the box's frame and margins.
        self.edit.setMinimumWidth(self.edit.fontMetrics().horizontalAdvance("Wed, Nov 30, 20260"))
        self.button = QToolButton()
        self.button.setText("▾")
        self.button.setToolTip("Pick from a calendar (Alt+Down)")
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Alt+Down opens it from the field
        self.button.clicked.connect(self.open_calendar)
        self.row.addWidget(self.button)
        self.popup: CalendarPopup | None = None
        self.keys = CalendarKeys(self.edit, self.open_calendar)
        self.setAccessibleName(self.name)
        self.setDate(value)

    def setAccessibleName(self, name: str) -> None:  # noqa: N802 - Qt's spelling
        super().setAccessibleName(name)
        if hasattr(self, "button"):
            self.button.setAccessibleName(f"Pick {name.lower()} from a calendar")

    def _read(self, text: str) -> tuple[dt.date | None, str]:
        if not text.strip():
            return None, "" if self.optional else f"Enter a date, such as {DATE_EXAMPLES}."
        day = date_edits.read_typed_date(text, self.today())
        if day is None:
            return None, f"“{text.strip()}” is not a date: type it like {DATE_EXAMPLES}."
        return day, ""

    def _shown(self, value: object) -> str:
        assert isinstance(value, dt.date)
        return (
            dates_text.weekday_date(value, year=True)
            if self.weekday
            else (dates_text.medium_date(value))
        )

    def value(self) -> dt.date | None:
        """The date typed or picked; None when the field is empty or cannot be read."""
        day, _problem = self._read(self.edit.text())
        assert day is None or isinstance(day, dt.date)
        return day

    def date(self) -> QDate:
        """As Qt's editors answer: the date, or an invalid QDate when there is none."""
        day = self.value()
        return QDate(day.year, day.month, day.day) if day else QDate()

    def setDate(self, value: QDate | dt.date | None) -> None:  # noqa: N802 - Qt's spelling
        if isinstance(value, QDate):
            value = value.toPython() if value.isValid() else None
        self._set(value)
        self._settled()

    def _finished(self) -> None:
        super()._finished()
        self._settled()

    def _settled(self) -> None:
        day = self.value()
        if day is not None and day != self._last:
            self._last = day
            self.dateChanged.emit(QDate(day.year, day.month, day.day))

    # --- the calendar ---------------------------------------------------------------------------

    def open_calendar(self) -> CalendarPopup:
        """Show the calendar under the field, on the typed date (or today); returns it."""
        if self.popup is None:
            self.popup = CalendarPopup(self, self.edit, self.name)
            self.popup.picked.connect(self._picked)
        self.popup.show_on(self.value() or self.today())
        return self.popup

    def _picked(self, day: dt.date) -> None:
        self._set(day)
        self._settled()
        self.edit.setFocus(Qt.FocusReason.PopupFocusReason)
        self.editingFinished.emit()


class CalendarKeys(QObject):
    """Alt+Down or F4 in a date's text box opens its calendar (as in a combo box)."""

    def __init__(self, edit: QLineEdit, open_calendar: Callable[[], object]) -> None:
        super().__init__(edit)
        self.open_calendar = open_calendar
        edit.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            alt_down = event.key() == Qt.Key.Key_Down and bool(
                event.modifiers() & Qt.KeyboardModifier.AltModifier
            )
            if alt_down or event.key() == Qt.Key.Key_F4:
                self.open_calendar()
                return True
        return False


class CalendarPopup(QFrame):
    """The month a date input opens: arrows move the day, Enter picks it, Escape closes.

    `owner` is the field's widget, `edit` its text box (where the keyboard goes back), `name`
    the field's name, for the calendar's own."""

    picked = Signal(object)  # the dt.date chosen

    def __init__(self, owner: QWidget, edit: QLineEdit, name: str) -> None:
        super().__init__(owner, Qt.WindowType.Popup)
        self.edit = edit
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.calendar = QCalendarWidget()
        self.calendar.setLocale(date_edits.US_ENGLISH)
        self.calendar.setGridVisible(False)
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        for weekend in (Qt.DayOfWeek.Saturday, Qt.DayOfWeek.Sunday):
            # In the text colour, not Qt's pure red (under 4.5:1 on a dark background).
            self.calendar.setWeekdayTextFormat(weekend, QTextCharFormat())
        self.calendar.setAccessibleName(f"Calendar for {name.lower()}")
        for object_name, name in CALENDAR_NAMES.items():
            button = self.calendar.findChild(QToolButton, object_name)
            if button is not None:
                button.setAccessibleName(name)
                button.setToolTip(name)
        year = self.calendar.findChild(QSpinBox, "qt_calendar_yearedit")
        if year is not None:
            year.setAccessibleName("Year")
        self.grid = self.calendar.findChild(QWidget, "qt_calendar_calendarview")
        self.calendar.currentPageChanged.connect(self._name_grid)
        self.calendar.activated.connect(self._choose)
        self.calendar.clicked.connect(self._choose)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.calendar)

    def _name_grid(self, year: int, month: int) -> None:
        if self.grid is not None:
            month_name = dates_text.month_name(dt.date(year, month, 1))
            self.grid.setAccessibleName(f"Days of {month_name} {year}")
            self.grid.setAccessibleDescription("Arrow keys move the day, Enter picks it")

    def show_on(self, day: dt.date) -> None:
        self.calendar.setSelectedDate(QDate(day.year, day.month, day.day))
        self._name_grid(day.year, day.month)
        self.move(self.edit.mapToGlobal(self.edit.rect().bottomLeft()))
        self.show()
        (self.grid or self.calendar).setFocus(Qt.FocusReason.PopupFocusReason)

    def _choose(self, day: QDate) -> None:
        self.hide()
        self.picked.emit(day.toPython())

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() == Qt.Key.Key_Escape:
            self.close_back()
            return
        super().keyPressEvent(event)

    def close_back(self) -> None:
        """Close without picking; the keyboard is back in the field."""
        self.hide()
        self.edit.setFocus(Qt.FocusReason.PopupFocusReason)


class TimeInput(_TypedInput):
    """A typed time of day (9:30 AM, 930a, 14:05); `value()` is a time or None."""

    def __init__(self, name: str, value: dt.time | None = None, *, optional: bool = False) -> None:
        super().__init__(name, optional=optional, placeholder="e.g. 9:30 AM")
        self.edit.setMinimumWidth(self.edit.fontMetrics().horizontalAdvance("12:30 PM  "))
        if optional:
            self.edit.setPlaceholderText("not set")
        self.setTime(value)

    def _read(self, text: str) -> tuple[dt.time | None, str]:
        if not text.strip():
            return None, "" if self.optional else f"Enter a time, such as {TIME_EXAMPLES}."
        moment = date_edits.read_typed_time(text)
        if moment is None:
            return None, f"“{text.strip()}” is not a time: type it like {TIME_EXAMPLES}."
        return moment, ""

    def _shown(self, value: object) -> str:
        assert isinstance(value, dt.time)
        return dates_text.clock_time(value)

    def value(self) -> dt.time | None:
        moment, _problem = self._read(self.edit.text())
        assert moment is None or isinstance(moment, dt.time)
        return moment

    def time(self) -> QTime:
        """As Qt's editors answer: the time, or an invalid QTime when there is none."""
        moment = self.value()
        return QTime(moment.hour, moment.minute) if moment else QTime()

    def setTime(self, value: QTime | dt.time | None) -> None:  # noqa: N802 - Qt's spelling
        if isinstance(value, QTime):
            value = value.toPython() if value.isValid() else None
        self._set(value)


class SideBySide(QWidget):
    """Widgets side by side, each under the one before where the room is short (twice the text
    in a narrow column); the Tab order stays theirs.

        SideBySide((date, 3), (time, 2))            # stretches, as QBoxLayout.addWidget takes
        SideBySide((label, 1), (badge, 0), last_at_most=0.5)

    They stack where the row is narrower than their minimum widths together, or (with
    `last_at_most`) where the last would take more than that share of the row. A part that does
    not stretch keeps its own width, on the left."""

    def __init__(
        self, *parts: tuple[QWidget, int], last_at_most: float = 1.0, spacing: int = -1
    ) -> None:
        super().__init__()
        self.parts = [widget for widget, _stretch in parts]
        self.last_at_most = last_at_most
        self.row = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self.row.setContentsMargins(0, 0, 0, 0)
        if spacing >= 0:
            self.row.setSpacing(spacing)
        for widget, stretch in parts:
            if stretch:
                self.row.addWidget(widget, stretch)
            else:
                self.row.addWidget(
                    widget, 0, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
                )

    def _needs(self) -> int:
        """The narrowest row they stand side by side in."""
        widths = [widget.minimumSizeHint().width() for widget in self.parts]
        together = sum(widths) + max(self.row.spacing(), 0) * (len(widths) - 1)
        return max(together, int(self.parts[-1].sizeHint().width() / self.last_at_most))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        width = max(widget.minimumSizeHint().width() for widget in self.parts)
        return QSize(width, self.row.minimumSize().height())

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        stacked = event.size().width() < self._needs()
        direction = (
            QBoxLayout.Direction.TopToBottom if stacked else QBoxLayout.Direction.LeftToRight
        )
        if self.row.direction() != direction:
            self.row.setDirection(direction)
            self.updateGeometry()  # as high as the one or more lines now need
        super().resizeEvent(event)


class DateTimeInput(QWidget):
    """A date input and a time input side by side: two Tab stops, one moment.

    Where the two do not fit side by side (twice the text in a narrow column) the time goes
    under the date; the Tab order and the names stay the same."""

    editingFinished = Signal()  # noqa: N815 - the name Qt's editors use

    def __init__(
        self,
        name: str,
        value: dt.datetime | None = None,
        *,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        super().__init__()
        self.day = DateInput(f"{name}: date", weekday=True, today=today)
        self.clock = TimeInput(f"{name}: time")
        # One sentence under both halves, the width of the two.
        self.problem_label = QLabel()
        self.problem_label.setWordWrap(True)
        set_role(self.problem_label, "error")
        self.problem_label.setVisible(False)
        self.problem_label.setAccessibleName(f"{name}: problem")
        for half in (self.day, self.clock):
            half.speak = self._speak
        self.halves = SideBySide((self.day, 3), (self.clock, 2), spacing=2)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(self.halves)
        column.addWidget(self.problem_label)
        self.setFocusProxy(self.day)
        self.day.editingFinished.connect(self.editingFinished)
        self.clock.editingFinished.connect(self.editingFinished)
        self.setDateTime(value)

    def setAccessibleName(self, name: str) -> None:  # noqa: N802 - Qt's spelling
        self.day.setAccessibleName(f"{name}: date")
        self.clock.setAccessibleName(f"{name}: time")

    def problem(self) -> str:
        return self.day.problem() or self.clock.problem()

    def _speak(self) -> None:
        show_problem(self.problem_label, self.day.said or self.clock.said)

    def check(self) -> str:
        """Show under each half why it cannot be used; returns the first sentence (or "")."""
        day, clock = self.day.check(), self.clock.check()
        return day or clock

    def value(self) -> dt.datetime | None:
        day, moment = self.day.value(), self.clock.value()
        return dt.datetime.combine(day, moment) if day and moment else None

    def dateTime(self) -> QDateTime:  # noqa: N802 - Qt's spelling
        moment = self.value()
        return QDateTime(moment) if moment else QDateTime()

    def setDateTime(self, value: QDateTime | dt.datetime | None) -> None:  # noqa: N802
        if isinstance(value, QDateTime):
            value = value.toPython() if value.isValid() else None
        self.day.setDate(value.date() if value else None)
        self.clock.setTime(value.time().replace(second=0, microsecond=0) if value else None)

    def text(self) -> str:
        return f"{self.day.text()}  {self.clock.text()}".strip()
