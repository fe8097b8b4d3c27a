"""Data format 1.

Revision ID: 0001
Revises:

UNRELEASED: while data format 1 has not shipped, this builds the tables from the models so that
every area can add its tables. Before the first release it is frozen by Alembic autogenerate
(tests/unit/test_migrations.py checks that the migrated schema equals the models).
"""

from alembic import op

from coachdesk.core.store import all_tables, search_index  # noqa: F401
from coachdesk.core.store.schema import Base

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    Base.metadata.create_all(op.get_bind())
    search_index.install(op.get_bind())


def downgrade() -> None:
    raise NotImplementedError("coachdesk never downgrades a profile; restore a backup instead")
