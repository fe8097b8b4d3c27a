"""WCAG 2.1 contrast of the text a window really shows, measured on its rendered pixels.

For each visible text widget the background is the commonest colour under it in the window's
grab(); the foreground is the widget's palette colour after the style sheet is applied (and any
colour its rich text names). For the rows of tables and lists, whose colours come from the model
and the style, the foreground is read off the pixels too: the colour under the row's text that
stands out most from the row's background.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QRect, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

MINIMUM = 4.5  # WCAG 2.1 AA for body text
_RICH_COLOUR = re.compile(r"color\s*:\s*(#[0-9a-fA-F]{6})")


def luminance(colour: QColor) -> float:
    """WCAG relative luminance."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio, from 1 (none) to 21 (black on white)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@dataclass(frozen=True)
class TextContrast:
    what: str
    ratio: float
    foreground: str
    background: str

    def __str__(self) -> str:
        return f"{self.what}: {self.ratio:.2f}:1 ({self.foreground} on {self.background})"


def _pixels(image: QImage, rect: QRect) -> Counter:
    rect = rect.intersected(image.rect())
    counts: Counter = Counter()
    step = 1 if rect.width() * rect.height() < 40_000 else 2
    for y in range(rect.top(), rect.bottom() + 1, step):
        for x in range(rect.left(), rect.right() + 1, step):
            counts[image.pixel(x, y) & 0xFFFFFF] += 1
    return counts


def _colour(rgb: int) -> QColor:
    return QColor((rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF)


def _buckets(counts: Counter) -> dict[int, list[tuple[int, int]]]:
    """Colours grouped when they differ by less than 16 in each channel (a gradient's steps)."""
    groups: dict[int, list[tuple[int, int]]] = {}
    for rgb, n in counts.items():
        groups.setdefault(rgb & 0xF0F0F0, []).append((rgb, n))
    return groups


def background_under(image: QImage, rect: QRect) -> QColor | None:
    """The colour covering most of `rect` (a button's gradient counts as one colour)."""
    counts = _pixels(image, rect)
    if not counts:
        return None
    members = max(_buckets(counts).values(), key=lambda m: sum(n for _rgb, n in m))
    return _colour(max(members, key=lambda m: m[1])[0])


def standout_colour(image: QImage, rect: QRect, background: QColor) -> QColor:
    """The colour under `rect` that contrasts most with the background (the text's core)."""
    counts = _pixels(image, rect)
    best = background
    for members in _buckets(counts).values():
        # A colour must cover a few pixels to count: one anti-aliased pixel is not the text.
        if sum(n for _rgb, n in members) < 3:
            continue
        for rgb, _n in members:
            if contrast(_colour(rgb), background) > contrast(best, background):
                best = _colour(rgb)
    return best


def _drawn(image: QImage, rect: QRect, colour: QColor) -> bool:
    """True if a few pixels under `rect` are (nearly) this colour."""
    want = (colour.red(), colour.green(), colour.blue())
    near = 0
    for rgb, n in _pixels(image, rect).items():
        got = ((rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF)
        if all(abs(g - w) <= 24 for g, w in zip(got, want, strict=True)):
            near += n
    return near >= 3


def _window_rect(widget: QWidget, window: QWidget, inner: QRect | None = None) -> QRect:
    shown = widget.visibleRegion().boundingRect()
    if inner is not None:
        shown = shown.intersected(inner)
    return QRect(widget.mapTo(window, shown.topLeft()), shown.size())


def _shown_text(widget: QWidget) -> tuple[str, QPalette.ColorRole] | None:
    """The text a widget shows and the palette role it is drawn in, or None."""
    if isinstance(widget, QLabel):
        if widget.pixmap() is not None and not widget.pixmap().isNull():
            return None
        return widget.text(), widget.foregroundRole()
    if isinstance(widget, QLineEdit):
        if widget.text():
            return widget.text(), QPalette.ColorRole.Text
        return widget.placeholderText(), QPalette.ColorRole.PlaceholderText
    if isinstance(widget, QTextEdit | QPlainTextEdit):
        return widget.toPlainText(), QPalette.ColorRole.Text
    if isinstance(widget, QAbstractButton):
        return widget.text(), QPalette.ColorRole.ButtonText
    if isinstance(widget, QComboBox) and not widget.isEditable():
        return widget.currentText(), QPalette.ColorRole.ButtonText
    return None


def widget_contrasts(window: QWidget, image: QImage, name: str) -> list[TextContrast]:
    found = []
    kinds = (QLabel, QLineEdit, QTextEdit, QPlainTextEdit, QAbstractButton, QComboBox)
    for widget in window.findChildren(QWidget):
        if not isinstance(widget, kinds) or widget.window() is not window:
            continue
        if not widget.isVisibleTo(window) or not widget.isEnabled():
            continue  # WCAG leaves out disabled controls
        shown = _shown_text(widget)
        if shown is None or not shown[0].strip() or widget.visibleRegion().isEmpty():
            continue
        text, role = shown
        seen = widget.visibleRegion().boundingRect()
        if seen.height() < widget.height() * 0.6 or seen.width() < min(widget.width(), 40):
            continue  # at the edge of a scrolled area: its text is mostly out of view
        rect = _window_rect(widget, window)
        if isinstance(widget, QAbstractButton | QLineEdit | QComboBox | QTextEdit | QPlainTextEdit):
            rect = rect.adjusted(3, 3, -3, -3)  # inside the frame: the field or button face
        background = background_under(image, rect)
        if background is None:
            continue
        group = QPalette.ColorGroup.Active
        colours = [widget.palette().color(group, role)]
        colours += [QColor(c) for c in _RICH_COLOUR.findall(text)]
        # A style may draw a text in another colour than the palette says (the calendar draws
        # its month in the selection's text colour): a colour not under the text is replaced
        # by the one that is.
        colours = [
            c if _drawn(image, rect, c) else standout_colour(image, rect, background)
            for c in colours
        ]
        label = re.sub(r"<[^>]+>", "", text).replace("&", "").strip()[:40]
        for colour in colours:
            found.append(
                TextContrast(
                    f"{name}: {type(widget).__name__} {label!r}",
                    contrast(colour, background),
                    colour.name(),
                    background.name(),
                )
            )
    return found


def item_contrasts(window: QWidget, image: QImage, name: str) -> list[TextContrast]:
    found = []
    for view in window.findChildren(QAbstractItemView):
        if not view.isVisibleTo(window) or view.window() is not window:
            continue
        model = view.model()
        if model is None:
            continue
        viewport = view.viewport()
        # Only the part of the list the window shows: a list further down a scrolled page has a
        # viewport of full size whose rows are drawn nowhere on the grab.
        area = viewport.visibleRegion().boundingRect()
        if area.isEmpty():
            continue
        for index in _shown_indexes(view, model):
            text = index.data(Qt.ItemDataRole.DisplayRole)
            if not isinstance(text, str) or not text.strip():
                continue
            full = view.visualRect(index)
            cell = full.intersected(area)
            if cell.width() < min(full.width(), 60) or cell.height() < full.height() * 0.8:
                continue  # mostly scrolled out of view: its text may be off to the side
            rect = _window_rect(viewport, window, cell)
            background = background_under(image, rect)
            if background is None:
                continue
            text_rect = rect.adjusted(2, 1, -2, -1)
            foreground = standout_colour(image, text_rect, background)
            found.append(
                TextContrast(
                    f"{name}: {type(view).__name__} item {text[:40]!r}",
                    contrast(foreground, background),
                    foreground.name(),
                    background.name(),
                )
            )
    return found


def _shown_indexes(view: QAbstractItemView, model, parent: QModelIndex | None = None):
    parent = parent or QModelIndex()
    area = view.viewport().rect()
    for row in range(min(model.rowCount(parent), 400)):
        first = model.index(row, 0, parent)
        if view.visualRect(first).top() > area.bottom():
            break  # the rows below the viewport are not on screen
        for column in range(_columns(model, parent)):
            index = model.index(row, column, parent)
            if hasattr(view, "isColumnHidden") and view.isColumnHidden(column):
                continue
            if view.visualRect(index).intersects(area):
                yield index


def _columns(model, parent: QModelIndex) -> int:
    try:
        return model.columnCount(parent)
    except TypeError:  # a list model: one column, its count is not public in PySide6
        return 1


def text_contrasts(window: QWidget, name: str) -> list[TextContrast]:
    """Every visible text of a window with its contrast against what is behind it."""
    image = window.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    ratio = image.devicePixelRatio()
    if ratio != 1:
        image = image.scaled(window.size())
    return widget_contrasts(window, image, name) + item_contrasts(window, image, name)


def unreadable(window: QWidget, name: str) -> list[str]:
    return [str(t) for t in text_contrasts(window, name) if t.ratio < MINIMUM]
