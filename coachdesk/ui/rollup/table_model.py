"""The roll-up's two tables as Qt models: one line per coach, one per coach's school.

    model = LineModel(SCHOOL_COLUMNS, name=lambda s: s.school)
    model.set_lines(rollup.schools)
    proxy = sorted_view(model)     # a QSortFilterProxyModel sorting by each column's own key

Each column says what a cell shows, how it sorts (numbers as numbers, dates as dates, an
empty cell last), and what its header means. A status is never told by colour alone: an
overdue count is red and a number; a visit count reads "0 of 1".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QFont

from coachdesk.core.dates_text import medium_date
from coachdesk.ui.style import colour

LINE_ROLE = Qt.ItemDataRole.UserRole + 1  # the SchoolLine or CoachLine itself
SORT_ROLE = Qt.ItemDataRole.UserRole + 2

_Index = QModelIndex | QPersistentModelIndex

NO_STAGE = "No stage recorded"
LAST = 10**9  # an empty number sorts after every real one (ascending)


@dataclass(frozen=True)
class Column:
    title: str
    text: Callable[[Any], str]
    sort: Callable[[Any], Any]
    tip: str = ""  # what the header means
    numeric: bool = False  # right-aligned
    danger: Callable[[Any], bool] | None = None  # drawn in the danger colour (as well as said)
    cell_tip: Callable[[Any], str | None] | None = None


def _date_text(day: Any) -> str:
    return medium_date(day) if day else "None yet"


def _date_key(day: Any) -> str:
    return day.isoformat() if day else ""


def visits_text(line: Any) -> str:
    """'1 of 1' against the cadence; the count alone when the cadence is not monthly."""
    held, expected = line.visits_this_month, line.visits_expected_this_month
    return f"{held} of {expected}" if expected is not None else str(held)


def _visits_key(line: Any) -> tuple[int, int]:
    # Furthest behind first when sorted ascending: what a supervisor looks for.
    expected = line.visits_expected_this_month
    return (
        line.visits_this_month - expected if expected is not None else LAST,
        line.visits_this_month,
    )


def stage_or_phase(line: Any) -> str:
    """The OH school's NNPS stage or the MA partnership phase; '' for other programs."""
    if line.program == "OH_NNPS":
        if getattr(line, "kind", "school") == "district":
            return ""  # an NNPS stage is a school's
        return line.nnps_stage or NO_STAGE
    if line.program == "MA_SSOS" and line.ma_phase:
        if line.ma_phase == "between phases":
            return "Between phases"
        many = " and " in line.ma_phase
        return f"Phase{'s' if many else ''} {line.ma_phase}"
    return ""


def _optional_number(value: int | None) -> str:
    return "" if value is None else f"{value:,}"


def _indicator_columns() -> list[Column]:
    return [
        Column(
            "Met",
            lambda s: str(s.indicators.met),
            lambda s: s.indicators.met,
            "Indicators that met their target",
            numeric=True,
        ),
        Column(
            "On track",
            lambda s: str(s.indicators.on_track),
            lambda s: s.indicators.on_track,
            "Indicators on track for their target",
            numeric=True,
        ),
        Column(
            "At risk",
            lambda s: str(s.indicators.at_risk),
            lambda s: s.indicators.at_risk,
            "Indicators at risk, or annual results that did not meet the target",
            numeric=True,
        ),
        Column(
            "No data",
            lambda s: str(s.indicators.no_data),
            lambda s: s.indicators.no_data,
            "Indicators with no result yet, or no target",
            numeric=True,
        ),
        Column(
            "Withheld",
            lambda s: str(s.indicators.suppressed),
            lambda s: s.indicators.suppressed,
            "Indicators whose latest result comes from too few students to show "
            "(small cells are suppressed, as in print)",
            numeric=True,
        ),
    ]


def _visit_columns() -> list[Column]:
    return [
        Column(
            "Last final visit",
            lambda s: _date_text(s.last_final_visit),
            lambda s: _date_key(s.last_final_visit),
            "The newest visit whose note is final",
        ),
        Column(
            "Visits this month",
            visits_text,
            _visits_key,
            "Visits held this month, against what the program's cadence expects",
            numeric=True,
            cell_tip=lambda s: _cadence_tip(s),
        ),
        Column(
            "Overdue",
            lambda s: str(s.overdue),
            lambda s: s.overdue,
            "Overdue or missed reporting obligations, plan activities and next steps",
            numeric=True,
            danger=lambda s: s.overdue > 0,
        ),
    ]


def _cadence_tip(line: Any) -> str | None:
    cadence = getattr(line, "cadence", "")
    return f"Cadence: {cadence}" if cadence else None


def _program_name(code: str) -> str:
    from coachdesk.core.programs import programs

    found = programs().get(code)
    return found.name if found else code


SCHOOL_COLUMNS: tuple[Column, ...] = (
    Column(
        "School or district",
        lambda s: s.school,
        lambda s: s.school.casefold(),
        cell_tip=lambda s: f"{s.school}, {s.district}" if s.district else s.school,
    ),
    Column("Coach", lambda s: s.coach, lambda s: s.coach.casefold()),
    Column("Program", lambda s: _program_name(s.program), lambda s: s.program),
    *_visit_columns(),
    *_indicator_columns(),
    Column(
        "Stage or phase",
        stage_or_phase,
        lambda s: stage_or_phase(s).casefold(),
        "OH: the NNPS stage; MA: the partnership phase",
    ),
    Column(
        "PM meetings",
        lambda s: _optional_number(s.pm_meetings_held),
        lambda s: LAST if s.pm_meetings_held is None else s.pm_meetings_held,
        "MA: progress-monitoring meetings held this school year",
        numeric=True,
    ),
)

COACH_COLUMNS: tuple[Column, ...] = (
    Column("Coach", lambda c: c.coach, lambda c: c.coach.casefold()),
    Column(
        "Region",
        lambda c: c.region or "Not recorded",
        lambda c: c.region.casefold(),
        "The team the coach works for, as written on their profile",
    ),
    Column(
        "Schools",
        lambda c: str(c.schools),
        lambda c: c.schools,
        "Schools in the coach's caseload (a district the coach works with is not counted)",
        numeric=True,
    ),
    *_visit_columns(),
    *_indicator_columns(),
    Column(
        "PM meetings",
        lambda c: _optional_number(c.pm_meetings_held),
        lambda c: LAST if c.pm_meetings_held is None else c.pm_meetings_held,
        "MA: progress-monitoring meetings held this school year",
        numeric=True,
    ),
)


def header_text(title: str) -> str:
    """A header of two words or more on two lines, so the table fits a small laptop's width
    without cutting words ("Visits this month" reads "Visits" over "this month")."""
    words = title.split()
    if len(words) < 2:
        return title
    return f"{words[0]}\n{' '.join(words[1:])}"


class LineModel(QAbstractTableModel):
    """Lines of the roll-up (schools or coaches) under the given columns."""

    def __init__(
        self, columns: Sequence[Column], *, name: Callable[[Any], str], parent: Any = None
    ) -> None:
        super().__init__(parent)
        self.columns = tuple(columns)
        self._name = name
        self._lines: list[Any] = []

    def set_lines(self, lines: Sequence[Any]) -> None:
        self.beginResetModel()
        self._lines = list(lines)
        self.endResetModel()

    def lines(self) -> list[Any]:
        return list(self._lines)

    def column_of(self, title: str) -> int:
        return next(i for i, c in enumerate(self.columns) if c.title == title)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal:
            title = self.columns[section].title
            if role == Qt.ItemDataRole.DisplayRole:
                return header_text(title)
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return title
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.columns[section].tip or None
            return None
        if role == Qt.ItemDataRole.AccessibleTextRole and 0 <= section < len(self._lines):
            # Read with each cell: "Harbor View Elementary, Overdue, 2".
            return self._name(self._lines[section])
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        line = self._lines[index.row()]
        column = self.columns[index.column()]
        if role == LINE_ROLE:
            return line
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return column.text(line)
        if role == SORT_ROLE:
            return column.sort(line)
        if role == Qt.ItemDataRole.ToolTipRole:  # the whole name, when a narrow column elides it
            if column.cell_tip:
                return column.cell_tip(line)
            return None if column.numeric else column.text(line) or None
        if column.danger and column.danger(line):
            if role == Qt.ItemDataRole.ForegroundRole:
                return colour("danger")
            if role == Qt.ItemDataRole.FontRole:  # a thin red digit alone is hard to read
                font = QFont()
                font.setBold(True)
                return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column.numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class LineSorter(QSortFilterProxyModel):
    """Sorts by each column's own key (numbers as numbers), ties by the row's name."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)

    def lessThan(self, left: _Index, right: _Index) -> bool:  # noqa: N802
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        if a != b:
            try:
                return bool(a < b)
            except TypeError:
                return str(a) < str(b)
        first = self.sourceModel().index(left.row(), 0).data(SORT_ROLE)
        second = self.sourceModel().index(right.row(), 0).data(SORT_ROLE)
        return bool(first < second)


def sorted_view(model: LineModel) -> LineSorter:
    proxy = LineSorter(model)
    proxy.setSourceModel(model)
    return proxy
