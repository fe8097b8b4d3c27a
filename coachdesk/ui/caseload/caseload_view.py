"""The Caseload area's list: every school, filterable by text and program, sortable.

Beside the filter: "Add school…", "Add district…" and "Show archived"; a row's context menu
(and the Edit menu, through `row_actions`) edits the school's details, assigns it to a
program, ends its assignment, archives or unarchives it. Schools in no program this school
year and archived ones come from the organization list, read after the first paint (the ORM is
kept off the start-up path).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from coachdesk.core.caseload import CaseloadRow, current_school_year, list_caseload
from coachdesk.core.changes import ChangeSummary
from coachdesk.core.programs import programs
from coachdesk.core.store.profile import Profile
from coachdesk.ui.caseload.row_actions import RowActions
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
from coachdesk.ui.flow_layout import FlowLayout
from coachdesk.ui.item_views import tab_leaves

# Record types whose edits can change what the caseload table shows.
SHOWN_RECORDS = ("organization", "assignment", "stage_record", "coaching_flag", "visit")
# After the first paint: the schools in no program and the archived ones (they need the ORM).
ORGANIZATIONS_AFTER_MS = 250
READABLE_NAME = 14  # characters of a school's name the list shows at the least
EMPTY_TEXT = (
    "No schools in this school year's caseload yet. Add your first school (and its district), "
    "or import the schools from a CSV file, such as your state directory's export "
    "(File ▸ Import schools from a file…)."
)


class FilterField(QLineEdit):
    """A filter box never narrower than its placeholder and the clear button beside it."""

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        hint = super().sizeHint()
        clear = max((b.sizeHint().width() for b in self.findChildren(QToolButton)), default=0)
        # The frame and text margins (8), as tests/ui/screen_probe.py measures a field.
        wanted = self.fontMetrics().horizontalAdvance(self.placeholderText()) + 8 + clear
        return QSize(max(hint.width(), wanted), hint.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return self.sizeHint()


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

        self.filter_edit = FilterField()
        # Short enough to show whole at twice the text; the tooltip and description say more.
        self.filter_edit.setPlaceholderText("Filter schools  (Ctrl+F)")
        self.filter_edit.setToolTip("Filter by school, district, city or status (Ctrl+F)")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setAccessibleName("Filter the caseload")
        self.filter_edit.setAccessibleDescription("By school, district, city or status")
        for clear in self.filter_edit.findChildren(QToolButton):  # Qt's clear button: no name
            clear.setAccessibleName("Clear the filter")
            clear.setToolTip("Clear the filter (shows every school)")
        self.program_box = QComboBox()
        self.program_box.setAccessibleName("Show program")
        # On Linux, Qt gives a combo box its current text as its name ("All programs"), and this
        # one has no label beside it: its description says what it is.
        self.program_box.setAccessibleDescription("Show the schools of one program")
        self.program_box.addItem("All programs", None)
        for code, prog in programs().items():
            self.program_box.addItem(prog.name, code)
        self.count = QLabel()
        self.count.setObjectName("subtle")
        self.add_school_button = QPushButton("Add school…")
        self.add_school_button.setAccessibleName("Add a school")
        self.add_district_button = QPushButton("Add district…")
        self.add_district_button.setAccessibleName("Add a district")
        self.archived_box = QCheckBox("Show archived")
        self.archived_box.setAccessibleName("Show archived schools")
        self.archived_box.setToolTip("Archived schools, greyed, with Unarchive on their menu")
        self._with_organizations = False  # the ORM-read rows (see reload)
        self._archived: set[str] = set()

        self.model = CaseloadTableModel(self)
        self.proxy = CaseloadFilter(self)
        self.proxy.setSourceModel(self.model)
        # (tab_leaves: focus coming in, by Down from the filter or Tab, tells a screen reader
        # the current school, so Enter opens the school the coach heard.)
        self.table = tab_leaves(QTableView())
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
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.empty_hint = QLabel(EMPTY_TEXT)
        self.empty_hint.setWordWrap(True)
        self.empty_add = QPushButton("Add a school…")
        self.empty_add.setAccessibleName("Add your first school")
        self.empty_import = QPushButton("Import schools from a file…")
        self.empty_import.setAccessibleName("Import schools from a file")
        self.empty_box = QWidget()
        empty_layout = QVBoxLayout(self.empty_box)
        empty_layout.setContentsMargins(0, 12, 0, 12)
        empty_layout.addWidget(self.empty_hint)
        empty_buttons = QHBoxLayout()
        empty_buttons.addWidget(self.empty_add)
        empty_buttons.addWidget(self.empty_import)
        empty_buttons.addStretch(1)
        empty_layout.addLayout(empty_buttons)
        self.empty_box.setVisible(False)
        self.school_actions = RowActions(self)

        # One line where there is room, the filter taking what the others leave; at twice the
        # text on a small screen the buttons wrap onto a second line.
        bar = FlowLayout(left=True, grow=True)
        bar.addWidget(self.filter_edit)
        bar.addWidget(self.program_box)
        bar.addWidget(self.archived_box)
        bar.addWidget(self.add_school_button)
        bar.addWidget(self.add_district_button)
        heading = QHBoxLayout()
        heading.addWidget(self.title)
        heading.addWidget(self.year)
        heading.addStretch(1)
        heading.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.addLayout(heading)
        layout.addLayout(bar)
        layout.addWidget(self.empty_box)
        layout.addWidget(self.table, 1)
        layout.addStretch(0)  # takes the room only while the table is hidden (no schools)

        self.first_paint_with_data.connect(self._select_first_row)
        bus_for(profile).subscribe(self.on_changed, watching=SHOWN_RECORDS)
        self.filter_edit.textChanged.connect(self._filter_changed)
        self.program_box.currentIndexChanged.connect(self._program_changed)
        self.archived_box.toggled.connect(self._archived_toggled)
        self.add_school_button.clicked.connect(self.school_actions.add_school)
        self.add_district_button.clicked.connect(self.school_actions.add_district)
        self.empty_add.clicked.connect(self.school_actions.add_school)
        self.empty_import.clicked.connect(self.school_actions.import_file)
        self.reload()

    # --- data ------------------------------------------------------------------------------------

    def reload(self) -> None:
        rows = list_caseload(self.profile)
        self._archived = set()
        # The quick read has the assigned schools; the others need the ORM, read only once it is
        # off the start-up path (after the first paint, a write, or with nothing assigned).
        if self._with_organizations or not rows or self.archived_box.isChecked():
            self._with_organizations = True
            more, self._archived = self._organization_rows({r.school_id for r in rows})
            rows += more
        self.model.set_rows(rows, archived=self._archived)
        self.year.setText(f"School year {current_school_year()}")
        self._update_count()

    def _organization_rows(self, assigned: set[str]) -> tuple[list[CaseloadRow], set[str]]:
        """Schools in no program this school year, and (when shown) the archived ones."""
        from coachdesk.core.dates_text import medium_date
        from coachdesk.core.organizations import list_organizations

        year = current_school_year()
        rows: list[CaseloadRow] = []
        archived: set[str] = set()
        shown = list_organizations(
            self.profile, kind="school", archived=self.archived_box.isChecked()
        )
        for school in shown:
            if school.id in assigned:
                continue
            if school.archived_on is not None:
                archived.add(school.id)
                status, program = f"Archived {medium_date(school.archived_on)}", "Archived"
            else:
                status, program = "", "No program yet"
            rows.append(
                CaseloadRow(
                    school_id=school.id,
                    school_name=school.name,
                    state_id=school.state_id,
                    city=None,
                    district_id=school.parent_id,
                    district_name=school.parent_name or "",
                    assignment_id="",
                    program_code="",
                    program_name=program,
                    school_year=year,
                    status=status,
                    stage=None,
                    receivership_year=None,
                    active_flags=0,
                )
            )
        return rows, archived

    def _load_organizations(self) -> None:
        """After the first paint: add the schools the quick read leaves out, if there are any."""
        if self._with_organizations:
            return
        rows = self.model.rows()
        more, archived = self._organization_rows({r.school_id for r in rows})
        self._with_organizations = True
        if more:
            self.model.set_rows(rows + more, archived=archived)
            self._archived = archived
            self._update_count()

    def on_changed(self, changes: ChangeSummary, initiator: object) -> None:
        """Refresh when a write touched anything this table shows."""
        self._with_organizations = True
        self.reload()

    def is_archived(self, school_id: str) -> bool:
        return school_id in self._archived

    def current_row(self) -> CaseloadRow | None:
        """The row the coach has selected, or None."""
        index = self.table.currentIndex()
        return index.data(ROW_ROLE) if index.isValid() else None

    def select_school(self, school_id: str) -> bool:
        """Make this school's (first) row the current one; False when it is not shown."""
        for r in range(self.proxy.rowCount()):
            row = self.proxy.index(r, 0).data(ROW_ROLE)
            if row is not None and row.school_id == school_id:
                self.table.setCurrentIndex(self.proxy.index(r, 0))
                self.table.scrollTo(self.proxy.index(r, 0))
                return True
        return False

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

    def _archived_toggled(self, _on: bool) -> None:
        self.reload()

    def _context_menu(self, position) -> None:
        index = self.table.indexAt(position)
        if index.isValid():
            self.table.setCurrentIndex(index)
        menu = QMenu(self)
        for action in self.school_actions.menu_actions():
            menu.addAction(action)
        menu.popup(self.table.viewport().mapToGlobal(position))
        self._menu = menu  # kept for tests and until it closes

    def row_actions(self) -> list[QAction]:
        """The actions on the selected school, for the window's Edit menu."""
        return self.school_actions.menu_actions()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        noun = "school" if total == 1 else "schools"
        text = f"{total} {noun}" if shown == total else f"{shown} of {total} {noun}"
        if self._archived:
            text += f" ({len(self._archived)} archived)"
        self.count.setText(text)
        self.empty_box.setVisible(total == 0)
        self.table.setVisible(total > 0)
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
            QTimer.singleShot(ORGANIZATIONS_AFTER_MS, self, self._load_organizations)
        return super().eventFilter(watched, event)

    def _share_columns(self) -> None:
        """The district gets 40% of the width the fixed columns leave, at most what it needs.

        Where that leaves the school fewer than READABLE_NAME characters (twice the text on a
        small screen), the school and district take what they need, up to a half and a quarter
        of the table's width, and the table scrolls sideways to the other columns."""
        header = self.table.horizontalHeader()
        fixed = sum(
            header.sectionSize(c)
            for c in range(header.count())
            if c not in (SCHOOL, DISTRICT) and not header.isSectionHidden(c)
        )
        width = self.table.viewport().width()
        left = width - fixed
        needed = max(self.table.sizeHintForColumn(DISTRICT), header.sectionSizeHint(DISTRICT))
        district = max(80, min(needed, int(left * 0.4)))
        school = max(self.table.sizeHintForColumn(SCHOOL), header.sectionSizeHint(SCHOOL))
        readable = min(school, READABLE_NAME * self.table.fontMetrics().averageCharWidth())
        if left - district >= readable:
            header.setSectionResizeMode(SCHOOL, QHeaderView.ResizeMode.Stretch)
            header.resizeSection(DISTRICT, district)
            return
        header.setSectionResizeMode(SCHOOL, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(SCHOOL, max(readable, min(school, width // 2)))
        header.resizeSection(DISTRICT, max(80, min(needed, width // 4)))

    def keyPressEvent(self, event) -> None:
        # Down arrow from the filter goes into the table, so the keyboard never has to tab.
        if event.key() == Qt.Key.Key_Down and self.filter_edit.hasFocus():
            self.table.setFocus()
            return
        super().keyPressEvent(event)
