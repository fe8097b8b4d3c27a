"""One indicator on the progress card, read without hovering: what it is, this year's target
(baseline with its year, annual target), each checkpoint with its window, goal and status, the
latest value and a small chart, and the buttons that change it."""

from __future__ import annotations

import datetime as dt
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from coachdesk.core.dates_text import month_day
from coachdesk.core.tracking_records.indicator_setup import IndicatorRow
from coachdesk.core.tracking_records.indicator_targets import TargetView
from coachdesk.core.tracking_records.indicators import IndicatorView, show_value
from coachdesk.ui.caseload.checkpoint_status import checkpoint_lines
from coachdesk.ui.caseload.spark_chart import STATUS_TONES, SparkChart


class IndicatorBlock(QFrame):
    """An indicator's lines on the card; its buttons ask the card to act on it (by id)."""

    measurements_asked = Signal(str)
    targets_asked = Signal(str)
    edit_asked = Signal(str)
    retire_asked = Signal(str)

    def __init__(
        self,
        view: IndicatorView,
        row: IndicatorRow | None,
        target: TargetView | None,
        *,
        year: str,
        on: dt.date,
        measured: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.view = view
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAccessibleName(f"Indicator {view.code}")
        v = view
        group = f" · {v.subgroup}" if v.subgroup != "All" else ""
        self.name = QLabel(f"<b>{escape(v.code)}{escape(group)}</b>  {escape(v.name)}")
        self.name.setWordWrap(True)
        self.status = QLabel(v.status)
        self.status.setProperty("tone", STATUS_TONES.get(v.status, "subtle"))
        self.status.setToolTip(v.reason)
        self.status.setAccessibleName(f"Status of {v.code}: {v.status}. {v.reason}")
        head = QHBoxLayout()
        head.addWidget(self.name, 1)
        head.addWidget(self.status, 0, Qt.AlignmentFlag.AlignTop)

        described = row.describe() if row else v.value_type
        self.kind = QLabel(described[:1].upper() + described[1:])
        self.kind.setObjectName("subtle")
        self.kind.setWordWrap(True)
        self.target_line = QLabel(_target_text(v, target, year))
        self.target_line.setWordWrap(True)
        self.target_line.setTextFormat(Qt.TextFormat.RichText)
        latest = v.latest()
        self.latest = QLabel(
            f"Latest: {latest.shown()} on {month_day(latest.as_of)}"
            if latest
            else "No measurement yet."
        )
        self.reason = QLabel(v.reason)
        self.reason.setObjectName("subtle")
        self.reason.setWordWrap(True)
        texts = QVBoxLayout()
        texts.setSpacing(2)
        for widget in (self.kind, self.target_line, self.latest, self.reason):
            texts.addWidget(widget)
        # The reason already names the latest value when it judged one: one line says it.
        self.latest.setVisible(
            latest is None or not v.reason.startswith(("The latest", "The annual"))
        )
        numbers = QHBoxLayout()
        numbers.addLayout(texts, 1)
        self.chart = SparkChart(v, dt.date(int(year[:4]), 7, 1))
        numbers.addWidget(self.chart, 0, Qt.AlignmentFlag.AlignTop)

        # The checkpoints, one line each: name, window, goal, status (and the value judged).
        self.checkpoints = QGridLayout()
        self.checkpoints.setHorizontalSpacing(12)
        self.checkpoints.setVerticalSpacing(2)
        self.checkpoint_texts: list[str] = []
        for r, line in enumerate(checkpoint_lines(v, on)):
            status = QLabel(line.status)
            status.setProperty("tone", line.tone)
            # The goal and the value judged wrap, so a large font keeps the card narrow.
            goal = QLabel(line.goal + (f" · {line.value}" if line.value else ""))
            goal.setWordWrap(True)
            cells = (QLabel(f"<b>{line.name}</b>"), QLabel(line.window), status, goal)
            for c, cell in enumerate(cells):
                self.checkpoints.addWidget(cell, r, c, Qt.AlignmentFlag.AlignTop)
            text = f"{line.name}: {line.window}, {line.goal}, {line.status}"
            self.checkpoint_texts.append(text + (f" ({line.value})" if line.value else ""))
            status.setAccessibleName(self.checkpoint_texts[-1])
        self.checkpoints.setColumnStretch(3, 1)

        self.measurements_button = _button(
            f"Measurements ({measured})…", f"Measurements of {v.code}: edit, delete, history"
        )
        self.targets_button = _button("Set targets…", f"Set the targets of {v.code}")
        self.edit_button = _button("Edit…", f"Edit the indicator {v.code}")
        self.retire_button = _button("Retire…", f"Retire the indicator {v.code}")
        self.measurements_button.clicked.connect(lambda: self.measurements_asked.emit(v.id))
        self.targets_button.clicked.connect(lambda: self.targets_asked.emit(v.id))
        self.edit_button.clicked.connect(lambda: self.edit_asked.emit(v.id))
        self.retire_button.clicked.connect(lambda: self.retire_asked.emit(v.id))
        buttons = QHBoxLayout()
        for b in (
            self.measurements_button,
            self.targets_button,
            self.edit_button,
            self.retire_button,
        ):
            buttons.addWidget(b)
        buttons.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 6)
        layout.setSpacing(4)
        layout.addLayout(head)
        layout.addLayout(numbers)
        layout.addLayout(self.checkpoints)
        layout.addLayout(buttons)


def _button(text: str, name: str) -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(name)
    return button


def _target_text(v: IndicatorView, target: TargetView | None, year: str) -> str:
    if target is None:
        return (
            f"No target for {year} yet: <b>Set targets…</b> gives the baseline, the annual "
            "target and the checkpoints."
        )
    # No-break spaces keep "baseline 38 (2025-26)" and "annual target ≥ 46" whole when it wraps.
    nb = "\u00a0"
    parts = [f"<b>{year}</b>:"]
    if target.baseline is not None:
        of_year = f"{nb}({target.baseline_year})" if target.baseline_year else ""
        parts.append(f"baseline{nb}{escape(show_value(target.baseline))}{of_year} →")
    else:
        parts.append(f"no{nb}baseline →")
    parts.append(f"annual{nb}target{nb}<b>{escape(v.target_text()).replace(' ', nb)}</b>")
    return " ".join(parts)
