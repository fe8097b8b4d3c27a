"""coachdesk's application icon, from the PNGs shipped in resources/icons."""

from __future__ import annotations

import logging

from PySide6.QtGui import QGuiApplication, QIcon

from coachdesk.core.bundled import resources_dir

logger = logging.getLogger(__name__)

#: The desktop entry's name (packaging/org.coachdesk.coachdesk.desktop) and the AppStream id.
DESKTOP_ID = "org.coachdesk.coachdesk"


def app_icon() -> QIcon:
    """The icon at every rendered size, so that Qt picks a crisp one for each place it shows.

    PNGs rather than the SVG: drawing an SVG needs the QtSvg plugin, which a frozen build would
    have to carry for this alone. packaging/icons.py renders them from coachdesk.svg.
    """
    icon = QIcon()
    for path in sorted((resources_dir() / "icons").glob("coachdesk-*.png")):
        icon.addFile(str(path))
    if icon.isNull():
        logger.warning("no application icon found in %s", resources_dir() / "icons")
    return icon


def set_app_icon(app: QGuiApplication) -> None:
    """Give every window and dialog the icon, and name the desktop entry it belongs to.

    Wayland ignores window icons and shows the icon of the desktop entry the window names.
    """
    app.setWindowIcon(app_icon())
    app.setDesktopFileName(DESKTOP_ID)
