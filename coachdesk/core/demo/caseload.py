"""Loads the demo caseload (resources/demo/caseload.toml): districts, schools, contacts, stages."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coachdesk.core.bundled import resources_dir
from coachdesk.core.demo.collect import DemoSink
from coachdesk.core.errors import NotFound
from coachdesk.core.ids import stable_id
from coachdesk.core.programs import program
from coachdesk.core.store.schema import (
    Assignment,
    Base,
    Coach,
    CoachingFlag,
    Contact,
    Organization,
    ProfileFact,
    StageRecord,
)

_RELATIVE = re.compile(r"^Y(-?\d+)-(\d{2})-(\d{2})$")


def demo_date(text: str, school_year_start: int) -> dt.date:
    """A demo date: "Y0-09-20" is 20 September of the year the current school year began.

    Months before July belong to the second calendar year of a school year, so "Y0-03-01" is
    1 March after the "Y0" autumn.
    """
    match = _RELATIVE.match(text)
    if not match:
        return dt.date.fromisoformat(text)
    offset, month, day = (int(g) for g in match.groups())
    year = school_year_start + offset + (1 if month < 7 else 0)
    return dt.date(year, month, day)


def demo_data() -> dict[str, Any]:
    """The demo caseload file, read."""
    with resources_dir().joinpath("demo", "caseload.toml").open("rb") as handle:
        return tomllib.load(handle)


def organization_ids() -> set[str]:
    """The ids of the demo's districts and schools (the same on every day and laptop)."""
    data = demo_data()
    keys = list(data["districts"]) + [s["key"] for s in data["schools"]]
    return {stable_id(f"demo:{Organization.__tablename__}:{key}") for key in keys}


def load(session: Session, *, today: dt.date, sink: DemoSink | None = None) -> int:
    """Add the demo caseload records that are not in the profile yet; returns how many.

    With a sink, every record's id is noted there too (and with `sink.adding` off, nothing is
    added: the ids are only worked out).
    """
    sink = sink or DemoSink(session)
    data = demo_data()
    school_year = program("NY_RCV").school_year(today)
    year_start = int(school_year[:4])
    before = sink.added

    def add(model: type[Base], key: str, **fields: Any) -> str:
        record_id = stable_id(f"demo:{model.__tablename__}:{key}")
        sink.keep(model, record_id, **fields)
        return record_id

    coach_id = _profile_coach(session)
    if coach_id is None:
        # Only a profile made by hand has no coach; the coach is the profile's, not the demo's.
        coach_id = stable_id(f"demo:{Coach.__tablename__}:coach")
        if sink.adding and session.get(Coach, coach_id) is None:
            session.add(Coach(id=coach_id, **data["coach"]))
            sink.added += 1
    elif sink.adding and session.get(ProfileFact, "coach_named") is None:
        # A new profile is named after the computer's login until the coach types their name;
        # the demo's visit summaries read better signed by the demo coach.
        coach = session.get(Coach, coach_id)
        if coach is None:
            raise NotFound("This profile has no coach record; restore a backup.")
        for key, value in data["coach"].items():  # name, employer and contact line
            if getattr(coach, key) != value:
                setattr(coach, key, value)

    districts = {}
    for key, d in data["districts"].items():
        districts[key] = add(
            Organization,
            key,
            kind="district",
            name=d["name"],
            state=d["state"],
            state_id=d["state_id"],
            city=d["city"],
        )
    if sink.adding:
        session.flush()  # schools and contacts point at their districts
    for key, d in data["districts"].items():
        for c in d.get("contacts", []):
            add(
                Contact,
                f"{key}:{c['name']}",
                org_id=districts[key],
                name=c["name"],
                role=c["role"],
                work_email=c.get("work_email"),
                work_phone=c.get("work_phone"),
                active=True,
                active_from=demo_date("Y0-08-01", year_start),
            )

    for s in data["schools"]:
        key = s["key"]
        district = data["districts"][s["district"]]
        school_id = add(
            Organization,
            key,
            kind="school",
            name=s["name"],
            state=district["state"],
            state_id=s["state_id"],
            city=district["city"],
            grade_span=s["grade_span"],
            parent_id=districts[s["district"]],
        )
        if sink.adding:
            session.flush()
        add(
            Assignment,
            f"{key}:{school_year}",
            coach_id=coach_id,
            org_id=school_id,
            program_code=s["program"],
            school_year=school_year,
            role="lead",
            status="active",
            receivership_year=s.get("receivership_year"),
        )
        for c in s.get("contacts", []):
            add(
                Contact,
                f"{key}:{c['name']}",
                org_id=school_id,
                name=c["name"],
                role=c["role"],
                work_email=c.get("work_email"),
                work_phone=c.get("work_phone"),
                active=True,
                active_from=demo_date("Y0-08-01", year_start),
            )
        for st in s.get("stages", []):
            add(
                StageRecord,
                f"{key}:{st['stage']}",
                org_id=school_id,
                program_code=s["program"],
                stage=st["stage"],
                effective=min(demo_date(st["effective"], year_start), today),
                set_by=st.get("set_by"),
                reason=st.get("reason"),
            )
        for f in s.get("flags", []):
            add(
                CoachingFlag,
                f"{key}:{f['reason']}",
                org_id=school_id,
                reason=f["reason"],
                note=f.get("note"),
                start=min(demo_date(f["start"], year_start), today),
                review_by=demo_date(f["review_by"], year_start) if f.get("review_by") else None,
            )
    return sink.added - before


def _profile_coach(session: Session) -> str | None:
    fact = session.execute(select(ProfileFact.value).where(ProfileFact.key == "coach_id")).scalar()
    return fact
