"""The demo caseload: realistic, fictional records for trying coachdesk out.

Each part of the demo (the caseload now; visits and tracking as they arrive) adds its records
with fixed ids, so loading the demo again adds nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from coachdesk.core.store.profile import Profile

DEMO_LOADED = "demo_loaded"


@dataclass(frozen=True)
class DemoResult:
    added: int

    @property
    def sentence(self) -> str:
        if not self.added:
            return "The demo caseload is already loaded; nothing was added."
        return f"Loaded the demo caseload: {self.added} records added."


def load_demo(profile: Profile, *, today: dt.date | None = None) -> DemoResult:
    """Add every demo record the profile does not have yet, in one transaction."""
    from coachdesk.core.demo import caseload, tracking, visits
    from coachdesk.core.store.schema import ProfileFact

    today = today or dt.date.today()
    with profile.writing() as write:
        added = caseload.load(write.session, today=today)
        write.session.flush()
        added += visits.load(write.session, today=today)
        write.session.flush()
        added += tracking.load(write.session, today=today)
        if write.session.get(ProfileFact, DEMO_LOADED) is None:
            write.session.add(ProfileFact(key=DEMO_LOADED, value=today.isoformat()))
    return DemoResult(added=added)
