"""Student identifiers masked in what prints, whatever the note's finalize check accepted.

    data = mask_summary(data)    # data.masked: ("Observations: Strengths", "Next steps")

The privacy scan (coachdesk/core/forms/privacy.py) only warns while a coach writes and
finalizes; a coach may accept a warning, and a draft is never checked. So every string a visit
summary prints from what the coach typed (purpose, sections and their tables, strengths, walk
findings, agreements, next steps and their owners, follow-up, attendees, progress rows,
upcoming dates) is scanned again here, and each stretch the scan finds (an ID-like number, a
date of birth, initials, a phrase naming a student; overlapping ones joined) prints as MASK.
`masked` names the places, in the words of the summary's headings, so the coach can be told
where; never what was found.

Names of the school, district, program and coach, form labels and the texts coachdesk writes
itself are not scanned (a school called "P.S. 12" is not a student's initials).
Masking twice changes nothing more: MASK holds nothing the scan finds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from coachdesk.core.forms.privacy import identifier_spans
from coachdesk.reports.summary_data import (
    LearningWalkFindings,
    NarrativeSection,
    VisitSummaryData,
)

MASK = "[withheld]"


def mask_text(text: str, *, today: dt.date | None = None) -> str:
    """The text with every stretch the privacy scan finds replaced by MASK."""
    if not text:
        return text
    for start, end in reversed(identifier_spans(text, today=today)):
        text = text[:start] + MASK + text[end:]
    return text


class _Masker:
    """Masks texts and remembers the places where it changed something."""

    def __init__(self, today: dt.date) -> None:
        self.today = today
        self.places: list[str] = []

    def text(self, value: str, place: str) -> str:
        masked = mask_text(value, today=self.today)
        if masked != value and place not in self.places:
            self.places.append(place)
        return masked

    def texts(self, values: tuple[str, ...], place: str) -> tuple[str, ...]:
        return tuple(self.text(v, place) for v in values)

    def section(self, item: NarrativeSection, place: str) -> NarrativeSection:
        table = item.table
        if table is not None:
            rows = tuple(tuple(self.text(cell, place) for cell in row) for row in table.rows)
            table = replace(table, rows=rows)
        return replace(item, text=self.text(item.text, place), table=table)

    def sections(
        self, items: tuple[NarrativeSection, ...], heading: str
    ) -> tuple[NarrativeSection, ...]:
        return tuple(self.section(item, f"{heading}: {item.title}") for item in items)


def mask_summary(data: VisitSummaryData) -> VisitSummaryData:
    """The summary with student identifiers masked in everything the coach typed; `masked`
    lists where (the places already listed are kept)."""
    m = _Masker(data.header.visit_date)
    header = replace(
        data.header,
        attendees=tuple(
            replace(a, name=m.text(a.name, "Attendees"), role=m.text(a.role, "Attendees"))
            for a in data.header.attendees
        ),
    )
    purpose = tuple(
        replace(link, text=m.text(link.text, "Purpose" if link.kind == "Purpose" else link.kind))
        for link in data.purpose
    )
    did = data.what_we_did
    what_we_did = replace(
        did,
        agenda=m.texts(did.agenda, "What we did: Agenda"),
        artifacts_reviewed=m.texts(did.artifacts_reviewed, "What we did: Artifacts reviewed"),
        sections=m.sections(did.sections, "What we did"),
    )
    obs = data.observations
    observations = replace(
        obs,
        strengths=m.texts(obs.strengths, "Observations: Strengths"),
        areas_for_growth=m.texts(obs.areas_for_growth, "Observations: Areas for growth"),
        sections=m.sections(obs.sections, "Observations"),
    )
    walk = data.learning_walk
    learning_walk: LearningWalkFindings | None = None
    if walk is not None:
        learning_walk = replace(
            walk,
            focus_of_inquiry=m.text(walk.focus_of_inquiry, "Learning walk: Focus of inquiry"),
            patterns=m.texts(walk.patterns, "Learning walk: Patterns across classrooms"),
            wonderings=m.texts(walk.wonderings, "Learning walk: Wonderings"),
        )
    progress = replace(
        data.progress,
        rows=tuple(
            replace(
                row,
                indicator=m.text(row.indicator, "Progress snapshot"),
                target=m.text(row.target, "Progress snapshot"),
            )
            for row in data.progress.rows
        ),
    )
    next_steps = tuple(
        replace(s, action=m.text(s.action, "Next steps"), owner=m.text(s.owner, "Next steps"))
        for s in data.next_steps
    )
    follow_up = tuple(
        replace(f, item=m.text(f.item, "Follow-up on the previous visit's items"))
        for f in data.follow_up
    )
    upcoming = tuple(replace(u, what=m.text(u.what, "Upcoming dates")) for u in data.upcoming)
    return replace(
        data,
        header=header,
        purpose=purpose,
        what_we_did=what_we_did,
        observations=observations,
        learning_walk=learning_walk,
        progress=progress,
        agreements=m.texts(data.agreements, "Agreements"),
        next_steps=next_steps,
        follow_up=follow_up,
        upcoming=upcoming,
        masked=tuple(dict.fromkeys((*data.masked, *m.places))),
    )


def masked_sentence(places: tuple[str, ...]) -> str:
    """What the coach is told: "" when nothing was masked, else one sentence naming where."""
    if not places:
        return ""
    return (
        "Possible student identifiers (an ID number, a birth date, initials or a name) print "
        f"as {MASK} in: {'; '.join(places)}. Edit the note if it should say something else."
    )
