"""Full-text search over notes, next steps, visit purposes and contacts (SQLite FTS5).

SQLite-only spot. One FTS5 table per searched table, keyed by that table's rowid, kept current
by triggers, so that every write (a coach's edit, an imported bundle, a restore) is searchable
at once and a changed row is re-indexed by rowid rather than by a scan. Answers are stored as
JSON; only their text leaves are indexed (JSON keys and numbers are not words a coach types).
A tombstoned row leaves the index.

A learning walk's classrooms repeat (each room's evidence) is indexed like any answer, since a
trigger cannot tell one repeat from another; coachdesk/core/visits/search.py never returns its
hits, so search is no per-teacher lookup (DOMAIN.md section 6).
"""

from __future__ import annotations

# table -> SQL for the text to index from NEW.<columns>
SOURCES: dict[str, str] = {
    "visit_answer": (
        "CASE WHEN json_valid(NEW.value) THEN (SELECT group_concat(value, ' ') "
        "FROM json_tree(NEW.value) WHERE type = 'text') ELSE NEW.value END"
    ),
    "action_item": "coalesce(NEW.text, '') || ' ' || coalesce(NEW.owner, '')",
    "visit": "coalesce(NEW.purpose, '')",
    "contact": (
        "NEW.name || ' ' || NEW.role || ' ' || coalesce(NEW.work_email, '') || ' ' || "
        "coalesce(NEW.work_phone, '')"
    ),
}


def index_table(source: str) -> str:
    return f"search_{source}"


def ddl() -> list[str]:
    """The statements that create the index tables and their triggers.

    Data format 1's migration holds a frozen copy (tests/unit/test_migrations.py compares them):
    a change here needs a new migration that drops and recreates the index.
    """
    statements = []
    for source, text in SOURCES.items():
        index = index_table(source)
        statements.append(
            f"CREATE VIRTUAL TABLE {index} USING fts5(body, "
            "tokenize = 'unicode61 remove_diacritics 2')"
        )
        insert = (
            f"INSERT INTO {index}(rowid, body) SELECT NEW.rowid, {text} "
            "WHERE NEW.deleted_at IS NULL;"
        )
        statements.append(
            f"CREATE TRIGGER {index}_insert AFTER INSERT ON {source} BEGIN {insert} END"
        )
        statements.append(
            f"CREATE TRIGGER {index}_update AFTER UPDATE ON {source} BEGIN "
            f"DELETE FROM {index} WHERE rowid = OLD.rowid; {insert} END"
        )
        statements.append(
            f"CREATE TRIGGER {index}_delete AFTER DELETE ON {source} BEGIN "
            f"DELETE FROM {index} WHERE rowid = OLD.rowid; END"
        )
    return statements


def is_index_table(name: str) -> bool:
    """True for the FTS tables and their shadow tables (which the models do not describe)."""
    return any(name == index_table(s) or name.startswith(index_table(s) + "_") for s in SOURCES)
