"""Where the demo loaders put their records: into the profile, and into the list of demo records.

Every loader hands each record it would add to one `DemoSink`. The sink notes its id whether the
record is added now or was added by an earlier load, so that the same code that loads the demo
can also say, for a profile that loaded it before the demo's records were listed, which records
are the demo's (`adding=False`: nothing is added, only ids are noted).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coachdesk.core.store.schema import Base, Syncable


class DemoSink:
    """Adds the demo's records that are missing (unless `adding` is off) and notes every id."""

    def __init__(self, session: Session, *, adding: bool = True, revive: bool = False) -> None:
        self.session = session
        self.adding = adding
        # After the demo was removed, loading it again brings its records back from their
        # tombstones (their ids are fixed, so they cannot be added a second time).
        self.revive = revive
        self.added = 0
        self.ids: dict[str, set[str]] = defaultdict(set)
        self._present: dict[str, set[str]] = {}
        self._deleted: dict[str, set[str]] = {}
        self._to_revive: dict[type[Syncable], list[str]] = defaultdict(list)

    def present(self, model: type[Syncable]) -> set[str]:
        """The ids of this model's records in the profile (tombstoned ones too)."""
        kind = model.record_type
        if kind not in self._present:
            rows = self.session.execute(select(model.id, model.deleted_at)).all()
            self._present[kind] = {r.id for r in rows}
            self._deleted[kind] = {r.id for r in rows if r.deleted_at is not None}
        return self._present[kind]

    def keep(self, model: type[Base], record_id: str, **fields: Any) -> bool:
        """Note a demo record, adding it if it is missing; True when it was added now."""
        if not issubclass(model, Syncable):
            raise TypeError(f"{model.__name__} is not a synced record")
        kind = model.record_type
        self.ids[kind].add(record_id)
        present = self.present(model)
        if record_id in present:
            if self.adding and self.revive and record_id in self._deleted[kind]:
                self._to_revive[model].append(record_id)
                self._deleted[kind].discard(record_id)
            return False
        if not self.adding:
            return False
        self.session.add(model(id=record_id, **fields))
        present.add(record_id)
        self.added += 1
        return True

    def revive_removed(self) -> int:
        """Bring back the removed demo records met while loading; returns how many."""
        revived = 0
        for model, ids in self._to_revive.items():
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                for record in self.session.execute(select(model).where(model.id.in_(chunk))):
                    record[0].deleted_at = None
                    revived += 1
            self.session.flush()
        self._to_revive.clear()
        self.added += revived
        return revived

    def noted(self, model: type[Syncable]) -> set[str]:
        """The ids of this model noted so far."""
        return self.ids.get(model.record_type, set())

    def noted_and_present(self) -> dict[str, set[str]]:
        """Every noted id that is in the profile, by record type."""
        found: dict[str, set[str]] = {}
        models = {m.record_type: m for m in _models()}
        for kind, ids in self.ids.items():
            here = ids & self.present(models[kind])
            if here:
                found[kind] = here
        return found


def _models() -> list[type[Syncable]]:
    from coachdesk.core.store.changelog import SYNCABLE

    return list(SYNCABLE.values())
