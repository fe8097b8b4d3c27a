"""The application icon: every size is there, the PNGs are the SVG's, and the app sets it."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

from coachdesk.ui.icons import app_icon

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("packaging_icons", ROOT / "packaging" / "icons.py")
icons_tool = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(icons_tool)


def test_the_icon_offers_every_rendered_size(qapp):
    sizes = sorted(size.width() for size in app_icon().availableSizes())
    assert sizes == [16, 24, 32, 48, 64, 128, 256, 512]


def test_the_committed_pngs_are_renderings_of_the_svg(qapp, tmp_path):
    icons_tool.render_pngs(folder=tmp_path)
    for size in icons_tool.SIZES:
        committed = QImage(str(icons_tool.png_path(size)))
        fresh = QImage(str(icons_tool.png_path(size, tmp_path)))
        assert committed.size() == fresh.size(), size
        # Allow for anti-aliasing differences between Qt releases, not for a changed drawing.
        differing = sum(
            1
            for y in range(size)
            for x in range(size)
            if abs(committed.pixelColor(x, y).blue() - fresh.pixelColor(x, y).blue()) > 40
        )
        assert differing <= size * size * 0.02, (
            f"re-run `python packaging/icons.py render` ({size})"
        )


def test_the_16_px_icon_still_shows_a_white_board_on_a_blue_tile(qapp):
    image = QImage(str(icons_tool.png_path(16)))
    tile, board = image.pixelColor(1, 8), image.pixelColor(4, 12)
    assert tile.blue() > 150 and tile.red() < 90  # the blue edge
    assert min(board.red(), board.green(), board.blue()) > 220  # the white clipboard


def test_the_ico_and_icns_are_made_from_the_pngs(tmp_path):
    from PIL import Image

    ico, icns = icons_tool.make_platform_icons(tmp_path)
    assert {(16, 16), (32, 32), (48, 48), (256, 256)} <= Image.open(ico).info["sizes"]
    assert (512, 512, 2) in Image.open(icns).info["sizes"]


def test_the_running_app_sets_the_icon_on_its_windows(tmp_path):
    probe = (
        "import sys; from pathlib import Path;"
        "from coachdesk.core.demo import load_demo;"
        "from coachdesk.core.store.profile import open_profile;"
        "p = open_profile(Path(sys.argv[1]), create=True); load_demo(p); p.close();"
        "from coachdesk.ui.app import run_app;"
        "code = run_app(Path(sys.argv[1]), smoke_test=True);"
        "from PySide6.QtWidgets import QApplication;"
        "icon = QApplication.instance().windowIcon();"
        "print('SIZES', sorted(s.width() for s in icon.availableSizes()), code);"
        "print('DESKTOP', QApplication.desktopFileName())"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", probe, str(tmp_path / "profile")],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert "SIZES [16, 24, 32, 48, 64, 128, 256, 512] 0" in result.stdout
    # Wayland shows the icon of the desktop entry the app names, which must be the shipped one.
    assert "DESKTOP org.coachdesk.coachdesk" in result.stdout
    assert (ROOT / "packaging" / "org.coachdesk.coachdesk.desktop").is_file()
