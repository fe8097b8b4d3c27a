"""Visits, their notes on state forms, next steps that carry over, and finding them again."""

from coachdesk.core.visits.details import attendees_from_contacts, update_visit
from coachdesk.core.visits.life import VisitPermissions, what_can_change
from coachdesk.core.visits.listing import (
    FOLLOW_UP_OUTCOMES,
    follow_up,
    last_visit_dates,
    list_visits,
    open_action_items,
    prepare_timeline,
)
from coachdesk.core.visits.search import SearchHit, group_by_school, search
from coachdesk.core.visits.service import (
    amend_visit,
    answer_history,
    check_before_finalizing,
    finalize_visit,
    get_visit,
    save_answer,
    start_visit,
)
from coachdesk.core.visits.sharing import share_visit, unshare_visit
from coachdesk.core.visits.views import (
    STATUS_LABELS,
    VISIT_TYPE_LABELS,
    ActionItemView,
    Attendee,
    FinalizeCheck,
    VisitDetail,
    VisitRow,
)

__all__ = [
    "FOLLOW_UP_OUTCOMES",
    "STATUS_LABELS",
    "VISIT_TYPE_LABELS",
    "ActionItemView",
    "Attendee",
    "FinalizeCheck",
    "SearchHit",
    "VisitDetail",
    "VisitPermissions",
    "VisitRow",
    "amend_visit",
    "answer_history",
    "attendees_from_contacts",
    "check_before_finalizing",
    "finalize_visit",
    "follow_up",
    "get_visit",
    "group_by_school",
    "last_visit_dates",
    "list_visits",
    "open_action_items",
    "prepare_timeline",
    "save_answer",
    "search",
    "share_visit",
    "start_visit",
    "unshare_visit",
    "update_visit",
    "what_can_change",
]
