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


# --- The outline of fields and boxes (WCAG 1.4.11: 3:1), measured on the rendered pixels.

BORDER_MINIMUM = 3.0


def control_frame(widget: QWidget, window: QWidget) -> QRect:
    """Where a control's outline is drawn, in the window: a check box's or radio button's is
    its indicator's, a field's its own edge."""
    from PySide6.QtWidgets import QCheckBox, QRadioButton, QStyle, QStyleOptionButton

    rect = widget.rect()
    if isinstance(widget, QCheckBox | QRadioButton):
        option = QStyleOptionButton()
        widget.initStyleOption(option)
        element = (
            QStyle.SubElement.SE_CheckBoxIndicator
            if isinstance(widget, QCheckBox)
            else QStyle.SubElement.SE_RadioButtonIndicator
        )
        rect = widget.style().subElementRect(element, option, widget)
    return QRect(widget.mapTo(window, rect.topLeft()), rect.size())


@dataclass(frozen=True)
class FrameSeen:
    """The outline at the middle of one side: its colour, the window outside, the inside."""

    side: str
    frame: QColor
    outside: QColor
    inside: QColor

    def against_outside(self) -> float:
        return contrast(self.frame, self.outside)

    def against_inside(self) -> float:
        return contrast(self.frame, self.inside)


def frame_seen(image: QImage, rect: QRect) -> list[FrameSeen]:
    """The outline on the left, top and bottom of `rect` (the right of a combo or spin box is
    its arrow button), read across each edge from two pixels outside to two inside: the pixel
    standing out most from both the window outside and the control's inside (the colour
    covering most of it) is the outline."""
    inside = background_under(image, rect.adjusted(3, 3, -3, -3))
    if inside is None:
        return []
    mid_x, mid_y = rect.center().x(), rect.center().y()
    crossings = {
        "left": [(x, mid_y) for x in range(rect.left() - 2, rect.left() + 3)],
        "top": [(mid_x, y) for y in range(rect.top() - 2, rect.top() + 3)],
        "bottom": [(mid_x, y) for y in range(rect.bottom() + 2, rect.bottom() - 3, -1)],
    }
    seen = []
    for side, points in crossings.items():
        if not all(image.rect().contains(x, y) for x, y in points):
            continue
        colours = [_colour(image.pixel(x, y) & 0xFFFFFF) for x, y in points]
        outside = colours[0]
        frame = max(colours[1:], key=lambda c: min(contrast(c, outside), contrast(c, inside)))
        seen.append(FrameSeen(side, frame, outside, inside))
    return seen


def framed_controls(window: QWidget):
    from PySide6.QtWidgets import QAbstractSpinBox, QCheckBox, QRadioButton

    kinds = (QLineEdit, QTextEdit, QPlainTextEdit, QComboBox, QAbstractSpinBox)
    for widget in window.findChildren(QWidget):
        if widget.window() is not window or not widget.isVisibleTo(window):
            continue
        if not widget.isEnabled() or widget.visibleRegion().isEmpty():
            continue
        if isinstance(widget, QCheckBox | QRadioButton):
            yield widget, False  # against the window and the box's inside
        elif isinstance(widget, kinds):
            if isinstance(widget, QLineEdit) and (
                not widget.hasFrame() or isinstance(widget.parent(), QComboBox | QAbstractSpinBox)
            ):
                continue  # a table's cell editor, or the field inside a combo or spin box
            if isinstance(widget, QTextEdit | QPlainTextEdit) and (
                widget.frameShape() == widget.Shape.NoFrame or widget.isReadOnly()
            ):
                continue  # text shown, not typed: no field to find
            # A combo box that is not editable is a button: its face may be the window's tone.
            yield widget, isinstance(widget, QComboBox) and not widget.isEditable()


def frame_problems(window: QWidget, name: str) -> list[str]:
    """Every visible field and box whose outline is under 3:1 against the window outside it
    or the field inside it."""
    image = window.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    # Read on the screen's own pixels: at 1.5x a line between two of them is what a coach sees.
    ratio = image.devicePixelRatio()
    problems = []
    for widget, face_is_a_button in framed_controls(window):
        shown = widget.visibleRegion().boundingRect()
        if shown.size() != widget.size():
            continue  # partly scrolled out of view: its edges are not on screen
        frame = control_frame(widget, window)
        if ratio != 1:
            frame = QRect(
                round(frame.x() * ratio),
                round(frame.y() * ratio),
                round(frame.width() * ratio),
                round(frame.height() * ratio),
            )
        for seen in frame_seen(image, frame):
            low = seen.against_outside() < BORDER_MINIMUM or (
                not face_is_a_button and seen.against_inside() < BORDER_MINIMUM
            )
            if low:
                label = widget.accessibleName() or widget.objectName() or type(widget).__name__
                problems.append(
                    f"{name}: {type(widget).__name__} {label[:40]!r} {seen.side} outline "
                    f"{seen.frame.name()} is {seen.against_outside():.2f}:1 on "
                    f"{seen.outside.name()} and {seen.against_inside():.2f}:1 on "
                    f"{seen.inside.name()}"
                )
                break
    return problems
