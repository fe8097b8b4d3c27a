"""A state report drawn into a temporary folder, with the data it was drawn from.

    rendered = render_state_report(profile, report.load(), folder, org_id=..., period=...)

Runs on a worker thread: it builds the report's frozen data (the only part that reads the
profile) and draws the PDF; the preview keeps the data for Save CSV… and Mark as submitted….
It also works out how the report's due item closes (`closing_verb`): "Mark as submitted" for a
report that is sent, nothing for one that clears by itself (MA's progress-monitoring window
clears when the meeting is held), as `close_due` would.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coachdesk.core.store.profile import Profile
from coachdesk.ui.reports.catalog import ReportFunctions

# Characters no file name may hold on Windows, macOS or Linux.
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]+')


def file_name(*parts: str, suffix: str) -> str:
    """A safe file name from its parts: "Lincoln Park ES NY quarterly report Q2 2026-27.pdf"."""
    text = " ".join(" ".join(_UNSAFE.sub(" ", part).split()) for part in parts if part)
    return f"{text.strip('. ') or 'Report'}{suffix}"


@dataclass(frozen=True)
class RenderedReport:
    """A report drawn into a temporary folder, with its data (for the CSV and the due key)."""

    data: Any
    path: Path
    pages: int
    closing: str | None = None  # the words that close its due item, None when nothing can
    submitted: bool = False  # already recorded as submitted
    submitted_on: dt.date | None = None

    def suggested_name(self, suffix: str) -> str:
        return file_name(
            getattr(self.data, "org_name", ""),
            getattr(self.data, "title", "") or "Report",
            getattr(self.data, "period_label", ""),
            suffix=suffix,
        )


def render_state_report(
    profile: Profile,
    functions: ReportFunctions,
    folder: Path,
    *,
    org_id: str,
    period: str,
    large_print: bool,
    today: dt.date,
) -> RenderedReport:
    """Build the report's data and draw its PDF into `folder` (runs on a worker thread)."""
    data = functions.build(profile, org_id=org_id, period=period, today=today)
    path = folder / "report.pdf"
    result = functions.render(data, path, large_print=large_print)
    named = folder / RenderedReport(data, path, 0).suggested_name(".pdf")
    path.rename(named)
    submitted, submitted_on = submitted_state(data)
    key = getattr(data, "due_key", None)
    return RenderedReport(
        data=data,
        path=named,
        pages=result.pages,
        closing=closing_verb(profile, key, today) if key else None,
        submitted=submitted,
        submitted_on=submitted_on,
    )


def closing_verb(profile: Profile, key: str, today: dt.date) -> str | None:
    """The words that close the due item `key` ("Mark as submitted"), or None when marking it
    does not close it (it clears once what it asks for is done)."""
    from coachdesk.core.tracking_records.due import due_on
    from coachdesk.core.tracking_rules import shipped_rules
    from coachdesk.core.tracking_rules.closings import EXCUSABLE, closing_of, split_key

    parts = split_key(key)
    if parts is None:
        return None
    rules = shipped_rules()
    listed = next((item for item in due_on(profile, today, rules) if item.key == key), None)
    if listed is not None:
        return listed.closes_as.verb if listed.closes_as is not None else None
    rule_id, _org, period = parts
    # Not listed yet (a report sent early) or any more: recorded as its rule records it.
    closing = None if rule_id in EXCUSABLE else closing_of(rules, rule_id, period)
    return closing.verb if closing is not None else None


def submitted_state(data: Any) -> tuple[bool, dt.date | None]:
    """Whether the data says the report was already recorded as submitted, and on which day
    (the OH log's `submitted_on`; the NY report's `submitted`, with its day `on`)."""
    day = getattr(data, "submitted_on", None)
    if isinstance(day, dt.date):
        return True, day
    marked = getattr(data, "submitted", None)
    if marked is not None and not isinstance(marked, bool):
        on = getattr(marked, "on", None)
        return True, on if isinstance(on, dt.date) else None
    return bool(marked), None
