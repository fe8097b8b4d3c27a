"""Qt's own warnings and messages go to coachdesk's log instead of a console nobody sees.

    install_qt_message_handler()

On Windows the windowed coachdesk.exe has no console at all: without this, a Qt warning that
explains a blank PDF preview or a missing platform plugin is lost.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

logger = logging.getLogger("coachdesk.qt")

LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def log_qt_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """Log one of Qt's messages at the matching level, with its category (qt.qpa.fonts…)."""
    level = LEVELS.get(kind, logging.WARNING)
    if not logger.isEnabledFor(level):
        return
    category = context.category if context is not None and context.category else "default"
    logger.log(level, "[%s] %s", category, message)
    if kind == QtMsgType.QtFatalMsg:
        # Qt aborts as soon as this returns: make sure the line is on disk first.
        for handler in logging.getLogger("coachdesk").handlers:
            handler.flush()


def install_qt_message_handler() -> None:
    qInstallMessageHandler(log_qt_message)
