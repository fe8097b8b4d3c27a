from __future__ import annotations

import pytest

from coachdesk.core.tracking_rules import must_suppress, shipped_rules, suppress_rows
from coachdesk.core.tracking_rules.suppression import Hidden


def test_values_from_fewer_than_ten_students_are_suppressed():
    assert must_suppress(9)
    assert not must_suppress(10)
    assert must_suppress(0)
    assert not must_suppress(None)  # a yes/no or a stage is not a count of students


def test_the_threshold_is_configurable_and_shipped_as_ten():
    assert shipped_rules().common.small_cell_threshold == 10
    assert must_suppress(14, threshold=15)
    assert not must_suppress(15, threshold=15)
    with pytest.raises(ValueError):
        must_suppress(5, threshold=0)
    with pytest.raises(ValueError):
        must_suppress(-1)


def test_one_small_subgroup_with_the_total_shown_hides_the_next_smallest_too():
    rows = [("All", 212), ("ED", 160), ("ML", 7), ("SWD", 31), ("Black", 44)]
    decisions = suppress_rows(rows[1:])
    hidden = {d.label: d.why for d in decisions if d.suppressed}
    assert hidden == {"ML": Hidden.SMALL_CELL, "SWD": Hidden.COMPLEMENTARY}
    assert [d.label for d in decisions] == ["ED", "ML", "SWD", "Black"]


def test_no_complementary_suppression_without_the_total_or_with_two_small_rows():
    rows = [("ED", 160), ("ML", 7), ("SWD", 31)]
    alone = suppress_rows(rows, total_shown=False)
    assert [d.label for d in alone if d.suppressed] == ["ML"]
    two_small = suppress_rows([("ED", 160), ("ML", 7), ("SWD", 4), ("Black", 40)])
    assert [d.label for d in two_small if d.suppressed] == ["ML", "SWD"]
    assert all(d.why is Hidden.SMALL_CELL for d in two_small if d.suppressed)


def test_complementary_suppression_picks_the_first_of_equal_smallest_rows_and_skips_no_n():
    decisions = suppress_rows([("A", 3), ("B", None), ("C", 20), ("D", 20), ("E", 50)])
    assert [(d.label, d.why) for d in decisions if d.suppressed] == [
        ("A", Hidden.SMALL_CELL),
        ("C", Hidden.COMPLEMENTARY),
    ]
