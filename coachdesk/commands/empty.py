"""What the command line says on a profile with no schools yet: how to add the first one.

Never "run `coachdesk demo`": a coach setting up their real caseload starts from their own
districts and schools, typed or imported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coachdesk.core.store.profile import Profile

NO_SCHOOLS = (
    "No schools yet: add one with `coachdesk schools add --name NAME --district DISTRICT` "
    "(after `coachdesk districts add --name NAME --state NY|MA|OH`), "
    "or import a file with `coachdesk caseload import F.csv`."
)

NO_PROFILE = (
    "There is no coachdesk profile in {folder} yet: start one by adding a district with "
    "`coachdesk districts add --name NAME --state NY|MA|OH`, "
    "or by importing a file with `coachdesk caseload import F.csv`."
)


def has_no_schools(profile: Profile) -> bool:
    """True when the profile holds no school that is not deleted."""
    row = (
        profile.quick_connection()
        .execute("SELECT 1 FROM organization WHERE kind = 'school' AND deleted_at IS NULL LIMIT 1")
        .fetchone()
    )
    return row is None
