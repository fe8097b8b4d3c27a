"""A state report drawn into a temporary folder, with the data it was drawn from.

    rendered = render_state_report(profile, report.load(), folder, org_id=..., period=...)

Runs on a worker thread: it builds the report's frozen data (the only part that reads the
profile) and draws the PDF; the preview keeps the data for Save CSV… and Mark as submitted….
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
    return RenderedReport(data=data, path=named, pages=result.pages)
