"""What a write changed: the small summary views use to refresh themselves."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from coachdesk.core.record_types import ALL_RECORD_TYPES


@dataclass(frozen=True)
class ChangeSummary:
    """Record types and ids a write touched. Empty when nothing changed."""

    records: Mapping[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, touched: Mapping[str, Iterable[str]]) -> ChangeSummary:
        return cls({kind: frozenset(ids) for kind, ids in touched.items() if ids})

    @classmethod
    def everything(cls) -> ChangeSummary:
        """Every record may have changed (a restored profile): every view reads again."""
        return cls({kind: frozenset({"*"}) for kind in ALL_RECORD_TYPES})

    def __bool__(self) -> bool:
        return any(self.records.values())

    def touches(self, *record_types: str) -> bool:
        """True when any record of these types changed."""
        return any(self.records.get(t) for t in record_types)

    def ids(self, record_type: str) -> frozenset[str]:
        return self.records.get(record_type, frozenset())

    def merged(self, other: ChangeSummary) -> ChangeSummary:
        kinds = set(self.records) | set(other.records)
        return ChangeSummary.of({k: self.ids(k) | other.ids(k) for k in kinds})

    def count(self) -> int:
        return sum(len(ids) for ids in self.records.values())
