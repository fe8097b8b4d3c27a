"""What a program asks of a note before it is final, beyond the form's required answers.

MA SSoS: a progress-monitoring meeting looks at the district's benchmark results and ends in
clear action steps (DESE), so its note is final only with at least one result and one next step.
"""

from __future__ import annotations

from coachdesk.core.visits.views import VisitDetail

PM_FORM = "ma_pm_meeting"
NO_RESULTS = (
    "Benchmark results: a progress-monitoring meeting records at least one benchmark result"
    " before its note is final"
)
NO_STEPS = (
    "Next steps: a progress-monitoring meeting ends in clear action steps; add at least one"
    " before finalizing"
)


def program_checks(detail: VisitDetail) -> tuple[str, ...]:
    """Sentences, one per program requirement the note does not meet yet (empty when met)."""
    if detail.definition is None or detail.definition.form_id != PM_FORM:
        return ()
    rows = detail.response.get("benchmarks") or []
    results = [r for r in rows if isinstance(r, dict) and str(r.get("benchmark") or "").strip()]
    steps = [i for i in detail.action_items if (i.text or "").strip()]
    found = []
    if not results:
        found.append(NO_RESULTS)
    if not steps:
        found.append(NO_STEPS)
    return tuple(found)
