"""A line-based three-way merge, to propose one text from two concurrent edits of a note.

Where the two edits touch different lines both are kept; where they touch the same lines
differently, both versions are shown between markers for the coach to choose.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass


@dataclass(frozen=True)
class MergeProposal:
    text: str
    clean: bool  # True when no lines needed the coach's choice


def _hunks(base: list[str], other: list[str]) -> list[tuple[int, int, list[str]]]:
    matcher = difflib.SequenceMatcher(None, base, other, autojunk=False)
    return [
        (i1, i2, other[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"
    ]


def _side(
    base: list[str], hunks: list[tuple[int, int, list[str]]], start: int, end: int
) -> list[str]:
    out: list[str] = []
    position = start
    for i1, i2, lines in hunks:
        out += base[position:i1] + lines
        position = i2
    return out + base[position:end]


def merge3(
    base: str, ours: str, theirs: str, *, ours_label: str, theirs_label: str
) -> MergeProposal:
    """Merge two edits of `base`; `ours` is the version listed first between markers."""
    b, a, c = (t.splitlines(keepends=True) for t in (base, ours, theirs))
    tagged = sorted(
        [(h, 0) for h in _hunks(b, a)] + [(h, 1) for h in _hunks(b, c)],
        key=lambda item: (item[0][0], item[0][1]),
    )
    out: list[str] = []
    clean = True
    position = 0
    index = 0
    while index < len(tagged):
        group = [tagged[index]]
        start, end = tagged[index][0][0], tagged[index][0][1]
        index += 1
        # Hunks that overlap or touch belong to one region (as diff3 treats them).
        while index < len(tagged) and tagged[index][0][0] <= end:
            group.append(tagged[index])
            end = max(end, tagged[index][0][1])
            index += 1
        out += b[position:start]
        sides = [[h for h, s in group if s == 0], [h for h, s in group if s == 1]]
        mine, yours = (_side(b, hunks, start, end) for hunks in sides)
        if not sides[1] or mine == yours:
            out += mine
        elif not sides[0]:
            out += yours
        else:
            clean = False
            out += [
                f"<<<<<<< {ours_label}\n",
                *_ended(mine),
                "=======\n",
                *_ended(yours),
                f">>>>>>> {theirs_label}\n",
            ]
        position = end
    out += b[position:]
    return MergeProposal("".join(out), clean)


def _ended(lines: list[str]) -> list[str]:
    if lines and not lines[-1].endswith("\n"):
        return [*lines[:-1], lines[-1] + "\n"]
    return lines
