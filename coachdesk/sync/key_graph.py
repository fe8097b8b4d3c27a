"""The key graph: the trust list and the key changes that link its keys, and each key's standing.

A key change (sync/rotation.py) accepted by this profile is a row in the ledger of imported
bundles; this module reads those rows and the trust list once per session and answers, for
one key, whether what it signs is accepted (`key_standing`): see sync/trust.py for the rules.
It imports no other sync module, so trust.py and the bundle reader can both use it.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from coachdesk.core.dates_text import local_date, medium_date
from coachdesk.core.store.sync_tables import ImportedBundle, TrustedKey


def shown_day(stamp: str) -> str:
    """A stored UTC timestamp's day on this laptop's calendar, as a coach reads it: Nov 23, 2026."""
    try:
        return medium_date(local_date(dt.datetime.fromisoformat(stamp)))
    except ValueError:
        return stamp[:10]


# A rotation is recorded in the ledger of imported bundles (the `keys` bundle that made it):
# kind "keys", summary {"replaced_key": old key id, "by_key": new key id, "signed_up_to": the
# old key's last counter (absent before 0.4.0)}. The trust table (data format 1, frozen) has no
# column for it, and the ledger row is the honest record. A settled dispute is a profile fact:
# old key id -> the new key the coach kept.
ROTATION_KIND = "keys"
SETTLED_FACT = "key_disputes_settled"
_GRAPH = "coachdesk.sync.key_graph"  # session.info: the key graph, read once per session


@dataclass(frozen=True)
class KeyChange:
    """One key change this profile accepted: the old key, the new one, when, and the old key's
    last signing counter named in the key change file (None in files older than 0.4.0)."""

    old_key: str
    new_key: str
    at: str
    signed_up_to: int | None


@dataclass(frozen=True)
class KeyStanding:
    """Whether a trusted key's signatures are accepted (asked for every bundle signer and every
    segment author): `refusal` is None or the reason, as a clause ("its key was revoked on
    Nov 23, 2026"); what the key signs with a counter above `signed_up_to` is refused."""

    key_id: str
    name: str
    device_id: str
    signing_key: bytes
    refusal: str | None
    signed_up_to: int | None
    disputed: bool = False  # refused until the coach settles the dispute (it may change)


class KeyGraph:
    """The trust list and the key changes linking its keys, read in three queries."""

    def __init__(self, session: Any) -> None:
        from coachdesk.core.store.schema import ProfileFact

        self.rows: dict[str, TrustedKey] = {
            r.key_id: r for r in session.execute(select(TrustedKey)).scalars()
        }
        self.changes_from: dict[str, list[KeyChange]] = {}
        self.introduced_by: dict[str, list[KeyChange]] = {}
        ledger = session.execute(
            select(ImportedBundle.summary, ImportedBundle.imported_at)
            .where(ImportedBundle.kind == ROTATION_KIND)
            .order_by(ImportedBundle.imported_at, ImportedBundle.bundle_id)
        )
        for summary, when in ledger:
            change = _key_change(summary, when)
            if change is None:
                continue
            known = self.changes_from.setdefault(change.old_key, [])
            if all(c.new_key != change.new_key for c in known):
                known.append(change)
                self.introduced_by.setdefault(change.new_key, []).append(change)
        fact = session.get(ProfileFact, SETTLED_FACT)
        self.settled: dict[str, str] = _json_object(fact.value) if fact is not None else {}

    def _revoked(self, key_id: str) -> bool:
        row = self.rows.get(key_id)
        return row is not None and row.revoked_at is not None

    def revoked_ancestor(self, key_id: str) -> TrustedKey | None:
        """The nearest revoked key up the chain of key changes that introduced this one."""
        seen = {key_id}
        todo = [c.old_key for c in self.introduced_by.get(key_id, [])]
        while todo:
            old = todo.pop(0)
            if old in seen:
                continue
            seen.add(old)
            if self._revoked(old):
                return self.rows[old]
            todo.extend(c.old_key for c in self.introduced_by.get(old, []))
        return None

    def disputed(self, old_key: str) -> bool:
        """Two or more different key changes from this key, not settled, one claimant still live."""
        claims = self.changes_from.get(old_key, [])
        return (
            old_key not in self.settled
            and len(claims) >= 2
            and any(not self._revoked(c.new_key) for c in claims)
        )

    def in_dispute(self, key_id: str) -> bool:
        """The key's replacement is disputed, or it is a new key claiming a disputed old one."""
        return self.disputed(key_id) or any(
            self.disputed(c.old_key) for c in self.introduced_by.get(key_id, [])
        )

    def replacement(self, old_key: str) -> KeyChange | None:
        """The key change that replaced this key, once there is no dispute about it."""
        claims = self.changes_from.get(old_key, [])
        if old_key in self.settled:
            return next((c for c in claims if c.new_key == self.settled[old_key]), None)
        if not claims or self.disputed(old_key):
            return None
        live = [c for c in claims if not self._revoked(c.new_key)]
        return (live or claims)[0]

    def signed_up_to(self, key_id: str) -> int | None:
        if self.disputed(key_id):  # until settled, the lowest counter any claimant names
            bounds = [c.signed_up_to for c in self.changes_from[key_id]]
            named = [b for b in bounds if b is not None]
            return min(named) if named else None
        change = self.replacement(key_id)
        return change.signed_up_to if change else None

    def successors(self, key_id: str) -> list[KeyChange]:
        """Every key change from this key and from the keys they introduced, transitively."""
        found: list[KeyChange] = []
        todo = [key_id]
        seen = {key_id}
        while todo:
            for change in self.changes_from.get(todo.pop(0), []):
                if change.new_key not in seen:
                    seen.add(change.new_key)
                    found.append(change)
                    todo.append(change.new_key)
        return found


def _json_object(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _key_change(summary: str, when: str) -> KeyChange | None:
    facts = _json_object(summary)
    bound = facts.get("signed_up_to")
    if not isinstance(facts.get("replaced_key"), str) or not isinstance(facts.get("by_key"), str):
        return None
    if not isinstance(bound, int) or isinstance(bound, bool):
        bound = None
    return KeyChange(str(facts["replaced_key"]), str(facts["by_key"]), when, bound)


def key_graph(session: Any) -> KeyGraph:
    """The key graph for this session (read once; writes here call `forget_key_graph`)."""
    graph = session.info.get(_GRAPH)
    if graph is None:
        graph = session.info[_GRAPH] = KeyGraph(session)
    return graph


def forget_key_graph(session: Any) -> None:
    """After a write to the trust list or a key change: read the graph again when next asked."""
    session.info.pop(_GRAPH, None)


def key_standing(session: Any, key_id: str) -> KeyStanding | None:
    """Whether bundles and segments signed by this key are accepted; None for a key this profile
    does not trust. Cheap: the trust list and key changes are read once per session."""
    graph = key_graph(session)
    row = graph.rows.get(key_id)
    if row is None:
        return None
    refusal = None
    disputed = False
    ancestor = graph.revoked_ancestor(key_id)
    if ancestor is not None and (
        row.revoked_at is None or row.revoked_at >= str(ancestor.revoked_at)
    ):
        refusal = (
            f"its key was revoked on {shown_day(str(ancestor.revoked_at))}, because the key that "
            "introduced it by a key change was revoked"
        )
    elif row.revoked_at is not None:
        refusal = f"its key was revoked on {shown_day(row.revoked_at)}"
    elif any(graph.disputed(c.old_key) for c in graph.introduced_by.get(key_id, [])):
        disputed = True
        refusal = (
            "its key is disputed: two different key changes from one key name different new "
            "keys; settle it by fingerprint on the Trust page"
        )
    return KeyStanding(
        key_id=key_id,
        name=row.name,
        device_id=row.device_id,
        signing_key=bytes.fromhex(row.signing_key),
        refusal=refusal,
        signed_up_to=graph.signed_up_to(key_id),
        disputed=disputed,
    )


def key_changes(session: Any) -> list[KeyChange]:
    """Every key change this profile accepted, disputed ones included, oldest first."""
    graph = key_graph(session)
    return sorted((c for claims in graph.changes_from.values() for c in claims), key=lambda c: c.at)


def replacements(session: Any) -> dict[str, tuple[str, str]]:
    """Old key id -> (new key id, when), for every key change that replaced a key (a disputed
    key is left out until the coach settles which new key replaces it)."""
    graph = key_graph(session)
    found = {}
    for old in graph.changes_from:
        change = graph.replacement(old)
        if change is not None:
            found[old] = (change.new_key, change.at)
    return found
