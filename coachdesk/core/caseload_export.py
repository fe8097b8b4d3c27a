"""The caseload to a CSV file that imports back: every district and school not archived,
with its district, grades, address, time zone and programs this school year.

UTF-8 with a BOM, so that Excel opens names in any script as they are; written beside the
target under a temporary name and renamed when complete, so a full disk or an unwritable
folder leaves no half file. A cell that starts like a formula gets a leading apostrophe, which
the import (coachdesk.core.caseload_csv) takes off again.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from coachdesk.core.caseload_held import Existing, Snapshot, read_snapshot
from coachdesk.core.errors import RefusedInput
from coachdesk.core.store.profile import Profile

EXPORT_HEADER = (
    "Kind",
    "Name",
    "State",
    "State ID",
    "District",
    "Grades",
    "Address",
    "City",
    "Time Zone",
    "Programs",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ExportResult:
    path: Path
    districts: int
    schools: int

    @property
    def sentence(self) -> str:
        return (
            f"Wrote {_counted(self.districts, 'district', 'districts') or 'no districts'} and "
            f"{_counted(self.schools, 'school', 'schools') or 'no schools'} to {self.path}."
        )


def export(
    profile: Profile, path: str | os.PathLike[str], *, today: dt.date | None = None
) -> ExportResult:
    """Write the caseload to a CSV file (UTF-8 with BOM, for Excel) that imports back to it.

    The file is written beside its target under a temporary name and renamed when complete,
    so a full disk or an unwritable folder leaves no half file.
    """
    target = Path(path)
    from coachdesk.core.caseload import current_school_year

    year = current_school_year(today)
    with profile.reading() as session:
        snapshot = read_snapshot(session, year)
    orgs = [o for o in snapshot.organizations if o.archived_on is None]
    kept = {o.id for o in orgs}
    # A school's district goes with it, even when the district itself is archived.
    for o in list(orgs):
        parent = snapshot.by_id.get(o.parent_id or "")
        if parent is not None and parent.id not in kept:
            orgs.append(parent)
            kept.add(parent.id)
    districts = sorted(
        (o for o in orgs if o.kind == "district"), key=lambda o: (o.state, o.name.casefold())
    )
    schools = sorted(
        (o for o in orgs if o.kind != "district"),
        key=lambda o: (o.state, _district_label(snapshot, o).casefold(), o.name.casefold()),
    )
    buffer = io.StringIO(newline="")
    out = csv.writer(buffer, lineterminator="\r\n")
    out.writerow(EXPORT_HEADER)
    for org in districts + schools:
        out.writerow(
            [
                _cell(value)
                for value in (
                    org.kind,
                    org.name,
                    org.state,
                    org.state_id or "",
                    _district_label(snapshot, org),
                    org.grade_span or "",
                    org.address or "",
                    org.city or "",
                    org.tz or "",
                    "; ".join(snapshot.programs.get(org.id, ())),
                )
            ]
        )
    _write_atomically(target, ("\ufeff" + buffer.getvalue()).encode("utf-8"))
    return ExportResult(target, len(districts), len(schools))


def _district_label(snapshot: Snapshot, org: Existing) -> str:
    """The district as the file names it: its name, or its state id when the name is shared."""
    parent = snapshot.by_id.get(org.parent_id or "")
    if parent is None:
        return ""
    twins = snapshot.districts_named(parent.state, parent.name)
    if len(twins) > 1 and parent.state_id:
        return parent.state_id
    return parent.name


def _cell(text: str) -> str:
    # A spreadsheet runs a cell that starts like a formula; a leading apostrophe shows it as
    # text, and the import takes the apostrophe off again.
    return "'" + text if text.startswith(_FORMULA_START) else text


def _write_atomically(target: Path, data: bytes) -> None:
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise RefusedInput(f"{target} is a folder; name the CSV file to write, e.g. caseload.csv.")
    if not folder.is_dir():
        raise RefusedInput(f"The folder {folder} does not exist; choose a folder that does.")
    handle = None
    temp_name = None
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=folder)
        handle = os.fdopen(fd, "wb")
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
        handle.close()
        handle = None
        os.replace(temp_name, target)
        temp_name = None
    except OSError as exc:
        why = exc.strerror or str(exc)
        raise RefusedInput(
            f"The caseload could not be written to {target}: {why}. Nothing was written; "
            "choose another folder or free some space."
        ) from None
    finally:
        if handle is not None:
            handle.close()
        if temp_name is not None:
            try:
                os.unlink(temp_name)
            except OSError:
                pass


def _counted(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}" if n else ""
