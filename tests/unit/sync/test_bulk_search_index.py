"""An import that writes many rows indexes their text for search in one statement per few
hundred rows (core/store/search_index.py indexed_after): search then finds exactly what the
per-row triggers would have made findable, new rows, changed rows and tombstones alike, and
the triggers are back as they were for the coach's next edit."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from coachdesk.core.store import search_index
from coachdesk.core.store.schema import Contact, Organization
from coachdesk.core.visits.search import search
from tests.support.sync_world import coach_with_visit


def _indexed(profile) -> dict[str, set[tuple[str, str]]]:
    """Per searched table, (row id, the text search holds for it); every index row has its row."""
    found = {}
    with profile.reading() as session:
        for source in search_index.SOURCES:
            index = search_index.index_table(source)
            rows = session.execute(
                text(f"SELECT t.id, s.body FROM {index} s JOIN {source} t ON t.rowid = s.rowid")
            ).all()
            assert session.execute(text(f"SELECT count(*) FROM {index}")).scalar() == len(rows)
            found[source] = {tuple(r) for r in rows}
    return found


def _as_typed(typed, profile) -> dict[str, set[tuple[str, str]]]:
    """What the triggers indexed where the rows were typed, for the rows `profile` holds (an
    internal answer stays on its coach's laptop)."""
    held = {}
    with profile.reading() as session:
        for source in search_index.SOURCES:
            held[source] = set(session.execute(text(f"SELECT id FROM {source}")).scalars())
    return {source: {r for r in rows if r[0] in held[source]} for source, rows in typed.items()}


def _triggers(profile) -> list[str]:
    with profile.reading() as session:
        return sorted(
            session.execute(
                text("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'search%'")
            ).scalars()
        )


def _consistent(profile) -> None:
    """FTS5's own check that each index agrees with the text it holds."""
    with profile.writing(capture=False) as write:
        for source in search_index.SOURCES:
            index = search_index.index_table(source)
            write.session.execute(text(f"INSERT INTO {index}({index}) VALUES ('integrity-check')"))


def _add_contacts(profile, count: int) -> list[str]:
    with profile.writing() as write:
        school = Organization(kind="school", name="Harbor Élementary", state="NY")
        write.session.add(school)
        write.session.flush()
        contacts = [
            Contact(
                org_id=school.id,
                name=f"Señora Núñez {n}",
                role="teacher",
                work_email=f"n{n}@harbor.example.org",
            )
            for n in range(count)
        ]
        write.session.add_all(contacts)
    return [c.id for c in contacts]


@pytest.mark.parametrize("bulk_at_least", [1, search_index.BULK_AT_LEAST])
def test_search_finds_in_an_imported_profile_what_it_finds_where_the_rows_were_typed(
    pair, monkeypatch, bulk_at_least
):
    monkeypatch.setattr(search_index, "BULK_AT_LEAST", bulk_at_least)
    dana, lee = pair
    coach_with_visit(dana.profile)
    ids = _add_contacts(dana.profile, 250)
    triggers = _triggers(lee.profile)
    lee.take(dana.bundle())
    indexed = _indexed(lee.profile)
    assert indexed == _as_typed(_indexed(dana.profile), lee.profile)
    assert all(indexed.values())  # answers, next steps, visits and contacts: none is empty
    assert ids[249] in _contacts_found(lee.profile, "nunez 249")

    # Dana renames 220 of them and tombstones another; Lee's import changes and drops them.
    with dana.profile.writing() as write:
        for n, contact_id in enumerate(ids[:220]):
            write.session.get(Contact, contact_id).name = f"Ms. Okafor {n}"
        write.session.get(Contact, ids[240]).deleted_at = "2026-12-01T10:00:00Z"
    lee.take(dana.bundle())
    assert _indexed(lee.profile) == _as_typed(_indexed(dana.profile), lee.profile)
    assert ids[219] not in _contacts_found(lee.profile, "nunez 219")
    assert ids[219] in _contacts_found(lee.profile, "okafor 219")
    assert ids[240] not in _contacts_found(lee.profile, "nunez 240")

    assert _triggers(lee.profile) == triggers  # the coach's own edits are indexed as before
    _consistent(lee.profile)
    with lee.profile.writing() as write:
        write.session.get(Contact, ids[0]).name = "Mr. Adeyemi"
    assert _contacts_found(lee.profile, "adeyemi") == [ids[0]]


def _contacts_found(profile, words: str) -> list[str]:
    return [hit.record_id for hit in search(profile, words) if hit.kind == "contact"]


def test_the_triggers_are_back_when_the_writing_fails_half_way(profile):
    before = _triggers(profile)
    ids = [f"0190a0b0-0000-7000-8000-{n:012d}" for n in range(search_index.BULK_AT_LEAST)]
    with pytest.raises(RuntimeError), profile.writing(capture=False) as write:
        conn = write.session.connection()
        with search_index.indexed_after(conn, "contact", ids):
            assert _triggers_in(conn) == []  # off while the rows are written
            raise RuntimeError("the disk is full")
    assert _triggers(profile) == before
    with profile.reading() as session:
        assert session.execute(select(Contact.id)).first() is None


def _triggers_in(conn) -> list[str]:
    return list(
        conn.execute(
            text(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                "AND name LIKE 'search_contact_%' AND name != 'search_contact_delete'"
            )
        ).scalars()
    )
