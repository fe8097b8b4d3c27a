"""The reports a coach sends a state, as the Reports menu lists them.

    report = STATE_REPORTS["quarterly"]
    functions = report.load()           # the report modules, imported now (reportlab is heavy)
    functions.orgs(profile)             # [(org_id, name), ...] on the caseload
    functions.periods(today)            # ["2026-Q2", "2026-Q1", ...], most recent first

Each report follows the state report contract of issue 14: a `reports/<prefix>_source.py` that
builds frozen data (`build_<name>_report`, `<name>_periods`, `<name>_orgs`) and a
`reports/<prefix>_report.py` that draws it (`render_<name>_report`, `write_<name>_csv`). The
modules are imported only when a report is opened, so the window starts without reportlab.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from coachdesk.core.errors import RefusedInput

WINDOW_LABELS = {"mid": "Mid-year", "end": "End of year"}


def quarter_label(code: str) -> str:
    """ "2026-Q2" as a coach reads it: "Q2 2026-27"."""
    from coachdesk.core.school_quarters import parse_quarter

    try:
        return parse_quarter(code).label
    except RefusedInput:
        return code


def window_label(code: str) -> str:
    """ "2026-27 mid" as a coach reads it: "Mid-year 2026-27"."""
    year, _, window = code.rpartition(" ")
    return f"{WINDOW_LABELS[window]} {year}" if year and window in WINDOW_LABELS else code


def quarter_of_due(period: str) -> str | None:
    """The report period a due item's period names ("2026-27 Q1" -> "2026-Q1")."""
    from coachdesk.core.school_quarters import parse_quarter

    try:
        return parse_quarter(period).code
    except RefusedInput:
        return None


# The MA rules name the end-of-year window "eoy"; the DILT report and its command say "end".
_DUE_WINDOWS = {"mid": "mid", "eoy": "end", "end": "end"}


def window_of_due(period: str) -> str | None:
    """The DILT window a due item's period names: "2026-27 mid", and "2026-27 eoy" (the rules'
    name for the end-of-year window) as "2026-27 end"."""
    year, _, window = period.rpartition(" ")
    return f"{year} {_DUE_WINDOWS[window]}" if year and window in _DUE_WINDOWS else None


@dataclass(frozen=True)
class ReportFunctions:
    """The contract's functions of one report, imported."""

    build: Callable[..., Any]
    periods: Callable[..., list[str]]
    orgs: Callable[..., list[tuple[str, str]]]
    render: Callable[..., Any]
    write_csv: Callable[..., Any]


@dataclass(frozen=True)
class StateReport:
    """One report a coach sends: what the menu calls it and where its code lives."""

    key: str  # the contract's NAME: quarterly, coaching_log, dilt
    title: str  # the menu's words, without the "…"
    short_title: str  # in file names and sentences: "NY quarterly report"
    program_code: str  # the program whose schools or districts it is for
    program_name: str
    org_kind: str  # "school" or "district"
    period_word: str  # the period field's label: "Quarter", "Window"
    source_module: str
    report_module: str
    rule_ids: tuple[str, ...]  # the due rules whose items the report closes (the default period)
    period_label: Callable[[str], str]
    period_of_due: Callable[[str], str | None]

    @property
    def build_name(self) -> str:
        return f"build_{self.key}_report"

    @property
    def periods_name(self) -> str:
        return f"{self.key}_periods"

    @property
    def orgs_name(self) -> str:
        return f"{self.key}_orgs"

    @property
    def render_name(self) -> str:
        return f"render_{self.key}_report"

    @property
    def csv_name(self) -> str:
        return f"write_{self.key}_csv"

    @property
    def org_word(self) -> str:
        return self.org_kind.capitalize()

    def load(self) -> ReportFunctions:
        """Import the report's two modules and return its functions."""
        source = importlib.import_module(self.source_module)
        report = importlib.import_module(self.report_module)
        return ReportFunctions(
            build=getattr(source, self.build_name),
            periods=getattr(source, self.periods_name),
            orgs=getattr(source, self.orgs_name),
            render=getattr(report, self.render_name),
            write_csv=getattr(report, self.csv_name),
        )

    def is_available(self) -> bool:
        """Whether this version of coachdesk has the report's modules."""
        return all(
            importlib.util.find_spec(name) is not None
            for name in (self.source_module, self.report_module)
        )


STATE_REPORTS: dict[str, StateReport] = {
    report.key: report
    for report in (
        StateReport(
            key="quarterly",
            title="NY quarterly report",
            short_title="NY quarterly report",
            program_code="NY_RCV",
            program_name="NY Receivership",
            org_kind="school",
            period_word="Quarter",
            source_module="coachdesk.reports.ny_quarterly_source",
            report_module="coachdesk.reports.ny_quarterly_report",
            rule_ids=("ny.quarterly_report",),
            period_label=quarter_label,
            period_of_due=quarter_of_due,
        ),
        StateReport(
            key="coaching_log",
            title="OH coaching log",
            short_title="OH coaching log",
            program_code="OH_NNPS",
            program_name="OH NNPS",
            org_kind="district",
            period_word="Quarter",
            source_module="coachdesk.reports.oh_coaching_log_source",
            report_module="coachdesk.reports.oh_coaching_log_report",
            rule_ids=("oh.coaching_log",),
            period_label=quarter_label,
            period_of_due=quarter_of_due,
        ),
        StateReport(
            key="dilt",
            title="MA progress-monitoring report (DILT)",
            short_title="MA DILT progress-monitoring report",
            program_code="MA_SSOS",
            program_name="MA SSoS",
            org_kind="district",
            period_word="Window",
            source_module="coachdesk.reports.ma_dilt_source",
            report_module="coachdesk.reports.ma_dilt_report",
            rule_ids=("ma.pm_window",),
            period_label=window_label,
            period_of_due=window_of_due,
        ),
    )
}
