"""Declarative, versioned state forms (DESIGN.md section 4): load, check, evaluate, aggregate.

The public API other parts call lives here; the modules behind it are internal.
"""

from __future__ import annotations

from coachdesk.core.forms.evaluation import evaluate, scope_for
from coachdesk.core.forms.expressions import ExpressionError, parse
from coachdesk.core.forms.loader import LoadResult, parse_form
from coachdesk.core.forms.model import (
    OBSERVATION_SCALE,
    VISIT_TYPES,
    Choice,
    ChoiceList,
    FieldDef,
    FormDefinition,
    FormProblem,
)
from coachdesk.core.forms.packs import (
    AvailableForm,
    PackReport,
    check_forms,
    check_pack,
    find_definition,
    forms_for_visit,
    list_forms,
    publish_pack,
)
from coachdesk.core.forms.privacy import PrivacyFinding, scan_response, scan_text
from coachdesk.core.forms.responses import (
    AnswerProblem,
    FieldInstance,
    answer_at,
    apply_calculations,
    check_response,
    constraint_problem,
    instances,
    is_relevant,
    missing_required,
    relevance,
    row_path,
    shown_answers,
    split_path,
)
from coachdesk.core.forms.stored import StoredFormError, load_stored_definition
from coachdesk.core.forms.walks import LookForTally, Rollup, WalkSummary, rollups, summarize_walk

__all__ = [
    "OBSERVATION_SCALE",
    "VISIT_TYPES",
    "AnswerProblem",
    "AvailableForm",
    "Choice",
    "ChoiceList",
    "ExpressionError",
    "FieldDef",
    "FieldInstance",
    "FormDefinition",
    "FormProblem",
    "LoadResult",
    "LookForTally",
    "PackReport",
    "PrivacyFinding",
    "Rollup",
    "StoredFormError",
    "WalkSummary",
    "answer_at",
    "apply_calculations",
    "check_forms",
    "check_pack",
    "check_response",
    "constraint_problem",
    "evaluate",
    "find_definition",
    "forms_for_visit",
    "instances",
    "is_relevant",
    "list_forms",
    "load_stored_definition",
    "missing_required",
    "parse",
    "parse_form",
    "publish_pack",
    "relevance",
    "rollups",
    "row_path",
    "scan_response",
    "scan_text",
    "scope_for",
    "shown_answers",
    "split_path",
    "summarize_walk",
]
