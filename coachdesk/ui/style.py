"""The application's look: quiet, readable, with clear section titles, in light and dark.

Text and backgrounds come from the palette the system gives (which follows its light or dark
colour scheme). The few colours of our own (warnings, overdue, the current look-for) come in a
light and a dark version, each at least 4.5:1 against the backgrounds it is drawn on; which
one is used follows the palette, so the two never mix. Font sizes are multiples of the
application font, so a coach's larger system font makes everything larger.

`apply_style(app)` sets the style sheet and keeps it current when the colour scheme, the
palette or the application font changes. Widgets name their role (`setObjectName("subtle")`,
`set_role(widget, "error")`) rather than carry colours; painted widgets and table models ask
`colour("danger")` when they paint, so they follow a scheme change too.
"""

from __future__ import annotations

import logging

import shiboken6
from PySide6.QtCore import QEvent, QObject, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFontInfo, QGuiApplication, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QPlainTextEdit,
    QProxyStyle,
    QPushButton,
    QStyle,
    QStyleOption,
    QTextEdit,
    QWidget,
)

logger = logging.getLogger(__name__)

# name: (light, dark). Text colours are checked against white/#efefef (light) and
# #1e1e1e/#353535 (dark) backgrounds, the palettes Qt's styles use.
COLOURS: dict[str, tuple[str, str]] = {
    "subtle": ("#555b63", "#b4bcc6"),  # secondary text: dates, counts, hints
    "danger": ("#b3261e", "#ff9c92"),  # overdue, errors, missing
    "warning": ("#7a4f00", "#f2c45a"),  # due today, no data yet
    "success": ("#1b6f35", "#74d391"),  # met, on track
    "accent": ("#1f5fa8", "#93bdf5"),  # this week, the current line
    "border": ("#c4c9cf", "#5a6068"),
    "gridline": ("#e3e6ea", "#3d4248"),
    "nav_selected_bg": ("#dbe6f4", "#2b4a6e"),
    "nav_selected_fg": ("#0b3d75", "#eef5ff"),
    "current_bg": ("#eff6fc", "#1b3550"),  # the look-for being rated; a question's help
    "current_border": ("#0a66c2", "#6cb4ff"),
    "panel_bg": ("#f5f4f2", "#2c2c2e"),  # the running tally, repeat rows
    "panel_border": ("#dad7d3", "#4b4b50"),
    "note_bg": ("#fff4ce", "#3d3310"),  # read-only banner, privacy notes, conflicts badge
    "note_fg": ("#3b2f00", "#ffe8a3"),
    "note_border": ("#d9b84e", "#8a7325"),
    "badge_bg": ("#edebe9", "#3a3a3d"),
    "badge_fg": ("#3b3a39", "#e8e6e3"),
    "checked_bg": ("#0a66c2", "#6cb4ff"),  # a chosen rating button
    "checked_fg": ("#ffffff", "#0b1a2a"),
    "danger_bg": ("#fde7e4", "#4a1f1c"),  # an overdue day on the calendar
    "accent_bg": ("#e3eefb", "#1d3049"),
    "chart_line": ("#1f5fa8", "#93bdf5"),
    "chart_frame": ("#c9cdd2", "#5a6068"),
    "chart_target": ("#6b6f75", "#a4a9b0"),
    # The outline of fields, combo and spin boxes, check boxes and radio buttons (Fusion's own
    # is 2.0:1 in light, 1.24:1 in dark); ReadableControls draws it, 3:1 on window and field.
    "control_border": ("#808080", "#8a8a8a"),
    "status_fg": ("#ffffff", "#1e1e1e"),  # a letter on a success or danger fill
}

# Font sizes as multiples of the application font.
TITLE_SCALE = 1.6
SECTION_SCALE = 1.25
NAV_SCALE = 1.15
SMALL_SCALE = 0.9
FINGERPRINT_SCALE = 1.4


def is_dark(palette: QPalette | None = None) -> bool:
    """True when the palette in use draws light text on a dark window (a dark scheme)."""
    palette = palette or QGuiApplication.palette()
    window = palette.color(QPalette.ColorRole.Window)
    text = palette.color(QPalette.ColorRole.WindowText)
    return window.lightnessF() < text.lightnessF()


def colour(name: str, *, dark: bool | None = None) -> QColor:
    """One of our named colours, in the version for the current scheme."""
    light_value, dark_value = COLOURS[name]
    return QColor(dark_value if (is_dark() if dark is None else dark) else light_value)


def hex_colour(name: str) -> str:
    """`colour(name)` as #rrggbb, for style sheets and rich text."""
    return colour(name).name()


def set_role(widget: QWidget, role: str) -> None:
    """Give a widget a styled role (see ROLE rules in the style sheet), restyling it now."""
    widget.setProperty("role", role)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def base_point_size(app: QGuiApplication | None = None) -> float:
    """The application font's size in points, whether it was set in points or pixels."""
    app = app or QGuiApplication.instance()
    return QFontInfo(app.font()).pointSizeF() or 9.0


def style_sheet(*, dark: bool, base_pt: float) -> str:
    """The application style sheet for a scheme and a base font size."""
    c = {name: pair[1 if dark else 0] for name, pair in COLOURS.items()}

    def pt(scale: float) -> str:
        return f"{base_pt * scale:.1f}pt"

    # Cards are the fields' colour in light; in dark a shade lighter, so fields stand out.
    card = "palette(alternate-base)" if dark else "palette(base)"

    return f"""
QLabel#areaTitle {{ font-size: {pt(TITLE_SCALE)}; font-weight: 600; }}
QLabel#sectionTitle {{ font-size: {pt(SECTION_SCALE)}; font-weight: 600; padding-bottom: 4px; }}
QLabel#subtle, QLabel[role="subtle"] {{ color: {c["subtle"]}; }}
QLabel#errorText {{ color: {c["danger"]}; font-weight: 600; }}
QLabel[role="error"] {{ color: {c["danger"]}; }}
QLabel[tone="success"] {{ color: {c["success"]}; font-weight: bold; }}
QLabel[tone="danger"] {{ color: {c["danger"]}; font-weight: bold; }}
QLabel[tone="warning"] {{ color: {c["warning"]}; font-weight: bold; }}
QLabel[tone="subtle"] {{ color: {c["subtle"]}; font-weight: bold; }}
QLabel#fingerprint {{ font-family: monospace; font-size: {pt(FINGERPRINT_SCALE)}; }}
QFrame#card {{
    border: 1px solid {c["border"]}; border-radius: 6px; background: {card}; padding: 6px;
}}
QListWidget#nav {{ font-size: {pt(NAV_SCALE)}; border: none; background: palette(window); }}
QListWidget#nav::item {{ padding: 8px 10px; }}
QListWidget#nav::item:selected {{
    background: {c["nav_selected_bg"]}; color: {c["nav_selected_fg"]}; border-radius: 4px;
}}
QTableView {{ gridline-color: {c["gridline"]}; }}
QHeaderView::section {{ padding: 4px 6px; font-weight: 600; }}
QPushButton[role="choice"]:checked {{
    background: {c["checked_bg"]}; color: {c["checked_fg"]}; font-weight: bold;
    border: 1px solid {c["current_border"]}; border-radius: 3px; padding: 4px 8px;
}}
QFrame#lookFor {{
    border: 1px solid {c["panel_border"]}; border-radius: 4px; background: {card};
}}
QFrame#lookFor[current="true"] {{
    border: 2px solid {c["current_border"]}; background: {c["current_bg"]};
}}
QFrame#lookFor QLabel {{ color: palette(text); }}
QLabel[role="tally"] {{
    background: {c["panel_bg"]}; color: palette(text); border: 1px solid {c["panel_border"]};
    padding: 10px;
}}
QLabel[role="help"] {{
    background: {c["current_bg"]}; color: palette(text);
    border-left: 3px solid {c["current_border"]}; padding: 6px 10px;
}}
QLabel[role="note"], QLabel[role="banner"] {{
    background: {c["note_bg"]}; color: {c["note_fg"]}; border: 1px solid {c["note_border"]};
    border-radius: 4px; padding: 8px;
}}
QLabel[role="note"] {{ padding: 3px 6px; border-radius: 3px; }}
QPushButton[role="note"] {{
    background: {c["note_bg"]}; color: {c["note_fg"]}; border: 1px solid {c["note_border"]};
    border-radius: 3px; padding: 3px 8px;
}}
QLabel[role="badge"] {{
    color: {c["badge_fg"]}; background: {c["badge_bg"]}; border: 1px solid {c["panel_border"]};
    border-radius: 8px; padding: 1px 8px; font-size: {pt(SMALL_SCALE)};
}}
QFrame#repeatRow {{
    border: 1px solid {c["panel_border"]}; border-radius: 4px; background: {c["panel_bg"]};
}}
QTreeWidget#searchResults::item:selected {{
    background: {c["nav_selected_bg"]}; color: {c["nav_selected_fg"]};
}}
"""


class _StyleKeeper(QWidget):
    """An invisible widget that hears palette, font and colour-scheme changes and restyles."""

    def __init__(self, app: QApplication) -> None:
        super().__init__()
        self.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        self.app = app
        self._pending = False
        self._scheme_changed = False
        self.stopped = False  # stop_following: a refresh still queued does nothing
        hints = app.styleHints()
        if hasattr(hints, "colorSchemeChanged"):  # Qt >= 6.5
            hints.colorSchemeChanged.connect(lambda _scheme: self.schedule(scheme_changed=True))

    def event(self, event: QEvent) -> bool:  # noqa: D102 - Qt override
        if event.type() in (
            QEvent.Type.ApplicationPaletteChange,
            QEvent.Type.ApplicationFontChange,
        ):
            self.schedule()
        return super().event(event)

    def schedule(self, *, scheme_changed: bool = False) -> None:
        # After the event: the new palette is in place once the platform has finished.
        self._scheme_changed |= scheme_changed
        if not self._pending:
            self._pending = True
            QTimer.singleShot(0, self, self.refresh)

    def refresh(self) -> None:
        self._pending = False
        if self.stopped:
            return
        scheme_changed, self._scheme_changed = self._scheme_changed, False
        refresh_style(self.app, scheme_changed=scheme_changed)


_keeper: _StyleKeeper | None = None
_adjusted_mask: int | None = None  # the resolve mask of the palette readable_palette set
_given_palette: QPalette | None = None  # the palette as it was before readable_palette


def _ratio(a: QColor, b: QColor) -> float:
    def lum(c: QColor) -> float:
        def ch(v: float) -> float:
            return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

        return 0.2126 * ch(c.redF()) + 0.7152 * ch(c.greenF()) + 0.0722 * ch(c.blueF())

    high, low = sorted((lum(a), lum(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _towards(colour: QColor, against: QColor, *, minimum: float = 4.6) -> QColor:
    """`colour` moved away from `against` (darker on light, lighter on dark) until readable."""
    result = QColor(colour)
    darker = against.lightnessF() > 0.5
    for _step in range(40):
        if _ratio(result, against) >= minimum:
            break
        result = result.darker(106) if darker else result.lighter(106)
        if not darker and result.lightness() >= 250:
            result = QColor("#ffffff")
    return result


# Text roles of the palette with the backgrounds they are drawn on, in each colour group. The
# disabled group's texts are held to the same 4.5:1: a greyed button must still say what it is.
TEXT_ROLES: tuple[tuple[QPalette.ColorRole, tuple[QPalette.ColorRole, ...]], ...] = (
    (QPalette.ColorRole.WindowText, (QPalette.ColorRole.Window,)),
    (QPalette.ColorRole.Text, (QPalette.ColorRole.Base, QPalette.ColorRole.AlternateBase)),
    (QPalette.ColorRole.ButtonText, (QPalette.ColorRole.Button,)),
    (QPalette.ColorRole.PlaceholderText, (QPalette.ColorRole.Base,)),
    (QPalette.ColorRole.Link, (QPalette.ColorRole.Window, QPalette.ColorRole.Base)),
    (QPalette.ColorRole.LinkVisited, (QPalette.ColorRole.Window, QPalette.ColorRole.Base)),
    (QPalette.ColorRole.ToolTipText, (QPalette.ColorRole.ToolTipBase,)),
)
GROUPS = (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive, QPalette.ColorGroup.Disabled)


def flat_colour(colour: QColor, behind: QColor) -> QColor:
    """A colour as drawn over `behind` (a see-through placeholder blended with its field)."""
    if colour.alpha() == 255:
        return QColor(colour)
    a = colour.alphaF()
    return QColor.fromRgbF(
        colour.redF() * a + behind.redF() * (1 - a),
        colour.greenF() * a + behind.greenF() * (1 - a),
        colour.blueF() * a + behind.blueF() * (1 - a),
    )


def readable_palette(palette: QPalette) -> QPalette | None:
    """The palette with every text readable on its backgrounds, or None if it has that already.

    Some styles' selection (Fusion's #308cc6 under white text, 3.7:1), grey placeholder text
    (about 4:1), disabled text (Fusion's #bebebe on #efefef, 1.6:1) and visited links (#ff00ff,
    3.1:1) fall short of 4.5:1; this darkens (or, in a dark scheme, lightens) just them.
    """
    fixed = QPalette(palette)
    changed = False
    for group in GROUPS:
        if group != QPalette.ColorGroup.Disabled:
            text = palette.color(group, QPalette.ColorRole.HighlightedText)
            highlight = palette.color(group, QPalette.ColorRole.Highlight)
            if _ratio(text, highlight) < 4.5:
                # With room to spare: some styles draw the selection a shade lighter than this.
                fixed.setColor(
                    group, QPalette.ColorRole.Highlight, _towards(highlight, text, minimum=5.5)
                )
                changed = True
        for role, backgrounds in TEXT_ROLES:
            for background in backgrounds:
                behind = fixed.color(group, background)
                shown = flat_colour(fixed.color(group, role), behind)
                if _ratio(shown, behind) < 4.5:
                    fixed.setColor(group, role, _towards(shown, behind))
                    changed = True
    return fixed if changed else None


# Against what a control's outline is drawn: the window, and the field's own colour inside.
CONTROL_MINIMUM = 3.2  # WCAG 1.4.11 asks 3:1; a little more, as anti-aliased corners blend


def _away(colour: QColor, backgrounds: list[QColor], minimum: float) -> QColor:
    """`colour` moved away from all `backgrounds` (darker on light ones) until `minimum`."""
    result = QColor(colour)
    darker = backgrounds[0].lightnessF() > 0.5
    for _step in range(60):
        if min(_ratio(result, b) for b in backgrounds) >= minimum:
            break
        result = result.darker(106) if darker else result.lighter(106)
        if not darker and result.value() >= 250:
            # lighter() stops at white's value: lift the other channels too.
            result = QColor.fromRgbF(*(min(1.0, v + 0.04) for v in result.getRgbF()[:3]))
    return result


_control_cache: dict[tuple[int, ...], tuple[QColor, QColor]] = {}


def control_colours(palette: QPalette) -> tuple[QColor, QColor]:
    """The border and the focus frame of a field or box drawn with this palette.

    The border starts from our "control_border" role and the focus frame from the palette's
    selection colour (the system's accent); each is moved until it is 3:1 against the window,
    the field and a card, so another system palette gets readable outlines too.
    """
    roles = (QPalette.ColorRole.Window, QPalette.ColorRole.Base, QPalette.ColorRole.AlternateBase)
    backgrounds = [palette.color(QPalette.ColorGroup.Active, role) for role in roles]
    highlight = palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.Highlight)
    key = (*(c.rgba() for c in backgrounds), highlight.rgba())
    found = _control_cache.get(key)
    if found is None:
        dark = is_dark(palette)
        border = _away(colour("control_border", dark=dark), backgrounds, CONTROL_MINIMUM)
        focus = _away(highlight, backgrounds, CONTROL_MINIMUM + 0.3)
        found = _control_cache[key] = (border, focus)
    return found


class ReadableControls(QProxyStyle):
    """Fusion, with the outline of fields, boxes and focused controls drawn readable.

    Fusion outlines fields, combo and spin boxes, check boxes and radio buttons in the window's
    colour a little darker (#ababab on #efefef, 2.0:1; in dark #262626 on #353535, 1.24:1, so
    a dark field or check box is hardly there), and a text edit shows no focus at all. This
    lets Fusion draw everything, then draws the same outline again in `control_colours`; a
    focused field gets a frame two pixels wide, so focus is told by more than a colour. Sizes,
    fills and the rest of the look stay Fusion's.
    """

    def __init__(self) -> None:
        super().__init__("Fusion")

    def drawPrimitive(self, element, option, painter, widget=None) -> None:  # noqa: N802
        super().drawPrimitive(element, option, painter, widget)
        _draw_outline(element, option, painter, widget)

    def drawComplexControl(self, control, option, painter, widget=None) -> None:  # noqa: N802
        super().drawComplexControl(control, option, painter, widget)
        spin = QStyle.ComplexControl.CC_SpinBox
        if control == spin and option.frame and option.state & QStyle.StateFlag.State_Enabled:
            # Fusion draws a spin box's (and a date field's) frame itself, one pixel in.
            border, focus = control_colours(option.palette)
            focused = bool(option.state & QStyle.StateFlag.State_HasFocus)
            rect = QRectF(option.rect).adjusted(0, 1, -1, -2)
            _outline(painter, rect, focus if focused else border, 2.0)
            if focused:
                _outline(painter, rect.adjusted(1, 1, -1, -1), focus, 1.7)


def _draw_outline(
    element: QStyle.PrimitiveElement, option: QStyleOption, painter: QPainter, widget
) -> None:
    pe, state = QStyle.PrimitiveElement, option.state
    if not state & QStyle.StateFlag.State_Enabled:
        return  # WCAG leaves out disabled controls; Fusion greys them
    focused = bool(state & QStyle.StateFlag.State_HasFocus)
    by_keys = focused and bool(state & QStyle.StateFlag.State_KeyboardFocusChange)
    border, focus = control_colours(option.palette)
    rect = QRectF(option.rect)
    if element == pe.PE_FrameLineEdit:  # line edits, editable combo boxes, spin boxes, dates
        _outline(painter, rect.adjusted(0, 0, -1, -1), focus if focused else border, 2.0)
        if focused:
            _outline(painter, rect.adjusted(1, 1, -2, -2), focus, 1.7)
    elif element == pe.PE_Frame and isinstance(widget, QTextEdit | QPlainTextEdit):
        shown_focus = widget.hasFocus()
        _outline(painter, rect.adjusted(0, 0, -1, -1), focus if shown_focus else border, 0)
        if shown_focus:
            _outline(painter, rect.adjusted(1, 1, -2, -2), focus, 0)
    elif element == pe.PE_IndicatorCheckBox:
        _outline(painter, rect.adjusted(0, 0, -1, -1), focus if by_keys else border, 0)
    elif element == pe.PE_IndicatorRadioButton:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(QPen(focus if by_keys else border, 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        radius = (rect.width() + (int(rect.width()) + 1) % 2) / 2.0 - 1
        painter.drawEllipse(rect.center(), radius, radius)
        painter.restore()
    elif element == pe.PE_PanelButtonCommand:
        # A combo box that is not editable is drawn as a button: its border is a field's. A
        # push button keeps Fusion's border (its text says what it is) but shows focus.
        if isinstance(widget, QComboBox) or (by_keys and isinstance(widget, QPushButton)):
            _outline(painter, rect.adjusted(0, 0, -1, -1), focus if by_keys else border, 2.0)


def _outline(painter: QPainter, rect: QRectF, colour: QColor, radius: float) -> None:
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.translate(0.5, 0.5)
    painter.setPen(QPen(colour, 1))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    if radius:
        painter.drawRoundedRect(rect, radius, radius)
    else:
        painter.drawRect(rect)
    painter.restore()


_readable_controls: ReadableControls | None = None


def use_readable_controls(app: QApplication) -> bool:
    """Put ReadableControls under the application when it uses Fusion; True if it does now.

    Other styles (Windows, macOS) draw their own controls and are left alone."""
    global _readable_controls
    if _readable_controls is not None and shiboken6.isValid(_readable_controls):
        return True
    sheet = app.styleSheet()
    if sheet:  # a style sheet hides the style under it: look with the sheet off
        app.setStyleSheet("")
    is_fusion = app.style().name().lower() == "fusion"
    if is_fusion:
        _readable_controls = ReadableControls()
        app.setStyle(_readable_controls)
    if sheet:
        app.setStyleSheet(sheet)
    return is_fusion


def refresh_style(app: QApplication | None = None, *, scheme_changed: bool = False) -> bool:
    """Set the style sheet for the current palette and font; True if it changed."""
    global _adjusted_mask, _given_palette
    app = app or QApplication.instance()
    if scheme_changed and _adjusted_mask is not None:
        if app.palette().resolveMask() == _adjusted_mask:
            # Only our own adjustments are set: drop them, so the new scheme's colours come
            # through (and are adjusted again if they need it).
            given = _given_palette
            app.setPalette(given if given is not None and given.resolveMask() else QPalette())
        _adjusted_mask = None
    fixed = readable_palette(app.palette())
    if fixed is not None:
        _given_palette = QPalette(app.palette())
        app.setPalette(fixed)
        _adjusted_mask = app.palette().resolveMask()
    sheet = style_sheet(dark=is_dark(app.palette()), base_pt=base_point_size(app))
    if app.styleSheet() == sheet:
        return False
    logger.debug("style sheet for a %s scheme", "dark" if is_dark(app.palette()) else "light")
    app.setStyleSheet(sheet)
    for widget in app.allWidgets():  # painted widgets and models read colour() again
        widget.update()
    dark = is_dark(app.palette())
    if _scheme.shown_dark is not None and _scheme.shown_dark != dark:
        _scheme.changed.emit()  # texts that name a colour of ours are written again
    _scheme.shown_dark = dark
    return True


class _Scheme(QObject):
    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.shown_dark: bool | None = None


_scheme = _Scheme()


def on_scheme_change(slot) -> None:
    """Call `slot` (a widget's method) after a switch between the light and dark scheme.

    For texts written with a colour in them (rich text, item brushes, calendar marks): they
    are written again in the new scheme's colours. Disconnected when the widget goes.
    """
    _scheme.changed.connect(slot)


def apply_style(app: QApplication) -> None:
    """Style the application now and whenever the scheme, palette or font changes."""
    global _keeper
    use_readable_controls(app)
    refresh_style(app)
    if _keeper is None:
        _keeper = _StyleKeeper(app)


def stop_following() -> None:
    """Stop restyling on scheme, palette and font changes (the style sheet stays as it is)."""
    global _keeper
    if _keeper is not None:
        _keeper.stopped = True
        _keeper.deleteLater()
        _keeper = None
