"""The three state programs, defined as data in resources/programs/*.toml."""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from functools import cache

from coachdesk.core import school_year
from coachdesk.core.bundled import resources_dir

DEFAULT_MIN_N = 10  # DOMAIN.md section 6: the default small-cell threshold (an assumption)


@dataclass(frozen=True)
class Phase:
    number: int
    name: str
    short_name: str
    start: tuple[int, int]  # (month, day)
    end: tuple[int, int]

    def contains(self, day: dt.date) -> bool:
        md = (day.month, day.day)
        if self.start <= self.end:
            return self.start <= md <= self.end
        return md >= self.start or md <= self.end  # wraps across the new year


@dataclass(frozen=True)
class Program:
    code: str
    state: str
    name: str
    long_name: str
    operator: str
    unit: str
    tz: str
    school_year_start: tuple[int, int]
    state_id_label: str
    status_kind: str  # receivership_year | phase | stage
    contact_roles: tuple[str, ...]
    stages: tuple[str, ...] = ()
    phases: tuple[Phase, ...] = ()
    flag_reasons: dict[str, str] = field(default_factory=dict)
    terminology: dict[str, str] = field(default_factory=dict)
    receivership_year_max: int = 0
    # Small-cell suppression: a result for fewer students than this is shown as suppressed.
    min_n: int = DEFAULT_MIN_N

    def school_year(self, day: dt.date) -> str:
        """The school year a date falls in, as "2026-27"."""
        return school_year.label_of(day, self.school_year_start)

    def phases_on(self, day: dt.date) -> tuple[Phase, ...]:
        """The MA partnership phases in force on a date (phases 2 and 3 overlap)."""
        return tuple(p for p in self.phases if p.contains(day))


def _month_day(text: str) -> tuple[int, int]:
    month, day = text.split("-")
    return int(month), int(day)


def _load(data: dict) -> Program:
    return Program(
        code=data["code"],
        state=data["state"],
        name=data["name"],
        long_name=data["long_name"],
        operator=data["operator"],
        unit=data["unit"],
        tz=data["tz"],
        school_year_start=_month_day(data["school_year_start"]),
        state_id_label=data["state_id_label"],
        status_kind=data["status_kind"],
        contact_roles=tuple(data["contact_roles"]),
        stages=tuple(data.get("stages", ())),
        phases=tuple(
            Phase(
                p["number"],
                p["name"],
                p.get("short_name", p["name"]),
                _month_day(p["from"]),
                _month_day(p["to"]),
            )
            for p in data.get("phases", ())
        ),
        flag_reasons=dict(data.get("flag_reasons", {})),
        terminology=dict(data.get("terminology", {})),
        receivership_year_max=int(data.get("receivership_year_max", 0)),
        min_n=_min_n(data),
    )


def _min_n(data: dict) -> int:
    value = int(data.get("min_n", DEFAULT_MIN_N))
    if value < 1:
        raise ValueError(f"Program {data['code']}: min_n must be at least 1, not {value}.")
    return value


@cache
def programs() -> dict[str, Program]:
    """Every program, by code, in a stable order (NY, MA, OH)."""
    found = {}
    for path in sorted(resources_dir().joinpath("programs").glob("*.toml")):
        with path.open("rb") as handle:
            program = _load(tomllib.load(handle))
        found[program.code] = program
    order = {"NY_RCV": 0, "MA_SSOS": 1, "OH_NNPS": 2}
    return dict(sorted(found.items(), key=lambda kv: (order.get(kv[0], 9), kv[0])))


def program(code: str) -> Program:
    """One program by code; KeyError names the unknown code."""
    return programs()[code]
