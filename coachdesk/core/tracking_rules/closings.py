"""Which due items the coach closes by recording an obligation, and under which (kind, period).

A calendar rule looks its obligation up by (kind, period) (SchoolDay.obligation); this module is
the other direction, from an item's rule and period to the obligation that closes it, so the
Today view's button, `coachdesk due close KEY` and the rules agree on one record. Missed
windows and months are closed as excused ("waived"): the coach says why, and it stops being
listed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from coachdesk.core.tracking_rules.facts import Closing, DueState

if TYPE_CHECKING:
    from coachdesk.core.tracking_rules.rules import Rules

# Calendar items that pass without the thing happening: once overdue or missed they can be
# marked excused (school closed for a month, a window the district moved).
EXCUSABLE = frozenset({"ny.monthly_visit", "ma.pm_window", "ma.learning_walk"})
EXCUSED = "waived"
LATE = frozenset({DueState.OVERDUE, DueState.MISSED})


def split_key(key: str) -> tuple[str, str, str] | None:
    """(rule id, school id, period) of a due item's key, or None when it is not one."""
    parts = key.strip().split(":", 2)
    if len(parts) != 3 or not all(parts) or "." not in parts[0]:
        return None
    return parts[0], parts[1], parts[2]


def closing_of(
    rules: Rules, rule_id: str, period: str, state: DueState | None = None
) -> Closing | None:
    """The obligation that closes an item of `rule_id` for `period`; None when recording one
    does not close it. `state` None means "whatever its state" (reopening a closed item)."""
    if rule_id == "ny.quarterly_report":
        label, _, quarter = period.rpartition(" ")
        return Closing(quarter, label, "submitted", "Mark as submitted") if label else None
    if rule_id == "ny.public_hearing":
        return Closing("PublicHearing", period, "done", "Mark as held")
    if rule_id == "ma.phase1_checklist":
        return Closing("Phase1Checklist", period, "done", "Mark as complete")
    deadlines = {
        "oh.coaching_log": rules.oh.coaching_logs,
        "oh.update_survey": rules.oh.update_survey,
        "oh.action_plan": rules.oh.action_plan,
        "oh.team_roster": rules.oh.team_roster,
    }
    if rule_id in deadlines:
        deadline = deadlines[rule_id]
        if deadline is None:
            return None
        verb = "Mark the reminder sent" if rule_id == "oh.update_survey" else "Mark as submitted"
        return Closing(deadline.kind, period, "submitted", verb)
    if rule_id in EXCUSABLE and (state is None or state in LATE):
        return Closing(rule_id, period, EXCUSED, "Mark as excused")
    return None
