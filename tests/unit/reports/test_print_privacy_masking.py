"""Student identifiers found by the privacy scan never print, in a draft or in a final note whose
warnings the coach accepted; the coach is told where (issue 14). Each test reads the PDF."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import pytest

from coachdesk.core import visits
from coachdesk.core.store.profile import Profile, open_profile
from coachdesk.core.visits import Attendee, list_visits
from coachdesk.reports.masking import MASK, mask_summary, mask_text
from coachdesk.reports.visit_source import build_visit_summary
from coachdesk.reports.visit_summary import render_visit_summary
from tests.support.cli import coachdesk
from tests.unit.reports.pdftext import ReadPdf, read_pdf
from tests.unit.reports.test_print_privacy import WHEN, ma_district

SASID = "1234567890"
NAMED = "Student Jayden"
STUDENT_NOTE = f"{NAMED} (SASID {SASID}) missed the intervention block twice."
# The demo as loaded on a fixed day that has come: its notes are drawn from the day it is loaded
# (loaded as of the real day on 2027-01-12, the final NY note's masked next step was not
# listed and there was no draft learning walk: StopIteration).
DEMO_DAY = dt.date(2026, 12, 1)


@pytest.fixture
def demo_dir(demo_templates, tmp_path: Path) -> Path:
    folder = tmp_path / "demo-profile"
    shutil.copytree(demo_templates(DEMO_DAY), folder)
    return folder


def pdf_of(data) -> ReadPdf:
    buffer = io.BytesIO()
    render_visit_summary(data, buffer)
    return read_pdf(buffer.getvalue())


def final_ny_visit(profile: Profile) -> str:
    return next(
        r.id
        for r in list_visits(profile)
        if r.status == "final" and r.visit_type == "onsite" and r.school_name
    )


def test_mask_text_hides_what_the_scan_finds_and_nothing_else() -> None:
    today = dt.date(2026, 11, 12)
    masked = mask_text(f"{STUDENT_NOTE} J.M. was born 4/12/2015.", today=today)
    for found in (SASID, "Jayden", "J.M.", "4/12/2015"):
        assert found not in masked
    assert masked == (f"{MASK} ({MASK}) missed the intervention block twice. {MASK} was {MASK}.")
    plain = "42% of grade 3 students met the benchmark (n=120); the Student Council met."
    assert mask_text(plain, today=today) == plain
    assert mask_text(masked, today=today) == masked  # masking twice changes nothing more


def test_a_final_note_whose_warnings_were_accepted_prints_them_masked_and_says_where(
    demo_dir: Path, tmp_path: Path
) -> None:
    profile = open_profile(demo_dir)
    try:
        visit_id = final_ny_visit(profile)
        visits.amend_visit(profile, visit_id)
        visits.save_answer(profile, visit_id, "challenges", STUDENT_NOTE)
        detail = visits.get_visit(profile, visit_id)
        visits.save_answer(
            profile, visit_id, f"{detail.action_repeat}[0].step", "Call J.M.'s family about Friday"
        )
        assert visits.check_before_finalizing(profile, visit_id).privacy  # the coach was warned
        visits.finalize_visit(profile, visit_id, accept_privacy_warnings=True)  # ...and accepted
    finally:
        profile.close()
    out = tmp_path / "summary.pdf"

    done = coachdesk(demo_dir, "report", "visit", visit_id, "-o", str(out))

    assert done.returncode == 0, done.stderr
    pdf = read_pdf(out)
    for identifier in (SASID, "Jayden", "J.M."):
        assert identifier not in pdf.text
    assert MASK in pdf.flat
    assert "missed the intervention block twice" in pdf.flat  # the rest of the note prints
    said = done.stdout.strip().splitlines()
    assert len(said) == 2 and said[0].startswith(f"Wrote {out}")
    assert said[1] == (
        f"Possible student identifiers (an ID number, a birth date, initials or a name) print as "
        f"{MASK} in: Observations: Implementation challenges; Next steps. Edit the note if it "
        "should say something else."
    )


def test_a_draft_masks_its_purpose_attendees_and_narrative(profile: Profile) -> None:
    _district, school = ma_district(profile)
    visit_id = visits.start_visit(
        profile,
        school,
        visit_type="onsite",
        starts_at=WHEN,
        purpose="Plan supports for a student named Carlos, born 3/4/2015",
    )
    visits.update_visit(
        profile,
        visit_id,
        attendees=[Attendee("Evelyn Marchetti", "Principal"), Attendee("J.R.", "Parent")],
    )
    data = build_visit_summary(profile, visit_id)  # masked as it is built
    assert data.header.is_draft
    assert data.masked == ("Attendees", "Purpose")  # in the order they print
    pdf = pdf_of(data)
    for identifier in ("Carlos", "3/4/2015", "J.R."):
        assert identifier not in pdf.text
    assert "Plan supports for" in pdf.flat and "Evelyn Marchetti" in pdf.flat
    assert "DRAFT" in pdf.text.upper()


def test_nothing_is_masked_or_said_for_a_note_without_identifiers(demo) -> None:
    masked = [r.id for r in list_visits(demo) if build_visit_summary(demo, r.id).masked]
    assert masked == []  # no false alarm in any demo note
    data = build_visit_summary(demo, final_ny_visit(demo))
    assert mask_summary(data) == data


def test_a_draft_walk_prints_no_teacher_or_room_and_keeps_its_owners(
    demo_dir: Path, tmp_path: Path
) -> None:
    profile = open_profile(demo_dir)
    try:
        walk = next(
            r.id
            for r in list_visits(profile)
            if r.visit_type == "learning_walk" and r.status == "draft"
        )
        visits.save_answer(
            profile, walk, "patterns", "In Ms. Lopez's class and Room 214, pairs explained why."
        )
        visits.save_answer(profile, walk, "next_steps[0].step", "Share the look-fors")
        visits.save_answer(profile, walk, "next_steps[0].owner", "Ms. Rivera")
    finally:
        profile.close()
    out = tmp_path / "walk.pdf"

    done = coachdesk(demo_dir, "report", "visit", walk, "-o", str(out))

    assert done.returncode == 0, done.stderr
    pdf = read_pdf(out)
    assert "Lopez" not in pdf.text and "214" not in pdf.text
    assert "pairs explained why" in pdf.flat
    assert "Ms. Rivera" in pdf.flat  # a next step's owner is an adult, by design
    assert done.stdout.strip().splitlines()[1] == (
        "Possible student identifiers (an ID number, a birth date, initials or a name), "
        f"teachers' names and room numbers print as {MASK} in: Learning walk: Patterns across "
        "classrooms. Edit the note if it should say something else."
    )
