"""The one rule for a field's current versions: which changes are heads, which one shows, and
whether they conflict (DESIGN.md section 5).

    state = field_state(before_heads, incoming, facts)

A field's heads are its changes that no other change supersedes. One head, or several that hold
the same value: the field has that value. Heads with different values: the field is in
conflict, and shows the head with the greatest (hlc, change id) until someone resolves it.

Most fields keep no FieldHead row: a field whose one version in the log is its one head (a
record's first values, nearly every field) is written only to the log, and a field without a row
has its logged change (there is at most one) as its head. A field gets a row once it has more
than one version, or its one version is not its head (`needs_row`); a row once written is kept.

Pure: it reads only its arguments, so capture (coachdesk/core/store/changelog.py), the merge of
a bundle and the Conflicts view (coachdesk/sync/conflicts.py) decide alike, and applying the same
changes in any order, in any batches, or twice gives the same state.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class HeadFact:
    """What the rule needs of one change: its clock reading, its value as the log holds it (JSON
    text) and the change ids it supersedes."""

    hlc: str
    value: str
    supersedes: tuple[str, ...] = ()


@dataclass(frozen=True)
class FieldState:
    """The heads of one field, oldest first by (hlc, change id); the head it shows (None when
    every version is superseded, which only a malformed bundle does); whether they conflict."""

    heads: tuple[str, ...]
    shown_change_id: str | None
    in_conflict: bool


def field_state(
    before_heads: Iterable[str],
    incoming: Iterable[str],
    facts: Mapping[str, HeadFact],
    *,
    superseded: Collection[str] = (),
) -> FieldState:
    """The field's state once the `incoming` changes (ids) join the log.

    `before_heads` are the field's heads before them; `facts` holds a HeadFact for every incoming
    change and every earlier head (extra entries are ignored); `superseded` names ids that a
    change already in the log supersedes (one that arrived before the change it replaces), or
    that a change of another field names. A head is a change of `before_heads` or `incoming`
    that no incoming change and nothing in `superseded` names.
    """
    arriving = list(incoming)
    gone = set(superseded)
    for change_id in arriving:
        gone.update(facts[change_id].supersedes)
    heads = sorted({*before_heads, *arriving} - gone, key=lambda i: (facts[i].hlc, i))
    if not heads:
        return FieldState((), None, False)
    # Concurrent versions that agree (two laptops ticking the same box) are heads, but nothing
    # for anyone to resolve.
    conflict = len({facts[i].value for i in heads}) > 1
    return FieldState(tuple(heads), heads[-1], conflict)


def same_as_shown(state: FieldState, facts: Mapping[str, HeadFact]) -> tuple[str, ...]:
    """The heads holding the value the field shows: what an edit made on the shown value saw."""
    if state.shown_change_id is None:
        return ()
    shown = facts[state.shown_change_id].value
    return tuple(i for i in state.heads if facts[i].value == shown)


def needs_row(state: FieldState, versions: Collection[str]) -> bool:
    """Whether a field in `state` must keep a FieldHead row, `versions` being every change of
    the field in the log (its one version being its one head: no row)."""
    return not (len(state.heads) == 1 and len(versions) == 1 and state.heads[0] in versions)
