"""Data format 3: obligations the coach closes, and visit notes marked shared.

Revision ID: 0003
Revises: 0002

An obligation (a quarterly report, a coaching log, a roster) records the day it was submitted
and an optional note ("sent through the portal"); a visit records the day its note was shared
with the school (its packet or summary sent or printed for it).
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Batch mode, as SQLite needs for ALTER TABLE; adding a nullable column does not copy it.
    with op.batch_alter_table("obligation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("submitted_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("note", sa.Text(), nullable=True))
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.add_column(sa.Column("shared_on", sa.Date(), nullable=True))


def downgrade() -> None:
    raise NotImplementedError("coachdesk never downgrades a profile; restore a backup instead")
