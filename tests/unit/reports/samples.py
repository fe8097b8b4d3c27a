"""Realistic, fictional visit summaries and caseloads for tests, screenshots and benchmarks.

Every name, school and district here is invented.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from zoneinfo import ZoneInfo

from coachdesk.reports.caseload_report import (
    CaseloadProgram,
    CaseloadReportData,
    CaseloadSchool,
    IndicatorCounts,
)
from coachdesk.reports.summary_data import (
    FINAL,
    Attendee,
    FollowUpItem,
    LearningWalkFindings,
    LookForRow,
    MeasureCell,
    NarrativeSection,
    NextStep,
    Observations,
    ProgressRow,
    ProgressSnapshot,
    PurposeLink,
    SummaryFooter,
    SummaryHeader,
    UpcomingDate,
    VisitSummaryData,
    WhatWeDid,
)

EASTERN = ZoneInfo("America/New_York")
GENERATED = dt.datetime(2026, 11, 23, 16, 5, tzinfo=EASTERN)

# A value that must never print: the would-be internal note of the privacy tests.
PLANTED_INTERNAL = "ZZ-INTERNAL-7731 principal seemed tired, ask OISR liaison privately"


def ny_typical() -> VisitSummaryData:
    """A monthly NY Receivership SSP visit, finalized: the everyday summary."""
    return VisitSummaryData(
        header=SummaryHeader(
            program_name="NY Receivership SSP",
            school="Harborview Elementary School",
            district="Riverton City School District",
            visit_date=dt.date(2026, 11, 18),
            visit_type="On-site",
            coach="Dana Whitfield",
            attendees=(
                Attendee("Ana Nuñez", "Principal"),
                Attendee("Minh Nguyễn", "Assistant principal"),
                Attendee("Folake Øyelaran", "Instructional coach"),
                Attendee("Zoë Lindqvist", "SIPT teacher member"),
            ),
            status=FINAL,
        ),
        footer=SummaryFooter("ny_ssp_visit", "3", GENERATED),
        purpose=(
            PurposeLink(
                "Lead strategy",
                "LS 2: Every grade-level team uses common formative assessment data every "
                "two weeks to plan small-group reading instruction.",
            ),
        ),
        what_we_did=WhatWeDid(
            agenda=(
                "Review of the October reading checkpoint with the leadership team",
                "Walk-through of Grade 3 and Grade 4 data meetings",
                "Planning the Q2 (Mid-Year) report narrative",
            ),
            artifacts_reviewed=(
                "Grade 3-5 reading checkpoint summary, October",
                "Data-meeting protocol, revised 4 Nov",
                "Draft Q2 report, sections A and B",
            ),
        ),
        observations=Observations(
            strengths=(
                "Both grade-level teams arrived with printed checkpoint results and sorted "
                "students into skill groups within the first ten minutes.",
                "The principal named the Lead Strategy 2 milestone at the start of each meeting "
                "and asked teams to record next-week actions on the shared tracker.",
            ),
            areas_for_growth=(
                "In the Grade 4 meeting, discussion moved to scheduling before teams agreed on "
                "the instructional change each group would receive.",
                "The tracker records actions but not whether last cycle's actions happened.",
            ),
            sections=(
                NarrativeSection(
                    "Leadership team discussion",
                    "The team agreed that the checkpoint is being used well for grouping but "
                    "not yet for changing what happens during small-group time. The assistant "
                    "principal will model one planning cycle with Grade 4 before the next "
                    "visit.",
                ),
            ),
        ),
        progress=ProgressSnapshot(
            rows=(
                ProgressRow(
                    "3-8 ELA, Level 2 and above (All Students)",
                    MeasureCell("38%", 212),
                    "46%",
                    MeasureCell("41%", 220),
                    "on-track",
                ),
                ProgressRow(
                    "3-8 ELA, Level 2 and above (SWD)",
                    MeasureCell("12%", 31),
                    "20%",
                    MeasureCell("13%", 33),
                    "at-risk",
                ),
                ProgressRow(
                    "3-8 ELA, Level 2 and above (ELL)",
                    MeasureCell("19%", 8),
                    "25%",
                    MeasureCell("22%", 9),
                    "no-data",
                ),
                ProgressRow(
                    "Chronic absenteeism (lower is better)",
                    MeasureCell("31%", 410),
                    "26%",
                    MeasureCell("27%", 405),
                    "on-track",
                ),
                ProgressRow(
                    "DTSDE Tenet 4 self-assessment",
                    MeasureCell("Stage 1"),
                    "Stage 2,3,4",
                    MeasureCell("Stage 2"),
                    "met",
                ),
            )
        ),
        agreements=(
            "Data meetings keep a fixed 15 minutes for agreeing on the instructional change "
            "before any scheduling.",
            "The tracker gains a column for whether last cycle's action happened.",
        ),
        next_steps=(
            NextStep(
                "Model one planning cycle with the Grade 4 team",
                "Minh Nguyễn",
                dt.date(2026, 12, 4),
            ),
            NextStep(
                "Add a 'did it happen?' column to the data tracker",
                "Folake Øyelaran",
                dt.date(2026, 11, 25),
            ),
            NextStep(
                "Send the revised protocol and the Q2 outline",
                "Dana Whitfield (SSP)",
                dt.date(2026, 11, 21),
            ),
            NextStep("Draft Q2 report section C", "Ana Nuñez", dt.date(2026, 12, 12)),
        ),
        follow_up=(
            FollowUpItem("Revise the data-meeting protocol", "Done"),
            FollowUpItem("Schedule Grade 5 data meeting with the ELA coach", "Open"),
            FollowUpItem("Share attendance outreach script with families", "Dropped"),
        ),
        upcoming=(
            UpcomingDate("Next SSP visit (on-site)", dt.date(2026, 12, 16)),
            UpcomingDate("Q2 (Mid-Year) report due to OISR", dt.date(2027, 1, 31)),
            UpcomingDate("DII mid-year checkpoint window opens", dt.date(2026, 12, 1)),
        ),
    )


def ma_learning_walk() -> VisitSummaryData:
    """An MA SSoS learning walk with a look-for table."""
    return VisitSummaryData(
        header=SummaryHeader(
            program_name="MA SSoS",
            school="Cranberry Hill Middle School",
            district="Eastbrook Public Schools",
            visit_date=dt.date(2026, 11, 10),
            visit_type="Learning walk",
            coach="Priya Raman",
            attendees=(
                Attendee("Rosa Nuñez", "Principal"),
                Attendee("Thomas Okafor", "District ELA director"),
                Attendee("Linh Nguyễn", "SILT member, Grade 7 math"),
                Attendee("Zoë Marchetti", "ML coordinator"),
            ),
            status=FINAL,
        ),
        footer=SummaryFooter("ma_learning_walk", "2", GENERATED),
        purpose=(
            PurposeLink(
                "Instructional priority",
                "All students, and Multilingual Learners in particular, engage in structured "
                "academic talk about grade-level texts and problems every day.",
            ),
        ),
        what_we_did=WhatWeDid(
            agenda=(
                "Calibration on the three look-fors (20 minutes)",
                "Classroom visits in two teams (6 classrooms)",
                "Hall work and debrief with the SILT",
            ),
            artifacts_reviewed=("Look-for set 'Academic discourse', version 2",),
        ),
        observations=Observations(
            strengths=(
                "In most classrooms visited, students had a sentence frame or a talk protocol "
                "posted and in use.",
            ),
            areas_for_growth=(
                "Partner talk was common; students building on a peer's idea was rare.",
            ),
        ),
        learning_walk=LearningWalkFindings(
            focus_of_inquiry="How do students use academic talk to explain their reasoning?",
            look_fors=(
                LookForRow("Students explain reasoning to peers", 6, 66.7, 16.7),
                LookForRow("Students build on or question a peer's idea", 6, 16.7, 33.3),
                LookForRow("Teacher prompts ML students to use a language frame", 6, 50.0, 33.3),
            ),
            patterns=(
                "Talk was most extended where the task had more than one solution path.",
                "Frames were posted everywhere but used aloud in about half the rooms.",
            ),
            wonderings=(
                "What would it take for 'build on' moves to become routine in Grade 7?",
                "How might the SILT gather ML students' own view of partner talk?",
            ),
        ),
        progress=ProgressSnapshot(
            rows=(
                ProgressRow(
                    "Grade 6-8 ELA DDM, meeting benchmark (All)",
                    MeasureCell("44%", 310),
                    "52%",
                    MeasureCell("47%", 305),
                    "on-track",
                ),
                ProgressRow(
                    "Grade 6-8 ELA DDM, meeting benchmark (ML)",
                    MeasureCell("21%", 58),
                    "30%",
                    MeasureCell("22%", 61),
                    "at-risk",
                ),
                ProgressRow(
                    "Grade 6-8 ELA DDM, meeting benchmark (SWD)",
                    MeasureCell("18%", 47),
                    "26%",
                    MeasureCell("24%", 49),
                    "on-track",
                ),
            )
        ),
        agreements=("The SILT repeats the walk in January with the same look-fors.",),
        next_steps=(
            NextStep(
                "Share the look-for aggregate with all staff", "Rosa Nuñez", dt.date(2026, 11, 20)
            ),
            NextStep(
                "Plan a 'build on' mini-lesson for Grade 7 PLCs",
                "Linh Nguyễn",
                dt.date(2026, 12, 8),
            ),
        ),
        upcoming=(
            UpcomingDate("Mid-year progress-monitoring conversation", dt.date(2027, 1, 14)),
            UpcomingDate("Next learning walk", dt.date(2027, 1, 26)),
        ),
    )


def oh_check_in() -> VisitSummaryData:
    """A short OH NNPS virtual check-in."""
    return VisitSummaryData(
        header=SummaryHeader(
            program_name="OH NNPS",
            school="Maple Grove Elementary",
            district="Tri-County Local Schools",
            visit_date=dt.date(2026, 11, 5),
            visit_type="Check-in (virtual)",
            coach="Kwame Øyelaran",
            attendees=(
                Attendee("Chloé Bauer", "School NNPS lead"),
                Attendee("Marcus Hill", "ATP chair"),
            ),
            status=FINAL,
        ),
        footer=SummaryFooter("oh_nnps_checkin", "1", GENERATED),
        purpose=(
            PurposeLink(
                "Partnership goal", "Academic: families practise reading routines at home."
            ),
        ),
        what_we_did=WhatWeDid(agenda=("Reviewed the fall Family Reading Night plan",)),
        observations=Observations(
            strengths=("The ATP met in October with 9 members, including 3 parents.",),
        ),
        progress=ProgressSnapshot(
            rows=(
                ProgressRow(
                    "Implementation stage",
                    MeasureCell("Installing"),
                    "Initial Implementation",
                    MeasureCell("Installing"),
                    "on-track",
                ),
                ProgressRow(
                    "Activities: Type 2 Communicating",
                    MeasureCell("1"),
                    "4",
                    MeasureCell("2"),
                    "on-track",
                ),
                ProgressRow(
                    "Activities: Type 4 Learning at Home",
                    MeasureCell("0"),
                    "3",
                    MeasureCell("1"),
                    "at-risk",
                ),
            )
        ),
        next_steps=(
            NextStep(
                "Send the event evaluation form to the SST", "Chloé Bauer", dt.date(2026, 11, 30)
            ),
        ),
        upcoming=(UpcomingDate("Coaching log due to OSU", dt.date(2027, 1, 15)),),
    )


def draft_of(data: VisitSummaryData) -> VisitSummaryData:
    """The same summary, not yet final."""
    return replace(data, header=replace(data.header, status="draft"))


_LONG = (
    "During the walk-through the team looked at how each grade uses the reading checkpoint. "
    "In Grade 3, teachers brought student work samples as well as scores, and the discussion "
    "stayed on what students could and could not yet do with inference questions. In Grade 4, "
    "the team spent most of the time on the schedule for intervention blocks; the question of "
    "what would change inside those blocks came up twice and was set aside both times. The "
    "principal noticed this and asked the team to return to it at the next meeting. Across "
    "both meetings, teachers referred to the shared tracker, which now has entries for every "
    "week since September, and several teachers said it helps them see the whole grade at "
    "once. The leadership team asked for help turning the tracker into a short weekly view "
    "that the principal can bring to the instructional leadership meeting on Mondays."
)


def _sentences(start: int, end: int) -> str:
    return ". ".join(_LONG.split(". ")[start:end]).rstrip(".") + "."


def maximal() -> VisitSummaryData:
    """Everything at its largest: long narrative, many steps, six indicators."""
    base = ny_typical()
    return replace(
        base,
        what_we_did=WhatWeDid(
            agenda=tuple(f"Agenda item {i}: review of grade {i % 6 + 1} data" for i in range(1, 9)),
            artifacts_reviewed=tuple(f"Artifact {i}: grade-level tracker" for i in range(1, 7)),
        ),
        observations=Observations(
            strengths=(_LONG, _sentences(0, 3), _sentences(3, 7)),
            areas_for_growth=(_LONG, _sentences(1, 5)),
            sections=(
                NarrativeSection("Leadership team discussion", _LONG + "\n\n" + _LONG),
                NarrativeSection("Family engagement", _LONG),
            ),
        ),
        progress=ProgressSnapshot(
            rows=base.progress.rows
            + (
                ProgressRow(
                    "Grade 3-8 math MGP",
                    MeasureCell("44", 190),
                    "50",
                    MeasureCell("47", 201),
                    "on-track",
                ),
            )
        ),
        agreements=tuple(f"Agreement {i}: the team keeps its data-meeting norms" for i in range(6)),
        next_steps=tuple(
            NextStep(
                f"Next step {i}: prepare the grade {i % 6 + 1} summary for the SIPT",
                "Ana Nuñez" if i % 2 else "Minh Nguyễn",
                dt.date(2026, 12, 1 + i),
            )
            for i in range(24)
        ),
        follow_up=tuple(FollowUpItem(f"Follow-up item {i}", "Open") for i in range(10)),
    )


def caseload_sample(schools: int = 25) -> CaseloadReportData:
    """A supervisor's caseload across the three programs."""
    stages = ("Exploring", "Installing", "Initial Implementation", "Full Implementation")
    names = (
        "Harborview",
        "Cranberry Hill",
        "Maple Grove",
        "Nuñez Academy",
        "Øster Park",
        "Lakeside",
        "Pine Ridge",
        "Northgate",
        "Willow Creek",
        "Summit",
    )
    by_program: dict[str, list[CaseloadSchool]] = {
        "NY Receivership SSP": [],
        "MA SSoS": [],
        "OH NNPS": [],
    }
    for i in range(schools):
        prog = list(by_program)[i % 3]
        if prog == "NY Receivership SSP":
            status = f"Receivership year {1 + i % 4}"
        elif prog == "MA SSoS":
            status = "Phases 2 & 3: Implement, Track"
        else:
            status = stages[i % 4]
        last = dt.date(2026, 11, 1) + dt.timedelta(days=i % 20)
        by_program[prog].append(
            CaseloadSchool(
                school=f"{names[i % 10]} {'Elementary' if i % 2 else 'Middle'} School {i + 1}",
                district=f"{('Riverton', 'Eastbrook', 'Tri-County')[i % 3]} District",
                status=status,
                last_visit=last if i % 7 else None,
                next_visit=last + dt.timedelta(days=30) if i % 5 else None,
                indicators=IndicatorCounts(
                    met=i % 3, on_track=3 + i % 4, at_risk=i % 3, not_met=i % 2, no_data=i % 2
                ),
                overdue_items=(i * 7) % 4,
                active_flags=1 if prog == "OH NNPS" and i % 2 else 0,
            )
        )
    return CaseloadReportData(
        title="Caseload status",
        school_year="2026-27",
        as_of=dt.date(2026, 11, 23),
        prepared_for="Regional supervisor",
        programs=tuple(
            CaseloadProgram(name, tuple(rows)) for name, rows in by_program.items() if rows
        ),
        generated_at=GENERATED,
    )
