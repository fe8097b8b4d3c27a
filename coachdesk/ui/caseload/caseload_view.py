"""The Caseload area's list: every school, filterable by text and program, sortable."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from coachdesk.core.caseload import CaseloadRow, current_school_year, list_caseload
from coachdesk.core.changes import ChangeSummary
from coachdesk.core.programs import programs
from coachdesk.core.store.profile import Profile
from coachdesk.ui.caseload.table_model import (
    DISTRICT,
    FLAGS,
    LAST_VISIT,
    PROGRAM,
    ROW_ROLE,
    SCHOOL,
    STATUS,
    CaseloadFilter,
    CaseloadTableModel,
)
from coachdesk.ui.change_bus import bus_for

# Record types whose edits can change what the caseload table shows.
SHOWN_RECORDS = ("organization", "assignment", "stage_record", "coaching_flag", "visit")


class CaseloadView(QWidget):
    """Emits open_school(school_id) when a row is opened (double-click or Enter)."""

    open_school = Signal(str)
    first_paint_with_data = Signal()

    def __init__(self, profile: Profile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.profile = profile
        self._announced_paint = False

        self.title = QLabel("Caseload")
        self.title.setObjectName("areaTitle")
        self.year = QLabel()
        self.year.setObjectName("subtle")

        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Filter by school, district, city or status  (Ctrl+F)")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setAccessibleName("Filter the caseload")
        self.program_box = QComboBox()
        self.program_box.setAccessibleName("Show program")
        self.program_box.addItem("All programs", None)
        for code, prog in programs().items():
            self.program_box.addItem(prog.name, code)
        self.count = QLabel()
        self.count.setObjectName("subtle")

        self.model = CaseloadTableModel(self)
        self.proxy = CaseloadFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Schools in the caseload")
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(DISTRICT, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        # The school's name gets the room: the district column takes a share of what is left
        # (see _share_columns), so a 1024-pixel laptop still shows whole school names.
        header.setSectionResizeMode(SCHOOL, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(DISTRICT, QHeaderView.ResizeMode.Interactive)
        for column in (PROGRAM, STATUS, FLAGS, LAST_VISIT):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.doubleClicked.connect(self._open_index)
        self.table.activated.connect(self._open_index)  # Enter on a row
        self.table.viewport().installEventFilter(self)
        self.empty_hint = QLabel(
            "No schools in this school year's caseload yet. Run “coachdesk demo” to load the "
            "demo caseload."
        )
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setVisible(False)

        bar = QHBoxLayout()
        bar.addWidget(self.filter_edit, 1)
        bar.addWidget(self.program_box)
        heading = QHBoxLayout()
        heading.addWidget(self.title)
        heading.addWidget(self.year)
        heading.addStretch(1)
        heading.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.addLayout(heading)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_hint)

        self.first_paint_with_data.connect(self._select_first_row)
        bus_for(profile).subscribe(self.on_changed, watching=SHOWN_RECORDS)
        self.filter_edit.textChanged.connect(self._filter_changed)
        self.program_box.currentIndexChanged.connect(self._program_changed)
        self.reload()

    # --- data ------------------------------------------------------------------------------------

    def reload(self) -> None:
        self.model.set_rows(list_caseload(self.profile))
        self.year.setText(f"School year {current_school_year()}")
        self._update_count()

    def on_changed(self, changes: ChangeSummary, initiator: object) -> None:
        """Refresh when a write touched anything this table shows."""
        self.reload()

    def visible_rows(self) -> list[CaseloadRow]:
        return [self.proxy.index(r, 0).data(ROW_ROLE) for r in range(self.proxy.rowCount())]

    # --- interaction -----------------------------------------------------------------------------

    def focus_filter(self) -> None:
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    def _filter_changed(self, text: str) -> None:
        self.proxy.set_text(text)
        self._update_count()

    def _program_changed(self, _index: int) -> None:
        self.proxy.set_program(self.program_box.currentData())
        self._update_count()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count.setText(f"{total} schools" if shown == total else f"{shown} of {total} schools")
        self.empty_hint.setVisible(total == 0)
        if self._announced_paint:
            self._select_first_row()

    def _select_first_row(self) -> None:
        # After the first paint: selecting costs a relayout that the first view need not wait for.
        if self.proxy.rowCount() and not self.table.currentIndex().isValid():
            self.table.setCurrentIndex(self.proxy.index(0, 0))

    def _open_index(self, index) -> None:
        row: CaseloadRow | None = index.data(ROW_ROLE)
        if row is not None:
            self.open_school.emit(row.school_id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self._share_columns()
        # Tell the smoke test once the table has painted with rows in it.
        if (
            not self._announced_paint
            and event.type() == QEvent.Type.Paint
            and self.model.rowCount() > 0
        ):
            self._announced_paint = True
            self.first_paint_with_data.emit()
        return super().eventFilter(watched, event)

    def _share_columns(self) -> None:
        """The district gets 40% of the width the fixed columns leave, at most what it needs."""
        header = self.table.horizontalHeader()
        fixed = sum(
            header.sectionSize(c)
            for c in range(header.count())
            if c not in (SCHOOL, DISTRICT) and not header.isSectionHidden(c)
        )
        left = self.table.viewport().width() - fixed
        needed = max(self.table.sizeHintForColumn(DISTRICT), header.sectionSizeHint(DISTRICT))
        header.resizeSection(DISTRICT, max(80, min(needed, int(left * 0.4))))

    def keyPressEvent(self, event) -> None:
        # Down arrow from the filter goes into the table, so the keyboard never has to tab.
        if event.key() == Qt.Key.Key_Down and self.filter_edit.hasFocus():
            self.table.setFocus()
            return
        super().keyPressEvent(event)
