"""The OH SST quarterly coaching log for OSU, read back from the PDF and the CSV file.

One real-looking district on a fresh profile, on December 1, 2026 (Q2 of 2026-27 is October to
December 2026, due at OSU on January 15, 2027):

- Dr. Mae C. Jemison STEM Academy: a check-in in September (Q1), two final check-ins in Q2 (the
  school moved from Installing to Initial Implementation between them), a draft one, and one
  planned for December 15 (not yet held);
- Lakeview Elementary School: on the caseload, no check-in in Q2;
- Tecumseh Middle School: in the district but not on the OH caseload, with a check-in;
- a school of another district on the OH caseload, with a check-in.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, replace
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from coachdesk.cli import main
from coachdesk.core import visits
from coachdesk.core.assignments import AssignmentFields, assign
from coachdesk.core.coach import set_coach
from coachdesk.core.errors import NotFound, RefusedInput
from coachdesk.core.organizations import add_district, add_school, find_organization
from coachdesk.core.schools import add_flag, end_flag, record_stage
from coachdesk.core.store.profile import Profile, open_profile
from coachdesk.core.tracking_records.closing import close_due
from coachdesk.core.tracking_records.due import due_entries
from coachdesk.reports.oh_coaching_log_report import (
    CSV_COLUMNS,
    CheckIn,
    CoachingLogReportData,
    LoggedSchool,
    render_coaching_log_report,
    write_coaching_log_csv,
)
from coachdesk.reports.oh_coaching_log_source import (
    build_coaching_log_report,
    coaching_log_orgs,
    coaching_log_periods,
)
from tests.unit.reports.pdftext import read_pdf

TODAY = dt.date(2026, 12, 1)
NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=ZoneInfo("America/New_York"))
DISTRICT = "Sandusky Bay Local Schools"
JEMISON = "Dr. Mae C. Jemison STEM Academy"
LAKEVIEW = "Lakeview Elementary School"


@dataclass(frozen=True)
class OhDistrict:
    district_id: str
    jemison: str
    october: str  # final check-in, stage Installing
    november: str  # final check-in, stage Initial Implementation
    draft: str


def oh_district(profile: Profile) -> OhDistrict:
    set_coach(
        profile,
        name="Renée Castillo-Oyelaran",
        employer="State Support Team Region 2",
        work_email="renee.castillo@sst2.org",
        work_phone="419-555-0173",
    )
    district = add_district(profile, name=DISTRICT, state="OH", state_id="046250").id
    jemison = add_school(profile, name=JEMISON, district_id=district, state_id="011234").id
    lakeview = add_school(profile, name=LAKEVIEW, district_id=district, state_id="011242").id
    tecumseh = add_school(
        profile, name="Tecumseh Middle School", district_id=district, state_id="011250"
    ).id
    other_district = add_district(
        profile, name="Fremont City Schools", state="OH", state_id="043869"
    ).id
    other = add_school(
        profile, name="Croghan Elementary School", district_id=other_district, state_id="011300"
    ).id
    for school in (jemison, lakeview, other):
        assign(profile, school, AssignmentFields("OH_NNPS", school_year="2026-27"), today=TODAY)
    for stage, day in (
        ("Exploring", dt.date(2025, 9, 10)),
        ("Installing", dt.date(2026, 1, 12)),
        ("Initial Implementation", dt.date(2026, 11, 3)),
    ):
        record_stage(profile, jemison, stage=stage, effective=day, reason="ATP decision")
    record_stage(
        profile, lakeview, stage="Exploring", effective=dt.date(2026, 8, 20), reason="Started"
    )
    add_flag(
        profile,
        jemison,
        reason="new_leader",
        start=dt.date(2026, 8, 1),
        review_by=dt.date(2027, 1, 31),
        note="Ms. Alvarez is the new principal.",
    )
    ended = add_flag(profile, lakeview, reason="new_team", start=dt.date(2026, 9, 1))
    end_flag(profile, ended.id, on=dt.date(2026, 10, 20))
    before = add_flag(profile, lakeview, reason="reboot", start=dt.date(2026, 7, 1))
    end_flag(profile, before.id, on=dt.date(2026, 9, 15))

    september = _check_in(profile, jemison, dt.datetime(2026, 9, 22, 10, 0), "Kick-off")
    visits.finalize_visit(profile, september, now=NOW)
    october = _check_in(
        profile,
        jemison,
        dt.datetime(2026, 10, 14, 10, 0),
        "Review the One-Year Action Plan draft with the ATP chair",
        stage="installing",
        reminders=["roster", "modules"],
        activities=[
            {
                "activity": "Family Math Night",
                "involvement_type": "learning_at_home",
                "activity_status": "planned",
                "families_attending": 4,
            }
        ],
        steps=[
            {
                "step": "Send the ATP roster to ONPS",
                "owner": "ATP chair",
                "due": "2026-10-30",
                "step_status": "done",
            },
            {
                "step": "Call home about SSID AB1234567",
                "owner": "Principal",
                "due": "2026-11-20",
                "step_status": "open",
            },
        ],
    )
    visits.finalize_visit(profile, october, accept_privacy_warnings=True, now=NOW)
    november = _check_in(
        profile,
        jemison,
        dt.datetime(2026, 11, 18, 14, 30),
        "Monthly check-in on implementation",
        stage="initial",
        reminders=["spring_survey"],
        steps=[
            {
                "step": "Book the library for the February family event",
                "owner": "Parent liaison",
                "due": "2026-12-18",
                "step_status": "open",
            }
        ],
    )
    visits.finalize_visit(profile, november, now=NOW)
    draft = _check_in(
        profile, jemison, dt.datetime(2026, 11, 25, 9, 0), "DRAFT PURPOSE NOT FOR OSU"
    )
    _check_in(profile, jemison, dt.datetime(2026, 12, 15, 9, 0), "Planned: winter check-in")
    tecumseh_visit = visits.start_visit(
        profile, tecumseh, visit_type="check_in", starts_at=dt.datetime(2026, 10, 5, 9, 0)
    )
    other_visit = _check_in(profile, other, dt.datetime(2026, 10, 6, 9, 0), "Fremont visit")
    assert tecumseh_visit and other_visit
    return OhDistrict(district, jemison, october, november, draft)


def _check_in(
    profile: Profile,
    school: str,
    when: dt.datetime,
    purpose: str,
    *,
    stage: str = "installing",
    reminders: list[str] | None = None,
    activities: list[dict] | None = None,
    steps: list[dict] | None = None,
) -> str:
    visit = visits.start_visit(
        profile, school, visit_type="check_in", starts_at=when, purpose=purpose
    )
    visits.save_answer(profile, visit, "stage", stage)
    visits.save_answer(profile, visit, "coach_notes", "PRIVATE: the principal seems stretched.")
    if reminders:
        visits.save_answer(profile, visit, "reminders", reminders)
    if activities:
        visits.save_answer(profile, visit, "plan_activities", activities)
    if steps:
        visits.save_answer(profile, visit, "next_steps", steps)
    return visit


@pytest.fixture
def district(profile: Profile) -> OhDistrict:
    return oh_district(profile)


def _log(profile: Profile, district: OhDistrict, period: str = "2026-Q2"):
    return build_coaching_log_report(
        profile, org_id=district.district_id, period=period, today=TODAY
    )


def test_each_school_on_the_caseload_lists_its_check_ins_of_the_quarter(
    profile: Profile, district: OhDistrict, tmp_path: Path
) -> None:
    data = _log(profile, district)
    assert (data.org_name, data.period_label) == (DISTRICT, "Q2 2026-27")
    assert (data.first_day, data.last_day) == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert [s.name for s in data.schools] == [JEMISON, LAKEVIEW]
    jemison = data.schools[0]
    # September is Q1; December 15 has not happened yet.
    assert [c.day for c in jemison.check_ins] == [
        dt.date(2026, 10, 14),
        dt.date(2026, 11, 18),
        dt.date(2026, 11, 25),
    ]
    out = tmp_path / "log.pdf"
    render_coaching_log_report(data, out)
    pdf = read_pdf(out)
    flat = pdf.flat
    assert f"{DISTRICT}: Q2 2026-27" in flat
    assert "due at OSU January 15, 2027" in flat
    # The stage on the day of each check-in, not today's.
    assert "Oct 14, 2026 Check-in Installing" in flat
    assert "Nov 18, 2026 Check-in Initial Implementation" in flat
    assert "Review the One-Year Action Plan draft with the ATP chair" in flat
    assert "Reminders given: Team roster; Foundational training modules" in flat
    assert "Action-plan activity: Family Math Night (4 Learning at home, Planned)" in flat
    assert "Send the ATP roster to ONPS (ATP chair, by Oct 30, 2026, done)" in flat
    assert "Book the library for the February family event (Parent liaison, by Dec 18, 2026)" in (
        flat
    )
    assert f"{LAKEVIEW} (IRN 011242) No check-in this quarter (NNPS stage: Exploring)." in flat
    for absent in ("Tecumseh", "Croghan", "Fremont visit", "Kick-off", "winter check-in"):
        assert absent not in flat


def test_what_a_note_keeps_private_never_reaches_the_log(
    profile: Profile, district: OhDistrict, tmp_path: Path
) -> None:
    data = _log(profile, district)
    render_coaching_log_report(data, tmp_path / "log.pdf")
    write_coaching_log_csv(data, tmp_path / "log.csv")
    for text in (read_pdf(tmp_path / "log.pdf").flat, (tmp_path / "log.csv").read_text("utf-8")):
        assert "PRIVATE" not in text  # the coach's private notes
        assert "AB1234567" not in text and "SSID" not in text  # a student identifier, masked
        assert "Call home about [withheld]" in text
        assert "DRAFT PURPOSE" not in text  # a draft note's content is not sent
        assert "Alvarez" not in text  # a coaching flag's note
        assert "families" not in text.lower()  # counts of families are not the log's


def test_a_draft_check_in_is_listed_and_the_coach_told_to_finalize_it(
    profile: Profile, district: OhDistrict, tmp_path: Path
) -> None:
    data = _log(profile, district)
    assert data.draft_count == 1
    render_coaching_log_report(data, tmp_path / "log.pdf")
    flat = read_pdf(tmp_path / "log.pdf").flat
    assert "1 check-in still has its note in draft" in flat
    assert "Nov 25, 2026 Check-in Initial Implementation The note of this check-in is still" in (
        flat
    )
    assert "The quarter is still running: check-ins to December 1, 2026 are listed." in flat


def test_coaching_flags_active_in_the_quarter_and_who_prepared_it(
    profile: Profile, district: OhDistrict, tmp_path: Path
) -> None:
    data = _log(profile, district)
    assert [(f.school, f.reason) for f in data.flags] == [
        (JEMISON, "New leader"),
        (LAKEVIEW, "New team"),  # ended in October: active for part of the quarter
    ]
    render_coaching_log_report(data, tmp_path / "log.pdf")
    pdf = read_pdf(tmp_path / "log.pdf")
    flat = pdf.flat
    # In the overview, on each school's row after its stage, check-ins and last check-in.
    assert (
        f"{JEMISON} Initial Implementation 3 Nov 25, 2026 New leader, since Aug 1, 2026 "
        "(review by Jan 31, 2027)"
    ) in flat
    assert f"{LAKEVIEW} Exploring None — New team, Sep 1, 2026 to Oct 20, 2026" in flat
    assert "Reboot" not in flat  # ended before the quarter began
    assert (
        "Prepared by Renée Castillo-Oyelaran · State Support Team Region 2 · "
        "renee.castillo@sst2.org · 419-555-0173"
    ) in flat
    assert pdf.reader.metadata.title == f"SST quarterly coaching log: {DISTRICT}, Q2 2026-27"
    assert pdf.reader.metadata.author == "Renée Castillo-Oyelaran"
    for number, page in enumerate(pdf.pages, start=1):
        assert f"Page {number} of {len(pdf.pages)}" in page


def test_the_due_key_is_the_district_s_coaching_log_item_and_marks_it_submitted(
    profile: Profile, district: OhDistrict, tmp_path: Path
) -> None:
    data = _log(profile, district)
    assert data.due_key == f"oh.coaching_log:{district.district_id}:2026-27 Q2"
    assert data.due_on == dt.date(2027, 1, 15) and not data.submitted
    january = dt.date(2027, 1, 10)
    keys = {e.item.key for e in due_entries(profile, january)}
    assert data.due_key in keys  # the item the Today view lists for the district
    close_due(profile, data.due_key, on=january, today=january)
    assert data.due_key not in {e.item.key for e in due_entries(profile, january)}
    after = build_coaching_log_report(
        profile, org_id=district.district_id, period="2026-Q2", today=january
    )
    assert after.submitted and after.submitted_on == january
    render_coaching_log_report(after, tmp_path / "sent.pdf")
    assert "Recorded as sent to OSU on January 10, 2027." in read_pdf(tmp_path / "sent.pdf").flat
    assert after.as_of == dt.date(2026, 12, 31)  # the quarter is over: all of it
    assert len(after.schools[0].check_ins) == 4  # December 15 has been held by then


def test_the_csv_has_one_row_per_check_in_and_one_per_school_without(
    profile: Profile, district: OhDistrict, tmp_path: Path
) -> None:
    out = tmp_path / "log.csv"
    write_coaching_log_csv(_log(profile, district), out)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for Excel
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert [(r["School"], r["Date"], r["NNPS stage"], r["Note"]) for r in rows] == [
        (JEMISON, "2026-10-14", "Installing", "Final"),
        (JEMISON, "2026-11-18", "Initial Implementation", "Final"),
        (
            JEMISON,
            "2026-11-25",
            "Initial Implementation",
            "Draft: topics and next steps not listed",
        ),
        (LAKEVIEW, "", "Exploring", ""),
    ]
    assert rows[3]["Type"] == "No check-in this quarter"
    assert rows[0]["Topics"].splitlines()[0] == (
        "Review the One-Year Action Plan draft with the ATP chair"
    )
    assert {r["District IRN"] for r in rows} == {"046250"}
    assert rows[1]["School IRN"] == "011234"


def test_csv_cells_cannot_run_as_spreadsheet_formulas(
    profile: Profile, district: OhDistrict
) -> None:
    visit = _check_in(
        profile,
        district.jemison,
        dt.datetime(2026, 10, 28, 9, 0),
        '=HYPERLINK("http://example.com")',
    )
    visits.finalize_visit(profile, visit, now=NOW)
    stream = io.StringIO()
    write_coaching_log_csv(_log(profile, district), stream)
    rows = list(csv.reader(io.StringIO(stream.getvalue())))
    topics = [r[CSV_COLUMNS.index("Topics")] for r in rows[1:]]
    assert '\'=HYPERLINK("http://example.com")' in topics
    assert not any(t.startswith("=") for t in topics)


def test_refused_periods_and_districts_say_why(profile: Profile, district: OhDistrict) -> None:
    with pytest.raises(RefusedInput, match="Name the quarter as 2026-Q2"):
        _log(profile, district, "Q5")
    with pytest.raises(RefusedInput, match="begins on January 1, 2027"):
        _log(profile, district, "2026-Q3")
    with pytest.raises(NotFound, match="no district"):
        build_coaching_log_report(profile, org_id=district.jemison, period="2026-Q2", today=TODAY)
    lonely = add_district(profile, name="Vermilion Local Schools", state="OH").id
    with pytest.raises(RefusedInput, match="no school on your OH NNPS caseload in 2026-27"):
        build_coaching_log_report(profile, org_id=lonely, period="2026-Q2", today=TODAY)


def test_periods_and_districts_the_window_offers(profile: Profile, district: OhDistrict) -> None:
    assert coaching_log_periods(TODAY) == ["2026-Q2", "2026-Q1", "2025-Q4", "2025-Q3", "2025-Q2"]
    assert coaching_log_periods(dt.date(2026, 7, 1))[:2] == ["2026-Q1", "2025-Q4"]
    fremont = find_organization(profile, "Fremont City Schools").id
    assert coaching_log_orgs(profile, TODAY) == [
        (fremont, "Fremont City Schools"),
        (district.district_id, DISTRICT),
    ]


def test_large_print_is_bigger_and_keeps_every_check_in(
    profile: Profile, district: OhDistrict, tmp_path: Path
) -> None:
    data = _log(profile, district)
    regular = render_coaching_log_report(data, tmp_path / "r.pdf")
    large = render_coaching_log_report(data, tmp_path / "l.pdf", large_print=True)
    assert large.pages > regular.pages
    pdf = read_pdf(tmp_path / "l.pdf")
    assert pdf.font_sizes_of("Installing") == {round(9.2 * 1.4, 1)}
    assert "Send the ATP roster to ONPS" in pdf.flat and "No check-in this quarter" in pdf.flat


# --- The command line ----------------------------------------------------------------------------


@pytest.fixture
def district_dir(profile_dir: Path) -> Path:
    opened = open_profile(profile_dir)
    oh_district(opened)
    opened.close()
    return profile_dir


def _cli(folder: Path, *args: str) -> int:
    return main(["--data-dir", str(folder), "report", "coaching-log", *args])


def test_cli_writes_the_pdf_and_the_csv(district_dir: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "log.pdf"
    assert _cli(district_dir, "--district", DISTRICT, "--quarter", "2026-Q1", "-o", str(out)) == 0
    printed = capsys.readouterr().out.strip()
    pages = len(read_pdf(out).pages)
    assert printed == (
        f"Wrote {out}: the Q1 2026-27 coaching log of {DISTRICT}, 1 check-in at 2 schools, "
        f"on {pages} page{'s' if pages != 1 else ''}."
    )
    assert "Kick-off" in read_pdf(out).flat
    table = tmp_path / "log.csv"
    # The district by its IRN, the quarter as "2026-27 Q1".
    assert (
        _cli(district_dir, "--district", "046250", "--quarter", "2026-27 Q1", "-o", str(table)) == 0
    )
    assert capsys.readouterr().out.startswith(f"Wrote {table}: the Q1 2026-27 coaching log")
    assert not list(tmp_path.glob(".*.part"))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--district", DISTRICT, "--quarter", "2026-Q2", "-o", "log.txt"], "ending in .pdf or"),
        (["--district", DISTRICT, "--quarter", "autumn", "-o", "log.pdf"], "Name the quarter"),
        (["--district", "Nowhere Schools", "--quarter", "2026-Q2", "-o", "log.pdf"], "Nowhere"),
        (["--district", JEMISON, "--quarter", "2026-Q2", "-o", "log.pdf"], "district"),
        (
            ["--district", DISTRICT, "--quarter", "2026-Q2", "-o", "log.csv", "--large-print"],
            "Large print is for the PDF",
        ),
        (["--district", DISTRICT, "--quarter", "2026-Q2", "-o", "gone/log.pdf"], "does not exist"),
    ],
)
def test_cli_refuses_with_one_sentence(
    district_dir: Path, tmp_path: Path, capsys, args: list[str], message: str
) -> None:
    args = [str(tmp_path / a) if a.startswith(("log.", "gone/")) else a for a in args]
    assert _cli(district_dir, *args) == 1
    err = capsys.readouterr().err
    assert err.startswith("coachdesk: ") and message in err and err.count("\n") == 1
    assert not list(tmp_path.glob("log.*"))


def _thirty_schools() -> CoachingLogReportData:
    step = "Send the roster to ONPS (ATP chair, by Oct 29, 2026)"
    topics = (
        "Monthly check-in on the action plan",
        "Reminders given: Team roster; Spring UPDATE survey",
        "Action-plan activities: Family Math Night (4 Learning at home, Planned)",
    )
    schools = tuple(
        LoggedSchool(
            name=f"{name} School {i + 1}",
            state_id=f"{12000 + i:06d}",
            stage="Installing",
            check_ins=tuple(
                CheckIn(
                    dt.date(2026, month, 1 + i % 27),
                    "Check-in",
                    "Installing",
                    topics * (3 if i % 2 else 1),  # tall rows, where headings were left alone
                    (step,),
                )
                for month in (10, 11, 12)[: 1 + i % 3]
            ),
        )
        for i, name in enumerate(["Birchwood", "Øster Park", "Nuñez"] * 10)
    )
    return CoachingLogReportData(
        title="SST quarterly coaching log",
        org_id="d",
        org_name="Thirty Schools Local",
        period="2026-Q2",
        period_label="Q2 2026-27",
        first_day=dt.date(2026, 10, 1),
        last_day=dt.date(2026, 12, 31),
        as_of=dt.date(2026, 12, 31),
        schools=schools,
        flags=(),
        generated_at=NOW,
        prepared_by="Renée Castillo-Oyelaran",
    )


@pytest.mark.parametrize("large_print", [False, True])
def test_a_school_s_heading_never_ends_a_page_without_its_check_ins(
    tmp_path: Path, large_print: bool
) -> None:
    data = _thirty_schools()
    out = tmp_path / "log.pdf"
    render_coaching_log_report(data, out, large_print=large_print)
    pdf = read_pdf(out)
    for number, page in enumerate(pdf.pages, start=1):
        lines = page.splitlines()
        headings = [i for i, line in enumerate(lines) if "(IRN " in line]
        if headings:
            after = " ".join(lines[headings[-1] + 1 :])
            assert "Date Type" in after or "No check-in" in after, f"page {number}"
    for school in data.schools:
        assert f"{school.name} (IRN {school.state_id})" in pdf.flat
    assert pdf.flat.count("Send the roster to ONPS") == data.check_in_count


def test_a_check_in_taller_than_a_page_goes_on_in_more_rows(tmp_path: Path) -> None:
    data = _thirty_schools()
    topics = tuple(f"Action-plan activity {n}: Family Math Night, grades K-5" for n in range(40))
    school = replace(
        data.schools[0], check_ins=(replace(data.schools[0].check_ins[0], topics=topics),)
    )
    out = tmp_path / "log.pdf"
    result = render_coaching_log_report(replace(data, schools=(school,)), out, large_print=True)
    pdf = read_pdf(out)
    assert result.pages >= 3
    assert all(f"Action-plan activity {n}: Family Math Night" in pdf.flat for n in range(40))
    assert "(continued)" in pdf.flat
