"""The MA progress-monitoring report for the DILT: what the DILT reads in it, small cells and
small walks never printed, the PM-meeting rule, the CSV file, and how fast it is built."""

from __future__ import annotations

import csv
import datetime as dt
import io
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from coachdesk.core import organizations
from coachdesk.core.assignments import AssignmentFields, assign
from coachdesk.core.errors import NotFound, RefusedInput
from coachdesk.core.store.profile import Profile
from coachdesk.core.store.visit_tables import Visit
from coachdesk.core.tracking_records import indicator_setup, indicator_targets, indicators
from coachdesk.core.tracking_records.plans import update_priority
from coachdesk.core.visits.details import update_visit
from coachdesk.core.visits.service import save_answer, start_visit
from coachdesk.reports.ma_dilt_report import render_dilt_report, write_dilt_csv
from coachdesk.reports.ma_dilt_source import build_dilt_report, dilt_orgs, dilt_periods
from tests.unit.reports.pdftext import read_pdf

YEAR = "2025-26"
AFTER_THE_YEAR = dt.date(2026, 7, 15)
IN_THE_MID_WINDOW = dt.date(2026, 1, 12)
LONG_LINK = (
    "https://www.doe.mass.edu/csdp/guidebook/coherence-self-assessment-district-version.docx"
)
CHECKPOINTS = {
    "early": indicator_targets.CheckpointInput("2025-09-15", "2025-10-31", 40),
    "mid": indicator_targets.CheckpointInput("2025-12-01", "2026-02-28", 45),
    "eoy": indicator_targets.CheckpointInput("2026-05-01", "2026-06-19", 50),
}


def _room(grade: str, *ratings: str) -> dict:
    names = ("lf_target", "lf_task", "lf_discourse", "lf_checks", "lf_access")
    return {"grade_band": grade, "content_area": "math", "minutes": 12} | dict(
        zip(names, ratings, strict=False)
    )


def _visit(
    profile: Profile,
    org_id: str,
    kind: str,
    day: dt.date,
    minutes: int,
    *,
    status: str = "final",
    answers: dict | None = None,
) -> str:
    starts = dt.datetime.combine(day, dt.time(9, 0))
    visit_id = start_visit(profile, org_id, visit_type=kind, starts_at=starts)
    update_visit(profile, visit_id, ends_at=starts + dt.timedelta(minutes=minutes))
    for field, value in (answers or {}).items():
        save_answer(profile, visit_id, field, value)
    with profile.writing() as write:  # held and finalized, as the coach would leave it
        write.session.scalars(select(Visit).where(Visit.id == visit_id)).one().status = status
    return visit_id


def harwood(profile: Profile) -> dict[str, str]:
    """A real-looking MA district with one school: benchmarks, walks, PM meetings, next steps."""
    district = organizations.add_district(
        profile, name="Harwood Public Schools", state="MA", state_id="01230000"
    ).id
    school = organizations.add_school(
        profile, name="Pemberton Street Elementary School", district_id=district
    ).id
    # The district partnership, with its school identified (each gets an assignment).
    fields = AssignmentFields("MA_SSOS", school_year=YEAR, identified_schools=(school,))
    assign(profile, district, fields, today=dt.date(2025, 8, 4))
    update_priority(
        profile,
        district,
        YEAR,
        statement="Every student in grades 3 to 8 explains their mathematical reasoning daily.",
        dilt_focus="Use walk evidence to plan the spring PD cycle.",
        checklist_done={"ip_affirmed", "benchmarks_set"},
    )
    added = indicator_setup.add_indicator(
        profile,
        school,
        name="Students meeting the math interim benchmark",
        kind="benchmark",
        code="MCAP",
        groups=("All", "ML", "SWD"),
    )
    ids = dict(zip(("All", "ML", "SWD"), added.ids, strict=True))
    for indicator_id in ids.values():
        indicator_targets.set_target(
            profile,
            indicator_id,
            YEAR,
            baseline=30,
            baseline_year="2024-25",
            annual_target=50,
            checkpoints=CHECKPOINTS,
        )
    for group, value, n in (("All", 47, 240), ("ML", 38, 31), ("SWD", 61.5, 7)):
        indicators.record_measurement(
            profile, ids[group], as_of=dt.date(2026, 1, 9), value=value, n=n, checkpoint="mid"
        )
    indicators.record_measurement(
        profile, ids["All"], as_of=dt.date(2026, 5, 20), value=52, n=238, checkpoint="eoy"
    )
    four = [
        _room("g3_5", "observed", "observed", "partly", "not_observed", "observed"),
        _room("g3_5", "observed", "not_observed", "not_observed", "observed", "partly"),
        _room("g6_8", "not_observed", "observed", "observed", "observed", "observed"),
        _room("g6_8", "observed", "observed", "not_observed", "not_applicable", "observed"),
    ]
    _visit(
        profile,
        school,
        "learning_walk",
        dt.date(2025, 11, 18),
        120,
        answers={
            "focus_of_inquiry": "Do students explain their reasoning to peers?",
            "classrooms": four,
        },
    )
    two = [_room("g3_5", *["observed"] * 5), _room("g3_5", *["observed"] * 5)]
    _visit(
        profile,
        school,
        "learning_walk",
        dt.date(2026, 1, 27),
        60,
        answers={
            "focus_of_inquiry": "Discourse in grade 3",
            "classrooms": two,
        },
    )
    _visit(
        profile,
        school,
        "learning_walk",
        dt.date(2026, 2, 24),
        90,
        status="draft",
        answers={"focus_of_inquiry": "Draft walk", "classrooms": four},
    )
    _visit(profile, district, "pm_meeting", dt.date(2026, 1, 20), 60)  # too short for the rule
    _visit(profile, school, "pm_meeting", dt.date(2026, 5, 12), 120)
    _visit(
        profile,
        school,
        "onsite",
        dt.date(2026, 1, 14),
        120,
        answers={
            "next_steps": [
                {
                    "step": f"Share the self-assessment ({LONG_LINK}) with the SILT",
                    "owner": "Principal",
                    "due": "2026-02-06",
                    "step_status": "open",
                },
                {
                    "step": "Book the March learning walk",
                    "owner": "Coach",
                    "due": "2026-01-30",
                    "step_status": "done",
                },
            ],
        },
    )
    return {"district": district, "school": school} | ids


@pytest.fixture
def district(profile: Profile) -> dict[str, str]:
    return harwood(profile)


def _report(profile: Profile, ids: dict, period: str = f"{YEAR} mid", today=AFTER_THE_YEAR):
    return build_dilt_report(profile, org_id=ids["district"], period=period, today=today)


def _pdf(data, *, large_print: bool = False):
    out = io.BytesIO()
    render_dilt_report(data, out, large_print=large_print)
    return read_pdf(out.getvalue())


def _csv(data) -> list[dict[str, str]]:
    out = io.StringIO()
    write_dilt_csv(data, out)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def test_the_dilt_reads_the_window_the_priority_and_who_prepared_it(
    profile: Profile, district: dict
) -> None:
    from coachdesk.core.coach import set_coach

    set_coach(
        profile,
        name="Renata Okafor",
        employer="SSoS Coastal Regional Assistance Team",
        work_email="rokafor@example.org",
        work_phone="617-555-0142",
    )
    pdf = _pdf(_report(profile, district))

    page_one = " ".join(pdf.pages[0].split())
    assert "Harwood Public Schools: Mid-year 2025-26 progress monitoring" in page_one
    assert "Mid-year window Dec 1, 2025 to Feb 28, 2026" in page_one
    assert "Data as of Feb 28, 2026" in page_one
    assert (
        "Renata Okafor, SSoS Coastal Regional Assistance Team · rokafor@example.org · 617-555-0142"
        in page_one
    )
    assert "Every student in grades 3 to 8 explains their mathematical reasoning daily." in page_one
    assert "Phases 2 & 3: Implement, Track" in page_one
    assert "Not yet done: Primary contact named; DILT self-assessment done." in page_one
    assert "Multilingual learners (ML), Students with disabilities (SWD)" in page_one
    assert pdf.reader.metadata.title == (
        "Progress monitoring for the DILT: Harwood Public Schools, Mid-year 2025-26"
    )


def test_a_result_from_fewer_than_ten_students_never_prints(
    profile: Profile, district: dict
) -> None:
    data = _report(profile, district)
    pdf = _pdf(data)

    assert "47% (n=240)" in pdf.flat and "38% (n=31)" in pdf.flat
    assert "Suppressed" in pdf.flat
    assert "61.5" not in pdf.text and "n=7" not in pdf.text and "62%" not in pdf.text
    rows = _csv(data)
    swd = next(r for r in rows if r["Group"] == "SWD" and r["Checkpoint"] == "Mid-year")
    assert (swd["Result"], swd["n"], swd["Status"]) == ("suppressed (n<10)", "", "suppressed")
    assert not any("61.5" in value or value == "7" for r in rows for value in r.values())


def test_the_table_shows_the_windows_checkpoint_and_the_one_before(
    profile: Profile, district: dict
) -> None:
    mid = _pdf(_report(profile, district))
    end = _pdf(_report(profile, district, f"{YEAR} end"))

    assert "Early" in mid.text and "End of year" not in mid.text
    assert "52% (n=238)" in end.flat and "47% (n=240)" in end.flat
    assert "Early" not in end.text


def test_a_walk_of_too_few_classrooms_prints_no_percentage(
    profile: Profile, district: dict
) -> None:
    data = _report(profile, district)
    pdf = _pdf(data)

    # The four-classroom walk: 3 of 4 observed; the two-classroom walk (all observed) shows none.
    assert "Nov 18, 2025 Pemberton Street Elementary School 4 75% 75% 25% 67% 75%" in pdf.flat
    assert "2 (too few) — — — — —" in pdf.flat
    assert "100%" not in pdf.text
    assert "1 walk whose note is still a draft is not counted" in pdf.flat
    walk_rows = [r for r in _csv(data) if r["Section"] == "Learning walks"]
    small = [r for r in walk_rows if r["Walk date"] == "2026-01-27"]
    assert {r["Result"] for r in small} == {"not shown (fewer than 3 classrooms)"}
    assert not any("100%" in r["Result"] for r in _csv(data))


def test_a_look_for_rated_in_fewer_classrooms_than_the_minimum_prints_no_share(
    profile: Profile, district: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    from coachdesk.reports import ma_dilt_walks

    monkeypatch.setattr(ma_dilt_walks, "walk_minimum", lambda: 4)
    pdf = _pdf(_report(profile, district))

    # "The teacher checks for understanding" applied in 3 of the 4 classrooms (one N/A).
    assert "Nov 18, 2025 Pemberton Street Elementary School 4 75% 75% 25% — 75%" in pdf.flat
    assert "67%" not in pdf.text


def test_the_walk_minimum_is_the_rules_config() -> None:
    from coachdesk.core.tracking_rules import shipped_rules
    from coachdesk.reports.ma_dilt_walks import walk_minimum

    expected = getattr(shipped_rules().common, "min_walk_classrooms", 3)
    assert walk_minimum() == expected == 3


def test_pm_meetings_are_judged_against_the_ninety_minute_rule(
    profile: Profile, district: dict
) -> None:
    mid = _report(profile, district)
    end = _report(profile, district, f"{YEAR} end")

    assert not mid.pm_met and end.pm_met
    mid_text = _pdf(mid).flat
    assert "at least 90 minutes in each window (mid-year: Dec 1, 2025 to Feb 28, 2026)" in mid_text
    assert "Not met: the window closed without a meeting of 90 minutes." in mid_text
    assert "Jan 20, 2026 Harwood Public Schools 60 Held, under 90 minutes" in mid_text
    assert "Met: held on May 12, 2026 (120 minutes)." in _pdf(end).flat


def test_open_action_steps_print_with_owner_and_due_date(profile: Profile, district: dict) -> None:
    pdf = _pdf(_report(profile, district))

    joined = "".join(pdf.text.split())  # a long address wraps inside its column
    assert LONG_LINK in joined
    assert "Principal" in pdf.text and "Feb 6, 2026" in pdf.flat and "past due" in pdf.flat
    assert "Book the March learning walk" not in pdf.flat  # done before the window ended


def test_the_due_key_is_the_windows_pm_item_while_it_is_listed(
    profile: Profile, district: dict
) -> None:
    at_risk = _report(profile, district, today=dt.date(2026, 1, 20))
    assert at_risk.due_key == f"ma.pm_window:{district['district']}:{YEAR} mid"

    held = _report(profile, district, f"{YEAR} end", today=dt.date(2026, 5, 20))
    assert held.due_key is None  # a 120-minute meeting is on the calendar: nothing is due


def test_large_print_is_bigger_and_says_the_same(profile: Profile, district: dict) -> None:
    data = _report(profile, district)
    regular, large = _pdf(data), _pdf(data, large_print=True)

    assert max(large.font_sizes_of("Instructional Priority")) > max(
        regular.font_sizes_of("Instructional Priority")
    )
    assert len(large.pages) >= len(regular.pages)
    for words in ("38% (n=31)", "Suppressed", "2 (too few)", "Held, under 90 minutes"):
        assert words in large.flat


def test_the_csv_has_a_section_column_a_bom_and_no_formula(
    profile: Profile, district: dict, tmp_path: Path
) -> None:
    indicator_setup.add_indicator(
        profile,
        district["school"],
        name='=HYPERLINK("http://x")',
        kind="benchmark",
        code="XTRA",
        groups=("All",),
    )
    data = _report(profile, district)
    path = tmp_path / "dilt.csv"
    rows = write_dilt_csv(data, path)

    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    read = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(read) == rows
    assert {r["Section"] for r in read} == {
        "Benchmark results",
        "Learning walks, year so far",
        "Learning walks",
    }
    assert list(read[0])[:8] == [
        "Section",
        "School",
        "Group",
        "Benchmark",
        "Checkpoint",
        "n",
        "Result",
        "Status",
    ]
    assert not any(v.startswith("=") for r in read for v in r.values())


@pytest.mark.parametrize(
    ("period", "words"),
    [
        ("2025-26 middle", "e.g. “2026-27 mid”"),
        ("2025 mid", "e.g. “2026-27 mid”"),
        ("2025-27 end", "Write the school year as 2026-27"),
        ("2099-00 mid", "has not begun"),
    ],
)
def test_a_wrong_period_is_refused_with_a_sentence(
    profile: Profile, district: dict, period: str, words: str
) -> None:
    with pytest.raises(RefusedInput, match=words.replace("(", r"\(")):
        _report(profile, district, period)


def test_a_school_an_unknown_district_or_one_outside_ma_is_refused(
    profile: Profile, district: dict
) -> None:
    with pytest.raises(RefusedInput, match="is a school; the DILT report is for its district"):
        build_dilt_report(profile, org_id=district["school"], period=f"{YEAR} mid")
    with pytest.raises(NotFound, match="no such district"):
        build_dilt_report(profile, org_id="nope", period=f"{YEAR} mid")
    other = organizations.add_district(profile, name="Quinsig Regional", state="MA").id
    with pytest.raises(RefusedInput, match="has no school in MA SSoS"):
        build_dilt_report(profile, org_id=other, period=f"{YEAR} mid")


def test_the_due_items_period_names_the_same_window(profile: Profile, district: dict) -> None:
    # The end-of-year due item's period is "2025-26 eoy" (the rules file's id for the window).
    assert _report(profile, district, f"{YEAR} eoy").period == f"{YEAR} end"


def test_the_periods_and_districts_a_coach_picks_from(profile: Profile, district: dict) -> None:
    assert dilt_periods(dt.date(2026, 12, 1)) == ["2026-27 mid", "2025-26 end", "2025-26 mid"]
    # Two weeks before a window opens it is offered first, to prepare the meeting.
    assert dilt_periods(dt.date(2027, 4, 16))[0] == "2026-27 end"
    assert dilt_periods(dt.date(2026, 10, 1)) == ["2025-26 end", "2025-26 mid"]
    assert dilt_orgs(profile, today=dt.date(2026, 1, 20)) == [
        (district["district"], "Harwood Public Schools")
    ]
    assert dilt_orgs(profile, today=dt.date(2026, 9, 1)) == []  # not assigned for 2026-27


def test_every_demo_district_prints_both_windows_in_under_a_second(demo_on) -> None:
    today = dt.date(2026, 12, 1)
    demo = demo_on(today)  # its districts assigned for 2026-27, whatever the real date
    districts = dilt_orgs(demo, today=today)
    assert len(districts) == 3
    build_dilt_report(demo, org_id=districts[0][0], period="2026-27 mid", today=today)  # warm
    for org_id, name in districts:
        for period in ("2026-27 mid", "2025-26 end"):
            started = time.perf_counter()
            data = build_dilt_report(demo, org_id=org_id, period=period, today=today)
            pdf = _pdf(data)
            elapsed = time.perf_counter() - started
            assert elapsed < 1.0, f"{name} {period}: {elapsed:.2f} s"
            assert f"{name}: {data.period_label} progress monitoring" in pdf.flat
            assert "Progress-monitoring meetings" in pdf.flat


@pytest.mark.parametrize("rows_that_fit", [1, 2, 5, 8, 9])
def test_a_table_never_leaves_one_row_alone_on_a_page(rows_that_fit: int) -> None:
    from coachdesk.reports.ma_dilt_report import _table
    from coachdesk.reports.pdf_layout import make_styles

    st = make_styles()
    table = _table(
        ["Next step", "Due"], [(f"Step {i}", "Feb 6, 2026") for i in range(10)], [300, 100], st
    )
    table.wrap(400, 10_000)
    heights = table._rowHeights
    room = sum(heights[: 1 + rows_that_fit]) + 1  # the heading and that many rows fit

    parts = [p for p in table.split(400, room) if hasattr(p, "_cellvalues")]

    body_rows = [len(p._cellvalues) - 1 for p in parts]  # less the repeated heading
    assert sum(body_rows) in (0, 10)  # nothing lost: split whole, or moved on whole
    assert all(n >= 2 for n in body_rows), body_rows


def test_beside_the_districts_total_a_second_school_is_suppressed(profile: Profile) -> None:
    ids = harwood(profile)
    other = organizations.add_school(
        profile, name="Ellery Middle School", district_id=ids["district"]
    ).id
    results = {ids["district"]: (45, 239), ids["school"]: (51, 231), other: (20, 8)}
    for org, (value, n) in results.items():
        (indicator,) = indicator_setup.add_indicator(
            profile, org, name="Grade 3-8 math", kind="benchmark", code="G38", groups=("All",)
        ).ids
        indicators.record_measurement(
            profile, indicator, as_of=dt.date(2026, 1, 9), value=value, n=n, checkpoint="mid"
        )
    data = _report(profile, ids)

    text = _pdf(data).flat
    assert "45% (n=239) No goal set" in text  # the district's own result, no target set
    assert "n=231" not in text and "51%" not in text  # 239 - 231 would give the small school
    assert "n=8" not in text and "20%" not in text
    g38 = [
        r
        for r in _csv(data)
        if r["Benchmark"].startswith("G38") and (r["Checkpoint"], r["Group"]) == ("Mid-year", "All")
    ]
    assert {r["School"]: r["Result"] for r in g38} == {
        "Harwood Public Schools": "45%",
        "Pemberton Street Elementary School": "suppressed (complementary)",
        "Ellery Middle School": "suppressed (n<10)",
    }


def test_a_very_long_next_step_is_shortened_and_still_prints(
    profile: Profile, district: dict
) -> None:
    import dataclasses

    from coachdesk.reports.ma_dilt_data import ActionStep

    data = _report(profile, district)
    words = "Model the discourse routine in every grade 3 math block " * 40  # 2,240 characters
    steps = tuple(
        ActionStep(
            f"{i}: {words}",
            "Principal",
            dt.date(2026, 2, 6),
            "Pemberton",
            dt.date(2026, 1, 14),
            True,
        )
        for i in range(3)
    )
    long = dataclasses.replace(data, action_steps=steps)

    for large_print in (False, True):  # three rows too tall for one page together
        pdf = _pdf(long, large_print=large_print)
        assert pdf.flat.count("(shortened here; the full text is in the note of the visit on") == 3
        assert "Jan 14, 2026)" in pdf.flat
