"""A form can ask for a "Received by" block on the printed summary (its `acknowledgement`
setting); the coach's organization and work contact print near the top of every summary."""

from __future__ import annotations

import io

from sqlalchemy import select

from coachdesk.core import forms
from coachdesk.core.coach import set_coach
from coachdesk.core.store.profile import Profile
from coachdesk.core.store.visit_tables import StoredForm, Visit
from coachdesk.reports.visit_source import build_visit_summary
from coachdesk.reports.visit_summary import render_visit_summary
from tests.unit.reports import samples
from tests.unit.reports.pdftext import ReadPdf, read_pdf
from tests.unit.reports.test_visit_source import NY_ONSITE, pick_visit


def printed(data) -> ReadPdf:
    buffer = io.BytesIO()
    render_visit_summary(data, buffer)
    return read_pdf(buffer.getvalue())


def acknowledging(profile: Profile, visit_id: str) -> None:
    """Put the visit's note on a test copy of its form that turns the acknowledgement on (the
    shipped, published versions stay as they are)."""
    with profile.writing() as write:
        visit = write.session.get(Visit, visit_id)
        stored = write.session.execute(
            select(StoredForm).where(StoredForm.sha256 == visit.form_sha256)
        ).scalar_one()
        text = stored.text.replace("settings:\n", "settings:\n  acknowledgement: true\n", 1)
        loaded = forms.parse_form(text, "acknowledging test form")
        assert loaded.definition is not None and loaded.definition.acknowledgement
        stored.text, stored.sha256 = text, loaded.definition.sha256
        visit.form_sha256 = loaded.definition.sha256


def test_a_form_that_asks_for_it_prints_a_received_by_block(demo) -> None:
    visit_id = pick_visit(demo, NY_ONSITE)
    plain = printed(build_visit_summary(demo, visit_id))
    assert "Received by" not in plain.text and "Signature" not in plain.text

    acknowledging(demo, visit_id)
    data = build_visit_summary(demo, visit_id)
    assert data.acknowledgement
    pdf = printed(data)
    last = " ".join(pdf.pages[-1].split())
    block = last[last.index("Received by") :]
    for line in ("Name", "Role", "Date", "Signature"):
        assert line in block
    # The block is the summary's last section, after the dates.
    assert pdf.flat.index("Upcoming dates") < pdf.flat.index("Received by")
    # Its heading and its lines stay on one page, in large print too.
    for large_print in (False, True):
        buffer = io.BytesIO()
        render_visit_summary(data, buffer, large_print=large_print)
        pages = read_pdf(buffer.getvalue()).pages
        holding = [p for p in pages if "Received by" in p]
        assert len(holding) == 1 and "Signature" in holding[0]
        assert "Received by (continued)" not in holding[0]


def test_the_acknowledgement_setting_is_true_or_false() -> None:
    text = samples_form("acknowledgement: maybe")
    loaded = forms.parse_form(text, "ack.yaml")
    assert [p.message for p in loaded.problems] == [
        "acknowledgement is true (the summary prints a block the school signs) or false."
    ]
    assert loaded.definition is not None and not loaded.definition.acknowledgement
    assert forms.parse_form(samples_form("acknowledgement: true"), "ack.yaml").definition
    off = forms.parse_form(samples_form(""), "ack.yaml").definition
    assert off is not None and not off.acknowledgement


def samples_form(extra: str) -> str:
    return f"""
settings:
  form_id: ack_check
  version: 1
  title: Acknowledgement check
  program: NY_RCV
  applies_to: [onsite]
  {extra}
choices: {{}}
fields:
  - {{type: long_text, name: notes, label: Notes, pdf: "section:observations"}}
"""


def test_the_coach_s_organization_and_contact_print_near_the_top(demo) -> None:
    visit_id = pick_visit(demo, NY_ONSITE)
    set_coach(
        demo,
        name="Dana Whitfield",
        employer="Harbor Partners SSP",
        work_email="dana@harborpartners.org",
        work_phone="518-555-0142",
    )
    data = build_visit_summary(demo, visit_id)
    assert data.header.coach_organization == "Harbor Partners SSP"
    first = " ".join(printed(data).pages[0].split())
    assert "Dana Whitfield Harbor Partners SSP" in first  # the coach, then their organization
    assert (
        "To reach the coach: Dana Whitfield, Harbor Partners SSP · dana@harborpartners.org"
        " · 518-555-0142" in first
    )
    # Without a phone, the line holds what there is.
    set_coach(demo, name="Dana Whitfield", employer="", work_email="dana@harborpartners.org")
    first = " ".join(printed(build_visit_summary(demo, visit_id)).pages[0].split())
    assert "To reach the coach: Dana Whitfield · dana@harborpartners.org" in first
    assert "518-555" not in first


def test_a_summary_without_contact_details_prints_no_empty_line() -> None:
    pdf = printed(samples.ny_typical())
    assert "To reach the coach" not in pdf.text
