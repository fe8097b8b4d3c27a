"""Every kind of record a bundle can carry has a name a coach reads in the import summary."""

from __future__ import annotations

from coachdesk.core.record_types import NOUNS, noun
from coachdesk.core.store import all_tables  # noqa: F401  registers every syncable model
from coachdesk.core.store.changelog import SYNCABLE
from coachdesk.sync.importer import ImportResult


def test_every_syncable_record_type_has_a_singular_and_a_plural_name():
    assert set(SYNCABLE) - set(NOUNS) == set(), "add these to core/record_types.NOUNS"
    assert set(NOUNS) - set(SYNCABLE) == set(), "these names belong to no record type"
    for record_type, (one, many) in NOUNS.items():
        assert one and many and one != many, record_type
        assert "_" not in one + many, f"{record_type}: a coach's words, not a table name"


def test_the_import_summary_reads_in_the_coachs_words():
    result = ImportResult(
        source="dana.coachdesk",
        bundle_id="b",
        signer_name="Dana",
        already_imported=False,
        changes_in_bundle=40,
        created={"visit": 12, "action_item": 1},
        updated={"organization": 3},
    )
    assert result.sentence() == (
        "dana.coachdesk (from Dana): 1 next step, 12 visits, 3 schools and districts updated."
    )
    assert noun("visit_answer", 2) == "2 answers in visit notes"
