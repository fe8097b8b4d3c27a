"""Data format 2: a coach sets up their own caseload.

Revision ID: 0002
Revises: 0001

Organizations gain an address and an archived date (archived schools leave the caseload list
but stay readable), and the local demo_record table lists the records the demo loaded, so that
they can be removed and kept out of bundles.
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Batch mode, as SQLite needs for ALTER TABLE; adding a nullable column does not copy it.
    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.add_column(sa.Column("address", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("archived_on", sa.Date(), nullable=True))

    op.create_table(
        "demo_record",
        sa.Column("record_type", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("record_type", "record_id"),
    )


def downgrade() -> None:
    raise NotImplementedError("coachdesk never downgrades a profile; restore a backup instead")
