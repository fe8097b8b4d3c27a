"""Loading the cadence rules and calendars from resources/rules/*.toml.

One file per program (ny_rcv.toml, ma_ssos.toml, oh_nnps.toml) and common.toml for what every
program shares. Every file says which program it is for and its format version; a value the
rules cannot use raises RulesError naming the file and the key.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from coachdesk.core.bundled import resources_dir
from coachdesk.core.tracking_rules import common, ma, ny, oh
from coachdesk.core.tracking_rules.rulefile import Reader, RulesError, read_toml

FORMAT_VERSION = 1
FILES = {
    "common.toml": "ALL",
    "ny_rcv.toml": ny.PROGRAM,
    "ma_ssos.toml": ma.PROGRAM,
    "oh_nnps.toml": oh.PROGRAM,
}

# Every rule id the engine can put on a DueItem.
RULE_IDS = (
    "ny.monthly_visit",
    "ny.quarterly_report",
    "ny.quarterly_dates_missing",
    "ny.pre_report_visit",
    "ny.dii_checkpoint",
    "ny.dii_at_risk",
    "ny.public_hearing",
    "ma.phase_notice",
    "ma.phase1_checklist",
    "ma.pm_window",
    "ma.learning_walk",
    "ma.disaggregation_gap",
    "oh.check_in",
    "oh.coaching_log",
    "oh.action_plan",
    "oh.update_survey",
    "oh.team_roster",
    "all.action_item",
    "all.note_draft",
    "all.note_unshared",
    "all.obligation",
    "all.event",
)


@dataclass(frozen=True)
class Rules:
    """The whole rule set: what every program shares and each program's own rules."""

    common: common.Config
    ny: ny.Config
    ma: ma.Config
    oh: oh.Config
    source: str  # the folder the rules were read from, for messages


def load_rules(folder: Path | None = None) -> Rules:
    """Read and check every rules file in `folder` (default: the shipped resources/rules)."""
    folder = folder or resources_dir() / "rules"
    readers = {}
    for name, program in FILES.items():
        path = folder / name
        if not path.is_file():
            raise RulesError(name, "", f"is missing from {folder}.")
        reader = Reader(name, read_toml(path))
        if reader.text("program") != program:
            raise reader.fail("program", f"should be {program!r} in {name}.")
        version = reader.integer("version")
        if version != FORMAT_VERSION:
            raise reader.fail(
                "version",
                f"is {version}, but this coachdesk reads rules of version {FORMAT_VERSION}.",
            )
        readers[name] = reader
    rules = Rules(
        common=common.read(readers["common.toml"]),
        ny=ny.read(readers["ny_rcv.toml"]),
        ma=ma.read(readers["ma_ssos.toml"]),
        oh=oh.read(readers["oh_nnps.toml"]),
        source=str(folder),
    )
    for reader in readers.values():
        reader.done()
    return rules


@cache
def shipped_rules() -> Rules:
    """The rules shipped with coachdesk, read once."""
    return load_rules()
