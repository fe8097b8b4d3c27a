"""Help ▸ About coachdesk: the versions a support person asks for, the profile folder, and the
licences of what coachdesk ships (Qt and PySide6 under the LGPLv3, the DejaVu fonts).

    dialogs.run(AboutDialog(window, profile_dir=profile.directory))
"""

from __future__ import annotations

import html
import platform
from pathlib import Path

from PySide6.QtCore import Qt, qVersion
from PySide6.QtCore import __version__ as pyside_version  # the binding's own version
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from coachdesk import __version__
from coachdesk.core.bundled import resources_dir

LGPL_URL = "https://www.gnu.org/licenses/lgpl-3.0.html"
QT_SOURCE_URL = "https://download.qt.io/official_releases/qt/"
PYSIDE_SOURCE_URL = "https://code.qt.io/cgit/pyside/pyside-setup.git/"
DEJAVU_URL = "https://dejavu-fonts.github.io/"


def versions() -> dict[str, str]:
    """What this coachdesk runs on, in the order the dialog shows it."""
    return {
        "coachdesk": __version__,
        "Qt": qVersion(),
        "PySide6": pyside_version,
        "Python": f"{platform.python_version()} ({platform.python_implementation()})",
        "System": platform.platform(terse=True),
    }


def details_text(profile_dir: Path) -> str:
    """The versions and the profile folder as plain text, for pasting into a message."""
    lines = [f"{name} {value}" for name, value in versions().items()]
    lines.append(f"Profile folder: {profile_dir}")
    return "\n".join(lines)


def licences_html() -> str:
    """The licence notices, as rich text."""
    fonts = _font_licence()
    return (
        "<p><b>Qt and PySide6</b> (the windows, buttons and everything on screen) are "
        "© The Qt Company Ltd. and others, used under the GNU Lesser General Public License "
        f'version 3 (LGPLv3): <a href="{LGPL_URL}">{LGPL_URL}</a>. coachdesk uses them as '
        "separate libraries, which you may replace with your own build of the same version. "
        f'Their source code: <a href="{QT_SOURCE_URL}">Qt</a>, '
        f'<a href="{PYSIDE_SOURCE_URL}">PySide6</a>.</p>'
        "<p><b>PDFium</b> (draws the pages of the PDF preview and of printing), © The PDFium "
        "Authors, under the BSD 3-Clause licence, through <b>pypdfium2</b>, © pypdfium2's "
        "contributors, under the Apache License 2.0 or the BSD 3-Clause licence.</p>"
        "<p><b>DejaVu Sans fonts</b> (embedded in the PDFs coachdesk writes) are © Bitstream, "
        "Inc., under the Bitstream Vera font licence; the DejaVu changes are in the public "
        f'domain (<a href="{DEJAVU_URL}">{DEJAVU_URL}</a>). The licence in full:</p>'
        # pre-wrap: the licence's own line breaks, wrapped to the dialog (no sideways scrolling)
        f'<p style="white-space: pre-wrap">{html.escape(fonts)}</p>'
    )


def _font_licence() -> str:
    try:
        return (resources_dir() / "fonts" / "LICENSE").read_text(encoding="utf-8")
    except OSError:
        return "The font licence file (resources/fonts/LICENSE) is missing from this copy."


class AboutDialog(QDialog):
    """Versions, the profile folder and the licences, with a button to copy the details."""

    def __init__(self, parent: QWidget | None, *, profile_dir: Path) -> None:
        super().__init__(parent)
        self.setWindowTitle("About coachdesk")
        self.profile_dir = profile_dir
        layout = QVBoxLayout(self)

        title = QLabel(f"coachdesk {__version__}")
        title.setObjectName("areaTitle")
        layout.addWidget(title)
        layout.addWidget(QLabel("An offline workbench for school-improvement coaches."))

        facts = QFormLayout()
        for name, value in versions().items():
            if name != "coachdesk":
                facts.addRow(f"{name}:", self._selectable(value))
        self.folder = self._selectable(str(profile_dir))
        self.folder.setWordWrap(True)
        facts.addRow("Profile folder:", self.folder)
        layout.addLayout(facts)

        heading = QLabel("Licenses")
        heading.setObjectName("sectionTitle")
        layout.addWidget(heading)
        self.licences = QTextBrowser()
        self.licences.setAccessibleName("Licenses")
        self.licences.setOpenExternalLinks(True)
        self.licences.setHtml(licences_html())
        self.licences.setMinimumHeight(120)
        layout.addWidget(self.licences, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton("Copy details")
        self.copy_button.setToolTip("Copy the versions and the profile folder, to send to support")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_details)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, 520)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        # A long folder wraps; the form gives a label one line unless told its wrapped height.
        super().resizeEvent(event)
        needed = self.folder.heightForWidth(self.folder.width())
        if needed > 0 and needed != self.folder.minimumHeight():
            self.folder.setMinimumHeight(needed)

    @staticmethod
    def _selectable(text: str) -> QLabel:
        label = QLabel(text)
        label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        return label

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(details_text(self.profile_dir))
        self.copy_button.setText("Copied")
