"""The one rule for heads and conflicts (core/store/heads.py): plain cases, and the result does not
depend on the order changes arrive in, how they are batched, or on one arriving twice."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from coachdesk.core.store.heads import FieldState, HeadFact, field_state, same_as_shown


def _fact(n: int, value: str, *supersedes: str) -> HeadFact:
    return HeadFact(f"{n:015d}-00000-dev", f'"{value}"', supersedes)


def test_a_new_change_replaces_the_versions_it_saw():
    facts = {"a": _fact(1, "Harbor View"), "b": _fact(2, "Harbor View ES", "a")}
    assert field_state(["a"], ["b"], facts) == FieldState(("b",), "b", False)


def test_concurrent_versions_that_differ_conflict_and_the_newest_shows():
    facts = {
        "base": _fact(1, "Harbor View"),
        "dana": _fact(3, "Harbor View ES", "base"),
        "lee": _fact(2, "Harbor View Elementary School", "base"),
    }
    state = field_state(["dana"], ["lee"], facts)
    assert state == FieldState(("lee", "dana"), "dana", True)
    # The same clock reading: the greater change id shows, on every laptop.
    tied = {**facts, "lee": HeadFact(facts["dana"].hlc, facts["lee"].value, ("base",))}
    assert field_state(["dana"], ["lee"], tied).shown_change_id == "lee"


def test_concurrent_versions_that_agree_are_no_conflict():
    facts = {"base": _fact(1, "x"), "d": _fact(2, "y", "base"), "l": _fact(3, "y", "base")}
    state = field_state(["d"], ["l"], facts)
    assert state.heads == ("d", "l") and not state.in_conflict
    assert same_as_shown(state, facts) == ("d", "l")


def test_a_change_that_arrives_after_the_one_replacing_it_stays_replaced():
    facts = {"old": _fact(1, "x"), "new": _fact(2, "y", "old")}
    first = field_state([], ["new"], facts)
    late = field_state(first.heads, ["old"], facts, superseded={"old"})
    assert late == FieldState(("new",), "new", False)


def test_every_version_superseded_shows_nothing():
    facts = {"a": _fact(1, "x")}
    assert field_state(["a"], [], facts, superseded={"a"}) == FieldState((), None, False)


@st.composite
def _histories(draw):
    """A field's changes: each supersedes some earlier ones; values from a small set, so some
    concurrent versions agree."""
    count = draw(st.integers(1, 9))
    facts = {}
    for n in range(count):
        earlier = [f"c{i}" for i in range(n)]
        seen = draw(st.lists(st.sampled_from(earlier), unique=True)) if earlier else []
        hlc = draw(st.integers(1, 5))  # ties on the clock happen
        facts[f"c{n}"] = HeadFact(f"{hlc:015d}", draw(st.sampled_from(['"a"', '"b"'])), tuple(seen))
    order = draw(st.permutations(sorted(facts)))
    cuts = sorted(draw(st.lists(st.integers(0, count), max_size=4)))
    batches = [list(order[i:j]) for i, j in zip([0, *cuts], [*cuts, count], strict=True)]
    again = draw(st.sampled_from(batches))  # one batch arrives twice (a bundle taken again)
    return facts, batches + [again]


@settings(max_examples=300, deadline=None)
@given(_histories())
def test_the_state_does_not_depend_on_arrival_order_batches_or_repeats(history):
    facts, batches = history
    heads: tuple[str, ...] = ()
    refs: set[str] = set()  # what the log's changes supersede so far
    state = FieldState((), None, False)
    for batch in batches:
        state = field_state(heads, batch, facts, superseded=refs)
        heads = state.heads
        for change_id in batch:
            refs.update(facts[change_id].supersedes)
    at_once = field_state([], sorted(facts), facts)
    assert state == at_once
    named = {i for f in facts.values() for i in f.supersedes}
    assert set(state.heads) == set(facts) - named
    if state.heads:
        assert state.in_conflict == (len({facts[i].value for i in state.heads}) > 1)
        assert state.shown_change_id == max(state.heads, key=lambda i: (facts[i].hlc, i))
