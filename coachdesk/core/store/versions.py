"""The profile data formats this coachdesk knows, oldest first.

Each entry pairs an Alembic revision with the data-format number shown to people and the first
coachdesk release that wrote it. Append a row with every migration; a test checks the list
against the migration scripts, and tests/fixtures/profiles keeps one profile file per row.
"""

from __future__ import annotations

from typing import NamedTuple


class DataFormat(NamedTuple):
    revision: str
    number: int
    first_release: str


DATA_FORMATS: tuple[DataFormat, ...] = (
    DataFormat("0001", 1, "0.1.0"),
    DataFormat("0002", 2, "0.2.0"),
    DataFormat("0003", 3, "0.2.0"),
    DataFormat("0004", 4, "0.3.0"),
    DataFormat("0005", 5, "0.4.0"),
)

HEAD = DATA_FORMATS[-1]
KNOWN_REVISIONS = {f.revision: f for f in DATA_FORMATS}
