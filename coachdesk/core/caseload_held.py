"""What the profile holds, as the caseload file compares rows with it and exports it.

One read of every live district and school and of the programs each is in this school year,
taken by the preview, again inside the import's transaction, and by the export.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from sqlalchemy import select
from sqlalchemy.orm import Session

from coachdesk.core.organizations import STATES, OrganizationFields
from coachdesk.core.store.schema import Assignment, Organization

_STATE_NAMES = {"newyork": "NY", "massachusetts": "MA", "ohio": "OH"}
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—.]+")


def state_code(text: str) -> str | None:
    """NY, MA or OH from "ny", "New York", "Ohio"...; None for anything else."""
    folded = "".join(ch for ch in text.casefold() if ch.isalnum())
    if folded.upper() in STATES:
        return folded.upper()
    return _STATE_NAMES.get(folded)


def id_key(text: str | None) -> str:
    """A state id as it is compared: without the spaces, dashes and dots people type."""
    return _SEPARATORS.sub("", text or "")


@dataclass(frozen=True)
class Existing:
    """A live district or school, as the import compares it."""

    id: str
    kind: str
    name: str
    state: str
    state_id: str | None
    parent_id: str | None
    grade_span: str | None
    address: str | None
    city: str | None
    tz: str
    archived_on: object = None

    def fields(self) -> OrganizationFields:
        return OrganizationFields(
            self.kind,
            self.name,
            self.state,
            state_id=self.state_id,
            parent_id=self.parent_id,
            grade_span=self.grade_span,
            address=self.address,
            tz=self.tz,
        )


@dataclass(frozen=True)
class Snapshot:
    organizations: tuple[Existing, ...]
    programs: Mapping[str, tuple[str, ...]]  # org id -> program codes active this school year

    @cached_property
    def by_id(self) -> dict[str, Existing]:
        return {o.id: o for o in self.organizations}

    @cached_property
    def by_state_id(self) -> dict[tuple[str, str], Existing]:
        return {(o.state, o.state_id): o for o in self.organizations if o.state_id}

    @cached_property
    def _by_name(self) -> dict[tuple[str, str, str], list[Existing]]:
        found: dict[tuple[str, str, str], list[Existing]] = {}
        for o in self.organizations:
            found.setdefault((o.kind, o.state, o.name.casefold()), []).append(o)
        return found

    @cached_property
    def only_state(self) -> str | None:
        """The state of every organization held, when they are all in one."""
        states = {o.state for o in self.organizations}
        return states.pop() if len(states) == 1 else None

    def named(self, kind: str, state: str, name: str) -> list[Existing]:
        return self._by_name.get((kind, state, name.casefold()), [])

    def districts_named(self, state: str, name: str) -> list[Existing]:
        return self.named("district", state, name)

    def with_state_id(self, state: str | None, key: str) -> list[Existing]:
        if state is not None:
            found = self.by_state_id.get((state, key))
            return [found] if found else []
        return [o for (_s, sid), o in self.by_state_id.items() if sid == key]


def read_snapshot(session: Session, school_year: str) -> Snapshot:
    """Every live district and school, and the programs each is in this school year."""
    o = Organization
    rows = session.execute(
        select(
            o.id,
            o.kind,
            o.name,
            o.state,
            o.state_id,
            o.parent_id,
            o.grade_span,
            o.address,
            o.city,
            o.tz,
            o.archived_on,
        ).where(o.deleted_at.is_(None))
    ).all()
    held: dict[str, list[str]] = {}
    for org_id, code in session.execute(
        select(Assignment.org_id, Assignment.program_code)
        .where(
            Assignment.deleted_at.is_(None),
            Assignment.status == "active",
            Assignment.school_year == school_year,
        )
        .order_by(Assignment.program_code)
    ):
        if code not in held.setdefault(org_id, []):
            held[org_id].append(code)
    return Snapshot(tuple(Existing(*row) for row in rows), {k: tuple(v) for k, v in held.items()})
