"""Date and time editors read like the text beside them ("Tue, Dec 1, 2026  9:30 AM"), whatever
the laptop's own locale."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, QDateTime, QLocale, QTime
from PySide6.QtWidgets import QDateEdit, QTimeEdit

from coachdesk.ui import date_edits
from coachdesk.ui.visits.start_dialog import StartVisitDialog


@pytest.fixture
def german_laptop():
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    yield
    QLocale.setDefault(before)


def test_editors_show_us_forms_on_a_german_laptop(qtbot, german_laptop):
    day = date_edits.show_as(QDateEdit(QDate(2026, 12, 1)), date_edits.DATE)
    clock = date_edits.show_as(QTimeEdit(QTime(13, 5)), date_edits.TIME)
    for edit in (day, clock):
        qtbot.addWidget(edit)
    assert day.text() == "Dec 1, 2026"
    assert clock.text() == "1:05 PM"


def test_starting_a_visit_shows_its_start_in_us_form(qtbot, german_laptop):
    dialog = StartVisitDialog(
        "Lincoln Park Elementary", ("NY_RCV",), now=dt.datetime(2026, 3, 9, 9, 30)
    )
    qtbot.addWidget(dialog)
    assert dialog.when_edit.text() == "Mon, Mar 9, 2026  9:30 AM"
    dialog.when_edit.setDateTime(QDateTime(QDate(2026, 3, 9), QTime(0, 0)))
    assert dialog.when_edit.text() == "Mon, Mar 9, 2026  12:00 AM"
