"""Search everything (Ctrl+K): notes, next steps, visit purposes and contacts, as the coach types.

Results are grouped by school; the words found are shown in bold. Enter or a double-click opens
the record: a visit's page for notes, next steps and visits, the school's page for a contact.
Each result is an item of the list's own model, drawn by `HitDelegate`; its accessible name
reads the whole result (school, what, date and the words around the match), so a screen reader
says what a sighted coach sees, and the count of results is announced when typing pauses.
The search runs directly on each keystroke: it reads an FTS5 index and answers in milliseconds.
"""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

from PySide6.QtCore import QModelIndex, QPointF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAbstractTextDocumentLayout, QKeyEvent, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coachdesk.core import visits
from coachdesk.core.dates_text import medium_date
from coachdesk.core.store.profile import Profile
from coachdesk.core.visits import VISIT_TYPE_LABELS, SearchHit
from coachdesk.ui.announce import StatusAnnouncer, announce
from coachdesk.ui.screen_fit import available_geometry, largest_size
from coachdesk.ui.style import colour, hex_colour, on_scheme_change

HIT_ROLE = Qt.ItemDataRole.UserRole
# The count ("86 results in 25 schools") is said once the coach pauses typing, not per key.
COUNT_PAUSE_MS = 600
HTML_ROLE = Qt.ItemDataRole.UserRole + 1  # the result as drawn: title and date, then snippet
_MARGIN_X, _MARGIN_Y = 4, 3


def hit_title(hit: SearchHit) -> str:
    """The result's kind in words: "Visit note · On-site visit" rather than a stored code."""
    kind, _, detail = hit.title.partition(" · ")
    if hit.kind in ("note", "visit") and detail:
        return f"{kind} · {VISIT_TYPE_LABELS.get(detail.replace(' ', '_'), detail)}"
    return hit.title


def snippet_html(snippet: str) -> str:
    """The core marks matches with [ and ]: show them bold, everything else as plain text."""
    return html.escape(snippet).replace("[", "<b>").replace("]", "</b>").replace("\n", " ")


def hit_when(hit: SearchHit) -> str:
    """The result's date as a coach reads it ("" when it has none)."""
    if not hit.date:
        return ""
    try:
        return medium_date(dt.date.fromisoformat(hit.date))
    except ValueError:
        return hit.date


def hit_reading(hit: SearchHit) -> str:
    """What a screen reader says for a result: school, what, date, then the words found."""
    words = " ".join(hit.snippet.replace("[", "").replace("]", "").split())
    parts = [hit.school_name, hit_title(hit), hit_when(hit)]
    return ", ".join(p for p in parts if p) + f": {words}"


class HitDelegate(QStyledItemDelegate):
    """Draws a result's two lines (grey title and date, the snippet with its match in bold)."""

    def _document(self, text: str, option: QStyleOptionViewItem) -> QTextDocument:
        document = QTextDocument()
        document.setDefaultFont(option.font)
        document.setDocumentMargin(0)
        document.setHtml(text)
        return document

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        text = index.data(HTML_ROLE)
        if not text:
            super().paint(painter, option, index)
            return
        shown = QStyleOptionViewItem(option)
        self.initStyleOption(shown, index)
        shown.text = ""  # the background, selection and focus as usual; the text is ours
        style = shown.widget.style() if shown.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, shown, painter, shown.widget)
        document = self._document(text, option)
        context = QAbstractTextDocumentLayout.PaintContext()
        # A selected result keeps the light selection of the style sheet (coachdesk/ui/style.py):
        # its text in the selection's own colour, the bold match and grey title still readable.
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        context.palette.setColor(
            QPalette.ColorRole.Text,
            colour("nav_selected_fg")
            if selected
            else option.palette.color(QPalette.ColorRole.Text),
        )
        painter.save()
        painter.translate(QPointF(option.rect.topLeft()) + QPointF(_MARGIN_X, _MARGIN_Y))
        painter.setClipRect(option.rect.translated(-option.rect.topLeft()))
        document.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # noqa: N802
        text = index.data(HTML_ROLE)
        if not text:
            return super().sizeHint(option, index)
        size = self._document(text, option).size()
        return QSize(int(size.width()) + 2 * _MARGIN_X, int(size.height()) + 2 * _MARGIN_Y)


class SearchPopup(QDialog):
    """A non-modal search window; emits `open_hit(SearchHit)` and closes when one is chosen."""

    open_hit = Signal(object)

    def __init__(self, profile: Profile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.profile = profile
        self.hits: list[SearchHit] = []
        on_scheme_change(self._rewrite)  # each result's title is written in a colour
        self.setWindowTitle("Search everything")
        self.box = QLineEdit()
        self.box.setPlaceholderText("Search notes, next steps, visits and contacts")
        self.box.setAccessibleName("Search everything")
        self.box.setClearButtonEnabled(True)
        for clear in self.box.findChildren(QToolButton):  # Qt's clear button has no name
            clear.setAccessibleName("Clear the search")
        self.box.textChanged.connect(self.run_search)
        self.box.returnPressed.connect(self.open_current)
        self.box.installEventFilter(self)
        self.summary = QLabel("Type a word or two. Enter opens the selected result.")
        self.summary.setObjectName("subtle")
        self.count_heard = StatusAnnouncer(self.summary)
        self._count_pause = QTimer(self)
        self._count_pause.setSingleShot(True)
        self._count_pause.setInterval(COUNT_PAUSE_MS)
        self._count_pause.timeout.connect(self._say_count)
        self.results = QTreeWidget()
        self.results.setHeaderHidden(True)
        self.results.setHeaderLabels(["Result"])  # hidden, but a screen reader still reads it
        self.results.setAccessibleName("Search results")
        self.results.setRootIsDecorated(False)
        self.results.setIndentation(12)
        # A light selection keeps the result's own colours (bold match, grey title) readable.
        self.results.setObjectName("searchResults")
        self.results.setItemDelegate(HitDelegate(self.results))
        self.results.itemActivated.connect(lambda item, _c: self._open(item))
        self.results.itemDoubleClicked.connect(lambda item, _c: self._open(item))
        layout = QVBoxLayout(self)
        layout.addWidget(self.box)
        layout.addWidget(self.summary)
        layout.addWidget(self.results, 1)
        # About 90 characters by 26 lines of the coach's font, at most the screen's size.
        metrics = self.fontMetrics()
        wanted = QSize(metrics.averageCharWidth() * 90, metrics.lineSpacing() * 26)
        self.resize(wanted.boundedTo(largest_size(parent)))

    # --- searching --------------------------------------------------------------------------

    def _rewrite(self) -> None:
        self.run_search(self.box.text())

    def run_search(self, text: str) -> None:
        """Show the results for this text ([] for empty text)."""
        self.hits = visits.search(self.profile, text) if text.strip() else []
        self.results.clear()
        groups = visits.group_by_school(self.hits)
        for school, hits in groups:
            parent = QTreeWidgetItem([f"{school}  ({len(hits)})"])
            parent.setData(
                0,
                Qt.ItemDataRole.AccessibleTextRole,
                f"{school}, {len(hits)} result{'s' if len(hits) != 1 else ''}",
            )
            font = parent.font(0)
            font.setBold(True)
            parent.setFont(0, font)
            parent.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.results.addTopLevelItem(parent)
            for hit in hits:
                item = QTreeWidgetItem(parent)
                item.setData(0, HIT_ROLE, hit)
                item.setData(0, HTML_ROLE, self._hit_html(hit))
                item.setData(0, Qt.ItemDataRole.AccessibleTextRole, hit_reading(hit))
                item.setToolTip(0, f"{hit.title} · {hit.school_name}")
            parent.setExpanded(True)
        if not text.strip():
            self.summary.setText("Type a word or two. Enter opens the selected result.")
        elif not self.hits:
            self.summary.setText(f"Nothing found for “{text.strip()}”.")
        else:
            self.summary.setText(
                f"{len(self.hits)} result{'s' if len(self.hits) != 1 else ''} in "
                f"{len(groups)} school{'s' if len(groups) != 1 else ''}"
            )
        if text.strip():
            self._count_pause.start()
        first = self._hit_items()[:1]
        if first:
            self.results.setCurrentItem(first[0])

    def _say_count(self) -> None:
        if self.isVisible():  # a result opened before the pause needs no count
            self.count_heard.say(self.summary.text())

    @staticmethod
    def _hit_html(hit: SearchHit) -> str:
        when = f" · {hit_when(hit)}" if hit.date else ""
        return (
            f"<span style='color:{hex_colour('subtle')}'>"
            f"{html.escape(hit_title(hit))}{when}</span><br>"
            f"{snippet_html(hit.snippet)}"
        )

    def _hit_items(self) -> list[QTreeWidgetItem]:
        found = []
        for i in range(self.results.topLevelItemCount()):
            parent = self.results.topLevelItem(i)
            found.extend(parent.child(j) for j in range(parent.childCount()))
        return found

    def shown(self) -> list[tuple[str, str]]:
        """(school, snippet as shown) for each result, in order (for tests and screen readers)."""
        return [
            (item.data(0, HIT_ROLE).school_name, item.data(0, HTML_ROLE))
            for item in self._hit_items()
        ]

    # --- opening ----------------------------------------------------------------------------

    def open_current(self) -> None:
        item = self.results.currentItem()
        if item is not None:
            self._open(item)

    def _open(self, item: QTreeWidgetItem) -> None:
        hit = item.data(0, HIT_ROLE)
        if isinstance(hit, SearchHit):
            self.hide()
            self.open_hit.emit(hit)

    def eventFilter(self, watched: Any, event: Any) -> bool:  # noqa: N802 - Qt override
        # Up and Down in the search box move through the results without leaving the box.
        if (
            watched is self.box
            and isinstance(event, QKeyEvent)
            and event.type() == event.Type.KeyPress
            and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up)
        ):
            items = self._hit_items()
            if items:
                current = self.results.currentItem()
                index = items.index(current) if current in items else -1
                step = 1 if event.key() == Qt.Key.Key_Down else -1
                index = max(0, min(len(items) - 1, index + step))
                self.results.setCurrentItem(items[index])
                self.results.scrollToItem(items[index])
                # The keyboard stays in the box, so a screen reader would not follow the
                # results: say the hit the arrow moved to.
                reading = items[index].data(0, Qt.ItemDataRole.AccessibleTextRole)
                announce(self.results, reading or items[index].text(0))
            return True
        return super().eventFilter(watched, event)

    def start(self) -> None:
        """Show the popup with the search box selected, ready for typing."""
        self.show()
        self.keep_on_screen()
        self.raise_()
        self.activateWindow()
        self.box.setFocus()
        self.box.selectAll()

    def keep_on_screen(self) -> None:
        """Move the popup (frame and all) inside the screen where Qt placed it partly off: it
        is centred on the window, which may be wider than a small screen at a large text size,
        or stand near its edge."""
        area = available_geometry(self)
        frame = self.frameGeometry()
        x = max(area.left(), min(frame.left(), area.right() + 1 - frame.width()))
        y = max(area.top(), min(frame.top(), area.bottom() + 1 - frame.height()))
        if (x, y) != (frame.left(), frame.top()):
            self.move(x, y)


def open_search(window: Any) -> SearchPopup:
    """Show the main window's search popup (built on first use) and route what it opens."""
    popup = window.findChild(SearchPopup)
    if popup is None:
        popup = SearchPopup(window.profile, window)
        popup.open_hit.connect(lambda hit: open_hit(window, hit))
    popup.start()
    return popup


def open_hit(window: Any, hit: SearchHit) -> None:
    """Open a search result in the Caseload area: a visit's page (the keyboard in its first
    answer), or a contact's school. Back returns to where the coach was before searching."""
    window.activateWindow()  # the popup has gone: the keys are the window's again
    with window.going_back.opening():
        window.show_area("caseload")
        if hit.kind == "contact":
            window.caseload.open_school(hit.school_id)
        else:
            window.caseload.open_visit(hit.record_id)
