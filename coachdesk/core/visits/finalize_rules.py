"""What a program asks of a note before it is final, beyond the form's required answers.

MA SSoS: a progress-monitoring meeting looks at the district's benchmark results and ends in
clear action steps (DESE), so its note is final only with at least one result and one next step.

Every program: a learning walk is non-evaluative and knows its classrooms only by their visit
number (DOMAIN.md section 6), so a walk's note that names a teacher ("Ms. Lopez", "Mr. Chen's
class") or a room ("Room 214") in its evidence or debrief is not final until that is removed.
Unlike a possible student identifier, which the coach may accept as a false alarm (an adult's
initials), this refuses: the patterns are a teacher's title and a room number, and a walk that
names either has become a rating of one teacher.
"""

from __future__ import annotations

from coachdesk.core.forms.privacy import scan_walk
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

WALK_WORDS = {"teacher_name": "names a teacher", "room_number": "gives a room number"}


def program_checks(detail: VisitDetail) -> tuple[str, ...]:
    """Sentences, one per program requirement the note does not meet yet (empty when met)."""
    if detail.definition is None:
        return ()
    if detail.definition.form_id != PM_FORM:
        return walk_checks(detail)
    rows = detail.response.get("benchmarks") or []
    results = [r for r in rows if isinstance(r, dict) and str(r.get("benchmark") or "").strip()]
    steps = [i for i in detail.action_items if (i.text or "").strip()]
    found = []
    if not results:
        found.append(NO_RESULTS)
    if not steps:
        found.append(NO_STEPS)
    return tuple(found)


def walk_checks(detail: VisitDetail) -> tuple[str, ...]:
    """A sentence per teacher's name or room number in a learning walk's answers."""
    if detail.definition is None:
        return ()
    return tuple(
        f"{finding.label}: {WALK_WORDS.get(finding.kind, 'names a classroom')} "
        f"(“{finding.excerpt}”); a learning walk knows classrooms only by their visit number, "
        "so write “the teacher” or “classroom 2” instead"
        for finding in scan_walk(detail.definition, detail.response)
    )
