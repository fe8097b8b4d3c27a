"""Privacy enforced at print, whatever the form checked: small cells in a repeat of results and
look-for shares of too few classrooms never print (issue 14). Each test reads the PDF."""

from __future__ import annotations

import datetime as dt
import io

from coachdesk.core import visits
from coachdesk.core.store.profile import Profile
from coachdesk.core.store.schema import Assignment, Coach, Organization
from coachdesk.core.visits import get_visit, list_visits
from coachdesk.reports.printed_answers import print_limits
from coachdesk.reports.visit_source import build_visit_summary
from coachdesk.reports.visit_summary import render_visit_summary
from tests.unit.reports.pdftext import ReadPdf, read_pdf

WHEN = dt.datetime(2026, 11, 12, 9, 0)


def render(profile: Profile, visit_id: str, *, large_print: bool = False) -> ReadPdf:
    buffer = io.BytesIO()
    render_visit_summary(build_visit_summary(profile, visit_id), buffer, large_print=large_print)
    return read_pdf(buffer.getvalue())


def shown(value: float) -> str:
    """A result as the summary prints it (the form's decimal, as typed)."""
    return str(value)


def ma_district(profile: Profile) -> tuple[str, str]:
    """A fresh MA district with one school on Dana's caseload: (district id, school id)."""
    with profile.writing() as write:
        s = write.session
        coach = Coach(name="Dana Whitfield", employer="SSoS Central Region")
        district = Organization(kind="district", name="Bellmere Public Schools", state="MA")
        s.add_all([coach, district])
        s.flush()
        school = Organization(
            kind="school", name="Walsh Middle School", state="MA", parent_id=district.id
        )
        s.add(school)
        s.flush()
        for org in (district, school):
            s.add(
                Assignment(
                    coach_id=coach.id, org_id=org.id, program_code="MA_SSOS", school_year="2026-27"
                )
            )
    return district.id, school.id


# --- small cells in a repeat of results -----------------------------------------------------------


def test_the_demos_final_pm_meetings_print_no_result_for_fewer_than_ten_students(demo) -> None:
    threshold = print_limits("MA_SSOS").small_cell_threshold
    assert threshold == 10
    small_groups: list[int] = []
    for row in list_visits(demo):
        if row.visit_type != "pm_meeting" or row.status not in ("final", "shared"):
            continue
        answers = get_visit(demo, row.id).response.get("benchmarks") or []
        small = [r for r in answers if int(r.get("group_size") or 0) < threshold]
        if not small:
            continue
        pdf = render(demo, row.id)
        for result in small:
            small_groups.append(int(result["group_size"]))
            assert shown(result["value"]) not in pdf.flat, (row.id, result)
        assert "n<10" in pdf.text
        # Nor how few students: a small row's count prints as n<10 (rows in the note's order).
        table = next(
            s.table for s in build_visit_summary(demo, row.id).observations.sections if s.table
        )
        students = table.headings.index("Students")
        assert len(table.rows) == len(answers)
        for line, result in zip(table.rows, answers, strict=True):
            if result in small:
                assert line[students] == "n<10"
        assert f"A result for fewer than {threshold} students prints as n<{threshold}" in pdf.flat
    # The demo's final notes hold groups of 5 and 6 (and smaller), as issue 14 found.
    assert {5, 6} <= set(small_groups)


def pm_meeting(profile: Profile, district: str, rows: list[dict]) -> str:
    meeting = visits.start_visit(profile, district, visit_type="pm_meeting", starts_at=WHEN)
    visits.save_answer(profile, meeting, "pm_window", "mid_year")
    visits.save_answer(profile, meeting, "benchmarks", rows)
    return meeting


def test_one_small_group_hides_the_next_smallest_and_the_rest_prints(profile) -> None:
    district, _school = ma_district(profile)
    mcap = {"benchmark": "MCAP", "school": "Walsh", "benchmark_kind": "outcome"}
    ela = {"benchmark": "ELA9", "school": "Walsh", "benchmark_kind": "outcome"}
    meeting = pm_meeting(
        profile,
        district,
        [
            {**mcap, "student_group": "all", "value": 42.4, "group_size": 120},
            {**mcap, "student_group": "swd", "value": 31.7, "group_size": 8},
            {**mcap, "student_group": "ml", "value": 35.9, "group_size": 25},
            {**mcap, "student_group": "low_income", "value": 44.6, "group_size": 40},
            {**ela, "student_group": "all", "value": 57.3, "group_size": 60},
            {**ela, "student_group": "ml", "value": 48.8, "group_size": 15},
        ],
    )
    pdf = render(profile, meeting)
    text = pdf.flat
    assert "31.7" not in text  # 8 students with disabilities: a small cell
    assert "35.9" not in text  # the next smallest group, else All minus the others gives it back
    for value in ("42.4", "44.6", "57.3", "48.8"):
        assert value in text
    assert text.count("n<10") >= 4  # result, count and status of each hidden row
    # As a table of rows, not run-on text: headings once, no "Result:" label per row.
    assert "Result: " not in text and "Student group" in text

    section = next(
        s for s in build_visit_summary(profile, meeting).observations.sections if s.table
    )
    group = section.table.headings.index("Student group")
    result = section.table.headings.index("Result")
    assert [(r[group], r[result]) for r in section.table.rows] == [
        ("All students", "42.4"),
        ("Students with disabilities", "n<10"),
        ("Multilingual learners", "n<10"),
        ("Low income", "44.6"),
        ("All students", "57.3"),
        ("Multilingual learners", "48.8"),
    ]


def test_a_result_without_its_number_of_students_prints_no_result(profile) -> None:
    district, _school = ma_district(profile)
    meeting = pm_meeting(
        profile,
        district,
        [{"benchmark": "MCAP", "student_group": "swd", "value": 61.3, "benchmark_status": "met"}],
    )
    pdf = render(profile, meeting)
    assert "61.3" not in pdf.flat
    assert "no n" in pdf.flat
    assert "Met" not in pdf.lines  # the status says what the result is; it goes with it


# --- learning walks: no share of fewer than three classrooms --------------------------------------


def walk_of(profile: Profile, school: str, ratings: list[str]) -> str:
    walk = visits.start_visit(profile, school, visit_type="learning_walk", starts_at=WHEN)
    visits.save_answer(profile, walk, "focus_of_inquiry", "Do students explain their reasoning?")
    rows = [
        {"grade_band": "g6_8", "content_area": "math", "lf_discourse": r, "lf_task": r}
        for r in ratings
    ]
    visits.save_answer(profile, walk, "classrooms", rows)
    return walk


def test_a_walk_of_two_classrooms_prints_no_share_and_says_why(profile) -> None:
    _district, school = ma_district(profile)
    walk = walk_of(profile, school, ["observed", "observed"])
    pdf = render(profile, walk)
    text = pdf.flat
    assert "%" not in text  # 100% of two rooms is a rating of two teachers
    assert "Classrooms visited: 2 classrooms" in text
    assert "Shares by look-for are not printed for fewer than 3 classrooms" in text
    assert "Students explain their reasoning to peers" in text  # the look-for, counted

    findings = build_visit_summary(profile, walk).learning_walk
    assert findings.classrooms_visited == 2
    assert all(r.pct_observed is None and r.pct_partly is None for r in findings.look_fors)


def test_a_walk_of_three_classrooms_prints_its_shares(profile) -> None:
    _district, school = ma_district(profile)
    walk = walk_of(profile, school, ["observed", "observed", "partly"])
    text = render(profile, walk).flat
    assert "67%" in text and "33%" in text
    assert "Shares by look-for are not printed" not in text
    assert "Classrooms visited: 3 classrooms" in text


def test_a_look_for_rated_in_one_classroom_of_a_long_walk_prints_no_share(profile) -> None:
    _district, school = ma_district(profile)
    walk = visits.start_visit(profile, school, visit_type="learning_walk", starts_at=WHEN)
    rows = [{"lf_discourse": "observed", "lf_task": "not_applicable"} for _ in range(4)]
    rows[0]["lf_task"] = "observed"  # grade-level task rated in one room only
    visits.save_answer(profile, walk, "classrooms", rows)
    findings = build_visit_summary(profile, walk).learning_walk
    by_label = {r.look_for: r for r in findings.look_fors}
    task = by_label["Students are working on a grade-level task"]
    discourse = by_label["Students explain their reasoning to peers"]
    assert (task.classrooms_seen, task.pct_observed) == (1, None)
    assert discourse.pct_observed == 100.0  # four rooms: a share of the school's practice
    text = render(profile, walk).flat
    row = text.split("Students are working on a grade-level task")[1].split("Students explain")[0]
    assert "%" not in row and "—" in row  # its row: 1 classroom, no shares
    assert "100%" in text.split("Students explain their reasoning to peers")[1]


# --- counts typed in narrative --------------------------------------------------------------------


def test_a_small_count_typed_in_narrative_is_a_warning_before_finalizing(profile) -> None:
    from coachdesk.core.forms.privacy import small_counts

    assert small_counts("5 of 6 SWD students did not meet it")
    assert small_counts("42% met it (n=6)")
    assert small_counts("3 of the 25 multilingual learners")
    for plain in (
        "42% of grade 3 students met the benchmark (n=120)",
        "Students explained their reasoning in 4 of 6 classrooms.",
        "12 of 40 students met the goal.",
    ):
        assert small_counts(plain) == [], plain

    district, _school = ma_district(profile)
    meeting = pm_meeting(profile, district, [])
    visits.save_answer(profile, meeting, "gaps", "5 of 6 SWD students at Walsh did not meet it.")
    warnings = visits.check_before_finalizing(profile, meeting).privacy
    assert len(warnings) == 1
    assert warnings[0].startswith("Gaps and different experiences across schools")
    assert "this gives a count of fewer than 10 students" in warnings[0]
    assert warnings[0].endswith("(“5 of 6 SWD students at Walsh did not meet it.”)")


def test_the_demos_pm_results_name_a_benchmark_and_the_school_they_are_for(demo) -> None:
    meetings = [
        row
        for row in list_visits(demo)
        if row.visit_type == "pm_meeting" and row.status in ("final", "shared")
    ]
    assert meetings
    for row in meetings:
        table = next(
            s.table for s in build_visit_summary(demo, row.id).observations.sections if s.table
        )
        code, school = table.headings.index("Benchmark code"), table.headings.index("School")
        assert {line[code] for line in table.rows} <= {"DISC", "MCAP"}  # the demo's benchmarks
        assert {line[school] for line in table.rows} == {row.school_name}
