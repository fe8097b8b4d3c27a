"""The first launch: set up my own caseload, or explore the demo.

A coach installs coachdesk for their own year; the demo is a tour. So the first launch asks,
and "Set up my caseload" comes first: it leads into the guided start (guided_start.py) on an
empty profile. "Explore the demo" loads the fictional caseload, which can be removed later
(File ▸ Remove the demo…) without touching the coach's own work.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDialog, QLabel, QMainWindow, QPushButton, QVBoxLayout, QWidget

from coachdesk.core.store.profile import Profile

SET_UP = "set up"
DEMO = "demo"


class FirstRunDialog(QDialog):
    """Asks how to start; `choice` is SET_UP or DEMO once a button is pressed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Welcome to coachdesk")
        self.choice: str | None = None
        heading = QLabel("How would you like to start?")
        heading.setObjectName("areaTitle")
        intro = QLabel(
            "coachdesk keeps your caseload, visit notes, next steps and targets on this laptop; "
            "it works with no connection."
        )
        intro.setWordWrap(True)

        self.set_up_button = QPushButton("Set up my caseload")
        self.set_up_button.setDefault(True)
        self.set_up_button.setAccessibleDescription(
            "Start with an empty profile: your name, your programs and your first schools"
        )
        self.set_up_button.clicked.connect(lambda: self._choose(SET_UP))
        set_up_text = QLabel(
            "Start empty: your name and organization, your programs, and your first districts "
            "and schools. Takes a minute; you can also import a file of schools."
        )
        self.demo_button = QPushButton("Explore the demo")
        self.demo_button.setAccessibleDescription(
            "Load 25 fictional schools with a year of visits, to try coachdesk"
        )
        self.demo_button.clicked.connect(lambda: self._choose(DEMO))
        demo_text = QLabel(
            "25 fictional schools across New York, Massachusetts and Ohio, with a year of visits, "
            "next steps and targets. A tour: remove it later with File ▸ Remove the demo…, and it "
            "never leaves this laptop in a bundle unless you ask."
        )
        for text in (set_up_text, demo_text):
            text.setWordWrap(True)
            text.setObjectName("subtle")
            text.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)

        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addSpacing(8)
        layout.addWidget(self.set_up_button)
        layout.addWidget(set_up_text)
        layout.addSpacing(8)
        layout.addWidget(self.demo_button)
        layout.addWidget(demo_text)
        self.setMinimumWidth(480)
        self.set_up_button.setFocus()

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()


def start_new_profile(
    profile: Profile, open_window: Callable[[], QMainWindow], *, ask: bool
) -> None:
    """On a new profile: ask how to start, then open the window on an empty caseload with the
    guided start over it, or on the demo once it is loaded. Unasked (the unattended smoke test),
    load the demo."""
    from coachdesk.ui import dialogs

    dialog = FirstRunDialog() if ask else None
    if dialog is not None:
        dialogs.run(dialog)
    choice = DEMO if dialog is None else dialog.choice
    if choice == DEMO:
        load_demo_then_open(profile, open_window)
        return
    window = open_window()
    if choice == SET_UP:
        from coachdesk.ui.guided_start import GuidedStart

        # Over the window, so each school added appears in the caseload behind it at once.
        QTimer.singleShot(0, window, lambda: dialogs.run(GuidedStart(profile, window)))


def load_demo_then_open(profile: Profile, open_window: Callable[[], QMainWindow]) -> None:
    """Loading the demo takes seconds: off the GUI thread behind a progress dialog, so the first
    launch shows something at once, then the window opens on the result."""
    from coachdesk.core.demo import load_demo
    from coachdesk.ui import dialogs
    from coachdesk.ui.work import run_in_background

    def loaded(_result) -> None:
        from coachdesk.ui.announce import show_status

        window = open_window()
        show_status(
            window,
            "This is the demo caseload: fictional schools to try coachdesk with. "
            "File ▸ Remove the demo… takes it away again.",
            20_000,
        )

    def failed(exc: BaseException) -> None:
        dialogs.show_error(None, "The demo caseload could not be loaded", dialogs.describe(exc))
        open_window()

    run_in_background(
        None,
        lambda: load_demo(profile),
        on_success=loaded,
        on_failure=failed,
        label="Loading the demo caseload…",
    )
