"""Every syncable model is mapped to its own Table, which table_of() hands back typed."""

from __future__ import annotations

from sqlalchemy import Table

from coachdesk.core.store.changelog import SYNCABLE
from coachdesk.core.store.schema import table_of


def test_table_of_gives_each_syncable_model_the_table_its_tablename_names():
    assert SYNCABLE
    for model in SYNCABLE.values():
        table = table_of(model)
        assert isinstance(table, Table)
        assert table is model.__table__
        assert table.name == model.__tablename__
