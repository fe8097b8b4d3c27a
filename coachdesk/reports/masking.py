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

In a learning walk's summary, the narrative (purpose, sections, strengths, walk findings,
agreements, next steps' actions) is also masked for a teacher's name or a room number
(core/forms/privacy.py scan_classroom_text): a draft is never checked, and a final note that
names one is refused. Attendees, next steps' owners and progress rows name adults or
indicators by design and are scanned for student identifiers only.

Names of the school, district, program and coach, form labels and the texts coachdesk writes
itself are not scanned (a school called "P.S. 12" is not a student's initials).
Masking twice changes nothing more: MASK holds nothing the scan finds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from coachdesk.core.forms.privacy import identifier_spans, scan_classroom_text
from coachdesk.reports.summary_data import (
    LearningWalkFindings,
    NarrativeSection,
    VisitSummaryData,
)

MASK = "[withheld]"


def mask_text(text: str, *, today: dt.date | None = None, walk: bool = False) -> str:
    """The text with every stretch the privacy scan finds replaced by MASK; with `walk`, a
    teacher's name or a room number too (a learning walk names neither)."""
    if not text:
        return text
    spans = identifier_spans(text, today=today)
    if walk:
        spans += [(start, end) for _k, _m, start, end in scan_classroom_text(text)]
    joined: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if joined and start <= joined[-1][1]:
            joined[-1] = (joined[-1][0], max(end, joined[-1][1]))
        else:
            joined.append((start, end))
    for start, end in reversed(joined):
        text = text[:start] + MASK + text[end:]
    return text


class _Masker:
    """Masks texts and remembers the places where it changed something."""

    def __init__(self, today: dt.date, walk: bool) -> None:
        self.today = today
        self.walk = walk  # a learning walk's narrative names no teacher or room either
        self.places: list[str] = []

    def text(self, value: str, place: str, *, narrative: bool = True) -> str:
        """`narrative` False for the names of adults by design (attendees, owners)."""
        masked = mask_text(value, today=self.today, walk=self.walk and narrative)
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
    m = _Masker(data.header.visit_date, walk=data.learning_walk is not None)
    header = replace(
        data.header,
        attendees=tuple(
            replace(
                a,
                name=m.text(a.name, "Attendees", narrative=False),
                role=m.text(a.role, "Attendees", narrative=False),
            )
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
                indicator=m.text(row.indicator, "Progress snapshot", narrative=False),
                target=m.text(row.target, "Progress snapshot", narrative=False),
            )
            for row in data.progress.rows
        ),
    )
    next_steps = tuple(
        replace(
            s,
            action=m.text(s.action, "Next steps"),
            owner=m.text(s.owner, "Next steps", narrative=False),
        )
        for s in data.next_steps
    )
    follow_up = tuple(
        # An earlier step with its owner and date: owners are adults by design.
        replace(f, item=m.text(f.item, "Follow-up on the previous visit's items", narrative=False))
        for f in data.follow_up
    )
    upcoming = tuple(
        replace(u, what=m.text(u.what, "Upcoming dates", narrative=False)) for u in data.upcoming
    )
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


def masked_sentence(places: tuple[str, ...], *, walk: bool = False) -> str:
    """What the coach is told: "" when nothing was masked, else one sentence naming where;
    `walk` for a learning walk's summary, where teachers' names and rooms are masked too."""
    if not places:
        return ""
    what = "Possible student identifiers (an ID number, a birth date, initials or a name)"
    if walk:
        what = (
            "Possible student identifiers (an ID number, a birth date, initials or a name), "
            "teachers' names and room numbers"
        )
    return (
        f"{what} print as {MASK} in: {'; '.join(places)}. Edit the note if it should say "
        "something else."
    )
