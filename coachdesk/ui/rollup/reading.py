"""The roll-up of a desktop profile, read the one way the reports read it (no Qt here).

    rollup = rollup_of(profile, RollupFilter(program="OH_NNPS"), today=dt.date.today())

One read transaction (`profile.reading()`) around `coachdesk.reports.rollup_data.build_rollup`,
which the CLI, the CSV, the PDF and the PostgreSQL hub share.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coachdesk.core.store.profile import Profile
    from coachdesk.reports.rollup_data import Rollup, RollupFilter


def rollup_of(profile: Profile, filter: RollupFilter, *, today: dt.date) -> Rollup:
    """Every caseload the profile holds (its own and the coaches' it imported), on `today`."""
    from coachdesk.reports.rollup_data import build_rollup

    with profile.reading() as session:
        return build_rollup(session, filter, today=today)


def own_coach_id(profile: Profile) -> str | None:
    """The coach record of the profile's owner (the supervisor's own schools are theirs to edit)."""
    from coachdesk.core.coach import get_coach
    from coachdesk.core.errors import NotFound

    try:
        return get_coach(profile).id
    except NotFound:
        return None


def other_coaches_held(profile: Profile, *, today: dt.date | None = None) -> int:
    """How many coaches besides the profile's owner have a caseload of this school year in it
    (the demo's left out): the window lists Roll-up once there is one (a supervisor's)."""
    from coachdesk.reports.rollup_facts import read_assigned

    mine = own_coach_id(profile)
    with profile.reading() as session:
        assigned = read_assigned(session, today or dt.date.today())
    return len({a.coach_id for a in assigned} - {mine})
