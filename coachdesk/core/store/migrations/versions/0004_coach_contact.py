"""Data format 4: the coach's work e-mail and phone.

Revision ID: 0004
Revises: 0003

Visit summaries and the state reports print who prepared them: the coach's name, organization
and a contact line a principal or a state office can use to reply.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Batch mode, as SQLite needs for ALTER TABLE; adding a nullable column does not copy it.
    with op.batch_alter_table("coach", schema=None) as batch_op:
        batch_op.add_column(sa.Column("work_email", sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column("work_phone", sa.String(length=40), nullable=True))


def downgrade() -> None:
    raise NotImplementedError("coachdesk never downgrades a profile; restore a backup instead")
