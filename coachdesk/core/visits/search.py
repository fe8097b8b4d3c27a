"""Finding any note again: full-text search over the profile (FTS5 on SQLite; PostgreSQL's own
full-text search on the state hub, see search_index.py; the query is picked by dialect).

Reads through the profile's plain sqlite3 connection: a search box must answer while the coach
is still typing, and the ORM adds nothing here.

A learning walk's classrooms are never found (DOMAIN.md section 6: no per-teacher lookup). The
index holds every answer's text, a walk's classrooms repeat (each room's ratings and evidence)
included, but the note query leaves out the answers of classrooms repeats, so typing a teacher's
name that slipped into a room's evidence finds no classroom, and no walk by it. A walk is still
found by its focus, patterns, wonderings and next steps, which describe the school, not a room.
Filtering the results rather than the index: the index's triggers cannot tell a classrooms
repeat from any other answer (that is in the form, not the row), and changing what it indexes
means a new data format that drops and rebuilds it (search_index.py).
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from coachdesk.core.store.profile import Profile

_WORD = re.compile(r"\w+", re.UNICODE)
PER_KIND = 50


@dataclass(frozen=True)
class SearchHit:
    kind: str  # note | next_step | visit | contact
    record_id: str  # the visit (for notes, next steps and visits) or the contact
    school_id: str
    school_name: str
    title: str
    snippet: str
    date: str | None  # the visit's date, for notes and next steps
    rank: float

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": self.record_id,
            "school_id": self.school_id,
            "school": self.school_name,
            "title": self.title,
            "snippet": self.snippet,
            "date": self.date,
        }


def match_expression(text: str) -> str | None:
    """An FTS5 query that finds every word typed, the last one as a prefix (search as you type)."""
    words = _WORD.findall(text)
    if not words:
        return None
    quoted = [f'"{w}"' for w in words[:-1]] + [f'"{words[-1]}"*']
    return " AND ".join(quoted)


_QUERIES = {
    "note": """
        SELECT a.visit_id, v.org_id, o.name, v.visit_type, substr(v.starts_at, 1, 10),
               snippet(search_visit_answer, 0, '[', ']', '…', 14), s.rank
          FROM search_visit_answer s
          JOIN visit_answer a ON a.rowid = s.rowid
          JOIN visit v ON v.id = a.visit_id AND v.deleted_at IS NULL
          JOIN organization o ON o.id = v.org_id
         WHERE search_visit_answer MATCH ?
           AND coalesce(v.form_id, '') || '/' || a.field NOT IN (SELECT value FROM json_each(?))
         ORDER BY s.rowid DESC LIMIT ?""",
    "next_step": """
        SELECT i.visit_id, i.org_id, o.name, 'next step', substr(v.starts_at, 1, 10),
               snippet(search_action_item, 0, '[', ']', '…', 14), s.rank
          FROM search_action_item s
          JOIN action_item i ON i.rowid = s.rowid
          JOIN visit v ON v.id = i.visit_id AND v.deleted_at IS NULL
          JOIN organization o ON o.id = i.org_id
         WHERE search_action_item MATCH ? ORDER BY s.rowid DESC LIMIT ?""",
    "visit": """
        SELECT v.id, v.org_id, o.name, v.visit_type, substr(v.starts_at, 1, 10),
               snippet(search_visit, 0, '[', ']', '…', 14), s.rank
          FROM search_visit s
          JOIN visit v ON v.rowid = s.rowid
          JOIN organization o ON o.id = v.org_id
         WHERE search_visit MATCH ? ORDER BY s.rowid DESC LIMIT ?""",
    "contact": """
        SELECT c.id, c.org_id, o.name, c.role, NULL,
               snippet(search_contact, 0, '[', ']', '…', 14), s.rank
          FROM search_contact s
          JOIN contact c ON c.rowid = s.rowid
          JOIN organization o ON o.id = c.org_id
         WHERE search_contact MATCH ? ORDER BY s.rowid DESC LIMIT ?""",
}

_TITLES = {
    "note": "Visit note",
    "next_step": "Next step",
    "visit": "Visit purpose",
    "contact": "Contact",
}


def search(profile: Profile, text: str, *, per_kind: int = PER_KIND) -> list[SearchHit]:
    """Matches for every word of `text`, best first within each kind; [] for no words."""
    if profile.dialect != "sqlite":
        return _server_search(profile, text, per_kind=per_kind)
    expression = match_expression(text)
    if expression is None:
        return []
    conn = profile.quick_connection()
    unsearched = json.dumps(classroom_answers(conn))
    rows = []
    for kind, sql in _QUERIES.items():
        parameters = (
            (expression, unsearched, per_kind) if kind == "note" else (expression, per_kind)
        )
        rows += [(kind, *row) for row in conn.execute(sql, parameters)]
    return _hits(rows)


def _hits(rows: list[tuple[Any, ...]]) -> list[SearchHit]:
    hits: list[SearchHit] = []
    for kind, record_id, school_id, school, detail, date, snippet, rank in rows:
        title = _TITLES[kind] if kind != "contact" else f"Contact · {detail}"
        if kind in ("note", "visit"):
            title = f"{_TITLES[kind]} · {str(detail).replace('_', ' ')}"
        hits.append(SearchHit(kind, record_id, school_id, school, title, snippet, date, rank))
    # Newest first (contacts, who have no date, lead): the order a coach scans results in, and
    # one FTS5 returns without scoring every match (bm25 ranking cost 60-120 ms at 20,000
    # visits; benchmarks/visits.py).
    hits.sort(key=lambda h: h.date or "", reverse=True)
    hits.sort(key=lambda h: h.kind != "contact")  # stable: contacts first, then by date
    # A visit whose several answers match is one result: its best-matching answer.
    seen: set[tuple[str, str]] = set()
    unique = []
    for hit in hits:
        key = ("visit" if hit.kind in ("note", "visit") else hit.kind, hit.record_id)
        if key not in seen:
            seen.add(key)
            unique.append(hit)
    return unique


# --- PostgreSQL (the state hub): its own full-text search (search_index.py, server_ddl) --------
# PostgreSQL-only spot, the same results as the FTS5 queries above: every word typed, the last
# as a prefix, accents folded; the same classrooms answers left out; newest first.


def tsquery_expression(text: str) -> str | None:
    """A to_tsquery expression that finds every word typed, the last one as a prefix."""
    words = _WORD.findall(text)
    if not words:
        return None
    return " & ".join([f"'{w}'" for w in words[:-1]] + [f"'{words[-1]}':*"])


def _server_queries() -> dict[str, str]:
    from coachdesk.core.store.search_index import SERVER_CONFIG, server_text, server_vector

    def snippet(source: str, alias: str) -> str:
        return (
            f"ts_headline('{SERVER_CONFIG}', {server_text(source, alias)}, q, "
            "'StartSel=[, StopSel=], MaxWords=14, MinWords=5, MaxFragments=1, "
            "FragmentDelimiter=…')"
        )

    query = f"to_tsquery('{SERVER_CONFIG}', :expression) AS q"
    return {
        "note": f"""
        SELECT a.visit_id, v.org_id, o.name, v.visit_type, substr(CAST(v.starts_at AS text), 1, 10),
               {snippet("visit_answer", "a")}, CAST(0 AS double precision)
          FROM visit_answer a
          JOIN visit v ON v.id = a.visit_id AND v.deleted_at IS NULL
          JOIN organization o ON o.id = v.org_id, {query}
         WHERE a.deleted_at IS NULL AND {server_vector("visit_answer", "a")} @@ q
           AND NOT (coalesce(v.form_id, '') || '/' || a.field = ANY(:unsearched))
         ORDER BY v.starts_at DESC, a.id LIMIT :limit""",
        "next_step": f"""
        SELECT i.visit_id, i.org_id, o.name, 'next step', substr(CAST(v.starts_at AS text), 1, 10),
               {snippet("action_item", "i")}, CAST(0 AS double precision)
          FROM action_item i
          JOIN visit v ON v.id = i.visit_id AND v.deleted_at IS NULL
          JOIN organization o ON o.id = i.org_id, {query}
         WHERE i.deleted_at IS NULL AND {server_vector("action_item", "i")} @@ q
         ORDER BY v.starts_at DESC, i.id LIMIT :limit""",
        "visit": f"""
        SELECT v.id, v.org_id, o.name, v.visit_type, substr(CAST(v.starts_at AS text), 1, 10),
               {snippet("visit", "v")}, CAST(0 AS double precision)
          FROM visit v
          JOIN organization o ON o.id = v.org_id, {query}
         WHERE v.deleted_at IS NULL AND {server_vector("visit", "v")} @@ q
         ORDER BY v.starts_at DESC, v.id LIMIT :limit""",
        "contact": f"""
        SELECT c.id, c.org_id, o.name, c.role, NULL, {snippet("contact", "c")},
               CAST(0 AS double precision)
          FROM contact c
          JOIN organization o ON o.id = c.org_id, {query}
         WHERE c.deleted_at IS NULL AND {server_vector("contact", "c")} @@ q
         ORDER BY c.id LIMIT :limit""",
    }


def _server_search(profile: Profile, text: str, *, per_kind: int) -> list[SearchHit]:
    from sqlalchemy import text as sql_text

    expression = tsquery_expression(text)
    if expression is None:
        return []
    rows = []
    with profile.engine.connect() as conn:
        known = [r[0] for r in conn.execute(sql_text("SELECT DISTINCT sha256 FROM stored_form"))]
        unsearched = _classrooms_of(
            known,
            lambda sha: conn.execute(
                sql_text("SELECT text FROM stored_form WHERE sha256 = :sha LIMIT 1"), {"sha": sha}
            ).scalar(),
        )
        parameters = {"expression": expression, "limit": per_kind, "unsearched": unsearched}
        for kind, sql in _server_queries().items():
            rows += [(kind, *row) for row in conn.execute(sql_text(sql), parameters)]
    return _hits(rows)


# stored form sha256 -> "form_id/field" of its classrooms repeats (a form version never changes).
_CLASSROOMS: dict[str, tuple[str, ...]] = {}
_CLASSROOMS_LOCK = threading.Lock()


def classroom_answers(conn: sqlite3.Connection) -> list[str]:
    """ "form_id/field" of every classrooms repeat in the forms the profile's notes use."""
    known = [row[0] for row in conn.execute("SELECT DISTINCT sha256 FROM stored_form")]

    def form_text(sha: str) -> str | None:
        row = conn.execute("SELECT text FROM stored_form WHERE sha256 = ? LIMIT 1", (sha,))
        found = row.fetchone()
        return found[0] if found else None

    return _classrooms_of(known, form_text)


def _classrooms_of(known: list[str], form_text: Callable[[str], str | None]) -> list[str]:
    with _CLASSROOMS_LOCK:
        missing = [sha for sha in known if sha not in _CLASSROOMS]
    for sha in missing:
        names = _classrooms_in(form_text(sha) or "")
        with _CLASSROOMS_LOCK:
            _CLASSROOMS[sha] = names
    with _CLASSROOMS_LOCK:
        return sorted({name for sha in known for name in _CLASSROOMS.get(sha, ())})


def _classrooms_in(text: str) -> tuple[str, ...]:
    from coachdesk.core.forms.stored import StoredFormError, load_stored_definition

    try:
        definition = load_stored_definition(text)
    except StoredFormError:
        return ()
    return tuple(f"{definition.form_id}/{r.name}" for r in definition.repeats("classrooms"))


def group_by_school(hits: list[SearchHit]) -> list[tuple[str, list[SearchHit]]]:
    """Hits grouped by school, schools in the order of their best hit."""
    groups: dict[str, list[SearchHit]] = {}
    for hit in hits:
        groups.setdefault(hit.school_name, []).append(hit)
    return list(groups.items())
