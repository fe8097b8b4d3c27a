"""Sizes follow the coach's font setting, and nothing is cut off at one and a half times it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from coachdesk.ui import style
from tests.ui.probe_runs import EXPECTED, run_probe

UI = Path(style.__file__).parent


@pytest.mark.parametrize("width, height", [(1366, 768), (1024, 640)], ids=["1366x768", "1024x640"])
def test_nothing_is_cut_off_at_one_and_a_half_times_the_font(
    demo_template, tmp_path, width, height
):
    report = run_probe(demo_template, tmp_path, width, height, "--font-scale", "1.5")
    assert EXPECTED <= set(report["looked_at"])
    # Every label shows all of its text, and every button stays on the screen.
    assert report["problems"] == []


def _sizes(sheet: str) -> list[float]:
    return [float(n) for n in re.findall(r"font-size:\s*([0-9.]+)pt", sheet)]


def test_the_style_sheet_scales_every_font_size_with_the_application_font():
    normal = _sizes(style.style_sheet(dark=False, base_pt=9.0))
    larger = _sizes(style.style_sheet(dark=False, base_pt=13.5))
    assert normal and len(normal) == len(larger)
    for small, large in zip(normal, larger, strict=True):
        assert abs(large - small * 1.5) <= 0.15  # each is rounded to a tenth of a point
    title = _sizes(style.style_sheet(dark=True, base_pt=10.0))[0]
    assert title == 10.0 * style.TITLE_SCALE  # the area title: a multiple of the base


def test_no_widget_sets_a_fixed_font_size_of_its_own():
    fixed = []
    for path in UI.rglob("*.py"):
        if path.name == "style.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"font-size\s*:|setPointSize\(|setPixelSize\(", line):
                fixed.append(f"{path.relative_to(UI)}:{number}: {line.strip()}")
    assert fixed == []
