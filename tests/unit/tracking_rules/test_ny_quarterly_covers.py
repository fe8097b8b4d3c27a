"""The days each NY quarterly report covers come from the rules file (DOMAIN.md: Q1 Jul-Oct,
Q2 Nov-Jan, Q3 Feb-Apr, Q4 May-Jun), and no day of a school year falls in two quarters."""

import datetime as dt

from coachdesk.core.tracking_rules import shipped_rules


def test_each_quarter_covers_the_months_oisr_names_and_the_year_has_no_gap_or_overlap():
    reports = shipped_rules().ny.quarterly_reports
    windows = [reports.covered(q, 2026) for q in ("Q1", "Q2", "Q3", "Q4")]
    assert windows == [
        (dt.date(2026, 7, 1), dt.date(2026, 10, 31)),
        (dt.date(2026, 11, 1), dt.date(2027, 1, 31)),
        (dt.date(2027, 2, 1), dt.date(2027, 4, 30)),
        (dt.date(2027, 5, 1), dt.date(2027, 6, 30)),
    ]
    for (_, last), (first, _) in zip(windows, windows[1:], strict=False):
        assert first == last + dt.timedelta(days=1)
