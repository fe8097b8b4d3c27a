"""`coachdesk check` validates every stored answer against its form field and names any it
cannot read (issue 15)."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import update

from coachdesk.core import visits
from coachdesk.core.caseload import list_caseload
from coachdesk.core.forms.answer_privacy import answer_id
from coachdesk.core.store.checkup import check_profile
from coachdesk.core.store.visit_tables import VisitAnswer
from tests.support.cli import coachdesk

WHEN = dt.datetime(2026, 11, 3, 9, 30)


def _visit_with_answers(profile) -> tuple[str, str]:
    school = next(r for r in list_caseload(profile) if r.program_code == "NY_RCV")
    visit_id = visits.start_visit(profile, school.school_id, visit_type="onsite", starts_at=WHEN)
    visits.save_answer(profile, visit_id, "challenges", "Substitute coverage kept teams apart.")
    visits.save_answer(profile, visit_id, "purpose", ["dii_progress"])
    return visit_id, school.school_name


def _store_raw(profile, record_id: str, text: str) -> None:
    """What a resolution that kept the merged text, or a bad import, could leave in the row."""
    with profile.writing() as write:
        write.session.execute(
            update(VisitAnswer).where(VisitAnswer.id == record_id).values(value=text)
        )


def test_the_demo_profile_has_no_unreadable_answer(demo):
    report = check_profile(demo.directory)
    assert report.ok, report.problems
    assert report.unreadable_answers == ()


def test_an_answer_that_is_not_json_is_named_in_words(demo):
    visit_id, school = _visit_with_answers(demo)
    _store_raw(demo, answer_id(visit_id, "challenges"), "Substitute <<<<<<< coverage")
    _store_raw(demo, answer_id(visit_id, "purpose"), json.dumps("dii_progress"))

    report = check_profile(demo.directory)

    assert not report.ok
    assert report.unreadable_answers == (
        f"The answer to “Implementation challenges” in the visit of Nov 3, 2026 at {school} "
        "cannot be read: it is not readable data (the text is not JSON).",
        f"The answer to “Purpose of the visit” in the visit of Nov 3, 2026 at {school} "
        "cannot be read: it must be a list of choices.",
    )
    assert set(report.unreadable_answers) <= set(report.problems)
    assert report.as_dict()["unreadable_answers"] == list(report.unreadable_answers)


def test_the_check_command_prints_the_sentence_and_exits_1(demo):
    visit_id, school = _visit_with_answers(demo)
    _store_raw(demo, answer_id(visit_id, "challenges"), "Substitute <<<<<<< coverage")
    directory = demo.directory
    demo.close()

    result = coachdesk(directory, "check")

    assert result.returncode == 1, result.stdout + result.stderr
    assert (
        f"Problem: The answer to “Implementation challenges” in the visit of Nov 3, 2026 at "
        f"{school} cannot be read: it is not readable data (the text is not JSON)."
    ) in result.stdout
    assert "The profile needs attention" in result.stdout
