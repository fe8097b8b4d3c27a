"""Small-cell suppression: which values must not be shown because too few students are behind them.

A value computed from fewer than `threshold` students (default 10, an assumption kept in
resources/rules/common.toml) is shown as suppressed. When subgroup rows are shown together with
their total, hiding a single row is not enough: the total minus the visible rows gives it back.
So if exactly one row of the set is suppressed, the next-smallest row is suppressed too
(complementary suppression).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

DEFAULT_THRESHOLD = 10


class Hidden(StrEnum):
    SMALL_CELL = "small cell"
    COMPLEMENTARY = "complementary"


@dataclass(frozen=True)
class RowDecision:
    """Whether one row of a set may be shown, and why not."""

    label: str
    n: int | None
    suppressed: bool
    why: Hidden | None = None


def must_suppress(n: int | None, threshold: int = DEFAULT_THRESHOLD) -> bool:
    """Whether a value computed from `n` students must be shown as suppressed.

    `n` None means the value is not a count of students (a yes/no or a stage), so it is shown.
    """
    if threshold < 1:
        raise ValueError("The small-cell threshold must be at least 1.")
    if n is None:
        return False
    if n < 0:
        raise ValueError(f"A number of students cannot be negative ({n}).")
    return n < threshold


def suppress_rows(
    rows: Sequence[tuple[str, int | None]],
    *,
    threshold: int = DEFAULT_THRESHOLD,
    total_shown: bool = True,
) -> list[RowDecision]:
    """Decide, for a set of subgroup rows `(label, n)`, which must be suppressed.

    Rows below the threshold are suppressed. If exactly one is, and the set's total is shown,
    the row with the next-smallest n (the first such row on a tie; rows without an n never) is
    suppressed as well. The result keeps the order of `rows`.
    """
    decisions = [
        RowDecision(label, n, True, Hidden.SMALL_CELL)
        if must_suppress(n, threshold)
        else RowDecision(label, n, False)
        for label, n in rows
    ]
    hidden = [d for d in decisions if d.suppressed]
    if total_shown and len(hidden) == 1:
        candidates = [
            (d.n, i) for i, d in enumerate(decisions) if not d.suppressed and d.n is not None
        ]
        if candidates:
            _, index = min(candidates)
            row = decisions[index]
            decisions[index] = RowDecision(row.label, row.n, True, Hidden.COMPLEMENTARY)
    return decisions
