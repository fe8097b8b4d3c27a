"""A visit as the principal's summary shows it: VisitSummaryData built from the profile.

    data = build_visit_summary(profile, visit_id)
    render_visit_summary(data, "summary.pdf")

The form decides what prints (DOMAIN.md sections 3, 5 and 6). A field prints only where its
`pdf` column places it:

- `section:purpose` -> Purpose; `section:what_we_did` and `section:upcoming` -> What we did
  (reminders given have no date, so they are not invented into Upcoming dates);
  `section:agreements` -> Agreements; `section:next_steps` comes from the visit's next steps;
  any other section (observations, progress...) -> a titled paragraph under Observations.
  Fields bound to `learning_walk.*` fill the learning-walk findings instead.
- A classrooms repeat prints as look-for aggregates only (classrooms seen, % observed,
  % partly), never a classroom row, whatever its placement says.
- A field without a placement, marked `pdf: hide`, or marked `privacy: internal` never prints;
  neither does anything inside a group or repeat so marked. Answers hidden by relevance never
  print either.

Choices print as their labels; a multiple choice is joined with semicolons.

Around the form's answers: the progress snapshot of the school's plan for the visit's program
(summary_progress.py), the next visit and the school's obligations due in the 60 days after it
(summary_dates.py), the coach's organization and work contact from the Coach record, and the
form's `acknowledgement` setting (a "Received by" block the school signs).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from coachdesk.core.coach import contact_line
from coachdesk.core.errors import NotFound
from coachdesk.core.programs import program as program_named
from coachdesk.core.store.profile import Profile
from coachdesk.core.store.schema import Assignment, Coach, Organization, ProfileFact
from coachdesk.core.store.visit_tables import Visit
from coachdesk.core.visits import ActionItemView, VisitDetail, get_visit
from coachdesk.reports.masking import mask_summary
from coachdesk.reports.pdf_layout import short_date
from coachdesk.reports.printed_answers import (
    PrintedAnswers,
    hidden_in,
    printable_inputs,
    printed_answers,
)
from coachdesk.reports.summary_data import (
    DRAFT,
    FINAL,
    Attendee,
    FollowUpItem,
    NextStep,
    Observations,
    PurposeLink,
    SummaryFooter,
    SummaryHeader,
    VisitSummaryData,
    WhatWeDid,
)
from coachdesk.reports.summary_dates import upcoming_dates
from coachdesk.reports.summary_progress import progress_snapshot

__all__ = ["PrintedAnswers", "build_visit_summary", "printed_answers"]


def build_visit_summary(
    profile: Profile, visit_id: str, *, today: dt.date | None = None
) -> VisitSummaryData:
    """The principal's summary of one visit; NotFound if there is no such visit.

    `today` decides which earlier next steps are overdue (default: the real date).
    """
    today = today or dt.date.today()
    visit = get_visit(profile, visit_id)
    facts = _facts(profile, visit)
    columns = _printable_columns(visit)
    printed = PrintedAnswers()
    if visit.definition is not None:
        printed = printed_answers(visit.definition, visit.response, on=visit.starts_at.date())
    purpose = ((PurposeLink("Purpose", visit.purpose.strip()),) if visit.purpose else ()) + tuple(
        PurposeLink(s.title, s.text) for s in printed.purpose
    )
    data = VisitSummaryData(
        header=SummaryHeader(
            program_name=facts.program_name,
            school=visit.school_name,
            district=facts.district,
            visit_date=visit.starts_at.date(),
            visit_type=visit.type_label,
            coach=facts.coach,
            coach_organization=facts.coach_organization,
            coach_contact=facts.coach_contact,
            attendees=tuple(Attendee(a.name, a.role) for a in visit.attendees),
            # A final note reopened for amendment is not final until finalized again.
            status=FINAL if visit.status in ("final", "shared") and not visit.amended_at else DRAFT,
            amended_on=(
                dt.datetime.fromisoformat(visit.last_amended_at).astimezone(facts.zone).date()
                if visit.last_amended_at
                else None
            ),
        ),
        footer=SummaryFooter(
            form_id=visit.definition.form_id if visit.definition else "",
            form_version=str(visit.definition.version) if visit.definition else "—",
            generated_at=dt.datetime.now(facts.zone),
        ),
        purpose=purpose,
        what_we_did=WhatWeDid(sections=printed.what_we_did),
        observations=Observations(strengths=printed.strengths, sections=printed.observations),
        learning_walk=printed.learning_walk,
        agreements=printed.agreements,
        next_steps=_next_steps(visit, columns),
        follow_up=tuple(
            _follow_up(item, visit.id, today, columns)
            for item in visit.earlier_open_items
            if "text" in columns
        ),
        progress=progress_snapshot(
            profile,
            school_id=visit.school_id,
            district_id=facts.district_id,
            program_code=visit.program_code,
            on=visit.starts_at.date(),
        ),
        upcoming=upcoming_dates(
            profile,
            visit_id=visit.id,
            school_id=visit.school_id,
            district_id=facts.district_id,
            starts_at=visit.starts_at,
        ),
        acknowledgement=visit.definition.acknowledgement if visit.definition else False,
    )
    return mask_summary(data)  # student identifiers never print (reports/masking.py)


# --- facts around the visit -------------------------------------------------------------------


@dataclass(frozen=True)
class _Facts:
    program_name: str
    district: str
    district_id: str | None
    coach: str
    coach_organization: str
    coach_contact: str
    zone: ZoneInfo | None


def _facts(profile: Profile, visit: VisitDetail) -> _Facts:
    program_name = "Coaching visit"
    if visit.program_code:
        try:
            program_name = program_named(visit.program_code).long_name
        except KeyError:
            program_name = visit.program_code
    with profile.reading() as session:
        school = session.get(Organization, visit.school_id)
        row = session.get(Visit, visit.id)
        if school is None or row is None:  # get_visit read both a moment ago
            raise NotFound("This visit is no longer in the profile; reopen it from the school.")
        district = session.get(Organization, school.parent_id) if school.parent_id else None
        # The coach of record for this school's assignment; a supervisor's profile holds many.
        assignment_id = row.assignment_id
        assignment = session.get(Assignment, assignment_id) if assignment_id else None
        coach = session.get(Coach, assignment.coach_id) if assignment is not None else None
        if coach is None:
            fact = session.get(ProfileFact, "coach_id")
            coach = session.get(Coach, fact.value) if fact is not None else None
        organization = (coach.employer or "") if coach is not None else ""
        contact = contact_line(coach.work_email, coach.work_phone) if coach is not None else ""
        tz_name = school.tz
    try:
        zone: ZoneInfo | None = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError):
        zone = None
    return _Facts(
        program_name=program_name,
        district=district.name if district is not None else "",
        district_id=district.id if district is not None else None,
        coach=coach.name if coach is not None else "",
        coach_organization=organization,
        coach_contact=contact,
        zone=zone,
    )


# --- next steps and follow-up ---------------------------------------------------------------------


def _printable_columns(visit: VisitDetail) -> frozenset[str]:
    """The next-step columns (text, owner, due) the visit's form lets print."""
    if visit.definition is None:
        return frozenset({"text", "owner", "due"})  # no form says otherwise
    repeat = visit.definition.field(visit.action_repeat) if visit.action_repeat else None
    if repeat is None or hidden_in(visit.definition, repeat):
        return frozenset()
    return frozenset(
        c.bind.removeprefix("action_items.")
        for c in printable_inputs(repeat.children)
        if c.bind and c.bind.startswith("action_items.")
    )


def _next_steps(visit: VisitDetail, columns: frozenset[str]) -> tuple[NextStep, ...]:
    """This visit's next steps (dropped ones are no longer steps), as the form allows."""
    if "text" not in columns:
        return ()
    return tuple(
        NextStep(
            action=item.text,
            owner=(item.owner or "") if "owner" in columns else "",
            due=item.due if "due" in columns else None,
        )
        for item in visit.action_items
        if item.status != "dropped" and item.text
    )


def _follow_up(
    item: ActionItemView, visit_id: str, today: dt.date, columns: frozenset[str]
) -> FollowUpItem:
    """An earlier next step and where it stands: reviewed at this visit, or still open."""
    details = [item.owner] if item.owner and "owner" in columns else []
    if item.due is not None and "due" in columns:
        details.append(f"due {short_date(item.due)}")
    described = f"{item.text} ({', '.join(details)})" if details else item.text
    if item.reviewed_in_visit_id == visit_id:
        status = {"done": "Done", "dropped": "Dropped"}.get(item.status, "Carried on")
    else:
        # The status column is narrow: the date sits with the item, the word here.
        status = "Overdue" if item.overdue_on(today) else "Open"
    return FollowUpItem(item=described, status=status)
