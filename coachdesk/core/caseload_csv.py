"""Reading a caseload CSV file: its encoding, its columns and its rows (no profile needed).

A state directory export names its columns in its own words ("BEDS Code", "Org Code", "IRN",
"School Name", "Grade Span"...). Each header is matched to one of coachdesk's fields
case-insensitively and ignoring spaces, underscores and punctuation, through a list of known
synonyms; what cannot be matched is reported, and the caller may then give a mapping
(header -> field) of its own. Rows are numbered as a spreadsheet numbers them: the header is
row 1, the first school row 2, whatever newlines sit inside quoted names.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

from coachdesk.core.errors import RefusedInput
from coachdesk.core.programs import Program, programs
from coachdesk.core.validation import clean_text

MAX_BYTES = 50_000_000
MAX_ROWS = 100_000
CITY_LIMIT = 100  # the organization table's column
_NEWLINES = re.compile(r"\s*[\r\n]+\s*")
CELL_LIMIT = 1_000_000  # the csv module's default (131,072) would refuse a long pasted name

# The fields a row may fill, in the order the mapping step offers them.
FIELDS: tuple[str, ...] = (
    "name",
    "state_id",
    "district",
    "address",
    "grades",
    "state",
    "kind",
    "city",
    "tz",
    "program",
)
FIELD_LABELS: Mapping[str, str] = {
    "name": "name",
    "state_id": "state id",
    "district": "district",
    "address": "address",
    "grades": "grades",
    "state": "state",
    "kind": "kind",
    "city": "city",
    "tz": "time zone",
    "program": "program",
}
IGNORE = "ignore"  # a mapping may send a column nowhere

# Header spellings, already folded (lower case, letters and digits only). The district field
# may come from two columns (a state id and a name); the rest take one column each.
SYNONYMS: Mapping[str, tuple[str, ...]] = {
    "name": (
        "name",
        "schoolname",
        "school",
        "buildingname",
        "building",
        "orgname",
        "organizationname",
        "organisationname",
        "legalname",
        "institutionname",
        "entityname",
        "popularname",
    ),
    "state_id": (
        "stateid",
        "bedscode",
        "beds",
        "schoolbedscode",
        "orgcode",
        "organizationcode",
        "organisationcode",
        "schoolorgcode",
        "schoolcode",
        "irn",
        "buildingirn",
        "schoolirn",
        "orgirn",
        "stateschoolid",
        "stateorgid",
        "code",
    ),
    "district": (
        "district",
        "districtname",
        "districtstateid",
        "districtbedscode",
        "districtbeds",
        "districtcode",
        "districtorgcode",
        "districtirn",
        "districtid",
        "leaname",
        "lea",
        "parent",
        "parentdistrict",
        "parentname",
        "parentorganization",
        "parentorganizationname",
        "parentorgname",
        "parentirn",
        "parentorgirn",
        "parentorgcode",
    ),
    "address": (
        "address",
        "streetaddress",
        "street",
        "address1",
        "addressline1",
        "mailingaddress",
        "physicaladdress",
        "physicaladdressline1",
        "location",
    ),
    "grades": (
        "grades",
        "grade",
        "gradespan",
        "gradesserved",
        "gradelevels",
        "graderange",
        "gradeorganization",
        "gradeorganizationdesc",
        "gradesoffered",
    ),
    "state": ("state", "stateabbreviation", "statecode", "st"),
    "kind": (
        "kind",
        "type",
        "orgtype",
        "organizationtype",
        "organisationtype",
        "entitytype",
        "institutiontype",
        "districtorschool",
    ),
    "city": ("city", "town", "citytown", "municipality", "physicalcity", "mailingcity"),
    "tz": ("timezone", "tz", "zone"),
    "program": ("program", "programs", "programcode", "programsthisyear", "coachingprogram"),
}
_BY_HEADER: Mapping[str, str] = {
    spelling: name for name, spellings in SYNONYMS.items() for spelling in spellings
}


def fold(text: str) -> str:
    """A header as it is matched: lower case, letters and digits of any script only."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum())


def field_named(text: str) -> str | None:
    """The field a caller's mapping names ("State ID", "state_id", "beds code"), or None."""
    key = fold(text)
    if key == IGNORE:
        return IGNORE
    for name, label in FIELD_LABELS.items():
        if key in (fold(name), fold(label)):
            return name
    return _BY_HEADER.get(key)


@dataclass(frozen=True)
class FileRow:
    """One line of the file below the header, by field; `line` counts the header as row 1."""

    line: int
    values: Mapping[str, str]
    districts: tuple[str, ...] = ()  # every district cell given (a state id and/or a name)
    problem: str | None = None  # the row could not be read as the header describes


@dataclass(frozen=True)
class CaseloadTable:
    """A file read and its columns matched; rows not yet checked against the profile."""

    source: str
    encoding: str  # "UTF-8", "UTF-8 with BOM" or "Windows-1252"
    headers: tuple[str, ...]
    columns: Mapping[str, tuple[int, ...]]  # field -> the column(s) holding it
    unmatched: tuple[str, ...]  # headers that name no field (ignored unless mapped)
    missing: tuple[str, ...]  # fields the file must have but no header matched
    rows: tuple[FileRow, ...] = field(default=())
    lists_districts: bool = False  # a district list: its district columns are the rows' own

    @property
    def matched(self) -> dict[str, str]:
        """header -> field, for the mapping step to show what was understood."""
        return {self.headers[i]: name for name, cols in self.columns.items() for i in cols}


class UnreadableFile(RefusedInput):
    """The file is not a CSV of districts and schools; the message says why in one sentence."""


def decode(data: bytes, source: str) -> tuple[str, str]:
    """The file's text and the encoding it was read in; refuses what is not text."""
    head = data[:4096]
    if not data.strip(b"\xef\xbb\xbf \t\r\n"):
        raise UnreadableFile(
            f"{source} is empty; it needs a header row naming its columns "
            "(name, state id, district, address, grades) and a row per district or school."
        )
    if head.startswith(b"%PDF"):
        raise UnreadableFile(
            f"{source} is a PDF, not a CSV file; export the directory as CSV and import that."
        )
    if head.startswith(b"PK\x03\x04") or head.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableFile(
            f"{source} is a spreadsheet workbook, not a CSV file; in Excel choose "
            "File, Save As, “CSV UTF-8”, and import that file."
        )
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableFile(
            f"{source} is saved as UTF-16 (“Unicode Text”); save it as “CSV UTF-8” instead."
        )
    if b"\x00" in head:
        raise UnreadableFile(
            f"{source} holds binary data, not text; choose the CSV file the directory exported."
        )
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "UTF-8 with BOM"
        except UnicodeDecodeError:
            pass  # a BOM on a file that is not UTF-8 after all: try Windows-1252
    else:
        try:
            return data.decode("utf-8"), "UTF-8"
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        raise UnreadableFile(
            f"{source} is neither UTF-8 nor Windows-1252 text; save it as “CSV UTF-8”."
        ) from None


def _delimiter(text: str) -> str:
    """Comma, unless the header line is plainly split by semicolons or tabs (Excel abroad)."""
    first = text.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


def read_table(
    data: bytes, *, source: str = "The file", mapping: Mapping[str, str] | None = None
) -> CaseloadTable:
    """Decode a file, match its header and split its rows (UnreadableFile says why not)."""
    if len(data) > MAX_BYTES:
        raise UnreadableFile(
            f"{source} is larger than {MAX_BYTES // 1_000_000} MB; split it into smaller files."
        )
    text, encoding = decode(data, source)
    csv.field_size_limit(max(csv.field_size_limit(), CELL_LIMIT))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        records = list(reader)
    except csv.Error as exc:
        raise UnreadableFile(
            f"{source} is not a CSV file coachdesk can read (row {reader.line_num}: {exc}); "
            "save it from the spreadsheet as “CSV UTF-8”."
        ) from None
    while records and not any(cell.strip() for cell in records[0]):
        records.pop(0)  # blank lines above the header
    if not records:
        raise UnreadableFile(f"{source} is empty; it needs a header row and a row per school.")
    headers = tuple(cell.strip() for cell in records[0])
    columns, unmatched = _match(headers, mapping or {}, source)
    missing: tuple[str, ...] = ()
    lists_districts = False
    if "name" not in columns:
        if "district" in columns and "kind" not in columns:
            lists_districts = True  # "District Name, District Code": a list of districts
        else:
            missing = ("name",)
    body = [(number, cells) for number, cells in enumerate(records[1:], start=2)]
    body = [(number, cells) for number, cells in body if any(c.strip() for c in cells)]
    if not body:
        raise UnreadableFile(
            f"{source} has a header row but no district or school below it; add a row for each one."
        )
    if len(body) > MAX_ROWS:
        raise UnreadableFile(
            f"{source} has {len(body):,} rows; coachdesk imports at most {MAX_ROWS:,} at a time, "
            "so split it into smaller files."
        )
    table = CaseloadTable(
        source, encoding, headers, columns, unmatched, missing, lists_districts=lists_districts
    )
    if missing:
        return table
    rows = tuple(_row(number, cells, table) for number, cells in body)
    return CaseloadTable(
        source, encoding, headers, columns, unmatched, missing, rows, lists_districts
    )


def _match(
    headers: tuple[str, ...], mapping: Mapping[str, str], source: str
) -> tuple[dict[str, tuple[int, ...]], tuple[str, ...]]:
    by_fold = {fold(h): i for i, h in enumerate(headers) if h}
    chosen: dict[int, str] = {}
    for header, target in mapping.items():
        index = headers.index(header) if header in headers else by_fold.get(fold(header))
        if index is None:
            shown = ", ".join(f"“{h}”" for h in headers if h) or "none"
            raise UnreadableFile(f"{source} has no column “{header}”; its columns are {shown}.")
        name = field_named(target)
        if name is None:
            fields = ", ".join(FIELD_LABELS.values())
            raise UnreadableFile(
                f"“{target}” is not a field coachdesk imports; map “{header}” to one of "
                f"{fields}, or to {IGNORE}."
            )
        chosen[index] = name
    columns: dict[str, list[int]] = {}
    unmatched: list[str] = []
    for index, header in enumerate(headers):
        name = chosen.get(index) or _BY_HEADER.get(fold(header))
        if name == IGNORE or not header:
            continue
        if name is None or (name in columns and name != "district"):
            unmatched.append(header)
            continue
        columns.setdefault(name, []).append(index)
    # A district's state id is the surer key: try it before the district's name.
    if "district" in columns:
        columns["district"].sort(key=lambda i: not _names_an_id(headers[i]))
    return {k: tuple(v) for k, v in columns.items()}, tuple(unmatched)


def _names_an_id(header: str) -> bool:
    folded = fold(header)
    return any(word in folded for word in ("code", "irn", "beds", "id"))


def _row(number: int, cells: list[str], table: CaseloadTable) -> FileRow:
    if len(cells) > len(table.headers) and any(c.strip() for c in cells[len(table.headers) :]):
        return FileRow(
            number,
            {},
            problem=f"This row has {len(cells)} cells but the header names {len(table.headers)} "
            "columns; a name with a comma in it needs quotes around it.",
        )
    values: dict[str, str] = {}
    districts: list[str] = []
    for name, indexes in table.columns.items():
        given = [_unguard(cells[i].strip()) for i in indexes if i < len(cells) and cells[i].strip()]
        if name == "district":
            districts = given
        if given:
            values[name] = given[0]
    if table.lists_districts:
        # The district columns are the row's own name and state id.
        names: list[str] = []
        ids: list[str] = []
        for i in table.columns["district"]:
            cell = _unguard(cells[i].strip()) if i < len(cells) else ""
            if cell:
                (ids if _names_an_id(table.headers[i]) else names).append(cell)
        values.pop("district", None)
        if names:
            values["name"] = names[0]
        if ids and "state_id" not in values:
            values["state_id"] = ids[0]
        values.setdefault("kind", "district")
        districts = []
    return FileRow(number, values, tuple(districts))


def _unguard(text: str) -> str:
    """Take off the apostrophe an export puts before a cell that starts like a formula."""
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@\t\r":
        return text[1:]
    return text


# --- cells ---------------------------------------------------------------------------------


def program_codes(text: str, state: str, name: str) -> tuple[str, ...]:
    """Program codes from a cell such as "NY_RCV" or "MA SSoS; OH_NNPS"."""
    known = programs()
    found: list[str] = []
    for part in re.split(r"[;,|/]", text):
        typed = part.strip()
        if not typed:
            continue
        folded = "".join(ch for ch in typed.casefold() if ch.isalnum())
        prog = next((p for p in known.values() if folded in _spellings(p)), None)
        if prog is None:
            raise RefusedInput(
                f"“{typed}” is not a program; use one of {', '.join(known)} or leave it empty."
            )
        if prog.state != state:
            raise RefusedInput(f"{prog.name} is a {prog.state} program, and {name} is in {state}.")
        if prog.code not in found:
            found.append(prog.code)
    return tuple(found)


def _spellings(prog: Program) -> set[str]:
    return {
        "".join(ch for ch in text.casefold() if ch.isalnum())
        for text in (prog.code, prog.name, prog.long_name)
    }


def city_of(text: str | None) -> str | None:
    """A city as stored: one line, at most 100 characters (RefusedInput otherwise)."""
    return clean_text(one_line(text or ""), what="The city", limit=CITY_LIMIT)


def one_line(text: str) -> str:
    """A name typed over two lines of a spreadsheet cell is one name."""
    return _NEWLINES.sub(" ", text).strip()
