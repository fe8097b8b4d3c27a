"""Learning-walk tallies, other rollups, and the scan for student identity."""

from __future__ import annotations

import datetime as dt

import pytest

from coachdesk.core.forms import find_definition, rollups, scan_response, scan_text, summarize_walk


@pytest.fixture(scope="module")
def walk():
    return find_definition("ma_learning_walk", 1)


def room(grade, area, **ratings):
    return {"grade_band": grade, "content_area": area, **ratings}


def test_share_observed_counts_partly_apart_and_leaves_out_not_applicable(walk):
    response = {
        "classrooms": [
            room("g3_5", "math", lf_discourse="observed"),
            room("g3_5", "ela", lf_discourse="partly"),
            room("g6_8", "math", lf_discourse="not_observed"),
            room("g6_8", "math", lf_discourse="not_applicable"),
            room("g6_8", "ela", lf_discourse="observed"),
        ]
    }
    summary = summarize_walk(walk, response)
    assert summary.classrooms == 5
    discourse = next(t for t in summary.overall if t.name == "lf_discourse")
    assert (discourse.observed, discourse.partly, discourse.not_observed) == (2, 1, 1)
    assert discourse.not_applicable == 1
    assert discourse.seen == 4
    assert discourse.share_observed == pytest.approx(0.5)
    assert discourse.share_partly == pytest.approx(0.25)
    by_grade = {
        k: next(t for t in v if t.name == "lf_discourse") for k, v in summary.by_grade_band.items()
    }
    assert by_grade["Grades 3–5"].share_observed == pytest.approx(0.5)
    assert by_grade["Grades 6–8"].seen == 2
    by_area = {
        k: next(t for t in v if t.name == "lf_discourse")
        for k, v in summary.by_content_area.items()
    }
    assert by_area["Mathematics"].observed == 1 and by_area["Mathematics"].not_applicable == 1
    # A look-for nobody rated has no share rather than 0 %.
    target = next(t for t in summary.overall if t.name == "lf_target")
    assert target.seen == 0 and target.share_observed is None


def test_walk_summary_has_no_per_classroom_or_teacher_view(walk):
    summary = summarize_walk(walk, {"classrooms": [room("g3_5", "math", lf_task="observed")]})
    assert set(vars(summary)) == {"classrooms", "overall", "by_grade_band", "by_content_area"}


def test_rollups_count_and_pct_observed():
    pm = find_definition("ma_pm_meeting", 1)
    response = {
        "benchmarks": [
            {"benchmark": "ELA", "student_group": "ml", "benchmark_status": "on_track"},
            {"benchmark": "Math", "student_group": "swd", "benchmark_status": "at_risk"},
            {"benchmark": "Math", "student_group": "ml", "benchmark_status": "on_track"},
        ]
    }
    found = {r.field: r for r in rollups(pm, response)}
    assert found["student_group"].counts == {
        "Multilingual learners": 2,
        "Students with disabilities": 1,
    }
    assert found["benchmark_status"].counts == {"On track": 2, "At risk": 1}
    assert found["benchmark_kind"].rows == 0


def test_scan_finds_ids_birth_dates_initials_and_names():
    today = dt.date(2026, 3, 10)
    cases = {
        "NYSSIS 1234567890 was absent": "id_label",
        "the number 1234567890 was on the sheet": "id_number",
        "Ohio SSID AB1234567 came up": "id_label",
        "card read AB1234567": "id_number",
        "born on 4/12/2015 in Albany": "date_of_birth",
        "a form dated 04/12/2014": "date_of_birth",
        "J.M. read aloud to the group": "initials",
        "a student named Maria shared": "student_name",
        "Student Jayden explained his thinking": "student_name",
        "her IEP goals were discussed": "student_name",
    }
    for text, kind in cases.items():
        kinds = [k for k, _m, _s, _e in scan_text(text, today=today)]
        assert kind in kinds, (text, kinds)


def test_scan_leaves_ordinary_coaching_notes_alone():
    today = dt.date(2026, 3, 10)
    for text in (
        "42% of grade 3 students met the benchmark (n=120) in 2025-26.",
        "The SILT met at 3 p.m. in the library; the U.S. history team joined.",
        "Students explained their reasoning in 4 of 6 classrooms.",
        "Next visit 03/24/2026 with the principal.",
        "Budget of $5,000 for family events.",
    ):
        assert scan_text(text, today=today) == [], text


def test_scan_response_only_reads_no_student_fields_and_names_the_path(walk):
    response = {
        "focus_of_inquiry": "How do students like J.M. talk about math?",
        "coach_notes": "call 5551234567 tomorrow",  # internal: not scanned
        "classrooms": [{"ev_discourse": "fine"}, {"ev_discourse": "SASID 1234567890 on desk"}],
    }
    findings = scan_response(walk, response, today=dt.date(2026, 3, 10))
    assert [(f.path, f.kind) for f in findings] == [
        ("focus_of_inquiry", "initials"),
        ("classrooms[1].ev_discourse", "id_label"),
        ("classrooms[1].ev_discourse", "id_number"),
    ]
    assert "SASID 1234567890" in findings[1].excerpt
    assert findings[1].message.startswith("Evidence: this names a student identifier")
