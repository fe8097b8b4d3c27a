"""Upcoming dates on a visit summary (DOMAIN.md section 5.9): the next visit and what the school
(or its district) owes in the 60 days after the visit, in words a principal reads.

The obligations come from the cadence rules (core/tracking_records/due.py), judged on the
visit's day with the look-ahead widened to the 60 days: quarterly reports, the public hearing,
DII checkpoint data, progress-monitoring windows, coaching logs, the action plan, the UPDATE
survey, the team roster, imported events and obligations the coach recorded. The coach's own
chores (notes to finish, next steps, the visit cadence itself) are not the school's dates and do
not print: next steps have their own table, and the next visit is the visit on the calendar.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from sqlalchemy import select

from coachdesk.core.store.profile import Profile
from coachdesk.core.store.visit_tables import Visit
from coachdesk.core.tracking_records.due import due_on
from coachdesk.core.tracking_rules import DueItem, Rules, shipped_rules
from coachdesk.core.visits import VISIT_TYPE_LABELS
from coachdesk.reports.summary_data import UpcomingDate

WINDOW_DAYS = 60
# Rule id -> how the item reads on the summary; "{what}" is the rule's own words.
SCHOOL_DATES = {
    "ny.quarterly_report": "{what} due to NYSED",
    "ny.public_hearing": "{what}",
    "ny.dii_checkpoint": "{what} due",
    "ma.pm_window": "{what}",
    "ma.phase1_checklist": "{what} due",
    "ma.learning_walk": "{what}",
    "oh.coaching_log": "{what} due to OSU",
    "oh.action_plan": "{what} due",
    "oh.update_survey": "{what} due",
    "oh.team_roster": "{what} due",
    "all.obligation": "{what} due",
    "all.event": "{what}",
}


def upcoming_dates(
    profile: Profile,
    *,
    visit_id: str,
    school_id: str,
    district_id: str | None,
    starts_at: dt.datetime,
    rules: Rules | None = None,
) -> tuple[UpcomingDate, ...]:
    """The next visit and the obligations due in the 60 days after the visit, by date."""
    day = starts_at.date()
    found: list[UpcomingDate] = []
    with profile.reading() as session:
        later = session.execute(
            select(Visit.starts_at, Visit.visit_type)
            .where(
                Visit.org_id == school_id,
                Visit.deleted_at.is_(None),
                Visit.id != visit_id,
                Visit.starts_at > starts_at,
            )
            .order_by(Visit.starts_at)
            .limit(1)
        ).first()
    if later is not None:
        label = VISIT_TYPE_LABELS.get(later.visit_type, later.visit_type)
        found.append(UpcomingDate(f"Next visit ({label.lower()})", later.starts_at.date()))
    orgs = {school_id} | ({district_id} if district_id else set())
    seen: set[tuple[str, dt.date]] = set()
    for item in obligations_after(profile, day, rules):
        if item.school_id not in orgs:
            continue
        entry = UpcomingDate(plain_words(item), item.due)
        if (entry.what, entry.when) not in seen:  # a district item listed for two programs
            seen.add((entry.what, entry.when))
            found.append(entry)
    return tuple(sorted(found, key=lambda u: u.when))


def obligations_after(profile: Profile, day: dt.date, rules: Rules | None = None) -> list[DueItem]:
    """The school dates (SCHOOL_DATES) due after `day` and within WINDOW_DAYS of it."""
    rules = rules or shipped_rules()
    display = replace(rules.common.display, upcoming_days=WINDOW_DAYS)
    widened = replace(rules, common=replace(rules.common, display=display))
    last = day + dt.timedelta(days=WINDOW_DAYS)
    return [
        item
        for item in due_on(profile, day, widened)
        if item.rule_id in SCHOOL_DATES and day < item.due <= last
    ]


def plain_words(item: DueItem) -> str:
    """A due item as the summary lists it: "Q2 (Mid-Year) report 2026-27 due to NYSED"."""
    what = item.what.replace("PM ", "progress-monitoring ")
    if item.rule_id == "ma.pm_window":
        what = what.replace(" is open", " closes")  # listed on the day the window closes
    template = SCHOOL_DATES.get(item.rule_id, "{what}")
    head, bracket, tail = what.rpartition(" (")
    if bracket and what.endswith(")") and ")" not in tail[:-1] and template.startswith("{what} "):
        # "Early DII measurements (2 missing)" -> "Early DII measurements due (2 missing)"
        return template.format(what=head) + f" ({tail}"
    return template.format(what=what)
