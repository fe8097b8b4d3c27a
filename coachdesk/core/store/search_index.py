"""Full-text search over notes, next steps, visit purposes and contacts (SQLite FTS5; on
PostgreSQL its own full-text search, at the end of this module).

SQLite-only spot (ddl). One FTS5 table per searched table, keyed by that table's rowid, kept current
by triggers, so that every write (a coach's edit, an imported bundle, a restore) is searchable
at once and a changed row is re-indexed by rowid rather than by a scan. Answers are stored as
JSON; only their text leaves are indexed (JSON keys and numbers are not words a coach types).
A tombstoned row leaves the index.

A learning walk's classrooms repeat (each room's evidence) is indexed like any answer, since a
trigger cannot tell one repeat from another; coachdesk/core/visits/search.py never returns its
hits, so search is no per-teacher lookup (DOMAIN.md section 6).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Connection

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


# Rows of one table written at once from which indexing them in one statement pays: below this,
# the triggers cost less than taking them off and putting them back.
BULK_AT_LEAST = 200


@contextmanager
def indexed_after(conn: Connection, source: str, ids: Sequence[str]) -> Iterator[None]:
    """Write many rows of `source` (ids, new or changed) in the block; they are indexed after it
    in one statement per few hundred rows, exactly as the triggers would have indexed them.

    FTS5 writes out its pending terms at every statement that reaches it, and a trigger makes
    each row's insert one such statement: 10,000 contacts of an import cost 0.17 s of indexing
    that way, 0.04 s this way. The insert and update triggers are taken off for the block and
    put back as ddl() writes them, within the same transaction (a rollback undoes both).
    SQLite-only spot: elsewhere (and for few rows) the block runs with nothing changed."""
    if source not in SOURCES or conn.dialect.name != "sqlite" or len(ids) < BULK_AT_LEAST:
        yield
        return
    index = index_table(source)
    triggers = (f"{index}_insert", f"{index}_update")
    kept = [s for s in ddl() if any(s.startswith(f"CREATE TRIGGER {t} ") for t in triggers)]
    for trigger in triggers:
        conn.exec_driver_sql(f"DROP TRIGGER {trigger}")
    try:
        yield
        body = SOURCES[source].replace("NEW.", "t.")
        for start in range(0, len(ids), 500):  # ids per IN (...), under every parameter limit
            chunk = tuple(ids[start : start + 500])
            marks = ", ".join("?" * len(chunk))
            rows = f"SELECT rowid FROM {source} WHERE id IN ({marks})"
            conn.exec_driver_sql(f"DELETE FROM {index} WHERE rowid IN ({rows})", chunk)
            conn.exec_driver_sql(
                f"INSERT INTO {index}(rowid, body) SELECT t.rowid, {body} FROM {source} AS t "
                f"WHERE t.id IN ({marks}) AND t.deleted_at IS NULL",
                chunk,
            )
    finally:
        for statement in kept:
            conn.exec_driver_sql(statement)


def is_index_table(name: str) -> bool:
    """True for the FTS tables and their shadow tables (which the models do not describe)."""
    return any(name == index_table(s) or name.startswith(index_table(s) + "_") for s in SOURCES)


# --- PostgreSQL (the state hub) ----------------------------------------------------------------
# PostgreSQL-only spot. No shadow tables and no triggers: one GIN expression index per searched
# table over to_tsvector(SERVER_CONFIG, text), which the server keeps current on every write
# (a tombstoned row leaves it: the indexes are partial, WHERE deleted_at IS NULL). The text
# search configuration is 'simple' (no stemming, no stop words) with unaccent in front, like
# FTS5's unicode61 with remove_diacritics: "senora" finds "Señora". Answers' text leaves come
# from the JSON like json_tree's 'text' rows above; a value that is not JSON is its own text.

SERVER_CONFIG = "coachdesk_search"

SERVER_FUNCTIONS = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    f"CREATE TEXT SEARCH CONFIGURATION {SERVER_CONFIG} (COPY = simple)",
    f"ALTER TEXT SEARCH CONFIGURATION {SERVER_CONFIG} ALTER MAPPING FOR "
    "hword, hword_part, word WITH unaccent, simple",
    "CREATE FUNCTION coachdesk_answer_text(value text) RETURNS text LANGUAGE plpgsql "
    "IMMUTABLE PARALLEL SAFE AS $$ BEGIN RETURN (SELECT string_agg(leaf #>> '{}', ' ') "
    "FROM jsonb_path_query(value::jsonb, 'strict $.**') AS leaf "
    "WHERE jsonb_typeof(leaf) = 'string'); EXCEPTION WHEN others THEN RETURN value; END $$",
]

# table -> the SQL text to index from the row; {t} is the row's alias and a dot, or nothing
SERVER_SOURCES: dict[str, str] = {
    "visit_answer": "coalesce(coachdesk_answer_text({t}value), '')",
    "action_item": "coalesce({t}text, '') || ' ' || coalesce({t}owner, '')",
    "visit": "coalesce({t}purpose, '')",
    "contact": (
        "{t}name || ' ' || {t}role || ' ' || coalesce({t}work_email, '') || ' ' || "
        "coalesce({t}work_phone, '')"
    ),
}


def server_text(source: str, alias: str = "") -> str:
    """The indexed text of `source`'s row `alias` (the same expression its index was built on,
    so that the planner uses the index)."""
    return SERVER_SOURCES[source].format(t=f"{alias}." if alias else "")


def server_vector(source: str, alias: str = "") -> str:
    return f"to_tsvector('{SERVER_CONFIG}', {server_text(source, alias)})"


def server_ddl() -> list[str]:
    """The search configuration, the answers' text function and the expression indexes."""
    statements = list(SERVER_FUNCTIONS)
    for source in SERVER_SOURCES:
        statements.append(
            f"CREATE INDEX {index_table(source)} ON {source} USING gin "
            f"(({server_vector(source)})) WHERE deleted_at IS NULL"
        )
    return statements
