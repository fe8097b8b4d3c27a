"""coachdesk's application icon, from the PNGs shipped in resources/icons."""

from __future__ import annotations

import logging

from PySide6.QtGui import QIcon

from coachdesk.core.bundled import resources_dir

logger = logging.getLogger(__name__)


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
