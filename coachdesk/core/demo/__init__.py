"""The demo caseload: realistic, fictional records for trying coachdesk out.

Each part of the demo (the caseload, visits, tracking) adds its records with fixed ids, so
loading the demo again adds nothing. The demo's records are listed, so that `remove_demo`
(core/demo/removal.py) can take them out again and bundles leave them out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from coachdesk.core.store.profile import Profile

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from coachdesk.core.demo.collect import DemoSink

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
    """Add every demo record the profile does not have yet, in one transaction.

    Every record the demo holds is listed in the local demo_record table, so that the demo can
    be removed again and is kept out of bundles unless the coach asks (core/demo/removal.py).
    """
    from coachdesk.core.demo.collect import DemoSink
    from coachdesk.core.demo.records import list_earlier_demo, note
    from coachdesk.core.store.schema import ProfileFact

    today = today or dt.date.today()
    with profile.writing() as write:
        session = write.session
        list_earlier_demo(session, today=today)
        # Loading after a removal brings the removed records back from their tombstones.
        sink = DemoSink(session, revive=session.get(ProfileFact, DEMO_LOADED) is None)
        run_loaders(session, sink, today=today)
        note(session, sink.noted_and_present())
        if session.get(ProfileFact, DEMO_LOADED) is None:
            session.add(ProfileFact(key=DEMO_LOADED, value=today.isoformat()))
    return DemoResult(added=sink.added)


def run_loaders(session: Session, sink: DemoSink, *, today: dt.date) -> None:
    """Run every part of the demo into `sink`: the caseload, then visits, then tracking."""
    from coachdesk.core.demo import caseload, tracking, visits

    # Each part reads what the one before added (or brought back), so each is flushed first.
    for part in (caseload, visits, tracking):
        part.load(session, today=today, sink=sink)
        if sink.adding:
            sink.revive_removed()
            session.flush()
