"""The coach who owns this profile: the name printed on every visit summary."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from coachdesk.core.changes import ChangeSummary
from coachdesk.core.errors import NotFound, RefusedInput
from coachdesk.core.store.profile import Profile
from coachdesk.core.validation import clean_email, clean_name, clean_phone, clean_text

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from coachdesk.core.store.schema import Coach

# Set once the coach has typed their own name, so the demo never renames them.
NAMED_BY_COACH = "coach_named"


@dataclass(frozen=True)
class CoachView:
    id: str
    name: str
    employer: str | None
    named_by_coach: bool
    work_email: str | None = None
    work_phone: str | None = None

    @property
    def contact_line(self) -> str:
        """The e-mail and phone as one printed line ("" when neither is set)."""
        return contact_line(self.work_email, self.work_phone)


def contact_line(work_email: str | None, work_phone: str | None) -> str:
    """How a coach's contact details print under their name: "dana@ssp.org · 518-555-0142"."""
    return " · ".join(part for part in (work_email, work_phone) if part)


def get_coach(profile: Profile) -> CoachView:
    from coachdesk.core.store.schema import ProfileFact

    with profile.reading() as session:
        coach = _coach_record(session)
        named = session.get(ProfileFact, NAMED_BY_COACH) is not None
        return CoachView(
            coach.id, coach.name, coach.employer, named, coach.work_email, coach.work_phone
        )


def set_coach(
    profile: Profile,
    *,
    name: str,
    employer: str | None,
    work_email: str | None = None,
    work_phone: str | None = None,
) -> ChangeSummary:
    """Set the coach's name, employer (an SSP vendor, an SSoS region, SST 11...) and the work
    e-mail and phone printed with them; every value is checked before anything is written."""
    from coachdesk.core.store.schema import ProfileFact

    clean = clean_name(name, what="Your name")
    organization = clean_text(employer, what="Your organization", limit=200)
    email, phone = clean_email(work_email), clean_phone(work_phone)
    with profile.writing() as write:
        coach = _coach_record(write.session)
        coach.name, coach.employer = clean, organization
        coach.work_email, coach.work_phone = email, phone
        if write.session.get(ProfileFact, NAMED_BY_COACH) is None:
            write.session.add(ProfileFact(key=NAMED_BY_COACH, value="1"))
    return write.changes


def _coach_record(session: Session) -> Coach:
    from coachdesk.core.store.schema import Coach, ProfileFact

    coach_id = session.get(ProfileFact, "coach_id")
    coach = session.get(Coach, coach_id.value) if coach_id else None
    if coach is None:
        raise NotFound("This profile has no coach record; restore a backup.")
    return coach


# The programs this coach works in (chosen at the guided start); local to this laptop.
MY_PROGRAMS = "my_programs"


def my_programs(profile: Profile) -> tuple[str, ...]:
    """The program codes the coach chose, in the programs' order; () before any choice."""
    from coachdesk.core.programs import programs
    from coachdesk.core.store.schema import ProfileFact

    with profile.reading() as session:
        fact = session.get(ProfileFact, MY_PROGRAMS)
        chosen = set(fact.value.split(",")) if fact and fact.value else set()
    return tuple(code for code in programs() if code in chosen)


def set_my_programs(profile: Profile, codes: Iterable[str]) -> None:
    """Remember the programs the coach works in; an unknown code is refused with a sentence."""
    from coachdesk.core.programs import programs
    from coachdesk.core.store.schema import ProfileFact

    known = programs()
    chosen = [code.strip().upper() for code in codes]
    unknown = [code for code in chosen if code not in known]
    if unknown:
        raise RefusedInput(
            f"“{unknown[0]}” is not a program coachdesk knows; choose from "
            + ", ".join(known)
            + "."
        )
    if not chosen:
        raise RefusedInput("Choose at least one program you work in.")
    value = ",".join(code for code in known if code in chosen)
    with profile.writing() as write:
        fact = write.session.get(ProfileFact, MY_PROGRAMS)
        if fact is None:
            write.session.add(ProfileFact(key=MY_PROGRAMS, value=value))
        else:
            fact.value = value
