"""Every text is readable (WCAG 2.1 contrast at least 4.5:1) in the light and the dark scheme.

The tour of every area and dialog runs in a child process with a light palette (the offscreen
platform's) or a dark one, and measures the contrast of each visible text on the pixels the
window really paints (tests/ui/contrast.py).
"""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QCoreApplication, QRect, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from coachdesk.ui import style
from tests.ui.contrast import MINIMUM, contrast
from tests.ui.palettes import dark_palette
from tests.ui.probe_runs import EXPECTED, run_probe

R = QPalette.ColorRole
G = QPalette.ColorGroup


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_text_in_every_area_and_dialog_is_readable(demo_template, tmp_path, scheme):
    flags = ["--contrast"] + (["--dark"] if scheme == "dark" else [])
    report = run_probe(demo_template, tmp_path, 1366, 768, *flags)
    assert EXPECTED <= set(report["looked_at"])
    assert report["texts_measured"] > 500  # labels, fields, buttons and table cells
    # The outline of each field, combo and spin box, check box and radio button (3:1).
    assert report["frames_measured"] > 80
    assert report["problems"] == []


def test_outlines_stay_readable_at_one_and_a_half_times_in_dark(demo_template, tmp_path):
    """At 150% system scaling a one-pixel outline can fall between two of the screen's pixels;
    measured on the screen's own pixels, each field's and box's outline is still 3:1."""
    report = run_probe(demo_template, tmp_path, 1366, 768, "--contrast", "--dark", scale=1.5)
    assert report["frames_measured"] > 80
    assert report["problems"] == []


def test_the_contrast_measure_matches_wcag():
    assert contrast(QColor("#000000"), QColor("#ffffff")) == pytest.approx(21.0)
    assert contrast(QColor("#767676"), QColor("#ffffff")) == pytest.approx(4.54, abs=0.01)
    assert contrast(QColor("#777777"), QColor("#ffffff")) < MINIMUM


# Each text colour of ours with the backgrounds it is drawn on, in both schemes: "window",
# "base" and "card" (a card is the fields' colour in light, alternate-base in dark), or one of
# ours; "text" is the palette's text colour, which the tally, the help and the look-fors use.
TEXT_ON = {
    "subtle": ("window", "base", "card"),
    "danger": ("window", "base", "card", "danger_bg"),
    "warning": ("window", "base", "card"),
    "success": ("window", "base", "card"),
    "accent": ("window", "base", "card", "accent_bg"),
    "note_fg": ("note_bg",),
    "badge_fg": ("badge_bg",),
    "nav_selected_fg": ("nav_selected_bg",),
    "checked_fg": ("checked_bg",),
    "text": ("panel_bg", "current_bg", "note_bg"),
    "status_fg": ("success", "danger"),  # the spark chart's Y and N on their squares
}
# What is not text but must be seen, at 3:1 (WCAG 1.4.11): the current look-for's frame, a
# chosen rating's face, the chart's lines and its status-coloured dots. Card borders, grid
# lines and panel edges are decoration (a card is not a control) and are left out.
GRAPHIC_ON = {
    "current_border": ("current_bg", "card"),
    "checked_bg": ("card", "window"),
    "chart_line": ("card",),
    "chart_target": ("card",),
    "success": ("card",),
    "danger": ("card",),
    "warning": ("card",),
    "subtle": ("card",),
    "control_border": ("window", "base", "card"),  # as drawn, measured further down
}
GRAPHIC_MINIMUM = 3.0


def _palettes() -> dict[str, QPalette]:
    """The light palette (the offscreen platform's Fusion) and the dark one, as apply_style
    leaves them."""
    found = {}
    for scheme, palette in (
        ("light", QPalette(QApplication.instance().palette())),
        ("dark", dark_palette()),
    ):
        found[scheme] = style.readable_palette(palette) or palette
    return found


def _behind(name: str, palette: QPalette, dark: bool) -> QColor:
    roles = {"window": R.Window, "base": R.Base, "text": R.Text}
    if name == "card":
        return palette.color(R.AlternateBase if dark else R.Base)
    if name in roles:
        return palette.color(roles[name])
    return style.colour(name, dark=dark)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_each_colour_of_ours_is_readable_on_what_it_is_drawn_on(qapp, scheme):
    dark = scheme == "dark"
    palette = _palettes()[scheme]
    low = []
    for pairs, minimum in ((TEXT_ON, MINIMUM), (GRAPHIC_ON, GRAPHIC_MINIMUM)):
        for name, backgrounds in pairs.items():
            for background in backgrounds:
                ratio = contrast(_behind(name, palette, dark), _behind(background, palette, dark))
                if ratio < minimum:
                    low.append(f"{name} on {background} ({scheme}): {ratio:.2f}")
    assert low == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_text_of_the_palette_is_readable_enabled_and_disabled(qapp, scheme):
    """Window, field and button text, placeholders, links visited or not, tooltips, in the
    active, inactive and disabled groups; the selection's text on the selection."""
    palette = _palettes()[scheme]
    low = []
    for group in style.GROUPS:
        for role, backgrounds in style.TEXT_ROLES:
            for background in backgrounds:
                behind = palette.color(group, background)
                shown = style.flat_colour(palette.color(group, role), behind)
                if contrast(shown, behind) < MINIMUM:
                    low.append(f"{group.name} {role.name} on {background.name}")
        if group != G.Disabled:
            selected = contrast(
                palette.color(group, R.HighlightedText), palette.color(group, R.Highlight)
            )
            if selected < MINIMUM:
                low.append(f"{group.name} selection text: {selected:.2f}")
    # The focus frame a field draws in the selection's colour, against the field.
    if contrast(palette.color(R.Highlight), palette.color(R.Base)) < GRAPHIC_MINIMUM:
        low.append("the focus frame on a field")
    assert low == []


def test_the_fusion_palette_needed_these_adjustments(qapp):
    """Without readable_palette the light palette's disabled text (1.6:1), visited links (3.1:1)
    and selection (3.5:1) would fall short; it fixes each and leaves the rest alone."""
    before = QPalette(QApplication.instance().palette())
    before.setColor(G.Disabled, R.ButtonText, QColor("#bebebe"))
    before.setColor(G.Disabled, R.Button, QColor("#efefef"))
    before.setColor(R.LinkVisited, QColor("#ff00ff"))
    before.setColor(R.Highlight, QColor("#308cc6"))
    before.setColor(R.HighlightedText, QColor("#ffffff"))
    after = style.readable_palette(before)
    assert after is not None
    assert contrast(after.color(G.Disabled, R.ButtonText), after.color(G.Disabled, R.Button)) >= 4.5
    assert contrast(after.color(R.LinkVisited), after.color(R.Base)) >= 4.5
    assert contrast(after.color(R.HighlightedText), after.color(R.Highlight)) >= 4.5
    # The disabled text stays greyer than the enabled text: a coach still tells them apart.
    assert contrast(after.color(G.Disabled, R.ButtonText), after.color(R.Button)) < contrast(
        after.color(R.ButtonText), after.color(R.Button)
    )
    assert after.color(R.Text) == before.color(R.Text)


def test_a_palette_change_to_dark_restyles_the_application(qtbot):
    app = QApplication.instance()
    before_palette, before_sheet = app.palette(), app.styleSheet()
    try:
        style.apply_style(app)
        assert style.COLOURS["danger"][0] in app.styleSheet()
        app.setPalette(dark_palette())  # what the platform does when the scheme turns dark
        qtbot.waitUntil(lambda: style.COLOURS["danger"][1] in app.styleSheet())
        assert style.is_dark() and style.colour("danger").name() == style.COLOURS["danger"][1]
        # The scheme's own signal restyles too (after the palette has settled).
        app.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
        QCoreApplication.processEvents()
        assert style.COLOURS["subtle"][1] in app.styleSheet()
    finally:
        style.stop_following()  # the other tests see the application as they found it
        QCoreApplication.processEvents()
        app.setPalette(before_palette)
        app.setStyleSheet(before_sheet)
        QCoreApplication.processEvents()
    assert app.styleSheet() == before_sheet


def test_a_selection_too_light_for_its_text_is_darkened():
    palette = QApplication.instance().palette()
    palette.setColor(palette.ColorRole.Highlight, QColor("#308cc6"))  # Fusion's: 3.7:1
    palette.setColor(palette.ColorRole.HighlightedText, QColor("#ffffff"))
    fixed = style.readable_palette(palette)
    assert fixed is not None
    ratio = contrast(
        fixed.color(fixed.ColorRole.HighlightedText), fixed.color(fixed.ColorRole.Highlight)
    )
    assert ratio >= MINIMUM
    assert style.readable_palette(fixed) is None  # once readable, left alone


def test_switching_to_dark_with_the_window_open_keeps_every_text_readable(qtbot, demo):
    """The system turns dark at sunset: pages already on screen rewrite their coloured texts."""
    from coachdesk.ui.main_window import MainWindow
    from tests.ui.contrast import text_contrasts
    from tests.ui.tour import _visit_with_follow_up, settle

    app = QApplication.instance()
    before_palette, before_sheet = app.palette(), app.styleSheet()
    try:
        style.apply_style(app)
        window = MainWindow(demo)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        window.show_area("today")
        settle()
        window.show_area("caseload")
        window.caseload.open_visit(_visit_with_follow_up(demo))
        settle()
        overdue = style.COLOURS["danger"]
        labels = window.caseload.visit_page.follow_up.findChildren(QLabel)
        assert any(overdue[0] in label.text() for label in labels)  # light: the light red

        app.setPalette(dark_palette())
        qtbot.waitUntil(lambda: style.COLOURS["subtle"][1] in app.styleSheet())
        settle()
        labels = window.caseload.visit_page.follow_up.findChildren(QLabel)
        assert any(overdue[1] in label.text() for label in labels)
        assert not any(overdue[0] in label.text() for label in labels if label.isVisible())
        unreadable = [str(t) for t in text_contrasts(window, "visit page") if t.ratio < MINIMUM]
        assert unreadable == []
        window.show_area("today")
        settle()
        unreadable = [str(t) for t in text_contrasts(window, "today") if t.ratio < MINIMUM]
        assert unreadable == []
        window.close()
    finally:
        style.stop_following()
        QCoreApplication.processEvents()
        app.setPalette(before_palette)
        app.setStyleSheet(before_sheet)
        QCoreApplication.processEvents()


def test_no_widget_carries_a_colour_of_its_own():
    """Colours come from the palette or from style.COLOURS, which has a light and a dark one."""
    from pathlib import Path

    ui = Path(style.__file__).parent
    found = []
    for path in ui.rglob("*.py"):
        if path.name == "style.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"#[0-9a-fA-F]{6}\b|QColor\(\s*[\"']|color\s*:\s*[a-z]+\s*[;\"']", line):
                found.append(f"{path.relative_to(ui)}:{number}: {line.strip()}")
    assert found == []


def _control_form():
    from PySide6.QtWidgets import (
        QCheckBox,
        QComboBox,
        QDateEdit,
        QFormLayout,
        QLineEdit,
        QPlainTextEdit,
        QRadioButton,
        QSpinBox,
        QWidget,
    )

    form = QWidget()
    layout = QFormLayout(form)
    choice, typed = QComboBox(), QComboBox()
    choice.addItems(["On-site visit", "Virtual visit"])
    typed.setEditable(True)
    typed.addItems(["Principal"])
    notes = QPlainTextEdit("What the team tried this week")
    notes.setTabChangesFocus(True)
    notes.setFixedHeight(60)
    controls = [
        QLineEdit("Lincoln Park Elementary"),
        QLineEdit(),
        notes,
        choice,
        typed,
        QSpinBox(),
        QDateEdit(),
        QCheckBox("Co-teaching"),
        QRadioButton("In person"),
    ]
    for control in controls:
        layout.addRow(type(control).__name__, control)
    return form, controls


@pytest.fixture
def readable_controls(qapp):
    """The application styled as apply_style leaves it, with the palette a test gives."""
    before_palette = QPalette(qapp.palette())

    def use(palette: QPalette) -> None:
        qapp.setPalette(style.readable_palette(palette) or palette)
        assert style.use_readable_controls(qapp)  # the offscreen platform's style is Fusion

    yield use
    qapp.setPalette(before_palette)
    QCoreApplication.processEvents()


def _frames(form, controls) -> dict[str, list]:
    from PySide6.QtGui import QImage

    from tests.ui.contrast import control_frame, frame_seen

    image = form.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    return {
        type(c).__name__ + str(i): frame_seen(image, control_frame(c, form))
        for i, c in enumerate(controls)
    }


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_fields_and_boxes_have_an_outline_and_a_focus_frame_a_coach_can_see(
    qtbot, readable_controls, scheme
):
    """WCAG 1.4.11: the outline of every field, combo and spin box, check box and radio
    button is 3:1 against the window and the field, read off the rendered pixels; so is the
    focus frame each one shows when Tab reaches it, and the frame changes colour then."""
    from PySide6.QtTest import QTest

    from tests.ui.contrast import BORDER_MINIMUM

    palette = dark_palette() if scheme == "dark" else QPalette(QApplication.instance().palette())
    readable_controls(palette)
    form, controls = _control_form()
    qtbot.addWidget(form)
    form.show()
    form.activateWindow()
    qtbot.waitActive(form)
    controls[-1].setFocus()  # nothing measured has focus yet
    QCoreApplication.processEvents()
    resting = _frames(form, controls[:-1])
    low = [
        f"{name} {seen.side}: {seen.frame.name()} on {seen.outside.name()}/{seen.inside.name()}"
        for name, sides in resting.items()
        for seen in sides
        if seen.against_outside() < BORDER_MINIMUM
        or (not name.startswith("QComboBox3") and seen.against_inside() < BORDER_MINIMUM)
    ]
    assert len([s for sides in resting.values() for s in sides]) >= 24
    assert low == []

    QTest.keyClick(controls[-1], Qt.Key.Key_Tab)  # round to the first field
    assert controls[0].hasFocus() and form.testAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange)
    for index, control in enumerate(controls):
        # Each in turn (Tab would step through a date field's parts first); the window marked
        # as a Tab marks it, so controls show the focus they show to a coach using keys.
        control.setFocus(Qt.FocusReason.TabFocusReason)
        form.setAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange, True)
        qtbot.waitUntil(control.hasFocus, timeout=1000)
        control.update()
        QCoreApplication.processEvents()
        focused = _frames(form, [control])[type(control).__name__ + "0"]
        assert focused, type(control).__name__
        for seen in focused:
            assert seen.against_outside() >= BORDER_MINIMUM, (type(control).__name__, seen)
            if control is not controls[3]:  # a combo box that is not editable is a button
                assert seen.against_inside() >= BORDER_MINIMUM, (type(control).__name__, seen)
        if index < len(controls) - 1:
            shown = {s.side: s.frame.name() for s in focused}
            was = {s.side: s.frame.name() for s in resting[type(control).__name__ + str(index)]}
            assert shown != was, f"{type(control).__name__}: focus does not show"


def test_fusion_alone_outlines_dark_fields_too_faintly_to_see(qtbot):
    """What ReadableControls is for: under plain Fusion a dark field's outline is about 1.2:1,
    and the frame measure says so."""
    from PySide6.QtWidgets import QStyleFactory

    from tests.ui.contrast import BORDER_MINIMUM

    form, controls = _control_form()
    qtbot.addWidget(form)
    fusion = QStyleFactory.create("Fusion")
    for widget in [form, *form.findChildren(QWidget)]:
        widget.setStyle(fusion)
    form.setPalette(dark_palette())
    form.show()
    controls[-1].setFocus()
    QCoreApplication.processEvents()
    seen = _frames(form, controls[:2] + controls[7:8])
    assert all(sides for sides in seen.values())
    assert all(s.against_outside() < BORDER_MINIMUM for sides in seen.values() for s in sides)


def test_each_benchmark_status_has_a_shape_of_its_own(qapp):
    """Met, at risk and no data are told apart without their colours: drawn in one colour,
    the three marks still differ, and the legend shows the same shapes."""
    from PySide6.QtGui import QImage

    from coachdesk.ui.caseload import benchmarks_card as card

    def mask(shape: str) -> bytes:
        image = card.status_mark(shape, QColor("#000000")).pixmap(20, 20).toImage()
        image = image.convertToFormat(QImage.Format.Format_Alpha8)
        return bytes(image.constBits())

    shapes = {card.MARKS[status] for status in ("met", "at risk", "no data")}
    assert len(shapes) == 3
    masks = {shape: mask(shape) for shape in shapes}
    assert len(set(masks.values())) == 3
    assert len({card.LEGEND_GLYPHS[shape] for shape in shapes}) == 3


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_yes_no_squares_of_a_chart_are_seen_and_read_in_both_schemes(qtbot, scheme):
    """A yes/no indicator's squares stand out from the card (3:1) and their letter is read on
    them (4.5:1), measured on the painted chart."""
    import datetime as dt
    from types import SimpleNamespace

    from PySide6.QtGui import QImage

    from coachdesk.ui.caseload.spark_chart import SparkChart

    app = QApplication.instance()
    before = QPalette(app.palette())
    dark = scheme == "dark"
    palette = _palettes()[scheme]
    app.setPalette(palette)
    try:
        day = dt.date(2026, 10, 1)
        measured = [
            SimpleNamespace(value=v, as_of=day, suppressed=False, shown=lambda v=v: v)
            for v in ("yes", "no")
        ]
        view = SimpleNamespace(
            code="B1", value_type="boolean", measurements=measured, target_set={"yes"}
        )
        chart = SparkChart(view, dt.date(2026, 8, 1))
        qtbot.addWidget(chart)
        card = _behind("card", palette, dark)
        chart.setAutoFillBackground(True)
        chart_palette = chart.palette()
        chart_palette.setColor(R.Window, card)
        chart.setPalette(chart_palette)
        image = chart.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
        from tests.ui.contrast import background_under, standout_colour

        size = min(chart.height() - 16, 16)
        top = round(chart.height() / 2 - size / 2)
        for i, fill_name in enumerate(("success", "danger")):
            left = round(8 + i * (size + 3))
            square = QRect(left, top, size, size)
            fill = background_under(image, square)
            letter = standout_colour(image, square.adjusted(2, 2, -2, -2), fill)
            assert fill.name() == style.colour(fill_name, dark=dark).name()
            assert contrast(fill, card) >= GRAPHIC_MINIMUM, (fill_name, fill.name())
            assert contrast(letter, fill) >= MINIMUM, (fill_name, letter.name())
    finally:
        app.setPalette(before)
