"""The MA district page's "Benchmark results" card: one benchmark at a time, its schools down and
student groups across, for the early, mid-year or end-of-year checkpoint. What the DILT's
mid-year conversation looks at.

Each cell reads "62% (n=41)", "suppressed" (fewer students than the program's minimum: the value
is never read into the window) or "no data", with a mark for its status that differs in shape as
well as colour (met or on track a disc, at risk a triangle, no data a ring: MARKS); the status is
also in words in the cell's tooltip and accessible name, so colour is never the only sign.
"Export to CSV…" writes the whole table (every benchmark and checkpoint).
"""

from __future__ import annotations

import datetime as dt
import re

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPointF, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap, QPolygonF
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStyle,
    QStyleOptionComboBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coachdesk.core.changes import ChangeSummary
from coachdesk.core.errors import CoachdeskError
from coachdesk.core.store.profile import Profile
from coachdesk.core.tracking_records import district_benchmarks as bench
from coachdesk.ui import dialogs
from coachdesk.ui.change_bus import bus_for
from coachdesk.ui.item_views import tab_leaves
from coachdesk.ui.style import colour, hex_colour

PROGRAM = "MA_SSOS"
SHOWN_RECORDS = ("indicator", "indicator_target", "measurement")
CSV_FILTER = "CSV files (*.csv)"
TONES = {"met": "success", "on track": "success", "at risk": "danger", "no data": "warning"}
# Each status's mark, told apart by its shape too (the legend shows the same characters).
MARKS = {"met": "disc", "on track": "disc", "at risk": "triangle", "no data": "ring"}
LEGEND_GLYPHS = {"disc": "●", "triangle": "▲", "ring": "○"}
MAX_ROWS = 12  # the table grows with its schools up to this many rows, then scrolls
WHOLE = Qt.ItemDataRole.UserRole + 1  # a benchmark's whole name (the box may show it shortened)


class NameChoice(QComboBox):
    """A choice of long names: the box shows the chosen one shortened ("…") when it is narrower
    than the name (at twice the text on a small screen), its tooltip and accessible description
    say it whole, and the list of choices, while open, shows every name whole."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._listing = False  # the list is open: its names are whole
        self.currentIndexChanged.connect(self.describe_chosen)
        self.view().window().installEventFilter(self)  # the list's window closing

    def add_name(self, name: str, data: object) -> None:
        self.addItem(name, data)
        at = self.count() - 1
        self.setItemData(at, name, WHOLE)
        self.setItemData(at, name, Qt.ItemDataRole.ToolTipRole)
        self._shorten(at)

    def showPopup(self) -> None:  # noqa: N802 - Qt override
        # Whole while the list is open: Qt makes it as wide as they need, up to the screen's.
        self._listing = True
        for at in range(self.count()):
            self.setItemText(at, self.itemData(at, WHOLE))
        super().showPopup()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Hide and watched is self.view().window():
            self._listing = False  # closed by a choice, Escape or a click elsewhere
            self._shorten_all()
        return super().eventFilter(watched, event)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._shorten_all()

    def _shorten_all(self) -> None:
        if not self._listing:
            for at in range(self.count()):
                self._shorten(at)

    def _shorten(self, at: int) -> None:
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        room = (
            self.style()
            .subControlRect(
                QStyle.ComplexControl.CC_ComboBox,
                option,
                QStyle.SubControl.SC_ComboBoxEditField,
                self,
            )
            .width()
        )  # inside the frame, beside the arrow
        whole = self.itemData(at, WHOLE)
        shown = self.fontMetrics().elidedText(whole, Qt.TextElideMode.ElideRight, room)
        if shown != self.itemText(at):
            self.setItemText(at, shown)

    def describe_chosen(self) -> None:
        """The chosen name whole, for a screen reader (also after a refill with signals off)."""
        self.setAccessibleDescription(self.currentData(WHOLE) or "")


class BenchmarksCard(QFrame):
    """Shows an MA district's benchmark table, or hides itself for any other district."""

    def __init__(self, profile: Profile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.profile = profile
        self.district_id: str | None = None
        self.school_year: str | None = None
        self.table_data: bench.DistrictBenchmarks | None = None
        self.bus = bus_for(profile)
        self.bus.subscribe(self.on_changed, watching=SHOWN_RECORDS)

        self.title = QLabel("Benchmark results")
        self.title.setObjectName("sectionTitle")
        self.benchmark_box = NameChoice()
        self.benchmark_box.setAccessibleName("Benchmark")
        self.benchmark_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.benchmark_box.setMinimumContentsLength(24)
        self.benchmark_box.currentIndexChanged.connect(self._fill_table)
        self.checkpoint_box = QComboBox()
        self.checkpoint_box.setAccessibleName("Checkpoint")
        for name in bench.CHECKPOINTS:
            self.checkpoint_box.addItem(bench.CHECKPOINT_WORDS[name], name)
        self.checkpoint_box.currentIndexChanged.connect(self._fill_table)
        self.export_button = QPushButton("Export to CSV…")
        self.export_button.setAccessibleName("Export the benchmark results to CSV")
        self.export_button.setToolTip("Every benchmark and checkpoint, small cells suppressed")
        self.export_button.clicked.connect(self.export)
        benchmark_label = QLabel("&Benchmark")
        benchmark_label.setBuddy(self.benchmark_box)
        checkpoint_label = QLabel("&Checkpoint")
        checkpoint_label.setBuddy(self.checkpoint_box)
        # The benchmark has a row of its own: its names run to 70 characters, and at twice the
        # text size beside the checkpoint and the export button it showed barely 24 of them.
        choosers = QVBoxLayout()
        benchmark_row = QHBoxLayout()
        benchmark_row.addWidget(benchmark_label)
        benchmark_row.addWidget(self.benchmark_box, 1)
        checkpoint_row = QHBoxLayout()
        checkpoint_row.addWidget(checkpoint_label)
        checkpoint_row.addWidget(self.checkpoint_box)
        checkpoint_row.addStretch(1)
        checkpoint_row.addWidget(self.export_button)
        choosers.addLayout(benchmark_row)
        choosers.addLayout(checkpoint_row)

        self.table = tab_leaves(QTableWidget())
        self.table.setAccessibleName("Benchmark results by school and student group")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setIconSize(QSize(10, 10))
        self.table.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)
        self.table.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.legend = QLabel()
        self.legend.setObjectName("subtle")
        self.legend.setWordWrap(True)
        self.empty = QLabel()
        self.empty.setObjectName("subtle")
        self.empty.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(choosers)
        layout.addWidget(self.table)
        layout.addWidget(self.legend)
        layout.addWidget(self.empty)
        self.hide()

    # --- showing ---------------------------------------------------------------------------------

    def show_district(self, district) -> None:
        """Show the table of a district in SSoS this year (a DistrictDetail), or hide the card."""
        in_ssos = district.program(PROGRAM)
        if in_ssos is None:
            self.district_id = None
            self.hide()
            return
        self.district_id = district.id
        self.school_year = in_ssos.school_year
        self.show()
        self.refresh()
        # Showing the card grows the page: let the scroll area take its new height now, so the
        # cards above keep theirs rather than share the old height until the next event.
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)

    def on_changed(self, changes: ChangeSummary, initiator: object) -> None:
        """A benchmark, its target or a measurement changed (here, elsewhere, an import)."""
        if self.district_id is not None:
            self.refresh()

    def refresh(self, *, today: dt.date | None = None) -> None:
        """Read the table again, keeping the benchmark and checkpoint chosen."""
        if self.district_id is None:
            return
        try:
            data = bench.district_benchmarks(
                self.profile, self.district_id, self.school_year, today=today
            )
        except CoachdeskError:  # the district was removed on another laptop
            self.district_id = None
            self.hide()
            return
        self.table_data = data
        self.title.setText(f"Benchmark results {data.school_year}")
        chosen = self.benchmark_box.currentData()
        codes = list(dict.fromkeys((row.code, row.name) for row in data.rows))
        self.benchmark_box.blockSignals(True)
        self.benchmark_box.clear()
        for code, name in codes:
            self.benchmark_box.add_name(name, code)
        at = self.benchmark_box.findData(chosen)
        self.benchmark_box.setCurrentIndex(at if at >= 0 else 0)
        self.benchmark_box.blockSignals(False)
        self.benchmark_box.describe_chosen()
        has_rows = bool(data.rows)
        for widget in (self.benchmark_box, self.checkpoint_box, self.export_button):
            widget.setEnabled(has_rows)
        self.table.setVisible(has_rows)
        self.legend.setVisible(has_rows)
        self.empty.setVisible(not has_rows)
        self.empty.setText(
            f"No benchmarks at this district's schools for {data.school_year} yet: add one on a"
            " school's page (Indicators), for each student group."
        )
        self._fill_table()

    def choose_checkpoint(self, name: str) -> None:
        """Show the early, mid or eoy results (as choosing it in the box does)."""
        self.checkpoint_box.setCurrentIndex(self.checkpoint_box.findData(name))

    def _fill_table(self) -> None:
        data = self.table_data
        self.table.clear()
        if data is None or not data.rows:
            self.table.setRowCount(0)
            return
        code = self.benchmark_box.currentData()
        checkpoint = self.checkpoint_box.currentData()
        rows = [row for row in data.rows if row.code == code]
        self.benchmark_box.setToolTip(rows[0].name if rows else "")
        self.table.setAccessibleDescription(
            f"{rows[0].name}, {bench.CHECKPOINT_WORDS[checkpoint]}" if rows else ""
        )
        headers = ["School", *(_group_header(g) for g in data.groups)]
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            school = QTableWidgetItem(row.org_name)
            school.setToolTip(row.org_name)
            self.table.setItem(r, 0, school)
            for c, group in enumerate(data.groups, start=1):
                self.table.setItem(r, c, _cell_item(row, group, checkpoint, data.min_n))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(headers)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        # As tall as its rows (up to MAX_ROWS; then it scrolls): no empty box under a few schools.
        row_height = self.table.verticalHeader().defaultSectionSize()
        self.table.setMaximumHeight(
            2 * self.table.frameWidth()
            + header.sizeHint().height()
            + MAX_ROWS * row_height
            + self.table.horizontalScrollBar().sizeHint().height()
        )
        self.table.updateGeometry()
        self._fill_legend(data.min_n)

    def _fill_legend(self, min_n: int) -> None:
        def mark(status: str) -> str:
            glyph = LEGEND_GLYPHS[MARKS[status]]
            return f'<span style="color:{hex_colour(TONES[status])}">{glyph}</span>'

        self.legend.setText(
            f"{mark('met')} met or on track &nbsp; {mark('at risk')} at risk &nbsp; "
            f"{mark('no data')} no data &nbsp;·&nbsp; A result for fewer than {min_n} students "
            "is suppressed. Hover over a cell for how it was judged."
        )

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        # The marks are painted in the scheme's colours: repaint them when it changes.
        if event.type() == QEvent.Type.PaletteChange and self.table_data is not None:
            self._fill_table()
        super().changeEvent(event)

    # --- exporting -------------------------------------------------------------------------------

    def export(self) -> None:
        """Ask where, then write every benchmark and checkpoint to a CSV file."""
        data = self.table_data
        if self.district_id is None or data is None:
            return
        suggested = f"{_file_name(data.district_name)}-benchmarks-{data.school_year}.csv"
        path = dialogs.save_file(self, "Export the benchmark results", suggested, CSV_FILTER)
        if not path:
            return
        try:
            done = bench.export_district_benchmarks(
                self.profile, self.district_id, data.school_year, path
            )
        except CoachdeskError as exc:
            dialogs.show_error(self, "Not exported", str(exc))
            return
        dialogs.show_info(self, "Exported", done.sentence)


def _group_header(group: str) -> str:
    return "All students" if group == "All" else group


def _cell_item(row: bench.BenchmarkRow, group: str, checkpoint: str, min_n: int):
    cell = row.cell(group, checkpoint)
    text = cell.text(row.value_type)
    item = QTableWidgetItem(text)
    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    tone = TONES.get(cell.status)
    if tone is not None:
        item.setIcon(status_mark(MARKS[cell.status], colour(tone)))
    if cell.status in ("suppressed", "not set"):
        item.setForeground(colour("subtle"))
    goal = ""
    if cell.goal is not None:
        goal = f" Goal {bench.show(cell.goal, row.value_type)}."
    words = f"{_group_header(group)} at {row.org_name}: {text}, {cell.status}"
    item.setData(Qt.ItemDataRole.AccessibleTextRole, words)
    item.setToolTip(f"{words}.\n{cell.reason}{goal}")
    return item


def status_mark(shape: str, fill: QColor) -> QIcon:
    """A status's mark: a disc, a triangle or a ring, in the status's colour."""
    pixmap = QPixmap(20, 20)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(fill)
    if shape == "triangle":
        painter.drawPolygon(QPolygonF([QPointF(10, 1.5), QPointF(18.5, 17.5), QPointF(1.5, 17.5)]))
    elif shape == "ring":
        painter.setPen(QPen(fill, 3))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(QPointF(10, 10), 6.5, 6.5)
    else:
        painter.drawEllipse(2, 2, 16, 16)
    painter.end()
    return QIcon(pixmap)


def _file_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").lower() or "district"
