"""An MA district's benchmark results side by side: each benchmark at each school, one column per
student group, for the early, mid-year and end-of-year checkpoints. What the DILT's mid-year
conversation looks at.

A cell holds the latest result of its checkpoint (value, n, date), the checkpoint's goal and a
status: *met* (reaches the checkpoint's goal), *on track* (no goal of its own: reaches the
straight line from baseline to the annual target), *at risk* (lags either), *no data* (nothing
measured for it). A result from fewer students than the program's `min_n`
(resources/programs/ma_ssos.toml, 10 by default) is *suppressed*: the cell keeps neither its
value nor its n, so nothing downstream (the window, the CSV, `--json`) can show them.

A measurement recorded for a checkpoint counts for it. One recorded without a checkpoint counts
for the checkpoint whose window holds its date; between windows, for the last one that had
opened (a late result); before every window, as early (a fall result).

Read in three queries whatever the size of the district (its schools, their benchmarks with
this year's targets, their measurements), then grouped in Python.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import tempfile
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

from coachdesk.core.dates_text import month_day
from coachdesk.core.errors import NotFound, RefusedInput
from coachdesk.core.programs import program
from coachdesk.core.store.profile import Profile
from coachdesk.core.tracking_records.facts_query import school_year_on, to_indicator, to_target
from coachdesk.core.tracking_records.indicator_setup import STUDENT_GROUPS
from coachdesk.core.tracking_rules.indicators import (
    CheckpointName,
    Direction,
    Target,
    expected_value,
    reaches,
)

PROGRAM = "MA_SSOS"
CHECKPOINTS = ("early", "mid", "eoy")
CHECKPOINT_WORDS = {"early": "Early", "mid": "Mid-year", "eoy": "End of year"}
STATUSES = ("met", "on track", "at risk", "no data", "suppressed", "not set")
_SCHOOL_YEAR = re.compile(r"^\d{4}-\d{2}$")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

_ORGS = """
SELECT id, name, kind, parent_id FROM organization
 WHERE deleted_at IS NULL AND (id = :district OR parent_id = :district)
"""
_BENCHMARKS = """
SELECT i.id, i.org_id, i.code, i.name, i.origin, i.subgroup, i.value_type, i.direction,
       i.target_set, t.baseline_value, t.baseline_year, t.annual_target, t.checkpoints
  FROM indicator i
  JOIN organization o ON o.id = i.org_id AND o.deleted_at IS NULL
  LEFT JOIN indicator_target t
         ON t.indicator_id = i.id AND t.school_year = :year AND t.deleted_at IS NULL
 WHERE i.deleted_at IS NULL AND i.origin = 'benchmark' AND i.program_code = :program
   AND (o.id = :district OR o.parent_id = :district)
 ORDER BY i.sort_order, i.code
"""
_MEASUREMENTS = """
SELECT m.indicator_id, m.as_of, m.value, m.checkpoint, m.n FROM measurement m
  JOIN indicator i ON i.id = m.indicator_id AND i.deleted_at IS NULL
  JOIN organization o ON o.id = i.org_id AND o.deleted_at IS NULL
 WHERE m.deleted_at IS NULL AND i.origin = 'benchmark' AND i.program_code = :program
   AND (o.id = :district OR o.parent_id = :district)
   AND m.as_of >= :start AND m.as_of <= :end
 ORDER BY m.as_of, m.created_hlc
"""


@dataclass(frozen=True)
class Cell:
    """One student group's result at one checkpoint; a suppressed cell has no value and no n."""

    status: str  # one of STATUSES
    reason: str  # the status in a sentence, for the tooltip
    value: float | str | None = None
    n: int | None = None
    goal: float | str | None = None
    as_of: dt.date | None = None

    def text(self, value_type: str = "percent") -> str:
        """As the table shows it: "62% (n=41)", "suppressed", "no data", "—"."""
        if self.status == "suppressed":
            return "suppressed"
        if self.value is None:
            return "—" if self.status == "not set" else "no data"
        shown = show(self.value, value_type)
        return f"{shown} (n={self.n})" if self.n is not None else shown


@dataclass(frozen=True)
class BenchmarkRow:
    """One benchmark at one school (or the district itself): a cell per group and checkpoint."""

    code: str
    name: str
    org_id: str
    org_name: str
    value_type: str
    cells: dict[str, dict[str, Cell]] = field(default_factory=dict)  # group -> checkpoint -> Cell

    def cell(self, group: str, checkpoint: str) -> Cell:
        found = self.cells.get(group, {}).get(checkpoint)
        if found is None:
            return Cell("not set", f"{self.org_name} has no {group_words(group)} result for it.")
        return found


@dataclass(frozen=True)
class DistrictBenchmarks:
    district_id: str
    district_name: str
    school_year: str
    min_n: int
    groups: tuple[str, ...]  # the columns, All first
    rows: tuple[BenchmarkRow, ...]  # by benchmark, then the district itself, then its schools

    def as_dict(self) -> dict:
        """Plain data for `--json` (dates as ISO text)."""
        data = asdict(self)
        for row in data["rows"]:
            for by_checkpoint in row["cells"].values():
                for cell in by_checkpoint.values():
                    if cell["as_of"] is not None:
                        cell["as_of"] = cell["as_of"].isoformat()
        return data


def show(value: float | str, value_type: str) -> str:
    """A value as the table writes it: 62%, 41.5, yes."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value}%" if value_type == "percent" else str(value)


def group_words(group: str) -> str:
    return "all-students" if group == "All" else group


def district_benchmarks(
    profile: Profile,
    district_id: str,
    school_year: str | None = None,
    *,
    today: dt.date | None = None,
) -> DistrictBenchmarks:
    """The district's benchmark table for `school_year` (default: the current one).

    NotFound when there is no such district. Results dated after `today` are not counted.
    """
    today = today or dt.date.today()
    year = school_year or school_year_on(today)
    if not _SCHOOL_YEAR.match(year) or (int(year[:4]) + 1) % 100 != int(year[5:]):
        raise RefusedInput(f"Write the school year as 2026-27, not {year!r}.")
    start_year = int(year[:4])
    min_n = program(PROGRAM).min_n
    conn = profile.quick_connection()
    params = {"district": district_id, "program": PROGRAM, "year": year}
    orgs = {r["id"]: r for r in conn.execute(_ORGS, params)}
    district = orgs.get(district_id)
    if district is None or district["kind"] != "district":
        raise NotFound("There is no such district; `coachdesk districts` lists them.")
    end = min(today, dt.date(start_year + 1, 6, 30))
    measured: dict[str, list[tuple]] = defaultdict(list)
    for r in conn.execute(
        _MEASUREMENTS, {**params, "start": f"{start_year}-07-01", "end": end.isoformat()}
    ):
        measured[r[0]].append((dt.date.fromisoformat(r[1][:10]), json.loads(r[2]), r[3], r[4]))

    rows: dict[tuple[str, str], BenchmarkRow] = {}
    names: dict[str, str] = {}
    groups: set[str] = set()
    for r in conn.execute(_BENCHMARKS, params):
        indicator = to_indicator(r)
        target = to_target(year, r) if r["checkpoints"] is not None else None
        org_name = orgs[r["org_id"]]["name"]
        names.setdefault(indicator.code, indicator.name)
        row = rows.setdefault(
            (indicator.code, r["org_id"]),
            BenchmarkRow(
                indicator.code, names[indicator.code], r["org_id"], org_name, r["value_type"]
            ),
        )
        groups.add(indicator.subgroup)
        row.cells[indicator.subgroup] = {
            name: _cell(indicator, target, measured.get(indicator.id, ()), name, min_n, today)
            for name in CHECKPOINTS
        }
    order = {code: i for i, code in enumerate(dict.fromkeys(code for code, _ in rows))}
    listed = {g: i for i, g in enumerate(STUDENT_GROUPS)}
    return DistrictBenchmarks(
        district_id=district_id,
        district_name=district["name"],
        school_year=year,
        min_n=min_n,
        groups=tuple(sorted(groups, key=lambda g: (listed.get(g, len(listed)), g.casefold()))),
        rows=tuple(
            sorted(
                rows.values(),
                key=lambda row: (
                    order[row.code],
                    row.org_id != district_id,
                    row.org_name.casefold(),
                ),
            )
        ),
    )


def _cell(indicator, target: Target | None, measurements, name: str, min_n: int, today) -> Cell:
    checkpoint = target.checkpoint(CheckpointName(name)) if target else None
    goal = checkpoint.goal if checkpoint else None
    words = CHECKPOINT_WORDS[name].lower()
    mine = [m for m in measurements if _checkpoint_of(m, target) == name]
    if not mine:
        if checkpoint is not None and today < checkpoint.window.start:
            why = f"The {words} window opens on {month_day(checkpoint.window.start)}."
        else:
            why = f"No {words} result is recorded."
        return Cell("no data", why, goal=goal)
    as_of, value, _tagged, n = mine[-1]
    if n is not None and n < min_n:
        return Cell(
            "suppressed",
            f"Fewer than {min_n} students: the result is not shown (small-cell suppression).",
            goal=goal,
            as_of=as_of,
        )
    shown = show(value, indicator.value_type.value)
    try:
        if indicator.direction is Direction.IN_SET:
            ok = reaches(indicator, value, None)
            status = "met" if ok else "at risk"
            allowed = ", ".join(sorted(indicator.target_set))
            why = f"{shown} is {'' if ok else 'not '}one of {allowed}."
        elif isinstance(goal, int | float) and not isinstance(goal, bool):
            ok = reaches(indicator, value, goal)
            status = "met" if ok else "at risk"
            goal_text = show(float(goal), indicator.value_type.value)
            why = f"{shown} {'reaches' if ok else 'lags'} the {words} goal of {goal_text}."
        else:
            line = expected_value(target, as_of) if target else None
            if line is None:
                return Cell(
                    "no data",
                    f"{shown}, with no goal or target to judge it by.",
                    value,
                    n,
                    goal,
                    as_of,
                )
            ok = reaches(indicator, value, line)
            status = "on track" if ok else "at risk"
            line_text = show(float(round(line)), indicator.value_type.value)
            why = (
                f"{shown} {'reaches' if ok else 'lags'} the straight line to the annual target"
                f" ({line_text} on that day; no {words} goal is set)."
            )
    except ValueError as exc:
        return Cell("no data", str(exc), value, n, goal, as_of)
    return Cell(status, why, value, n, goal, as_of)


def _checkpoint_of(measurement: tuple, target: Target | None) -> str:
    as_of, _value, tagged, _n = measurement
    if tagged in CHECKPOINTS:
        return tagged
    windows = sorted(target.checkpoints, key=lambda c: c.window.start) if target else []
    for checkpoint in windows:
        if checkpoint.window.contains(as_of):
            return checkpoint.name.value
    opened = [c for c in windows if c.window.start <= as_of]
    return opened[-1].name.value if opened else "early"


# --- CSV -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Exported:
    path: Path
    rows: int
    suppressed: int

    @property
    def sentence(self) -> str:
        hidden = f", {self.suppressed} suppressed" if self.suppressed else ""
        return f"Wrote {self.rows} row{'s' if self.rows != 1 else ''}{hidden} to {self.path}."


def csv_text(table: DistrictBenchmarks) -> tuple[str, int, int]:
    """The table as CSV text (one line per benchmark, school and checkpoint), lines, suppressed."""
    buffer = io.StringIO(newline="")
    out = csv.writer(buffer, lineterminator="\r\n")
    header = ["School year", "Benchmark code", "Benchmark", "School", "Checkpoint"]
    for group in table.groups:
        header += [f"{group} value", f"{group} n", f"{group} goal", f"{group} status"]
    out.writerow(header)
    lines = hidden = 0
    for row in table.rows:
        for name in CHECKPOINTS:
            line = [table.school_year, row.code, row.name, row.org_name, CHECKPOINT_WORDS[name]]
            for group in table.groups:
                cell = row.cell(group, name)
                if cell.status == "suppressed":
                    hidden += 1
                    value = f"suppressed (n<{table.min_n})"
                else:
                    value = "" if cell.value is None else show(cell.value, "")
                goal = "" if cell.goal is None else show(cell.goal, "")
                n = "" if cell.n is None else str(cell.n)
                line += [value, n, goal, cell.status]
            out.writerow([_guarded(str(v)) for v in line])
            lines += 1
    return buffer.getvalue(), lines, hidden


def export_district_benchmarks(
    profile: Profile,
    district_id: str,
    school_year: str | None,
    path: str | os.PathLike[str],
    *,
    today: dt.date | None = None,
) -> Exported:
    """Write the district's benchmark table to a CSV file (UTF-8 with BOM, for Excel).

    Written beside the target under a temporary name and renamed when complete, so a full disk
    or an unwritable folder leaves no half file.
    """
    table = district_benchmarks(profile, district_id, school_year, today=today)
    text, lines, hidden = csv_text(table)
    target = Path(path).expanduser()
    _write_atomically(target, ("\ufeff" + text).encode("utf-8"))
    return Exported(target, lines, hidden)


def _guarded(text: str) -> str:
    # A spreadsheet runs a cell that starts like a formula: a leading apostrophe shows it as text.
    # Plain negative numbers stay numbers.
    if text.startswith(_FORMULA_START) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _write_atomically(target: Path, data: bytes) -> None:
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise RefusedInput(
            f"{target} is a folder; name the CSV file to write, e.g. benchmarks.csv."
        )
    if not folder.is_dir():
        raise RefusedInput(f"The folder {folder} does not exist; choose a folder that does.")
    temp_name = None
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=folder)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, target)
        temp_name = None
    except OSError as exc:
        raise RefusedInput(
            f"The benchmark results could not be written to {target}: {exc.strerror or exc}."
            " Nothing was written; choose another folder or free some space."
        ) from None
    finally:
        if temp_name is not None:
            try:
                os.unlink(temp_name)
            except OSError:
                pass
