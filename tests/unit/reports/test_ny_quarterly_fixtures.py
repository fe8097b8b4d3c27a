"""The one NY Receivership school the quarterly report tests read, on a fresh profile.

Built once per module and copied per test. Quarter 2 of 2026-27 (November 2026 to January 2027)
holds a final on-site visit with lead-strategy notes and three next steps (one overdue on
Dec 1, one open, one done), a draft virtual meeting, and there is a final visit in September
(Q1). The ELA DII has four student groups: SWD from 6 students (a small cell) and ML from 11
(the next-smallest subgroup, hidden so SWD's value cannot be worked out). No tests here: the
fixtures and helpers of test_ny_quarterly_report.py and test_ny_quarterly_source.py.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from coachdesk.core import visits
from coachdesk.core.assignments import AssignmentFields, assign
from coachdesk.core.coach import set_coach
from coachdesk.core.organizations import add_district, add_school
from coachdesk.core.store.profile import Profile, open_profile
from coachdesk.core.tracking_records.indicator_setup import add_indicator
from coachdesk.core.tracking_records.indicator_targets import CheckpointInput, set_target
from coachdesk.core.tracking_records.indicators import record_measurement
from coachdesk.reports.ny_quarterly_report import render_quarterly_report, write_quarterly_csv
from coachdesk.reports.ny_quarterly_source import build_quarterly_report
from tests.unit.reports.pdftext import read_pdf

TODAY = dt.date(2026, 12, 1)
SCHOOL = "Philip J. Schuyler Achievement Academy and Community School of the Performing Arts"
BEDS = "010100010030"
LEAD_NOTE = (
    "Lead strategy 2 (data-driven instruction): grade teams now meet weekly with the new"
    " protocol; the principal asked for help sequencing the spring interim assessments."
)


@dataclass(frozen=True)
class NySchool:
    school_id: str
    district_id: str
    final_visit: str
    draft_visit: str
    ela_ids: dict[str, str]  # student group -> indicator id


def ny_school(profile: Profile) -> NySchool:
    set_coach(
        profile,
        name="Dana Okafor-Nguyễn",
        employer="Capital Region School Support Partners",
        work_email="dana.okafor@capitalssp.org",
        work_phone="518-555-0142",
    )
    district = add_district(
        profile, name="Albany City School District", state="NY", state_id="010100010000"
    ).id
    school = add_school(
        profile, name=SCHOOL, district_id=district, state_id=BEDS, grade_span="PK-8"
    ).id
    assign(
        profile,
        school,
        AssignmentFields("NY_RCV", school_year="2026-27", receivership_year=3),
        today=TODAY,
    )
    ela = add_indicator(
        profile,
        school,
        name="3-8 ELA: Level 2 & above",
        kind="dii",
        level=1,
        groups=("All", "SWD", "Low income", "ML"),
        code="ELA38",
    ).ids
    groups = dict(zip(("All", "SWD", "Low income", "ML"), ela, strict=True))
    for group, (base, goal, target, value, n) in {
        "All": (38, 42, 46, 43.5, 212),
        "SWD": (12, 14, 18, 9.0, 6),
        "Low income": (33, 37, 41, 35.2, 140),
        "ML": (20, 23, 26, 27.0, 11),
    }.items():
        _target(profile, groups[group], base, goal, target)
        record_measurement(
            profile,
            groups[group],
            as_of=dt.date(2026, 11, 10),
            value=value,
            checkpoint="early",
            n=n,
        )
    chronic = add_indicator(
        profile,
        school,
        name="Chronic absenteeism",
        kind="dii",
        level=1,
        value_type="rate",
        direction="lower",
        code="CHRON",
    ).ids[0]
    _target(profile, chronic, 34, 31, 27)
    record_measurement(profile, chronic, as_of=dt.date(2026, 9, 30), value=30.4, checkpoint="early")
    # After Q1 ended: the Q1 report must not take it for its latest value.
    record_measurement(profile, chronic, as_of=dt.date(2026, 11, 30), value=36.0)
    add_indicator(
        profile,
        school,
        name="Weekly grade-level PLCs in place",
        kind="local",
        value_type="boolean",
        code="PLC",
    )

    september = visit_of(profile, school, dt.datetime(2026, 9, 16, 9, 0), "Opening visit")
    visits.finalize_visit(profile, september, accept_privacy_warnings=True)
    final = visit_of(profile, school, dt.datetime(2026, 11, 4, 9, 0), None)
    visits.save_answer(profile, final, "purpose", ["lead_strategies", "dii_progress"])
    visits.save_answer(profile, final, "lead_strategies", LEAD_NOTE)
    visits.save_answer(profile, final, "progress_overall", "some_concern")
    visits.save_answer(profile, final, "coach_notes", "Private: the AP seems overwhelmed.")
    visits.save_answer(
        profile,
        final,
        "next_steps",
        [
            {
                "step": "Share the interim calendar",
                "owner": "Principal",
                "due": "2026-11-20",
                "step_status": "open",
            },
            {
                "step": "Plan the February data day",
                "owner": "Data Coordinator",
                "due": "2026-12-18",
                "step_status": "open",
            },
            {
                "step": "Post the PLC protocol",
                "owner": "Coach",
                "due": "2026-11-12",
                "step_status": "done",
            },
        ],
    )
    visits.finalize_visit(profile, final, accept_privacy_warnings=True)
    draft = visits.start_visit(
        profile, school, visit_type="virtual", starts_at=dt.datetime(2026, 11, 18, 15, 0)
    )
    visits.save_answer(profile, draft, "lead_strategies", "DRAFT THOUGHTS NOT FOR OISR")
    visits.save_answer(
        profile,
        draft,
        "next_steps",
        [
            {
                "step": "Draft-only step",
                "owner": "Principal",
                "due": "2026-11-20",
                "step_status": "open",
            }
        ],
    )
    return NySchool(school, district, final, draft, groups)


def _target(profile: Profile, indicator: str, base: float, goal: float, target: float) -> None:
    set_target(
        profile,
        indicator,
        "2026-27",
        baseline=base,
        baseline_year="2025-26",
        annual_target=target,
        checkpoints={
            "early": CheckpointInput("2026-09-15", "2026-10-30", goal - 2),
            "mid": CheckpointInput("2027-01-02", "2027-01-31", goal),
        },
    )


def visit_of(profile: Profile, school: str, when: dt.datetime, purpose: str | None) -> str:
    visit = visits.start_visit(
        profile, school, visit_type="onsite", starts_at=when, purpose=purpose
    )
    visits.save_answer(profile, visit, "purpose", ["implementation"])
    visits.save_answer(profile, visit, "dii_reviewed", "no")
    return visit


# --- fixtures -------------------------------------------------------------------------------------


def make_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, NySchool]:
    """The school on a fresh profile, built once (each test module's `ny_template` fixture)."""
    folder = tmp_path_factory.mktemp("ny-quarterly") / "profile"
    profile = open_profile(folder)
    school = ny_school(profile)
    profile.close()
    return folder, school


def open_copy(
    template: tuple[Path, NySchool], tmp_path: Path
) -> Iterator[tuple[Profile, NySchool]]:
    """A copy of the template for one test to change as it likes (each module's `ny`)."""
    folder = tmp_path / "ny-profile"
    shutil.copytree(template[0], folder)
    profile = open_profile(folder)
    yield profile, template[1]
    profile.close()


def report_of(ny, period: str = "2026-Q2"):
    profile, school = ny
    return build_quarterly_report(profile, org_id=school.school_id, period=period, today=TODAY)


def pdf_of(data, tmp_path: Path, *, large_print: bool = False):
    out = tmp_path / ("large.pdf" if large_print else "report.pdf")
    result = render_quarterly_report(data, out, large_print=large_print)
    pdf = read_pdf(out)
    assert result.pages == len(pdf.pages)
    return pdf


def csv_of(data, tmp_path: Path) -> list[dict[str, str]]:
    out = tmp_path / "report.csv"
    write_quarterly_csv(data, out)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM, so Excel reads Nguyễn as written
    return list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
