"""Data formats: the migration scripts, the models and the kept profile files agree.

tests/fixtures/profiles keeps one real profile file per released data format, written by the
coachdesk that introduced it (with the demo caseload). Every later coachdesk must open each of
them, upgrading after a backup.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from coachdesk.core.caseload import list_caseload
from coachdesk.core.store import (
    all_tables,  # noqa: F401
    backups,
    quickcheck,
    search_index,
)
from coachdesk.core.store.profile import DB_NAME, open_profile
from coachdesk.core.store.schema import Base
from coachdesk.core.store.versions import DATA_FORMATS, HEAD

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "profiles"
MIGRATIONS = Path(__file__).resolve().parents[2] / "coachdesk" / "core" / "store" / "migrations"


def test_the_data_formats_list_matches_the_migration_scripts():
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    scripts = ScriptDirectory.from_config(config)
    chain = [s.revision for s in reversed(list(scripts.walk_revisions()))]
    assert chain == [f.revision for f in DATA_FORMATS]
    assert scripts.get_current_head() == HEAD.revision


def test_a_migrated_profile_has_exactly_the_tables_the_models_describe(profile):
    with profile.engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={
                # The full-text index is SQLite's own virtual tables, not described by models.
                "include_name": lambda name, kind, parent: (
                    not (kind == "table" and search_index.is_index_table(name))
                )
            },
        )
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_every_released_data_format_has_a_kept_profile_file():
    kept = {p.name for p in FIXTURES.glob("format-*.sqlite")}
    assert kept == {f"format-{f.number}.sqlite" for f in DATA_FORMATS}


@pytest.mark.parametrize("data_format", DATA_FORMATS, ids=lambda f: f"format-{f.number}")
def test_a_kept_profile_opens_with_its_caseload_and_is_upgraded_after_a_backup(
    tmp_path, data_format
):
    source = FIXTURES / f"format-{data_format.number}.sqlite"
    if not source.exists():
        pytest.fail(f"{source.name} is missing: keep one profile file per released data format")
    folder = tmp_path / "profile"
    folder.mkdir()
    shutil.copy(source, folder / DB_NAME)

    profile = open_profile(folder)
    state = quickcheck.inspect_file(folder / DB_NAME, integrity=False)
    assert state.revision == HEAD.revision
    names = {r.school_name for r in list_caseload(profile, school_year=_year_of(profile))}
    assert "Lincoln Park Elementary School" in names
    upgraded = data_format.revision != HEAD.revision
    assert bool(backups.list_backups(folder / "backups")) == upgraded
    profile.close()


def _year_of(profile) -> str:
    row = profile.quick_connection().execute("SELECT max(school_year) FROM assignment").fetchone()
    return row[0]


def test_the_search_index_in_the_first_data_format_is_the_one_search_index_describes():
    """Changing search_index.py needs a new migration: format 1's DDL is frozen."""
    import importlib.util

    path = MIGRATIONS / "versions" / "0001_caseload.py"
    spec = importlib.util.spec_from_file_location("format_1", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.SEARCH_INDEX == search_index.ddl()
