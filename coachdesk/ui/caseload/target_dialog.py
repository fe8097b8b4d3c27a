"""Setting an indicator's target for a school year: the baseline (value and year), the annual
target, and the early, mid-year and end-of-year checkpoints, each with its window and goal.
A refused input is said in the dialog, which keeps what was typed."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from coachdesk.core.errors import CoachdeskError
from coachdesk.core.school_year import label, parse, start_year_of
from coachdesk.core.tracking_records.indicator_setup import IndicatorRow
from coachdesk.core.tracking_records.indicator_targets import (
    CHECKPOINTS,
    CheckpointInput,
    TargetSaved,
    get_target,
    set_target,
)
from coachdesk.core.tracking_records.indicators import TYPE_WORDS, show_value
from coachdesk.ui.caseload.checkpoint_status import CHECKPOINT_WORDS
from coachdesk.ui.date_input import DateInput

# A window each checkpoint starts with when the coach ticks it: (month, day) to (month, day).
USUAL_WINDOWS = {"early": ((9, 15), (10, 31)), "mid": ((1, 5), (2, 14)), "eoy": ((5, 1), (6, 30))}


class TargetDialog(QDialog):
    """The target of one indicator for a school year; `result_value` is core's TargetSaved."""

    def __init__(
        self,
        profile,
        row: IndicatorRow,
        year: str,
        today: dt.date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        group = f" ({row.group})" if row.group != "All" else ""
        self.setWindowTitle(f"Targets of {row.code}{group}")
        self.setMinimumWidth(520)
        self.profile = profile
        self.row = row
        self.result_value: TargetSaved | None = None
        about = QLabel(f"<b>{row.name}</b><br>{row.describe()}")
        about.setWordWrap(True)

        this_year = start_year_of(today)
        self.year_box = QComboBox()
        self.year_box.setAccessibleName("School year")
        years = dict.fromkeys([label(this_year - 1), label(this_year), label(this_year + 1), year])
        for shown in sorted(years):
            self.year_box.addItem(shown)
        self.year_box.setCurrentText(year)
        self.baseline_edit = _line("Baseline", _hint(row))
        self.baseline_year_edit = _line("Baseline year", "e.g. 2025-26")
        self.target_edit = _line("Annual target", _hint(row))
        form = QFormLayout()
        form.addRow("School year", self.year_box)
        form.addRow("Baseline", self.baseline_edit)
        form.addRow("Baseline year", self.baseline_year_edit)
        form.addRow("Annual target", self.target_edit)

        # One row per checkpoint: ticked to have it, its window's first and last day, its goal.
        grid = QGridLayout()
        for c, text in enumerate(("Checkpoint", "Window opens", "Window closes", "Goal")):
            grid.addWidget(QLabel(f"<b>{text}</b>"), 0, c)
        self.checkpoint_rows: dict[str, tuple[QCheckBox, DateInput, DateInput, QLineEdit]] = {}
        for r, name in enumerate(CHECKPOINTS, start=1):
            word = CHECKPOINT_WORDS[name]
            tick = QCheckBox(word)
            # Named by its own option; what ticking it means is its description.
            tick.setAccessibleName(f"{word} checkpoint")
            tick.setAccessibleDescription(
                f"Tick to give the target {_article(word)} {word.lower()} checkpoint; "
                "its window and goal follow on this row"
            )
            starts, ends = _date_edit(f"{word} window opens"), _date_edit(f"{word} window closes")
            goal = _line(f"{word} goal", "optional")
            tick.toggled.connect(lambda on, ws=(starts, ends, goal): [w.setEnabled(on) for w in ws])
            for c, widget in enumerate((tick, starts, ends, goal)):
                grid.addWidget(widget, r, c)
            self.checkpoint_rows[name] = (tick, starts, ends, goal)

        self.error = QLabel()
        self.error.setObjectName("errorText")
        self.error.setWordWrap(True)
        self.error.setAccessibleName("Problem")
        self.error.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.try_accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(about)
        layout.addLayout(form)
        layout.addWidget(QLabel("<b>Checkpoints</b>"))
        layout.addLayout(grid)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.year_box.currentTextChanged.connect(self.load)
        self.load(year)

    @property
    def year(self) -> str:
        return self.year_box.currentText()

    def load(self, year: str) -> None:
        """Show the year's target as stored (the usual windows for checkpoints it lacks)."""
        target = get_target(self.profile, self.row.id, year)
        start = parse(year)
        self.baseline_edit.setText(_text(target.baseline) if target else "")
        self.baseline_year_edit.setText((target.baseline_year or "") if target else "")
        self.baseline_year_edit.setPlaceholderText(label(start - 1))
        self.target_edit.setText(_text(target.annual_target) if target else "")
        stored = {c[0]: c for c in (target.checkpoints if target else ())}
        for name, (tick, starts, ends, goal) in self.checkpoint_rows.items():
            (m1, d1), (m2, d2) = USUAL_WINDOWS[name]
            first = dt.date(start if m1 >= 7 else start + 1, m1, d1)
            last = dt.date(start if m2 >= 7 else start + 1, m2, d2)
            have = stored.get(name)
            _set(starts, have[1] if have else first)
            _set(ends, have[2] if have else last)
            goal.setText(_text(have[3]) if have else "")
            tick.setChecked(have is not None or target is None)
            for widget in (starts, ends, goal):
                widget.setEnabled(tick.isChecked())
        self._stored = set(stored)
        self.error.hide()

    def try_accept(self) -> bool:
        """Save; close on success, or show the refusal and keep everything typed."""
        given = {}
        for name, (tick, starts, ends, goal) in self.checkpoint_rows.items():
            if tick.isChecked():
                for edit in (starts, ends):
                    if problem := edit.check():
                        self.error.setText(f"{edit.name}: {problem}")
                        self.error.show()
                        edit.setFocus()
                        return False
                first, last = starts.value(), ends.value()
                assert first is not None and last is not None  # checked just above
                given[name] = CheckpointInput(first, last, goal.text())
        clear = tuple(n for n in self._stored if n not in given)
        try:
            self.result_value = set_target(
                self.profile,
                self.row.id,
                self.year,
                baseline=self.baseline_edit.text(),
                baseline_year=self.baseline_year_edit.text() or None,
                annual_target=self.target_edit.text(),
                checkpoints=given,
                clear=clear,
            )
        except CoachdeskError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return False
        self.accept()
        return True


def _line(name: str, hint: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setAccessibleName(name)
    edit.setPlaceholderText(hint)
    return edit


def _date_edit(name: str) -> DateInput:
    return DateInput(name)


def _set(edit: DateInput, day: dt.date) -> None:
    edit.setDate(day)


def _article(word: str) -> str:
    """The article before a checkpoint: "an early", "an end of year", "a mid-year"."""
    return "an" if word[:1].lower() in "aeiou" else "a"


def _text(value: object) -> str:
    return "" if value is None else show_value(value)


def _hint(row: IndicatorRow) -> str:
    if row.value_type == "yes/no":
        return "yes or no"
    if row.value_type == "stage":
        return "a stage, 1 to 4"
    return TYPE_WORDS.get(row.value_type, "a value")
