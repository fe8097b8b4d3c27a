"""What a principal's visit summary shows, as plain frozen data (DOMAIN.md section 5).

The visits service fills these from a finalized (or draft) visit; the renderer in
visit_summary.py turns them into a PDF. Nothing here touches the database or Qt.

Privacy by construction (DOMAIN.md section 6): there is no field for an `internal` note, a
student, a teacher or a room. A form field marked `privacy=internal` has nowhere to go; free
narrative arrives only as `NarrativeSection`s built from fields marked `pdf=section:<name>`.
Progress cells carry their `n` so the renderer can suppress small cells; the value of a
suppressed cell is never printed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

DRAFT = "draft"
FINAL = "final"
STATUSES = (DRAFT, FINAL)

# DOMAIN.md section 6: cells with n below this are suppressed (an assumption; configurable).
DEFAULT_SUPPRESSION_THRESHOLD = 10
MAX_PROGRESS_ROWS = 6


@dataclass(frozen=True)
class Attendee:
    """An adult who took part, by name and role (never a student or family member)."""

    name: str
    role: str


@dataclass(frozen=True)
class SummaryHeader:
    program_name: str
    school: str
    district: str
    visit_date: dt.date
    visit_type: str
    coach: str
    attendees: tuple[Attendee, ...] = ()
    coach_organization: str = ""  # the coach's employer: an SSP vendor, an SSoS region, SST 11
    coach_contact: str = ""  # the coach's work e-mail and phone, as one line
    status: str = DRAFT  # draft | final
    amended_on: dt.date | None = None  # a final note changed after it was first finalized

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"A visit summary is either draft or final, not {self.status!r}.")

    @property
    def is_draft(self) -> bool:
        return self.status == DRAFT


@dataclass(frozen=True)
class PurposeLink:
    """What the visit advanced: a Lead Strategy (NY), the IP (MA) or a partnership goal (OH)."""

    kind: str  # e.g. "Lead strategy", "Instructional priority", "Partnership goal"
    text: str


@dataclass(frozen=True)
class PrintedTable:
    """Rows of a repeat (benchmark results, say) printed as a table, small cells already shown
    as suppressed; `note` says what the suppression means, under the table."""

    headings: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""


@dataclass(frozen=True)
class NarrativeSection:
    """A form field marked `pdf=section:<name>`, printed under its own heading.

    With `inline`, a short answer (a choice, a number) prints on one line as "Title: text".
    With `table`, the section prints as that table (and `text` is its plain-text form).
    """

    title: str
    text: str
    inline: bool = False
    table: PrintedTable | None = None


@dataclass(frozen=True)
class WhatWeDid:
    agenda: tuple[str, ...] = ()
    artifacts_reviewed: tuple[str, ...] = ()  # titles only
    sections: tuple[NarrativeSection, ...] = ()  # form fields marked `pdf=section:what_we_did`


@dataclass(frozen=True)
class Observations:
    """Low-inference statements; each item is one paragraph."""

    strengths: tuple[str, ...] = ()
    areas_for_growth: tuple[str, ...] = ()
    sections: tuple[NarrativeSection, ...] = ()


@dataclass(frozen=True)
class LookForRow:
    """One look-for across the classrooms visited: aggregates only, no classroom rows."""

    look_for: str
    classrooms_seen: int
    pct_observed: float | None  # 0-100; None when no classroom was rated
    pct_partly: float | None


@dataclass(frozen=True)
class LearningWalkFindings:
    focus_of_inquiry: str = ""
    look_fors: tuple[LookForRow, ...] = ()
    patterns: tuple[str, ...] = ()
    wonderings: tuple[str, ...] = ()
    classrooms_visited: int = 0
    # Why the per-look-for shares are left out (too few classrooms), in a sentence; "" otherwise.
    shares_withheld: str = ""


@dataclass(frozen=True)
class MeasureCell:
    """A measured value as text ("41%", "Stage 2", "Yes") and the number of students behind it."""

    value: str
    n: int | None = None  # None: not a student count (a stage, a yes/no, an activity count)

    def shown(self, threshold: int) -> str:
        """The text to print: the value, or "n<threshold" for a small cell."""
        if self.n is not None and self.n < threshold:
            return f"n<{threshold}"
        return self.value or "—"


@dataclass(frozen=True)
class ProgressRow:
    indicator: str
    baseline: MeasureCell | None
    target: str
    latest: MeasureCell | None
    status: str  # met | not met | on-track | at-risk | no-data


@dataclass(frozen=True)
class ProgressSnapshot:
    """Up to six linked indicators, aggregate only."""

    rows: tuple[ProgressRow, ...] = ()
    suppression_threshold: int = DEFAULT_SUPPRESSION_THRESHOLD
    more: int = 0  # linked indicators left out to keep to six ("2 more in coachdesk")

    def __post_init__(self) -> None:
        if len(self.rows) > MAX_PROGRESS_ROWS:
            raise ValueError(
                f"A visit summary shows at most {MAX_PROGRESS_ROWS} indicators; "
                f"choose the ones this visit worked on ({len(self.rows)} were given)."
            )


@dataclass(frozen=True)
class NextStep:
    action: str
    owner: str  # a name or a role
    due: dt.date | None = None


@dataclass(frozen=True)
class FollowUpItem:
    """An action item from the previous visit and where it stands now."""

    item: str
    status: str  # done | open | dropped, or a short phrase


@dataclass(frozen=True)
class UpcomingDate:
    what: str
    when: dt.date


@dataclass(frozen=True)
class SummaryFooter:
    form_id: str
    form_version: str
    generated_at: dt.datetime


@dataclass(frozen=True)
class VisitSummaryData:
    """Everything a visit summary prints, in DOMAIN.md section 5 order."""

    header: SummaryHeader
    footer: SummaryFooter
    purpose: tuple[PurposeLink, ...] = ()
    what_we_did: WhatWeDid = field(default_factory=WhatWeDid)
    observations: Observations = field(default_factory=Observations)
    learning_walk: LearningWalkFindings | None = None
    progress: ProgressSnapshot = field(default_factory=ProgressSnapshot)
    agreements: tuple[str, ...] = ()
    next_steps: tuple[NextStep, ...] = ()
    follow_up: tuple[FollowUpItem, ...] = ()
    upcoming: tuple[UpcomingDate, ...] = ()
    # Where student identifiers were masked in what prints ("Observations: Strengths"), so the
    # coach can be told; the identifiers themselves are never here.
    masked: tuple[str, ...] = ()
    # The form asks for a "Received by" block the school signs (its `acknowledgement` setting).
    acknowledgement: bool = False
