"""The bundles of benchmarks/hub_scale.py: one coach's school year per profile, exported signed.

Each coach profile holds one coach's year as benchmarks/rollup.py lays it out (the coach, a
district, 20 schools, assignments, a year of visits with answers and next steps, obligations,
indicators with targets and measurements, OH stages): the rows go in as ORM objects through
`profile.writing()`, so the change capture writes the real change log, but not through the core
services (their checks make 50 profiles take 25 minutes and more). Each profile then exports its
bundle, signed and unencrypted as the hub takes them, beside its public key file.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from pathlib import Path

from rollup import (
    STAGES,
    STATE,
    YEAR,
    YEAR_START,
    _indicators,
    _visits,
)

from coachdesk.core.forms.answer_privacy import answer_id
from coachdesk.core.ids import stable_id
from coachdesk.core.store.changelog import logged_fields
from coachdesk.core.store.profile import open_profile
from coachdesk.core.store.schema import Assignment, Coach, Organization, StageRecord
from coachdesk.core.store.tracking_tables import Indicator, Measurement, Obligation, Target
from coachdesk.core.store.visit_tables import ActionItem, Visit, VisitAnswer
from coachdesk.sync import trust
from coachdesk.sync.export import export_bundle
from coachdesk.sync.keys import device_keys

ORDER = (Coach, Organization, Assignment, StageRecord, Visit, VisitAnswer, ActionItem)
ORDER += (Obligation, Indicator, Target, Measurement)
PROGRAMS = ("NY_RCV", "MA_SSOS", "OH_NNPS")
BUNDLE = "coach-{n:02d}.coachdesk"
KEY = "coach-{n:02d}.key"  # not *.coachdesk: the import of the folder leaves it alone


class OrmRows:
    """benchmarks/rollup.py's Rows, making ORM objects with ids of this coach's own."""

    def __init__(self, coach: int) -> None:
        self.objects: list[object] = []
        self.prefix = f"scale:{coach}"
        self.changes = 0

    def add(self, model: type, **values: object) -> str:
        if model is VisitAnswer:  # an answer's id is its visit's and field's (the importer checks)
            record_id = answer_id(str(values["visit_id"]), str(values["field"]))
        else:
            record_id = stable_id(f"{self.prefix}:{len(self.objects)}")
        self.objects.append(model(id=record_id, **values))
        self.changes += len(logged_fields(model))
        return record_id


def coach_year(rows: OrmRows, rng: random.Random, c: int, schools: int) -> None:
    """Coach number `c`'s year: the loop body of benchmarks/rollup.py `world`."""
    program = PROGRAMS[c % 3]
    coach = rows.add(Coach, name=f"Coach {c:02d}", employer=f"Region {c % 16 + 1}")
    district = rows.add(Organization, kind="district", name=f"District {c}", state=STATE[program])
    if program != "NY_RCV":
        rows.add(
            Assignment,
            coach_id=coach,
            org_id=district,
            program_code=program,
            school_year=YEAR,
            role="lead",
            status="active",
        )
    for s in range(schools):
        school = rows.add(
            Organization,
            kind="school",
            name=f"School {c}-{s}",
            state=STATE[program],
            parent_id=district,
        )
        assignment = rows.add(
            Assignment,
            coach_id=coach,
            org_id=school,
            program_code=program,
            school_year=YEAR,
            role="lead",
            status="active",
        )
        if program == "OH_NNPS":
            rows.add(
                StageRecord,
                org_id=school,
                program_code=program,
                stage=rng.choice(STAGES),
                effective=YEAR_START + dt.timedelta(days=50),
            )
        _visits(rows, rng, program, school, assignment)  # type: ignore[arg-type]
        _indicators(rows, rng, program, school)  # type: ignore[arg-type]
        for quarter, due in (("Q1", "2026-10-30"), ("Q2", "2027-01-31")):
            rows.add(
                Obligation,
                org_id=school,
                kind=quarter,
                period=YEAR,
                due=dt.date.fromisoformat(due),
                status=rng.choice(("open", "submitted", "submitted")),
            )


def schools_for(changes_per_coach: int) -> int:
    """Schools per coach for about `changes_per_coach` logged changes (about 1,130 a school)."""
    return max(1, round(changes_per_coach / 1130))


def build_bundles(folder: Path, work: Path, coaches: int, changes_per_coach: int) -> list[int]:
    """Makes the missing coach-NN bundles (and key files) in `folder`; returns the changes each
    new bundle holds."""
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for n in range(coaches):
        bundle, key = folder / BUNDLE.format(n=n), folder / KEY.format(n=n)
        if bundle.exists() and key.exists():
            continue
        started = time.perf_counter()
        profile = open_profile(work / f"coach-{n:02d}")
        try:
            keys = device_keys(profile)
            rows = OrmRows(n)
            coach_year(rows, random.Random(n), n, schools_for(changes_per_coach))
            with profile.writing() as write:
                # Model by model, parents first (the models declare no relationships for the
                # flush to order by).
                for model in ORDER:
                    write.session.add_all(o for o in rows.objects if type(o) is model)
                    write.session.flush()
            key.write_bytes(trust.public_key_file(profile, keys))
            result = export_bundle(profile, bundle, encrypt=False)
        finally:
            profile.close()
        made.append(result.change_count)
        print(
            f"  coach {n:02d}: {result.change_count:,} changes, {result.size / 2**20:.1f} MiB, "
            f"built in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
    return made


def coach_keys(folder: Path, coaches: int) -> list[tuple[str, trust.OfferedKey]]:
    """(name, offered key) of each coach, from the key files beside the bundles."""
    return [
        (f"Coach {n:02d}", trust.read_public_key_file((folder / KEY.format(n=n)).read_bytes()))
        for n in range(coaches)
    ]
