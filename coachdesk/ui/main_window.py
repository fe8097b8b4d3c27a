"""The main window: a navigation list of areas, the current area, menus and the status bar.

Every write anywhere is published on the profile's change bus (change_bus.py); each area
subscribes to the record types it shows. Window size and the last area are remembered in the
profile folder. Opening anything (a Today item, a search hit, a school, the conflicts) puts the
keyboard inside what opened; Go ▸ Back (Alt+Left) and Escape return to where the coach was
(going_back.py).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QSettings, QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from coachdesk.core.changes import ChangeSummary
from coachdesk.core.record_types import DUE_INPUTS
from coachdesk.core.store.profile import Profile
from coachdesk.ui import dialogs, shortcuts
from coachdesk.ui.caseload.area import CaseloadArea
from coachdesk.ui.change_bus import bus_for
from coachdesk.ui.going_back import (
    FocusMark,
    GoingBack,
    Place,
    back_keys,
    first_control,
    show_beside,
    switch_page,
)
from coachdesk.ui.profile_actions import ProfileActions
from coachdesk.ui.screen_fit import fit_window

logger = logging.getLogger(__name__)

PREFERRED_SIZE = QSize(1280, 800)  # capped at the screen: laptops are often 1366x768


@dataclass
class Area:
    key: str
    title: str
    widget: QWidget


class MainWindow(QMainWindow):
    def __init__(
        self,
        profile: Profile,
        parent: QWidget | None = None,
        *,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        """`today` says what day it is (Today's list and the caseload's badges are judged for
        it); a test gives a fixed day."""
        super().__init__(parent)
        self.profile = profile
        self._today = today
        self.bus = bus_for(profile)
        self.setWindowTitle("coachdesk")
        self.settings = QSettings(str(profile.directory / "window.ini"), QSettings.Format.IniFormat)
        self.areas: list[Area] = []
        # The area an opening goes to, shown over the one it leaves until the opening has put
        # the keyboard in it (show_area, arrive).
        self._arriving: str | None = None

        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setAccessibleName("Areas")
        self.nav.setFixedWidth(120)  # then sized to the area names (_size_nav)
        self.stack = QStackedWidget()
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(6, 6, 6, 0)
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.nav.currentRowChanged.connect(self._show_area)

        self.caseload = CaseloadArea(profile, self)
        # One way back across the areas: Back from a visit opened on Today goes to Today.
        self.going_back = GoingBack(
            self.where,
            self.return_to,
            start=self._start_place,
            ready_to_leave=self._ready_to_leave,
            opened=self.arrive,
            parent=self,
        )
        self.caseload.use_going_back(self.going_back)
        self._due_data = None  # today's due list, judged once for the badges (load_due_badges)
        # Today comes first in the list: what is due across the caseload. It is built when first
        # opened, and the caseload's "Next due" badges are read after the first paint
        # (load_due_badges), so that judging every rule does not delay the window.
        self.add_lazy_area("today", "Today", self._build_today)
        self.bus.subscribe(self._refresh_badges, watching=DUE_INPUTS)
        self.add_area("caseload", "Caseload", self.caseload)
        self.caseload.open_conflicts.connect(self.open_conflicts)

        # Sharing: export and import bundles (File menu, drag-and-drop onto the window), the
        # keys this profile trusts, and conflicting edits. The two areas are built when first
        # opened: they need the ORM, which stays off the start-up path.
        from coachdesk.ui.sync_actions import SyncActions

        self.sync_actions = SyncActions(self, profile)
        self.sync_actions.accept_drops(self)
        self.add_lazy_area("conflicts", "Conflicts", self._build_conflicts_view)
        self.add_lazy_area("trust", "Trust", self._build_trust_page)
        # Roll-up joins the list after the first paint (offer_rollup), or when an import brings
        # another coach's caseload: reading who is held needs the ORM.
        self.bus.subscribe(self.offer_rollup, watching={"assignment", "coach"})

        self.profile_actions = ProfileActions(self, profile)
        self._build_menus()
        self.statusBar().showMessage(f"Profile: {profile.directory}")
        self._restore_window_state()

    # --- areas ------------------------------------------------------------------------------------

    def add_area(self, key: str, title: str, widget: QWidget) -> None:
        """Add an area to the navigation; Ctrl+1, Ctrl+2… open them in order."""
        self.areas.append(Area(key, title, widget))
        self.stack.addWidget(widget)
        item = QListWidgetItem(title)
        item.setData(Qt.ItemDataRole.UserRole, key)
        self.nav.addItem(item)
        self._size_nav()
        if hasattr(self, "go_menu"):
            self._add_go_action(len(self.areas) - 1)

    def _size_nav(self) -> None:
        """As wide as the longest area name in the list's font: room for the area itself."""
        self.nav.ensurePolished()
        metrics = self.nav.fontMetrics()
        names = (self.nav.item(i).text() for i in range(self.nav.count()))
        widest = max((metrics.horizontalAdvance(name) for name in names), default=0)
        self.nav.setFixedWidth(max(100, widest + 2 * metrics.averageCharWidth() + 36))

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.FontChange:  # the coach changed the font size
            self._size_nav()
        super().changeEvent(event)

    def add_lazy_area(self, key: str, title: str, build) -> None:
        """An area whose widget is built the first time it is shown."""
        placeholder = QWidget()
        placeholder.setProperty("build", build)
        self.add_area(key, title, placeholder)

    def area_widget(self, key: str) -> QWidget:
        """The area's widget, built now if it is a lazy area not yet shown."""
        for index, area in enumerate(self.areas):
            if area.key == key:
                build = area.widget.property("build")
                if build is not None:
                    widget = build()
                    self.stack.insertWidget(index, widget)
                    self.stack.removeWidget(area.widget)
                    area.widget.deleteLater()
                    area.widget = widget
                return area.widget
        raise KeyError(key)

    @property
    def today(self):
        """The Today view (built now if it was not yet shown)."""
        return self.area_widget("today")

    def _build_today(self) -> QWidget:
        from coachdesk.ui.today.today_view import TodayView

        # Today's list as judged for the badges after the first paint, if it is still today's.
        view = TodayView(self.profile, self, today=self._today, data=self._due_data)
        self._due_data = None  # from now on the view keeps the list and the badges current
        view.open_requested.connect(self.open_due_item)
        view.badges_ready.connect(self.caseload.list_view.model.set_badges)
        return view

    def today_is_built(self) -> bool:
        return any(a.key == "today" and a.widget.property("build") is None for a in self.areas)

    def load_due_badges(self) -> None:
        """Each school's most pressing due item, for the caseload's "Next due" column."""
        if self.today_is_built():
            return  # the Today view keeps them current itself
        from coachdesk.core.tracking_records.due import next_due_badges, today_data

        self._due_data = today_data(self.profile, self._today())
        self.caseload.list_view.model.set_badges(next_due_badges(self._due_data.entries))

    def _refresh_badges(self, changes: ChangeSummary, initiator: object) -> None:
        if not self.today_is_built():
            self.load_due_badges()

    def offer_rollup(self, changes: ChangeSummary | None = None, initiator: object = None) -> None:
        """List Roll-up once the profile holds another coach's caseload (a supervisor's, after
        importing coaches' bundles); a coach's own profile never shows it."""
        if any(area.key == "rollup" for area in self.areas):
            return
        from coachdesk.ui.rollup.reading import other_coaches_held

        if other_coaches_held(self.profile):
            self.add_lazy_area("rollup", "Roll-up", self._build_rollup)

    def _build_rollup(self) -> QWidget:
        from coachdesk.ui.rollup.area import build_rollup_area

        return build_rollup_area(self.profile, self)

    def _build_conflicts_view(self) -> QWidget:
        from coachdesk.ui.conflicts_view import ConflictsView

        return ConflictsView(self.profile)

    def _build_trust_page(self) -> QWidget:
        from coachdesk.ui.trust_page import TrustPage

        return TrustPage(self.profile)

    def show_area(self, key: str) -> None:
        """Show an area. Inside a way of opening (going_back.opening), with the keyboard on the
        area shown, the new area is shown over it and the switch waits for the opening's end
        (`arrive`): the opening puts the keyboard in the new area straight from the old one.
        Switching first would hide the control that has the keyboard, which sends it to the
        list of areas and then to the new area's first control on its way, and a screen
        reader says each."""
        if self.going_back.is_opening and key != self.current_area():
            self.arrive()  # an earlier area held back in this opening
            if show_beside(self.stack, self.area_widget(key)):
                self._arriving = key
                return
        self._select_area(key)

    def arrive(self) -> None:
        """Finish the switch `show_area` held back: the new area current, the old one hidden
        (the keyboard is in the new one by now, so hiding the old moves nothing)."""
        key, self._arriving = self._arriving, None
        if key is not None:
            self._select_area(key)

    def _select_area(self, key: str) -> None:
        for row, area in enumerate(self.areas):
            if area.key == key:
                self.nav.setCurrentRow(row)  # _show_area switches the stack
                return

    def _enter(self, key: str, put: Callable[[], None]) -> None:
        """Show an area and run `put()`, which puts the keyboard in it: straight from the area
        shown when it was there (switch_page), else after the switch."""

        def put_first() -> bool:
            put()
            return True

        if not switch_page(self.stack, self.area_widget(key), put_first):
            self._select_area(key)
            put()
            return
        self._select_area(key)  # the stack shows it already: this selects it in the list

    def open_due_item(self, school_id: str, kind: str, record_id: str | None) -> None:
        """Open the place to act on a Today item: the visit when there is one, else the school
        (or the district's page, for a district's item). The keyboard goes with it, straight
        from Today (show_area); Back returns to the item on Today."""
        with self.going_back.opening():
            self.show_area("caseload")
            caseload = self.caseload
            if kind == "visit" and record_id:
                caseload.open_visit(record_id)
                return
            district = caseload.is_district(school_id)
            if kind == "action_item" and record_id:
                # The page's open next steps, with this one selected: Enter opens its visit.
                # The page opens without the keyboard, which goes to the next step (or, when
                # it is done meanwhile, where opening the page puts it).
                page = "district" if district else "school"
                caseload.show_place(Place("caseload", page, school_id))
                caseload.select_next_step(record_id)
                focus = self.focusWidget()
                if focus is None or not caseload.isAncestorOf(focus):
                    caseload.focus_page()
                return
            if district:
                caseload.open_district(school_id)
            else:
                caseload.open_school(school_id)
            if kind == "plan_visit":  # Today's "Plan a visit…": the page's Start a visit
                self.arrive()  # its dialog shows the window: Today no longer under the page
                if district:
                    caseload.district_page.start_visit()
                else:
                    caseload.school_page.visits_panel.start_visit()

    def open_conflicts(self) -> None:
        """A page's conflict badge: the Conflicts area, the keyboard in it (straight from the
        page, show_area); Back returns."""
        with self.going_back.opening():
            self.show_area("conflicts")
            self.focus_area()

    # --- going back -------------------------------------------------------------------------------

    def where(self) -> Place:
        """Where the coach is: the area, its page, the control in focus and its row."""
        key = self.current_area()
        focus = FocusMark.of(self.focusWidget())  # the window's own, even while search is up
        if key == "caseload":
            return self.caseload.where(focus)
        title = next((a.title for a in self.areas if a.key == key), key)
        return Place(key, "", None, title, focus)

    def return_to(self, place: Place) -> None:
        """Show a place remembered by going_back, with the control and row the coach had (the
        keyboard straight there from the area left, `_enter`)."""

        def put() -> None:
            if place.area == "caseload":
                self.caseload.show_place(place)
            if place.focus is None or not place.focus.restore():
                self.focus_area(place.area)

        self._enter(place.area, put)

    def focus_area(self, key: str | None = None) -> None:
        """The keyboard on the first useful control of the area `key` (else the area shown)."""
        key = key or self.current_area()
        if key == "caseload":
            self.caseload.focus_page()
            return
        area = self.area_widget(key)
        own = getattr(area, "first_control", None)  # an area may say what comes first
        target = own() if callable(own) else first_control(area)
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _start_place(self) -> Place | None:
        return self.caseload.start_place() if self.current_area() == "caseload" else None

    def _ready_to_leave(self) -> bool:
        return self.caseload.ready_to_leave() if self.current_area() == "caseload" else True

    def go_back(self) -> bool:
        """Go ▸ Back (Alt+Left), and Escape when no control used it: to where the coach was."""
        if QApplication.activeModalWidget() is not None or QApplication.activePopupWidget():
            return False  # a dialog or a popup closes first
        return self.going_back.back()

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt override
        # Escape arrives here only when the control in focus did not use it (a dialog, the
        # search popup and a date's calendar are windows of their own and close first).
        if (
            event.key() == Qt.Key.Key_Escape
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
            and self.go_back()
        ):
            event.accept()
            return
        super().keyPressEvent(event)

    def current_area(self) -> str:
        if self._arriving is not None:  # shown already, the switch waiting (show_area)
            return self._arriving
        row = self.nav.currentRow()
        return self.areas[row].key if 0 <= row < len(self.areas) else self.areas[0].key

    def _show_area(self, row: int) -> None:
        if 0 <= row < len(self.areas):
            self.area_widget(self.areas[row].key)
            self.stack.setCurrentIndex(row)

    # --- menus ------------------------------------------------------------------------------------

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        file_menu.setToolTipsVisible(True)
        shortcuts.give(self.sync_actions.export_mine_action, "export")
        shortcuts.give(self.sync_actions.import_action, "import")
        shortcuts.give(self.profile_actions.backup_action, "back_up")
        for action in self.sync_actions.actions():
            file_menu.addAction(action)
        packet_pdf = QAction("Save the PDF from a visit &packet…", self)
        packet_pdf.triggered.connect(self.save_packet_pdf)
        file_menu.addAction(packet_pdf)
        file_menu.addSeparator()
        events = QAction("Import &events…", self)
        events.setToolTip("OISR sessions, the needs-assessment window and other dated events")
        events.triggered.connect(self.import_events)
        file_menu.addAction(events)
        file_menu.addSeparator()
        from coachdesk.ui.caseload.file_actions import caseload_file_actions

        for action in caseload_file_actions(self, self.profile):
            file_menu.addAction(action)
        file_menu.addSeparator()
        for action in self.profile_actions.actions():
            file_menu.addAction(action)
        file_menu.addSeparator()
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        edit_menu = self.menuBar().addMenu("&Edit")
        find = QAction("&Filter the caseload", self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.triggered.connect(self.focus_filter)
        edit_menu.addAction(find)
        search_all = QAction("&Search everything…", self)
        search_all.setShortcut(QKeySequence("Ctrl+K"))
        search_all.triggered.connect(self.open_search)
        edit_menu.addAction(search_all)
        edit_menu.addSeparator()
        for action in self.caseload.list_view.row_actions():  # on the selected school
            edit_menu.addAction(action)

        from coachdesk.ui.reports.menu import ReportsMenu

        self.reports_menu = ReportsMenu(self, self.profile)
        self.reports_menu.add_to(self.menuBar())

        from coachdesk.ui.visit_menu import VisitMenu

        self.visit_menu = VisitMenu(self)
        self.visit_menu.add_to(self.menuBar())

        self.go_menu = self.menuBar().addMenu("&Go")
        self.go_menu.setToolTipsVisible(True)
        self.back_action = QAction("&Back", self)
        self.back_action.setShortcuts(back_keys())
        self.back_action.setToolTip("Back to where you were (Alt+Left, or Escape)")
        self.back_action.triggered.connect(self.go_back)
        self.go_menu.addAction(self.back_action)
        self.go_menu.addSeparator()
        for index in range(len(self.areas)):
            self._add_go_action(index)

        help_menu = self.menuBar().addMenu("&Help")
        self.help_action = QAction("&Keyboard and help", self)
        shortcuts.give(self.help_action, "help", about="The keys for every action in coachdesk")
        self.help_action.triggered.connect(self.show_help)
        help_menu.addAction(self.help_action)
        logs = QAction("Open the &log folder", self)
        logs.setToolTip("The log and crash log, to send to whoever helps you with coachdesk")
        logs.triggered.connect(self.open_log_folder)
        help_menu.addAction(logs)
        about = QAction("&About coachdesk", self)
        about.setMenuRole(QAction.MenuRole.AboutRole)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def show_help(self) -> None:
        """Help ▸ Keyboard and help (F1): every action's key, read from the menus."""
        from coachdesk.ui.help_dialog import HelpDialog

        dialogs.run(HelpDialog(self.menuBar(), self))

    def _add_go_action(self, index: int) -> None:
        area = self.areas[index]
        action = QAction(area.title, self)
        if index < 9:
            action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
        action.triggered.connect(lambda: self.go_to_area(area.key))
        self.go_menu.addAction(action)

    def go_to_area(self, key: str) -> None:
        """Ctrl+1, Ctrl+2… and the Go menu: the area, with the keyboard inside it (on the list
        of areas it would take a Tab to reach what the coach came for), straight from the area
        left (`_enter`)."""
        self._enter(key, lambda: self.focus_area(key))

    def save_packet_pdf(self) -> None:
        """File ▸ Save the PDF from a visit packet…: the summary a colleague sent."""
        from coachdesk.ui.packet_actions import save_packet_pdf

        save_packet_pdf(self, self.profile)

    def import_events(self) -> None:
        """File ▸ Import events…: a calendar or CSV file of dated events, previewed first."""
        from coachdesk.ui.today.events_dialog import import_events_file

        self.bus.publish(import_events_file(self.profile, self), initiator=self)

    def focus_filter(self) -> None:
        """Edit ▸ Filter the caseload (Ctrl+F): the caseload's list, the keyboard in its filter."""

        def put() -> None:
            self.caseload.show_place(Place("caseload", "list"))
            self.caseload.list_view.focus_filter()

        self._enter("caseload", put)

    def open_search(self):
        """Search notes, next steps, visits and contacts (Ctrl+K); returns the popup."""
        from coachdesk.ui.visits.search_popup import open_search

        return open_search(self)

    def _about(self) -> None:
        from coachdesk.ui.about_dialog import AboutDialog

        dialogs.run(AboutDialog(self, profile_dir=self.profile.directory))

    def open_log_folder(self) -> None:
        """Help ▸ Open the log folder: the file manager, on the folder holding the logs."""
        from coachdesk.core.logs import log_folder
        from coachdesk.ui import desktop

        folder = log_folder(self.profile.directory)
        if not desktop.show_folder(folder):
            dialogs.show_info(
                self,
                "The log folder",
                f"The logs are in {folder} (coachdesk.log, and crash.log after a crash). "
                "Open that folder in your file manager to copy them.",
            )

    # --- remembering the window -------------------------------------------------------------------

    def _restore_window_state(self) -> None:
        fit_window(self, PREFERRED_SIZE, saved_geometry=self.settings.value("geometry"))
        self.show_area(str(self.settings.value("area", "caseload")))
        if self.nav.currentRow() < 0:
            self.nav.setCurrentRow(0)

    def save_window_state(self) -> None:
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("area", self.current_area())
        self.settings.sync()

    def closeEvent(self, event) -> None:
        self.caseload.flush_edits()  # answers still waiting to be saved
        self.save_window_state()
        super().closeEvent(event)
