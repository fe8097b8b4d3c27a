"""Every demo visit's summary, read page by page as a principal turns them: no last page holds a
lone heading and one row, next steps sit with their heading, in due-date order."""

from __future__ import annotations

import datetime as dt
import io
import re

from coachdesk.core.visits import list_visits
from coachdesk.reports.pdf_layout import FOOTER_NOTICE
from coachdesk.reports.visit_source import build_visit_summary
from coachdesk.reports.visit_summary import render_visit_summary, sorted_steps
from tests.unit.reports.pdftext import read_pdf
from tests.unit.reports.test_visit_source import NY_ONSITE, pick_visit

A_DATE = re.compile(r"\b[A-Z][a-z]{2} \d{1,2}, \d{4}\b|No date set")
HEADINGS = ("Next steps", "Follow-up on the previous visit's items", "Upcoming dates")


def body_of(page: str) -> str:
    """A page's text without its running title (the first line) and footer."""
    lines = page.splitlines()[1:]
    text = " ".join(" ".join(lines).split())
    return text[: text.index(FOOTER_NOTICE)] if FOOTER_NOTICE in text else text


def lonely(page: str) -> bool:
    """A page holding one section's heading and a single dated row, and nothing more."""
    body = body_of(page)
    headings = [h for h in HEADINGS if h in body]
    return len(headings) <= 1 and len(A_DATE.findall(body)) <= 1 and len(body) < 160


def test_no_demo_summary_ends_on_a_page_holding_one_row(demo) -> None:
    checked = 0
    found = []
    for item in list_visits(demo):
        data = build_visit_summary(demo, item.id)
        for large_print in (False, True):
            buffer = io.BytesIO()
            result = render_visit_summary(data, buffer, large_print=large_print)
            if result.pages < 2:
                continue
            pdf = read_pdf(buffer.getvalue())
            checked += 1
            if lonely(pdf.pages[-1]):
                found.append((item.id, large_print, body_of(pdf.pages[-1])))
            text = pdf.flat
            if data.next_steps:
                # The heading and the first next step (the soonest due) are on one page.
                first = " ".join(sorted_steps(data.next_steps)[0].action.split())
                pages = [" ".join(p.split()) for p in pdf.pages if "Next steps" in p]
                assert pages and first in pages[0], item.id
    assert checked > 100
    assert found == []
    assert "Next steps" in text


def test_the_lonely_page_check_sees_one_row_alone() -> None:
    alone = (
        "School · Visit summary · May 1, 2026\nUpcoming dates\nWhen What\n"
        f"Jun 2, 2026 Next visit (on-site visit)\n{FOOTER_NOTICE}\nPage 2 of 2"
    )
    assert lonely(alone)
    two = alone.replace("Next visit (on-site visit)", "Next visit\nJun 20, 2026 Q4 report due")
    assert not lonely(two)


# The demo as loaded on this day: its latest NY on-site note (Nov 2026) fills page 1 up to where
# the progress table would start, and its next steps fit there. The demo draws its notes from the
# day it is loaded: as of another day the latest note may be too long for that (Dec 2, 2026).
STEPS_FIT_DAY = dt.date(2026, 12, 1)


def test_next_steps_print_on_page_one_ahead_of_the_progress_table_when_they_fit(
    demo_on,
) -> None:
    demo = demo_on(STEPS_FIT_DAY)
    visit_id = pick_visit(demo, NY_ONSITE)
    data = build_visit_summary(demo, visit_id, today=STEPS_FIT_DAY)
    assert data.progress.rows and data.next_steps
    buffer = io.BytesIO()
    render_visit_summary(data, buffer)
    pages = [" ".join(p.split()) for p in read_pdf(buffer.getvalue()).pages]
    assert len(pages) == 2
    assert "Next steps" in pages[0] and "Progress snapshot" in pages[1]
    for step in data.next_steps:
        assert " ".join(step.action.split()) in pages[0]
