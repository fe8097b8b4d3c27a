"""What an OH NNPS check-in note says about its school, proposed for the school's page.

A check-in records the school's implementation stage, where it stands on the five essential
elements and the reasons for more frequent coaching. When a finalized note says something the
school's page does not (a new stage, an element moved, a new reason), `propose_school_changes`
returns the differences and `apply_school_changes` writes them, dated the day of the check-in:
a stage record with its reason, element statuses for the school year, and coaching flags. So
the note and the school page agree, and the five elements are entered once, on the note.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import select

from coachdesk.core import school_year
from coachdesk.core.changes import ChangeSummary
from coachdesk.core.dates_text import medium_date
from coachdesk.core.errors import RefusedInput
from coachdesk.core.programs import program
from coachdesk.core.records import live_record
from coachdesk.core.store.profile import Profile
from coachdesk.core.store.schema import CoachingFlag, StageRecord
from coachdesk.core.store.tracking_tables import ElementStatus
from coachdesk.core.store.visit_tables import Visit, VisitAnswer

PROGRAM = "OH_NNPS"
# The check-in form's answers (forms/oh_nnps/oh_nnps_check_in.v1.yaml) in the school's words.
STAGES = {
    "exploring": "Exploring",
    "installing": "Installing",
    "initial": "Initial Implementation",
    "full": "Full Implementation",
}
ELEMENTS = {
    "el_leaders": 1,
    "el_team": 2,
    "el_six_types": 3,
    "el_action_plan": 4,
    "el_evaluation": 5,
}
ELEMENT_NAMES = {
    1: "Leadership for partnerships",
    2: "Action Team for Partnerships",
    3: "Six Types framework",
    4: "One-Year Action Plan",
    5: "Program evaluation",
}
ELEMENT_STATUSES = {
    "in_place": "in place",
    "developing": "developing",
    "not_started": "not started",
}
FINAL = frozenset({"final", "shared"})


@dataclass(frozen=True)
class SchoolChange:
    """One thing the note says differently from the school's page."""

    kind: str  # stage | element | flag
    subject: str  # the stage, the element's number, the flag's reason code
    now: str | None  # what the school's page says
    proposed: str
    sentence: str


@dataclass(frozen=True)
class SchoolProposal:
    """The changes a check-in note proposes for its school, dated the day of the check-in."""

    visit_id: str
    school_id: str
    day: dt.date
    changes: tuple[SchoolChange, ...]

    @property
    def sentence(self) -> str:
        if not self.changes:
            return "The note and the school's page agree."
        listed = "; ".join(c.sentence for c in self.changes)
        return f"The check-in of {medium_date(self.day)} records: {listed}. Update the school?"


def propose_school_changes(profile: Profile, visit_id: str) -> SchoolProposal:
    """The stage, element statuses and coaching reasons a final check-in note records that
    the school's page does not; no changes for a draft or a note of another program."""
    with profile.reading() as session:
        visit = live_record(session, Visit, visit_id, "visit")
        day = visit.starts_at.date()
        proposal = SchoolProposal(visit_id, visit.org_id, day, ())
        if visit.status not in FINAL or not (visit.form_id or "").startswith("oh_nnps"):
            return proposal
        answers = {
            a.field: json.loads(a.value)
            for a in session.scalars(
                select(VisitAnswer).where(
                    VisitAnswer.visit_id == visit_id, VisitAnswer.deleted_at.is_(None)
                )
            )
        }
        current = session.scalars(
            select(StageRecord.stage)
            .where(
                StageRecord.org_id == visit.org_id,
                StageRecord.program_code == PROGRAM,
                StageRecord.deleted_at.is_(None),
                StageRecord.effective <= day,
            )
            .order_by(StageRecord.effective.desc(), StageRecord.created_hlc.desc())
        ).first()
        year = school_year.label(school_year.start_year_of(day))
        statuses = {
            r.element: r.status
            for r in session.scalars(
                select(ElementStatus).where(
                    ElementStatus.org_id == visit.org_id,
                    ElementStatus.school_year == year,
                    ElementStatus.deleted_at.is_(None),
                )
            )
        }
        active = {
            f.reason
            for f in session.scalars(
                select(CoachingFlag).where(
                    CoachingFlag.org_id == visit.org_id, CoachingFlag.deleted_at.is_(None)
                )
            )
            if f.ended_on is None or f.ended_on > day
        }
    changes = _stage(answers, current) + _elements(answers, statuses) + _flags(answers, active)
    return SchoolProposal(visit_id, proposal.school_id, day, changes)


def _stage(answers: dict, current: str | None) -> tuple[SchoolChange, ...]:
    stage = STAGES.get(answers.get("stage") or "")
    if stage is None or stage == current:
        return ()
    was = f" (was {current})" if current else ""
    return (SchoolChange("stage", stage, current, stage, f"stage {stage}{was}"),)


def _elements(answers: dict, statuses: dict[int, str]) -> tuple[SchoolChange, ...]:
    found = []
    for field, element in ELEMENTS.items():
        status = ELEMENT_STATUSES.get(answers.get(field) or "")
        now = statuses.get(element, "not started")
        if status is None or status == now:
            continue
        name = ELEMENT_NAMES[element]
        found.append(
            SchoolChange("element", str(element), now, status, f"{name} {status} (was {now})")
        )
    return tuple(found)


def _flags(answers: dict, active: set[str]) -> tuple[SchoolChange, ...]:
    reasons = program(PROGRAM).flag_reasons
    picked = answers.get("coaching_reasons") or []
    found = []
    for reason in picked if isinstance(picked, list) else []:
        if reason in reasons and reason not in active:
            words = f"a reason for more frequent coaching: {reasons[reason]}"
            found.append(SchoolChange("flag", reason, None, reason, words))
    return tuple(found)


def apply_school_changes(profile: Profile, proposal: SchoolProposal) -> ChangeSummary:
    """Write the proposed changes on the school's page, dated the day of the check-in, in one
    transaction; the stage's reason names the check-in."""
    if not proposal.changes:
        raise RefusedInput("The note and the school's page already agree; nothing to update.")
    reason = f"Recorded at the check-in of {medium_date(proposal.day)}."
    year = school_year.label(school_year.start_year_of(proposal.day))
    with profile.writing() as write:
        session = write.session
        visit = live_record(session, Visit, proposal.visit_id, "visit")
        if visit.org_id != proposal.school_id:
            raise RefusedInput("That proposal is for another school's visit.")
        for change in proposal.changes:
            if change.kind == "stage":
                session.add(
                    StageRecord(
                        org_id=proposal.school_id,
                        program_code=PROGRAM,
                        stage=change.proposed,
                        effective=proposal.day,
                        reason=reason,
                    )
                )
            elif change.kind == "element":
                _set_element(session, proposal.school_id, year, int(change.subject), change)
            else:
                session.add(
                    CoachingFlag(
                        org_id=proposal.school_id,
                        reason=change.subject,
                        start=proposal.day,
                        note=reason,
                    )
                )
    return write.changes


def _set_element(session, school_id: str, year: str, element: int, change: SchoolChange) -> None:
    row = session.scalars(
        select(ElementStatus).where(
            ElementStatus.org_id == school_id,
            ElementStatus.school_year == year,
            ElementStatus.element == element,
            ElementStatus.deleted_at.is_(None),
        )
    ).first()
    if row is None:
        row = ElementStatus(org_id=school_id, school_year=year, element=element)
        session.add(row)
    row.status = change.proposed
