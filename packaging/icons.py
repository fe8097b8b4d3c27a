"""coachdesk's icon files, all made from resources/icons/coachdesk.svg.

    python packaging/icons.py render         re-render the committed PNGs after editing the SVG
    python packaging/icons.py platform DIR   write coachdesk.ico and coachdesk.icns into DIR

The PNGs (16 to 512 px) are committed because the running app and the Linux desktop entry use
them. The Windows .ico and macOS .icns are build products: the PyInstaller spec makes them from
the PNGs with Pillow on every build, so they never drift from the SVG.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ICONS = ROOT / "resources" / "icons"
SVG = ICONS / "coachdesk.svg"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
# Windows shows 16-48 px in lists and the taskbar and 256 px in Explorer's large views.
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# The sizes an .icns holds (Pillow writes the retina @2x entries from the larger PNGs).
ICNS_SIZES = (16, 32, 64, 128, 256, 512)


def png_path(size: int, folder: Path = ICONS) -> Path:
    return folder / f"coachdesk-{size}.png"


def render_pngs(svg: Path = SVG, folder: Path = ICONS, sizes: tuple[int, ...] = SIZES) -> None:
    """Render the SVG at each size with Qt's SVG renderer (part of pyside6-essentials)."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(["icons", "-platform", "offscreen"])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"icons: {svg} is not an SVG that Qt can draw.")
    for size in sizes:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        if not image.save(str(png_path(size, folder))):
            raise SystemExit(f"icons: could not write {png_path(size, folder)}.")


def make_platform_icons(out_dir: Path, png_dir: Path = ICONS) -> tuple[Path, Path]:
    """Write coachdesk.ico (Windows) and coachdesk.icns (macOS) from the rendered PNGs."""
    from PIL import Image

    out_dir.mkdir(parents=True, exist_ok=True)
    images = {size: Image.open(png_path(size, png_dir)).convert("RGBA") for size in SIZES}
    ico = out_dir / "coachdesk.ico"
    # Each size is its own rendering, not a downscale of the largest: small sizes stay crisp.
    images[256].save(
        ico,
        format="ICO",
        sizes=[(s, s) for s in ICO_SIZES],
        append_images=[images[s] for s in ICO_SIZES if s != 256],
    )
    icns = out_dir / "coachdesk.icns"
    images[512].save(icns, format="ICNS", append_images=[images[s] for s in ICNS_SIZES if s != 512])
    return ico, icns


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="icons", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="action", required=True)
    sub.add_parser("render", help="re-render resources/icons/coachdesk-*.png from the SVG")
    platform = sub.add_parser("platform", help="write coachdesk.ico and coachdesk.icns")
    platform.add_argument("out_dir", type=Path)
    args = parser.parse_args(argv)
    if args.action == "render":
        render_pngs()
        print(f"icons: rendered {len(SIZES)} PNGs into {ICONS}")
    else:
        for path in make_platform_icons(args.out_dir):
            print(f"icons: wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
