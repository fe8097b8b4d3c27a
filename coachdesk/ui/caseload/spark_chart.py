"""The small chart of one indicator on the progress card: the straight line from baseline to
target, the checkpoint goals and the measurements."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QWidget

from coachdesk.core.dates_text import month_day
from coachdesk.core.tracking_records.indicators import IndicatorView, is_numeric
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


class SparkChart(QWidget):
    """A small chart: the straight line from baseline to target (dashed), checkpoint goals
    (ticks) and the measurements (dots joined by a line). Yes/no and stage indicators show one
    square per measurement with the value's first letter, green when it is in the target set."""

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
            # The scheme's own fills (3:1 on the card in light and dark), with a letter in the
            # colour made to be read on them: the letter, not the colour, says yes or no.
            painter.setBrush(colour("success" if inside else "danger"))
            painter.drawRect(QRectF(x, area.center().y() - size / 2, size, size))
            painter.setPen(colour("status_fg"))
            painter.drawText(
                QRectF(x, area.center().y() - size / 2, size, size),
                Qt.AlignmentFlag.AlignCenter,
                str(m.value)[:1].upper(),
            )
            x += size + 3


def _chart_tip(v: IndicatorView) -> str:
    values = ", ".join(f"{month_day(m.as_of)} {m.shown()}" for m in v.measurements)
    values = values or "no values yet"
    return f"{v.code}: {values}. Dashed: straight line from baseline to target; ticks: goals."
