"""Upcoming dates on a visit summary: the next visit and what the school owes in the 60 days
after the visit, from the due rules, in plain words."""

from __future__ import annotations

import datetime as dt
import io

from coachdesk.core.schools import get_school
from coachdesk.core.tracking_records.closing import close_due
from coachdesk.core.visits import get_visit, list_visits
from coachdesk.reports.pdf_layout import short_date
from coachdesk.reports.summary_dates import WINDOW_DAYS, obligations_after, upcoming_dates
from coachdesk.reports.visit_source import build_visit_summary
from coachdesk.reports.visit_summary import render_visit_summary
from tests.unit.reports.pdftext import read_pdf

CHORES = ("Finish the note", "Share the note", "On-site visit for", "NNPS check-in", "is at risk")


def dates_of(profile, visit_id: str):
    visit = get_visit(profile, visit_id)
    school = get_school(profile, visit.school_id)
    return upcoming_dates(
        profile,
        visit_id=visit.id,
        school_id=visit.school_id,
        district_id=school.district_id,
        starts_at=visit.starts_at,
    )


def printed_text(profile, visit_id: str) -> str:
    buffer = io.BytesIO()
    render_visit_summary(build_visit_summary(profile, visit_id), buffer)
    return read_pdf(buffer.getvalue()).flat


def visit_before(profile, program: str, what: str) -> tuple[str, dt.date]:
    """A visit of the program with an obligation containing `what` due within 60 days after."""
    for item in list_visits(profile):
        visit = get_visit(profile, item.id)
        if visit.program_code != program or visit.starts_at.date() < dt.date(2026, 8, 1):
            continue
        for entry in dates_of(profile, item.id):
            if what in entry.what:
                return item.id, entry.when
    raise AssertionError(f"the demo has no {program} visit before a {what!r}")


def test_a_ny_visit_lists_the_quarterly_report_due_after_it(demo):
    visit_id, due = visit_before(demo, "NY_RCV", "report")
    visit = get_visit(demo, visit_id)
    entries = dates_of(demo, visit_id)
    report = next(e for e in entries if "report" in e.what)
    assert report.what.endswith("report 2026-27 due to NYSED")
    text = printed_text(demo, visit_id)
    upcoming = text[text.index("Upcoming dates") :]
    assert f"{short_date(due)} {report.what}" in upcoming
    # Every date listed falls in the 60 days after the visit, in date order.
    day = visit.starts_at.date()
    assert all(day < e.when <= day + dt.timedelta(days=WINDOW_DAYS) for e in entries)
    assert [e.when for e in entries] == sorted(e.when for e in entries)
    # The coach's own chores are not the school's dates.
    assert not any(chore in e.what for e in entries for chore in CHORES)


def test_a_report_marked_submitted_is_no_longer_listed(demo):
    visit_id, due = visit_before(demo, "NY_RCV", "report")
    visit = get_visit(demo, visit_id)
    item = next(
        i
        for i in obligations_after(demo, visit.starts_at.date())
        if i.school_id == visit.school_id and i.rule_id == "ny.quarterly_report"
    )
    close_due(demo, item.key, on=min(due, dt.date.today()))
    assert not any("report" in e.what for e in dates_of(demo, visit_id))
    assert "due to NYSED" not in printed_text(demo, visit_id)


def test_an_oh_visit_lists_the_district_s_coaching_log(demo):
    visit_id, due = visit_before(demo, "OH_NNPS", "Coaching log")
    entry = next(e for e in dates_of(demo, visit_id) if "Coaching log" in e.what)
    assert entry.what.endswith("due to OSU") and due.day == 15  # 15 Oct, Jan, Apr, Jul
    assert f"{short_date(due)} {entry.what}" in printed_text(demo, visit_id)


def test_nothing_further_than_60_days_ahead(demo):
    # The report due in January is not listed on a visit more than 60 days before it.
    visit_id, due = visit_before(demo, "NY_RCV", "report")
    for item in list_visits(demo):
        visit = get_visit(demo, item.id)
        if visit.school_id != get_visit(demo, visit_id).school_id:
            continue
        gap = (due - visit.starts_at.date()).days
        listed = any(e.when == due and "report" in e.what for e in dates_of(demo, item.id))
        if gap > WINDOW_DAYS or gap <= 0:
            assert not listed, (visit.starts_at, due)
