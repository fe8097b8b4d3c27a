"""Properties every list of due items keeps, whatever the caseload and the day."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from coachdesk.core.tracking_rules import (
    RULE_IDS,
    ActionItemFact,
    CaseloadFacts,
    CheckpointName,
    Direction,
    DueState,
    FlagFact,
    Indicator,
    IndicatorFact,
    Measurement,
    ObligationFact,
    Origin,
    SchoolFact,
    Target,
    ValueType,
    VisitFact,
    due_items,
)

PROGRAMS = ("NY_RCV", "MA_SSOS", "OH_NNPS")
STAGES = (None, "Exploring", "Installing", "Initial Implementation", "Full Implementation")
VISIT_TYPES = ("onsite", "virtual", "check_in", "pm_meeting", "learning_walk", "ta_session")
STATUSES = ("planned", "draft", "final", "shared", "cancelled")
KINDS = ("Q1", "Q2", "Q3", "Q4", "PublicHearing", "CoachingLog", "OYAP", "roster")
FIRST = dt.date(2023, 7, 1)
LAST = dt.date(2029, 6, 30)
AFTER = {DueState.OVERDUE, DueState.MISSED}


@st.composite
def caseload(draw, on: dt.date) -> CaseloadFacts:
    """A caseload in which nothing happens after `on`: every visit and flag change is earlier."""
    count = draw(st.integers(1, 3))
    schools = []
    for index in range(count):
        flag_start = draw(st.dates(on - dt.timedelta(days=400), on))
        flags = draw(
            st.lists(
                st.builds(
                    FlagFact,
                    st.sampled_from(("new_leader", "reboot")),
                    st.just(flag_start),
                    st.one_of(st.none(), st.dates(flag_start, on)),
                ),
                max_size=2,
            )
        )
        schools.append(
            SchoolFact(
                id=f"s{index}",
                name=f"School {index}",
                program=draw(st.sampled_from(PROGRAMS)),
                kind=draw(st.sampled_from(("school", "district"))),
                stage=draw(st.sampled_from(STAGES)),
                flags=tuple(flags),
                since=draw(st.one_of(st.none(), st.dates(FIRST, LAST))),
                first_student_day=draw(st.one_of(st.none(), st.dates(FIRST, LAST))),
            )
        )
    ids = st.sampled_from([s.id for s in schools])
    past = st.dates(on - dt.timedelta(days=500), on)
    visits = draw(
        st.lists(
            st.builds(
                VisitFact,
                id=st.uuids().map(str),
                school_id=ids,
                type=st.sampled_from(VISIT_TYPES),
                start=past.map(lambda d: dt.datetime.combine(d, dt.time(9))),
                status=st.sampled_from(STATUSES),
                minutes=st.sampled_from((None, 45, 90, 120)),
            ),
            max_size=25,
        )
    )
    near = st.dates(on - dt.timedelta(days=200), on + dt.timedelta(days=200))
    actions = draw(
        st.lists(
            st.builds(
                ActionItemFact,
                id=st.uuids().map(str),
                school_id=ids,
                text=st.just("Follow up"),
                due=st.one_of(st.none(), near),
                status=st.sampled_from(("open", "done", "dropped")),
            ),
            max_size=5,
        )
    )
    years = st.sampled_from(["2024-25", "2025-26", "2026-27", "2027-28"])
    obligations = draw(
        st.lists(
            st.builds(
                ObligationFact,
                id=st.uuids().map(str),
                school_id=ids,
                kind=st.sampled_from(KINDS),
                period=years,
                due=st.one_of(st.none(), near),
                status=st.sampled_from(("open", "done")),
            ),
            max_size=4,
        )
    )
    # Each indicator its own id, as in a profile (the id is the record's key).
    indicator = st.uuids().map(
        lambda u: Indicator(
            str(u), "ELA", "ELA", Origin.ASSIGNED, ValueType.PERCENT, Direction.HIGHER
        )
    )
    indicators = draw(
        st.lists(
            st.builds(
                IndicatorFact,
                school_id=ids,
                indicator=indicator,
                target=years.map(lambda y: Target(y, 50.0, 30.0)),
                measurements=st.lists(
                    st.builds(
                        Measurement,
                        as_of=past,
                        value=st.floats(0, 100),
                        checkpoint=st.sampled_from(list(CheckpointName)),
                    ),
                    max_size=3,
                ).map(tuple),
            ),
            max_size=3,
        )
    )
    return CaseloadFacts(
        tuple(schools), tuple(visits), tuple(actions), tuple(obligations), tuple(indicators)
    )


@st.composite
def caseload_and_days(draw):
    on = draw(st.dates(FIRST, LAST))
    later = on + dt.timedelta(days=draw(st.integers(1, 400)))
    return draw(caseload(on)), on, later


@settings(max_examples=100, deadline=None)
@given(caseload_and_days())
def test_a_state_always_agrees_with_the_due_date_and_keys_are_unique(case):
    facts, on, _ = case
    found = due_items(facts, on)
    keys = [item.key for item in found]
    assert len(keys) == len(set(keys))
    assert {item.rule_id for item in found} <= set(RULE_IDS)
    for item in found:
        if item.state in AFTER:
            assert item.due < on, item
        elif item.state is DueState.DUE_TODAY:
            assert item.due == on, item
        elif item.state in (DueState.DUE_THIS_WEEK, DueState.UPCOMING):
            assert item.due > on, item
        elif item.state is DueState.AT_RISK:
            assert item.due >= on, item
    assert found == sorted(found, key=lambda i: i.sort_key())


@settings(max_examples=100, deadline=None)
@given(caseload_and_days())
def test_moving_on_never_turns_an_overdue_item_back_while_nothing_changes(case):
    facts, on, later = case
    overdue = {i.key for i in due_items(facts, on) if i.state in AFTER}
    for item in due_items(facts, later):
        if item.key in overdue:
            assert item.state in AFTER, item


@settings(max_examples=50, deadline=None)
@given(caseload_and_days(), st.integers(0, 23))
def test_an_aware_moment_gives_the_same_items_as_the_schools_local_day(case, hour):
    facts, on, _ = case
    moment = dt.datetime.combine(on, dt.time(hour, 30)).replace(
        tzinfo=dt.timezone(dt.timedelta(hours=-5))
    )
    # Every generated school is in New York: the aware moment is judged on New York's day.
    local = moment.astimezone(ZoneInfo("America/New_York"))
    assert due_items(facts, moment) == due_items(facts, local.date())
