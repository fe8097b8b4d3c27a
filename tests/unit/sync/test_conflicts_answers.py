"""Conflicts on a visit's answers: shown as the answer in words, merged on the answer's text, and
every resolution checked against the form field before it is written (issue 15)."""

from __future__ import annotations

import json

import pytest

from coachdesk.core import visits
from coachdesk.core.errors import RefusedInput
from coachdesk.core.ids import stable_id
from coachdesk.reports.visit_source import build_visit_summary
from coachdesk.sync import conflicts
from tests.support.sync_world import WHEN, coach_with_visit, database_bytes_digest

BASE = "Substitute coverage kept teams apart.\nThe schedule has no common planning.\n"


FIELDS = {"Implementation challenges": "challenges", "Purpose of the visit": "purpose"}


def _answer_id(profile, visit, label):
    """The answer record of a visit's field (its id is derived from the visit and the field)."""
    return stable_id(f"answer:{visit}:{FIELDS[label]}")


@pytest.fixture
def answer_conflict(pair):
    """Dana and Lee edit the same visit's challenges (different lines) and purpose apart."""
    dana, lee = pair
    visit, _school, _internal = coach_with_visit(dana.profile)
    visits.save_answer(dana.profile, visit, "challenges", BASE)
    visits.save_answer(dana.profile, visit, "purpose", ["implementation"])
    lee.take(dana.bundle())
    visits.save_answer(lee.profile, visit, "challenges", BASE.replace("apart", "apart in October"))
    visits.save_answer(lee.profile, visit, "purpose", ["leader_coaching", "implementation"])
    visits.save_answer(dana.profile, visit, "challenges", BASE + "Two new teachers started.\n")
    visits.save_answer(dana.profile, visit, "purpose", ["lead_strategies"])
    dana.take(lee.bundle())
    return dana, lee, visit


def test_an_answer_in_conflict_reads_as_the_answer_with_its_label_visit_and_school(
    answer_conflict,
):
    dana, _lee, visit = answer_conflict
    detail = visits.get_visit(dana.profile, visit)
    listed = [c for c in conflicts.list_conflicts(dana.profile) if c.record_type == "visit_answer"]
    assert sorted(c.field_label for c in listed) == [
        "Implementation challenges",
        "Purpose of the visit",
    ]
    where = listed[0].record_label
    assert detail.school_name in where and "Nov 18, 2026" in where
    assert detail.definition.title in where and "on-site visit" in where
    answer = _answer_id(dana.profile, visit, "Purpose of the visit")
    shown = conflicts.conflict_detail(dana.profile, "visit_answer", answer, "value")
    assert shown.summary.field_label == "Purpose of the visit"
    label = detail.definition.field("purpose").choices.label_of
    assert {v.written_by: v.text for v in shown.versions} == {
        "this laptop": label("lead_strategies"),
        "Lee": f"{label('leader_coaching')}; {label('implementation')}",
    }
    assert shown.base.text == label("implementation")
    assert all("[" not in v.text and '"' not in v.text for v in shown.versions)
    assert shown.proposal is None  # choices: the coach chooses
    notes = _answer_id(dana.profile, visit, "Implementation challenges")
    texts = conflicts.conflict_detail(dana.profile, "visit_answer", notes, "value")
    assert texts.base.text == BASE.strip()
    assert {v.text for v in texts.versions} == {
        BASE.replace("apart", "apart in October").strip(),
        (BASE + "Two new teachers started.\n").strip(),
    }
    # The visit editor's view of it: labels, and who wrote the version not shown.
    by_field = conflicts.answer_conflicts(dana.profile, visit)
    assert by_field["challenges"].field_label == "Implementation challenges"
    assert by_field["challenges"].others == ("Lee",)
    assert "Implementation challenges" in conflicts.visit_conflicts(dana.profile, visit)


def test_keeping_the_merged_text_of_an_answer_leaves_a_note_that_opens_and_prints(
    answer_conflict,
):
    dana, lee, visit = answer_conflict
    notes = _answer_id(dana.profile, visit, "Implementation challenges")
    detail = conflicts.conflict_detail(dana.profile, "visit_answer", notes, "value")
    merged = (
        "Substitute coverage kept teams apart in October.\n"
        "The schedule has no common planning.\nTwo new teachers started.\n"
    )
    # The coach presses "Keep the merged text" on what is offered.
    conflicts.resolve_conflict(dana.profile, "visit_answer", notes, "value", detail.proposal)
    summary = build_visit_summary(dana.profile, visit, today=WHEN.date())  # it opens and prints
    assert visits.get_visit(dana.profile, visit).response["challenges"] == merged
    assert detail.proposal_clean and detail.proposal == merged
    assert "Two new teachers started." in repr(summary)
    lee.take(dana.bundle())
    assert visits.get_visit(lee.profile, visit).response["challenges"] == merged


def test_a_resolution_the_field_cannot_hold_is_refused_and_nothing_is_written(answer_conflict):
    dana, _lee, visit = answer_conflict
    notes = _answer_id(dana.profile, visit, "Implementation challenges")
    purpose = _answer_id(dana.profile, visit, "Purpose of the visit")
    before = database_bytes_digest(dana.profile)
    refusals = [
        (notes, 42, "Implementation challenges”: it must be text"),
        (purpose, [3], "“3” is not a choice"),
        (purpose, "lead_strategies", "it must be a list of choices"),
        (notes, "<<<<<<< Dana\na\n=======\nb\n>>>>>>> Lee\n", "between <<<<<<< and >>>>>>>"),
    ]
    for answer, value, sentence in refusals:
        with pytest.raises(RefusedInput, match=sentence.replace("[", r"\[")):
            conflicts.resolve_conflict(dana.profile, "visit_answer", answer, "value", value)
    assert database_bytes_digest(dana.profile) == before
    # A version chosen as it is, by its value, is kept.
    shown = conflicts.conflict_detail(dana.profile, "visit_answer", purpose, "value")
    lee_version = next(v for v in shown.versions if v.written_by == "Lee")
    conflicts.resolve_conflict(dana.profile, "visit_answer", purpose, "value", lee_version.value)
    assert visits.get_visit(dana.profile, visit).response["purpose"] == [
        "leader_coaching",
        "implementation",
    ]


def test_overlapping_edits_of_an_answer_are_marked_on_its_text_not_its_json(pair):
    dana, lee = pair
    visit, _school, _internal = coach_with_visit(dana.profile)
    visits.save_answer(dana.profile, visit, "challenges", "Coverage.\nSecond line.\n")
    lee.take(dana.bundle())
    visits.save_answer(dana.profile, visit, "challenges", "Coverage was short.\nSecond line.\n")
    visits.save_answer(lee.profile, visit, "challenges", "Coverage was fine.\nSecond line.\n")
    dana.take(lee.bundle())
    notes = _answer_id(dana.profile, visit, "Implementation challenges")
    detail = conflicts.conflict_detail(dana.profile, "visit_answer", notes, "value")
    assert not detail.proposal_clean
    assert "\\n" not in detail.proposal and '"' not in detail.proposal
    assert detail.proposal.endswith("Second line.\n")
    # Keeping the proposal with its marks is refused; the note still opens.
    with pytest.raises(RefusedInput, match="marks"):
        conflicts.resolve_conflict(dana.profile, "visit_answer", notes, "value", detail.proposal)
    opened = visits.get_visit(dana.profile, visit).response["challenges"]
    assert json.dumps(opened)  # a text, as saved


def test_a_walks_classrooms_and_its_date_read_as_rows_and_a_date(pair):
    from coachdesk.core.caseload import list_caseload
    from coachdesk.core.demo import caseload as demo_caseload

    dana, lee = pair
    with dana.profile.writing() as write:
        demo_caseload.load(write.session, today=WHEN.date())
    school = next(r for r in list_caseload(dana.profile) if r.program_code == "MA_SSOS")
    visit = visits.start_visit(
        dana.profile, school.school_id, visit_type="learning_walk", starts_at=WHEN
    )
    definition = visits.get_visit(dana.profile, visit).definition
    band = definition.field("classrooms").children
    grade = next(c for c in band if c.name == "grade_band")
    first, second = (c.name for c in grade.choices.choices[:2])
    visits.save_answer(dana.profile, visit, "classrooms", [{"grade_band": first, "minutes": 10}])
    lee.take(dana.bundle())
    visits.save_answer(lee.profile, visit, "classrooms", [{"grade_band": second, "minutes": 12}])
    visits.save_answer(lee.profile, visit, "walk_date", "2026-11-19")
    visits.save_answer(dana.profile, visit, "classrooms", [{"grade_band": first}, {"minutes": 15}])
    visits.save_answer(dana.profile, visit, "walk_date", "2026-11-20")
    dana.take(lee.bundle())
    rows = conflicts.conflict_detail(
        dana.profile, "visit_answer", stable_id(f"answer:{visit}:classrooms"), "value"
    )
    assert rows.summary.field_label == definition.field("classrooms").label
    minutes = next(c for c in band if c.name == "minutes").label
    assert {v.written_by: v.text for v in rows.versions} == {
        "Lee": f"Row 1: {grade.label}: {grade.choices.label_of(second)}; {minutes}: 12",
        "this laptop": (
            f"Row 1: {grade.label}: {grade.choices.label_of(first)}\nRow 2: {minutes}: 15"
        ),
    }
    assert rows.proposal is None
    day = conflicts.conflict_detail(
        dana.profile, "visit_answer", stable_id(f"answer:{visit}:walk_date"), "value"
    )
    assert sorted(v.text for v in day.versions) == ["Nov 19, 2026", "Nov 20, 2026"]
    with pytest.raises(RefusedInput, match="it must be a date"):  # no date input saves a list
        conflicts.resolve_conflict(
            dana.profile, "visit_answer", day.summary.record_id, "value", ["2026-11-19"]
        )
