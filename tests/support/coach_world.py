"""The coach world: real coach profiles in NY, MA and OH that send signed bundles to their
supervisor, who imports the folder of them and reads the roll-up.

Every profile is made the way a coach makes theirs: `open_profile`, then the core's own write
functions (set_coach, add_district, assign with identified schools or a starting stage,
start_visit, save_answer, finalize_visit, add_indicator, set_target, record_measurement,
record_stage). Each visit's internal answer holds a marker no other text contains
(`Coach.markers`), so a test can look for it in everything the supervisor holds.

The roll-up is read on DAY, a Wednesday in November 2026; every date written is on or before it.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from pathlib import Path

from coachdesk.core import visits
from coachdesk.core.assignments import AssignmentFields, assign
from coachdesk.core.coach import set_coach
from coachdesk.core.demo.visits import _response
from coachdesk.core.districts import start_district_visit
from coachdesk.core.organizations import add_district, add_school
from coachdesk.core.schools import record_stage
from coachdesk.core.store.profile import Profile, open_profile
from coachdesk.core.tracking_records.indicator_setup import add_indicator
from coachdesk.core.tracking_records.indicator_targets import CheckpointInput, set_target
from coachdesk.core.tracking_records.indicators import record_measurement
from coachdesk.core.visits.times import TIME_BINDS
from coachdesk.sync import trust
from coachdesk.sync.export import export_bundle
from coachdesk.sync.keys import device_keys

DAY = dt.date(2026, 11, 18)
YEAR = "2026-27"
SET_UP = dt.date(2026, 8, 24)  # when each coach set up the year (stages take effect then)
SUPERVISOR = "Pat Supervisor"


@dataclass
class Coach:
    """One coach's profile and what the test needs to check the roll-up by hand."""

    name: str
    employer: str
    profile: Profile
    schools: dict[str, str] = field(default_factory=dict)  # name -> id
    districts: dict[str, str] = field(default_factory=dict)
    markers: list[str] = field(default_factory=list)

    def visit(
        self,
        org: str,
        when: dt.datetime,
        *,
        visit_type: str,
        final: bool = True,
        next_steps: tuple[tuple[str, dt.date], ...] = (),
        program: str | None = None,
        answers: dict | None = None,
    ) -> str:
        """A visit with its note answered (an internal answer with a marker among them), its
        next steps, finalized unless `final` is False."""
        if org in self.districts:
            visit_id = start_district_visit(
                self.profile,
                self.districts[org],
                program_code=program or "",
                visit_type=visit_type,
                starts_at=when,
                today=SET_UP,
            ).visit_id
        else:
            visit_id = visits.start_visit(
                self.profile, self.schools[org], visit_type=visit_type, starts_at=when
            )
        detail = visits.get_visit(self.profile, visit_id)
        definition = detail.definition
        for name, value in _response(definition, when.date(), random.Random(7)).items():
            answered = definition.field(name)
            # Benchmark results would name benchmarks these schools do not have: left out.
            results = answered.type == "repeat" and any(
                (c.bind or "").startswith("benchmark_results.") for c in _inputs(answered)
            )
            if answered.bind not in TIME_BINDS and not results:
                visits.save_answer(self.profile, visit_id, name, value)
        for name, value in (answers or {}).items():
            visits.save_answer(self.profile, visit_id, name, value)
        internal = next(
            f for f, repeat in definition.walk() if f.privacy == "internal" and repeat is None
        )
        marker = f"ZQ-INTERNAL-{len(self.markers)}-{self.name.split()[0].upper()}-7731"
        self.markers.append(marker)
        visits.save_answer(
            self.profile, visit_id, internal.name, f"Private worry about the team ({marker})"
        )
        repeat = definition.field(detail.action_repeat)
        binds = {c.bind: c.name for c in _inputs(repeat)}
        for row, (text, due) in enumerate(next_steps):
            path = f"{detail.action_repeat}[{row}]"
            visits.save_answer(self.profile, visit_id, f"{path}.{binds['action_items.text']}", text)
            visits.save_answer(
                self.profile, visit_id, f"{path}.{binds['action_items.owner']}", "Principal"
            )
            visits.save_answer(
                self.profile, visit_id, f"{path}.{binds['action_items.due']}", due.isoformat()
            )
        if final:
            visits.finalize_visit(self.profile, visit_id, accept_privacy_warnings=True)
        return visit_id

    def indicator(
        self,
        school: str,
        name: str,
        *,
        kind: str,
        baseline: float,
        target: float,
        measured: tuple[tuple[dt.date, float, int | None], ...] = (),
        level: int | None = None,
        code: str | None = None,
    ) -> str:
        """A percent indicator with this year's target, an early checkpoint from 15 Sep to
        31 Oct, and its measurements (day, value, students)."""
        added = add_indicator(
            self.profile, self.schools[school], name=name, kind=kind, level=level, code=code
        )
        indicator_id = added.ids[0]
        set_target(
            self.profile,
            indicator_id,
            YEAR,
            baseline=baseline,
            annual_target=target,
            checkpoints={"early": CheckpointInput(dt.date(2026, 9, 15), dt.date(2026, 10, 31))},
        )
        for day, value, n in measured:
            record_measurement(
                self.profile, indicator_id, as_of=day, value=value, checkpoint="early", n=n
            )
        return indicator_id

    def send(self, folder: Path) -> Path:
        """Export this coach's signed bundle for the supervisor into `folder`."""
        path = folder / f"{self.name.lower().replace(' ', '-')}.coachdesk"
        export_bundle(self.profile, path, to=[SUPERVISOR])
        return path


def _inputs(repeat) -> list:
    out = []
    for child in repeat.children:
        out.extend(_inputs(child) if child.type == "group" else [child])
    return out


def _introduce(a: Profile, a_name: str, b: Profile, b_name: str) -> None:
    """Each of two profiles trusts the other's key under the other's name."""
    for mine, their_name, theirs in ((a, b_name, b), (b, a_name, a)):
        offer = trust.read_public_key_file(trust.public_key_file(theirs, device_keys(theirs)))
        trust.trust_key(mine, offer, name=their_name)


def _coach(root: Path, name: str, employer: str) -> Coach:
    profile = open_profile(root / name.replace(" ", "-"))
    set_coach(profile, name=name, employer=employer)
    return Coach(name, employer, profile)


def _school(coach: Coach, name: str, district: str, state: str) -> str:
    school_id = add_school(coach.profile, name=name, district_id=coach.districts[district]).id
    coach.schools[name] = school_id
    return school_id


def ny_coach(root: Path) -> Coach:
    """Dana Whitfield, an SSP: two Receivership schools in Albany."""
    c = _coach(root, "Dana Whitfield", "Capital Region SSP Partners")
    c.districts["Albany City School District"] = add_district(
        c.profile, name="Albany City School District", state="NY"
    ).id
    for school in ("Arbor Hill Elementary School", "Hackett Middle School"):
        _school(c, school, "Albany City School District", "NY")
        assign(
            c.profile,
            c.schools[school],
            AssignmentFields("NY_RCV", YEAR, receivership_year=2),
            today=SET_UP,
        )
    at = dt.datetime
    c.visit("Arbor Hill Elementary School", at(2026, 9, 15, 9), visit_type="onsite")
    c.visit(
        "Arbor Hill Elementary School",
        at(2026, 10, 20, 9),
        visit_type="onsite",
        next_steps=(
            ("Post the attendance data wall", dt.date(2026, 11, 1)),  # overdue on DAY
            ("Plan the February data retreat", dt.date(2026, 12, 15)),
        ),
    )
    c.visit("Arbor Hill Elementary School", at(2026, 11, 5, 9), visit_type="onsite")
    c.visit("Arbor Hill Elementary School", at(2026, 11, 10, 14), visit_type="virtual")
    c.visit("Hackett Middle School", at(2026, 10, 8, 9), visit_type="onsite")
    c.visit("Hackett Middle School", at(2026, 11, 12, 9), visit_type="onsite", final=False)
    measured = dt.date(2026, 10, 15)
    c.indicator(
        "Arbor Hill Elementary School",
        "ELA proficiency",
        kind="dii",
        level=1,
        baseline=30,
        target=40,
        measured=((measured, 35, 120),),  # on track
    )
    c.indicator(
        "Arbor Hill Elementary School",
        "Chronic absenteeism reduction",
        kind="dii",
        level=1,
        baseline=30,
        target=40,
        measured=((measured, 20, 150),),  # at risk
    )
    c.indicator(
        "Arbor Hill Elementary School",
        "Grade 8 Regents math",
        kind="dii",
        level=2,
        baseline=30,
        target=40,
        measured=((measured, 50, 6),),  # six students: suppressed
    )
    c.indicator(
        "Hackett Middle School",
        "Math proficiency",
        kind="dii",
        level=1,
        baseline=30,
        target=40,
    )  # no measurement in the open window: no data
    return c


def ma_coach(root: Path) -> Coach:
    """Jordan Reyes, SSoS West/Central: the Springfield partnership and two identified schools."""
    c = _coach(root, "Jordan Reyes", "SSoS West/Central Regional Assistance Team")
    district = "Springfield Public Schools"
    c.districts[district] = add_district(c.profile, name=district, state="MA").id
    for school in ("Brightwood Elementary School", "Duggan Academy"):
        _school(c, school, district, "MA")
    assign(
        c.profile,
        c.districts[district],
        AssignmentFields(
            "MA_SSOS",
            YEAR,
            identified_schools=(
                c.schools["Brightwood Elementary School"],
                c.schools["Duggan Academy"],
            ),
        ),
        today=SET_UP,
    )
    c.indicator(
        "Brightwood Elementary School",
        "Grade 3 ELA benchmark",
        kind="benchmark",
        baseline=30,
        target=40,
        code="ELA3",
    )
    at = dt.datetime
    step = (("Bring the winter benchmark data to the DILT", dt.date(2026, 12, 8)),)
    for when, value in ((at(2026, 10, 6, 13), 42), (at(2026, 11, 9, 13), 44)):
        result = {
            "benchmark": "ELA3",
            "school": "Brightwood Elementary School",
            "student_group": "all",
            "value": value,
            "group_size": 48,
        }
        c.visit(
            district,
            when,
            visit_type="pm_meeting",
            program="MA_SSOS",
            next_steps=step,
            answers={"benchmarks": [result]},
        )
    c.visit("Brightwood Elementary School", at(2026, 10, 14, 9), visit_type="learning_walk")
    c.visit(
        "Duggan Academy",
        at(2026, 11, 3, 9),
        visit_type="onsite",
        next_steps=(("Share the walk's look-fors with teachers", dt.date(2026, 11, 10)),),
    )
    return c


def oh_coach(root: Path, name: str = "Sam Okafor") -> Coach:
    """An SST Region 6 coach: two NNPS schools in Lima, at different stages."""
    c = _coach(root, name, "State Support Team Region 6")
    district = "Lima City Schools"
    c.districts[district] = add_district(c.profile, name=district, state="OH").id
    stages = {
        "Heritage Elementary School": "Initial Implementation",  # monthly check-ins
        "Lima North Middle School": "Full Implementation",  # quarterly
    }
    for school, stage in stages.items():
        _school(c, school, district, "OH")
        assign(c.profile, c.schools[school], AssignmentFields("OH_NNPS", YEAR), today=SET_UP)
        record_stage(
            c.profile,
            c.schools[school],
            stage=stage,
            effective=SET_UP,
            reason="Where the team started the year.",
            today=SET_UP,
        )
    at = dt.datetime
    c.visit("Heritage Elementary School", at(2026, 10, 6, 10), visit_type="check_in")
    c.visit("Heritage Elementary School", at(2026, 11, 4, 10), visit_type="check_in")
    c.visit("Lima North Middle School", at(2026, 9, 22, 10), visit_type="check_in")
    return c


@dataclass
class World:
    supervisor: Profile
    coaches: list[Coach]
    folder: Path  # the folder of the coaches' bundles

    def coach(self, first_name: str) -> Coach:
        return next(c for c in self.coaches if c.name.startswith(first_name))


def coach_world(root: Path) -> World:
    """Three coaches (NY, MA, OH) who trust their supervisor, and each export a bundle for them
    into one folder; the supervisor has imported nothing yet."""
    supervisor = open_profile(root / "supervisor")
    set_coach(supervisor, name=SUPERVISOR, employer="State Office of School Improvement")
    coaches = [ny_coach(root), ma_coach(root), oh_coach(root)]
    folder = root / "bundles from coaches"
    folder.mkdir()
    for coach in coaches:
        _introduce(supervisor, SUPERVISOR, coach.profile, coach.name)
        coach.send(folder)
    return World(supervisor, coaches, folder)
