"""The progress card of a school page: each indicator with its target, checkpoints, latest value,
status and a small chart, plus recording a measurement by hand or from a CSV file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from coachdesk.core.changes import ChangeSummary
from coachdesk.core.dates_text import month_day
from coachdesk.core.school_year import JULY_FIRST, start_year_of
from coachdesk.core.tracking_records.indicators import (
    IndicatorView,
    is_numeric,
    school_indicators,
    show_value,
)
from coachdesk.ui.change_bus import bus_for
from coachdesk.ui.style import colour

# Each status's colour by name (light and dark versions: coachdesk/ui/style.py).
STATUS_TONES = {
    "met": "success",
    "on track": "success",
    "at risk": "danger",
    "not met": "danger",
    "no data": "warning",
    "pending": "subtle",
    "no target": "subtle",
}
SHOWN_RECORDS = ("indicator", "indicator_target", "measurement")
CHECKPOINT_WORDS = {"early": "Early", "mid": "Mid-year", "eoy": "End of year"}


class SparkChart(QWidget):
    """A small chart: the straight line from baseline to target (dashed), checkpoint goals
    (ticks) and the measurements (dots joined by a line). Yes/no and stage indicators show one
    square per measurement, green when it is in the target set."""

    def __init__(self, view: IndicatorView, year_start: dt.date, parent=None) -> None:
        super().__init__(parent)
        self.view = view
        self.year_start = year_start
        self.setFixedSize(QSize(150, 44))
        self.setAccessibleName(f"Chart of {view.code}")
        self.setToolTip(_chart_tip(view))

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        area = QRectF(4, 4, self.width() - 8, self.height() - 8)
        painter.setPen(QPen(colour("chart_frame")))
        painter.drawRect(area)
        v = self.view
        if not is_numeric(v.value_type):
            self._paint_squares(painter, area)
            return
        shown = [m for m in v.measurements if not m.suppressed and isinstance(m.value, int | float)]
        numbers = [float(m.value) for m in shown]
        for extra in (v.baseline, v.annual_target, *(c.goal for c in v.checkpoints)):
            if isinstance(extra, int | float):
                numbers.append(float(extra))
        if not numbers:
            return
        low, high = min(numbers), max(numbers)
        if high - low < 1e-9:
            low, high = low - 1, high + 1
        pad = (high - low) * 0.1
        low, high = low - pad, high + pad
        end = max((c.ends for c in v.checkpoints), default=self.year_start + dt.timedelta(days=365))
        span = max((end - self.year_start).days, 1)

        def point(day: dt.date, value: float) -> QPointF:
            x = area.left() + area.width() * min(max((day - self.year_start).days / span, 0), 1)
            y = area.bottom() - area.height() * (value - low) / (high - low)
            return QPointF(x, y)

        if isinstance(v.baseline, int | float) and isinstance(v.annual_target, int | float):
            pen = QPen(colour("chart_target"), 1, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.drawLine(point(self.year_start, v.baseline), point(end, v.annual_target))
        painter.setPen(QPen(colour("chart_line"), 2))
        for c in v.checkpoints:
            if isinstance(c.goal, int | float):
                p = point(c.ends, float(c.goal))
                painter.drawLine(QPointF(p.x() - 4, p.y()), QPointF(p.x() + 4, p.y()))
        tone = colour(STATUS_TONES.get(v.status, "subtle"))
        painter.setPen(QPen(tone, 1.5))
        path = QPainterPath()
        for i, m in enumerate(shown):
            p = point(m.as_of, float(m.value))
            path.moveTo(p) if i == 0 else path.lineTo(p)
        painter.drawPath(path)
        painter.setBrush(tone)
        for m in shown:
            painter.drawEllipse(point(m.as_of, float(m.value)), 2.5, 2.5)

    def _paint_squares(self, painter: QPainter, area: QRectF) -> None:
        size = min(area.height() - 8, 16)
        x = area.left() + 4
        for m in self.view.measurements[-8:]:
            inside = str(m.value).lower() in self.view.target_set
            painter.setPen(Qt.PenStyle.NoPen)
            # The light scheme's fills in both schemes: the white letter stays readable on them.
            painter.setBrush(colour("success" if inside else "danger", dark=False))
            painter.drawRect(QRectF(x, area.center().y() - size / 2, size, size))
            painter.setPen(Qt.GlobalColor.white)  # on the fixed fills above, in both schemes
            painter.drawText(
                QRectF(x, area.center().y() - size / 2, size, size),
                Qt.AlignmentFlag.AlignCenter,
                str(m.value)[:1].upper(),
            )
            x += size + 3


class ProgressCard(QFrame):
    """Indicators of one school (NY DIIs, MA benchmarks by student group)."""

    def __init__(
        self,
        profile,
        parent: QWidget | None = None,
        *,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.profile = profile
        self.bus = bus_for(profile)
        self.bus.subscribe(self.on_changed, watching=SHOWN_RECORDS)
        self._today = today
        self.school_id: str | None = None
        self.views: list[IndicatorView] = []
        title = QLabel("Indicators and targets")
        title.setObjectName("sectionTitle")
        self.record_button = QPushButton("Record a measurement…")
        self.record_button.clicked.connect(self.record)
        self.import_button = QPushButton("Import from CSV…")
        self.import_button.clicked.connect(self.import_csv)
        top = QHBoxLayout()
        top.addWidget(title, 1)
        top.addWidget(self.record_button)
        top.addWidget(self.import_button)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(10)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addLayout(self.grid)

    def _publish(self, changes: ChangeSummary) -> None:
        """Tell the views showing these records; this one shows its own change already."""
        self.bus.publish(changes, initiator=self)

    def show_school(self, school) -> None:
        """Show the indicators of a school (a SchoolDetail or its id)."""
        self.school_id = school if isinstance(school, str) else school.id
        self.refresh()

    def on_changed(self, changes: ChangeSummary, initiator: object) -> None:
        if self.school_id is not None:
            self.refresh()

    def refresh(self) -> None:
        day = self._today()
        self.views = school_indicators(self.profile, self.school_id, day) if self.school_id else []
        while self.grid.count():
            widget = self.grid.takeAt(0).widget()
            if widget is not None:
                # Hidden and detached at once, so the old rows never show under the new ones.
                widget.hide()
                widget.setParent(None)
                widget.deleteLater()
        self.setVisible(bool(self.views))
        self.record_button.setEnabled(bool(self.views))
        if not self.views:
            return
        counts: dict[str, int] = {}
        for v in self.views:
            counts[v.status] = counts.get(v.status, 0) + 1
        self.summary.setText(
            f"{len(self.views)} indicators: "
            + ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
        )
        start = dt.date(start_year_of(day), *JULY_FIRST)
        for col, text in enumerate(("Baseline → target", "Latest", "Status", "Progress")):
            self.grid.addWidget(QLabel(f"<b>{text}</b>"), 0, col)
        row = 1
        for v in self.views:
            # Two lines per indicator: its name across the card, then the numbers and chart.
            group = f" · {v.subgroup}" if v.subgroup != "All" else ""
            name = QLabel(f"<b>{_escape(v.code)}{_escape(group)}</b>  {_escape(v.name)}")
            name.setToolTip(_checkpoints_text(v))
            name.setWordWrap(True)
            self.grid.addWidget(name, row, 0, 1, 4)
            base = show_value(v.baseline) if v.baseline is not None else "–"
            target = QLabel(f"{base} → {v.target_text()}")
            latest = v.latest()
            shown = f"{latest.shown()} ({month_day(latest.as_of)})" if latest else "–"
            latest_label = QLabel(shown)
            status = QLabel(v.status)
            status.setProperty("tone", STATUS_TONES.get(v.status, "subtle"))
            status.setToolTip(v.reason)
            for col, widget in enumerate((target, latest_label, status, SparkChart(v, start))):
                self.grid.addWidget(widget, row + 1, col)
            row += 2
        self.grid.setColumnStretch(1, 1)

    def record(self) -> None:
        from coachdesk.ui import dialogs
        from coachdesk.ui.caseload.measurement_dialog import MeasurementDialog

        dialog = MeasurementDialog(self.profile, self.views, self, today=self._today())
        if dialogs.run(dialog) and dialog.changes:
            self.refresh()
            self._publish(dialog.changes)

    def import_csv(self) -> None:
        from coachdesk.ui.caseload.import_dialog import import_measurements

        changes = import_measurements(self.profile, self)
        if changes:
            self.refresh()
            self._publish(changes)


def _escape(text: str) -> str:
    from html import escape

    return escape(text)


def _checkpoints_text(v: IndicatorView) -> str:
    lines = [f"{v.name} ({v.value_type}, {v.origin})"]
    for c in v.checkpoints:
        goal = f", goal {show_value(c.goal)}" if c.goal is not None else ""
        span = f"{month_day(c.starts)} – {month_day(c.ends)}"
        lines.append(f"{CHECKPOINT_WORDS.get(c.name, c.name)}: {span}{goal}")
    lines.append(v.reason)
    return "\n".join(lines)


def _chart_tip(v: IndicatorView) -> str:
    values = ", ".join(f"{month_day(m.as_of)} {m.shown()}" for m in v.measurements)
    values = values or "no values yet"
    return f"{v.code}: {values}. Dashed: straight line from baseline to target; ticks: goals."
