"""Which answers are internal, decided from the form definitions, never from a synced value.

Each answer row keeps a `privacy` column copied from its field when it is written (the demo and
`save_answer` fill it), and that column syncs like any field: a trusted peer can set it to
anything. So nothing that decides what leaves this laptop reads it. `internal_answers` works
from the visit's form version, found by its content hash among the published forms this
coachdesk ships, else among the stored forms of the profile whose text has that hash
(coachdesk/core/forms/stored.py), and fails closed: an answer it cannot place is internal.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coachdesk.core.forms.answer_values import top_level_fields
from coachdesk.core.forms.model import FieldDef, FormDefinition
from coachdesk.core.forms.packs import check_forms
from coachdesk.core.forms.stored import StoredFormError, load_stored_definition
from coachdesk.core.ids import stable_id
from coachdesk.core.store.visit_tables import StoredForm, Visit, VisitAnswer

FormRef = tuple[str, int, str]  # form_id, version, sha256: how a visit names its form


@dataclass(frozen=True)
class FormPrivacy:
    """A form version's answer-holding top-level fields, and those of them that are internal."""

    fields: frozenset[str]
    internal: frozenset[str]


def answer_id(visit_id: str, field: str) -> str:
    """The id of a visit's answer to a top-level field (the same on every laptop: the one
    coachdesk/core/visits/service.py gives it)."""
    return stable_id(f"answer:{visit_id}:{field}")


def is_internal(field: FieldDef) -> bool:
    """An answer to this top-level field stays home: the field, or a field in its repeat, is
    marked internal."""
    if field.is_internal:
        return True
    return any(is_internal(child) for child in field.children)


def form_privacy(definition: FormDefinition) -> FormPrivacy:
    """Which of a form version's top-level fields hold internal answers."""
    fields = top_level_fields(definition)
    return FormPrivacy(
        frozenset(fields), frozenset(name for name, f in fields.items() if is_internal(f))
    )


def published_forms() -> dict[str, FormDefinition]:
    """The published, usable form versions this coachdesk ships, by content hash."""
    found: dict[str, FormDefinition] = {}
    for report in check_forms():
        for form in report.forms:
            if form.published and form.available and form.definition is not None:
                found[form.definition.sha256] = form.definition
    return found


@lru_cache(maxsize=64)
def stored_definition(text: str, sha256: str) -> FormDefinition | None:
    """A stored form's definition if its text has this hash (parsed once per text)."""
    try:
        return load_stored_definition(text, expected_sha256=sha256)
    except StoredFormError:
        return None


class FormsOfVisits:
    """The form definitions a profile's visits name, found by (form id, version, hash).

    Built from one query of the stored forms; published forms this coachdesk ships are used
    first, so a stored copy is parsed only for a version this coachdesk does not ship.
    """

    def __init__(self, session: Session) -> None:
        self.published = published_forms()
        # A field name marked internal in any published form is internal in every visit: a
        # peer that points a visit at another form cannot make its internal note travel.
        self.internal_anywhere = frozenset(
            name for d in self.published.values() for name in form_privacy(d).internal
        )
        self._texts: dict[FormRef, str] = {}
        for form_id, version, sha256, text in session.execute(
            select(StoredForm.form_id, StoredForm.version, StoredForm.sha256, StoredForm.text)
        ):
            ref = (form_id, version, sha256)
            if sha256 not in self.published and ref not in self._texts:
                self._texts[ref] = text
        self._privacy: dict[FormRef, FormPrivacy | None] = {}

    def definition(self, ref: FormRef) -> FormDefinition | None:
        """The definition a visit names, or None if this profile cannot find it."""
        form_id, version, sha256 = ref
        shipped = self.published.get(sha256)
        if shipped is not None:
            ok = shipped.form_id == form_id and shipped.version == version
            return shipped if ok else None
        text = self._texts.get(ref)
        return stored_definition(text, sha256) if text is not None else None

    def privacy(self, ref: FormRef) -> FormPrivacy | None:
        """The privacy of a form version's fields, or None if the form cannot be found."""
        if ref not in self._privacy:
            definition = self.definition(ref)
            self._privacy[ref] = form_privacy(definition) if definition is not None else None
        return self._privacy[ref]


def shared_answers(session: Session, *, visit_ids: Iterable[str] | None = None) -> frozenset[str]:
    """The ids of the answers that may go to other people: every answer not internal.

    An answer is shared only when its visit names a form version this profile can find (by
    its hash), the answer's field is one of that form's top-level fields, its id is the one
    that visit and field give, and neither that form nor any published form marks the field
    internal. Anything else is treated as internal (fail closed). The synced `privacy` column
    is not read. `visit_ids` limits the answers looked at (a visit packet).
    """
    forms = FormsOfVisits(session)
    wanted = None if visit_ids is None else set(visit_ids)
    visits_query = select(Visit.id, Visit.form_id, Visit.form_version, Visit.form_sha256)
    answers_query = select(VisitAnswer.id, VisitAnswer.visit_id, VisitAnswer.field)
    if wanted is not None:
        visits_query = visits_query.where(Visit.id.in_(wanted))
        answers_query = answers_query.where(VisitAnswer.visit_id.in_(wanted))
    refs: dict[str, FormRef | None] = {}
    for visit_id, form_id, version, sha256 in session.execute(visits_query):
        if form_id is None or version is None or sha256 is None:
            refs[visit_id] = None
        else:
            refs[visit_id] = (form_id, version, sha256)
    shared = set()
    for record_id, visit_id, field in session.execute(answers_query):
        ref = refs.get(visit_id)
        privacy = forms.privacy(ref) if ref is not None else None
        if (
            privacy is not None
            and field in privacy.fields
            and field not in privacy.internal
            and field not in forms.internal_anywhere
            and record_id == answer_id(visit_id, field)
        ):
            shared.add(record_id)
    return frozenset(shared)


def internal_answers(session: Session, *, visit_ids: Iterable[str] | None = None) -> frozenset[str]:
    """The ids of the answers that never leave the coach's own laptops.

    Decided from the visit's form definition (by its hash), never from the synced `privacy`
    column; an answer whose visit, form or field cannot be found is internal (fail closed).
    See `shared_answers` for the rule. `visit_ids` limits the answers looked at.
    """
    wanted = None if visit_ids is None else set(visit_ids)
    query = select(VisitAnswer.id)
    if wanted is not None:
        query = query.where(VisitAnswer.visit_id.in_(wanted))
    every = frozenset(session.scalars(query))
    return every - shared_answers(session, visit_ids=wanted)


def without_internal(session: Session, rows: Sequence[Sequence[Any]]) -> list[Sequence[Any]]:
    """Change-log rows (carried columns: change id, record type, record id, ...) without any
    change to an answer that is not shared: for a bundle to someone else.

    A change to an answer that has no row here is left out too (fail closed).
    """
    shared = shared_answers(session)
    return [row for row in rows if row[1] != VisitAnswer.record_type or row[2] in shared]
