"""Program tracking without Qt or a database: indicator status, small-cell suppression and the
cadence rules that say what is due on a day.

The store builds the plain facts (coachdesk.core.tracking_rules.facts), `due_items` judges them
against the rules in resources/rules/, and the Today view shows the DueItems it returns.
"""

from coachdesk.core.tracking_rules.cadence import due_items
from coachdesk.core.tracking_rules.facts import (
    ActionItemFact,
    CaseloadFacts,
    DueItem,
    DueState,
    FlagFact,
    IndicatorFact,
    ObligationFact,
    OpenTarget,
    SchoolFact,
    TargetKind,
    VisitFact,
)
from coachdesk.core.tracking_rules.indicators import (
    Checkpoint,
    CheckpointName,
    Direction,
    Indicator,
    Measurement,
    Origin,
    Status,
    StatusReport,
    Target,
    ValueType,
    Window,
    indicator_status,
)
from coachdesk.core.tracking_rules.rulefile import RulesError
from coachdesk.core.tracking_rules.rules import RULE_IDS, Rules, load_rules, shipped_rules
from coachdesk.core.tracking_rules.suppression import must_suppress, suppress_rows

__all__ = [
    "RULE_IDS",
    "ActionItemFact",
    "CaseloadFacts",
    "Checkpoint",
    "CheckpointName",
    "Direction",
    "DueItem",
    "DueState",
    "FlagFact",
    "Indicator",
    "IndicatorFact",
    "Measurement",
    "ObligationFact",
    "OpenTarget",
    "Origin",
    "Rules",
    "RulesError",
    "SchoolFact",
    "Status",
    "StatusReport",
    "Target",
    "TargetKind",
    "ValueType",
    "VisitFact",
    "Window",
    "due_items",
    "indicator_status",
    "load_rules",
    "must_suppress",
    "shipped_rules",
    "suppress_rows",
]
